"""Keeps secrets and control characters out of every log line and stored message.

Configuration loading registers each credential value; `redact` replaces them
(and their percent-encoded and base64 forms) in any text, and `RedactingFilter`
applies it to every log record before a handler formats it. `visible` writes
the control characters of text from the network (a provider's answer, a
server's error) as escapes, so that they cannot recolour a terminal, forge a
syslog line or reorder what the status page shows.
"""

from __future__ import annotations

import logging
import re
import threading
from urllib.parse import quote, quote_plus

MASK = "********"

# Query parameters whose values are secret whatever their content.
SECRET_PARAMS = frozenset(
    {
        "password",
        "pass",
        "pwd",
        "pw",
        "token",
        "key",
        "secret",
        "apikey",
        "api_key",
        "domainpassword",
        "secretapikey",
    }
)

_lock = threading.Lock()
_secrets: set[str] = set()
# The secrets longest first, so that one containing another is masked whole;
# sorted when first needed (a run that logs nothing never sorts).
_ordered: tuple[str, ...] | None = ()
_QUERY_SECRET = re.compile(
    r"(?i)([?&](?:" + "|".join(sorted(SECRET_PARAMS)) + r")=)[^&#\s]*"
)


# C0, DEL and C1 controls, the Unicode line and paragraph separators and the
# bidirectional formatting characters (Unicode's Bidi_Control property).
_CONTROLS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with each control character written as an escape: ESC as `\\x1b`."""
    return _CONTROLS.sub(_escape, text)


def register(secret: str | None) -> None:
    """Remember `secret` so that it is masked wherever it would be shown."""
    global _ordered
    if not secret or len(secret) < 3:
        return
    forms = {secret, quote(secret, safe=""), quote_plus(secret)}
    with _lock:
        before = len(_secrets)
        _secrets.update(f for f in forms if f)
        if len(_secrets) != before:
            _ordered = None


def register_basic_auth(username: str, password: str) -> None:
    """Mask the Authorization header value built from these credentials."""
    # Imported here, where a request is being built: runs that send nothing
    # do without it.
    import base64

    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    register(token)


def _ordered_secrets() -> tuple[str, ...]:
    global _ordered
    with _lock:
        if _ordered is None:
            _ordered = tuple(sorted(_secrets, key=len, reverse=True))
        return _ordered


def redact(text: str) -> str:
    """`text` with every registered secret and secret query value masked."""
    # A substring test per secret stays fast with hundreds of hosts, where one
    # big regular expression took milliseconds to rebuild after each new
    # secret (and every request registers its Authorization value).
    for secret in _ordered_secrets():
        if secret in text:
            text = text.replace(secret, MASK)
    return _QUERY_SECRET.sub(lambda m: m.group(1) + MASK, text)


def forget_all() -> None:
    """Drop every registered secret (tests and long-running callers)."""
    global _ordered
    with _lock:
        _secrets.clear()
        _ordered = ()


class RedactingFilter(logging.Filter):
    """Masks secrets in a record's message and arguments before formatting."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        # One record, one line: nothing quoted in it can start another.
        record.msg = visible(redact(message))
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(
                logging.Formatter().formatException(record.exc_info)
            )
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
