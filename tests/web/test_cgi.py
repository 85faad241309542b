"""cgi-bin/ddns.cgi as IPFire runs it: with a request, and without one."""

from __future__ import annotations

import os
import subprocess
import sys
from html import escape
from pathlib import Path

TOP = Path(__file__).resolve().parents[2]
SCRIPT = TOP / "cgi-bin" / "ddns.cgi"


def run(root: Path, **cgi: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(TOP),
        "DDNS_ROOT": str(root),
        **cgi,
    }
    return subprocess.run(
        [sys.executable, str(SCRIPT)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_a_request_it_only_regenerates_ddns_conf(root: Path) -> None:
    (root / "var/ipfire/ddns/config").write_text(
        "dyndns.org,home,example.net,,,a,b,on\n"
    )
    (root / "var/ipfire/ddns/settings").write_text("BEHINDROUTER=FETCH_IP\n")

    finished = run(root)

    assert finished.returncode == 0, finished.stderr
    assert finished.stdout == ""
    text = (root / "var/ipfire/ddns/ddns.conf").read_text()
    assert "guess_external_ip = true" in text
    assert "[home.example.net]" in text


def test_as_cgi_it_answers_with_the_page(root: Path) -> None:
    finished = run(
        root,
        GATEWAY_INTERFACE="CGI/1.1",
        REQUEST_METHOD="GET",
        SCRIPT_NAME="/cgi-bin/ddns.cgi",
        SERVER_NAME="ipfire",
        SERVER_PORT="444",
        SERVER_PROTOCOL="HTTP/1.1",
    )

    assert finished.returncode == 0, finished.stderr
    # Text mode reads the header lines' CRLF as LF.
    head, _, body = finished.stdout.partition("\n\n")
    assert head.startswith("Status: 200 OK")
    assert "Content-Type: text/html; charset=utf-8" in head
    assert "<h1>Dynamic DNS</h1>" in body
    assert not (root / "var/ipfire/ddns/ddns.conf").exists()


def test_without_a_request_a_failure_is_a_message_not_a_traceback(
    root: Path,
) -> None:
    (root / "var/ipfire/ddns/settings").mkdir()

    finished = run(root)

    assert finished.returncode == 1
    assert "Traceback" not in finished.stderr
    assert "settings" in finished.stderr


REQUEST = {
    "GATEWAY_INTERFACE": "CGI/1.1",
    "REQUEST_METHOD": "GET",
    "SCRIPT_NAME": "/cgi-bin/ddns.cgi",
    "SERVER_NAME": "ipfire",
    "SERVER_PORT": "444",
    "SERVER_PROTOCOL": "HTTP/1.1",
}


def missing_directory(root: Path) -> str:
    directory = root / "var/ipfire/ddns"
    return (
        f"the directory {directory} does not exist; the page keeps its files there "
        "(create it owned by the page's user, as IPFire does: "
        f"install -d -o nobody -g nobody {directory}) (DDNS_ROOT is {root})"
    )


def test_without_its_directory_it_names_it_and_creates_nothing(
    tmp_path: Path,
) -> None:
    finished = run(tmp_path)

    assert finished.returncode == 1
    assert finished.stderr == f"ddns.cgi: {missing_directory(tmp_path)}\n"
    assert list(tmp_path.iterdir()) == []


def test_as_cgi_without_its_directory_the_page_names_it(tmp_path: Path) -> None:
    finished = run(tmp_path, **REQUEST)

    head, _, body = finished.stdout.partition("\n\n")
    assert head.startswith("Status: 500 Internal Server Error")
    assert f"<p>{escape(missing_directory(tmp_path))}</p>" in body
    assert list(tmp_path.iterdir()) == []


def test_as_cgi_without_jinja2_the_page_says_what_to_install(root: Path) -> None:
    # Jinja2 made unimportable, as on a system where it is not installed.
    hidden = (
        "import runpy, sys\n"
        "sys.modules['jinja2'] = None\n"
        f"runpy.run_path({str(SCRIPT)!r}, run_name='__main__')\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", hidden],
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(TOP),
            "DDNS_ROOT": str(root),
            **REQUEST,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    head, _, body = finished.stdout.partition("\n\n")
    assert head.startswith("Status: 500 Internal Server Error")
    assert (
        "<p>The page needs Jinja2, which is not installed: install it with "
        "pip install &#x27;ddns[web]&#x27; or your distribution&#x27;s "
        "python3-jinja2. Nothing was changed.</p>"
    ) in body
    assert "ModuleNotFoundError" not in body
