"""DNS lookups, asked of a real BIND 9 on loopback."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from ddns import errors, resolve

if TYPE_CHECKING:
    from tests.bind import Bind

pytest_plugins = ("tests.bind",)


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A UDP port on loopback that receives queries and never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.mark.parametrize(
    ("hostname", "family", "expected"),
    [
        ("static.example.test", "ipv4", ["192.0.2.10"]),
        ("static.example.test", "ipv6", ["2001:db8::10"]),
        ("STATIC.example.test.", "ipv4", ["192.0.2.10"]),
        # CNAMEs are followed to the address.
        ("alias.example.test", "ipv4", ["192.0.2.10"]),
        ("nothing-here.example.test", "ipv4", []),
        # The zone's apex exists but has no address.
        ("example.test", "ipv6", []),
    ],
)
def test_lookup_asks_the_server(
    bind: Bind, hostname: str, family: str, expected: list[str]
) -> None:
    assert resolve.lookup(hostname, family, "127.0.0.1", bind.port) == expected


def test_lookup_over_ipv6(bind: Bind) -> None:
    if not bind.has_ipv6:
        pytest.skip("no IPv6 loopback")
    assert resolve.lookup("static.example.test", "ipv4", "::1", bind.port) == [
        "192.0.2.10"
    ]


def test_lookup_with_the_system_nameservers(bind: Bind, bind_resolver: None) -> None:
    assert resolve.lookup("static.example.test", "ipv6") == ["2001:db8::10"]


def test_server_refusing_the_name_is_a_resolve_error(bind: Bind) -> None:
    # Not authoritative for it and no recursion: BIND refuses.
    with pytest.raises(errors.ResolveError) as caught:
        resolve.lookup("www.example.org", "ipv4", "127.0.0.1", bind.port)
    assert "REFUSED" in str(caught.value)
    assert f"127.0.0.1 port {bind.port}" in str(caught.value)


def test_silent_server_times_out(silent_server: int) -> None:
    with pytest.raises(errors.ConnectionTimeout) as caught:
        resolve.lookup("host.example.test", "ipv4", "127.0.0.1", silent_server, 0.2)
    assert caught.value.temporary
    assert "no answer within 0.2 s" in str(caught.value)


@pytest.mark.parametrize(
    ("hostname", "zone"),
    [
        ("host.example.test", "example.test"),
        ("a.b.c.example.test", "example.test"),
        ("example.test", "example.test"),
        ("gw.open.test.", "open.test"),
    ],
)
def test_find_zone_asks_the_server(bind: Bind, hostname: str, zone: str) -> None:
    found = resolve.find_zone(hostname, "127.0.0.1", bind.port)
    assert found == resolve.Zone(zone, f"ns1.{zone}")


def test_find_zone_with_the_system_nameservers(bind: Bind, bind_resolver: None) -> None:
    assert resolve.find_zone("gw.example.test") == resolve.Zone(
        "example.test", "ns1.example.test"
    )


def test_find_zone_of_a_foreign_name(bind: Bind) -> None:
    with pytest.raises(errors.ResolveError) as caught:
        resolve.find_zone("gw.example.org", "127.0.0.1", bind.port)
    assert "REFUSED" in str(caught.value)


def test_authoritative_asks_the_zones_own_servers(
    bind: Bind, bind_resolver: None
) -> None:
    assert resolve.authoritative("static.example.test", "ipv4", port=bind.port) == [
        "192.0.2.10"
    ]
    assert resolve.authoritative("missing.example.test", "ipv6", port=bind.port) == []


def test_authoritative_without_reachable_servers(
    bind: Bind, bind_resolver: None, silent_server: int
) -> None:
    with pytest.raises(errors.ConnectionTimeout):
        resolve.authoritative(
            "static.example.test", "ipv4", port=silent_server, timeout=0.2
        )


def test_name_that_cannot_be_a_dns_name(bind: Bind) -> None:
    with pytest.raises(errors.ResolveError) as caught:
        resolve.lookup("a" * 64 + ".example.test", "ipv4", "127.0.0.1", bind.port)
    assert "63 octets" in str(caught.value)
