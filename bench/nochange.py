"""A five-minute run where nothing changed: 200 hosts, history current.

Budget: 0.15 s wall and 30 MB peak memory; no HTTP or DNS library imported,
no request sent. Also prints the ratio to `python3 -c pass`.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from common import (
    LoopbackServer,
    compare,
    ddns,
    imported,
    measure,
    verdict,
    write_config,
)

HOSTS = 200
RUNS = 9
# Standard modules that each cost milliseconds at start and that a run with
# nothing to send does not need; shown so that one coming back is noticed.
HEAVY = ("dataclasses", "inspect", "shutil", "json", "xml", "base64", "pickle")


def main() -> int:
    server = LoopbackServer().start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            config = write_config(Path(folder), server, HOSTS)
            argv = ddns("-c", str(config), "update-all")
            first = measure(argv)
            if first.status != 0 or len(server.requests) != 2 * HOSTS:
                print(first.stderr)
                print(f"populating run failed: {first.status}, {len(server.requests)}")
                return 1
            before = len(server.requests)
            figures = compare(argv, RUNS)
            clean = compare(argv, RUNS, clean=True)
            sent = len(server.requests) - before
            loaded = imported(argv, ("requests", "urllib3", "dns", "idna"))
            heavy = imported(argv, HEAVY)
    finally:
        server.stop()

    print(f"{HOSTS} hosts x 2 families, nothing changed, median of {RUNS} runs")
    print(figures.describe())
    print(clean.describe("without .pth hooks: "))
    print(f"  requests sent: {sent}; libraries imported: {loaded or 'none'}")
    print(f"  costly standard modules imported: {', '.join(heavy) or 'none'}")
    ok = verdict(
        "no-change run",
        [
            ("wall", figures.wall, 0.15, "s"),
            ("peak memory", figures.max_rss_mb, 30, "MB"),
        ],
    )
    if any(s.status != 0 for s in figures.samples):
        print("  a run exited non-zero")
        ok = False
    if sent or loaded:
        print("  OVER: the run sent requests or imported an HTTP/DNS library")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
