"""Zones and record names of hostnames, as record and registrar APIs want them."""

from __future__ import annotations

import pytest

from ddns import errors
from ddns.providers.hostnames import (
    pinned_zone,
    relative_name,
    split_zone,
    zone_candidates,
)


@pytest.mark.parametrize(
    ("hostname", "candidates"),
    [
        ("host.example.com", ["host.example.com", "example.com"]),
        (
            "a.b.example.co.uk",
            ["a.b.example.co.uk", "b.example.co.uk", "example.co.uk", "co.uk"],
        ),
        ("example.com", ["example.com"]),
        ("example.com.", ["example.com"]),
    ],
)
def test_zone_candidates_longest_first(hostname: str, candidates: list[str]) -> None:
    assert zone_candidates(hostname) == candidates


@pytest.mark.parametrize(
    ("hostname", "zone", "name"),
    [
        ("host.example.com", "example.com", "host"),
        ("a.b.example.com", "example.com", "a.b"),
        ("example.com", "example.com", "@"),
        ("Host.Example.com.", "example.com", "Host"),
    ],
)
def test_relative_name(hostname: str, zone: str, name: str) -> None:
    assert relative_name(hostname, zone) == name


@pytest.mark.parametrize(
    ("hostname", "setting", "zone"),
    [
        ("host.example.com", "", ""),
        ("host.example.com", " example.com. ", "example.com"),
        ("host.Example.com", "example.COM", "example.COM"),
        ("example.com", "example.com", "example.com"),
    ],
)
def test_pinned_zone(hostname: str, setting: str, zone: str) -> None:
    assert pinned_zone(hostname, setting) == zone


@pytest.mark.parametrize("setting", ["example.org", "com", "ost.example.com"])
def test_zone_setting_that_cannot_hold_the_host_is_refused(setting: str) -> None:
    # A top-level domain is no zone anyone can update records in.
    with pytest.raises(errors.ProviderConfigurationError):
        pinned_zone("host.example.com", setting)
    with pytest.raises(errors.ProviderConfigurationError):
        split_zone("host.example.com", setting)


@pytest.mark.parametrize(
    ("hostname", "zone", "split"),
    [
        ("host.example.com", None, ("example.com", "host")),
        ("example.com", None, ("example.com", "@")),
        ("Home.Example.co.uk.", "example.co.uk", ("example.co.uk", "home")),
        ("example.co.uk", "example.co.uk", ("example.co.uk", "@")),
    ],
)
def test_split_zone(hostname: str, zone: str | None, split: tuple[str, str]) -> None:
    assert split_zone(hostname, zone) == split
