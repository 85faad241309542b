"""`ddns list-providers`, run on every load of IPFire's web page.

Budget: 0.15 s wall.
"""

from __future__ import annotations

import sys

from common import baseline, ddns, median, verdict

RUNS = 9


def main() -> int:
    sample, samples = median(ddns("list-providers"), RUNS)
    if any(s.status != 0 for s in samples):
        print(sample.stderr)
        return 1
    python = baseline(RUNS)
    print(f"ddns list-providers, median of {RUNS} runs")
    print(f"  python3 -c pass: {python:.3f} s; ratio {sample.wall / python:.2f}")
    ok = verdict("list-providers", [("wall", sample.wall, 0.15, "s")])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
