"""freedns.afraid.org: the version 2 sync URL, one per family.

No public specification exists; the answers below are the service's own
wording as users and other clients report it. The address is taken from the
connection, so each family's request is sent over that family (IPv6 to the
v6 host of the sync service).
"""

from __future__ import annotations

from collections.abc import Mapping

from ddns import errors
from ddns.providers.answers import Rules, match_answer
from ddns.providers.base import Provider
from ddns.providers.families import only_address, request

ANSWERS: Rules = (
    (r"^Updated\b", None),
    (r"^No IP change detected\b", None),
    # The old interface's "unchanged" answer starts with ERROR but is a
    # success, so it comes before the errors.
    (r"^ERROR: Address \S+ has not changed\.", None),
    (r"^ERROR: Could not authenticate\b", errors.AuthenticationError),
    (r"^ERROR: Unable to locate this record\b", errors.AuthenticationError),
    # The token or the URL is wrong; only the user can fix either.
    (r"^ERROR: Invalid update URL\b", errors.RequestError),
    (r"^Couldn't find any matching DNS records\b", errors.RequestError),
    (r"is an invalid IP address", errors.RequestError),
)


class FreeDNS(Provider):
    handle = "freedns.afraid.org"
    name = "freedns.afraid.org"
    website = "https://freedns.afraid.org/"
    docs = "https://freedns.afraid.org/"
    quirks = (
        "The token is part of the URL path; the address is read from the "
        "connection, so IPv6 goes to the v6 sync host."
    )
    protocols = ("ipv4", "ipv6")
    url = "https://sync.afraid.org/u/"
    url_ipv6 = "https://v6.sync.afraid.org/u/"
    credentials = (("token",),)
    supports_token_auth = True
    address_from_connection = True

    def sync_url(self, family: str) -> str:
        """The update URL of `family`: the token is its last path segment."""
        base = self.endpoint
        if family == "ipv6" and not self.settings.get("url"):
            base = self.url_ipv6
        return f"{base.rstrip('/')}/{self.require('token')}/"

    def send(self, addresses: Mapping[str, str | None]) -> None:
        family, _address = only_address(addresses)
        response = request(self, family, url=self.sync_url(family))
        match_answer(response.text, ANSWERS)
