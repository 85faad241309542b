"""The demo's DynDNS2 endpoint, driven by the client's own dyndns2 provider."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from urllib.request import urlopen

import pytest

from ddns import errors
from ddns.http import Client
from ddns.providers import get
from tests.demo.dyndns2_endpoint import make_server


@pytest.fixture
def endpoint() -> Iterator[tuple[str, io.StringIO]]:
    out = io.StringIO()
    server = make_server(0, ("demo", "s3cret-demo"), ["home.example.net"], out)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", out
    server.shutdown()
    server.server_close()


def send(url: str, hostname: str, password: str, addresses: dict[str, str]) -> None:
    cls = get("dyndns2")
    assert cls is not None
    settings = {"url": url + "/nic/update", "username": "demo", "password": password}
    provider = cls(hostname, settings, Client(connect_timeout=2, read_timeout=5))
    for family, address in addresses.items():
        provider.send({family: address})


def test_records_both_families_and_answers_nochg(
    endpoint: tuple[str, io.StringIO],
) -> None:
    url, out = endpoint
    both = {"ipv4": "198.51.100.7", "ipv6": "2001:db8:100::7"}
    send(url, "home.example.net", "s3cret-demo", both)
    send(url, "home.example.net", "s3cret-demo", both)

    with urlopen(url + "/records") as response:
        records = json.loads(response.read())
    assert records == {
        "home.example.net": {"A": "198.51.100.7", "AAAA": "2001:db8:100::7"}
    }
    lines = out.getvalue().splitlines()
    assert lines[0] == (
        "dyndns2 endpoint: GET /nic/update hostname=home.example.net "
        "myip=198.51.100.7 -> 200 good 198.51.100.7"
    )
    assert lines[2].endswith("-> 200 nochg 198.51.100.7")
    assert len(lines) == 4
    assert "s3cret-demo" not in out.getvalue()


@pytest.mark.parametrize(
    ("hostname", "password", "error"),
    [
        ("home.example.net", "wrong", errors.AuthenticationError),
        ("other.example.net", "s3cret-demo", errors.RequestError),
        ("home", "s3cret-demo", errors.RequestError),
    ],
)
def test_refusals(
    endpoint: tuple[str, io.StringIO],
    hostname: str,
    password: str,
    error: type[errors.DDNSError],
) -> None:
    url, _out = endpoint
    with pytest.raises(error):
        send(url, hostname, password, {"ipv4": "198.51.100.7"})
