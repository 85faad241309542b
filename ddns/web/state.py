"""What the history says about each host, in the words the page shows."""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from ddns import errors
from ddns.i18n import _

log = logging.getLogger(__name__)

FAMILY_LABELS = {"ipv4": "IPv4", "ipv6": "IPv6"}


@dataclass
class FamilyView:
    """One address family of one host, ready to print."""

    family: str
    address: str
    published: str
    error: str
    next_attempt: str
    reason: str
    failed: bool

    @property
    def label(self) -> str:
        return FAMILY_LABELS.get(self.family, self.family)


def local_time(moment: datetime | None) -> str:
    """A history time (aware UTC) in the firewall's local time."""
    if moment is None:
        return ""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def load_states(
    conf_path: str,
) -> tuple[dict[str, list[FamilyView]] | None, str | None]:
    """Per host name (ASCII) of ddns.conf, the state of each family.

    None (and why, if it is a problem) when there is no ddns.conf yet or it
    cannot be read.

    The page runs as nobody and only reads: a history it cannot open is
    reported on the page, not raised.
    """
    if not os.path.exists(conf_path):
        return None, None
    from ddns import config, core

    try:
        loaded = config.load(conf_path)
        found = core.status(loaded)
    except (errors.DDNSError, sqlite3.Error) as exc:
        log.debug("state: path=%s error=%s", conf_path, exc)
        return None, _("The state of the hosts cannot be shown: {error}").format(
            error=exc
        )
    states: dict[str, list[FamilyView]] = {}
    for item in found:
        states.setdefault(item.hostname, []).append(
            FamilyView(
                family=item.family,
                address=item.last_address or "",
                published=local_time(item.last_success),
                error=(
                    errors.stored_error(item.last_error_kind, item.last_error)
                    if item.last_error
                    else ""
                ),
                next_attempt=local_time(item.next_attempt),
                reason=item.reason,
                failed=bool(item.last_error and item.failures),
            )
        )
    return states, None
