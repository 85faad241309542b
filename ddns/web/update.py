"""Runs the privileged "Update now" helper and reads its answer."""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass, field

from ddns.http import summarise
from ddns.i18n import N_, _
from ddns.ipfire import files

log = logging.getLogger(__name__)

# Below Apache's default Timeout of 300 s; the run lock alone may wait longer.
TIMEOUT_SECONDS = 240
# The longest failure line of the helper shown on the page.
MAX_DETAIL = 300

ACTIONS = {
    "updated": N_("Updated"),
    "unchanged": N_("Unchanged"),
    "held": N_("Held back"),
    "failed": N_("Failed"),
    "removed": N_("Record removed"),
    "skipped": N_("Skipped"),
    "dry-run": N_("Would update"),
}


@dataclass
class ResultRow:
    name: str
    provider: str
    family: str
    action: str
    address: str
    message: str

    @property
    def action_text(self) -> str:
        return _(ACTIONS[self.action]) if self.action in ACTIONS else self.action

    @property
    def failed(self) -> bool:
        return self.action == "failed"


@dataclass
class Outcome:
    rows: list[ResultRow] = field(default_factory=list)
    error: str | None = None


def update_now(hostname: str | None) -> Outcome:
    """Force an update of `hostname` (all hosts when None) through the helper.

    The command is an argument list, never a shell line; the host name was
    checked against the host list before it gets here, and the helper checks
    it again against ddns.conf.
    """
    import subprocess

    helper = files.rooted(files.UPDATE_HELPER)
    argv = [helper, "update-all"] if hostname is None else [helper, "update", hostname]
    log.debug("update: argv=%s", argv)
    try:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=dict(os.environ),
        )
    except FileNotFoundError:
        return Outcome(
            error=_("The update helper {path} is missing").format(path=helper)
        )
    except OSError as exc:
        return Outcome(
            error=_("The update helper could not run: {error}").format(
                error=exc.strerror or exc
            )
        )
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        # The helper runs as root and cannot be stopped from here; it goes on
        # and records its outcome in the history as any run does. Its answer
        # is no longer read; a thread reaps it if it ends while the page runs.
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()
        threading.Thread(target=process.wait, daemon=True).start()
        return Outcome(
            error=_(
                "The update is taking long; it goes on, and its outcome will "
                "show in the hosts' state."
            )
        )
    try:
        answer = json.loads(stdout)
    except ValueError:
        # The last line says what stopped it (the exception, after a
        # traceback), whole up to a bound.
        lines = [line for line in (stderr or stdout).splitlines() if line.strip()]
        detail = summarise(lines[-1] if lines else "", limit=MAX_DETAIL)
        return Outcome(
            error=_("The update helper failed: {error}").format(error=detail)
        )
    rows = [
        ResultRow(
            name=str(item.get("display_name") or item.get("hostname") or ""),
            provider=str(item.get("provider") or ""),
            family=str(item.get("family") or ""),
            action=str(item.get("action") or ""),
            address=str(item.get("address") or ""),
            message=str(item.get("message") or ""),
        )
        for item in answer.get("results", [])
    ]
    return Outcome(rows=rows, error=answer.get("error"))
