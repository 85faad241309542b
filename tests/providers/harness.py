"""Runs table-driven provider cases against the loopback HTTP server.

A `Case` names a provider handle, the host's settings, the addresses to send,
the server's scripted replies, the exact requests expected and the outcome
(None for success, else the DDNSError subclass). The provider's default URL is
pointed at the loopback server by keeping its path and replacing scheme and
host, so every case checks the real path the provider would use.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from ddns import errors
from ddns.http import Client
from ddns.providers import get
from tests.loopback import LoopbackServer, Reply, Request


@dataclass
class Expect:
    """One request the provider must send; None fields are not checked."""

    method: str = "GET"
    path: str | None = None
    query: dict[str, str] | None = None
    auth: tuple[str, str] | bool | None = False  # False: not checked
    headers: dict[str, str] = field(default_factory=dict)
    json: Any = None
    form: dict[str, str] | None = None


@dataclass
class Case:
    id: str
    handle: str
    settings: dict[str, str]
    addresses: dict[str, str | None]
    replies: list[Reply]
    expect: list[Expect] | None = None
    outcome: type[errors.DDNSError] | None = None
    hostname: str = "host.example.com"


def json_reply(body: Any, status: int = 200) -> Reply:
    """An answer of a JSON API: `body` encoded, with its content type."""
    return Reply(
        status=status,
        body=json.dumps(body),
        headers={"Content-Type": "application/json"},
    )


def loopback_url(default_url: str, server: LoopbackServer) -> str:
    """`default_url` with its scheme and host replaced by the server's."""
    parts = urlsplit(default_url)
    rest = parts.path + (f"?{parts.query}" if parts.query else "")
    return server.url + rest


def run_case(case: Case, server: LoopbackServer) -> list[Request]:
    _run(case, server)
    return server.requests


def raised_error(case: Case, server: LoopbackServer) -> errors.DDNSError:
    """Run a case that fails; the error it raised, for checks of its fields."""
    assert case.outcome is not None, f"{case.id} expects success"
    error = _run(case, server)
    assert error is not None
    return error


def _run(case: Case, server: LoopbackServer) -> errors.DDNSError | None:
    cls = get(case.handle)
    assert cls is not None, f"no provider {case.handle}"
    settings = dict(case.settings)
    settings.setdefault("url", loopback_url(cls.url, server))
    server.push(*case.replies)
    provider = cls(case.hostname, settings, Client(connect_timeout=2, read_timeout=5))
    error = None
    if case.outcome is None:
        provider.send(case.addresses)
    else:
        with pytest.raises(case.outcome) as caught:
            provider.send(case.addresses)
        assert isinstance(caught.value, case.outcome)
        error = caught.value
    if case.expect is not None:
        assert len(server.requests) == len(case.expect), [
            (r.method, r.path, r.query) for r in server.requests
        ]
        for request, expected in zip(server.requests, case.expect, strict=True):
            check_request(request, expected)
    return error


def check_request(request: Request, expected: Expect) -> None:
    assert request.method == expected.method
    if expected.path is not None:
        assert request.path == expected.path
    if expected.query is not None:
        assert request.query == expected.query
    if expected.auth is not False:
        assert request.basic_auth == expected.auth
    for name, value in expected.headers.items():
        assert request.header(name) == value, name
    if expected.json is not None:
        assert json.loads(request.body) == expected.json
    if expected.form is not None:
        form = {
            k: v[-1] for k, v in parse_qs(request.text, keep_blank_values=True).items()
        }
        assert form == expected.form
