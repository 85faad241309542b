"""IPFire's KEY=value files, read and written as the firewall's Perl does."""

from __future__ import annotations

from pathlib import Path

import pytest

from ddns import errors
from ddns.ipfire import settings


def test_readhash_format() -> None:
    text = (
        "# comment=ignored\n"
        "BEHINDROUTER=FETCH_IP\n"
        "UPSTREAM_PASSWORD=p=w'x\n"
        "QUOTED='two words'\n"
        " SPACED =value\n"
        "no equals sign\n"
        "EMPTY=\n"
    )

    assert settings.parse(text) == {
        "BEHINDROUTER": "FETCH_IP",
        "UPSTREAM_PASSWORD": "p=w'x",
        "QUOTED": "two words",
        "SPACED": "value",
        "EMPTY": "",
    }


def test_write_then_read(tmp_path: Path) -> None:
    path = f"{tmp_path}/settings"
    values = {"BEHINDROUTER": "RED_IP", "IPV6": "on", "NOTE": "kept as is"}

    settings.write(path, values)

    with open(path) as f:
        assert f.read() == "BEHINDROUTER=RED_IP\nIPV6=on\nNOTE='kept as is'\n"
    assert settings.read(path) == values


def test_defaults_of_a_missing_file(tmp_path: Path) -> None:
    loaded = settings.load(f"{tmp_path}/settings")

    assert loaded.address_source == settings.RED_IP
    assert not loaded.guess_external_ip
    assert not loaded.ipv6


def test_choices_keep_unknown_keys(tmp_path: Path) -> None:
    path = f"{tmp_path}/settings"
    settings.write(path, {"OTHER": "x", "BEHINDROUTER": "RED_IP"})

    loaded = settings.load(path)
    loaded.address_source = settings.FETCH_IP
    loaded.ipv6 = True
    settings.save(path, loaded)

    assert settings.read(path) == {
        "OTHER": "x",
        "BEHINDROUTER": "FETCH_IP",
        "IPV6": "on",
    }
    assert settings.load(path).guess_external_ip


def test_unknown_address_source_is_refused() -> None:
    with pytest.raises(errors.ConfigurationError):
        settings.Settings().address_source = "SOMETHING"


def test_value_with_a_line_break_is_refused(tmp_path: Path) -> None:
    with pytest.raises(errors.ConfigurationError):
        settings.write(f"{tmp_path}/settings", {"KEY": "a\nb"})
