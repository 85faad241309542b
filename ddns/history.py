"""The sqlite history of every update attempt.

Two tables: `attempts`, the log of every attempt (bounded per host, provider
and family), and `state`, one row per (hostname, provider, family) that sums
the log up for the update decision: the last address sent with success, when,
and the run of failures since. Both change in one transaction.

The schema version is `PRAGMA user_version`. A history file of the original
client (table `updates`, user_version 0) is migrated in place: its table is
kept as it is, and its last success per host serves as a success whose
address is unknown until this client records its own.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

from ddns import errors
from ddns.i18n import _
from ddns.redact import redact, visible

log = logging.getLogger(__name__)

SUCCESS = "success"
REMOVED = "removed"
FAILURE = "failure"

# Attempts kept per (hostname, provider, family); the state row keeps the rest.
KEEP_ATTEMPTS = 100
MESSAGE_LIMIT = 500
# Waiting this long for another writer beats ever showing "database is locked".
BUSY_SECONDS = 60.0

_MIGRATIONS = (
    # 1: this client's tables; the original's `updates` and `settings` stay.
    """
    CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        time TEXT NOT NULL,
        hostname TEXT NOT NULL,
        provider TEXT NOT NULL,
        family TEXT NOT NULL,
        address TEXT,
        outcome TEXT NOT NULL,
        error_kind TEXT,
        message TEXT,
        config_digest TEXT,
        retry_after TEXT
    );
    CREATE INDEX attempts_key ON attempts (hostname, provider, family, id);
    CREATE TABLE state (
        hostname TEXT NOT NULL,
        provider TEXT NOT NULL,
        family TEXT NOT NULL,
        last_address TEXT,
        last_success TEXT,
        last_attempt TEXT,
        last_failure TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        last_error_kind TEXT,
        last_error TEXT,
        retry_after TEXT,
        config_digest TEXT,
        PRIMARY KEY (hostname, provider, family)
    );
    """,
)
SCHEMA_VERSION = len(_MIGRATIONS)

_STATE_COLUMNS = (
    "hostname, provider, family, last_address, last_success, last_attempt, "
    "failures, last_error_kind, last_error, retry_after, config_digest, last_failure"
)


# Plain classes: see ddns.config for why not dataclasses.


class Attempt:
    """One update attempt of one family of one host."""

    __slots__ = (
        "address",
        "config_digest",
        "error_kind",
        "family",
        "hostname",
        "message",
        "outcome",
        "provider",
        "retry_after",
        "time",
    )

    def __init__(
        self,
        hostname: str,
        provider: str,
        family: str,
        address: str | None,
        outcome: str,
        time: datetime,
        error_kind: str | None = None,
        message: str | None = None,
        config_digest: str | None = None,
        retry_after: datetime | None = None,
    ) -> None:
        self.hostname = hostname
        self.provider = provider
        self.family = family
        self.address = address
        self.outcome = outcome
        self.time = time
        self.error_kind = error_kind
        self.message = message
        self.config_digest = config_digest
        self.retry_after = retry_after


class FamilyState:
    """What the history knows about one (hostname, provider, family)."""

    __slots__ = (
        "config_digest",
        "failures",
        "family",
        "hostname",
        "last_address",
        "last_attempt",
        "last_error",
        "last_error_kind",
        "last_failure",
        "last_success",
        "legacy",
        "provider",
        "retry_after",
    )

    def __init__(
        self,
        hostname: str,
        provider: str,
        family: str,
        last_address: str | None = None,
        last_success: datetime | None = None,
        last_attempt: datetime | None = None,
        failures: int = 0,
        last_error_kind: str | None = None,
        last_error: str | None = None,
        retry_after: datetime | None = None,
        config_digest: str | None = None,
        last_failure: datetime | None = None,
        legacy: bool = False,
    ) -> None:
        self.hostname = hostname
        self.provider = provider
        self.family = family
        self.last_address = last_address
        self.last_success = last_success
        self.last_attempt = last_attempt
        self.failures = failures
        self.last_error_kind = last_error_kind
        self.last_error = last_error
        self.retry_after = retry_after
        self.config_digest = config_digest
        self.last_failure = last_failure
        # Only the original client's history knows this host: the address is
        # unknown.
        self.legacy = legacy


def now() -> datetime:
    return datetime.now(timezone.utc)


def _text(when: datetime | None) -> str | None:
    return when.astimezone(timezone.utc).isoformat() if when is not None else None


def _time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    # The original stored naive UTC.
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


class History:
    """The history at `path`; `readonly` never creates or changes the file."""

    def __init__(self, path: str, *, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly
        self._db: sqlite3.Connection | None = None
        self._tables: set[str] = set()

    def __enter__(self) -> History:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def open(self) -> None:
        if self.readonly and not os.path.exists(self.path):
            return
        try:
            if self.readonly:
                uri = "file:" + os.path.abspath(self.path) + "?mode=ro"
                db = sqlite3.connect(uri, uri=True, timeout=BUSY_SECONDS)
            else:
                db = sqlite3.connect(self.path, timeout=BUSY_SECONDS)
            self._db = db
            self._migrate()
        except sqlite3.Error as exc:
            self.close()
            raise self._error(exc) from None

    def _error(self, exc: sqlite3.Error) -> errors.DDNSError:
        """What went wrong with the file, in words, and what the user can do."""
        text = str(exc)
        name = getattr(exc, "sqlite_errorname", "")  # Python 3.11 and later
        if name in ("SQLITE_NOTADB", "SQLITE_CORRUPT") or (
            "not a database" in text or "malformed" in text
        ):
            # Never deleted: it may be someone else's file, or worth a look.
            return errors.DDNSError(
                _(
                    "{path} is not a ddns history database ({error}); "
                    "move it aside and ddns starts a new one"
                ).format(path=self.path, error=text)
            )
        if "locked" in text or name in ("SQLITE_BUSY", "SQLITE_LOCKED"):
            hint = _("another program kept it locked; try again later")
        elif "newer than" in text:
            hint = _("it was written by a newer ddns; upgrade ddns")
        elif "disk is full" in text or name == "SQLITE_FULL":
            hint = _("free some space on its file system")
        else:
            # Read-only file or directory, a missing directory, a read-only
            # mount: sqlite also needs to create its journal next to the file.
            hint = _(
                "the user running ddns must be able to write the file and "
                "create files in {directory}; fix that or set database in "
                "[config] to a writable place"
            ).format(directory=os.path.dirname(os.path.abspath(self.path)))
        return errors.DDNSError(
            _("cannot use the history {path}: {error}; {hint}").format(
                path=self.path, error=text, hint=hint
            )
        )

    def check_writable(self) -> None:
        """Make sure outcomes can be recorded, before anything is sent.

        An update that goes out and cannot be recorded would go out again on
        every run. Opening the file proves nothing: sqlite opens a read-only
        file read-only and creates its journal only on the first write, so a
        row is written and rolled back.
        """
        if self._db is None or self.readonly:
            raise errors.DDNSError(
                _("the history {path} is not open for writing").format(path=self.path)
            )
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute(
                    "INSERT INTO attempts (time, hostname, provider, family, outcome) "
                    "VALUES ('', '', '', '', '')"
                )
            finally:
                db.execute("ROLLBACK")
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _migrate(self) -> None:
        assert self._db is not None
        db = self._db
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(
                f"schema version {version} is newer than this client's {SCHEMA_VERSION}"
            )
        if version < SCHEMA_VERSION and not self.readonly:
            with db:
                for number in range(version, SCHEMA_VERSION):
                    log.debug("history: migrate path=%s to=%s", self.path, number + 1)
                    for statement in _MIGRATIONS[number].split(";"):
                        if statement.strip():
                            db.execute(statement)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self._tables = {
            row[0]
            for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }

    def state(self, hostname: str, provider: str, family: str) -> FamilyState | None:
        """The state of one family of one host, or None when nothing is known."""
        if self._db is None:
            return None
        try:
            return self._state_of(hostname, provider, family)
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def _state_of(
        self, hostname: str, provider: str, family: str
    ) -> FamilyState | None:
        assert self._db is not None
        if "state" in self._tables:
            row = self._db.execute(
                f"SELECT {_STATE_COLUMNS} FROM state "
                "WHERE hostname = ? AND provider = ? AND family = ?",
                (hostname, provider, family),
            ).fetchone()
            if row is not None:
                return _state(row)
        return self._legacy_state(hostname, provider, family)

    def states(self) -> list[FamilyState]:
        """Every state this client recorded."""
        if self._db is None or "state" not in self._tables:
            return []
        try:
            rows = self._db.execute(
                f"SELECT {_STATE_COLUMNS} FROM state "
                "ORDER BY hostname, provider, family"
            ).fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        return [_state(row) for row in rows]

    def attempts(
        self, hostname: str, provider: str, family: str, limit: int = KEEP_ATTEMPTS
    ) -> list[Attempt]:
        """The latest attempts of one family of one host, newest first."""
        if self._db is None or "attempts" not in self._tables:
            return []
        try:
            rows = self._db.execute(
                "SELECT hostname, provider, family, address, outcome, time, "
                "error_kind, message, config_digest, retry_after FROM attempts "
                "WHERE hostname = ? AND provider = ? AND family = ? "
                "ORDER BY id DESC LIMIT ?",
                (hostname, provider, family, limit),
            ).fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        return [
            Attempt(
                hostname=row[0],
                provider=row[1],
                family=row[2],
                address=row[3],
                outcome=row[4],
                time=_time(row[5]) or now(),
                error_kind=row[6],
                message=_shown(row[7]),
                config_digest=row[8],
                retry_after=_time(row[9]),
            )
            for row in rows
        ]

    def _legacy_state(
        self, hostname: str, provider: str, family: str
    ) -> FamilyState | None:
        if self._db is None or "updates" not in self._tables:
            return None
        row = self._db.execute(
            "SELECT max(timestamp) FROM updates WHERE hostname = ? AND status = ?",
            (hostname, "success"),
        ).fetchone()
        when = _time(row[0]) if row else None
        if when is None:
            return None
        return FamilyState(hostname, provider, family, last_success=when, legacy=True)

    def record(self, attempt: Attempt) -> None:
        """Add an attempt to the log and to its state; secrets never stored."""
        self.record_all([attempt])

    def record_all(self, attempts: Iterable[Attempt]) -> None:
        """Record attempts in one transaction (one disk sync for a whole run)."""
        if self._db is None or self.readonly:
            raise errors.DDNSError(
                _("the history {path} is not open for writing").format(path=self.path)
            )
        try:
            with self._db as db:
                for attempt in attempts:
                    self._write(db, attempt)
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def _write(self, db: sqlite3.Connection, attempt: Attempt) -> None:
        message = (
            visible(redact(attempt.message))[:MESSAGE_LIMIT]
            if attempt.message
            else None
        )
        key = (attempt.hostname, attempt.provider, attempt.family)
        old = self._state_of(*key)
        if old is None or old.legacy:
            old = FamilyState(*key)
        when = attempt.time
        if attempt.outcome == FAILURE:
            new = FamilyState(
                *key,
                last_address=old.last_address,
                last_success=old.last_success,
                last_attempt=when,
                failures=old.failures + 1,
                last_error_kind=attempt.error_kind,
                last_error=message,
                retry_after=attempt.retry_after,
                config_digest=attempt.config_digest,
                last_failure=when,
            )
        else:
            new = FamilyState(
                *key,
                last_address=attempt.address if attempt.outcome == SUCCESS else None,
                last_success=when,
                last_attempt=when,
                failures=0,
                last_error_kind=old.last_error_kind,
                last_error=old.last_error,
                config_digest=attempt.config_digest,
                last_failure=old.last_failure,
            )
        db.execute(
            "INSERT INTO attempts (time, hostname, provider, family, address, "
            "outcome, error_kind, message, config_digest, retry_after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                _text(when),
                *key,
                attempt.address,
                attempt.outcome,
                attempt.error_kind,
                message,
                attempt.config_digest,
                _text(attempt.retry_after),
            ),
        )
        db.execute(
            f"INSERT OR REPLACE INTO state ({_STATE_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                *key,
                new.last_address,
                _text(new.last_success),
                _text(new.last_attempt),
                new.failures,
                new.last_error_kind,
                new.last_error,
                _text(new.retry_after),
                new.config_digest,
                _text(new.last_failure),
            ),
        )
        db.execute(
            "DELETE FROM attempts WHERE hostname = ? AND provider = ? "
            "AND family = ? AND id <= (SELECT id FROM attempts "
            "WHERE hostname = ? AND provider = ? AND family = ? "
            "ORDER BY id DESC LIMIT 1 OFFSET ?)",
            (*key, *key, KEEP_ATTEMPTS),
        )


def _state(row: Any) -> FamilyState:
    (
        hostname,
        provider,
        family,
        address,
        success,
        attempt,
        failures,
        kind,
        error,
        retry_after,
        digest,
        failure,
    ) = row
    return FamilyState(
        hostname=str(hostname),
        provider=str(provider),
        family=str(family),
        last_address=address,
        last_success=_time(success),
        last_attempt=_time(attempt),
        failures=int(failures),
        last_error_kind=kind,
        last_error=_shown(error),
        retry_after=_time(retry_after),
        config_digest=digest,
        last_failure=_time(failure),
    )


def _shown(message: str | None) -> str | None:
    # Messages are stored escaped; one stored by an older version may not be.
    return visible(message) if message else message
