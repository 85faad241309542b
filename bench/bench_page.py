"""One GET of the Dynamic DNS page as a CGI process, with 50 hosts and their history.

Budget: 0.3 s wall, the median of several runs. Each run is what a browser's
request costs on the firewall: a fresh Python process running
cgi-bin/ddns.cgi with CGI variables, reading the page's files, ddns.conf and
the history, and printing the page. Runs alternate with `python3 -c pass` so
that both see the same load of a shared machine.

    python3 bench/bench_page.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from common import ROOT, child_env, compare, verdict

from ddns import history
from ddns.ipfire import files, generate, hosts, settings
from ddns.ipfire.hosts import Host
from tests.ipfire.tree import ipfire_tree

BUDGET_SECONDS = 0.3
HOSTS = 50
RUNS = 9
PAGE = [sys.executable, str(ROOT / "cgi-bin" / "ddns.cgi")]


def build_tree(root: str) -> None:
    """The files of a firewall with HOSTS hosts, each with some history."""
    ipfire_tree(Path(root))
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
    return {
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


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="ddns-bench-") as root:
        build_tree(root)
        # The timed children inherit this process's environment.
        os.environ.update(cgi_environment(root))
        page = subprocess.run(PAGE, env=child_env(), capture_output=True, check=False)
        if (
            b"Status: 200" not in page.stdout
            or page.stdout.count(b'class="name"') != HOSTS
        ):
            print(page.stdout[:2000].decode(errors="replace"), page.stderr.decode())
            return 1
        figures = compare(PAGE, RUNS)
        clean = compare(PAGE, RUNS, clean=True)
    print(
        f"page GET as CGI with {HOSTS} hosts and their history, median of {RUNS} runs"
    )
    print(figures.describe())
    print(clean.describe("without .pth hooks: "))
    ok = verdict("page GET", [("wall", figures.wall, BUDGET_SECONDS, "s")])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
