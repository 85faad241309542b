"""One exception tree for everything that can go wrong in a run.

Each class carries a translatable `reason` (what happened, in words) and a
`kind` (a short stable name stored in the history and shown by `status`).
Temporary errors are retried after a growing back-off; permanent ones stop the
host until its configuration changes or the user forces an update. Only
ddns.http and the DNS modules turn library exceptions into this tree.
"""

from __future__ import annotations

from ddns.i18n import N_, _
from ddns.redact import visible


class DDNSError(Exception):
    """Base of every error of this package."""

    reason = N_("Error")
    kind = "error"
    temporary = False

    def __init__(
        self,
        message: str | None = None,
        *,
        hostname: str | None = None,
        provider: str | None = None,
        family: str | None = None,
        answer: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hostname = hostname
        self.provider = provider
        self.family = family
        self.answer = answer
        self.retry_after = retry_after

    def __str__(self) -> str:
        # A message may quote what a server sent: its control characters are
        # shown as escapes wherever the error is printed, logged or stored.
        reason = _(self.reason)
        if self.message:
            return f"{reason}: {visible(self.message)}"
        return reason


# Configuration and usage: the run cannot start (exit status 2).


class ConfigurationError(DDNSError):
    """The configuration is unusable; the message names file, section and key."""

    reason = N_("Configuration error")
    kind = "config"

    def __init__(
        self,
        message: str | None = None,
        *,
        path: str | None = None,
        section: str | None = None,
        key: str | None = None,
        **fields: object,
    ) -> None:
        super().__init__(message, **fields)  # type: ignore[arg-type]
        self.path = path
        self.section = section
        self.key = key

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                self.path,
                f"[{self.section}]" if self.section else None,
                self.key,
            )
            if part
        )
        text = self.message or _(self.reason)
        return visible(f"{where}: {text}" if where else text)


class HostNotFoundError(DDNSError):
    """`update HOST` names a host that is not in the configuration."""

    reason = N_("Host not found in the configuration")
    kind = "usage"


# Temporary: retried after a growing back-off.


class TemporaryError(DDNSError):
    """A failure that may go away by itself."""

    reason = N_("Temporary failure")
    kind = "temporary"
    temporary = True


class NetworkError(TemporaryError):
    """The provider could not be reached."""

    reason = N_("Network error")
    kind = "network"


class NoRouteError(NetworkError):
    """This machine has no route or address to connect with."""

    # Stored as a network error: only address detection tells it apart, as a
    # sign that the machine has no connectivity of the family at all.
    kind = "network"


class ConnectionRefused(NetworkError):
    reason = N_("Connection refused")
    kind = "refused"


class ConnectionTimeout(NetworkError):
    reason = N_("Connection timed out")
    kind = "timeout"


class ResolveError(NetworkError):
    """A name (the provider's or the record's) could not be resolved."""

    reason = N_("Could not resolve a DNS name")
    kind = "resolve"


class TLSError(NetworkError):
    reason = N_("TLS negotiation failed")
    kind = "tls"


class CertificateError(TemporaryError):
    """The provider's certificate did not verify; nothing was sent in clear."""

    reason = N_("The provider's certificate could not be verified")
    kind = "certificate"


class ServerError(TemporaryError):
    """The provider reported trouble on its side (HTTP 5xx, 911, dnserr)."""

    reason = N_("The provider's server reported an internal error")
    kind = "server"


class ServiceUnavailableError(ServerError):
    reason = N_("The provider's service is unavailable")
    kind = "unavailable"


class RateLimitedError(TemporaryError):
    """Too many requests; `retry_after` holds the provider's wait in seconds."""

    reason = N_("Too many requests; the provider asks to wait")
    kind = "rate_limited"


class UnexpectedAnswerError(TemporaryError):
    """The provider answered something this client does not understand."""

    reason = N_("The provider's answer was not understood")
    kind = "unexpected"


class UpdateFailedError(TemporaryError):
    """The provider said the update failed, without telling a lasting cause."""

    reason = N_("The provider could not perform the update")
    kind = "update_failed"


# Permanent: the host stops until its configuration changes or --force.


class PermanentError(DDNSError):
    """A failure that repeats until the user acts."""

    reason = N_("Update refused")
    kind = "refused_update"


class AuthenticationError(PermanentError):
    reason = N_("Authentication failed; check the credentials")
    kind = "auth"


class AbuseError(PermanentError):
    reason = N_("The provider suspects abuse and blocked the host")
    kind = "abuse"


class BlockedError(PermanentError):
    reason = N_("The provider refuses updates from this client")
    kind = "blocked"


class RequestError(PermanentError):
    """The provider rejected the request (unknown host, not a FQDN, bad value)."""

    reason = N_("The provider rejected the request")
    kind = "request"


class NotFoundError(PermanentError):
    reason = N_("The provider does not know this host or record")
    kind = "not_found"


class AccountError(PermanentError):
    reason = N_("The provider's account does not allow this update")
    kind = "account"


class RedirectError(PermanentError):
    """The provider redirected somewhere this client will not follow."""

    reason = N_("The provider moved its update service")
    kind = "redirect"


class ProviderConfigurationError(PermanentError):
    """The host's settings cannot work with its provider."""

    reason = N_("The host's settings do not fit its provider")
    kind = "config"


def is_temporary_kind(kind: str) -> bool:
    """Whether an error `kind` stored in the history is a temporary one."""
    return kind in _TEMPORARY_KINDS


def is_unanswered_kind(kind: str) -> bool:
    """Whether an error `kind` stands for a failure without any answer.

    The provider was not reached (network, timeout, TLS, certificate) or the
    client failed on its own side; every other failure comes from an answer.
    """
    return kind in _UNANSWERED_KINDS


def _all_subclasses(cls: type[DDNSError]) -> list[type[DDNSError]]:
    found: list[type[DDNSError]] = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_all_subclasses(sub))
    return found


_TEMPORARY_KINDS = frozenset(c.kind for c in _all_subclasses(DDNSError) if c.temporary)


def stored_error(kind: str | None, text: str | None) -> str:
    """An error kept in the history, in the active language.

    The history keeps the text as the run that met the error wrote it, in
    that run's language (cron runs in English, "Update now" in the page's).
    The reason of its kind is translated here; the detail after it (what
    the provider answered, mostly) stays as stored.
    """
    every: list[type[DDNSError]] = [DDNSError, *_all_subclasses(DDNSError)]
    classes = [c for c in every if c.kind == kind]
    if not classes:
        return text or kind or ""
    detail = text or ""
    for cls in classes:
        for reason in (cls.reason, _(cls.reason)):
            if detail == reason:
                detail = ""
            elif detail.startswith(f"{reason}: "):
                detail = detail[len(reason) + 2 :]
    # The last class of a kind is the one runs record (a provider's
    # configuration error, not the file's).
    reason = _(classes[-1].reason)
    return f"{reason}: {detail}" if detail else reason


_UNANSWERED: tuple[type[DDNSError], ...] = (
    TemporaryError,
    CertificateError,
    NetworkError,
    *_all_subclasses(NetworkError),
)
_UNANSWERED_KINDS = frozenset(c.kind for c in _UNANSWERED)
