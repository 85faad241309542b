"""The DynDNS2 protocol: the generic provider and the standard answers."""

from __future__ import annotations

import pytest

from ddns import errors
from tests.loopback import LoopbackServer, Reply
from tests.providers.harness import Case, Expect, run_case

URL = {"url": "", "username": "alice", "password": "p#ss,w\\=rd%x"}

STANDARD_ANSWERS = [
    ("good 192.0.2.20", None),
    ("good", None),
    ("nochg 192.0.2.20\n", None),
    ("good 192.0.2.20\ngood 192.0.2.20", None),
    ("badauth", errors.AuthenticationError),
    ("nohost", errors.RequestError),
    ("notfqdn", errors.RequestError),
    ("abuse", errors.AbuseError),
    ("badagent", errors.BlockedError),
    ("!donator", errors.AccountError),
    ("911", errors.ServerError),
    ("dnserr", errors.ServerError),
    ("interval", errors.RateLimitedError),
    ("", errors.UnexpectedAnswerError),
    ("<html><body>Error</body></html>", errors.UnexpectedAnswerError),
]


@pytest.mark.parametrize(("body", "outcome"), STANDARD_ANSWERS)
def test_generic_dyndns2_answers(
    http_server: LoopbackServer, body: str, outcome: type[errors.DDNSError] | None
) -> None:
    case = Case(
        id=body,
        handle="dyndns2",
        settings={**URL, "url": http_server.url + "/nic/update"},
        addresses={"ipv4": "192.0.2.20"},
        replies=[Reply(body=body)],
        expect=[
            Expect(
                path="/nic/update",
                query={"hostname": "host.example.com", "myip": "192.0.2.20"},
                auth=("alice", "p#ss,w\\=rd%x"),
            )
        ],
        outcome=outcome,
    )
    run_case(case, http_server)


def test_chunked_answer_is_decoded(http_server: LoopbackServer) -> None:
    raw = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
        b"10\r\nnochg 192.0.2.20\r\n0\r\n\r\n"
    )
    case = Case(
        id="chunked",
        handle="dyndns2",
        settings={**URL, "url": http_server.url + "/nic/update"},
        addresses={"ipv4": "192.0.2.20"},
        replies=[Reply(raw=raw)],
    )
    run_case(case, http_server)
