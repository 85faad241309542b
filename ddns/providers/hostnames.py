"""Splitting a hostname the way a provider's API wants it.

Registrar APIs name a record by its zone (the registered domain) and the name
inside it. Without a public suffix list the zone cannot be known for every
domain, so a host's `zone` setting says it where the default guess would be
wrong (example.co.uk).
"""

from __future__ import annotations

from ddns import errors
from ddns.i18n import _

# The name of the zone's own record (the apex) in registrar APIs.
APEX = "@"


def split_zone(hostname: str, zone: str | None) -> tuple[str, str]:
    """(zone, name) of `hostname`: the `zone` setting, else its last two labels."""
    hostname = hostname.rstrip(".").lower()
    if zone:
        zone = zone.strip().rstrip(".").lower()
        if hostname == zone:
            return zone, APEX
        if not hostname.endswith("." + zone):
            raise errors.ProviderConfigurationError(
                _("{hostname} is not inside the zone {zone}").format(
                    hostname=hostname, zone=zone
                ),
                hostname=hostname,
            )
        return zone, hostname[: -len(zone) - 1]
    labels = hostname.split(".")
    if len(labels) < 2:
        raise errors.ProviderConfigurationError(
            _("{hostname} is not a fully qualified name").format(hostname=hostname),
            hostname=hostname,
        )
    name = ".".join(labels[:-2]) or APEX
    return ".".join(labels[-2:]), name


def first_label(hostname: str) -> tuple[str, str]:
    """(first label, rest) of `hostname`; the rest is empty for a single label."""
    label, _dot, rest = hostname.rstrip(".").partition(".")
    return label, rest
