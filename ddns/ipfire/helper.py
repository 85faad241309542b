"""Update now: the privileged end of the page's button.

The page runs as nobody and cannot write the history or read every secret,
so its "Update now" runs /usr/local/bin/ddns-update-now, a setuid-root
wrapper that clears the environment and starts

    python3 -I -m ddns.ipfire.helper update-all
    python3 -I -m ddns.ipfire.helper update HOSTNAME

It forces an update of every host, or of one host named exactly as in
ddns.conf, and prints each result as JSON on stdout for the page. Nothing it
is given reaches a shell; an unknown host name stops it before anything is
sent.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Sequence
from typing import Any

from ddns import errors
from ddns.i18n import _, activate
from ddns.ipfire import files, settings

USAGE = "usage: ddns-update-now update-all | update HOSTNAME"
# Exit statuses as the ddns command's: 1 an update failed, 2 bad usage or config.
USAGE_ERROR = 2
# A language code as IPFire writes them (en, de, pt_BR); anything else could
# name a path that gettext would follow to a catalogue planted elsewhere.
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(_[A-Z]{2})?")

log = logging.getLogger(__name__)


def language() -> str | None:
    """The firewall's interface language (IPFire codes: en, de, fr ...).

    None (English) when unset or not a plain language code.
    """
    code = settings.read(files.rooted(files.MAIN_SETTINGS)).get("LANGUAGE", "")
    return code if LANGUAGE_CODE.fullmatch(code) else None


def force_own_paths(options: Any) -> None:
    """Put the history, its lock and the red address file where root keeps them.

    ddns.conf belongs to the page's user (nobody); the helper runs as root,
    so paths from that file would let nobody make root create or write files
    anywhere. Only the paths of this tree count (DDNS_ROOT is cleared by the
    setuid wrapper).
    """
    database = files.rooted(files.DATABASE)
    wanted = {
        "database": database,
        "lock_file": os.path.splitext(database)[0] + ".lock",
        "red_address_file": files.rooted(files.RED_ADDRESS),
    }
    for key, path in wanted.items():
        if getattr(options, key) != path:
            log.warning(
                "%s",
                _("{key} in ddns.conf is ignored by Update now; using {path}").format(
                    key=key, path=path
                ),
            )
            setattr(options, key, path)


def update(hostname: str | None) -> dict[str, Any]:
    """Force an update of `hostname` (every host when None); the results."""
    from ddns import config, core

    loaded = config.load(files.rooted(files.DDNS_CONF))
    force_own_paths(loaded.options)
    if hostname is not None:
        names = {h.hostname for h in loaded.hosts} | {
            h.display_name for h in loaded.hosts
        }
        if hostname not in names:
            raise errors.HostNotFoundError(
                _("{name} is not an enabled host").format(name=hostname),
                hostname=hostname,
            )
    report = core.run(loaded, [hostname] if hostname is not None else None, force=True)
    return {
        "exit_status": report.exit_status,
        "results": [
            {
                "hostname": r.hostname,
                "display_name": r.display_name or r.hostname,
                "provider": r.provider,
                "family": r.family,
                "action": r.action,
                "address": r.address,
                "message": r.message,
            }
            for r in report.results
        ],
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["update-all"]:
        hostname = None
    elif len(args) == 2 and args[0] == "update":
        hostname = args[1]
    else:
        print(USAGE, file=sys.stderr)
        return USAGE_ERROR

    lang = language()
    activate([lang] if lang else None)
    from ddns.cli import setup_logging

    setup_logging(quiet=True)
    try:
        outcome = update(hostname)
    except errors.DDNSError as exc:
        print(
            json.dumps({"exit_status": USAGE_ERROR, "error": str(exc), "results": []})
        )
        return USAGE_ERROR
    print(json.dumps(outcome, ensure_ascii=False))
    return int(outcome["exit_status"])


if __name__ == "__main__":
    sys.exit(main())
