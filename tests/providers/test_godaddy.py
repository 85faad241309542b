"""GoDaddy: PUT and DELETE on /v1/domains/<zone>/records/<type>/<name>."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from ddns import errors
from ddns.http import Client
from ddns.providers import get
from ddns.providers.godaddy import GoDaddy
from tests.loopback import LoopbackServer, Reply
from tests.providers.harness import Case, Expect, run_case

KEY, SECRET = "dLP4WKz5PdkS_GuUxB8ym5oRiYSxH9aYSmT", "GuUFdVFj8nJ1M79RtdwmkZ"
V4, V6 = "192.0.2.10", "2001:db8::10"
AUTH = {"Authorization": f"sso-key {KEY}:{SECRET}"}


def error_body(code: str, message: str, **extra: object) -> str:
    return json.dumps({"code": code, "message": message, **extra})


BASE = Case(
    id="",
    handle="godaddy.com",
    # The original's setting names, so that old configurations load.
    settings={"username": KEY, "password": SECRET},
    addresses={"ipv4": V4},
    replies=[Reply(status=200, body="")],
    expect=[
        Expect(
            method="PUT",
            path="/v1/domains/example.com/records/A/host",
            query={},
            headers=AUTH,
            json=[{"data": V4, "ttl": 600}],
            auth=None,
        )
    ],
)


def refused(status: int, body: str, outcome: type[errors.DDNSError], why: str) -> Case:
    return replace(
        BASE, id=why, replies=[Reply(status=status, body=body)], outcome=outcome
    )


CASES = [
    replace(BASE, id="A record, key and secret in the sso-key header"),
    replace(
        BASE,
        id="AAAA record",
        addresses={"ipv6": V6},
        expect=[
            Expect(
                method="PUT",
                path="/v1/domains/example.com/records/AAAA/host",
                json=[{"data": V6, "ttl": 600}],
            )
        ],
    ),
    replace(
        BASE,
        id="the apex is @",
        hostname="example.com",
        expect=[Expect(method="PUT", path="/v1/domains/example.com/records/A/@")],
    ),
    replace(
        BASE,
        id="a deeper name keeps every label below the zone",
        hostname="a.b.example.com",
        expect=[Expect(method="PUT", path="/v1/domains/example.com/records/A/a.b")],
    ),
    replace(
        BASE,
        id="zone setting for a two-label suffix",
        hostname="home.example.co.uk",
        settings={"username": KEY, "password": SECRET, "zone": "example.co.uk"},
        expect=[Expect(method="PUT", path="/v1/domains/example.co.uk/records/A/home")],
    ),
    replace(
        BASE,
        id="ttl setting",
        settings={"username": KEY, "password": SECRET, "ttl": "3600"},
        expect=[Expect(method="PUT", json=[{"data": V4, "ttl": 3600}])],
    ),
    replace(
        BASE,
        id="removal deletes the records of that type",
        addresses={"ipv6": None},
        replies=[Reply(status=204, body="")],
        expect=[
            Expect(
                method="DELETE",
                path="/v1/domains/example.com/records/AAAA/host",
                headers=AUTH,
            )
        ],
    ),
    replace(
        BASE,
        id="removing a record that is gone",
        addresses={"ipv6": None},
        replies=[Reply(status=404, body=error_body("NOT_FOUND", "Not found"))],
        expect=[
            Expect(method="DELETE", path="/v1/domains/example.com/records/AAAA/host")
        ],
    ),
    refused(
        401,
        error_body("UNABLE_TO_AUTHENTICATE", "Could not authenticate API key/secret"),
        errors.AuthenticationError,
        "wrong key or secret",
    ),
    refused(
        403,
        error_body("ACCESS_DENIED", "Authenticated user is not allowed access"),
        errors.AccountError,
        "account without API access",
    ),
    refused(
        404,
        error_body("UNKNOWN_DOMAIN", "The given domain is not registered"),
        errors.NotFoundError,
        "unknown domain",
    ),
    refused(
        422,
        error_body("INVALID_BODY", "Request body doesn't fulfill schema"),
        errors.RequestError,
        "invalid record",
    ),
    refused(
        500,
        "<html><body><h1>Internal Server Error</h1></body></html>",
        errors.ServerError,
        "HTML error page",
    ),
    replace(
        BASE,
        id="ttl that is not a number",
        settings={"username": KEY, "password": SECRET, "ttl": "ten"},
        replies=[],
        expect=[],
        outcome=errors.ProviderConfigurationError,
    ),
    replace(
        BASE,
        id="hostname outside the zone setting",
        settings={"username": KEY, "password": SECRET, "zone": "example.org"},
        replies=[],
        expect=[],
        outcome=errors.ProviderConfigurationError,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_godaddy(case: Case, http_server: LoopbackServer) -> None:
    run_case(case, http_server)


def test_rate_limit_carries_the_wait(http_server: LoopbackServer) -> None:
    http_server.push(
        Reply(
            status=429,
            body=error_body("TOO_MANY_REQUESTS", "Too many requests", retryAfterSec=42),
        )
    )
    provider = GoDaddy(
        "host.example.com",
        {"username": KEY, "password": SECRET, "url": http_server.url + "/v1/domains/"},
        Client(),
    )
    with pytest.raises(errors.RateLimitedError) as caught:
        provider.send({"ipv4": V4})
    assert caught.value.retry_after == 42
    assert "Too many requests" in str(caught.value)


def test_godaddy_is_not_a_token_provider() -> None:
    # The original listed it among token providers by mistake.
    provider = get("godaddy.com")
    assert provider is not None
    assert not provider.supports_token_auth
    assert provider.credentials == (("username", "password"),)
