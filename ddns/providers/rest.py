"""Helpers for the providers that edit records through a JSON REST API.

Such APIs know zones and records, not dynamic hostnames: the client finds the
zone a hostname belongs to, then the record of the family's type in it, and
updates, creates or deletes that record. These functions hold what the
Cloudflare, DigitalOcean, Gandi, Hetzner and Porkbun providers share.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from ddns import errors
from ddns.http import Client, Response, error_for_status, summarise
from ddns.i18n import _
from ddns.providers.base import Provider

T = TypeVar("T")

# Statuses whose JSON error bodies these providers read themselves. 429 and
# 5xx stay with the HTTP client, which honours Retry-After and maps them to
# temporary failures.
ERROR_BODIES = tuple(status for status in range(200, 500) if status != 429)

# TTL of the records this client creates, unless the host's `ttl` says otherwise.
DEFAULT_TTL = 300


def zone_candidates(hostname: str) -> list[str]:
    """The names that may be the zone of `hostname`, longest first.

    The hostname itself comes first (it may be a delegated zone of its own);
    the last candidate has two labels, since nobody hosts a top-level domain.
    Longest first, so that a delegated subzone wins over its parent when an
    account holds both.
    """
    labels = hostname.rstrip(".").split(".")
    return [".".join(labels[i:]) for i in range(max(len(labels) - 1, 1))]


def best_zone(hostname: str, zones: Iterable[str]) -> str | None:
    """The longest of `zones` that `hostname` lies in, or None."""
    name = hostname.rstrip(".").lower()
    matching = [
        zone.rstrip(".")
        for zone in zones
        if name == zone.rstrip(".").lower()
        or name.endswith("." + zone.rstrip(".").lower())
    ]
    return max(matching, key=len, default=None)


def find_zone(provider: Provider, lookup: Callable[[str], T | None]) -> T:
    """The first answer of `lookup` over the zone candidates of the host.

    The host's `zone` setting, when given, is the only candidate: it saves
    the search and settles which zone is meant.
    """
    pinned = provider.setting("zone").strip().rstrip(".")
    for candidate in [pinned] if pinned else zone_candidates(provider.hostname):
        found = lookup(candidate)
        if found is not None:
            return found
    raise missing_zone(provider)


def missing_zone(provider: Provider) -> errors.NotFoundError:
    return errors.NotFoundError(
        _(
            "no zone at {provider} holds {hostname}, or the credentials cannot see it"
        ).format(provider=provider.name, hostname=provider.hostname),
        hostname=provider.hostname,
    )


def relative_name(hostname: str, zone: str, apex: str = "@") -> str:
    """The record name of `hostname` inside `zone`; `apex` for the zone itself."""
    name, zone = hostname.rstrip("."), zone.rstrip(".")
    if name.lower() == zone.lower():
        return apex
    return name[: -len(zone) - 1]


def call_json(
    http: Client,
    method: str,
    url: str,
    failure: Callable[[Response, dict[str, Any]], errors.DDNSError | None],
    **kwargs: Any,
) -> dict[str, Any]:
    """One API request answered by a JSON object; `failure` names its error, if any.

    Error statuses below 500 (except 429) come back here so that `failure`
    can read the API's own error codes; the HTTP client maps the rest. A
    deletion may answer with an empty body.
    """
    response = http.request(method, url, accept=ERROR_BODIES, **kwargs)
    if method == "DELETE" and response.status < 300 and not response.text.strip():
        return {}
    body = decode(response)
    if not isinstance(body, dict):
        raise unexpected(response)
    error = failure(response, body)
    if error is not None:
        raise error
    return body


def decode(response: Response) -> Any:
    """The JSON body of an answer.

    An answer that is not JSON (an HTML error page, an empty body) is an
    error by its status when the status is one, else an unexpected answer.
    """
    try:
        return response.json()
    except errors.UnexpectedAnswerError:
        raise unexpected(response) from None


def unexpected(response: Response) -> errors.DDNSError:
    """The error for an answer whose shape this client does not know."""
    if response.status >= 400:
        return error_for_status(response)
    return errors.UnexpectedAnswerError(
        f"HTTP {response.status}: {summarise(response.text)}", answer=response.text
    )


def error_class(
    response: Response,
    table: Mapping[Any, type[errors.DDNSError]],
    codes: Iterable[Any] = (),
) -> type[errors.DDNSError]:
    """The error an API answer stands for: its first code in `table`, else its status.

    An answer that reports failure with a success status is a refused request.
    """
    for code in codes:
        if code in table:
            return table[code]
    if response.status >= 400:
        return type(error_for_status(response))
    return errors.RequestError


def status_failure(
    response: Response, body: Mapping[str, Any]
) -> errors.DDNSError | None:
    """The error of an API that tells failure by its status, with a message in
    `{"message"}` or `{"error": {"message"}}`; None for success."""
    if response.status < 400:
        return None
    error = body.get("error")
    message = error.get("message") if isinstance(error, dict) else body.get("message")
    cls = error_class(response, {})
    return cls(
        summarise(f"HTTP {response.status}: {message or response.text}"),
        answer=response.text,
    )


def ttl_setting(provider: Provider, default: int = DEFAULT_TTL) -> int:
    """The host's `ttl` setting in seconds, or `default`."""
    value = provider.setting("ttl").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise errors.ProviderConfigurationError(
            _("ttl must be a whole number of seconds, not {value!r}").format(
                value=value
            ),
            hostname=provider.hostname,
        )
    return int(value)
