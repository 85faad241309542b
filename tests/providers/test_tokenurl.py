"""dynv6, IPv64 and Njalla: one GET with host, token and both addresses."""

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
from tests.providers.harness import Case, Expect, loopback_url, run_case

TOKEN = "tok&en#5%Qz"
SETTINGS = {"token": TOKEN}
BOTH = {"ipv4": "192.0.2.20", "ipv6": "2001:db8::20"}


def dynv6(body: str, status: int = 200, **addresses: str | None) -> Case:
    return Case(
        id=f"dynv6 {status} {body!r}",
        handle="dynv6",
        settings=SETTINGS,
        addresses=addresses or BOTH,
        replies=[Reply(status=status, body=body)],
        outcome=None,
    )


def ipv64(body: str, status: int = 200) -> Case:
    return Case(
        id=f"ipv64 {status} {body!r}",
        handle="ipv64",
        settings=SETTINGS,
        addresses=BOTH,
        replies=[Reply(status=status, body=body)],
    )


def njalla(body: Any, status: int = 200) -> Case:
    text = body if isinstance(body, str) else json.dumps(body)
    return Case(
        id=f"njalla {status} {text!r}",
        handle="njalla",
        settings=SETTINGS,
        addresses=BOTH,
        replies=[
            Reply(
                status=status, body=text, headers={"Content-Type": "application/json"}
            )
        ],
    )


def outcome(case: Case, error: type[errors.DDNSError] | None) -> Case:
    case.outcome = error
    return case


REQUESTS = [
    Case(
        id="dynv6: both families in one request",
        handle="dynv6",
        settings=SETTINGS,
        addresses=BOTH,
        replies=[Reply(body="addresses updated")],
        expect=[
            Expect(
                "GET",
                "/api/update",
                query={
                    "zone": "host.example.com",
                    "token": TOKEN,
                    "ipv4": "192.0.2.20",
                    "ipv6": "2001:db8::20",
                },
            )
        ],
    ),
    Case(
        id="dynv6: IPv4 alone leaves the AAAA record alone",
        handle="dynv6",
        settings=SETTINGS,
        addresses={"ipv4": "192.0.2.20"},
        replies=[Reply(body="addresses unchanged")],
        expect=[
            Expect(
                "GET",
                "/api/update",
                query={
                    "zone": "host.example.com",
                    "token": TOKEN,
                    "ipv4": "192.0.2.20",
                },
            )
        ],
    ),
    Case(
        id="ipv64: both families in one request",
        handle="ipv64",
        settings=SETTINGS,
        addresses=BOTH,
        replies=[Reply(body="good 192.0.2.20")],
        expect=[
            Expect(
                "GET",
                "/nic/update",
                query={
                    "key": TOKEN,
                    "domain": "host.example.com",
                    "ip": "192.0.2.20",
                    "ip6": "2001:db8::20",
                },
                auth=None,
            )
        ],
    ),
    Case(
        id="ipv64: IPv6 alone",
        handle="ipv64",
        settings=SETTINGS,
        addresses={"ipv6": "2001:db8::20"},
        replies=[Reply(body="nochg")],
        expect=[
            Expect(
                "GET",
                "/nic/update",
                query={
                    "key": TOKEN,
                    "domain": "host.example.com",
                    "ip6": "2001:db8::20",
                },
            )
        ],
    ),
    Case(
        id="njalla: both families in one request",
        handle="njalla",
        settings=SETTINGS,
        addresses=BOTH,
        replies=[
            Reply(
                body=json.dumps(
                    {
                        "status": 200,
                        "message": "record updated",
                        "value": {"A": "192.0.2.20", "AAAA": "2001:db8::20"},
                    }
                )
            )
        ],
        expect=[
            Expect(
                "GET",
                "/update/",
                query={
                    "h": "host.example.com",
                    "k": TOKEN,
                    "a": "192.0.2.20",
                    "aaaa": "2001:db8::20",
                },
            )
        ],
    ),
    Case(
        id="removal is not sent: nothing to do",
        handle="njalla",
        settings=SETTINGS,
        addresses={"ipv6": None},
        replies=[],
        expect=[],
    ),
]

ANSWERS = [
    # dynv6: its two documented answers; errors come with a status.
    dynv6("addresses updated"),
    dynv6("addresses unchanged\n"),
    outcome(dynv6("invalid authentication token", 401), errors.AuthenticationError),
    outcome(dynv6("zone not found", 404), errors.NotFoundError),
    outcome(dynv6("invalid IPv4 address", 400), errors.RequestError),
    outcome(dynv6("<html><body>Error</body></html>"), errors.UnexpectedAnswerError),
    outcome(dynv6(""), errors.UnexpectedAnswerError),
    outcome(dynv6("", 503), errors.ServiceUnavailableError),
    # IPv64: DynDNS2 return codes, its update limit, statuses without a word.
    ipv64("good 192.0.2.20"),
    ipv64("nochg 192.0.2.20"),
    outcome(ipv64("badauth", 401), errors.AuthenticationError),
    outcome(ipv64("badauth"), errors.AuthenticationError),
    outcome(ipv64("nohost"), errors.RequestError),
    outcome(ipv64("overcommited", 403), errors.RateLimitedError),
    outcome(ipv64("<html>Forbidden</html>", 403), errors.AuthenticationError),
    outcome(ipv64("good", 403), errors.AuthenticationError),
    outcome(ipv64("911"), errors.ServerError),
    outcome(ipv64("<html><body>Error</body></html>"), errors.UnexpectedAnswerError),
    outcome(ipv64(""), errors.UnexpectedAnswerError),
    # Njalla: the status inside the JSON answer decides.
    njalla({"status": 200, "message": "record updated", "value": {"A": "192.0.2.20"}}),
    outcome(njalla({"status": 500, "message": "invalid data"}), errors.RequestError),
    outcome(
        njalla({"status": 500, "message": "invalid data"}, 500), errors.RequestError
    ),
    outcome(
        njalla({"status": 401, "message": "invalid key"}), errors.AuthenticationError
    ),
    outcome(
        njalla({"status": 403, "message": "forbidden"}, 403), errors.AuthenticationError
    ),
    outcome(
        njalla({"status": 404, "message": "record not found"}), errors.NotFoundError
    ),
    outcome(njalla({"status": 502, "message": "try again"}), errors.ServerError),
    outcome(njalla("<html><body>Error</body></html>"), errors.UnexpectedAnswerError),
    outcome(njalla(""), errors.UnexpectedAnswerError),
    outcome(njalla({"message": "record updated"}), errors.UnexpectedAnswerError),
    outcome(njalla("<html>Internal error</html>", 500), errors.ServerError),
]


@pytest.mark.parametrize("case", REQUESTS + ANSWERS, ids=lambda c: c.id)
def test_token_url(http_server: LoopbackServer, case: Case) -> None:
    run_case(case, http_server)


@pytest.mark.parametrize("handle", ["dynv6", "ipv64", "njalla"])
def test_token_never_logged(
    http_server: LoopbackServer, handle: str, caplog: pytest.LogCaptureFixture
) -> None:
    # As the command line does: every handler masks registered secrets, also
    # in the request lines urllib3 logs itself.
    caplog.handler.addFilter(RedactingFilter())
    caplog.set_level(logging.DEBUG)
    http_server.default = Reply(status=401, body="denied")
    cls = get(handle)
    assert cls is not None
    settings = {**SETTINGS, "url": loopback_url(cls.url, http_server)}
    with pytest.raises(errors.DDNSError):
        cls("host.example.com", settings, Client()).send(BOTH)
    assert "http:" in caplog.text
    assert "tok&en" not in caplog.text
    assert "tok%26en" not in caplog.text
