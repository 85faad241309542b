"""The DynDNS2 protocol and the providers that speak it.

Protocol: GET <url>?hostname=<fqdn>&myip=<address> with basic auth; the first
word of the answer is the outcome. Reference: Dyn's Remote Access API,
https://help.dyn.com/remote-access-api/perform-update and
https://help.dyn.com/return-codes/.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from ddns import errors
from ddns.http import summarise
from ddns.providers.base import Provider

# First word of an answer -> the error it stands for (None: success).
ANSWERS: dict[str, type[errors.DDNSError] | None] = {
    "good": None,
    "nochg": None,
    "badauth": errors.AuthenticationError,
    "nohost": errors.RequestError,
    "notfqdn": errors.RequestError,
    "numhost": errors.RequestError,
    "badsys": errors.RequestError,
    "abuse": errors.AbuseError,
    "badagent": errors.BlockedError,
    "badip": errors.BlockedError,
    "!donator": errors.AccountError,
    "!yours": errors.AuthenticationError,
    "nofqdn": errors.RequestError,
    "911": errors.ServerError,
    "dnserr": errors.ServerError,
    # Hurricane Electric: too many updates in a short time.
    "interval": errors.RateLimitedError,
}


def check_answer(
    text: str, answers: Mapping[str, type[errors.DDNSError] | None] = ANSWERS
) -> None:
    """Raise the error a DynDNS2 answer stands for; return on success.

    The answer may carry trailing whitespace, an address after the code, or one
    line per host; the first line decides. Anything else is an unexpected answer
    that is shown to the user.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise errors.UnexpectedAnswerError("empty answer", answer=text)
    code = lines[0].split()[0]
    if code not in answers:
        code = code.lower()
    if code not in answers:
        raise errors.UnexpectedAnswerError(summarise(text), answer=text)
    error = answers[code]
    if error is not None:
        raise error(summarise(text), answer=text)


class DynDNS2Provider(Provider):
    """Base of every provider that speaks DynDNS2 or a small variant of it."""

    hostname_param: ClassVar[str] = "hostname"
    address_param: ClassVar[str] = "myip"
    # When set, one request carries the IPv6 address in this parameter too.
    ipv6_param: ClassVar[str | None] = None
    extra_params: ClassVar[Mapping[str, str]] = {}
    # Hurricane Electric and nsupdate.info authenticate as the hostname itself.
    username_is_hostname: ClassVar[bool] = False
    answers: ClassVar[Mapping[str, type[errors.DDNSError] | None]] = ANSWERS

    def __init_subclass__(cls, **kwargs: object) -> None:
        if cls.__dict__.get("ipv6_param") and "single_request" not in cls.__dict__:
            cls.single_request = True
        super().__init_subclass__(**kwargs)

    def auth(self) -> tuple[str, str]:
        username = (
            self.hostname if self.username_is_hostname else self.require("username")
        )
        return username, self.require("password")

    def params(self, addresses: Mapping[str, str | None]) -> dict[str, str]:
        params = {self.hostname_param: self.hostname, **self.extra_params}
        if self.ipv6_param:
            if addresses.get("ipv4"):
                params[self.address_param] = addresses["ipv4"] or ""
            if addresses.get("ipv6"):
                params[self.ipv6_param] = addresses["ipv6"] or ""
        else:
            (address,) = addresses.values()
            if address:
                params[self.address_param] = address
        return params

    def send(self, addresses: Mapping[str, str | None]) -> None:
        family = next(iter(addresses)) if len(addresses) == 1 else None
        response = self.http.get(
            self.endpoint,
            params=self.params(addresses),
            auth=self.auth(),
            family=self.connection_family(family) if family else None,
        )
        check_answer(response.text, self.answers)


class DynDNS2(DynDNS2Provider):
    handle = "dyndns2"
    name = "DynDNS2 protocol (any server)"
    website = "https://help.dyn.com/remote-access-api/"
    docs = "https://help.dyn.com/remote-access-api/perform-update"
    quirks = "Needs `url`: the update URL of a self-hosted or unlisted DynDNS2 server."
    protocols = ("ipv4", "ipv6")
    requires_url = True
