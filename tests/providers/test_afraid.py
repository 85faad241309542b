"""freedns.afraid.org: the sync URL per family and its wording."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace

import pytest

from ddns import errors
from ddns.http import Client
from ddns.providers.afraid import FreeDNS
from ddns.redact import RedactingFilter
from tests.loopback import LoopbackServer, Reply
from tests.providers.harness import Case, Expect, run_case

TOKEN = "xRVpcm1UCjJvfgRsjJsTHT37"
V4, V6 = "192.0.2.10", "2001:db8::10"

BASE = Case(
    id="",
    handle="freedns.afraid.org",
    settings={"token": TOKEN},
    addresses={"ipv4": V4},
    replies=[
        Reply(body="Updated 1 host(s) host.mooo.com to 192.0.2.10 in 0.2 seconds")
    ],
    # No address and no credentials besides the token in the path.
    expect=[Expect(path=f"/u/{TOKEN}/", query={}, auth=None)],
    hostname="host.mooo.com",
)


def answer(body: str, outcome: type[errors.DDNSError] | None, why: str) -> Case:
    return replace(BASE, id=why, replies=[Reply(body=body)], outcome=outcome)


CASES = [
    replace(BASE, id="token in the path, nothing else"),
    answer(
        "No IP change detected for host.mooo.com with IP 192.0.2.10, skipping update\n",
        None,
        "no change",
    ),
    # Field failure 6: the success wordings, one of which starts with ERROR.
    answer(
        "ERROR: Address 192.0.2.10 has not changed.", None, "field failure 6: unchanged"
    ),
    # Field failure 6: the three error bodies are failures.
    answer(
        "ERROR: Invalid update URL (2)",
        errors.RequestError,
        "field failure 6: invalid update URL",
    ),
    answer(
        "Couldn't find any matching DNS records via randomkey method!",
        errors.RequestError,
        "field failure 6: no matching records",
    ),
    answer(
        "ERROR: Could not authenticate.",
        errors.AuthenticationError,
        "field failure 6: could not authenticate",
    ),
    answer(
        "ERROR: Unable to locate this record",
        errors.AuthenticationError,
        "unknown token",
    ),
    answer(
        "ERROR: 999.0.2.10 is an invalid IP address.",
        errors.RequestError,
        "invalid address",
    ),
    answer("ERROR: Something new", errors.UnexpectedAnswerError, "unknown error"),
    answer("", errors.UnexpectedAnswerError, "field failure 3: empty 200 body"),
    answer(
        "<html><body><h1>Service Temporarily Unavailable</h1></body></html>",
        errors.UnexpectedAnswerError,
        "HTML page",
    ),
    replace(
        BASE,
        id="no token",
        settings={},
        replies=[],
        expect=[],
        outcome=errors.ProviderConfigurationError,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_freedns(case: Case, http_server: LoopbackServer) -> None:
    run_case(case, http_server)


@pytest.fixture
def ipv6_server() -> Iterator[LoopbackServer]:
    server = LoopbackServer("::1").start()
    yield server
    server.stop()


def test_ipv6_update_goes_over_ipv6(ipv6_server: LoopbackServer) -> None:
    # The service reads the address from the connection, so the IPv6 update
    # must reach it over IPv6.
    case = replace(BASE, id="ipv6", addresses={"ipv6": V6})
    run_case(case, ipv6_server)


def test_ipv6_uses_the_v6_sync_host() -> None:
    provider = FreeDNS("host.mooo.com", {"token": TOKEN}, Client())
    assert provider.sync_url("ipv4") == f"https://sync.afraid.org/u/{TOKEN}/"
    assert provider.sync_url("ipv6") == f"https://v6.sync.afraid.org/u/{TOKEN}/"


def test_token_in_the_path_is_masked_in_logs(
    http_server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    # The command line puts this filter on its handlers; urllib3 logs the path too.
    caplog.handler.addFilter(RedactingFilter())
    caplog.set_level(logging.DEBUG)
    run_case(replace(BASE, id="masked"), http_server)
    assert f"/u/{TOKEN}/" not in caplog.text
    assert "/u/********/" in caplog.text
