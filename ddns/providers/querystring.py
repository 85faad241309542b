"""Small providers with a custom update URL: one request per family.

Each sends a query string (or, for EntryDNS, a form) of its own and declares
what its answers mean in a table: patterns for the body, codes for a header,
or HTTP statuses for the services whose status is the answer.
"""

from __future__ import annotations

from collections.abc import Mapping

from ddns import errors
from ddns.providers.answers import Outcome, Rules, check_status, lookup, match_answer
from ddns.providers.base import Provider
from ddns.providers.families import only_address, request
from ddns.providers.hostnames import first_label

# ChangeIP: the HTTP status is the answer (its update history lists the same
# codes).
CHANGEIP_STATUSES: dict[int, Outcome] = {
    200: None,
    401: errors.AuthenticationError,
    402: errors.AccountError,  # Premium DNS required for this domain
    422: errors.NotFoundError,  # the hostname is not in the account
}


class ChangeIP(Provider):
    handle = "changeip.com"
    name = "ChangeIP.com"
    website = "https://www.changeip.com/"
    docs = "https://www.changeip.com/accounts/knowledgebase.php?action=displayarticle&id=34"
    quirks = "The HTTP status is the answer: 200 updated, 402 Premium DNS required."
    url = "https://nic.changeip.com/nic/update"

    def send(self, addresses: Mapping[str, str | None]) -> None:
        family, address = only_address(addresses)
        response = request(
            self,
            family,
            params={"hostname": self.hostname, "myip": address},
            basic_auth=True,
            accept=CHANGEIP_STATUSES,
        )
        check_status(response, CHANGEIP_STATUSES)


# DDNSS answers in the DDNSS-Response header; the body is an HTML page.
DDNSS_ANSWERS: dict[str, Outcome] = {
    "good": None,
    "nochg": None,
    "badauth": errors.AuthenticationError,
    "notfqdn": errors.RequestError,
    "nohost": errors.NotFoundError,
    "disabled": errors.AccountError,  # account disabled or locked
    "911": errors.ServerError,
    "dnserr": errors.ServerError,
}


class DDNSS(Provider):
    handle = "ddnss.de"
    name = "DDNSS"
    website = "https://www.ddnss.de/"
    docs = "https://www.ddnss.de/"
    quirks = (
        "The outcome is in the DDNSS-Response header, not the body. Authenticates "
        "with the update key (`token`) or with username and password."
    )
    url = "https://www.ddnss.de/upd.php"
    credentials = (("token",), ("username", "password"))

    def send(self, addresses: Mapping[str, str | None]) -> None:
        family, address = only_address(addresses)
        params = {"host": self.hostname, "ip": address}
        token = self.setting("token")
        if token:
            params["key"] = token
        else:
            params["user"] = self.require("username")
            params["pwd"] = self.require("password")
        response = request(self, family, params=params)
        code = (response.header("DDNSS-Response") or "").strip()
        lookup(code.lower() or None, DDNSS_ANSWERS, code or response.text)


class DHS(Provider):
    handle = "dhs.org"
    name = "DHS International"
    website = "https://dhs.org/"
    docs = "https://dhs.org/"
    quirks = (
        "Undocumented: the parameters follow ez-ipupdate's `hostscmd` and "
        "`hostscmdstage` (the original client's `hostcmd` looks like a typo of "
        "them); HTTP 200 is success. Whether the service still runs could not "
        "be confirmed."
    )
    url = "https://members.dhs.org/nic/hosts"

    def send(self, addresses: Mapping[str, str | None]) -> None:
        family, address = only_address(addresses)
        label, domain = first_label(self.hostname)
        params = {
            "hostname": label,
            "domain": domain,
            "hostscmd": "edit",
            "hostscmdstage": "2",
            "type": "4",
            "updatetype": "Online",
            "ip": address,
        }
        request(self, family, params=params, basic_auth=True)


DNSMADEEASY_ANSWERS: Rules = (
    (r"^success\b", None),
    (r"^error-record-ip-same\b", None),
    # Before error-auth, which they start with.
    (r"^error-auth-suspend\b", errors.AccountError),
    (r"^error-auth-voided\b", errors.AccountError),
    (r"^error-auth\b", errors.AuthenticationError),
    (r"^error-record-invalid\b", errors.NotFoundError),
)


class DNSMadeEasy(Provider):
    handle = "dnsmadeeasy.com"
    name = "DNS Made Easy"
    website = "https://dnsmadeeasy.com/"
    docs = "https://dnsmadeeasy.com/technology/dynamic-dns"
    quirks = (
        "Records are named by their numeric ID: set `id`; without it the "
        "hostname is sent as the ID, as the original client did."
    )
    url = "https://cp.dnsmadeeasy.com/servlet/updateip"
    optional = ("id",)

    def send(self, addresses: Mapping[str, str | None]) -> None:
        family, address = only_address(addresses)
        params = {
            "username": self.require("username"),
            "password": self.require("password"),
            "id": self.setting("id") or self.hostname,
            "ip": address,
        }
        response = request(self, family, params=params)
        match_answer(response.text, DNSMADEEASY_ANSWERS)


# http://www.dnspark.com/support/developers/resultCodes.php
DNSPARK_ANSWERS: Rules = (
    (r"^ok\b", None),
    (r"^nochange\b", None),
    (r"^unauth\b", errors.AuthenticationError),
    (r"^abuse\b", errors.AbuseError),
    (r"^blocked\b", errors.BlockedError),
    (r"^nofqdn\b", errors.RequestError),
    (r"^nohost\b", errors.NotFoundError),
    (r"^notdyn\b", errors.RequestError),  # host not marked as dynamic
    (r"^invalid\b", errors.RequestError),  # invalid address
)


class DNSPark(Provider):
    handle = "dnspark.com"
    name = "DNS Park"
    website = "https://dnspark.com/"
    docs = "http://www.dnspark.com/support/developers/resultCodes.php"
    quirks = "The service has closed (its domain went up for sale around 2019)."
    url = "https://control.dnspark.com/api/dynamic/update.php"
    alive = False

    def send(self, addresses: Mapping[str, str | None]) -> None:
        family, address = only_address(addresses)
        params = {"domain": self.hostname, "ip": address}
        response = request(self, family, params=params, basic_auth=True)
        match_answer(response.text, DNSPARK_ANSWERS)


# http://www.dtdns.com/dtsite/updatespec: whole English sentences.
DTDNS_ANSWERS: Rules = (
    (r"now points to", None),
    (r"^No hostname to update was supplied\.", errors.RequestError),
    (r"^The hostname you supplied is not valid\.", errors.NotFoundError),
    (r"^The password you supplied is not valid\.", errors.AuthenticationError),
    (r"^Administration has disabled this account\.", errors.AccountError),
    (r"^Illegal character in IP\.", errors.RequestError),
    # Locked out after failed attempts: more attempts only prolong it.
    (r"^Too many failed requests\.", errors.BlockedError),
)


class DtDNS(Provider):
    handle = "dtdns.com"
    name = "DtDNS"
    website = "https://www.dtdns.com/"
    docs = "http://www.dtdns.com/dtsite/updatespec"
    quirks = (
        "The service closed in 2017. Only the account password is sent; old "
        "sample configurations misspell the handle as dtdns.org."
    )
    url = "https://www.dtdns.com/api/autodns.cfm"
    credentials = (("password",),)
    alive = False

    def send(self, addresses: Mapping[str, str | None]) -> None:
        family, address = only_address(addresses)
        params = {"id": self.hostname, "pw": self.require("password"), "ip": address}
        response = request(self, family, params=params)
        match_answer(response.text, DTDNS_ANSWERS)


# Protocol 1.1: the answer starts with a status code.
DYNS_ANSWERS: Rules = (
    (r"^200\b", None),
    (r"^400\b", errors.RequestError),
    (r"^401\b", errors.AuthenticationError),
    (r"^402\b", errors.RateLimitedError),  # updates too frequent
    (r"^403\b", errors.ServerError),
)


class DyNS(Provider):
    handle = "dyns.net"
    name = "DyNS"
    website = "https://www.dyns.net/"
    docs = "http://www.dyns.net/documentation/technical/protocol/"
    quirks = "Username and password travel in the query string."
    url = "https://www.dyns.net/postscript011.php"

    def send(self, addresses: Mapping[str, str | None]) -> None:
        family, address = only_address(addresses)
        params = {
            "ip": address,
            "host": self.hostname,
            "username": self.require("username"),
            "password": self.require("password"),
        }
        response = request(self, family, params=params)
        match_answer(response.text, DYNS_ANSWERS)


class DynUp(Provider):
    handle = "dynup.de"
    name = "DynUp.DE"
    website = "https://dynup.de/"
    docs = "https://dyndnsfree.de/user/hilfe.php"
    quirks = "No address is sent: the service takes the one the request comes from."
    url = "https://dynup.de/dyn.php"
    address_from_connection = True

    def send(self, addresses: Mapping[str, str | None]) -> None:
        family, _address = only_address(addresses)
        params = {
            "username": self.require("username"),
            "password": self.require("password"),
            "hostname": self.hostname,
            "print": "1",
        }
        response = request(self, family, params=params)
        match_answer(response.text, ((r"^I:OK\b", None),))


# Dynamic DNS specification 1.3; newer endpoints spell the codes with "_".
EASYDNS_ANSWERS: Rules = (
    (r"^NO_?ERROR\b", None),
    (r"^NO_?ACCESS\b", errors.AuthenticationError),
    (r"^NO_?SERVICE\b", errors.RequestError),  # dynamic DNS off for the domain
    (r"^ILLEGAL[ _]INPUT\b", errors.RequestError),
    (r"^TOO_?SOON\b", errors.RateLimitedError),
)


class EasyDNS(Provider):
    handle = "easydns.com"
    name = "easyDNS"
    website = "https://www.easydns.com/"
    docs = "https://fusion.easydns.com/index.php?/Knowledgebase/Article/View/102/7/dynamic-dns"
    quirks = (
        "Records cannot be removed: the API's only alternative to an address, "
        "0.0.0.0, points the host at easyDNS's offline page."
    )
    url = "https://api.cp.easydns.com/dyn/tomato.php"

    def send(self, addresses: Mapping[str, str | None]) -> None:
        family, address = only_address(addresses)
        params = {"hostname": self.hostname, "myip": address}
        response = request(self, family, params=params, basic_auth=True)
        match_answer(response.text, EASYDNS_ANSWERS)


ENTRYDNS_STATUSES: dict[int, Outcome] = {
    200: None,
    # The token in the path names the record; an unknown one is a wrong token.
    404: errors.AuthenticationError,
    422: errors.RequestError,  # invalid address
}


class EntryDNS(Provider):
    handle = "entrydns.net"
    name = "EntryDNS"
    website = "https://entrydns.net/"
    docs = "https://entrydns.net/help"
    quirks = (
        "The record's token is part of the URL path; the address goes in a PUT form."
    )
    url = "https://entrydns.net/records/modify/"
    credentials = (("token",),)
    supports_token_auth = True

    def send(self, addresses: Mapping[str, str | None]) -> None:
        family, address = only_address(addresses)
        url = f"{self.endpoint.rstrip('/')}/{self.require('token')}"
        response = request(
            self,
            family,
            url=url,
            method="PUT",
            data={"ip": address},
            accept=ENTRYDNS_STATUSES,
        )
        check_status(response, ENTRYDNS_STATUSES)


KEYSYSTEMS_ANSWERS: Rules = (
    (r"code = 200\b", None),
    (r"abuse prevention triggered", errors.AbuseError),
    (r"invalid password", errors.AuthenticationError),
    (r"Authorization failed", errors.NotFoundError),  # unknown hostname
)


class KeySystems(Provider):
    handle = "key-systems.net"
    name = "dynamicdns.key-systems.net"
    website = "https://domaindiscount24.com/"
    docs = "https://www.domaindiscount24.com/faq/dynamic-dns"
    quirks = "Authenticates with the host's DynamicDNS password alone."
    url = "https://dynamicdns.key-systems.net/update.php"
    credentials = (("password",),)

    def send(self, addresses: Mapping[str, str | None]) -> None:
        family, address = only_address(addresses)
        params = {
            "hostname": self.hostname,
            "password": self.require("password"),
            "ip": address,
        }
        response = request(self, family, params=params)
        match_answer(response.text, KEYSYSTEMS_ANSWERS)


SERVERCOW_ANSWERS: Rules = (
    (r"^OK\b", None),
    (r"^FAILED - Authentication failed", errors.AuthenticationError),
    # Any other failure names no lasting cause (the original client held the
    # host off for 12 hours after it, as after any failed update).
    (r"^FAILED\b", errors.UpdateFailedError),
)


class Servercow(Provider):
    handle = "servercow.de"
    name = "servercow.de"
    website = "https://servercow.de/"
    docs = "https://servercow.de/"
    quirks = "Username and password travel in the query string."
    protocols = ("ipv4", "ipv6")
    url = "https://www.servercow.de/dnsupdate/update.php"

    def send(self, addresses: Mapping[str, str | None]) -> None:
        family, address = only_address(addresses)
        params = {
            "ipaddr": address,
            "hostname": self.hostname,
            "username": self.require("username"),
            "pass": self.require("password"),
        }
        response = request(self, family, params=params)
        match_answer(response.text, SERVERCOW_ANSWERS)


ZONEEDIT_ANSWERS: Rules = (
    (r"^<SUCCESS\b", None),  # CODE 200 updated, 201 nothing to update
    # 707: the same address again too soon; the record already has it.
    (r'^<ERROR CODE="707"', None),
    (r'^<ERROR CODE="701"', errors.NotFoundError),  # zone not in this account
    (r'^<ERROR CODE="702"', errors.RateLimitedError),  # updates too frequent
    (r'^<ERROR CODE="704"', errors.RequestError),  # not a valid dotted name
    (r"^invalid login", errors.AuthenticationError),
)


class Zoneedit(Provider):
    handle = "zoneedit.com"
    name = "Zoneedit"
    website = "https://www.zoneedit.com/"
    docs = "http://www.zoneedit.com/doc/api/other.html"
    quirks = (
        "Answers are pseudo-XML tags. Records cannot be removed through the "
        "dynamic update API."
    )
    url = "https://dynamic.zoneedit.com/auth/dynamic.html"

    def send(self, addresses: Mapping[str, str | None]) -> None:
        family, address = only_address(addresses)
        params = {"host": self.hostname, "dnsto": address}
        response = request(self, family, params=params, basic_auth=True)
        match_answer(response.text, ZONEEDIT_ANSWERS)


ZZZZ_STATUSES: dict[int, Outcome] = {
    200: None,
    404: errors.NotFoundError,  # no such host
}

# zzzz.io updates A unless told the record type.
ZZZZ_TYPES: dict[str, dict[str, str]] = {"ipv4": {}, "ipv6": {"type": "aaaa"}}


class Zzzz(Provider):
    handle = "zzzz.io"
    name = "zzzz"
    website = "https://zzzz.io/"
    docs = "https://zzzz.io/faq/"
    quirks = (
        "The host's first label is part of the URL path; the HTTP status is the "
        "answer (documented in IPFire bug 10584)."
    )
    protocols = ("ipv4", "ipv6")
    url = "https://zzzz.io/api/v1/update/"
    credentials = (("token",),)
    supports_token_auth = True

    def send(self, addresses: Mapping[str, str | None]) -> None:
        family, address = only_address(addresses)
        label, _domain = first_label(self.hostname)
        params = {"ip": address, "token": self.require("token"), **ZZZZ_TYPES[family]}
        response = request(
            self,
            family,
            url=f"{self.endpoint.rstrip('/')}/{label}",
            params=params,
            accept=ZZZZ_STATUSES,
        )
        check_status(response, ZZZZ_STATUSES)
