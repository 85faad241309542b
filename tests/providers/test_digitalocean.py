"""DigitalOcean: domain lookup, record update, create and delete."""

from __future__ import annotations

from typing import Any

import pytest

from ddns import errors
from tests.loopback import LoopbackServer, Reply
from tests.providers.harness import Case, Expect, json_reply, run_case

TOKEN = "dop_v1_5e1f0c2a9b"
SETTINGS = {"token": TOKEN}
BEARER = {"Authorization": f"Bearer {TOKEN}"}
RECORDS = "/v2/domains/example.com/records"


def error(status: int, id_: str, message: str) -> Reply:
    return json_reply({"id": id_, "message": message}, status)


def records(*items: dict[str, Any]) -> Reply:
    return json_reply(
        {"domain_records": list(items), "links": {}, "meta": {"total": len(items)}}
    )


def record(data: str, **fields: Any) -> dict[str, Any]:
    kind = "AAAA" if ":" in data else "A"
    return {
        "id": 3352896,
        "type": kind,
        "name": "host",
        "data": data,
        "ttl": 1800,
        **fields,
    }


NOT_FOUND = error(
    404, "not_found", "The resource you were accessing could not be found."
)
DOMAIN = json_reply({"domain": {"name": "example.com", "ttl": 1800, "zone_file": ""}})
LOOKUP_REPLIES = [NOT_FOUND, DOMAIN]
LOOKUP = [
    Expect("GET", "/v2/domains/host.example.com", headers=BEARER),
    Expect("GET", "/v2/domains/example.com", headers=BEARER),
]


def listing(kind: str = "A", name: str = "host.example.com") -> Expect:
    return Expect("GET", RECORDS, query={"type": kind, "name": name}, headers=BEARER)


CASES = [
    Case(
        id="updates A by PATCH",
        handle="digitalocean",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[
            *LOOKUP_REPLIES,
            records(record("192.0.2.1")),
            json_reply({"domain_record": {}}),
        ],
        expect=[
            *LOOKUP,
            listing(),
            Expect(
                "PATCH",
                f"{RECORDS}/3352896",
                headers=BEARER,
                json={"type": "A", "data": "192.0.2.20"},
            ),
        ],
    ),
    Case(
        id="updates AAAA by PATCH",
        handle="digitalocean",
        settings=SETTINGS,
        addresses={"ipv6": "2001:db8::20"},
        replies=[
            *LOOKUP_REPLIES,
            records(record("2001:db8::1")),
            json_reply({"domain_record": {}}),
        ],
        expect=[
            *LOOKUP,
            listing("AAAA"),
            Expect(
                "PATCH",
                f"{RECORDS}/3352896",
                json={"type": "AAAA", "data": "2001:db8::20"},
            ),
        ],
    ),
    Case(
        id="record already holds the address: nothing changed",
        handle="digitalocean",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[*LOOKUP_REPLIES, records(record("192.0.2.20"))],
        expect=[*LOOKUP, listing()],
    ),
    Case(
        id="creates a missing record named relative to the domain",
        handle="digitalocean",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[*LOOKUP_REPLIES, records(), json_reply({"domain_record": {}}, 201)],
        expect=[
            *LOOKUP,
            listing(),
            Expect(
                "POST",
                RECORDS,
                headers=BEARER,
                json={"type": "A", "name": "host", "data": "192.0.2.20", "ttl": 300},
            ),
        ],
    ),
    Case(
        id="a listing that ignores the filters never changes another record",
        handle="digitalocean",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[
            *LOOKUP_REPLIES,
            records(
                record("198.51.100.9", name="www"), record("2001:db8::1", type="AAAA")
            ),
            json_reply({"domain_record": {}}, 201),
        ],
        expect=[*LOOKUP, listing(), Expect("POST", RECORDS)],
    ),
    Case(
        id="creates an apex record as @",
        handle="digitalocean",
        settings={**SETTINGS, "ttl": "60"},
        hostname="example.com",
        addresses={"ipv6": "2001:db8::20"},
        replies=[DOMAIN, records(), json_reply({"domain_record": {}}, 201)],
        expect=[
            Expect("GET", "/v2/domains/example.com"),
            listing("AAAA", "example.com"),
            Expect(
                "POST",
                RECORDS,
                json={"type": "AAAA", "name": "@", "data": "2001:db8::20", "ttl": 60},
            ),
        ],
    ),
    Case(
        id="deletes the record of a family that disappeared",
        handle="digitalocean",
        settings=SETTINGS,
        addresses={"ipv6": None},
        replies=[
            *LOOKUP_REPLIES,
            records(record("2001:db8::1")),
            Reply(status=204, body=""),
        ],
        expect=[
            *LOOKUP,
            listing("AAAA"),
            Expect("DELETE", f"{RECORDS}/3352896", headers=BEARER),
        ],
    ),
    Case(
        id="nothing to delete when the record is already gone",
        handle="digitalocean",
        settings=SETTINGS,
        addresses={"ipv6": None},
        replies=[*LOOKUP_REPLIES, records()],
        expect=[*LOOKUP, listing("AAAA")],
    ),
    Case(
        id="zone setting: one domain lookup",
        handle="digitalocean",
        settings={**SETTINGS, "zone": "example.com"},
        addresses={"ipv4": "192.0.2.20"},
        replies=[DOMAIN, records(record("192.0.2.20"))],
        expect=[Expect("GET", "/v2/domains/example.com"), listing()],
    ),
    Case(
        id="no domain holds the host",
        handle="digitalocean",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[NOT_FOUND, NOT_FOUND],
        expect=LOOKUP,
        outcome=errors.NotFoundError,
    ),
    Case(
        id="bad token is an authentication error",
        handle="digitalocean",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[error(401, "unauthorized", "Unable to authenticate you")],
        outcome=errors.AuthenticationError,
    ),
    Case(
        id="read-only token is an authentication error",
        handle="digitalocean",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[
            *LOOKUP_REPLIES,
            records(record("192.0.2.1")),
            error(403, "forbidden", "You do not have access for the attempted action."),
        ],
        outcome=errors.AuthenticationError,
    ),
    Case(
        id="refused record is a request error",
        handle="digitalocean",
        settings=SETTINGS,
        addresses={"ipv6": "192.0.2.7"},
        replies=[
            *LOOKUP_REPLIES,
            records(),
            error(422, "unprocessable_entity", "Data needs to be a valid IPv6 address"),
        ],
        outcome=errors.RequestError,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_digitalocean(http_server: LoopbackServer, case: Case) -> None:
    run_case(case, http_server)
