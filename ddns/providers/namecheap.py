"""eNom and Namecheap: eNom's SetDNSHost interface, answered in XML.

References: https://www.enom.com/api/API%20topics/api_SetDNSHost.htm and
https://www.namecheap.com/support/knowledgebase/article.aspx/29/11/
Namecheap runs the same interface and its `interface-response` document.
`ErrCount` decides: 0 is success. `Done` is true on failures as well, and
Namecheap declares `encoding="utf-16"` for a document sent as UTF-8; the
answer is parsed as the text ddns.http already decoded, where the
declaration has no say.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from ddns import errors
from ddns.http import summarise
from ddns.i18n import _
from ddns.providers.answers import unexpected
from ddns.providers.base import Provider
from ddns.providers.families import only_address, request
from ddns.providers.hostnames import APEX, first_label, split_zone

log = logging.getLogger(__name__)

Failures = Mapping[str, type[errors.DDNSError]]

# ResponseNumber of the first error.
ENOM_NUMBERS: Failures = {
    "304155": errors.AuthenticationError,
    "304153": errors.NotFoundError,  # domain not found
}
NAMECHEAP_NUMBERS: Failures = {
    "304156": errors.AuthenticationError,
    "316153": errors.NotFoundError,  # domain not found
    "316154": errors.RequestError,  # domain not active
    "380098": errors.ServerError,
    "380099": errors.ServerError,
}

# The first error's text, where the response number is not enough.
MESSAGES: Failures = {
    "Passwords do not match": errors.AuthenticationError,
    # Sent for an IPv6 address: the interface takes IPv4 only.
    "Invalid IP": errors.RequestError,
}


def check_interface_response(text: str, numbers: Failures, address: str) -> None:
    """Raise what an interface-response document reports; return on success."""
    # Imported here: every run imports this module, few talk to Namecheap.
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(text.lstrip("\ufeff").strip())
    except ET.ParseError:
        raise unexpected(text) from None
    count = (root.findtext("ErrCount") or "").strip()
    if not count.isdigit():
        raise unexpected(text)
    if int(count) == 0:
        published = (root.findtext("IP") or "").strip()
        if published and published != address:
            raise errors.UnexpectedAnswerError(
                _("The provider published {published} instead of {address}").format(
                    published=published, address=address
                ),
                answer=text,
            )
        return
    number = (root.findtext(".//ResponseNumber") or "").strip()
    reason = (root.findtext("errors/Err1") or "").strip()
    log.debug("answer: errors=%s number=%s reason=%s", count, number, reason)
    failure = (
        numbers.get(number) or MESSAGES.get(reason) or errors.UnexpectedAnswerError
    )
    raise failure(reason or summarise(text), answer=text)


def namecheap_names(hostname: str, zone: str | None) -> tuple[str, str]:
    """(host, domain) for Namecheap.

    Without a `zone` setting the hostname is split at its first dot, as the
    original client did, so that existing configurations keep working (also
    for example.co.uk); a two-label name is the domain itself.
    """
    if zone:
        zone, name = split_zone(hostname, zone)
        return name, zone
    label, rest = first_label(hostname.lower())
    if "." not in rest:
        return APEX, hostname.rstrip(".").lower()
    return label, rest


class Enom(Provider):
    handle = "enom.com"
    name = "eNom Inc."
    website = "https://www.enom.com/"
    docs = "https://www.enom.com/api/API%20topics/api_SetDNSHost.htm"
    quirks = "Authenticates with the domain password only; IPv4 only."
    url = "https://dynamic.name-services.com/interface.asp"
    credentials = (("password",),)

    def send(self, addresses: Mapping[str, str | None]) -> None:
        family, address = only_address(addresses)
        params = {
            "command": "setdnshost",
            "responsetype": "xml",
            "zone": self.hostname,
            "address": address,
            "domainpassword": self.require("password"),
        }
        response = request(self, family, params=params)
        check_interface_response(response.text, ENOM_NUMBERS, address)


class Namecheap(Provider):
    handle = "namecheap.com"
    name = "Namecheap"
    website = "https://www.namecheap.com/"
    docs = "https://www.namecheap.com/support/knowledgebase/article.aspx/29/11/"
    quirks = (
        "Authenticates with the domain's Dynamic DNS password; IPv4 only. The "
        "hostname is split at its first dot into host and domain unless a `zone` "
        "setting names the domain."
    )
    url = "https://dynamicdns.park-your-domain.com/update"
    credentials = (("password",),)
    optional = ("zone",)

    def send(self, addresses: Mapping[str, str | None]) -> None:
        family, address = only_address(addresses)
        host, domain = namecheap_names(self.hostname, self.setting("zone"))
        params = {
            "host": host,
            "domain": domain,
            "password": self.require("password"),
            "ip": address,
        }
        response = request(self, family, params=params)
        check_interface_response(response.text, NAMECHEAP_NUMBERS, address)
