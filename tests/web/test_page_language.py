"""The page in the firewall's language, from the shipped catalogues."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from ddns.ipfire import settings
from tests.test_i18n import PO, translated
from tests.web.conftest import Browser


@pytest.fixture
def german(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "locale/de/LC_MESSAGES"
    target.mkdir(parents=True)
    subprocess.run(
        ["msgfmt", "-o", str(target / "ddns.mo"), str(PO / "de.po")], check=True
    )
    monkeypatch.setenv("DDNS_LOCALEDIR", str(tmp_path / "locale"))


def test_page_shows_german_when_the_firewall_speaks_german(
    german: None, browser: Browser, root: Path
) -> None:
    settings.write(str(root / "var/ipfire/main/settings"), {"LANGUAGE": "de"})

    html = browser.get().html

    assert '<html lang="de">' in html
    for text in ("Dynamic DNS", "Hostname", "Save"):
        german_text = translated("de", text)
        assert german_text != text or text == "Hostname"
        assert german_text in html


def test_page_stays_english_for_a_language_without_catalogue(
    german: None, browser: Browser, root: Path
) -> None:
    settings.write(str(root / "var/ipfire/main/settings"), {"LANGUAGE": "xx"})

    html = browser.get().html

    assert "Dynamic DNS" in html
    assert translated("de", "Save") not in html
