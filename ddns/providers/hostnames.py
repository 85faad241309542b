"""Splitting a hostname the way a provider's API wants it.

Record APIs name a record by its zone and the name inside it. Without a
public suffix list the zone cannot be known for every domain: providers that
can list their zones try the candidates, registrar APIs guess the last two
labels, and a host's `zone` setting says it where a guess would be wrong
(example.co.uk) or to save the search.
"""

from __future__ import annotations

from ddns import errors
from ddns.i18n import _

# The name of the zone's own record (the apex) in registrar APIs.
APEX = "@"


def zone_candidates(hostname: str) -> list[str]:
    """The names that may be the zone of `hostname`, longest first.

    The hostname itself comes first (it may be a delegated zone of its own);
    the last candidate has two labels, since nobody hosts a top-level domain.
    Longest first, so that a delegated subzone wins over its parent when an
    account holds both.
    """
    labels = hostname.rstrip(".").split(".")
    return [".".join(labels[i:]) for i in range(max(len(labels) - 1, 1))]


def pinned_zone(hostname: str, setting: str) -> str:
    """The zone a host's `zone` setting names, "" when it names none.

    A zone that cannot hold the hostname is a configuration error: any
    request with it would change some other name's records or fail.
    """
    zone = setting.strip().rstrip(".")
    problem = zone_problem(hostname, zone)
    if problem:
        raise errors.ProviderConfigurationError(problem, hostname=hostname)
    return zone


def zone_problem(hostname: str, setting: str) -> str | None:
    """Why the `zone` setting cannot be the zone of `hostname`, or None."""
    zone = setting.strip().rstrip(".")
    if zone and zone.lower() not in zone_candidates(hostname.rstrip(".").lower()):
        return _("zone {zone} does not hold {hostname}").format(
            zone=zone, hostname=hostname
        )
    return None


def relative_name(hostname: str, zone: str, apex: str = APEX) -> str:
    """The record name of `hostname` inside `zone`; `apex` for the zone itself."""
    name, zone = hostname.rstrip("."), zone.rstrip(".")
    if name.lower() == zone.lower():
        return apex
    return name[: -len(zone) - 1]


def split_zone(hostname: str, zone: str | None) -> tuple[str, str]:
    """(zone, name) of `hostname`: the `zone` setting, else its last two labels."""
    hostname = hostname.rstrip(".").lower()
    pinned = pinned_zone(hostname, zone or "").lower()
    if pinned:
        return pinned, relative_name(hostname, pinned)
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
