"""Regfish: both families in one request, answered `status|code|text`.

Reference: https://www.regfish.de/domains/dyndns/dokumentation (German).
A success reads `success|100|update succeeded!`; the code decides.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ddns import errors
from ddns.providers.answers import Outcome, lookup
from ddns.providers.base import Provider
from ddns.providers.families import present, request_together

ANSWER = re.compile(r"^\s*\w+\|(\d{3})\|")

CODES: dict[str, Outcome] = {
    "100": None,  # updated
    "101": None,  # already up to date
    "401": errors.AuthenticationError,
    "402": errors.RateLimitedError,  # updates too frequent
    "408": errors.RequestError,  # invalid IPv4 address
    "409": errors.RequestError,  # invalid IPv6 address
    "412": errors.RequestError,  # invalid FQDN
    "414": errors.ServerError,
}

PARAMS = {"ipv4": "ipv4", "ipv6": "ipv6"}


class Regfish(Provider):
    handle = "regfish.com"
    name = "Regfish GmbH"
    website = "https://www.regfish.de/"
    docs = "https://www.regfish.de/domains/dyndns/dokumentation"
    quirks = (
        "One request carries both addresses. Authenticates with the DynDNS token "
        "or, without one, with basic auth."
    )
    protocols = ("ipv4", "ipv6")
    url = "https://dyndns.regfish.de/"
    credentials = (("token",), ("username", "password"))
    supports_token_auth = True
    single_request = True

    def send(self, addresses: Mapping[str, str | None]) -> None:
        wanted = present(self, addresses)
        if not wanted:
            return
        params = {"fqdn": self.hostname}
        token = self.setting("token")
        auth = None
        if token:
            params["token"] = token
        else:
            auth = (self.require("username"), self.require("password"))
        response = request_together(self, wanted, PARAMS, params, auth=auth)
        match = ANSWER.match(response.text)
        lookup(match.group(1) if match else None, CODES, response.text)
