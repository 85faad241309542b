"""Providers updated by one GET of an URL that carries a token and both addresses.

dynv6, IPv64 and Njalla each take the host, a secret and the IPv4 and IPv6
addresses as query parameters of a single request, so both families of a
host go out together (and count once against the provider's rate limits).
A family that is left out keeps its record; none of these APIs documents
deleting both kinds of record, so they never remove one.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from typing import Any, ClassVar

from ddns import errors
from ddns.http import Response, error_for_status, summarise
from ddns.providers.base import Provider
from ddns.providers.dyndns2 import ANSWERS, check_answer
from ddns.providers.families import present, request_together
from ddns.providers.rest import decode, unexpected


class TokenURLProvider(Provider):
    """The protocol: host, token and addresses as query parameters of one GET."""

    protocols = ("ipv4", "ipv6")
    credentials = (("token",),)
    single_request = True
    # Query parameters of the host, the token and each family's address.
    host_param: ClassVar[str] = ""
    token_param: ClassVar[str] = ""
    address_params: ClassVar[Mapping[str, str]] = {}
    # Statuses whose answers are read rather than mapped by the HTTP client.
    answered: ClassVar[tuple[int, ...]] = (200,)

    def send(self, addresses: Mapping[str, str | None]) -> None:
        wanted = present(self, addresses)
        if not wanted:
            return
        params = {
            self.host_param: self.hostname,
            self.token_param: self.require("token"),
        }
        response = request_together(
            self, wanted, self.address_params, params, accept=self.answered
        )
        self.check(response)

    @abc.abstractmethod
    def check(self, response: Response) -> None:
        """Raise the error the answer stands for; return on success."""


class Dynv6(TokenURLProvider):
    """GET https://dynv6.com/api/update?zone=&token=&ipv4=&ipv6=; the answer
    is `addresses updated` or `addresses unchanged`, failures come with an
    error status (401 bad token, 404 unknown zone).
    """

    handle = "dynv6"
    name = "dynv6"
    website = "https://dynv6.com/"
    docs = "https://dynv6.com/docs/apis"
    quirks = (
        "The host must be a dynv6 zone: the update API sets the zone's own A and "
        "AAAA records, not records inside it. Both families go in one request."
    )
    url = "https://dynv6.com/api/update"
    host_param = "zone"
    token_param = "token"
    address_params: ClassVar[Mapping[str, str]] = {"ipv4": "ipv4", "ipv6": "ipv6"}

    def check(self, response: Response) -> None:
        if response.text.strip().lower() not in (
            "addresses updated",
            "addresses unchanged",
        ):
            raise unexpected(response)


class IPv64(TokenURLProvider):
    """GET https://ipv64.net/nic/update?key=&domain=&ip=&ip6=; DynDNS2 return
    codes, and `overcommited` (seen with status 403) when the account's
    update limit is used up.
    """

    handle = "ipv64"
    name = "IPv64"
    website = "https://ipv64.net/"
    docs = "https://ipv64.net/dyndns_updater_api"
    quirks = (
        "Takes the domain update token. Both families go in one request; the "
        "account allows a limited number of updates a day (48 by default)."
    )
    url = "https://ipv64.net/nic/update"
    host_param = "domain"
    token_param = "key"
    address_params: ClassVar[Mapping[str, str]] = {"ipv4": "ip", "ipv6": "ip6"}
    answered = (200, 400, 401, 403, 404)
    answers: ClassVar[Mapping[str, type[errors.DDNSError] | None]] = {
        **ANSWERS,
        "overcommited": errors.RateLimitedError,
    }

    def check(self, response: Response) -> None:
        try:
            check_answer(response.text, self.answers)
        except errors.UnexpectedAnswerError:
            raise unexpected(response) from None
        if response.status >= 400:
            raise error_for_status(response)


# Njalla's `status` in the answer body -> the error it stands for (200: success).
NJALLA_STATUSES: dict[int, type[errors.DDNSError]] = {
    400: errors.RequestError,
    401: errors.AuthenticationError,
    403: errors.AuthenticationError,
    404: errors.NotFoundError,
    429: errors.RateLimitedError,
}
# Messages that say more than their status: "invalid data" comes with 500.
NJALLA_MESSAGES: dict[str, type[errors.DDNSError]] = {
    "invalid data": errors.RequestError,
}


class Njalla(TokenURLProvider):
    """GET https://njal.la/update/?h=<host>&k=<key>&a=<ipv4>&aaaa=<ipv6>; the
    answer is JSON: `{"status": 200, "message": "record updated", "value":
    {"A": ...}}` on success, `{"status": 500, "message": "invalid data"}` for
    an address it refuses.
    """

    handle = "njalla"
    name = "Njalla"
    website = "https://njal.la/"
    docs = "https://njal.la/docs/ddns/"
    quirks = (
        "The host must be a dynamic record created in Njalla's web interface; "
        "`token` is that record's key. Both families go in one request."
    )
    url = "https://njal.la/update/"
    host_param = "h"
    token_param = "k"
    address_params: ClassVar[Mapping[str, str]] = {"ipv4": "a", "ipv6": "aaaa"}
    answered = (200, 400, 401, 403, 404, 500)

    def check(self, response: Response) -> None:
        body: Any = decode(response)
        if not isinstance(body, dict) or not isinstance(body.get("status"), int):
            raise unexpected(response)
        status, message = body["status"], str(body.get("message") or "")
        if status == 200:
            return
        cls = (
            NJALLA_MESSAGES.get(message.strip().lower())
            or NJALLA_STATUSES.get(status)
            or (errors.ServerError if status >= 500 else errors.RequestError)
        )
        raise cls(summarise(f"{status}: {message}"), answer=response.text)
