"""Translations: gettext with the text domain "ddns".

The command line follows LANGUAGE, LC_ALL, LC_MESSAGES and LANG; the web page
asks for a language explicitly. A missing catalogue falls back to English.
"""

from __future__ import annotations

import gettext
import os
import sys
from collections.abc import Sequence

DOMAIN = "ddns"

_active: gettext.NullTranslations | None = None


def locale_dir() -> str:
    """Where the compiled catalogues are installed (DDNS_LOCALEDIR overrides)."""
    override = os.environ.get("DDNS_LOCALEDIR")
    if override:
        return override
    return os.path.join(sys.prefix, "share", "locale")


def translation(languages: Sequence[str] | None = None) -> gettext.NullTranslations:
    """The catalogue for `languages`, or for the environment when None."""
    return gettext.translation(
        DOMAIN,
        locale_dir(),
        languages=list(languages) if languages else None,
        fallback=True,
    )


def activate(languages: Sequence[str] | None = None) -> None:
    """Make `languages` (or the environment's choice) the active catalogue."""
    global _active
    _active = translation(languages)


def _current() -> gettext.NullTranslations:
    global _active
    if _active is None:
        _active = translation()
    return _active


def _(message: str) -> str:
    """Translate `message` with the active catalogue."""
    return _current().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translate a message whose form depends on `count`."""
    return _current().ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark `message` for extraction; it is translated where it is shown."""
    return message
