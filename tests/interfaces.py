"""A network interface as `ip -j addr show` prints it, for runs in tests."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from ddns import addresses


def fake_interface(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *entries: dict[str, object]
) -> str:
    """[config] lines for an interface red0 that `ip` shows with `entries`."""
    output = json.dumps([{"ifname": "red0", "addr_info": list(entries)}])
    script = tmp_path / "ip"
    script.write_text(f"#!/bin/sh\ncat <<'EOF'\n{output}\nEOF\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(addresses, "IP_COMMAND", str(script))
    return "interface = red0\n"


def inet(address: str) -> dict[str, object]:
    return {"family": "inet", "local": address, "prefixlen": 24, "scope": "global"}


def inet6(address: str, **flags: object) -> dict[str, object]:
    return {"family": "inet6", "local": address, "prefixlen": 64, **flags}
