"""The HTTP client against real loopback servers: plain, TLS and a proxy."""

from __future__ import annotations

import base64
import errno
import logging
import os
import re
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator

import pytest

from ddns import __version__, errors, http
from ddns.http import Client
from ddns.redact import register
from tests.loopback import LoopbackServer, Reply


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1, made by the openssl command."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec",
            "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", str(key), "-out", str(cert), "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return str(cert), str(key)


@pytest.fixture
def https_server(certificate: tuple[str, str]) -> Iterator[LoopbackServer]:
    server = LoopbackServer()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    server._server.socket = context.wrap_socket(server._server.socket, server_side=True)
    server.start()
    yield server
    server.stop()


def https_url(server: LoopbackServer) -> str:
    return server.url.replace("http://", "https://")


def client(**kwargs: object) -> Client:
    return Client(connect_timeout=2, read_timeout=5, **kwargs)  # type: ignore[arg-type]


def test_user_agent_names_the_version(http_server: LoopbackServer) -> None:
    client().get(http_server.url + "/")
    agent = http_server.requests[0].header("User-Agent")
    assert agent is not None
    assert agent.startswith(f"ddns/{__version__} ")


def test_read_timeout(http_server: LoopbackServer) -> None:
    http_server.default = Reply(body="late", delay=0.5)
    with pytest.raises(errors.ConnectionTimeout):
        Client(connect_timeout=2, read_timeout=0.1).get(http_server.url + "/")


def test_refused_connection() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(errors.ConnectionRefused):
        client().get(f"http://127.0.0.1:{port}/")


@pytest.mark.parametrize(
    ("status", "error", "retry_after"),
    [
        (401, errors.AuthenticationError, None),
        (404, errors.NotFoundError, None),
        (429, errors.RateLimitedError, 57.0),
        (500, errors.ServerError, None),
        (503, errors.ServiceUnavailableError, 57.0),
    ],
)
def test_statuses_map_to_errors(
    http_server: LoopbackServer,
    status: int,
    error: type[errors.DDNSError],
    retry_after: float | None,
) -> None:
    http_server.default = Reply(
        status=status,
        body='{"detail":"Request was throttled. Expected available in 57 seconds."}',
        headers={"Retry-After": "57"},
    )
    with pytest.raises(error) as caught:
        client().get(http_server.url + "/")
    assert type(caught.value) is error
    assert caught.value.retry_after == retry_after
    assert f"HTTP {status}" in str(caught.value)


def test_accepted_statuses_are_returned(http_server: LoopbackServer) -> None:
    http_server.default = Reply(status=422, body="invalid ip")
    response = client().get(http_server.url + "/", accept={200, 422})
    assert (response.status, response.text) == (422, "invalid ip")


def test_proxy_with_credentials(http_server: LoopbackServer) -> None:
    proxy = f"http://alice:proxy-pw@127.0.0.1:{http_server.port}"
    client(proxy=proxy).get(
        "http://update.example.com/nic/update", params={"hostname": "h.example.com"}
    )
    (request,) = http_server.requests
    assert request.path == "/nic/update"
    assert request.query == {"hostname": "h.example.com"}
    assert request.header("Host") == "update.example.com"
    expected = base64.b64encode(b"alice:proxy-pw").decode()
    assert request.header("Proxy-Authorization") == f"Basic {expected}"


def test_tls_is_verified(https_server: LoopbackServer) -> None:
    with pytest.raises(errors.CertificateError):
        client().get(https_url(https_server) + "/")
    assert https_server.requests == []


def test_tls_trusts_requests_ca_bundle(
    https_server: LoopbackServer,
    certificate: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certificate[0])
    response = client().get(https_url(https_server) + "/", auth=("alice", "pw-1"))
    assert response.text == "good"
    assert https_server.requests[0].basic_auth == ("alice", "pw-1")


# Field failure 15: redirects are followed only from http to https, same host.


def test_redirect_to_https_on_the_same_host_is_followed(
    http_server: LoopbackServer,
    https_server: LoopbackServer,
    certificate: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certificate[0])
    target = (
        https_url(https_server) + "/nic/update?hostname=h.example.com&myip=198.51.100.7"
    )
    http_server.default = Reply(
        status=302, body="<HTML>moved</HTML>", headers={"Location": target}
    )
    https_server.default = Reply(body="good 198.51.100.7")
    response = client().get(
        http_server.url + "/nic/update",
        params={"hostname": "h.example.com", "myip": "198.51.100.7"},
        auth=("alice", "pw-1"),
    )
    assert response.text == "good 198.51.100.7"
    (followed,) = https_server.requests
    assert followed.query == {"hostname": "h.example.com", "myip": "198.51.100.7"}
    # The followed request authenticates again, now over TLS.
    assert followed.basic_auth == ("alice", "pw-1")


@pytest.mark.parametrize(
    "location",
    [
        "https://update.example.com/nic/update?hostname=h.example.com",
        "http://update.example.com/nic/update",
        "/elsewhere",
    ],
)
def test_other_redirects_fail_naming_the_location(
    http_server: LoopbackServer, location: str
) -> None:
    http_server.default = Reply(
        status=302,
        body="<HTML><BODY>The document has moved</BODY></HTML>",
        headers={"Location": location},
    )
    with pytest.raises(errors.RedirectError) as caught:
        client().get(http_server.url + "/nic/update")
    target = location if "://" in location else http_server.url + location
    assert (
        str(caught.value)
        == f"The provider moved its update service: provider moved to {target}"
    )


def test_downgrade_from_https_is_refused(
    https_server: LoopbackServer,
    certificate: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certificate[0])
    location = f"http://127.0.0.1:{https_server.port}/nic/update"
    https_server.default = Reply(status=301, headers={"Location": location})
    with pytest.raises(
        errors.RedirectError, match=re.escape("provider moved to http://127.0.0.1")
    ):
        client().get(https_url(https_server) + "/nic/update")


def test_secrets_are_masked_in_debug_logs(
    http_server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    register("pw-secret-1")
    http_server.default = Reply(status=401, body="wrong password pw-secret-1")
    with (
        caplog.at_level(logging.DEBUG, logger="ddns"),
        pytest.raises(errors.AuthenticationError) as caught,
    ):
        client().get(
            http_server.url + "/update",
            params={"token": "tok-secret-2", "hostname": "h.example.com"},
            auth=("alice", "pw-secret-1"),
        )
    logged = caplog.text
    assert "token=********" in logged
    assert "hostname=h.example.com" in logged
    for secret in (
        "pw-secret-1",
        "tok-secret-2",
        base64.b64encode(b"alice:pw-secret-1").decode(),
    ):
        assert secret not in logged
        assert secret not in str(caught.value)


def test_response_helpers(http_server: LoopbackServer) -> None:
    http_server.default = Reply(body='{"ok": true}', headers={"X-Result": "good"})
    response = client().get(http_server.url + "/")
    assert response.json() == {"ok": True}
    assert response.header("x-result") == "good"
    http_server.default = Reply(body="not json")
    with pytest.raises(errors.UnexpectedAnswerError):
        client().get(http_server.url + "/").json()


# Library errors in a few plain words, not urllib3's repr.


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_refused_connection_in_plain_words() -> None:
    port = closed_port()
    with pytest.raises(errors.ConnectionRefused) as caught:
        client().get(f"http://127.0.0.1:{port}/nic/update")
    assert str(caught.value) == (
        f"Connection refused: cannot connect to 127.0.0.1:{port}: connection refused"
    )


def test_read_timeout_in_plain_words(http_server: LoopbackServer) -> None:
    http_server.default = Reply(body="late", delay=0.5)
    with pytest.raises(errors.ConnectionTimeout) as caught:
        Client(connect_timeout=2, read_timeout=0.1).get(http_server.url + "/")
    assert str(caught.value) == (
        f"Connection timed out: 127.0.0.1:{http_server.port} sent no answer "
        "within 0.1 s"
    )


def test_unresolvable_name_in_plain_words() -> None:
    with pytest.raises(errors.ResolveError) as caught:
        client().get("http://127.0.0.1:1/", family="ipv6")
    assert str(caught.value) == (
        "Could not resolve a DNS name: cannot resolve 127.0.0.1 to an IPv6 address"
    )


def test_refusing_proxy_in_plain_words() -> None:
    port = closed_port()
    with pytest.raises(errors.NetworkError) as caught:
        client(proxy=f"http://alice:proxy-pw@127.0.0.1:{port}").get(
            "http://update.example.com/nic/update"
        )
    assert str(caught.value) == (
        f"Network error: proxy 127.0.0.1:{port} refused the connection"
    )


def test_server_closing_without_answer_in_plain_words() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]

        def close_at_once() -> None:
            connection, _ = listener.accept()
            connection.recv(4096)
            connection.close()

        closer = threading.Thread(target=close_at_once)
        closer.start()
        with pytest.raises(errors.NetworkError) as caught:
            client().get(f"http://127.0.0.1:{port}/")
        closer.join()
    assert str(caught.value) == (
        f"Network error: 127.0.0.1:{port} closed the connection without answering"
    )


def test_untrusted_certificate_in_plain_words(https_server: LoopbackServer) -> None:
    with pytest.raises(errors.CertificateError) as caught:
        client().get(https_url(https_server) + "/")
    assert str(caught.value) == (
        "The provider's certificate could not be verified: "
        f"127.0.0.1:{https_server.port}: self-signed certificate"
    )


CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        (
            b"<script>alert(1)</script>\x1b[31mRED",
            "HTTP 500: <script>alert(1)</script>\\x1b[31mRED",
        ),
        (
            bytes(range(32)) + b"end\x7f",
            # Blanks (tab to CR, FS to US) fold into one space as any whitespace.
            "HTTP 500: \\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08 "
            "\\x0e\\x0f\\x10\\x11\\x12\\x13\\x14\\x15\\x16\\x17\\x18\\x19\\x1a\\x1b "
            "end\\x7f",
        ),
        ("ok\u202etxt.exe\u2028x".encode(), "HTTP 500: ok\\u202etxt.exe x"),
    ],
)
def test_an_answer_is_quoted_with_its_control_characters_escaped(
    http_server: LoopbackServer, body: bytes, shown: str
) -> None:
    utf8 = {"Content-Type": "text/plain; charset=utf-8"}
    http_server.push(Reply(status=500, body=body, headers=utf8))
    with pytest.raises(errors.ServerError) as caught:
        Client().get(http_server.url + "/u")
    text = str(caught.value)
    assert text == f"The provider's server reported an internal error: {shown}"
    assert not CONTROLS.search(text)


def test_a_secret_cut_by_the_excerpt_is_still_masked() -> None:
    from ddns.http import summarise

    register("0123456789-secret")
    text = summarise("x" * 110 + " 0123456789-secret and more")
    # The mask is what the cut shortens, never the secret.
    assert text == "x" * 110 + " ******..."


@pytest.mark.parametrize(
    ("number", "cls"),
    [
        (errno.ENETUNREACH, errors.NoRouteError),
        (errno.EADDRNOTAVAIL, errors.NoRouteError),
        (errno.EHOSTUNREACH, errors.NetworkError),
    ],
)
def test_no_route_of_the_family_is_told_apart(
    number: int, cls: type[errors.DDNSError]
) -> None:
    cause = OSError(number, os.strerror(number))
    error = http._connection_error(cause, "[2001:db8::1]:443", "ipv6")
    assert type(error) is cls
    assert error.kind == "network"
    assert str(error) == (
        f"Network error: cannot reach [2001:db8::1]:443: {os.strerror(number).lower()}"
    )


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        (
            "<html><head><title>500 Internal Server Error</title></head><body>"
            "<h1>Internal Server Error</h1><p>oops</p></body></html>",
            "500 Internal Server Error: Internal Server Error oops",
        ),
        (
            "\n<!DOCTYPE html><html><head><style>p{color:red}</style>"
            "<script>var a = 1;</script></head><body><p>Host &amp; key "
            "unknown</p></body></html>",
            "Host & key unknown",
        ),
        ("<html><body></body></html>", "<html><body></body></html>"),
        ("<b>good</b> 192.0.2.1", "<b>good</b> 192.0.2.1"),
    ],
)
def test_an_html_error_page_is_quoted_by_its_words(page: str, shown: str) -> None:
    from ddns.http import summarise

    assert summarise(page) == shown
