"""Provider registry: importing this package registers every provider."""

from __future__ import annotations

import importlib

from ddns.providers.base import (
    FAMILIES,
    Provider,
    known_keys,
    registry,
    secret_keys,
    token_handles,
)

# Every module of the package but base: the ones that declare providers and
# their helpers; tests check that none is missing.
MODULES = (
    "afraid",
    "answers",
    "cloudflare",
    "custom",
    "digitalocean",
    "duckdns",
    "dyndns2",
    "families",
    "gandi",
    "godaddy",
    "hetzner",
    "hostnames",
    "lightningwirelabs",
    "namecheap",
    "porkbun",
    "querystring",
    "regfish",
    "rest",
    "rfc2136",
    "tokenurl",
)

for _module in MODULES:
    importlib.import_module(f"ddns.providers.{_module}")


def get(handle: str) -> type[Provider] | None:
    """The provider class of `handle`, or None when no provider has it."""
    return registry().get(handle)


def handles() -> list[str]:
    return sorted(registry())


__all__ = [
    "FAMILIES",
    "Provider",
    "get",
    "handles",
    "known_keys",
    "registry",
    "secret_keys",
    "token_handles",
]
