"""The providers that edit records in a zone through a JSON REST API.

Such APIs know zones and records, not dynamic hostnames: the client finds the
zone a hostname belongs to, then the record of the family's type in it, and
updates, creates or deletes that record. `RecordAPIProvider` holds what the
Cloudflare, DigitalOcean, Gandi, Hetzner and Porkbun providers share; the
functions serve them and the other providers that read JSON answers.
"""

from __future__ import annotations

import abc
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from ddns import errors
from ddns.http import Response, error_for_status, summarise
from ddns.i18n import _
from ddns.providers.base import Provider, ttl_problem
from ddns.providers.hostnames import pinned_zone, zone_candidates

if TYPE_CHECKING:
    from ddns.http import Client

log = logging.getLogger(__name__)

T = TypeVar("T")
Zone = TypeVar("Zone")

# Statuses whose JSON bodies these providers read themselves: success and
# client errors. Redirects, 429 and 5xx stay with the HTTP client, which
# follows safe redirects, honours Retry-After and maps server trouble to
# temporary failures.
ERROR_BODIES = (*range(200, 300), *(s for s in range(400, 500) if s != 429))

# TTL of the records this client creates, unless the host's `ttl` says otherwise.
DEFAULT_TTL = 300


def find_zone(provider: Provider, lookup: Callable[[str], T | None]) -> T:
    """The first answer of `lookup` over the zone candidates of the host.

    The host's `zone` setting, when given, is the only candidate: it saves
    the search and settles which zone is meant.
    """
    pinned = pinned_zone(provider.hostname, provider.setting("zone"))
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


def matching(records: Any, record_type: str, name: str) -> list[dict[str, Any]]:
    """The records of a listing that have an id, `record_type` and `name`.

    Checked here even where the API filters by name and type, so that a
    filter the API ignores can never lead to changing another record.
    """
    if not isinstance(records, list):
        raise errors.UnexpectedAnswerError(_("the answer holds no list of records"))
    wanted = name.rstrip(".").lower()
    return [
        r
        for r in records
        if isinstance(r, dict)
        and "id" in r
        and r.get("type") == record_type
        and str(r.get("name", "")).rstrip(".").lower() == wanted
    ]


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


def ttl_setting(provider: Provider, default: int = DEFAULT_TTL) -> int:
    """The host's `ttl` setting in seconds, or `default`."""
    value = provider.setting("ttl").strip()
    if not value:
        return default
    problem = ttl_problem(value, provider.min_ttl)
    if problem:
        raise errors.ProviderConfigurationError(
            f"ttl: {problem}", hostname=provider.hostname
        )
    return int(value)


class RecordAPIProvider(Provider, Generic[Zone]):
    """The shape every record-editing REST provider shares.

    Both families, a token sent as Bearer, the `zone` and `ttl` settings,
    records removed when their family disappears; the zone (its name or id,
    whatever `lookup_zone` returns) found once per provider object, so both
    families of a host cost one lookup. `call` sends one request and reads
    the answer's JSON object, asking `failure` whether it reports an error.
    """

    protocols: ClassVar[tuple[str, ...]] = ("ipv4", "ipv6")
    credentials: ClassVar[tuple[tuple[str, ...], ...]] = (("token",),)
    optional: ClassVar[tuple[str, ...]] = ("zone", "ttl")
    can_remove_records = True

    def __init__(
        self, hostname: str, settings: Mapping[str, str], http: Client
    ) -> None:
        super().__init__(hostname, settings, http)
        self._zone: Zone | None = None

    def zone(self) -> Zone:
        if self._zone is None:
            self._zone = find_zone(self, self.lookup_zone)
            log.debug("%s: zone of %s is %s", self.handle, self.hostname, self._zone)
        return self._zone

    @abc.abstractmethod
    def lookup_zone(self, name: str) -> Zone | None:
        """The zone called `name`, or None when the account has none by that name."""

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.require('token')}"}

    def failure(
        self, response: Response, body: Mapping[str, Any]
    ) -> errors.DDNSError | None:
        """The error an answer reports, or None for success.

        By default the status tells failure, and the body's `{"message"}` or
        `{"error": {"message"}}` says why.
        """
        if response.status < 400:
            return None
        error = body.get("error")
        message = (error if isinstance(error, dict) else body).get("message")
        cls = error_class(response, {})
        return cls(
            summarise(f"HTTP {response.status}: {message or response.text}"),
            answer=response.text,
        )

    def call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """One API request answered by a JSON object; the error it reports raised.

        Error statuses below 500 (except 429) come back here so that
        `failure` can read the API's own error codes; the HTTP client maps
        the rest. A deletion may answer with an empty body.
        """
        response = self.http.request(
            method,
            self.endpoint.rstrip("/") + path,
            headers=self.headers(),
            accept=ERROR_BODIES,
            **kwargs,
        )
        if method == "DELETE" and response.status < 300 and not response.text.strip():
            return {}
        body = decode(response)
        if not isinstance(body, dict):
            raise unexpected(response)
        error = self.failure(response, body)
        if error is not None:
            raise error
        return body
