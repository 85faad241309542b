"""Duck DNS: one request for both families, `OK` and `KO`."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ddns import errors
from ddns.providers.duckdns import domain_label
from tests.loopback import LoopbackServer, Reply
from tests.providers.harness import Case, Expect, run_case

TOKEN = "a7c4d0ad-114e-40ef-ba1d-d217904a50f2"
V4, V6 = "192.0.2.10", "2001:db8::10"
HTML = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"

BASE = Case(
    id="",
    handle="duckdns.org",
    settings={"token": TOKEN},
    addresses={"ipv4": V4, "ipv6": V6},
    replies=[Reply(body="OK")],
    expect=[
        Expect(
            path="/update",
            query={"domains": "home", "token": TOKEN, "ip": V4, "ipv6": V6},
            auth=None,
        )
    ],
    hostname="home.duckdns.org",
)


def answer(body: str, outcome: type[errors.DDNSError] | None, why: str) -> Case:
    return replace(BASE, id=why, replies=[Reply(body=body)], outcome=outcome)


CASES = [
    replace(BASE, id="both families in one request, label without .duckdns.org"),
    replace(BASE, id="hostname given as the bare label", hostname="home"),
    replace(
        BASE,
        id="IPv6 alone goes in ipv6, so no IPv4 is guessed",
        addresses={"ipv6": V6},
        expect=[Expect(query={"domains": "home", "token": TOKEN, "ipv6": V6})],
    ),
    replace(
        BASE,
        id="a family without an address is left out of the request",
        addresses={"ipv4": V4, "ipv6": None},
        expect=[Expect(query={"domains": "home", "token": TOKEN, "ip": V4})],
    ),
    replace(
        BASE,
        id="no address at all sends nothing",
        addresses={"ipv4": None, "ipv6": None},
        replies=[],
        expect=[],
    ),
    answer("OK\n192.0.2.10\n2001:db8::10\nUPDATED", None, "verbose OK"),
    answer("OK\n192.0.2.10\n\nNOCHANGE\n", None, "verbose OK without change"),
    # Field failure 5: KO is a failure, never success.
    answer("KO", errors.AuthenticationError, "field failure 5: KO"),
    answer("KO\n", errors.AuthenticationError, "field failure 5: KO with newline"),
    # Field failure 3: an empty 200 is not an answer Duck DNS gives.
    answer("", errors.UnexpectedAnswerError, "field failure 3: empty 200 body"),
    answer(HTML, errors.UnexpectedAnswerError, "HTML error page with status 200"),
    replace(
        BASE,
        id="HTTP 502 HTML page is a server error",
        replies=[Reply(status=502, body=HTML, headers={"Content-Type": "text/html"})],
        outcome=errors.ServerError,
    ),
    # Field failure 1: the chunk sizes are framing, the body is OK.
    replace(
        BASE,
        id="field failure 1: chunked OK",
        replies=[
            Reply(
                raw=b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                b"Content-Type: text/plain\r\n\r\n2\r\nOK\r\n0\r\n\r\n"
            )
        ],
    ),
    replace(
        BASE,
        id="missing token",
        settings={},
        replies=[],
        expect=[],
        outcome=errors.ProviderConfigurationError,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_duckdns(case: Case, http_server: LoopbackServer) -> None:
    run_case(case, http_server)


@pytest.mark.parametrize(
    ("hostname", "label"),
    [
        ("home.duckdns.org", "home"),
        ("home", "home"),
        ("Home.DuckDNS.org.", "home"),
        ("www.home.duckdns.org", "home"),
    ],
)
def test_domain_label(hostname: str, label: str) -> None:
    assert domain_label(hostname) == label
