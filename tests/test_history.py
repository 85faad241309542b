"""The sqlite history: attempts, states, the original's file, growth, locking."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from ddns import errors
from ddns.history import (
    FAILURE,
    KEEP_ATTEMPTS,
    REMOVED,
    SCHEMA_VERSION,
    SUCCESS,
    Attempt,
    History,
)
from ddns.redact import register

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
KEY = ("host.example.com", "dyndns2", "ipv4")


def attempt(
    outcome: str, when: datetime, address: str | None = "198.51.100.7", **kw: Any
) -> Attempt:
    return Attempt(*KEY, address=address, outcome=outcome, time=when, **kw)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "ddns.db")


def test_success_is_the_last_address_sent(db: str) -> None:
    with History(db) as history:
        history.record(attempt(SUCCESS, T0, config_digest="d1"))
        state = history.state(*KEY)
    assert state is not None
    assert state.last_address == "198.51.100.7"
    assert state.last_success == T0
    assert state.last_success.tzinfo is not None
    assert state.failures == 0
    assert state.config_digest == "d1"


def test_times_are_stored_as_utc_iso_text(db: str) -> None:
    local = T0.astimezone(timezone(timedelta(hours=2)))
    with History(db) as history:
        history.record(attempt(SUCCESS, local))
    raw = sqlite3.connect(db).execute("SELECT time FROM attempts").fetchone()[0]
    assert raw == "2026-03-01T12:00:00+00:00"


def test_failures_count_and_keep_the_last_success(db: str) -> None:
    later = T0 + timedelta(hours=1)
    with History(db) as history:
        history.record(attempt(SUCCESS, T0))
        history.record(
            attempt(
                FAILURE,
                later,
                address="198.51.100.8",
                error_kind="server",
                message="911",
                retry_after=later + timedelta(minutes=5),
            )
        )
        history.record(
            attempt(FAILURE, later, address="198.51.100.8", error_kind="auth")
        )
        state = history.state(*KEY)
    assert state is not None
    # A failed send never becomes the address last sent.
    assert state.last_address == "198.51.100.7"
    assert state.last_success == T0
    assert state.failures == 2
    assert state.last_error_kind == "auth"
    assert state.last_failure == later
    assert state.last_attempt == later


def test_success_ends_a_run_of_failures(db: str) -> None:
    with History(db) as history:
        history.record(attempt(FAILURE, T0, error_kind="timeout", message="slow"))
        history.record(attempt(SUCCESS, T0 + timedelta(minutes=20)))
        state = history.state(*KEY)
    assert state is not None
    assert state.failures == 0
    assert state.retry_after is None
    # The last failure stays visible for `ddns status`.
    assert state.last_error == "slow"


def test_removal_forgets_the_address(db: str) -> None:
    with History(db) as history:
        history.record(attempt(SUCCESS, T0))
        history.record(attempt(REMOVED, T0 + timedelta(days=1), address=None))
        state = history.state(*KEY)
    assert state is not None
    assert state.last_address is None
    assert state.last_success == T0 + timedelta(days=1)


def test_families_and_providers_are_kept_apart(db: str) -> None:
    with History(db) as history:
        history.record(attempt(SUCCESS, T0))
        assert history.state("host.example.com", "dyndns2", "ipv6") is None
        assert history.state("host.example.com", "other", "ipv4") is None
        assert [s.family for s in history.states()] == ["ipv4"]


def test_secrets_never_reach_the_file(db: str) -> None:
    register("p#ss,w\\=rd%x")
    with History(db) as history:
        history.record(
            attempt(
                FAILURE,
                T0,
                error_kind="auth",
                message="401 for https://x.example/u?token=abc123 with p#ss,w\\=rd%x",
            )
        )
        state = history.state(*KEY)
    assert state is not None
    assert (
        state.last_error == "401 for https://x.example/u?token=******** with ********"
    )
    content = Path(db).read_bytes()
    assert b"p#ss" not in content
    assert b"abc123" not in content


def test_schema_version_is_recorded(db: str) -> None:
    with History(db):
        pass
    assert (
        sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0]
        == SCHEMA_VERSION
    )


def test_a_newer_schema_is_refused(db: str) -> None:
    sqlite3.connect(db).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(errors.DDNSError, match="newer than this client"):
        History(db).open()


def original_history(db: str) -> None:
    """A history file as the original client wrote it."""
    conn = sqlite3.connect(db)
    conn.executescript(
        """
        CREATE TABLE updates(hostname TEXT NOT NULL, status TEXT NOT NULL,
            message TEXT, timestamp timestamp NOT NULL);
        CREATE TABLE settings(k TEXT NOT NULL, v TEXT NOT NULL);
        CREATE INDEX idx_updates_hostname ON updates(hostname);
        INSERT INTO settings VALUES ('version', '1');
        INSERT INTO updates VALUES ('host.example.com', 'success', NULL,
            '2026-02-01 10:00:00.123456');
        INSERT INTO updates VALUES ('host.example.com', 'success', NULL,
            '2026-02-20 10:00:00.000001');
        INSERT INTO updates VALUES ('host.example.com', 'failure',
            'DDNSAuthenticationError: Authentication failed', '2026-02-21 10:00:00');
        INSERT INTO updates VALUES ('other.example.com', 'failure', 'x',
            '2026-02-21 10:00:00');
        """
    )
    conn.commit()
    conn.close()


def test_the_originals_history_is_read_not_destroyed(db: str) -> None:
    original_history(db)
    with History(db) as history:
        state = history.state(*KEY)
        assert history.state("other.example.com", "dyndns2", "ipv4") is None
        history.record(attempt(SUCCESS, T0))
        after = history.state(*KEY)
    assert state is not None
    assert state.legacy
    assert state.last_address is None
    assert state.last_success == datetime(2026, 2, 20, 10, 0, 0, 1, tzinfo=timezone.utc)
    assert after is not None
    assert not after.legacy
    assert after.last_address == "198.51.100.7"
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM updates").fetchone()[0] == 4
    assert conn.execute("SELECT v FROM settings").fetchone()[0] == "1"


def test_growth_is_bounded_and_the_last_success_survives(db: str) -> None:
    with History(db) as history:
        history.record(attempt(SUCCESS, T0))
        for minute in range(KEEP_ATTEMPTS + 20):
            history.record(
                attempt(FAILURE, T0 + timedelta(minutes=minute), error_kind="server")
            )
        kept = history.attempts(*KEY, limit=1000)
        state = history.state(*KEY)
    assert len(kept) == KEEP_ATTEMPTS
    assert kept[0].time == T0 + timedelta(minutes=KEEP_ATTEMPTS + 19)
    assert state is not None
    assert state.last_address == "198.51.100.7"
    assert state.failures == KEEP_ATTEMPTS + 20


def test_a_busy_database_waits_instead_of_failing(db: str) -> None:
    with History(db):
        pass
    other = sqlite3.connect(db, check_same_thread=False)
    other.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(0.3, other.commit)
    release.start()
    started = time.monotonic()
    with History(db) as history:
        history.record(attempt(SUCCESS, T0))
        state = history.state(*KEY)
    release.join()
    assert time.monotonic() - started >= 0.25
    assert state is not None
    assert state.last_address == "198.51.100.7"


def test_readonly_history_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "missing.db"
    with History(str(path), readonly=True) as history:
        assert history.state(*KEY) is None
        assert history.states() == []
        with pytest.raises(errors.DDNSError):
            history.record(attempt(SUCCESS, T0))
    assert not path.exists()


def test_readonly_history_reads_the_originals_file_unchanged(db: str) -> None:
    original_history(db)
    with History(db, readonly=True) as history:
        state = history.state(*KEY)
    assert state is not None
    assert state.legacy
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == 0


def test_an_unusable_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(errors.DDNSError, match="cannot use the history"):
        History(str(tmp_path / "no" / "such" / "dir.db")).open()


@contextlib.contextmanager
def unwritable(path: Path) -> Iterator[None]:
    """`path`, a file or a directory, that this user cannot write to."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(mode & ~0o222)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    # root writes anywhere, except into an immutable file or directory.
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot make {path} read-only: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_an_unwritable_directory_is_found_before_anything_is_sent(
    tmp_path: Path,
) -> None:
    db = tmp_path / "ddns.db"
    with History(str(db)):
        pass
    with (
        unwritable(tmp_path),
        History(str(db)) as history,
        pytest.raises(errors.DDNSError) as caught,
    ):
        history.check_writable()
    assert str(caught.value) == (
        f"Error: cannot use the history {db}: unable to open database file; the user "
        f"running ddns must be able to write the file and create files in "
        f"{tmp_path}; fix that or set database in [config] to a writable place"
    )


def test_a_readonly_file_is_found_before_anything_is_sent(db: str) -> None:
    with History(db):
        pass
    with unwritable(Path(db)), History(db) as history:
        assert history.state(*KEY) is None
        with pytest.raises(errors.DDNSError, match="readonly database"):
            history.check_writable()
    with History(db) as history:
        history.check_writable()
        history.record(attempt(SUCCESS, T0))
        assert history.attempts(*KEY) != []


@pytest.mark.parametrize("readonly", [False, True])
def test_a_file_that_is_no_database_is_named_and_kept(db: str, readonly: bool) -> None:
    Path(db).write_bytes(b"not a database\n" * 200)
    with pytest.raises(errors.DDNSError) as caught:
        History(db, readonly=readonly).open()
    assert str(caught.value) == (
        f"Error: {db} is not a ddns history database (file is not a database); "
        "move it aside and ddns starts a new one"
    )
    assert Path(db).read_bytes() == b"not a database\n" * 200


def test_a_damaged_table_is_a_clear_error_not_a_crash(db: str) -> None:
    with History(db) as history:
        history.record(attempt(SUCCESS, T0))
    # A state table whose columns do not match, as a damaged or foreign file.
    conn = sqlite3.connect(db)
    conn.executescript("DROP TABLE state; CREATE TABLE state (x TEXT);")
    conn.close()
    with History(db) as history:
        with pytest.raises(errors.DDNSError, match=f"cannot use the history {db}"):
            history.states()
        with pytest.raises(errors.DDNSError, match=f"cannot use the history {db}"):
            history.record(attempt(SUCCESS, T0))
