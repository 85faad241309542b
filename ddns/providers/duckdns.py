"""Duck DNS: both families in one GET, answered `OK` or `KO`.

Reference: https://www.duckdns.org/spec.jsp
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ddns import errors
from ddns.i18n import _
from ddns.providers.answers import Rules, match_answer
from ddns.providers.base import Provider
from ddns.providers.families import present, request_together

SUFFIX = ".duckdns.org"

# The spec's only two answers. `KO` says neither whether the token or the
# domain is wrong; both mean the token does not authorise an update of that
# domain, which only the user can fix, so it is an authentication failure
# (permanent: no retry until the configuration changes), never a success.
ANSWERS: Rules = (
    (r"^OK\b", None),
    (r"^KO\b", errors.AuthenticationError),
)

# A Duck DNS subdomain: letters, digits and hyphens. Punycode (xn--) labels
# and wildcards are no names Duck DNS hands out.
LABEL = re.compile(r"(?!xn--)[a-z0-9]([a-z0-9-]*[a-z0-9])?")

# Query parameter per family: `ipv6` stops Duck DNS from guessing an address.
PARAMS = {"ipv4": "ip", "ipv6": "ipv6"}


def domain_label(hostname: str) -> str:
    """The subdomain Duck DNS wants: `home` for home.duckdns.org (or plain home)."""
    name = hostname.rstrip(".").lower()
    if name.endswith(SUFFIX):
        name = name[: -len(SUFFIX)]
    # A deeper name (www.home.duckdns.org) lives in the record of `home`.
    return name.rsplit(".", 1)[-1]


class DuckDNS(Provider):
    handle = "duckdns.org"
    name = "Duck DNS"
    website = "https://www.duckdns.org/"
    docs = "https://www.duckdns.org/spec.jsp"
    quirks = (
        "One request carries both addresses; `domains` is the label without "
        ".duckdns.org. `KO` does not say whether the token or the domain is wrong. "
        "Only ASCII names under duckdns.org load, no wildcards."
    )
    protocols = ("ipv4", "ipv6")
    url = "https://www.duckdns.org/update"
    credentials = (("token",),)
    supports_token_auth = True
    single_request = True

    @classmethod
    def hostname_problem(cls, hostname: str) -> str | None:
        # Any other name would send its last label as `domains` (`com` for
        # home.example.com), which Duck DNS answers with `KO`.
        name = hostname.rstrip(".").lower()
        labels = name[: -len(SUFFIX)].split(".") if name.endswith(SUFFIX) else []
        if labels and all(LABEL.fullmatch(label) for label in labels):
            return None
        return _(
            "{provider} updates only names of the form <label>.duckdns.org "
            "(letters, digits and hyphens; no wildcard, no international "
            "characters), not {name!r}"
        ).format(provider=cls.handle, name=hostname)

    def send(self, addresses: Mapping[str, str | None]) -> None:
        wanted = present(self, addresses)
        if not wanted:
            # Duck DNS can only clear both records at once (clear=true).
            return
        params = {
            "domains": domain_label(self.hostname),
            "token": self.require("token"),
        }
        response = request_together(self, wanted, PARAMS, params)
        match_answer(response.text, ANSWERS)
