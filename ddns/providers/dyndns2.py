"""The DynDNS2 protocol and the providers that speak it.

Protocol: GET <url>?hostname=<fqdn>&myip=<address> with basic auth; the first
word of the answer is the outcome. Reference: Dyn's Remote Access API,
https://help.dyn.com/remote-access-api/perform-update and
https://help.dyn.com/return-codes/.

Most providers below are only data: where the endpoint is, which families it
serves, and how it departs from the protocol (parameter names, extra
parameters, who the login is).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar

from ddns import errors
from ddns.http import summarise
from ddns.providers.base import Provider
from ddns.providers.families import request_family

log = logging.getLogger(__name__)

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

    # None: the parameter is not sent (the provider knows the host from the login).
    hostname_param: ClassVar[str | None] = "hostname"
    # None: no address is sent; the provider takes it from the connection.
    address_param: ClassVar[str | None] = "myip"
    # When set, one request carries the IPv6 address in this parameter too.
    ipv6_param: ClassVar[str | None] = None
    # One request for both families: the value that tells the provider to keep
    # the record of a family the host does not update. Without it some
    # providers fill that record in from the connection (field failure 17).
    keep_value: ClassVar[str | None] = None
    # The value that deletes a family's record, where the provider documents one.
    remove_value: ClassVar[str | None] = None
    extra_params: ClassVar[Mapping[str, str]] = MappingProxyType({})
    # Hurricane Electric and nsupdate.info authenticate as the hostname itself.
    username_is_hostname: ClassVar[bool] = False
    # SPDYN: a host updated with its token logs in as the hostname.
    username_defaults_to_hostname: ClassVar[bool] = False
    # Settings that may hold the password, first non-empty one wins.
    password_keys: ClassVar[tuple[str, ...]] = ("password",)
    answers: ClassVar[Mapping[str, type[errors.DDNSError] | None]] = ANSWERS

    def __init_subclass__(cls, **kwargs: object) -> None:
        if cls.__dict__.get("ipv6_param") and "single_request" not in cls.__dict__:
            cls.single_request = True
        if "remove_value" in cls.__dict__ and "can_remove_records" not in cls.__dict__:
            cls.can_remove_records = cls.remove_value is not None
        super().__init_subclass__(**kwargs)

    def auth(self) -> tuple[str, str]:
        if self.username_is_hostname:
            username = self.hostname
        elif self.username_defaults_to_hostname:
            username = self.setting("username") or self.hostname
        else:
            username = self.require("username")
        return username, self.password()

    def password(self) -> str:
        for key in self.password_keys:
            value = self.settings.get(key)
            if value:
                return value
        raise errors.ProviderConfigurationError(
            f"{' or '.join(self.password_keys)} is required by {self.handle}",
            hostname=self.hostname,
        )

    def address_params(self, families: list[str]) -> list[tuple[str, str]]:
        """(family, parameter) for each address the request carries."""
        if self.address_param is None:
            return []
        if self.ipv6_param:
            return [("ipv4", self.address_param), ("ipv6", self.ipv6_param)]
        return [(family, self.address_param) for family in families]

    def value(self, family: str, addresses: Mapping[str, str | None]) -> str | None:
        """What to send for `family`; None sends nothing for it."""
        if family not in addresses:
            return self.keep_value
        address = addresses[family]
        if address:
            return address
        return self.remove_value if self.can_remove_records else self.keep_value

    def params(self, addresses: Mapping[str, str | None]) -> dict[str, str]:
        params = {self.hostname_param: self.hostname} if self.hostname_param else {}
        params.update(self.extra_params)
        for family, name in self.address_params(list(addresses)):
            value = self.value(family, addresses)
            if value is not None:
                params[name] = value
        return params

    def send(self, addresses: Mapping[str, str | None]) -> None:
        if not any(addresses.values()) and not self.can_remove_records:
            # A request without an address would make the provider take the
            # connection's address instead of removing anything.
            log.debug(
                "send: %s cannot remove records; nothing sent for %s %s",
                self.handle,
                self.hostname,
                ",".join(addresses),
            )
            return
        response = self.http.get(
            self.endpoint,
            params=self.params(addresses),
            auth=self.auth(),
            family=request_family(self, addresses),
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


# The providers of the original client that speak DynDNS2, by handle.


class AllInkl(DynDNS2Provider):
    handle = "all-inkl.com"
    name = "All-inkl.com"
    website = "https://all-inkl.com/"
    docs = "https://all-inkl.com/"
    quirks = (
        "Sends neither hostname nor address: the login names the host and the "
        "connection gives the address."
    )
    url = "https://dyndns.kasserver.com/nic/update"
    hostname_param = None
    address_param = None
    address_from_connection = True


class DeSEC(DynDNS2Provider):
    handle = "desec.io"
    name = "deSEC"
    website = "https://desec.io/"
    docs = "https://desec.readthedocs.io/en/latest/dyndns/update-api.html"
    quirks = (
        "Both families in one request (deSEC allows about one update a minute); "
        "a family the host does not update is sent as `preserve`, an empty value "
        "deletes its record. The password is a deSEC token. Records never "
        "expire and deSEC objects to updates that change nothing, so an "
        "unchanged address is never sent again."
    )
    protocols = ("ipv4", "ipv6")
    url = "https://update.dedyn.io/"
    address_param = "myipv4"
    ipv6_param = "myipv6"
    keep_value = "preserve"
    remove_value = ""
    # deSEC records do not expire, and deSEC asks clients not to send updates
    # that change nothing: see `docs`.
    holdoff_days = None


class DomainOffensive(DynDNS2Provider):
    handle = "do.de"
    name = "Domain-Offensive"
    website = "https://www.do.de/"
    docs = "https://www.do.de/wiki/FlexDNS_-_Entwickler"
    protocols = ("ipv4", "ipv6")
    url = "https://ddns.do.de/nic/update"


class GoogleDomains(DynDNS2Provider):
    handle = "domains.google.com"
    name = "Google Domains"
    website = "https://domains.google/"
    docs = "https://support.google.com/domains/answer/6147083"
    quirks = (
        "Shut down by Google (its domains moved to Squarespace); kept so that "
        "old configurations load."
    )
    url = "https://domains.google.com/nic/update"
    alive = False


class Domopoli(DynDNS2Provider):
    handle = "domopoli.de"
    name = "domopoli.de"
    website = "https://www.domopoli.de/"
    docs = "https://www.domopoli.de/?page=howto#DynDns_start"
    url = "https://dyndns.domopoli.de/nic/update"


class DyFi(DynDNS2Provider):
    handle = "dy.fi"
    name = "dy.fi"
    website = "https://www.dy.fi/"
    docs = "https://www.dy.fi/page/specification?lang=en"
    quirks = (
        "Records expire after seven days without an update, so the address is "
        "sent again every six."
    )
    url = "https://www.dy.fi/nic/update"
    holdoff_days = 6


class Dyn(DynDNS2Provider):
    handle = "dyndns.org"
    name = "Dyn"
    website = "https://account.dyn.com/"
    docs = "https://help.dyn.com/remote-access-api/perform-update"
    url = "https://members.dyndns.org/nic/update"


class Dynu(DynDNS2Provider):
    handle = "dynu.com"
    name = "Dynu"
    website = "https://www.dynu.com/"
    docs = "https://www.dynu.com/DynamicDNS/IP-Update-Protocol"
    quirks = (
        "Both families in one request; a family the host does not update is sent "
        "as `no`, or Dynu would fill it in from the connection."
    )
    protocols = ("ipv4", "ipv6")
    url = "https://api.dynu.com/nic/update"
    ipv6_param = "myipv6"
    keep_value = "no"


class HurricaneElectric(DynDNS2Provider):
    handle = "he.net"
    name = "Hurricane Electric Free DNS"
    website = "https://dns.he.net/"
    docs = "https://dns.he.net/docs.html"
    quirks = (
        "The login is the hostname and the password its own update key; "
        "`interval` means too many updates."
    )
    protocols = ("ipv4", "ipv6")
    url = "https://dyn.dns.he.net/nic/update"
    credentials = (("password",),)
    # IPFire's page writes a username for every provider; it is not used here.
    optional = ("username",)
    username_is_hostname = True


class Infomaniak(DynDNS2Provider):
    handle = "infomaniak.ch"
    name = "Infomaniak"
    website = "https://www.infomaniak.com/"
    docs = "https://www.infomaniak.com/de/support/faq/2376/dyndns-aktualisieren-eines-dynamischen-dns-uber-die-api"
    url = "https://infomaniak.com/nic/update"


class INWX(DynDNS2Provider):
    handle = "inwx.com"
    name = "INWX"
    website = "https://www.inwx.com/"
    docs = "https://www.inwx.com/en/nameserver2/dyndns"
    quirks = "Also serves the accounts of inwx.de, .at, .ch and .es."
    protocols = ("ipv4", "ipv6")
    url = "https://dyndns.inwx.com/nic/update"


class ItsDNS(DynDNS2Provider):
    handle = "itsdns.de"
    name = "it's DNS"
    website = "https://www.itsdns.de/"
    docs = "https://www.itsdns.de/dynupdatehelp.htm"
    protocols = ("ipv4", "ipv6")
    url = "https://www.itsdns.de/update.php"


class Joker(DynDNS2Provider):
    handle = "joker.com"
    name = "Joker.com Dynamic DNS"
    website = "https://joker.com/"
    docs = "https://joker.com/faq/content/11/427/en/what-is-dynamic-dns-dyndns.html"
    url = "https://svc.joker.com/nic/update"


class Loopia(DynDNS2Provider):
    handle = "loopia.se"
    name = "Loopia AB"
    website = "https://www.loopia.com/"
    docs = "https://support.loopia.com/wiki/About_the_DynDNS_support"
    url = "https://dns.loopia.se/XDynDNSServer/XDynDNS.php"


class MyOnlinePortal(DynDNS2Provider):
    handle = "myonlineportal.net"
    name = "myonlineportal.net"
    website = "https://myonlineportal.net/"
    docs = "https://myonlineportal.net/howto_dyndns"
    quirks = "Takes the address in `ip` instead of `myip`."
    protocols = ("ipv4", "ipv6")
    url = "https://myonlineportal.net/updateddns"
    address_param = "ip"


class NoIP(DynDNS2Provider):
    handle = "no-ip.com"
    name = "No-IP"
    website = "https://www.noip.com/"
    docs = "https://www.noip.com/integrate/request"
    url = "https://dynupdate.noip.com/nic/update"


class NowDNS(DynDNS2Provider):
    handle = "now-dns.com"
    name = "NOW-DNS"
    website = "https://now-dns.com/"
    docs = "https://now-dns.com/?m=api"
    protocols = ("ipv4", "ipv6")
    url = "https://now-dns.com/update"


class NsupdateInfo(DynDNS2Provider):
    handle = "nsupdate.info"
    name = "nsupdate.info"
    website = "https://www.nsupdate.info/"
    docs = "https://nsupdateinfo.readthedocs.io/en/latest/user.html"
    quirks = (
        "The login is the hostname; the password is the host's update secret "
        "(`token` or `secret`). nsupdate.info blocks clients that keep sending "
        "failed updates, so any answer but good or nochg stops the host until "
        "its section changes or --force; only unanswered attempts are retried."
    )
    protocols = ("ipv4", "ipv6")
    url = "https://nsupdate.info/nic/update"
    credentials = (("token",), ("secret",))
    supports_token_auth = True
    username_is_hostname = True
    password_keys = ("token", "secret")
    retries_answered_failures = False


class OpenDNS(DynDNS2Provider):
    handle = "opendns.com"
    name = "OpenDNS"
    website = "https://www.opendns.com/"
    docs = "https://support.opendns.com/hc/en-us/articles/227986527-FAQ-OpenDNS-Developer-Resources"
    quirks = (
        "Updates the address of an OpenDNS network: the hostname is the network's name."
    )
    protocols = ("ipv4", "ipv6")
    url = "https://updates.opendns.com/nic/update"


class OVH(DynDNS2Provider):
    handle = "ovh.com"
    name = "OVH"
    website = "https://www.ovh.com/"
    docs = "https://docs.ovh.com/gb/en/domains/hosting_dynhost/"
    quirks = "Sends system=dyndns, as OVH's DynHost instructions do."
    url = "https://www.ovh.com/nic/update"
    extra_params = MappingProxyType({"system": "dyndns"})


class Schokokeks(DynDNS2Provider):
    handle = "schokokeks.org"
    name = "Schokokeks"
    website = "https://schokokeks.org/"
    docs = "https://wiki.schokokeks.org/DynDNS"
    url = "https://dyndns.schokokeks.org/nic/update"


class Selfhost(DynDNS2Provider):
    handle = "selfhost.de"
    name = "Selfhost.de"
    website = "https://www.selfhost.de/"
    docs = "https://www.selfhost.de/"
    url = "https://carol.selfhost.de/nic/update"


class SPDYN(DynDNS2Provider):
    handle = "spdns.org"
    name = "SPDYN"
    website = "https://www.spdyn.de/"
    docs = "https://wiki.securepoint.de/index.php/SPDNS_FAQ"
    quirks = (
        "Takes a login and password, or a host's update token (the login is "
        "then the hostname)."
    )
    protocols = ("ipv4", "ipv6")
    url = "https://update.spdyn.de/nic/update"
    credentials = (("username", "password"), ("token",))
    supports_token_auth = True
    username_defaults_to_hostname = True
    password_keys = ("password", "token")


class Strato(DynDNS2Provider):
    handle = "strato.com"
    name = "Strato AG"
    website = "https://www.strato.de/"
    docs = "http://www.strato-faq.de/article/671/"
    quirks = (
        "Sends mx=NOCHG and backupmx=NOCHG so that the mail records stay as they are."
    )
    url = "https://dyndns.strato.com/nic/update"
    extra_params = MappingProxyType({"mx": "NOCHG", "backupmx": "NOCHG"})


class TwoDNS(DynDNS2Provider):
    handle = "twodns.de"
    name = "TwoDNS"
    website = "https://www.twodns.de/"
    docs = "https://www.twodns.de/en/api"
    quirks = "Takes the address in `ip` instead of `myip`."
    url = "https://update.twodns.de/update"
    address_param = "ip"


class Udmedia(DynDNS2Provider):
    handle = "udmedia.de"
    name = "Udmedia GmbH"
    website = "https://www.udmedia.de/"
    docs = "http://www.udmedia.de/faq/content/47/288/"
    url = "https://www.udmedia.de/nic/update"


class Variomedia(DynDNS2Provider):
    handle = "variomedia.de"
    name = "Variomedia"
    website = "https://www.variomedia.de/"
    docs = "https://dyndns.variomedia.de/"
    protocols = ("ipv4", "ipv6")
    url = "https://dyndns.variomedia.de/nic/update"


class XLhost(DynDNS2Provider):
    handle = "xlhost.de"
    name = "XLhost"
    website = "https://xlhost.de/"
    docs = "https://xlhost.de/faq/index_html?topicId=CQA2ELIPO4SQ"
    url = "https://nsupdate.xlhost.de/nic/update"
