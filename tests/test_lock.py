"""The run lock: a second run waits, bounded, and says why it gave up."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from ddns import errors
from ddns.lock import RunLock, fallback_path


def test_second_run_waits_for_the_first(tmp_path: Path) -> None:
    path = str(tmp_path / "ddns.lock")
    first = RunLock(path)
    first.acquire()
    threading.Timer(0.2, first.release).start()
    started = time.monotonic()
    with RunLock(path, wait=5):
        waited = time.monotonic() - started
    assert 0.15 <= waited < 2


def test_a_waiting_run_says_once_what_it_waits_for(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = str(tmp_path / "ddns.lock")
    first = RunLock(path)
    first.acquire()
    threading.Timer(0.3, first.release).start()
    with caplog.at_level("INFO", logger="ddns"), RunLock(path, wait=5):
        pass
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("INFO", f"waiting for another ddns run to finish (lock file {path})")
    ]


def test_a_free_lock_says_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("DEBUG", logger="ddns"), RunLock(str(tmp_path / "l")):
        pass
    assert caplog.records == []


def test_waiting_is_bounded_with_a_clear_message(tmp_path: Path) -> None:
    path = str(tmp_path / "ddns.lock")
    with RunLock(path), pytest.raises(errors.TemporaryError) as caught:
        RunLock(path, wait=0.1).acquire()
    assert f"another ddns run has held {path} for more than 0 seconds" in str(
        caught.value
    )


def test_unwritable_location_falls_back_to_the_temporary_directory(
    tmp_path: Path,
) -> None:
    wanted = str(tmp_path / "missing" / "ddns.lock")
    with RunLock(wanted) as lock:
        assert lock.path == fallback_path(wanted)
        # Another run with the same setting meets the same lock.
        with pytest.raises(errors.TemporaryError):
            RunLock(wanted, wait=0.05).acquire()
