"""Where the public addresses come from, and which are usable.

This version knows only the fixed addresses of `[config]` (`ipv4_address`,
`ipv6_address`); the red address file, interfaces and check services come
with the full address detection.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ddns.i18n import _

if TYPE_CHECKING:
    from ddns.config import Options
    from ddns.http import Client

# Reserved for documentation, yet published so that demos and tests work.
_DOCUMENTATION = tuple(
    ipaddress.ip_network(n)
    for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
)
# Shared address space of carrier-grade NAT; `is_private` does not cover it.
_CGNAT = ipaddress.ip_network("100.64.0.0/10")


@dataclass
class Detection:
    family: str
    address: str | None
    source: str
    problems: list[str] = field(default_factory=list)


def is_publishable(address: str) -> bool:
    """Whether `address` may go into a public DNS record."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if any(
        ip in network for network in _DOCUMENTATION if network.version == ip.version
    ):
        return True
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return False
    return ip.is_global and not ip.is_multicast


def detect(
    options: Options,
    families: Iterable[str],
    client_factory: Callable[[], Client],
) -> dict[str, Detection]:
    """The public address of each family, one lookup per family."""
    found: dict[str, Detection] = {}
    for family in families:
        fixed = getattr(options, f"{family}_address", None)
        if fixed is None:
            found[family] = Detection(
                family, None, "none", [_("no fixed address is configured")]
            )
        elif is_publishable(fixed):
            found[family] = Detection(family, fixed, "config")
        else:
            found[family] = Detection(
                family,
                None,
                "config",
                [_("{address} is not a public address").format(address=fixed)],
            )
    return found
