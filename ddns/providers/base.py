"""What every provider declares, and the registry of handles.

A provider is a plain class: its handle (the name users write after
`provider =`), the service's name and website, its API documentation, the
address families it serves, the credentials it needs and its hold-offs. Most
providers are only that data plus a protocol base class; a provider with its
own protocol implements `send`. Classes with a `handle` register themselves;
a second class with the same handle is an error at import.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar

from ddns import errors, redact
from ddns.i18n import _

if TYPE_CHECKING:
    from ddns.http import Client

FAMILIES = ("ipv4", "ipv6")
RECORD_TYPES = {"ipv4": "A", "ipv6": "AAAA"}
# The largest TTL DNS holds (RFC 2181, section 8); providers may allow less.
MAX_TTL = 2**31 - 1

# Keys every host section may carry whatever its provider.
COMMON_KEYS = frozenset({"provider", "protocols", "url", "enabled"})

_registry: dict[str, type[Provider]] = {}


class Provider(abc.ABC):
    """A dynamic DNS service (or protocol) that records can be updated at."""

    handle: ClassVar[str] = ""
    name: ClassVar[str] = ""
    website: ClassVar[str] = ""
    # Where the provider documents its update API; "" only when it publishes none.
    docs: ClassVar[str] = ""
    # What is odd about the API, in a sentence or two; shown by list-providers.
    quirks: ClassVar[str] = ""
    protocols: ClassVar[tuple[str, ...]] = ("ipv4",)
    # The update endpoint; a host's `url` setting replaces it.
    url: ClassVar[str] = ""
    requires_url: ClassVar[bool] = False
    # Alternative sets of settings; one set must be complete.
    credentials: ClassVar[tuple[tuple[str, ...], ...]] = (("username", "password"),)
    optional: ClassVar[tuple[str, ...]] = ()
    # Settings whose values are secrets (masked everywhere).
    secrets: ClassVar[frozenset[str]] = frozenset(
        {"password", "token", "secret", "key"}
    )
    # Days after which an unchanged address is sent again, to keep the account
    # alive; None: never, for providers whose records do not expire.
    holdoff_days: ClassVar[float | None] = 30
    # First wait after a temporary failure, doubled on each failure that follows.
    failure_holdoff_minutes: ClassVar[float] = 15
    # False: a failure the provider answered (an answer not understood, a
    # server error or a rate limit included) stops the host like a permanent
    # one, for providers that block clients repeating failed updates. Failures
    # with no answer at all (network, timeout) are still retried.
    retries_answered_failures: ClassVar[bool] = True
    can_remove_records: ClassVar[bool] = False
    # Listed by `list-token-providers`, which IPFire's page reads to show one
    # Token field instead of username and password: the original's list.
    supports_token_auth: ClassVar[bool] = False
    # One request carries every family (the provider would otherwise rate-limit).
    single_request: ClassVar[bool] = False
    # The provider takes the address from the connection, not from a parameter.
    address_from_connection: ClassVar[bool] = False
    # False for services that no longer exist; the handle stays so configs load.
    alive: ClassVar[bool] = True
    # The smallest `ttl` setting the provider takes, for those with one.
    min_ttl: ClassVar[int] = 1

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.__dict__.get("handle"):
            return
        if cls.handle in _registry:
            other = _registry[cls.handle]
            raise TypeError(
                f"provider handle {cls.handle!r} is declared twice: "
                f"{other.__module__}.{other.__name__} and {cls.__module__}.{cls.__name__}"
            )
        for family in cls.protocols:
            if family not in FAMILIES:
                raise TypeError(f"{cls.handle}: unknown family {family!r}")
        _registry[cls.handle] = cls

    def __init__(
        self, hostname: str, settings: Mapping[str, str], http: Client
    ) -> None:
        self.hostname = hostname
        self.settings = dict(settings)
        self.http = http
        # Masked from here on wherever they could be shown: ddns.http masks
        # basic auth and secret query parameters by itself, but not a token
        # in a URL path, a header or a JSON body, nor what urllib3 logs.
        for key in secret_keys(type(self)):
            redact.register(self.settings.get(key))

    @classmethod
    def validate(
        cls, settings: Mapping[str, str], hostname: str = ""
    ) -> list[tuple[str, str]]:
        """What is wrong with a host's settings, told when the file is read.

        (key, message) pairs, each message reading well after "key: ";
        only what can be told without the network. Empty when all is well.
        Called by ddns.config for every host section and by the IPFire page
        before it saves a host, so that a setting the update would refuse
        is refused before anything is sent. This checks `ttl` and `zone`
        for the providers that take them; a provider with more rules
        extends it.
        """
        from ddns.providers.hostnames import zone_problem

        problems = []
        keys = known_keys(cls)
        ttl = (settings.get("ttl") or "").strip()
        if "ttl" in keys and ttl:
            problem = ttl_problem(ttl, cls.min_ttl)
            if problem:
                problems.append(("ttl", problem))
        zone = settings.get("zone") or ""
        if "zone" in keys and hostname and zone:
            problem = zone_problem(hostname, zone)
            if problem:
                problems.append(("zone", problem))
        return problems

    @classmethod
    def hostname_problem(cls, hostname: str) -> str | None:
        """What keeps this provider from updating `hostname` (its ASCII form).

        A message naming the provider's rule, told when the file is read;
        None when the provider can update the name.
        """
        return None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.handle} {self.hostname}>"

    @property
    def endpoint(self) -> str:
        """The update URL: the host's `url` setting, or the provider's default."""
        return self.settings.get("url") or self.url

    def setting(self, key: str, default: str = "") -> str:
        value = self.settings.get(key)
        return default if value is None else value

    def require(self, key: str) -> str:
        """A setting the update cannot do without."""
        value = self.settings.get(key)
        if not value:
            raise errors.ProviderConfigurationError(
                f"{key} is required by {self.handle}", hostname=self.hostname
            )
        return value

    def connection_family(self, family: str) -> str | None:
        """The family to force the connection to for an update of `family`.

        IPv4 updates always go over IPv4, so that no provider can take an IPv6
        address from the connection; IPv6 updates are forced only where the
        provider reads the address from the connection (not every update
        service has an IPv6 address).
        """
        if family == "ipv4" or self.address_from_connection:
            return family
        return None

    @abc.abstractmethod
    def send(self, addresses: Mapping[str, str | None]) -> None:
        """Publish `addresses` (family -> address; None removes the record).

        Called once per family, or once with every family of the host when
        `single_request` is set. Raises a DDNSError when the provider refuses.
        """


def registry() -> dict[str, type[Provider]]:
    """Every registered provider by handle (modules imported by ddns.providers)."""
    return _registry


def token_handles() -> list[str]:
    return sorted(h for h, cls in _registry.items() if cls.supports_token_auth)


def known_keys(cls: type[Provider]) -> frozenset[str]:
    """Every setting a host section of this provider may carry."""
    keys = set(COMMON_KEYS) | set(cls.optional)
    for group in cls.credentials:
        keys.update(group)
    return frozenset(keys)


def secret_keys(cls: type[Provider]) -> frozenset[str]:
    """The settings of this provider whose values must never be shown."""
    return cls.secrets & known_keys(cls) | frozenset({"password", "token", "secret"})


def ttl_problem(value: str, minimum: int = 1) -> str | None:
    """Why `value` is no TTL from `minimum` seconds up, or None."""
    if value.isascii() and value.isdigit() and minimum <= int(value) <= MAX_TTL:
        return None
    return _(
        "must be a whole number of seconds from {minimum} to {maximum}, not {value!r}"
    ).format(minimum=minimum, maximum=MAX_TTL, value=value)
