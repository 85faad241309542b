"""Translations: the template matches the sources, every catalogue is complete
and valid, and the command line speaks the language it is asked for."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from ddns import i18n

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "po"
LANGUAGES = [
    line.strip() for line in (PO / "LINGUAS").read_text().splitlines() if line.strip()
]
PLACEHOLDER = re.compile(r"\{[a-z_]+(?:![rsa])?(?::[^{}]*)?\}")


def read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def msgids(path: Path) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in read(path) if m.id}


def texts(message: Message) -> list[str]:
    return (
        list(message.string)
        if isinstance(message.string, (list, tuple))
        else [message.string]
    )


def test_template_holds_every_marked_string(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(PO / "babel.cfg"),
            "-k",
            "_",
            "-k",
            "N_",
            "-k",
            "ngettext:1,2",
            "-o",
            str(fresh),
            "ddns",
        ],
        cwd=ROOT,
        check=True,
    )
    missing = msgids(fresh) - msgids(PO / "ddns.pot")
    stale = msgids(PO / "ddns.pot") - msgids(fresh)
    assert not missing, f"run po/update.sh: not in ddns.pot: {sorted(missing)[:5]}"
    assert not stale, f"run po/update.sh: no longer in the sources: {sorted(stale)[:5]}"


def test_template_has_the_page_and_command_line_strings() -> None:
    ids = msgids(PO / "ddns.pot")
    assert "Authentication failed; check the credentials" in ids
    assert "update every host" in ids
    assert len(ids) > 200


def test_linguas_lists_the_languages_ipfire_users_read() -> None:
    assert set(LANGUAGES) == {
        "de",
        "fr",
        "es",
        "it",
        "nl",
        "pl",
        "pt_BR",
        "ru",
        "tr",
        "da",
        "hr",
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_is_complete_without_fuzzy_entries(lang: str) -> None:
    path = PO / f"{lang}.po"
    assert msgids(path) == msgids(PO / "ddns.pot"), "run po/update.sh"
    catalog = read(path)
    assert not catalog.fuzzy
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, (lang, message.id)
        assert all(texts(message)), f"{lang}: untranslated: {message.id}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_placeholders_match(lang: str) -> None:
    for message in read(PO / f"{lang}.po"):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        wanted = {p for text in ids for p in PLACEHOLDER.findall(text)}
        for text in texts(message):
            found = set(PLACEHOLDER.findall(text))
            assert found <= wanted, (lang, message.id, text)
            # A plural form may leave out the count ("one host" for {count}).
            if not message.pluralizable:
                assert found == wanted, (lang, message.id, text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_passes_msgfmt_check(lang: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            "msgfmt",
            "--check",
            "--statistics",
            "-o",
            str(tmp_path / "x.mo"),
            str(PO / f"{lang}.po"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, (
        result.stderr
    )


@pytest.fixture(scope="module")
def locale_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every catalogue compiled as setup.py installs it."""
    root = tmp_path_factory.mktemp("locale")
    for lang in LANGUAGES:
        target = root / lang / "LC_MESSAGES"
        target.mkdir(parents=True)
        subprocess.run(
            ["msgfmt", "-o", str(target / "ddns.mo"), str(PO / f"{lang}.po")],
            check=True,
        )
    return root


def translated(lang: str, msgid: str) -> str:
    message = read(PO / f"{lang}.po").get(msgid)
    assert message is not None, msgid
    return texts(message)[0]


def run_cli(
    locale_dir: Path, env_lang: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
    }
    env.update(env_lang, DDNS_LOCALEDIR=str(locale_dir))
    return subprocess.run(
        [sys.executable, "-m", "ddns", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )


@pytest.mark.parametrize("variable", ["LANGUAGE", "LC_ALL", "LC_MESSAGES"])
def test_command_line_speaks_german_when_asked(
    locale_dir: Path, variable: str, tmp_path: Path
) -> None:
    missing = tmp_path / "none.conf"
    result = run_cli(
        locale_dir,
        {variable: "de_DE.UTF-8" if variable != "LANGUAGE" else "de"},
        "-c",
        str(missing),
        "update-all",
    )
    german = translated("de", "the configuration file does not exist")
    assert result.returncode == 2
    assert german != "the configuration file does not exist"
    assert german in result.stderr

    help_text = run_cli(
        locale_dir,
        {variable: "de_DE.UTF-8" if variable != "LANGUAGE" else "de"},
        "--help",
    )
    assert translated("de", "update every host") in help_text.stdout


def test_missing_catalogue_falls_back_to_english(
    locale_dir: Path, tmp_path: Path
) -> None:
    result = run_cli(
        locale_dir, {"LANGUAGE": "xx"}, "-c", str(tmp_path / "none.conf"), "update-all"
    )
    assert result.returncode == 2
    assert "the configuration file does not exist" in result.stderr


def test_translation_api_follows_the_languages_asked(
    locale_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DDNS_LOCALEDIR", str(locale_dir))
    german = i18n.translation(["de"]).gettext("update every host")
    assert german == translated("de", "update every host")
    assert i18n.translation(["xx"]).gettext("update every host") == "update every host"
