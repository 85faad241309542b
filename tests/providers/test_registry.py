"""Checks over every registered provider, whichever module declares it."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import ddns.providers
from ddns.providers import (
    FAMILIES,
    MODULES,
    Provider,
    known_keys,
    registry,
    token_handles,
)
from ddns.providers.dyndns2 import DynDNS2Provider

# The handles of the original client (providers.md): users' configuration
# files name them, so they are kept exactly as spelled here.
ORIGINAL_HANDLES = (
    "all-inkl.com",
    "changeip.com",
    "ddnss.de",
    "desec.io",
    "dhs.org",
    "dns.lightningwirelabs.com",
    "dnsmadeeasy.com",
    "dnspark.com",
    "do.de",
    "domains.google.com",
    "domopoli.de",
    "dtdns.com",
    "duckdns.org",
    "dy.fi",
    "dyndns.org",
    "dyns.net",
    "dynu.com",
    "dynup.de",
    "easydns.com",
    "enom.com",
    "entrydns.net",
    "freedns.afraid.org",
    "godaddy.com",
    "he.net",
    "infomaniak.ch",
    "inwx.com",
    "itsdns.de",
    "joker.com",
    "key-systems.net",
    "loopia.se",
    "myonlineportal.net",
    "namecheap.com",
    "no-ip.com",
    "now-dns.com",
    "nsupdate",
    "nsupdate.info",
    "opendns.com",
    "ovh.com",
    "regfish.com",
    "schokokeks.org",
    "selfhost.de",
    "servercow.de",
    "spdns.org",
    "strato.com",
    "twodns.de",
    "udmedia.de",
    "variomedia.de",
    "xlhost.de",
    "zoneedit.com",
    "zzzz.io",
)

# What the original's `list-token-providers` printed, but godaddy.com, which
# it listed only by mistake (it takes an API key and secret). IPFire's page
# shows a Token field for exactly these.
ORIGINAL_TOKEN_HANDLES = (
    "dns.lightningwirelabs.com",
    "duckdns.org",
    "entrydns.net",
    "freedns.afraid.org",
    "nsupdate.info",
    "regfish.com",
    "spdns.org",
    "zzzz.io",
)

HANDLES = sorted(registry())
URL = re.compile(r"^https?://[^\s/]+")


def provider(handle: str) -> type[Provider]:
    return registry()[handle]


def test_every_handle_of_the_original_is_registered() -> None:
    # Configuration files name them; a missing one stops the host from loading.
    missing = sorted(set(ORIGINAL_HANDLES) - set(registry()))
    assert missing == []
    assert len(ORIGINAL_HANDLES) == len(set(ORIGINAL_HANDLES)) == 50


def test_token_providers_are_the_originals_but_godaddy() -> None:
    assert set(token_handles()) == set(ORIGINAL_TOKEN_HANDLES)


def test_a_second_class_with_a_taken_handle_is_rejected() -> None:
    before = dict(registry())
    with pytest.raises(TypeError, match=r"'dyndns\.org'"):

        class Impostor(DynDNS2Provider):
            handle = "dyndns.org"
            name = "Impostor"
            url = "https://impostor.example.com/nic/update"

    assert registry() == before
    assert registry()["dyndns.org"].name == "Dyn"


@pytest.mark.parametrize("handle", HANDLES)
def test_handle_is_registered_under_its_own_name(handle: str) -> None:
    assert provider(handle).handle == handle


@pytest.mark.parametrize("handle", HANDLES)
def test_handle_is_a_valid_config_value(handle: str) -> None:
    # Written after `provider =` in ddns.conf and as a field of IPFire's
    # comma-separated host list: lower case, no spaces, no commas.
    assert re.fullmatch(r"[a-z0-9][a-z0-9.-]*[a-z0-9]", handle)


@pytest.mark.parametrize("handle", HANDLES)
def test_original_handles_keep_their_spelling(handle: str) -> None:
    # noip.com was once renamed from no-ip.com and broke configurations.
    def squashed(name: str) -> str:
        return re.sub(r"[^a-z0-9]", "", name.lower())

    twins = [h for h in ORIGINAL_HANDLES if squashed(h) == squashed(handle)]
    assert twins in ([], [handle])


@pytest.mark.parametrize("handle", HANDLES)
def test_provider_names_itself_and_its_documentation(handle: str) -> None:
    cls = provider(handle)
    assert cls.name.strip()
    assert URL.match(cls.website)
    assert cls.docs == "" or URL.match(cls.docs)
    # Without published documentation the website is where users look.
    assert cls.docs or cls.website.startswith("https://")


@pytest.mark.parametrize("handle", HANDLES)
def test_families_are_ipv4_or_ipv6(handle: str) -> None:
    protocols = provider(handle).protocols
    assert protocols
    assert len(set(protocols)) == len(protocols)
    assert set(protocols) <= set(FAMILIES)


@pytest.mark.parametrize("handle", HANDLES)
def test_update_url_is_https(handle: str) -> None:
    # Credentials never travel in clear text by default.
    cls = provider(handle)
    if cls.requires_url:
        assert cls.url == ""
    elif cls.url:
        assert cls.url.startswith("https://")


@pytest.mark.parametrize("handle", HANDLES)
def test_credentials_are_sets_of_setting_names(handle: str) -> None:
    cls = provider(handle)
    for group in cls.credentials:
        assert isinstance(group, tuple)
        assert all(isinstance(key, str) and key for key in group)
    assert "provider" in known_keys(cls)


@pytest.mark.parametrize("handle", HANDLES)
def test_dead_services_say_so(handle: str) -> None:
    cls = provider(handle)
    if not cls.alive:
        assert cls.quirks.strip()


@pytest.mark.parametrize("handle", HANDLES)
def test_holdoffs_are_positive(handle: str) -> None:
    cls = provider(handle)
    assert cls.holdoff_days is None or cls.holdoff_days > 0
    assert cls.failure_holdoff_minutes > 0


# Records that never expire need no keep-alive; deSEC objects to updates
# that change nothing.
NEVER_REFRESHED = {
    "cloudflare",
    "desec.io",
    "digitalocean",
    "gandi",
    "hetzner",
    "hetzner-cloud",
    "porkbun",
}


@pytest.mark.parametrize("handle", HANDLES)
def test_only_providers_whose_records_never_expire_skip_the_keepalive(
    handle: str,
) -> None:
    cls = provider(handle)
    assert (cls.holdoff_days is None) is (handle in NEVER_REFRESHED)
    if handle in NEVER_REFRESHED:
        assert "never" in cls.quirks


def test_every_provider_module_is_listed_and_imported() -> None:
    package = Path(ddns.providers.__file__).parent
    files = {
        path.stem
        for path in package.glob("*.py")
        if path.stem not in ("__init__", "base")
    }
    assert files == set(MODULES)
    for module in MODULES:
        assert f"ddns.providers.{module}" in sys.modules


@pytest.mark.parametrize("handle", HANDLES)
def test_provider_comes_from_a_listed_module(handle: str) -> None:
    module = provider(handle).__module__
    assert module in {f"ddns.providers.{m}" for m in MODULES}
