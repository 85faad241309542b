"""The custom provider: URL and body templates, encoding, method, success pattern."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from ddns import config, errors
from ddns.http import Client
from ddns.providers import get
from ddns.redact import RedactingFilter
from tests.loopback import LoopbackServer, Reply
from tests.providers.harness import Case, Expect, run_case

PASSWORD = 'p&ss#w%rd"\\ x'
TOKEN = "t/k&n#1%2"


def case(
    server: LoopbackServer,
    url: str,
    *,
    reply: Reply | None = None,
    expect: Expect | None = None,
    outcome: type[errors.DDNSError] | None = None,
    addresses: dict[str, str | None] | None = None,
    **settings: str,
) -> Case:
    return Case(
        id=url,
        handle="custom",
        settings={"url": server.url + url, **settings},
        addresses=addresses or {"ipv4": "192.0.2.20"},
        replies=[reply or Reply(body="")],
        expect=None if expect is None else [expect],
        outcome=outcome,
    )


def test_placeholders_percent_encoded_in_the_query(http_server: LoopbackServer) -> None:
    url = (
        "/update?host={hostname}&ip={address}&family={family}&type={record_type}"
        "&user={username}&pw={password}&key={token}"
    )
    expected = Expect(
        "GET",
        "/update",
        query={
            "host": "host.example.com",
            "ip": "2001:db8::20",
            "family": "ipv6",
            "type": "AAAA",
            "user": "alice smith",
            "pw": PASSWORD,
            "key": TOKEN,
        },
        auth=None,
    )
    run_case(
        case(
            http_server,
            url,
            expect=expected,
            addresses={"ipv6": "2001:db8::20"},
            username="alice smith",
            password=PASSWORD,
            token=TOKEN,
        ),
        http_server,
    )


def test_placeholder_in_the_path_stays_one_segment(http_server: LoopbackServer) -> None:
    run_case(
        case(
            http_server,
            "/u/{token}/{address}",
            expect=Expect("GET", "/u/t%2Fk%26n%231%252/192.0.2.20", query={}),
            token=TOKEN,
        ),
        http_server,
    )


def test_post_form_body(http_server: LoopbackServer) -> None:
    expected = Expect(
        "POST",
        "/nic/update",
        query={},
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        form={"hostname": "host.example.com", "myip": "192.0.2.20", "secret": PASSWORD},
    )
    run_case(
        case(
            http_server,
            "/nic/update",
            expect=expected,
            method="post",
            body="hostname={hostname}&myip={address}&secret={password}",
            password=PASSWORD,
        ),
        http_server,
    )


def test_put_json_body_escapes_values(http_server: LoopbackServer) -> None:
    body = (
        '{"name": "{hostname}", "type": "{record_type}", '
        '"content": "{address}", "note": "{password}"}'
    )
    expected = Expect(
        "PUT",
        "/records/42",
        headers={"Content-Type": "application/json"},
        json={
            "name": "host.example.com",
            "type": "A",
            "content": "192.0.2.20",
            "note": PASSWORD,
        },
    )
    run_case(
        case(
            http_server,
            "/records/42",
            expect=expected,
            method="PUT",
            body=body,
            content_type="application/json",
            password=PASSWORD,
        ),
        http_server,
    )


def test_username_and_password_without_placeholders_go_in_basic_auth(
    http_server: LoopbackServer,
) -> None:
    expected = Expect("GET", "/nic/update", auth=("alice", PASSWORD))
    run_case(
        case(
            http_server,
            "/nic/update?hostname={hostname}&myip={address}",
            expect=expected,
            username="alice",
            password=PASSWORD,
        ),
        http_server,
    )


def test_one_request_per_family(http_server: LoopbackServer) -> None:
    http_server.default = Reply(body="")
    run_case(
        case(
            http_server,
            "/update?ip={address}",
            addresses={"ipv4": "192.0.2.20", "ipv6": None},
        ),
        http_server,
    )
    assert [r.query for r in http_server.requests] == [{"ip": "192.0.2.20"}]


ANSWERS = [
    ("empty 200 without a pattern", Reply(body=""), {}, None),
    ("any 2xx without a pattern", Reply(status=204, body=""), {}, None),
    (
        "text containing the pattern",
        Reply(body="Result: OK\n"),
        {"success": "OK"},
        None,
    ),
    (
        "regular expression",
        Reply(body="nochg 192.0.2.20"),
        {"success": "^(good|nochg)"},
        None,
    ),
    (
        "pattern that is no regex",
        Reply(body="updated (1)"),
        {"success": "updated (1"},
        None,
    ),
    (
        "pattern mismatch",
        Reply(body="ERROR: bad key"),
        {"success": "OK"},
        errors.UnexpectedAnswerError,
    ),
    (
        "HTML page with a pattern",
        Reply(body="<html><body>Login</body></html>"),
        {"success": "^good"},
        errors.UnexpectedAnswerError,
    ),
    (
        "empty body with a pattern",
        Reply(body=""),
        {"success": "good"},
        errors.UnexpectedAnswerError,
    ),
    ("401", Reply(status=401, body="denied"), {}, errors.AuthenticationError),
    ("404", Reply(status=404, body="<html>404</html>"), {}, errors.NotFoundError),
    ("500", Reply(status=500, body="oops"), {}, errors.ServerError),
    (
        "429",
        Reply(status=429, body="", headers={"Retry-After": "60"}),
        {},
        errors.RateLimitedError,
    ),
]


@pytest.mark.parametrize(
    ("label", "reply", "settings", "outcome"), ANSWERS, ids=[a[0] for a in ANSWERS]
)
def test_answers(
    http_server: LoopbackServer,
    label: str,
    reply: Reply,
    settings: dict[str, str],
    outcome: type[errors.DDNSError] | None,
) -> None:
    run_case(
        case(
            http_server,
            "/update?ip={address}",
            reply=reply,
            outcome=outcome,
            **settings,
        ),
        http_server,
    )


@pytest.mark.parametrize(
    "settings",
    [{"url": ""}, {"url": "http://127.0.0.1:1/x", "method": "DELETE"}],
    ids=["no url", "unknown method"],
)
def test_configuration_errors(settings: dict[str, str]) -> None:
    cls = get("custom")
    assert cls is not None
    with pytest.raises(errors.ProviderConfigurationError):
        cls("host.example.com", settings, Client()).send({"ipv4": "192.0.2.20"})


def test_secrets_never_logged(
    http_server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.handler.addFilter(RedactingFilter())
    caplog.set_level(logging.DEBUG)
    http_server.default = Reply(body="good")
    cls = get("custom")
    assert cls is not None
    settings = {
        "url": http_server.url + "/u/{token}?h={hostname}&p={password}&ip={address}",
        "password": PASSWORD,
        "token": TOKEN,
        "success": "good",
    }
    cls("host.example.com", settings, Client()).send({"ipv4": "192.0.2.20"})
    assert http_server.requests[0].query["p"] == PASSWORD
    assert "http:" in caplog.text
    for secret in (PASSWORD, TOKEN, "p%26ss", "t%2Fk"):
        assert secret not in caplog.text


KNOWN = (
    "{hostname}, {address}, {family}, {record_type}, {username}, {password}, {token}"
)


@pytest.mark.parametrize(
    ("lines", "key", "problem"),
    [
        (
            "url = http://127.0.0.1:8053/nic/update?ip={ip}&h={hostname}\n",
            "url",
            "unknown placeholder {ip}",
        ),
        (
            "url = http://127.0.0.1:8053/u?a={myip}&b={nonsense}&c={myip}\n",
            "url",
            "unknown placeholders {myip}, {nonsense}",
        ),
        (
            "url = http://127.0.0.1:8053/u\n"
            'body = {"name": "{hostname}", "ip": "{ip}"}\n',
            "body",
            "unknown placeholder {ip}",
        ),
        (
            "url = http://127.0.0.1:8053/u\nbody = myip={Address}\n",
            "body",
            "unknown placeholder {Address}",
        ),
    ],
)
def test_an_unknown_placeholder_is_a_configuration_error(
    tmp_path: Path, lines: str, key: str, problem: str
) -> None:
    path = tmp_path / "ddns.conf"
    path.write_text(f"[gw.example.org]\nprovider = custom\n{lines}")
    loaded = config.load(str(path))
    assert loaded.hosts == []
    assert str(loaded.broken["gw.example.org"]) == (
        f"{path}, [gw.example.org], {key}: {problem}; the known placeholders are {KNOWN}"
    )


def test_json_braces_and_known_placeholders_load(tmp_path: Path) -> None:
    path = tmp_path / "ddns.conf"
    path.write_text(
        "[gw.example.org]\nprovider = custom\n"
        "url = http://127.0.0.1:8053/u/{token}?h={hostname}&t={record_type}\n"
        'body = {"a": {"b": [1, {}]}, "ip": "{address}", "f": "{family}"}\n'
        "token = abc\n"
    )
    (host,) = config.load(str(path)).hosts
    assert host.provider == "custom"
