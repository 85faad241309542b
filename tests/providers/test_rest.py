"""What every REST provider shares: the zone setting, and answers outside its API."""

from __future__ import annotations

import logging

import pytest

from ddns import errors
from ddns.http import Client
from ddns.providers import get
from ddns.redact import RedactingFilter
from tests.loopback import LoopbackServer, Reply
from tests.providers.harness import Case, loopback_url, run_case

# Every REST provider with settings that reach its first request.
SETTINGS = {
    "cloudflare": {"token": "tok-Aq1"},
    "digitalocean": {"token": "tok-Bq2"},
    "gandi": {"token": "tok-Cq3"},
    "hetzner": {"token": "tok-Dq4"},
    "hetzner-cloud": {"token": "tok-Gq7"},
    "porkbun": {"apikey": "pk1_Eq5", "secretapikey": "sk1_Fq6"},
}

# Answers no API documents: error pages of proxies and load balancers, empty
# bodies, throttling and server trouble. None may pass for success.
FOREIGN_ANSWERS = [
    (
        "HTML page with 200",
        Reply(body="<html><body>Welcome</body></html>"),
        errors.UnexpectedAnswerError,
    ),
    ("empty body with 200", Reply(body=""), errors.UnexpectedAnswerError),
    ("JSON list with 200", Reply(body="[1, 2]"), errors.UnexpectedAnswerError),
    (
        "HTML page with 401",
        Reply(status=401, body="<html>401</html>"),
        errors.AuthenticationError,
    ),
    ("empty body with 404", Reply(status=404, body=""), errors.NotFoundError),
    (
        "HTML page with 502",
        Reply(status=502, body="<html>Bad gateway</html>"),
        errors.ServerError,
    ),
    ("unavailable", Reply(status=503, body=""), errors.ServiceUnavailableError),
    (
        "redirect to another host",
        Reply(
            status=302,
            body="<html>Moved</html>",
            headers={"Location": "http://example.net/"},
        ),
        errors.RedirectError,
    ),
    (
        "throttled",
        Reply(status=429, body="{}", headers={"Retry-After": "57"}),
        errors.RateLimitedError,
    ),
]


@pytest.mark.parametrize("handle", sorted(SETTINGS))
@pytest.mark.parametrize(
    ("label", "reply", "outcome"), FOREIGN_ANSWERS, ids=[a[0] for a in FOREIGN_ANSWERS]
)
def test_foreign_answers(
    http_server: LoopbackServer,
    handle: str,
    label: str,
    reply: Reply,
    outcome: type[errors.DDNSError],
) -> None:
    case = Case(
        id=label,
        handle=handle,
        settings={**SETTINGS[handle], "zone": "example.com"},
        addresses={"ipv4": "192.0.2.20"},
        replies=[reply],
        outcome=outcome,
    )
    run_case(case, http_server)
    assert len(http_server.requests) == 1  # no retry within the run


@pytest.mark.parametrize("handle", sorted(SETTINGS))
def test_zone_setting_must_hold_the_host(handle: str) -> None:
    cls = get(handle)
    assert cls is not None
    settings = {**SETTINGS[handle], "zone": "example.org", "url": "http://127.0.0.1:9"}
    with pytest.raises(errors.ProviderConfigurationError):
        cls("host.example.com", settings, Client()).send({"ipv4": "192.0.2.20"})


def test_throttling_keeps_the_wait(http_server: LoopbackServer) -> None:
    http_server.push(Reply(status=429, body="{}", headers={"Retry-After": "57"}))
    cls = get("hetzner")
    assert cls is not None
    settings = {"token": "tok-Dq4", "url": loopback_url(cls.url, http_server)}
    with pytest.raises(errors.RateLimitedError) as caught:
        cls("host.example.com", settings, Client()).send({"ipv4": "192.0.2.20"})
    assert caught.value.retry_after == 57


@pytest.mark.parametrize("handle", sorted(SETTINGS))
def test_credentials_never_logged(
    http_server: LoopbackServer, handle: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.handler.addFilter(RedactingFilter())
    caplog.set_level(logging.DEBUG)
    http_server.push(Reply(status=401, body='{"message": "denied"}'))
    cls = get(handle)
    assert cls is not None
    settings = {**SETTINGS[handle], "url": loopback_url(cls.url, http_server)}
    with pytest.raises(errors.AuthenticationError):
        cls("host.example.com", settings, Client()).send({"ipv4": "192.0.2.20"})
    assert "http:" in caplog.text
    for secret in SETTINGS[handle].values():
        assert secret not in caplog.text
