"""Reading providers' answers through tables.

Providers with their own protocol declare what each answer means as data: a
table from an answer (a pattern, a code, an HTTP status) to the error it stands
for, None meaning success. These functions apply such tables, so that an
answer no table knows is always an UnexpectedAnswerError (a temporary failure
that backs off) and never a success.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence

from ddns import errors
from ddns.http import Response, error_for_status, summarise

log = logging.getLogger(__name__)

# What an answer means: None is success, else the error it stands for.
Outcome = type[errors.DDNSError] | None
# Regular expressions searched in the stripped answer, first match wins.
Rules = Sequence[tuple[str, Outcome]]


def settle(outcome: Outcome, answer: str, detail: str | None = None) -> None:
    """Return on success; raise the outcome's error carrying the answer."""
    if outcome is not None:
        raise outcome(detail or summarise(answer), answer=answer)


def unexpected(answer: str) -> errors.UnexpectedAnswerError:
    return errors.UnexpectedAnswerError(summarise(answer), answer=answer)


def match_answer(answer: str, rules: Rules) -> None:
    """Settle the first rule whose pattern is found in the answer.

    An empty answer or one no rule matches (an HTML error page, a proxy's
    notice) is unexpected: it never counts as success.
    """
    text = answer.strip()
    if not text:
        raise errors.UnexpectedAnswerError("empty answer", answer=answer)
    for pattern, outcome in rules:
        if re.search(pattern, text):
            log.debug("answer: pattern=%r success=%s", pattern, outcome is None)
            settle(outcome, answer)
            return
    raise unexpected(answer)


def lookup(code: str | None, table: Mapping[str, Outcome], answer: str) -> None:
    """Settle the outcome of a code the provider put in its answer."""
    if code is None or code not in table:
        raise unexpected(answer)
    settle(table[code], answer)


def check_status(response: Response, statuses: Mapping[int, Outcome]) -> None:
    """Settle a provider that answers with its HTTP status.

    Pass `accept=statuses` to the request so that the statuses named here reach
    this table; any other status is mapped as ddns.http maps it.
    """
    if response.status not in statuses:
        raise error_for_status(response)
    settle(
        statuses[response.status],
        response.text,
        f"HTTP {response.status}: {summarise(response.text)}",
    )
