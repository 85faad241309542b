"""Gandi LiveDNS: domain lookup, rrset replacement and deletion, both auth schemes."""

from __future__ import annotations

import pytest

from ddns import errors
from tests.loopback import LoopbackServer, Reply
from tests.providers.harness import Case, Expect, json_reply, run_case

TOKEN = "pat_0c6f3e1d-77aa"
SETTINGS = {"token": TOKEN}
BEARER = {"Authorization": f"Bearer {TOKEN}"}
API = "/v5/livedns"
RRSET_A = f"{API}/domains/example.com/records/host/A"
RRSET_AAAA = f"{API}/domains/example.com/records/host/AAAA"


def error(status: int, cause: str, message: str) -> Reply:
    return json_reply(
        {"code": status, "message": message, "object": f"HTTP{cause}", "cause": cause},
        status,
    )


NOT_FOUND = error(404, "Not Found", "The resource could not be found.")
DOMAIN = json_reply(
    {"fqdn": "example.com", "automatic_snapshots": True, "domain_records_href": "..."}
)
CREATED = json_reply({"message": "DNS Record Created"}, 201)
LOOKUP_REPLIES = [NOT_FOUND, DOMAIN]
LOOKUP = [
    Expect("GET", f"{API}/domains/host.example.com", headers=BEARER),
    Expect("GET", f"{API}/domains/example.com", headers=BEARER),
]

CASES = [
    Case(
        id="replaces the A rrset (documented 201 answer)",
        handle="gandi",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[*LOOKUP_REPLIES, CREATED],
        expect=[
            *LOOKUP,
            Expect(
                "PUT",
                RRSET_A,
                headers=BEARER,
                json={"rrset_values": ["192.0.2.20"], "rrset_ttl": 300},
            ),
        ],
    ),
    Case(
        id="replaces the AAAA rrset with the configured ttl (200 answer)",
        handle="gandi",
        settings={**SETTINGS, "ttl": "1800"},
        addresses={"ipv6": "2001:db8::20"},
        replies=[*LOOKUP_REPLIES, json_reply({"message": "DNS Record Created"})],
        expect=[
            *LOOKUP,
            Expect(
                "PUT",
                RRSET_AAAA,
                json={"rrset_values": ["2001:db8::20"], "rrset_ttl": 1800},
            ),
        ],
    ),
    Case(
        id="deprecated API key goes in an Apikey header",
        handle="gandi",
        settings={"apikey": "k3y-Legacy9", "zone": "example.com"},
        addresses={"ipv4": "192.0.2.20"},
        replies=[DOMAIN, CREATED],
        expect=[
            Expect(
                "GET",
                f"{API}/domains/example.com",
                headers={"Authorization": "Apikey k3y-Legacy9"},
            ),
            Expect("PUT", RRSET_A, headers={"Authorization": "Apikey k3y-Legacy9"}),
        ],
    ),
    Case(
        id="apex rrset is named @",
        handle="gandi",
        settings=SETTINGS,
        hostname="example.com",
        addresses={"ipv4": "192.0.2.20"},
        replies=[DOMAIN, CREATED],
        expect=[
            Expect("GET", f"{API}/domains/example.com"),
            Expect("PUT", f"{API}/domains/example.com/records/@/A"),
        ],
    ),
    Case(
        id="deletes the rrset of a family that disappeared",
        handle="gandi",
        settings=SETTINGS,
        addresses={"ipv6": None},
        replies=[*LOOKUP_REPLIES, Reply(status=204, body="")],
        expect=[*LOOKUP, Expect("DELETE", RRSET_AAAA, headers=BEARER)],
    ),
    Case(
        id="nothing to delete when the rrset is already gone",
        handle="gandi",
        settings=SETTINGS,
        addresses={"ipv6": None},
        replies=[*LOOKUP_REPLIES, NOT_FOUND],
        expect=[*LOOKUP, Expect("DELETE", RRSET_AAAA)],
    ),
    Case(
        id="no domain holds the host",
        handle="gandi",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[NOT_FOUND, NOT_FOUND],
        expect=LOOKUP,
        outcome=errors.NotFoundError,
    ),
    Case(
        id="bad token is an authentication error",
        handle="gandi",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[
            error(401, "Unauthorized", "The server could not verify your credentials")
        ],
        outcome=errors.AuthenticationError,
    ),
    Case(
        id="token without LiveDNS permission is an authentication error",
        handle="gandi",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[
            *LOOKUP_REPLIES,
            error(403, "Forbidden", "Access was denied to this resource."),
        ],
        outcome=errors.AuthenticationError,
    ),
    Case(
        id="refused value is a request error",
        handle="gandi",
        settings=SETTINGS,
        addresses={"ipv6": "192.0.2.7"},
        replies=[
            *LOOKUP_REPLIES,
            error(400, "Bad Request", "Invalid AAAA record value"),
        ],
        outcome=errors.RequestError,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_gandi(http_server: LoopbackServer, case: Case) -> None:
    run_case(case, http_server)
