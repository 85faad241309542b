"""One GET of the Dynamic DNS page as a CGI process, with 50 hosts and their history.

Budget: the median of several runs at most 0.3 s on a development machine.
Each run is what a browser's request costs on the firewall: a fresh Python
process running cgi-bin/ddns.cgi with CGI variables, reading the page's files,
ddns.conf and the history, and printing the page. The interpreter's own start
(`python3 -c pass`) is printed beside it for comparison.

    python3 bench/bench_page.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, TOP)

from ddns import history  # noqa: E402
from ddns.ipfire import files, generate, hosts, settings  # noqa: E402
from ddns.ipfire.hosts import Host  # noqa: E402

BUDGET_SECONDS = 0.3
HOSTS = 50


def build_tree(root: str) -> None:
    """The files of a firewall with HOSTS hosts, each with some history."""
    for directory in ("var/ipfire/ddns", "var/ipfire/main", "var/lib"):
        os.makedirs(os.path.join(root, directory), exist_ok=True)
    os.environ[files.ROOT_ENV] = root
    settings.write(
        files.rooted(files.SETTINGS), {"BEHINDROUTER": "FETCH_IP", "IPV6": "on"}
    )
    settings.write(files.rooted(files.MAIN_SETTINGS), {"LANGUAGE": "de"})
    listed = []
    for number in range(HOSTS):
        if number % 3 == 0:
            host = Host(
                "spdns.org", f"h{number}.spdns.de", True, {"token": f"tok{number}"}
            )
        else:
            host = Host(
                "dyndns.org",
                f"h{number}.example.net",
                number % 10 != 9,
                {"username": f"user{number}", "password": f"pw,{number}%"},
            )
        listed.append(host)
    hosts.save(listed, files.rooted(files.HOSTS), files.rooted(files.EXTRA))
    generate.regenerate()

    now = history.now()
    with history.History(files.rooted(files.DATABASE)) as past:
        for number, host in enumerate(listed):
            for family in ("ipv4", "ipv6"):
                for step in range(5):
                    failed = number % 7 == 0 and step == 4
                    past.record(
                        history.Attempt(
                            hostname=host.fqdn,
                            provider=host.provider,
                            family=family,
                            address=None if failed else f"192.0.2.{number}",
                            outcome=history.FAILURE if failed else history.SUCCESS,
                            time=now - timedelta(hours=5 - step),
                            error_kind="auth" if failed else None,
                            message="badauth" if failed else None,
                        )
                    )


def cgi_environment(root: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": TOP,
        files.ROOT_ENV: root,
        "GATEWAY_INTERFACE": "CGI/1.1",
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "/cgi-bin/ddns.cgi",
        "QUERY_STRING": "",
        "SERVER_NAME": "ipfire.localdomain",
        "SERVER_PORT": "444",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTPS": "on",
        "HTTP_HOST": "ipfire.localdomain:444",
        "REMOTE_ADDR": "192.168.0.2",
    }
    if "DDNS_LOCALEDIR" in os.environ:
        env["DDNS_LOCALEDIR"] = os.environ["DDNS_LOCALEDIR"]
    return env


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, bytes]:
    start = time.perf_counter()
    finished = subprocess.run(argv, env=env, capture_output=True, check=True)
    return time.perf_counter() - start, finished.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ddns-bench-") as root:
        build_tree(root)
        env = cgi_environment(root)
        page = [sys.executable, os.path.join(TOP, "cgi-bin", "ddns.cgi")]
        # The first run compiles bytecode and creates the CSRF key; not counted.
        _, out = timed(page, env)
        if b"Status: 200" not in out or out.count(b'class="name"') != HOSTS:
            print(out[:2000].decode(errors="replace"), file=sys.stderr)
            raise SystemExit("the page did not list every host")
        page_times = [timed(page, env)[0] for _ in range(args.runs)]
        bare_times = [
            timed([sys.executable, "-c", "pass"], env)[0] for _ in range(args.runs)
        ]

    median = statistics.median(page_times)
    print(
        f"page GET as CGI, {HOSTS} hosts: median {median:.3f} s over {args.runs} runs "
        f"(min {min(page_times):.3f}, max {max(page_times):.3f}); "
        f"python3 -c pass: median {statistics.median(bare_times):.3f} s; "
        f"budget {BUDGET_SECONDS:.1f} s"
    )
    return 0 if median <= BUDGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
