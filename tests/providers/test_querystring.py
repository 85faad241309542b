"""The small custom-URL providers: exact requests and every documented answer."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from ddns import errors
from ddns.providers import get, registry, token_handles
from ddns.redact import RedactingFilter
from tests.loopback import LoopbackServer, Reply
from tests.providers.harness import Case, Expect, raised_error, run_case

USER, PASSWORD, TOKEN = "alice", "p#ss,w\\=rd%x", "6d1f0a2b9c8e7f6a"
V4, V6 = "192.0.2.10", "2001:db8::10"
HOST = "host.example.com"
HTML = "<html><head><title>503 Service Unavailable</title></head><body></body></html>"
Outcome = type[errors.DDNSError] | None

# Answers no provider of this module takes for success.
UNEXPECTED = [
    ("", errors.UnexpectedAnswerError, "field failure 3: empty 200 body"),
    (HTML, errors.UnexpectedAnswerError, "HTML page with status 200"),
]


def bodies(base: Case, answers: list[tuple[str, Outcome, str]]) -> list[Case]:
    """One case per answer body, each also checking the exact request."""
    return [
        replace(
            base,
            id=f"{base.handle}: {why}",
            replies=[Reply(body=body)],
            outcome=outcome,
        )
        for body, outcome, why in answers
    ]


def statuses(base: Case, answers: list[tuple[int, str, Outcome, str]]) -> list[Case]:
    """One case per HTTP status, for providers whose status is the answer."""
    return [
        replace(
            base,
            id=f"{base.handle}: {why}",
            replies=[Reply(status=status, body=body)],
            outcome=outcome,
        )
        for status, body, outcome, why in answers
    ]


def success(base: Case) -> Case:
    return replace(base, id=f"{base.handle}: exact request")


CHANGEIP = Case(
    id="",
    handle="changeip.com",
    settings={"username": USER, "password": PASSWORD},
    addresses={"ipv4": V4},
    replies=[Reply(body="200 Successful Update")],
    expect=[
        Expect(
            path="/nic/update",
            query={"hostname": HOST, "myip": V4},
            auth=(USER, PASSWORD),
        )
    ],
)

DDNSS = Case(
    id="",
    handle="ddnss.de",
    settings={"token": TOKEN},
    addresses={"ipv4": V4},
    replies=[
        Reply(
            body="<html>Updated 1 hostname.</html>", headers={"DDNSS-Response": "good"}
        )
    ],
    expect=[
        Expect(path="/upd.php", query={"host": HOST, "ip": V4, "key": TOKEN}, auth=None)
    ],
)


def ddnss_header(value: str, outcome: Outcome) -> Case:
    return replace(
        DDNSS,
        id=f"ddnss.de: header {value}",
        replies=[Reply(body="<html>...</html>", headers={"DDNSS-Response": value})],
        outcome=outcome,
    )


DHS = Case(
    id="",
    handle="dhs.org",
    settings={"username": USER, "password": PASSWORD},
    addresses={"ipv4": V4},
    replies=[Reply(body="<html><body>Host updated</body></html>")],
    expect=[
        Expect(
            path="/nic/hosts",
            query={
                "hostname": "host",
                "domain": "example.com",
                "hostscmd": "edit",
                "hostscmdstage": "2",
                "type": "4",
                "updatetype": "Online",
                "ip": V4,
            },
            auth=(USER, PASSWORD),
        )
    ],
)

DNSMADEEASY = Case(
    id="",
    handle="dnsmadeeasy.com",
    settings={"username": USER, "password": PASSWORD, "id": "1007"},
    addresses={"ipv4": V4},
    replies=[Reply(body="success")],
    expect=[
        Expect(
            path="/servlet/updateip",
            query={"username": USER, "password": PASSWORD, "id": "1007", "ip": V4},
            auth=None,
        )
    ],
)

DNSPARK = Case(
    id="",
    handle="dnspark.com",
    settings={"username": USER, "password": PASSWORD},
    addresses={"ipv4": V4},
    replies=[Reply(body="ok 192.0.2.10")],
    expect=[
        Expect(
            path="/api/dynamic/update.php",
            query={"domain": HOST, "ip": V4},
            auth=(USER, PASSWORD),
        )
    ],
)

DTDNS = Case(
    id="",
    handle="dtdns.com",
    settings={"password": PASSWORD},
    addresses={"ipv4": V4},
    replies=[Reply(body="Host host.example.com now points to 192.0.2.10.")],
    expect=[
        Expect(
            path="/api/autodns.cfm",
            query={"id": HOST, "pw": PASSWORD, "ip": V4},
            auth=None,
        )
    ],
)

DYNS = Case(
    id="",
    handle="dyns.net",
    settings={"username": USER, "password": PASSWORD},
    addresses={"ipv4": V4},
    replies=[Reply(body="200 Host updated")],
    expect=[
        Expect(
            path="/postscript011.php",
            query={"ip": V4, "host": HOST, "username": USER, "password": PASSWORD},
            auth=None,
        )
    ],
)

DYNUP = Case(
    id="",
    handle="dynup.de",
    settings={"username": USER, "password": PASSWORD},
    addresses={"ipv4": V4},
    replies=[Reply(body="I:OK")],
    # No address: the service reads it from the connection.
    expect=[
        Expect(
            path="/dyn.php",
            query={
                "username": USER,
                "password": PASSWORD,
                "hostname": HOST,
                "print": "1",
            },
            auth=None,
        )
    ],
)

EASYDNS = Case(
    id="",
    handle="easydns.com",
    settings={"username": USER, "password": PASSWORD},
    addresses={"ipv4": V4},
    replies=[Reply(body="NOERROR")],
    expect=[
        Expect(
            path="/dyn/tomato.php",
            query={"hostname": HOST, "myip": V4},
            auth=(USER, PASSWORD),
        )
    ],
)

ENTRYDNS = Case(
    id="",
    handle="entrydns.net",
    settings={"token": TOKEN},
    addresses={"ipv4": V4},
    replies=[Reply(body="OK")],
    expect=[
        Expect(
            method="PUT",
            path=f"/records/modify/{TOKEN}",
            query={},
            form={"ip": V4},
            auth=None,
        )
    ],
)

KEYSYSTEMS = Case(
    id="",
    handle="key-systems.net",
    settings={"password": PASSWORD},
    addresses={"ipv4": V4},
    replies=[
        Reply(
            body="[RESPONSE]\ncode = 200\ndescription = Command completed successfully\n"
        )
    ],
    expect=[
        Expect(
            path="/update.php",
            query={"hostname": HOST, "password": PASSWORD, "ip": V4},
            auth=None,
        )
    ],
)

SERVERCOW = Case(
    id="",
    handle="servercow.de",
    settings={"username": USER, "password": PASSWORD},
    addresses={"ipv6": V6},
    replies=[Reply(body="OK")],
    expect=[
        Expect(
            path="/dnsupdate/update.php",
            query={"ipaddr": V6, "hostname": HOST, "username": USER, "pass": PASSWORD},
            auth=None,
        )
    ],
)

ZONEEDIT = Case(
    id="",
    handle="zoneedit.com",
    settings={"username": USER, "password": PASSWORD},
    addresses={"ipv4": V4},
    replies=[
        Reply(
            body='<SUCCESS CODE="200" TEXT="Update succeeded." ZONE="example.com" '
            'IP="192.0.2.10">'
        )
    ],
    expect=[
        Expect(
            path="/auth/dynamic.html",
            query={"host": HOST, "dnsto": V4},
            auth=(USER, PASSWORD),
        )
    ],
)

ZZZZ = Case(
    id="",
    handle="zzzz.io",
    settings={"token": TOKEN},
    addresses={"ipv4": V4},
    replies=[Reply(body="")],
    expect=[
        Expect(path="/api/v1/update/host", query={"ip": V4, "token": TOKEN}, auth=None)
    ],
)

CASES = [
    success(CHANGEIP),
    *statuses(
        CHANGEIP,
        [
            (200, "", None, "the status is the answer: 200 with an empty body"),
            (401, "401 Unauthorized", errors.AuthenticationError, "bad credentials"),
            (402, "402 Premium DNS required", errors.AccountError, "premium required"),
            (422, "422 Invalid hostname", errors.NotFoundError, "unknown hostname"),
            (502, HTML, errors.ServerError, "HTML error page"),
        ],
    ),
    success(DDNSS),
    replace(
        DDNSS,
        id="ddnss.de: username and password without a token",
        settings={"username": USER, "password": PASSWORD},
        expect=[Expect(query={"host": HOST, "ip": V4, "user": USER, "pwd": PASSWORD})],
    ),
    ddnss_header("nochg", None),
    ddnss_header("badauth", errors.AuthenticationError),
    ddnss_header("notfqdn", errors.RequestError),
    ddnss_header("nohost", errors.NotFoundError),
    ddnss_header("disabled", errors.AccountError),
    ddnss_header("911", errors.ServerError),
    ddnss_header("dnserr", errors.ServerError),
    ddnss_header("something", errors.UnexpectedAnswerError),
    *bodies(
        DDNSS,
        [
            ("", errors.UnexpectedAnswerError, "no header, empty body"),
            (HTML, errors.UnexpectedAnswerError, "no header, HTML page"),
        ],
    ),
    replace(
        DDNSS,
        id="ddnss.de: no credentials",
        settings={},
        replies=[],
        expect=[],
        outcome=errors.ProviderConfigurationError,
    ),
    success(DHS),
    *statuses(
        DHS,
        [
            (200, "", None, "the status is the answer: 200 with an empty body"),
            (401, "Unauthorized", errors.AuthenticationError, "bad credentials"),
            (500, HTML, errors.ServerError, "HTML error page"),
        ],
    ),
    success(DNSMADEEASY),
    replace(
        DNSMADEEASY,
        id="dnsmadeeasy.com: hostname as the ID without an id setting",
        settings={"username": USER, "password": PASSWORD},
        expect=[
            Expect(query={"username": USER, "password": PASSWORD, "id": HOST, "ip": V4})
        ],
    ),
    *bodies(
        DNSMADEEASY,
        [
            ("error-record-ip-same", None, "address unchanged"),
            ("error-auth", errors.AuthenticationError, "bad credentials"),
            ("error-auth-suspend", errors.AccountError, "account suspended"),
            ("error-auth-voided", errors.AccountError, "account revoked"),
            ("error-record-invalid", errors.NotFoundError, "unknown record"),
            *UNEXPECTED,
        ],
    ),
    success(DNSPARK),
    *bodies(
        DNSPARK,
        [
            ("nochange 192.0.2.10", None, "no change"),
            ("unauth", errors.AuthenticationError, "bad credentials"),
            ("abuse", errors.AbuseError, "abuse"),
            ("blocked", errors.BlockedError, "client blocked"),
            ("nofqdn", errors.RequestError, "not a FQDN"),
            ("nohost", errors.NotFoundError, "unknown host"),
            ("notdyn", errors.RequestError, "host not dynamic"),
            ("invalid", errors.RequestError, "invalid address"),
            *UNEXPECTED,
        ],
    ),
    success(DTDNS),
    *bodies(
        DTDNS,
        [
            (
                "The password you supplied is not valid.",
                errors.AuthenticationError,
                "bad password",
            ),
            ("No hostname to update was supplied.", errors.RequestError, "no hostname"),
            (
                "The hostname you supplied is not valid.",
                errors.NotFoundError,
                "unknown hostname",
            ),
            (
                "Administration has disabled this account.",
                errors.AccountError,
                "account disabled",
            ),
            ("Illegal character in IP.", errors.RequestError, "invalid address"),
            ("Too many failed requests.", errors.BlockedError, "locked out"),
            *UNEXPECTED,
        ],
    ),
    success(DYNS),
    *bodies(
        DYNS,
        [
            ("400 Bad request", errors.RequestError, "bad request"),
            (
                "401 Authentication failed",
                errors.AuthenticationError,
                "bad credentials",
            ),
            ("402 Too frequent", errors.RateLimitedError, "too frequent"),
            ("403 Internal error", errors.ServerError, "server error"),
            *UNEXPECTED,
        ],
    ),
    success(DYNUP),
    *bodies(
        DYNUP,
        [
            ("E:Login failed", errors.UnexpectedAnswerError, "anything but I:OK"),
            *UNEXPECTED,
        ],
    ),
    success(EASYDNS),
    *bodies(
        EASYDNS,
        [
            ("NO_ERROR", None, "newer spelling of success"),
            ("NOACCESS", errors.AuthenticationError, "bad credentials"),
            ("NOSERVICE", errors.RequestError, "dynamic DNS off"),
            ("ILLEGAL INPUT", errors.RequestError, "illegal input"),
            # The original made this permanent; it only asks to wait.
            ("TOOSOON", errors.RateLimitedError, "too soon"),
            *UNEXPECTED,
        ],
    ),
    success(ENTRYDNS),
    *statuses(
        ENTRYDNS,
        [
            (200, "", None, "the status is the answer: 200 with an empty body"),
            (404, "Not Found", errors.AuthenticationError, "unknown token"),
            (422, "Unprocessable", errors.RequestError, "invalid address"),
            (500, HTML, errors.ServerError, "HTML error page"),
        ],
    ),
    success(KEYSYSTEMS),
    *bodies(
        KEYSYSTEMS,
        [
            (
                "[RESPONSE]\ncode = 531\ndescription = abuse prevention triggered\n",
                errors.AbuseError,
                "abuse prevention",
            ),
            (
                "[RESPONSE]\ncode = 531\ndescription = invalid password\n",
                errors.AuthenticationError,
                "bad password",
            ),
            (
                "[RESPONSE]\ncode = 531\ndescription = Authorization failed\n",
                errors.NotFoundError,
                "unknown hostname",
            ),
            *UNEXPECTED,
        ],
    ),
    success(SERVERCOW),
    replace(
        SERVERCOW,
        id="servercow.de: IPv4 in its own request",
        addresses={"ipv4": V4},
        expect=[
            Expect(
                query={
                    "ipaddr": V4,
                    "hostname": HOST,
                    "username": USER,
                    "pass": PASSWORD,
                }
            )
        ],
    ),
    *bodies(
        SERVERCOW,
        [
            (
                "FAILED - Authentication failed",
                errors.AuthenticationError,
                "bad credentials",
            ),
            (
                "FAILED - Invalid hostname",
                errors.UpdateFailedError,
                "other failure",
            ),
            *UNEXPECTED,
        ],
    ),
    success(ZONEEDIT),
    *bodies(
        ZONEEDIT,
        [
            (
                '<SUCCESS CODE="201" TEXT="No records need updating." ZONE="example.com">',
                None,
                "nothing to update",
            ),
            (
                '<ERROR CODE="707" TEXT="Duplicate updates for the same host/ip, '
                'adjust client settings" ZONE="example.com" HOST="host.example.com">',
                None,
                "duplicate update",
            ),
            (
                '<ERROR CODE="701" TEXT="Zone is not set up in this account." '
                'ZONE="example.com">',
                errors.NotFoundError,
                "zone not in account",
            ),
            (
                '<ERROR CODE="702" TEXT="Minimum 600 seconds between requests">',
                errors.RateLimitedError,
                "too frequent",
            ),
            (
                '<ERROR CODE="704" TEXT="Zone must be a valid dotted internet name.">',
                errors.RequestError,
                "not a dotted name",
            ),
            ("invalid login", errors.AuthenticationError, "bad credentials"),
            *UNEXPECTED,
        ],
    ),
    success(ZZZZ),
    replace(
        ZZZZ,
        id="zzzz.io: IPv6 names the record type",
        addresses={"ipv6": V6},
        expect=[
            Expect(
                path="/api/v1/update/host",
                query={"ip": V6, "token": TOKEN, "type": "aaaa"},
            )
        ],
    ),
    *statuses(
        ZZZZ,
        [
            (404, "Not Found", errors.NotFoundError, "unknown host"),
            (403, "Forbidden", errors.AuthenticationError, "bad token"),
            (502, HTML, errors.ServerError, "HTML error page"),
        ],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_querystring(case: Case, http_server: LoopbackServer) -> None:
    run_case(case, http_server)


def test_removal_is_refused_before_anything_is_sent(
    http_server: LoopbackServer,
) -> None:
    # None of these can remove a record; an empty address would make several
    # of them publish the address of the connection.
    case = replace(
        EASYDNS,
        id="removal",
        addresses={"ipv4": None},
        replies=[],
        expect=[],
        outcome=errors.ProviderConfigurationError,
    )
    run_case(case, http_server)


def test_entrydns_token_is_masked_in_logs(
    http_server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.handler.addFilter(RedactingFilter())
    caplog.set_level(logging.DEBUG)
    run_case(ENTRYDNS, http_server)
    assert TOKEN not in caplog.text
    assert "/records/modify/********" in caplog.text


@pytest.mark.parametrize("handle", ["dnspark.com", "dtdns.com"])
def test_closed_services_keep_their_handle(handle: str) -> None:
    provider = get(handle)
    assert provider is not None
    assert not provider.alive
    assert "closed" in provider.quirks


# The original's providers that do not speak plain DynDNS2.
CUSTOM_HANDLES = {
    "changeip.com",
    "ddnss.de",
    "dhs.org",
    "dns.lightningwirelabs.com",
    "dnsmadeeasy.com",
    "dnspark.com",
    "dtdns.com",
    "duckdns.org",
    "dyns.net",
    "dynup.de",
    "easydns.com",
    "enom.com",
    "entrydns.net",
    "freedns.afraid.org",
    "godaddy.com",
    "key-systems.net",
    "namecheap.com",
    "regfish.com",
    "servercow.de",
    "zoneedit.com",
    "zzzz.io",
}


@pytest.mark.parametrize("handle", sorted(CUSTOM_HANDLES))
def test_declares_what_list_providers_shows(handle: str) -> None:
    provider = get(handle)
    assert provider is not None
    assert provider.name and provider.quirks
    assert provider.website.startswith("https://")
    assert provider.docs.startswith(("https://", "http://"))
    assert provider.url.startswith("https://")
    assert provider.credentials


def test_only_real_removal_is_declared() -> None:
    removers = {h for h in CUSTOM_HANDLES if registry()[h].can_remove_records}
    assert removers == {"dns.lightningwirelabs.com", "godaddy.com"}


def test_token_providers_are_the_originals() -> None:
    mine = {
        "dns.lightningwirelabs.com",
        "duckdns.org",
        "entrydns.net",
        "freedns.afraid.org",
        "godaddy.com",
        "regfish.com",
        "zzzz.io",
    }
    # godaddy.com was in the original's list only by mistake.
    assert set(token_handles()) & mine == mine - {"godaddy.com"}


def test_servercow_failure_other_than_authentication_is_retried(
    http_server: LoopbackServer,
) -> None:
    from datetime import datetime, timedelta, timezone

    from ddns.history import FamilyState
    from ddns.policy import decide

    case = replace(
        SERVERCOW,
        replies=[Reply(body="FAILED - Invalid hostname")],
        outcome=errors.UpdateFailedError,
    )
    error = raised_error(case, http_server)
    assert error.temporary
    assert str(error) == (
        "The provider could not perform the update: FAILED - Invalid hostname"
    )
    t0 = datetime(2026, 3, 1, tzinfo=timezone.utc)
    failed = FamilyState(
        hostname=HOST,
        provider="servercow.de",
        family="ipv6",
        last_attempt=t0,
        failures=1,
        last_error_kind=error.kind,
        config_digest="d",
    )
    provider = get("servercow.de")
    assert provider is not None
    assert not decide(failed, V6, provider, "d", t0 + timedelta(minutes=5)).send
    assert decide(failed, V6, provider, "d", t0 + timedelta(minutes=15)).send
