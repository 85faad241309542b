"""`ddns list-providers`, run on every load of IPFire's web page.

Budget: 0.15 s wall.
"""

from __future__ import annotations

import sys

from common import compare, ddns, verdict

RUNS = 9


def main() -> int:
    figures = compare(ddns("list-providers"), RUNS)
    clean = compare(ddns("list-providers"), RUNS, clean=True)
    if any(s.status != 0 for s in figures.samples):
        print(figures.samples[0].stderr)
        return 1
    print(f"ddns list-providers, median of {RUNS} runs")
    print(figures.describe())
    print(clean.describe("without .pth hooks: "))
    ok = verdict("list-providers", [("wall", figures.wall, 0.15, "s")])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
