"""The `ddns` command: output, exit statuses, logging."""

from __future__ import annotations

import contextlib
import json
import logging
import logging.handlers
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from ddns import cli, core
from ddns.history import History
from ddns.providers import handles, registry, token_handles
from ddns.providers.dyndns2 import DynDNS2Provider
from tests.loopback import LoopbackServer, Reply, Request

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "p#ss,w\\=rd%x"


@pytest.fixture(autouse=True)
def _reset_logging() -> Iterator[None]:
    yield
    # Handlers bound to this test's captured stderr must not outlive it.
    for handler in cli._handlers:
        cli.log.removeHandler(handler)
        handler.close()
    cli._handlers.clear()
    cli.log.setLevel(logging.NOTSET)


def conf(tmp_path: Path, server: LoopbackServer, hosts: str = "a.example.com") -> str:
    text = [
        "[config]",
        f"database = {tmp_path / 'ddns.db'}",
        "ipv4_address = 198.51.100.7",
        "ipv6_address = 2001:db8::7",
    ]
    for name in hosts.split():
        text += [
            f"[{name}]",
            "provider = dyndns2",
            f"url = {server.url}/nic/update",
            "username = alice",
            f"password = {PASSWORD}",
        ]
    path = tmp_path / "ddns.conf"
    path.write_text("\n".join(text) + "\n")
    return str(path)


def test_list_providers(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["list-providers"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["HANDLE", "NAME", "FAMILIES", "CREDENTIALS", "ALIVE"]
    assert [line.split()[0] for line in lines[1:]] == handles()
    row = next(line for line in lines if line.startswith("dyndns2 "))
    assert "ipv4,ipv6" in row
    assert "username+password | url" in row
    assert row.endswith("yes")


def test_list_providers_without_credentials(capsys: pytest.CaptureFixture[str]) -> None:
    class Open(DynDNS2Provider):
        name = "Needs only a URL"
        credentials = ((),)
        requires_url = True

    Open.handle = "open.test"
    registry()[Open.handle] = Open
    try:
        assert cli.main(["list-providers"]) == 0
    finally:
        registry().pop(Open.handle)
    row = next(
        line for line in capsys.readouterr().out.splitlines() if "open.test" in line
    )
    assert row.split()[-2:] == ["url", "yes"]


def test_list_providers_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["list-providers", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["handle"] for row in rows] == handles()
    generic = next(row for row in rows if row["handle"] == "dyndns2")
    assert generic["families"] == ["ipv4", "ipv6"]
    assert generic["credentials"] == [["username", "password"]]
    assert generic["requires_url"] is True
    assert generic["alive"] is True


def test_list_token_providers_is_the_originals_list(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Scripts written for the original read this list.
    from tests.providers.test_registry import ORIGINAL_TOKEN_HANDLES

    assert cli.main(["list-token-providers"]) == 0
    assert capsys.readouterr().out.splitlines() == list(ORIGINAL_TOKEN_HANDLES)
    assert "godaddy.com" not in token_handles()


def test_guess_ip_addresses_as_the_original(
    tmp_path: Path, http_server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["-c", conf(tmp_path, http_server), "guess-ip-addresses"]) == 0
    assert capsys.readouterr().out == (
        "IPv6 Address: 2001:db8::7\nIPv4 Address: 198.51.100.7\n"
    )


def test_update_all_then_nothing_to_do(
    tmp_path: Path, http_server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    path = conf(tmp_path, http_server, "a.example.com b.example.com")
    assert cli.main(["-c", path, "update-all"]) == 0
    err = capsys.readouterr().err
    assert "Updated a.example.com (dyndns2): ipv4 198.51.100.7, ipv6 2001:db8::7" in err
    assert "Updated b.example.com (dyndns2)" in err
    assert cli.main(["-c", path, "update-all"]) == 0
    assert capsys.readouterr().err == ""
    assert len(http_server.requests) == 4


def test_update_one_host_says_when_nothing_changed(
    tmp_path: Path, http_server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    path = conf(tmp_path, http_server, "a.example.com b.example.com")
    assert cli.main(["-c", path, "update", "a.example.com"]) == 0
    assert cli.main(["-c", path, "update", "a.example.com"]) == 0
    assert capsys.readouterr().out == (
        "a.example.com (dyndns2), ipv4: unchanged\n"
        "a.example.com (dyndns2), ipv6: unchanged\n"
    )
    assert {r.query["hostname"] for r in http_server.requests} == {"a.example.com"}


def test_force_and_dry_run(
    tmp_path: Path, http_server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    path = conf(tmp_path, http_server)
    assert cli.main(["-c", path, "update-all"]) == 0
    assert cli.main(["-c", path, "update-all", "--force", "--dry-run"]) == 0
    assert (
        "a.example.com (dyndns2), ipv4: would send: forced" in capsys.readouterr().err
    )
    assert len(http_server.requests) == 2
    assert cli.main(["-c", path, "update", "a.example.com", "--force"]) == 0
    assert len(http_server.requests) == 4


def test_failed_update_exits_1(
    tmp_path: Path, http_server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    http_server.default = Reply(body="badauth")
    assert cli.main(["-c", conf(tmp_path, http_server), "update-all"]) == 1
    err = capsys.readouterr().err
    assert (
        "Update of a.example.com (dyndns2) failed for ipv4: Authentication failed"
        in err
    )
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["update-all"], "the configuration file does not exist"),
        (["update", "x.example.com"], "the configuration file does not exist"),
        (["status"], "the configuration file does not exist"),
    ],
)
def test_missing_config_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    missing = str(tmp_path / "none.conf")
    assert cli.main(["-c", missing, *argv]) == 2
    err = capsys.readouterr().err
    assert err == f"{missing}: {message}\n"


def test_an_empty_config_name_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["-c", "", "update-all"]) == 2
    err = capsys.readouterr().err
    assert err.endswith("error: argument -c/--config: the file name is empty\n")


def test_a_named_pipe_as_config_exits_2_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "ddns.conf"
    os.mkfifo(fifo)
    started = time.monotonic()
    assert cli.main(["-c", str(fifo), "status"]) == 2
    assert time.monotonic() - started < 5
    assert capsys.readouterr().err == (
        f"{fifo}: the configuration file is a named pipe (FIFO), not a regular "
        "file; give the path of a file\n"
    )


def test_bad_config_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ddns.conf"
    path.write_text("[h.example.com]\nprovider = nosuch.example\n")
    assert cli.main(["-c", str(path), "update-all"]) == 2
    assert "[h.example.com], provider: unknown provider" in capsys.readouterr().err


def test_unknown_host_exits_2(
    tmp_path: Path, http_server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    path = conf(tmp_path, http_server)
    assert cli.main(["-c", path, "update", "x.example.com"]) == 2
    assert "x.example.com is not a section of" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv", [[], ["frobnicate"], ["update"], ["--nope", "update-all"]]
)
def test_bad_usage_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(argv) == 2
    assert "usage: ddns" in capsys.readouterr().err


def test_bare_ddns_prints_the_full_help_to_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main([]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    # The whole help, not only the usage line: every command with its summary.
    assert "Keeps dynamic DNS records current." in captured.err
    assert "update-all" in captured.err
    assert "show what was sent, what failed and what comes next" in captured.err


def test_debug_and_quiet_together_are_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["-d", "-q", "list-token-providers"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "argument -q/--quiet: not allowed with argument -d/--debug" in captured.err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("update-all", "list-providers", "guess-ip-addresses", "status"):
        assert command in out


def test_help_fits_the_terminal_width(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    assert cli.main(["update", "--help"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "  --force     send even when nothing" in lines
    assert max(len(line) for line in lines) <= 40


def test_unexpected_error_is_short_and_exits_1(
    tmp_path: Path,
    http_server: LoopbackServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> core.RunReport:
        raise RuntimeError("something unforeseen")

    monkeypatch.setattr(core, "run", broken)
    assert cli.main(["-c", conf(tmp_path, http_server), "update-all"]) == 1
    err = capsys.readouterr().err
    assert err == (
        "internal error: RuntimeError: something unforeseen "
        "(run with --debug for details)\n"
    )


def test_status_text_and_json(
    tmp_path: Path, http_server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    path = conf(tmp_path, http_server, "a.example.com b.example.com")
    assert cli.main(["-c", path, "update", "a.example.com"]) == 0
    capsys.readouterr()
    assert cli.main(["-c", path, "status"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "a.example.com (dyndns2)\n  IPv4:\n    last sent: 198.51.100.7 at "
    )
    assert (
        "b.example.com (dyndns2)\n  IPv4:\n    last sent: never\n    next: never sent\n"
        in out
    )
    assert cli.main(["-c", path, "status", "b.example.com", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["hostname"], r["family"], r["pending"]) for r in rows] == [
        ("b.example.com", "ipv4", True),
        ("b.example.com", "ipv6", True),
    ]


def test_status_of_a_current_host_says_a_change_goes_out_at_once(
    tmp_path: Path, http_server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    path = conf(tmp_path, http_server)
    assert cli.main(["-c", path, "update-all"]) == 0
    capsys.readouterr()
    assert cli.main(["-c", path, "status", "a.example.com"]) == 0
    lines = capsys.readouterr().out.splitlines()
    with History(str(tmp_path / "ddns.db")) as past:
        state = past.state("a.example.com", "dyndns2", "ipv4")
    assert state is not None and state.last_success is not None
    due = state.last_success + timedelta(days=30)
    assert lines[1:4] == [
        "  IPv4:",
        f"    last sent: 198.51.100.7 at {core.format_time(state.last_success)}",
        "    next: up to date; a changed address is sent at once; refreshed on "
        + due.strftime("%Y-%m-%d"),
    ]
    assert not any("not before" in line for line in lines)

    assert cli.main(["-c", path, "status", "a.example.com", "--json"]) == 0
    (row, _ipv6) = json.loads(capsys.readouterr().out)
    assert row["pending"] is False
    assert row["next_attempt"] is None
    assert row["refresh_due"] == due.isoformat()
    assert row["reason"] == lines[3].removeprefix("    next: ")


def test_quiet_hides_info(
    tmp_path: Path, http_server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["-q", "-c", conf(tmp_path, http_server), "update-all"]) == 0
    assert capsys.readouterr().err == ""


def test_quiet_shows_errors_only(
    tmp_path: Path, http_server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    path = conf(tmp_path, http_server)
    # An unknown key warns; a refused update is an error.
    with open(path, "a") as handle:
        handle.write("colour = blue\n")
    http_server.default = Reply(body="badauth")
    assert cli.main(["-q", "-c", path, "update-all"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "Update of a.example.com (dyndns2) failed for ipv4: Authentication failed"
    )
    # Without -q the warning shows too.
    assert cli.main(["-c", path, "update-all"]) == 0
    assert "colour: unknown key, ignored" in capsys.readouterr().err


def test_debug_output_has_no_secret(
    tmp_path: Path, http_server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["-d", "-c", conf(tmp_path, http_server), "update-all"]) == 0
    err = capsys.readouterr().err
    assert "http: method=GET" in err
    assert PASSWORD not in err
    assert "p%23ss" not in err


def test_syslog_daemon_facility_and_tag(
    tmp_path: Path,
    http_server: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    address = str(tmp_path / "log")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as syslog:
        syslog.bind(address)
        syslog.settimeout(5)
        monkeypatch.setattr(cli, "SYSLOG_ADDRESS", address)
        assert cli.main(["-d", "-c", conf(tmp_path, http_server), "update-all"]) == 0
        message = syslog.recv(4096).decode()
    # <30> is facility daemon (3) at level info (6); no debug line reaches syslog.
    assert message.startswith(
        f"<30>ddns[{os.getpid()}]: Updated a.example.com (dyndns2)"
    )


def test_no_syslog_socket_is_quiet(
    tmp_path: Path,
    http_server: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(cli, "SYSLOG_ADDRESS", str(tmp_path / "no-log"))
    assert cli.main(["-c", conf(tmp_path, http_server), "update-all"]) == 0
    assert "Logging error" not in capsys.readouterr().err
    assert not any(
        isinstance(h, logging.handlers.SysLogHandler) for h in cli.log.handlers
    )


def test_python_m_ddns(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ddns", "-c", str(tmp_path / "none.conf"), "update-all"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert (
        done.stderr
        == f"{tmp_path / 'none.conf'}: the configuration file does not exist\n"
    )


def test_list_providers_loads_no_configuration_or_http_library() -> None:
    script = (
        "import sys\nfrom ddns.cli import main\nmain(['list-providers'])\n"
        "print(sorted(m for m in ('ddns.config', 'requests', 'sqlite3', 'dns')"
        " if m in sys.modules))\n"
    )
    out = subprocess.check_output([sys.executable, "-c", script], cwd=ROOT, text=True)
    assert out.splitlines()[-1] == "[]"


def test_an_unwritable_history_sends_nothing_and_exits_1(
    tmp_path: Path, http_server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_history import unwritable

    folder = tmp_path / "lib"
    folder.mkdir()
    path = conf(tmp_path, http_server)
    text = (
        Path(path).read_text().replace(str(tmp_path / "ddns.db"), str(folder / "d.db"))
    )
    Path(path).write_text(text)
    assert cli.main(["-c", path, "status"]) == 0  # creates nothing
    with History(str(folder / "d.db")):
        pass
    with unwritable(folder):
        assert cli.main(["-c", path, "update-all"]) == 1
    err = capsys.readouterr().err
    assert f"cannot use the history {folder / 'd.db'}: " in err
    assert f"create files in {folder}" in err
    assert "internal error" not in err
    assert http_server.requests == []
    # Once it can be written, the run goes on as if nothing happened.
    assert cli.main(["-c", path, "update-all"]) == 0
    assert len(http_server.requests) == 2


@pytest.mark.parametrize("command", ["update-all", "status"])
@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (
            lambda db: db.write_text("not a database\n" * 100),
            "is not a ddns history database (file is not a database); "
            "move it aside and ddns starts a new one",
        ),
        (lambda db: db.mkdir(), "the user running ddns must be able to write"),
    ],
    ids=["not-sqlite", "directory"],
)
def test_a_history_that_cannot_be_used_exits_1(
    tmp_path: Path,
    http_server: LoopbackServer,
    capsys: pytest.CaptureFixture[str],
    command: str,
    make: Callable[[Path], object],
    problem: str,
) -> None:
    make(tmp_path / "ddns.db")
    assert cli.main(["-c", conf(tmp_path, http_server), command]) == 1
    err = capsys.readouterr().err
    assert str(tmp_path / "ddns.db") in err
    assert problem in err
    assert "internal error" not in err
    assert http_server.requests == []


def _take_interrupts() -> None:
    # Python ignores SIGINT in a child started in the background by a shell
    # without job control; the run under test takes it as a terminal would.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def interrupt(
    argv: list[str],
    server: LoopbackServer,
    after: int,
    signum: int = signal.SIGINT,
    settle: float = 0.0,
    again: bool = False,
) -> tuple[int, str, float]:
    """Run `python3 -m ddns` and signal it once `after` requests arrived.

    `settle` seconds pass before the signal, for the answers to arrive;
    `again` sends a second signal right after the first. The exit status,
    stderr, and the seconds from the (first) signal to the exit.
    """
    child = subprocess.Popen(
        [sys.executable, "-m", "ddns", *argv],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_take_interrupts,
    )
    try:
        deadline = time.monotonic() + 10
        while len(server.requests) < after and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(settle)
        child.send_signal(signum)
        signalled = time.monotonic()
        if again:
            time.sleep(0.05)
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signum)
        _, err = child.communicate(timeout=10)
        took = time.monotonic() - signalled
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    return child.returncode, err, took


def recorded(tmp_path: Path) -> dict[tuple[str, str], str | None]:
    with History(str(tmp_path / "ddns.db"), readonly=True) as past:
        return {(s.hostname, s.family): s.last_address for s in past.states()}


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupt_does_not_wait_for_a_slow_provider(
    tmp_path: Path, http_server: LoopbackServer, signum: int
) -> None:
    # Two hosts answer at once, the third is stuck far beyond the limit.
    def answer(request: Request) -> Reply:
        slow = request.query["hostname"] == "slow.example.com"
        return Reply(body="good", delay=30 if slow else 0)

    http_server.handler = answer
    path = conf(tmp_path, http_server, "a.example.com b.example.com slow.example.com")
    text = Path(path).read_text().replace("[config]\n", "[config]\nconcurrency = 3\n")
    Path(path).write_text(text)
    status, err, took = interrupt(
        ["-c", path, "update-all"], http_server, 5, signum, settle=0.5
    )

    assert status == 130
    assert took < 2
    assert err.splitlines()[-1] == (
        "interrupted; 4 updates recorded, 1 left unanswered and not recorded"
    )
    assert "Traceback" not in err
    assert "Exception ignored" not in err
    assert recorded(tmp_path) == {
        ("a.example.com", "ipv4"): "198.51.100.7",
        ("a.example.com", "ipv6"): "2001:db8::7",
        ("b.example.com", "ipv4"): "198.51.100.7",
        ("b.example.com", "ipv6"): "2001:db8::7",
    }

    # The unanswered update goes out again with the next run, alone.
    http_server.handler = None
    before = len(http_server.requests)
    assert cli.main(["-c", path, "update-all"]) == 0
    again = [(r.query["hostname"], r.query["myip"]) for r in http_server.requests]
    assert again[before:] == [
        ("slow.example.com", "198.51.100.7"),
        ("slow.example.com", "2001:db8::7"),
    ]


def test_a_second_interrupt_ends_the_run_quietly(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    http_server.default = Reply(body="good", delay=30)
    path = conf(tmp_path, http_server, "a.example.com b.example.com")
    status, err, took = interrupt(
        ["-c", path, "update-all"], http_server, 2, again=True
    )
    assert status == 130
    assert took < 2
    assert err.splitlines()[-1] == (
        "interrupted; 0 updates recorded, 2 left unanswered and not recorded"
    )
    assert "Traceback" not in err
    assert "Exception ignored" not in err
    assert "KeyboardInterrupt" not in err
    assert recorded(tmp_path) == {}


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_sending_and_records_what_was_sent(
    tmp_path: Path, http_server: LoopbackServer, signum: int
) -> None:
    http_server.default = Reply(body="good", delay=0.4)
    path = conf(tmp_path, http_server, " ".join(f"h{i}.example.com" for i in range(6)))
    text = Path(path).read_text().replace("[config]\n", "[config]\nconcurrency = 2\n")
    Path(path).write_text(text)
    status, err, took = interrupt(
        ["-c", path, "update-all"], http_server, 4, signum, settle=0.1
    )

    assert status == 130
    assert took < 2
    # The first two answers came; the next two requests are left without
    # one, and no request starts after the signal.
    sent = [(r.query["hostname"], r.query["myip"]) for r in http_server.requests]
    assert len(sent) == 4
    assert err.splitlines()[-1] == (
        "interrupted; 2 updates recorded, 2 left unanswered and not recorded"
    )
    assert "Traceback" not in err
    assert len(recorded(tmp_path)) == 2

    # What was answered is recorded: the next run sends only the rest.
    http_server.default = Reply(body="good")
    assert cli.main(["-c", path, "update-all"]) == 0
    rest = [(r.query["hostname"], r.query["myip"]) for r in http_server.requests]
    assert len(rest) == 4 + 10
    assert set(rest[4:]).isdisjoint(sent[:2])


@pytest.mark.parametrize("command", ["update-all", "status"])
def test_a_malformed_url_is_a_configuration_error(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ddns.conf"
    path.write_text(
        f"[config]\ndatabase = {tmp_path / 'ddns.db'}\n"
        "[h.example.com]\nprovider = dyndns2\nurl = http://[::1\n"
        "username = u\npassword = p\n"
    )
    assert cli.main(["-c", str(path), command]) == 2
    err = capsys.readouterr().err
    assert f"{path}, [h.example.com], url: 'http://[::1' is not a valid URL" in err
    assert "internal error" not in err


def with_broken_hosts(tmp_path: Path, server: LoopbackServer) -> str:
    path = conf(tmp_path, server, "good.example.net")
    with open(path, "a") as handle:
        handle.write(
            "[-bad-.example]\nprovider = dyndns2\nurl = https://x.example/\n"
            "username = u\npassword = p\n"
            "[nopass.example.net]\nprovider = dyndns2\n"
            f"url = {server.url}/nic/update\nusername = u\n"
        )
    return path


def test_a_broken_host_section_skips_that_host_only(
    tmp_path: Path, http_server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    path = with_broken_hosts(tmp_path, http_server)
    assert cli.main(["-c", path, "update-all"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{path}, [-bad-.example]: '-bad-.example' is not a")
    assert err[0].endswith(" ([-bad-.example] is skipped)")
    assert err[1] == (
        f"{path}, [nopass.example.net]: password is required by dyndns2 "
        "([nopass.example.net] is skipped)"
    )
    assert err[2].startswith("Updated good.example.net (dyndns2)")
    assert {r.query["hostname"] for r in http_server.requests} == {"good.example.net"}

    # A run for a good host is about that host only.
    assert cli.main(["-c", path, "update", "good.example.net", "--force"]) == 0
    assert capsys.readouterr().err.startswith("Updated good.example.net")
    # A run for the broken one fails with its error.
    assert cli.main(["-c", path, "update", "nopass.example.net"]) == 2
    assert capsys.readouterr().err == (
        f"{path}, [nopass.example.net]: password is required by dyndns2\n"
    )
    assert len(http_server.requests) == 4


def test_status_shows_the_good_hosts_and_exits_2_for_a_broken_one(
    tmp_path: Path, http_server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    path = with_broken_hosts(tmp_path, http_server)
    assert cli.main(["-c", path, "status"]) == 2
    captured = capsys.readouterr()
    assert captured.out.startswith("good.example.net (dyndns2)\n")
    assert "[nopass.example.net] is skipped" in captured.err
    # The report itself lists the broken section with what to fix.
    assert captured.out.endswith(
        "[nopass.example.net]\n  not updated until this is fixed: "
        f"{path}, [nopass.example.net]: password is required by dyndns2\n"
    )
    assert cli.main(["-c", path, "status", "good.example.net"]) == 0
    assert "nopass" not in capsys.readouterr().out


def test_a_disabled_host_is_skipped_saying_how_it_is_switched_off(
    tmp_path: Path, http_server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    path = conf(tmp_path, http_server, "a.example.com b.example.com")
    with open(path, "a") as handle:
        handle.write("enabled = off\n")  # the last section: b.example.com
    assert cli.main(["-c", path, "update-all"]) == 0
    err = capsys.readouterr().err
    assert "b.example.com: skipped (enabled = off)\n" in err
    assert "Updated a.example.com (dyndns2)" in err
    assert "Updated b.example.com" not in err
    assert cli.main(["-c", path, "update", "b.example.com"]) == 2
    assert capsys.readouterr().err.endswith(
        f": b.example.com is disabled in {path} (enabled = off)\n"
    )


@pytest.mark.parametrize(
    ("argv", "out"),
    [(["update-all"], ""), (["status"], ""), (["status", "--json"], "[]\n")],
)
def test_no_hosts_configured_warns_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], out: str
) -> None:
    path = tmp_path / "ddns.conf"
    path.write_text(f"[config]\ndatabase = {tmp_path / 'ddns.db'}\n")
    assert cli.main(["-c", str(path), *argv]) == 0
    captured = capsys.readouterr()
    assert captured.err == f"no hosts configured in {path}\n"
    assert captured.out == out
    # Nothing was needed, so no history was created.
    assert not (tmp_path / "ddns.db").exists()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "ipv6_address = ::ffff:192.0.2.1",
            "[config], ipv6_address: ::ffff:192.0.2.1 cannot be published: "
            "IPv4-mapped address",
        ),
        (
            "ipv4_address = ::ffff:192.0.2.1",
            "[config], ipv4_address: '::ffff:192.0.2.1' is not an IPv4 address",
        ),
        (
            "ipv4_address = 010.000.000.001",
            "[config], ipv4_address: '010.000.000.001' is not an IPv4 address",
        ),
    ],
)
def test_an_unusable_fixed_address_is_quoted_as_typed(
    tmp_path: Path,
    http_server: LoopbackServer,
    capsys: pytest.CaptureFixture[str],
    line: str,
    message: str,
) -> None:
    path = conf(tmp_path, http_server)
    text = Path(path).read_text()
    key = line.split()[0]
    text = "\n".join(line if row.startswith(key) else row for row in text.splitlines())
    Path(path).write_text(text + "\n")
    assert cli.main(["-c", path, "update-all"]) == 2
    assert capsys.readouterr().err == f"{path}, {message}\n"
    assert http_server.requests == []


def test_a_host_of_a_closed_service_is_skipped_and_the_others_run(
    tmp_path: Path, http_server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    path = conf(tmp_path, http_server, "a.example.com b.example.com")
    text = Path(path).read_text()
    head, tail = text.split("[b.example.com]")
    tail = tail.replace("provider = dyndns2", "provider = domains.google.com")
    Path(path).write_text(f"{head}[b.example.com]{tail}")
    assert cli.main(["-c", path, "update-all"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        f"{path}, [b.example.com]: domains.google.com has closed its service; "
        "host skipped"
    )
    assert err[1].startswith("Updated a.example.com (dyndns2): ")
    assert len(err) == 2
    assert {r.query["hostname"] for r in http_server.requests} == {"a.example.com"}

    assert cli.main(["-c", path, "update", "b.example.com"]) == 2
    assert capsys.readouterr().err.endswith(
        f": b.example.com is skipped in {path}: its provider has closed its service\n"
    )


def test_a_garbage_proxy_is_a_configuration_error_exit_2(
    tmp_path: Path, http_server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    path = conf(tmp_path, http_server)
    text = Path(path).read_text().replace("[config]\n", "[config]\nproxy = garbage\n")
    Path(path).write_text(text)
    assert cli.main(["-c", path, "update-all"]) == 2
    assert capsys.readouterr().err == (
        f"{path}, [config], proxy: must be a proxy URL such as http://192.0.2.1:3128\n"
    )
    assert http_server.requests == []


CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def test_control_characters_of_an_answer_reach_no_output_and_no_history(
    tmp_path: Path, http_server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ddns.conf"
    path.write_text(
        f"[config]\ndatabase = {tmp_path / 'ddns.db'}\nipv4_address = 198.51.100.7\n"
        "[a.example.com]\nprovider = custom\nprotocols = ipv4\n"
        f"url = {http_server.url}/u?ip={{address}}\nsuccess = ^good\n"
    )
    http_server.default = Reply(body="<script>alert(1)</script>\x1b[31mRED\x00\x07")
    assert cli.main(["-c", str(path), "update-all"]) == 1
    err = capsys.readouterr().err
    shown = "<script>alert(1)</script>\\x1b[31mRED\\x00\\x07"
    assert (
        "Update of a.example.com (custom) failed for ipv4: The provider's answer "
        f"was not understood: the answer does not contain '^good': {shown}\n"
    ) in err
    assert not CONTROLS.search(err.replace("\n", ""))

    with sqlite3.connect(tmp_path / "ddns.db") as db:
        (stored,) = db.execute("SELECT message FROM attempts").fetchone()
        (last_error,) = db.execute("SELECT last_error FROM state").fetchone()
    assert stored == last_error
    assert stored.endswith(shown)
    assert not CONTROLS.search(stored)

    assert cli.main(["-c", str(path), "status"]) == 0
    out = capsys.readouterr().out
    assert shown in out
    assert not CONTROLS.search(out.replace("\n", ""))


def test_a_message_stored_raw_by_an_older_version_is_shown_escaped(
    tmp_path: Path, http_server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    path = conf(tmp_path, http_server)
    http_server.default = Reply(body="dnserr")
    assert cli.main(["-c", path, "update-all"]) == 1
    with sqlite3.connect(tmp_path / "ddns.db") as db:
        db.execute("UPDATE state SET last_error = ?", ("old \x1b[2J\u202eanswer",))
    capsys.readouterr()
    assert cli.main(["-c", path, "status"]) == 0
    out = capsys.readouterr().out
    assert "old \\x1b[2J\\u202eanswer" in out
    assert not CONTROLS.search(out.replace("\n", ""))


def test_settings_the_provider_refuses_are_a_config_error_before_any_send(
    tmp_path: Path, http_server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    path = conf(tmp_path, http_server, "good.example.net")
    with open(path, "a") as handle:
        handle.write(
            "[c2.example.net]\nprovider = custom\n"
            f"url = {http_server.url}/u?h={{hostname}}&a={{address}}\n"
            "method = DELETE\n"
        )
    expected = (
        f"{path}, [c2.example.net], method: must be one of GET, POST, PUT, "
        "not DELETE ([c2.example.net] is skipped)"
    )

    assert cli.main(["-c", path, "update-all", "--dry-run"]) == 2
    assert capsys.readouterr().err.splitlines()[0] == expected
    assert cli.main(["-c", path, "status"]) == 2
    assert capsys.readouterr().err.splitlines()[0] == expected
    assert cli.main(["-c", path, "update-all"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == expected
    assert err[1].startswith("Updated good.example.net (dyndns2)")
    assert {r.path.split("?")[0] for r in http_server.requests} == {"/nic/update"}
