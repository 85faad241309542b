"""IPFire's KEY=value settings files (the format of General::readhash).

/var/ipfire/ddns/settings holds the page's global choices: BEHINDROUTER
(RED_IP: publish the red interface's address; FETCH_IP: ask a check service)
and IPV6 (on: update AAAA records too). The same format is read from
/var/ipfire/proxy/settings (the upstream proxy) and /var/ipfire/main/settings
(the interface language).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ddns import errors
from ddns.ipfire.files import read_text, write_atomically

RED_IP = "RED_IP"
FETCH_IP = "FETCH_IP"
ADDRESS_SOURCES = (RED_IP, FETCH_IP)

_KEY = re.compile(r"[A-Za-z0-9_-]*")


def parse(text: str) -> dict[str, str]:
    """KEY=value lines as IPFire's readhash reads them.

    Comment lines start with `#`; the value is everything after the first `=`
    with one pair of single quotes (written around values with spaces) removed.
    """
    values: dict[str, str] = {}
    for line in text.split("\n"):
        line = line.rstrip("\r")
        if line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        match = _KEY.match(key.strip())
        key = match.group(0) if match else ""
        if not key:
            continue
        if value.startswith("'"):
            value = value[1:]
        if value.endswith("'"):
            value = value[:-1]
        values[key] = value
    return values


def format_settings(values: dict[str, str]) -> str:
    """The text of a settings file, as IPFire's writehash writes it."""
    lines = []
    for key, value in values.items():
        if not _KEY.fullmatch(key) or not key:
            raise errors.ConfigurationError(f"invalid key {key!r}")
        if "\n" in value or "\r" in value:
            raise errors.ConfigurationError("a value cannot span lines", key=key)
        if " " in value:
            value = f"'{value}'"
        lines.append(f"{key}={value}\n")
    return "".join(lines)


def read(path: str) -> dict[str, str]:
    """The settings in `path`; empty when the file does not exist."""
    text = read_text(path)
    return parse(text) if text else {}


def write(path: str, values: dict[str, str]) -> None:
    write_atomically(path, format_settings(values))


@dataclass
class Settings:
    """The page's global choices; unknown keys are kept as they were."""

    values: dict[str, str] = field(default_factory=dict)

    @property
    def address_source(self) -> str:
        source = self.values.get("BEHINDROUTER", RED_IP)
        return source if source in ADDRESS_SOURCES else RED_IP

    @address_source.setter
    def address_source(self, source: str) -> None:
        if source not in ADDRESS_SOURCES:
            raise errors.ConfigurationError(
                f"unknown address source {source!r}", key="BEHINDROUTER"
            )
        self.values["BEHINDROUTER"] = source

    @property
    def ipv6(self) -> bool:
        # Off unless chosen: the original never published IPv6 on IPFire 2,
        # so an upgrade must not start creating AAAA records by itself.
        return self.values.get("IPV6") == "on"

    @ipv6.setter
    def ipv6(self, enabled: bool) -> None:
        self.values["IPV6"] = "on" if enabled else "off"

    @property
    def guess_external_ip(self) -> bool:
        return self.address_source == FETCH_IP


def load(path: str) -> Settings:
    return Settings(read(path))


def save(path: str, settings: Settings) -> None:
    write(path, settings.values)
