"""Shared fixtures: no network beyond loopback, a scripted HTTP server."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator

import pytest

from ddns.redact import forget_all
from tests.loopback import LoopbackServer

_real_connect = socket.socket.connect
_real_sendto = socket.socket.sendto


def _is_loopback(address: object) -> bool:
    if isinstance(address, (str, bytes)):
        return True  # AF_UNIX
    host = address[0] if isinstance(address, tuple) else None
    if host in ("localhost",):
        return True
    try:
        ip = ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return False
    return ip.is_loopback or ip.is_unspecified


def _guarded_connect(self: socket.socket, address: object) -> object:
    if not _is_loopback(address):
        raise OSError(f"tests may not reach {address!r}: loopback only")
    return _real_connect(self, address)  # type: ignore[arg-type]


def _guarded_sendto(self: socket.socket, data: bytes, *args: object) -> int:
    address = args[-1]
    if not _is_loopback(address):
        raise OSError(f"tests may not reach {address!r}: loopback only")
    return _real_sendto(self, data, *args)  # type: ignore[arg-type]


socket.socket.connect = _guarded_connect  # type: ignore[method-assign,assignment]
socket.socket.sendto = _guarded_sendto  # type: ignore[method-assign,assignment]


@pytest.fixture
def http_server() -> Iterator[LoopbackServer]:
    server = LoopbackServer().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _forget_secrets() -> Iterator[None]:
    yield
    forget_all()
