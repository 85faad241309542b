"""Lightning Wire Labs: one request, HTTP status answers, `-` removes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ddns import errors
from tests.loopback import LoopbackServer, Reply
from tests.providers.harness import Case, Expect, run_case

TOKEN = "0123456789abcdef"
V4, V6 = "192.0.2.10", "2001:db8::10"

BASE = Case(
    id="",
    handle="dns.lightningwirelabs.com",
    settings={"token": TOKEN},
    addresses={"ipv4": V4, "ipv6": V6},
    replies=[Reply(body="")],
    expect=[
        Expect(
            path="/update",
            query={
                "hostname": "host.example.com",
                "address4": V4,
                "address6": V6,
                "token": TOKEN,
            },
        )
    ],
)

CASES = [
    # The service documents its status as the answer; the body is empty.
    replace(BASE, id="token, both families, 200 with an empty body"),
    replace(
        BASE,
        id="username and password instead of a token",
        settings={"username": "alice@example.com", "password": "s3cret"},
        expect=[
            Expect(
                query={
                    "hostname": "host.example.com",
                    "address4": V4,
                    "address6": V6,
                    "username": "alice@example.com",
                    "password": "s3cret",
                }
            )
        ],
    ),
    replace(
        BASE,
        id="a removed family is sent as a dash",
        addresses={"ipv4": V4, "ipv6": None},
        expect=[
            Expect(
                query={
                    "hostname": "host.example.com",
                    "address4": V4,
                    "address6": "-",
                    "token": TOKEN,
                }
            )
        ],
    ),
    replace(
        BASE,
        id="a family the host does not manage is not touched",
        addresses={"ipv4": V4},
        expect=[
            Expect(
                query={"hostname": "host.example.com", "address4": V4, "token": TOKEN}
            )
        ],
    ),
    replace(
        BASE,
        id="403 is bad credentials",
        replies=[Reply(status=403, body="Forbidden")],
        outcome=errors.AuthenticationError,
    ),
    replace(
        BASE,
        id="400 is invalid data",
        replies=[Reply(status=400, body="Bad Request")],
        outcome=errors.RequestError,
    ),
    replace(
        BASE,
        id="HTML error page with 500",
        replies=[Reply(status=500, body="<html><body>Internal error</body></html>")],
        outcome=errors.ServerError,
    ),
    replace(
        BASE,
        id="no credentials",
        settings={},
        replies=[],
        expect=[],
        outcome=errors.ProviderConfigurationError,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_lightningwirelabs(case: Case, http_server: LoopbackServer) -> None:
    run_case(case, http_server)
