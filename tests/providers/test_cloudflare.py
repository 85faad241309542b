"""Cloudflare: zone lookup, record update keeping TTL and proxy, create, delete."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from ddns import errors
from ddns.http import Client
from ddns.providers import get
from ddns.redact import RedactingFilter
from tests.loopback import LoopbackServer, Reply
from tests.providers.harness import Case, Expect, json_reply, loopback_url, run_case

TOKEN = "cf-token-Zx81kQ"
SETTINGS = {"token": TOKEN}
BEARER = {"Authorization": f"Bearer {TOKEN}"}
API = "/client/v4"
RECORDS = f"{API}/zones/z1/dns_records"


def ok(result: Any) -> Reply:
    return json_reply({"success": True, "errors": [], "messages": [], "result": result})


def failed(status: int, *codes: tuple[int, str]) -> Reply:
    body = {
        "success": False,
        "errors": [{"code": code, "message": message} for code, message in codes],
        "messages": [],
        "result": None,
    }
    return Reply(status=status, body=json.dumps(body))


def zone(name: str = "example.com") -> Reply:
    return ok([{"id": "z1", "name": name, "status": "active"}])


def record(content: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": "r1",
        "type": "AAAA" if ":" in content else "A",
        "name": "host.example.com",
        "content": content,
        "ttl": 120,
        "proxied": True,
        **fields,
    }


def zone_lookup(name: str) -> Expect:
    return Expect("GET", f"{API}/zones", query={"name": name}, headers=BEARER)


def record_lookup(record_type: str = "A") -> Expect:
    return Expect(
        "GET",
        RECORDS,
        query={"type": record_type, "name.exact": "host.example.com"},
        headers=BEARER,
    )


LOOKUP = [zone_lookup("host.example.com"), zone_lookup("example.com")]
LOOKUP_REPLIES = [ok([]), zone()]

CASES = [
    Case(
        id="updates A keeping TTL and proxied",
        handle="cloudflare",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[*LOOKUP_REPLIES, ok([record("192.0.2.1")]), ok(record("192.0.2.20"))],
        expect=[
            *LOOKUP,
            record_lookup(),
            Expect(
                "PATCH",
                f"{RECORDS}/r1",
                headers=BEARER,
                json={"content": "192.0.2.20", "ttl": 120, "proxied": True},
            ),
        ],
    ),
    Case(
        id="updates AAAA of an unproxied record with automatic TTL",
        handle="cloudflare",
        settings=SETTINGS,
        addresses={"ipv6": "2001:db8::20"},
        replies=[
            *LOOKUP_REPLIES,
            ok([record("2001:db8::1", ttl=1, proxied=False)]),
            ok(record("2001:db8::20")),
        ],
        expect=[
            *LOOKUP,
            record_lookup("AAAA"),
            Expect(
                "PATCH",
                f"{RECORDS}/r1",
                json={"content": "2001:db8::20", "ttl": 1, "proxied": False},
            ),
        ],
    ),
    Case(
        id="record already holds the address: nothing changed",
        handle="cloudflare",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[*LOOKUP_REPLIES, ok([record("192.0.2.20")])],
        expect=[*LOOKUP, record_lookup()],
    ),
    Case(
        id="creates a missing record",
        handle="cloudflare",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[*LOOKUP_REPLIES, ok([]), ok(record("192.0.2.20"))],
        expect=[
            *LOOKUP,
            record_lookup(),
            Expect(
                "POST",
                RECORDS,
                headers=BEARER,
                json={
                    "type": "A",
                    "name": "host.example.com",
                    "content": "192.0.2.20",
                    "ttl": 1,
                    "proxied": False,
                },
            ),
        ],
    ),
    Case(
        id="creates a missing record with the configured ttl",
        handle="cloudflare",
        settings={**SETTINGS, "ttl": "60"},
        addresses={"ipv6": "2001:db8::20"},
        replies=[*LOOKUP_REPLIES, ok([]), ok(record("2001:db8::20"))],
        expect=[
            *LOOKUP,
            record_lookup("AAAA"),
            Expect(
                "POST",
                RECORDS,
                json={
                    "type": "AAAA",
                    "name": "host.example.com",
                    "content": "2001:db8::20",
                    "ttl": 60,
                    "proxied": False,
                },
            ),
        ],
    ),
    Case(
        id="a listing that ignores the name filter never changes another record",
        handle="cloudflare",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[
            *LOOKUP_REPLIES,
            ok([record("198.51.100.9", id="www", name="www.example.com")]),
            ok(record("192.0.2.20")),
        ],
        expect=[*LOOKUP, record_lookup(), Expect("POST", RECORDS)],
    ),
    Case(
        id="deletes the record of a family that disappeared",
        handle="cloudflare",
        settings=SETTINGS,
        addresses={"ipv6": None},
        replies=[*LOOKUP_REPLIES, ok([record("2001:db8::1")]), ok({"id": "r1"})],
        expect=[
            *LOOKUP,
            record_lookup("AAAA"),
            Expect("DELETE", f"{RECORDS}/r1", headers=BEARER),
        ],
    ),
    Case(
        id="nothing to delete when the record is already gone",
        handle="cloudflare",
        settings=SETTINGS,
        addresses={"ipv6": None},
        replies=[*LOOKUP_REPLIES, ok([])],
        expect=[*LOOKUP, record_lookup("AAAA")],
    ),
    Case(
        id="zone setting: one lookup of that zone",
        handle="cloudflare",
        settings={**SETTINGS, "zone": "example.com"},
        addresses={"ipv4": "192.0.2.20"},
        replies=[zone(), ok([record("192.0.2.20")])],
        expect=[zone_lookup("example.com"), record_lookup()],
    ),
    Case(
        id="hostname at the zone apex",
        handle="cloudflare",
        settings=SETTINGS,
        hostname="example.com",
        addresses={"ipv4": "192.0.2.20"},
        replies=[zone(), ok([record("192.0.2.1", name="example.com")]), ok({})],
        expect=[
            zone_lookup("example.com"),
            Expect("GET", RECORDS, query={"type": "A", "name.exact": "example.com"}),
            Expect("PATCH", f"{RECORDS}/r1"),
        ],
    ),
    Case(
        id="no zone holds the host",
        handle="cloudflare",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[ok([]), ok([])],
        expect=LOOKUP,
        outcome=errors.NotFoundError,
    ),
    Case(
        id="field failure 9: IPv4 content for AAAA (9006) is a request error",
        handle="cloudflare",
        settings=SETTINGS,
        addresses={"ipv6": "192.0.2.7"},
        replies=[
            *LOOKUP_REPLIES,
            ok([record("2001:db8::1")]),
            failed(
                400, (9006, "Content for AAAA record must be a valid IPv6 address.")
            ),
        ],
        outcome=errors.RequestError,
    ),
    Case(
        id="invalid token (9109) is an authentication error",
        handle="cloudflare",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[failed(403, (9109, "Invalid access token"))],
        expect=[zone_lookup("host.example.com")],
        outcome=errors.AuthenticationError,
    ),
    Case(
        id="authentication error (10000) is an authentication error",
        handle="cloudflare",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[*LOOKUP_REPLIES, failed(403, (10000, "Authentication error"))],
        outcome=errors.AuthenticationError,
    ),
    Case(
        id="malformed Authorization header (6003) is an authentication error",
        handle="cloudflare",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[failed(400, (6003, "Invalid request headers"))],
        outcome=errors.AuthenticationError,
    ),
    Case(
        id="unknown code keeps the meaning of its status",
        handle="cloudflare",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[*LOOKUP_REPLIES, failed(404, (12345, "Something new"))],
        outcome=errors.NotFoundError,
    ),
    Case(
        id="success false with status 200 is a refused request",
        handle="cloudflare",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[failed(200, (12345, "Something new"))],
        outcome=errors.RequestError,
    ),
    Case(
        id="HTML error page with 403 is an authentication error",
        handle="cloudflare",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[Reply(status=403, body="<html><body>Access denied</body></html>")],
        outcome=errors.AuthenticationError,
    ),
    Case(
        id="HTML page with 200 is an unexpected answer",
        handle="cloudflare",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[Reply(body="<html><body>Maintenance</body></html>")],
        outcome=errors.UnexpectedAnswerError,
    ),
    Case(
        id="empty body is an unexpected answer",
        handle="cloudflare",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[Reply(body="")],
        outcome=errors.UnexpectedAnswerError,
    ),
    Case(
        id="JSON without the envelope is an unexpected answer",
        handle="cloudflare",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[Reply(body='{"result": []}')],
        outcome=errors.UnexpectedAnswerError,
    ),
    Case(
        id="throttled is temporary",
        handle="cloudflare",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[Reply(status=429, body="", headers={"Retry-After": "30"})],
        outcome=errors.RateLimitedError,
    ),
    Case(
        id="server trouble is temporary",
        handle="cloudflare",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[Reply(status=502, body="<html>Bad gateway</html>")],
        outcome=errors.ServerError,
    ),
    Case(
        id="field failure 16: the zone of an IDN host is looked up in punycode",
        handle="cloudflare",
        settings=SETTINGS,
        hostname="home.xn--mnchen-3ya.example",
        addresses={"ipv4": "192.0.2.20"},
        replies=[ok([]), zone("xn--mnchen-3ya.example"), ok([]), ok({})],
        expect=[
            zone_lookup("home.xn--mnchen-3ya.example"),
            zone_lookup("xn--mnchen-3ya.example"),
            Expect(
                "GET",
                RECORDS,
                query={"type": "A", "name.exact": "home.xn--mnchen-3ya.example"},
            ),
            Expect("POST", RECORDS),
        ],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_cloudflare(http_server: LoopbackServer, case: Case) -> None:
    run_case(case, http_server)


def provider(server: LoopbackServer, **settings: str) -> Any:
    cls = get("cloudflare")
    assert cls is not None
    url = loopback_url(cls.url, server)
    return cls("host.example.com", {**SETTINGS, "url": url, **settings}, Client())


def test_both_families_share_one_zone_lookup(http_server: LoopbackServer) -> None:
    http_server.push(
        *LOOKUP_REPLIES,
        ok([record("192.0.2.1")]),
        ok(record("192.0.2.20")),
        ok([record("2001:db8::1")]),
        ok(record("2001:db8::20")),
    )
    cloudflare = provider(http_server)
    cloudflare.send({"ipv4": "192.0.2.20"})
    cloudflare.send({"ipv6": "2001:db8::20"})
    zone_requests = [r for r in http_server.requests if r.path == f"{API}/zones"]
    assert len(zone_requests) == 2  # the two candidates, once for both families
    assert [r.method for r in http_server.requests] == ["GET"] * 3 + [
        "PATCH",
        "GET",
        "PATCH",
    ]


def test_several_records_update_the_first(
    http_server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    second = record("192.0.2.2", id="r2")
    http_server.push(
        zone(), ok([record("192.0.2.1"), second]), ok(record("192.0.2.20"))
    )
    provider(http_server, zone="example.com").send({"ipv4": "192.0.2.20"})
    assert http_server.requests[-1].path == f"{RECORDS}/r1"
    assert "2 A records" in caplog.text


def test_token_never_logged(
    http_server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.handler.addFilter(RedactingFilter())
    caplog.set_level(logging.DEBUG)
    http_server.push(
        *LOOKUP_REPLIES, ok([record("192.0.2.1")]), ok(record("192.0.2.20"))
    )
    provider(http_server).send({"ipv4": "192.0.2.20"})
    assert "http:" in caplog.text
    assert TOKEN not in caplog.text


@pytest.mark.parametrize("ttl", ["5m", "0", "99999999999999"])
def test_bad_ttl_is_a_configuration_error(
    http_server: LoopbackServer, ttl: str
) -> None:
    http_server.push(*LOOKUP_REPLIES, ok([]))
    with pytest.raises(errors.ProviderConfigurationError) as caught:
        provider(http_server, ttl=ttl).send({"ipv4": "192.0.2.20"})
    assert str(caught.value).endswith(
        f"ttl: must be a whole number of seconds from 1 to 2147483647, not {ttl!r}"
    )
