"""Regfish: both families in one request; the answer's code decides."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ddns import errors
from tests.loopback import LoopbackServer, Reply
from tests.providers.harness import Case, Expect, run_case

TOKEN = "9faff6adf27bebce294ea10d1e2661d4"
V4, V6 = "192.0.2.10", "2001:db8::10"

BASE = Case(
    id="",
    handle="regfish.com",
    settings={"token": TOKEN},
    addresses={"ipv4": V4, "ipv6": V6},
    replies=[Reply(body="success|100|update succeeded!")],
    expect=[
        Expect(
            path="/",
            query={"fqdn": "host.example.com", "ipv4": V4, "ipv6": V6, "token": TOKEN},
            auth=None,
        )
    ],
)


def answer(body: str, outcome: type[errors.DDNSError] | None) -> Case:
    return replace(
        BASE, id=f"answer {body!r}", replies=[Reply(body=body)], outcome=outcome
    )


CASES = [
    replace(BASE, id="token, both families in one request"),
    replace(
        BASE,
        id="basic auth when there is no token",
        settings={"username": "alice", "password": "s3cret"},
        expect=[
            Expect(
                query={"fqdn": "host.example.com", "ipv4": V4, "ipv6": V6},
                auth=("alice", "s3cret"),
            )
        ],
    ),
    replace(
        BASE,
        id="IPv4 alone",
        addresses={"ipv4": V4, "ipv6": None},
        expect=[Expect(query={"fqdn": "host.example.com", "ipv4": V4, "token": TOKEN})],
    ),
    answer("success|100|update succeeded!", None),
    answer("success|101|no update needed at this time..", None),
    answer("fail|401|invalid token\n", errors.AuthenticationError),
    answer("fail|402|too many updates", errors.RateLimitedError),
    answer("fail|408|invalid ipv4", errors.RequestError),
    answer("fail|409|invalid ipv6", errors.RequestError),
    answer("fail|412|invalid fqdn", errors.RequestError),
    answer("fail|414|internal error", errors.ServerError),
    # The original took every other answer, 100 included, as bad credentials.
    answer("fail|999|something new", errors.UnexpectedAnswerError),
    answer("", errors.UnexpectedAnswerError),
    answer("<html><body>Wartungsarbeiten</body></html>", errors.UnexpectedAnswerError),
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
def test_regfish(case: Case, http_server: LoopbackServer) -> None:
    run_case(case, http_server)
