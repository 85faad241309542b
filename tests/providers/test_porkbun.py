"""Porkbun: keys in the JSON body, records edited by domain, type and subdomain."""

from __future__ import annotations

from typing import Any

import pytest

from ddns import errors
from tests.loopback import LoopbackServer, Reply
from tests.providers.harness import Case, Expect, json_reply, run_case

KEYS = {"apikey": "pk1_4f0e9a", "secretapikey": "sk1_77b2c1"}
API = "/api/json/v3"


def success(**fields: Any) -> Reply:
    return json_reply({"status": "SUCCESS", **fields})


def error(message: str, status: int = 400) -> Reply:
    return json_reply({"status": "ERROR", "message": message}, status)


def records(*contents: str, ttl: str = "600", name: str = "host.example.com") -> Reply:
    return success(
        records=[
            {
                "id": f"10679{n}",
                "name": name,
                "type": "AAAA" if ":" in content else "A",
                "content": content,
                "ttl": ttl,
                "prio": "0",
                "notes": "",
            }
            for n, content in enumerate(contents)
        ]
    )


def call(path: str, **fields: Any) -> Expect:
    return Expect("POST", f"{API}{path}", json={**KEYS, **fields})


DOMAINS = success(
    domains=[
        {"domain": "example.com", "status": "ACTIVE"},
        {"domain": "example.org"},
        {"domain": "dyn.example.net"},
        {"domain": "example.net"},
    ]
)
LIST = call("/domain/listAll")

CASES = [
    Case(
        id="edits the A record keeping its TTL",
        handle="porkbun",
        settings=KEYS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[DOMAINS, records("192.0.2.1", ttl="900"), success()],
        expect=[
            LIST,
            call("/dns/retrieveByNameType/example.com/A/host"),
            call(
                "/dns/editByNameType/example.com/A/host",
                content="192.0.2.20",
                ttl="900",
            ),
        ],
    ),
    Case(
        id="edits the AAAA record",
        handle="porkbun",
        settings=KEYS,
        addresses={"ipv6": "2001:db8::20"},
        replies=[DOMAINS, records("2001:db8::1"), success()],
        expect=[
            LIST,
            call("/dns/retrieveByNameType/example.com/AAAA/host"),
            call(
                "/dns/editByNameType/example.com/AAAA/host",
                content="2001:db8::20",
                ttl="600",
            ),
        ],
    ),
    Case(
        id="record already holds the address: nothing changed",
        handle="porkbun",
        settings=KEYS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[DOMAINS, records("192.0.2.20")],
        expect=[LIST, call("/dns/retrieveByNameType/example.com/A/host")],
    ),
    Case(
        id="creates a missing record",
        handle="porkbun",
        settings=KEYS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[DOMAINS, success(records=[]), success(id=106926659)],
        expect=[
            LIST,
            call("/dns/retrieveByNameType/example.com/A/host"),
            call(
                "/dns/create/example.com",
                name="host",
                type="A",
                content="192.0.2.20",
                ttl="600",
            ),
        ],
    ),
    Case(
        id="apex record: subdomain left out",
        handle="porkbun",
        settings={**KEYS, "zone": "example.com"},
        hostname="example.com",
        addresses={"ipv4": "192.0.2.20"},
        replies=[success(records=[]), success(id=1)],
        expect=[
            call("/dns/retrieveByNameType/example.com/A"),
            call(
                "/dns/create/example.com",
                name="",
                type="A",
                content="192.0.2.20",
                ttl="600",
            ),
        ],
    ),
    Case(
        id="deletes the records of a family that disappeared",
        handle="porkbun",
        settings=KEYS,
        addresses={"ipv6": None},
        replies=[DOMAINS, records("2001:db8::1"), success()],
        expect=[
            LIST,
            call("/dns/retrieveByNameType/example.com/AAAA/host"),
            call("/dns/deleteByNameType/example.com/AAAA/host"),
        ],
    ),
    Case(
        id="nothing to delete when the record is already gone",
        handle="porkbun",
        settings=KEYS,
        addresses={"ipv6": None},
        replies=[DOMAINS, success(records=[])],
        expect=[LIST, call("/dns/retrieveByNameType/example.com/AAAA/host")],
    ),
    Case(
        id="deeper host: longest matching domain wins",
        handle="porkbun",
        settings=KEYS,
        hostname="a.b.example.org",
        addresses={"ipv4": "192.0.2.20"},
        replies=[DOMAINS, records("192.0.2.20", name="a.b.example.org")],
        expect=[LIST, call("/dns/retrieveByNameType/example.org/A/a.b")],
    ),
    Case(
        id="delegated subdomain of the account wins over its parent",
        handle="porkbun",
        settings=KEYS,
        hostname="home.dyn.example.net",
        addresses={"ipv4": "192.0.2.20"},
        replies=[DOMAINS, records("192.0.2.20", name="home.dyn.example.net")],
        expect=[LIST, call("/dns/retrieveByNameType/dyn.example.net/A/home")],
    ),
    Case(
        id="no domain of the account holds the host",
        handle="porkbun",
        settings=KEYS,
        hostname="host.example.info",
        addresses={"ipv4": "192.0.2.20"},
        replies=[DOMAINS],
        expect=[LIST],
        outcome=errors.NotFoundError,
    ),
    Case(
        id="invalid API key is an authentication error",
        handle="porkbun",
        settings=KEYS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[error("Invalid API key. (002)")],
        outcome=errors.AuthenticationError,
    ),
    Case(
        id="API access off for the domain is an account error",
        handle="porkbun",
        settings=KEYS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[DOMAINS, error("Domain is not opted in to API access.")],
        outcome=errors.AccountError,
    ),
    Case(
        id="invalid domain is not found",
        handle="porkbun",
        settings={**KEYS, "zone": "example.net"},
        hostname="host.example.net",
        addresses={"ipv4": "192.0.2.20"},
        replies=[error("Invalid domain.")],
        outcome=errors.NotFoundError,
    ),
    Case(
        id="other error message is a refused request",
        handle="porkbun",
        settings=KEYS,
        addresses={"ipv6": "192.0.2.7"},
        replies=[
            DOMAINS,
            records("2001:db8::1"),
            error("Invalid content for AAAA record."),
        ],
        outcome=errors.RequestError,
    ),
    Case(
        id="ERROR with status 200 is a refused request",
        handle="porkbun",
        settings=KEYS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[error("Something went wrong.", status=200)],
        outcome=errors.RequestError,
    ),
    Case(
        id="JSON without a status is an unexpected answer",
        handle="porkbun",
        settings=KEYS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[json_reply({"domains": []})],
        outcome=errors.UnexpectedAnswerError,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_porkbun(http_server: LoopbackServer, case: Case) -> None:
    run_case(case, http_server)
