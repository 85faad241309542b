"""Hetzner DNS: zone lookup, record update keeping TTL, create and delete."""

from __future__ import annotations

from typing import Any

import pytest

from ddns import errors
from tests.loopback import LoopbackServer, Reply
from tests.providers.harness import Case, Expect, json_reply, run_case

TOKEN = "hz-6YvB2wQe"
SETTINGS = {"token": TOKEN}
AUTH = {"Auth-API-Token": TOKEN}
API = "/api/v1"


def zones(*names: str) -> Reply:
    if not names:
        return json_reply(
            {"zones": [], "error": {"message": "zone not found", "code": 404}}, 404
        )
    return json_reply(
        {"zones": [{"id": f"zone-{n}", "name": n, "ttl": 86400} for n in names]}
    )


def records(*items: dict[str, Any]) -> Reply:
    return json_reply({"records": list(items)})


def record(value: str, name: str = "host", **fields: Any) -> dict[str, Any]:
    kind = "AAAA" if ":" in value else "A"
    return {
        "id": f"rec-{kind}",
        "type": kind,
        "name": name,
        "value": value,
        "zone_id": "zone-example.com",
        **fields,
    }


OTHERS = [
    record("198.51.100.9", name="www"),
    {"id": "ns", "type": "NS", "name": "@", "value": "hydrogen.ns.hetzner.com."},
]
LOOKUP_REPLIES = [zones(), zones("example.com")]
LOOKUP = [
    Expect("GET", f"{API}/zones", query={"name": "host.example.com"}, headers=AUTH),
    Expect("GET", f"{API}/zones", query={"name": "example.com"}, headers=AUTH),
]
LISTING = Expect(
    "GET", f"{API}/records", query={"zone_id": "zone-example.com"}, headers=AUTH
)
ZONE_FIELDS = {"zone_id": "zone-example.com", "name": "host"}

CASES = [
    Case(
        id="updates A by PUT keeping its TTL",
        handle="hetzner",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[
            *LOOKUP_REPLIES,
            records(*OTHERS, record("192.0.2.1", ttl=60)),
            json_reply({"record": {}}),
        ],
        expect=[
            *LOOKUP,
            LISTING,
            Expect(
                "PUT",
                f"{API}/records/rec-A",
                headers=AUTH,
                json={**ZONE_FIELDS, "type": "A", "value": "192.0.2.20", "ttl": 60},
            ),
        ],
    ),
    Case(
        id="updates AAAA of a record using the zone's TTL",
        handle="hetzner",
        settings=SETTINGS,
        addresses={"ipv6": "2001:db8::20"},
        replies=[
            *LOOKUP_REPLIES,
            records(*OTHERS, record("2001:db8::1")),
            json_reply({"record": {}}),
        ],
        expect=[
            *LOOKUP,
            LISTING,
            Expect(
                "PUT",
                f"{API}/records/rec-AAAA",
                json={**ZONE_FIELDS, "type": "AAAA", "value": "2001:db8::20"},
            ),
        ],
    ),
    Case(
        id="record already holds the address: nothing changed",
        handle="hetzner",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[*LOOKUP_REPLIES, records(record("192.0.2.20"))],
        expect=[*LOOKUP, LISTING],
    ),
    Case(
        id="creates a missing record",
        handle="hetzner",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[*LOOKUP_REPLIES, records(*OTHERS), json_reply({"record": {}})],
        expect=[
            *LOOKUP,
            LISTING,
            Expect(
                "POST",
                f"{API}/records",
                headers=AUTH,
                json={**ZONE_FIELDS, "type": "A", "value": "192.0.2.20", "ttl": 300},
            ),
        ],
    ),
    Case(
        id="apex record is named @",
        handle="hetzner",
        settings=SETTINGS,
        hostname="example.com",
        addresses={"ipv4": "192.0.2.20"},
        replies=[
            zones("example.com"),
            records(*OTHERS, record("192.0.2.1", name="@")),
            json_reply({"record": {}}),
        ],
        expect=[
            Expect("GET", f"{API}/zones", query={"name": "example.com"}),
            LISTING,
            Expect(
                "PUT",
                f"{API}/records/rec-A",
                json={
                    "zone_id": "zone-example.com",
                    "name": "@",
                    "type": "A",
                    "value": "192.0.2.20",
                },
            ),
        ],
    ),
    Case(
        id="deletes the record of a family that disappeared",
        handle="hetzner",
        settings=SETTINGS,
        addresses={"ipv6": None},
        replies=[*LOOKUP_REPLIES, records(record("2001:db8::1")), Reply(body="")],
        expect=[
            *LOOKUP,
            LISTING,
            Expect("DELETE", f"{API}/records/rec-AAAA", headers=AUTH),
        ],
    ),
    Case(
        id="nothing to delete when the record is already gone",
        handle="hetzner",
        settings=SETTINGS,
        addresses={"ipv6": None},
        replies=[*LOOKUP_REPLIES, records(*OTHERS)],
        expect=[*LOOKUP, LISTING],
    ),
    Case(
        id="zone setting: one zone lookup",
        handle="hetzner",
        settings={**SETTINGS, "zone": "example.com"},
        addresses={"ipv4": "192.0.2.20"},
        replies=[zones("example.com"), records(record("192.0.2.20"))],
        expect=[Expect("GET", f"{API}/zones", query={"name": "example.com"}), LISTING],
    ),
    Case(
        id="no zone holds the host",
        handle="hetzner",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[zones(), zones()],
        expect=LOOKUP,
        outcome=errors.NotFoundError,
    ),
    Case(
        id="bad token is an authentication error",
        handle="hetzner",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[json_reply({"message": "Invalid authentication credentials"}, 401)],
        outcome=errors.AuthenticationError,
    ),
    Case(
        id="zone moved to the Hetzner Console (422) is a request error",
        handle="hetzner",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[
            *LOOKUP_REPLIES,
            records(record("192.0.2.1")),
            json_reply(
                {
                    "error": {
                        "message": "can't update records with this endpoint",
                        "code": 422,
                    }
                },
                422,
            ),
        ],
        outcome=errors.RequestError,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_hetzner(http_server: LoopbackServer, case: Case) -> None:
    run_case(case, http_server)


# Hetzner Console: the Cloud API's zone RRSets.

CLOUD_SETTINGS = {"token": "hc-Pq7rT2"}
CLOUD_BEARER = {"Authorization": "Bearer hc-Pq7rT2"}
CLOUD = "/v1/zones/example.com"
ACTION = json_reply(
    {"action": {"id": 13, "command": "set_rrset_records", "status": "running"}}, 201
)


def cloud_error(status: int, code: str, message: str) -> Reply:
    return json_reply(
        {"error": {"code": code, "message": message, "details": {}}}, status
    )


CLOUD_NOT_FOUND = cloud_error(404, "not_found", "zone not found")
CLOUD_ZONE = json_reply(
    {"zone": {"id": 4711, "name": "example.com", "mode": "primary", "ttl": 3600}}
)
CLOUD_LOOKUP_REPLIES = [CLOUD_NOT_FOUND, CLOUD_ZONE]
CLOUD_LOOKUP = [
    Expect("GET", "/v1/zones/host.example.com", headers=CLOUD_BEARER),
    Expect("GET", CLOUD, headers=CLOUD_BEARER),
]

CLOUD_CASES = [
    Case(
        id="sets the records of the A RRSet",
        handle="hetzner-cloud",
        settings=CLOUD_SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[*CLOUD_LOOKUP_REPLIES, ACTION],
        expect=[
            *CLOUD_LOOKUP,
            Expect(
                "POST",
                f"{CLOUD}/rrsets/host/A/actions/set_records",
                headers=CLOUD_BEARER,
                json={"records": [{"value": "192.0.2.20"}]},
            ),
        ],
    ),
    Case(
        id="creates a missing AAAA RRSet",
        handle="hetzner-cloud",
        settings=CLOUD_SETTINGS,
        addresses={"ipv6": "2001:db8::20"},
        replies=[
            *CLOUD_LOOKUP_REPLIES,
            cloud_error(404, "not_found", "rrset not found"),
            json_reply({"rrset": {}, "action": {"id": 14}}, 201),
        ],
        expect=[
            *CLOUD_LOOKUP,
            Expect("POST", f"{CLOUD}/rrsets/host/AAAA/actions/set_records"),
            Expect(
                "POST",
                f"{CLOUD}/rrsets",
                headers=CLOUD_BEARER,
                json={
                    "name": "host",
                    "type": "AAAA",
                    "ttl": 300,
                    "records": [{"value": "2001:db8::20"}],
                },
            ),
        ],
    ),
    Case(
        id="RRSet names are sent in lower case",
        handle="hetzner-cloud",
        settings=CLOUD_SETTINGS,
        hostname="Home.Example.com",
        addresses={"ipv4": "192.0.2.20"},
        replies=[CLOUD_NOT_FOUND, CLOUD_ZONE, ACTION],
        expect=[
            Expect("GET", "/v1/zones/Home.Example.com"),
            Expect("GET", "/v1/zones/Example.com"),
            Expect("POST", f"{CLOUD}/rrsets/home/A/actions/set_records"),
        ],
    ),
    Case(
        id="deletes the RRSet of a family that disappeared",
        handle="hetzner-cloud",
        settings=CLOUD_SETTINGS,
        addresses={"ipv6": None},
        replies=[*CLOUD_LOOKUP_REPLIES, json_reply({"action": {"id": 15}}, 201)],
        expect=[
            *CLOUD_LOOKUP,
            Expect("DELETE", f"{CLOUD}/rrsets/host/AAAA", headers=CLOUD_BEARER),
        ],
    ),
    Case(
        id="nothing to delete when the RRSet is already gone",
        handle="hetzner-cloud",
        settings=CLOUD_SETTINGS,
        addresses={"ipv6": None},
        replies=[
            *CLOUD_LOOKUP_REPLIES,
            cloud_error(404, "not_found", "rrset not found"),
        ],
        expect=[*CLOUD_LOOKUP, Expect("DELETE", f"{CLOUD}/rrsets/host/AAAA")],
    ),
    Case(
        id="no zone holds the host",
        handle="hetzner-cloud",
        settings=CLOUD_SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[CLOUD_NOT_FOUND, CLOUD_NOT_FOUND],
        expect=CLOUD_LOOKUP,
        outcome=errors.NotFoundError,
    ),
    Case(
        id="bad token is an authentication error",
        handle="hetzner-cloud",
        settings=CLOUD_SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[cloud_error(401, "unauthorized", "unable to authenticate")],
        outcome=errors.AuthenticationError,
    ),
    Case(
        id="read-only token is an authentication error",
        handle="hetzner-cloud",
        settings=CLOUD_SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[
            *CLOUD_LOOKUP_REPLIES,
            cloud_error(403, "forbidden", "insufficient permissions"),
        ],
        outcome=errors.AuthenticationError,
    ),
    Case(
        id="secondary zone is a request error",
        handle="hetzner-cloud",
        settings=CLOUD_SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[
            *CLOUD_LOOKUP_REPLIES,
            cloud_error(
                422, "incorrect_zone_mode", "not supported for this zone's mode"
            ),
        ],
        outcome=errors.RequestError,
    ),
    Case(
        id="zone locked by a running action is temporary",
        handle="hetzner-cloud",
        settings=CLOUD_SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[
            *CLOUD_LOOKUP_REPLIES,
            cloud_error(423, "locked", "an action is running"),
        ],
        outcome=errors.TemporaryError,
    ),
]


@pytest.mark.parametrize("case", CLOUD_CASES, ids=lambda c: c.id)
def test_hetzner_cloud(http_server: LoopbackServer, case: Case) -> None:
    run_case(case, http_server)
