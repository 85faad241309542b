"""Shared by the benchmarks: a config of many hosts, timed child processes."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import loopback  # noqa: E402

# Two hundred clients connect at once; the default backlog of 5 would make
# the kernel drop connections and the clients wait a second to retry.
loopback._Server.request_queue_size = 256

LoopbackServer = loopback.LoopbackServer
Reply = loopback.Reply


@dataclass
class Sample:
    wall: float
    cpu: float  # user + system time of the child
    max_rss_mb: float
    status: int
    stderr: str


def child_env(clean: bool = False) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    if clean:
        import site

        env["PYTHONPATH"] += os.pathsep + os.pathsep.join(site.getsitepackages())
    # Installed systems run from compiled bytecode; let the warm-up write it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["LC_ALL"] = "C"
    return env


def measure(argv: list[str], clean: bool = False) -> Sample:
    """Run `argv`; its wall time and peak resident memory.

    `clean` starts Python without `site` (-S), with site-packages on the
    path: no .pth start-up hooks, such as the one this workplace installs
    to patch certifi, which no user's machine has.
    """
    if clean:
        argv = [argv[0], "-S", *argv[1:]]
    started = time.perf_counter()
    child = subprocess.Popen(
        argv,
        env=child_env(clean),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert child.stderr is not None
    stderr = child.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(wall, cpu, usage.ru_maxrss / 1024, child.returncode, stderr)


PYTHON = [sys.executable, "-c", "pass"]


@dataclass
class Figures:
    """Medians of a command and of a bare Python start, measured in turns."""

    wall: float
    cpu: float
    max_rss_mb: float
    python_wall: float
    python_cpu: float
    samples: list[Sample]

    def describe(self, label: str = "") -> str:
        return (
            f"  {label}python3 -c pass: {self.python_wall:.3f} s wall, "
            f"{self.python_cpu:.3f} s cpu\n"
            f"  {label}this command:    {self.wall:.3f} s wall, {self.cpu:.3f} s cpu; "
            f"ratio {self.wall / self.python_wall:.2f} (wall), "
            f"{self.cpu / self.python_cpu:.2f} (cpu)\n"
            f"  {label}walls: {' '.join(f'{s.wall:.3f}' for s in self.samples)}"
            f" (best {min(s.wall for s in self.samples):.3f})"
        )


def compare(
    argv: list[str], runs: int, warmups: int = 2, clean: bool = False
) -> Figures:
    """Median figures of `argv`, alternating with `python3 -c pass` runs.

    Taking turns exposes both to the same load of a shared machine.
    """
    for _ in range(warmups):
        measure(argv, clean)
        measure(PYTHON, clean)
    samples, python = [], []
    for _ in range(runs):
        samples.append(measure(argv, clean))
        python.append(measure(PYTHON, clean))
    return Figures(
        wall=statistics.median(s.wall for s in samples),
        cpu=statistics.median(s.cpu for s in samples),
        max_rss_mb=max(s.max_rss_mb for s in samples),
        python_wall=statistics.median(s.wall for s in python),
        python_cpu=statistics.median(s.cpu for s in python),
        samples=samples,
    )


# What the `ddns` command that pip installs runs (its console-script wrapper).
_COMMAND = "import sys\nfrom ddns.cli import main\nsys.exit(main())"


def ddns(*args: str) -> list[str]:
    return [sys.executable, "-c", _COMMAND, *args]


def write_config(
    folder: Path, server: LoopbackServer, hosts: int, families: str = "both"
) -> Path:
    lines = [
        "[config]",
        f"database = {folder / 'ddns.db'}",
        "ipv4_address = 198.51.100.7",
        "ipv6_address = 2001:db8::7",
        "",
    ]
    for number in range(hosts):
        lines += [
            f"[host{number}.example.com]",
            "provider = dyndns2",
            f"url = {server.url}/nic/update",
            f"username = user{number}",
            f"password = secret-{number}",
            f"protocols = {families}",
            "",
        ]
    path = folder / "ddns.conf"
    path.write_text("\n".join(lines))
    return path


def imported(argv: list[str], modules: tuple[str, ...]) -> list[str]:
    """Which of `modules` (top-level names) the command imports.

    Started without `site` as measure(clean=True) does: this workplace's
    start-up hook imports modules of its own.
    """
    done = subprocess.run(
        [argv[0], "-S", "-X", "importtime", *argv[1:]],
        env=child_env(clean=True),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    found = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:"):
            name = line.rsplit("|", 1)[-1].strip()
            found.add(name.split(".")[0])
    return sorted(m for m in modules if m in found)


def verdict(name: str, figures: list[tuple[str, float, float, str]]) -> bool:
    """Print figures against budgets; True when every one is within."""
    ok = True
    print(f"== {name}")
    for label, value, budget, unit in figures:
        within = value <= budget
        ok = ok and within
        mark = "ok" if within else "OVER"
        print(f"  {label}: {value:.3f} {unit} (budget {budget:g} {unit}) {mark}")
    return ok
