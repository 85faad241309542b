"""Providers with the credential shapes the host list must handle.

They get handles no real service uses and are registered only while a test
runs (fixture `shapes`), so the registry's own checks never see them.
nsupdate needs no stand-in: the host list special-cases it by handle.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ddns import providers
from ddns.providers.dyndns2 import DynDNS2Provider


class TokenOnly(DynDNS2Provider):
    """Like duckdns.org: a token and nothing else."""

    name = "Token only"
    credentials = (("token",),)
    supports_token_auth = True


class TokenOrLogin(DynDNS2Provider):
    """Like regfish.com: a token, or a username and a password."""

    name = "Token or login"
    protocols = ("ipv4", "ipv6")
    credentials = (("token",), ("username", "password"))
    supports_token_auth = True


class PasswordOnly(DynDNS2Provider):
    """A password and nothing else, not even an optional username."""

    name = "Password only"
    credentials = (("password",),)


# Set after the class statements: a handle in the body would register at import.
TokenOnly.handle = "token-only.test"
TokenOrLogin.handle = "token-or-login.test"
PasswordOnly.handle = "password-only.test"
SHAPES = (TokenOnly, TokenOrLogin, PasswordOnly)


@pytest.fixture
def shapes() -> Iterator[None]:
    registry = providers.registry()
    for cls in SHAPES:
        registry[cls.handle] = cls
    yield
    for cls in SHAPES:
        registry.pop(cls.handle, None)
