"""200 hosts that all need an update; the server answers each after 100 ms.

Budget: 3 s wall for the whole `ddns update-all` (start-up included).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from common import LoopbackServer, Reply, ddns, measure, verdict, write_config

HOSTS = 200
DELAY = 0.1
RUNS = 3


def main() -> int:
    server = LoopbackServer().start()
    server.default = Reply(body="good", delay=DELAY)
    walls = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            config = write_config(Path(folder), server, HOSTS, families="ipv4")
            argv = ddns("-q", "-c", str(config), "update-all")
            for _ in range(RUNS):
                Path(folder, "ddns.db").unlink(missing_ok=True)
                before = len(server.requests)
                sample = measure(argv)
                sent = len(server.requests) - before
                if sample.status != 0 or sent != HOSTS:
                    print(sample.stderr)
                    print(f"run failed: status {sample.status}, {sent} requests")
                    return 1
                walls.append(sample.wall)
    finally:
        server.stop()
    wall = statistics.median(walls)
    print(
        f"{HOSTS} hosts to update, {DELAY * 1000:.0f} ms per answer, median of {RUNS}"
    )
    print(f"  one after another it would take {HOSTS * DELAY:.0f} s")
    ok = verdict("update-all", [("wall", wall, 3.0, "s")])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
