"""Providers with the credential shapes the host list must handle.

Registered under handles no real service uses, so the tests do not depend on
which real providers exist; nsupdate is special-cased by its handle alone.
"""

from __future__ import annotations

from ddns.providers.dyndns2 import DynDNS2Provider


class TokenOnly(DynDNS2Provider):
    """Like duckdns.org: a token and nothing else."""

    handle = "token-only.test"
    name = "Token only"
    credentials = (("token",),)
    supports_token_auth = True


class TokenOrLogin(DynDNS2Provider):
    """Like regfish.com: a token, or a username and a password."""

    handle = "token-or-login.test"
    name = "Token or login"
    protocols = ("ipv4", "ipv6")
    credentials = (("token",), ("username", "password"))
    supports_token_auth = True


class PasswordOnly(DynDNS2Provider):
    """Like he.net: one password (a per-host key)."""

    handle = "password-only.test"
    name = "Password only"
    credentials = (("password",),)
