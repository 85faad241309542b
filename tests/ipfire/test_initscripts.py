"""The red.up hook and the fcron entry."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
HOOK = TOP / "initscripts" / "red.up" / "30-ddns"
FCRON = TOP / "initscripts" / "ddns.fcron"

# Stands in for /usr/bin/ddns: notes its arguments, then blocks on a FIFO
# until the test lets it finish, as a run against a slow provider would.
FAKE_DDNS = """#!/bin/sh
echo "$@" > "$DDNS_ROOT/started"
read line < "$DDNS_ROOT/release"
echo done > "$DDNS_ROOT/finished"
"""


def make_root(tmp_path: Path, with_conf: bool) -> Path:
    (tmp_path / "usr/bin").mkdir(parents=True)
    (tmp_path / "var/ipfire/ddns").mkdir(parents=True)
    ddns = tmp_path / "usr/bin/ddns"
    ddns.write_text(FAKE_DDNS)
    ddns.chmod(0o755)
    os.mkfifo(tmp_path / "release")
    if with_conf:
        (tmp_path / "var/ipfire/ddns/ddns.conf").write_text("[config]\n")
    return tmp_path


def release(root: Path) -> None:
    """Let the stand-in finish (if it is waiting at all)."""
    with contextlib.suppress(OSError):
        fd = os.open(root / "release", os.O_WRONLY | os.O_NONBLOCK)
        os.write(fd, b"go\n")
        os.close(fd)


def wait_for(path: Path, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_size:
            return True
        time.sleep(0.02)
    return False


def test_hook_returns_while_the_update_still_runs(tmp_path: Path) -> None:
    root = make_root(tmp_path, with_conf=True)
    env = {**os.environ, "DDNS_ROOT": str(root)}

    try:
        # capture_output: a background job that kept the hook's stdout open
        # would make this wait for the update, as later hooks would.
        started = time.monotonic()
        hook = subprocess.run(
            [HOOK], env=env, capture_output=True, timeout=10, check=False
        )
        elapsed = time.monotonic() - started

        assert hook.returncode == 0
        assert wait_for(root / "started")
        assert not (root / "finished").exists()
        assert elapsed < 5
        conf = root / "var/ipfire/ddns/ddns.conf"
        assert (root / "started").read_text().split() == [
            "--config",
            str(conf),
            "update-all",
        ]
    finally:
        release(root)
    assert wait_for(root / "finished")


def test_hook_without_a_configuration_starts_nothing(tmp_path: Path) -> None:
    root = make_root(tmp_path, with_conf=False)
    env = {**os.environ, "DDNS_ROOT": str(root)}

    hook = subprocess.run([HOOK], env=env, capture_output=True, timeout=10, check=False)

    assert hook.returncode == 0
    assert not (root / "started").exists()


def test_fcron_entry_runs_every_five_minutes_while_red_is_up() -> None:
    entries = [
        line
        for line in FCRON.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]

    assert entries == [
        '*/5 * * * *\t[ -f "/var/ipfire/red/active" ] && '
        '[ -f "/var/ipfire/ddns/ddns.conf" ] && /usr/bin/ddns update-all'
    ]


def fcron_command(root: Path) -> str:
    """The entry's command, with its paths moved below `root`."""
    (entry,) = [
        line
        for line in FCRON.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    command = entry.split("\t", 1)[1]
    return command.replace("/var/ipfire/", f"{root}/var/ipfire/").replace(
        "/usr/bin/", f"{root}/usr/bin/"
    )


@pytest.mark.parametrize(
    ("red_up", "with_conf", "runs"),
    [(True, True, True), (True, False, False), (False, True, False)],
)
def test_fcron_entry_runs_only_while_red_is_up_and_once_configured(
    tmp_path: Path, red_up: bool, with_conf: bool, runs: bool
) -> None:
    (tmp_path / "usr/bin").mkdir(parents=True)
    (tmp_path / "var/ipfire/red").mkdir(parents=True)
    (tmp_path / "var/ipfire/ddns").mkdir(parents=True)
    ddns = tmp_path / "usr/bin/ddns"
    ddns.write_text(f'#!/bin/sh\necho "$@" > {tmp_path}/started\n')
    ddns.chmod(0o755)
    if red_up:
        (tmp_path / "var/ipfire/red/active").write_text("")
    if with_conf:
        (tmp_path / "var/ipfire/ddns/ddns.conf").write_text("[config]\n")

    entry = subprocess.run(
        ["sh", "-c", fcron_command(tmp_path)],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )

    # Nothing on stderr, so fcron has nothing to log every five minutes.
    assert entry.stderr == ""
    assert (tmp_path / "started").exists() is runs
    if runs:
        assert (tmp_path / "started").read_text().split() == ["update-all"]
