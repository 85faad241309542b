"""A firewall's file tree in a temporary directory, for DDNS_ROOT."""

from __future__ import annotations

from pathlib import Path

DIRECTORIES = (
    "var/ipfire/ddns",
    "var/ipfire/main",
    "var/ipfire/proxy",
    "var/ipfire/red",
    "var/lib",
    "usr/local/bin",
)


# An RFC 2136 host as ddns.conf holds it when IPv6 is off.
NSUPDATE_SECTION = {
    "provider": "nsupdate",
    "key": "hmac-sha256:gwkey",
    "secret": "c2VjcmV0",
    "server": "ns1.example.org",
    "ttl": "60",
    "zone": "example.org",
    "protocols": "ipv4",
}


def ipfire_tree(root: Path, red_address: str | None = None) -> Path:
    """The directories the page, the generator and the helper use, below `root`.

    With `red_address`, the red interface has that address (as IPFire writes
    it: no newline).
    """
    for directory in DIRECTORIES:
        (root / directory).mkdir(parents=True, exist_ok=True)
    if red_address is not None:
        (root / "var/ipfire/red/local-ipaddress").write_text(red_address)
    return root
