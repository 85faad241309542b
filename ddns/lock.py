"""The run lock: runs from fcron, the red.up hook and the web page serialise.

A run holds an exclusive flock on the lock file from before it reads the
history until after it recorded its outcomes, so a second run waits and then
decides from what the first one wrote: no update is sent twice.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time

from ddns import errors
from ddns.i18n import _

log = logging.getLogger(__name__)

# Longer than a run of 200 hosts against slow providers; then give up clearly.
WAIT_SECONDS = 300.0
POLL_SECONDS = 0.05


def fallback_path(path: str) -> str:
    """A lock path in the temporary directory, unique to `path`."""
    import tempfile
    import zlib

    tag = f"{zlib.crc32(os.path.abspath(path).encode()):08x}"
    return os.path.join(tempfile.gettempdir(), f"ddns-{tag}.lock")


class RunLock:
    """An exclusive lock on `path`, waited for at most `wait` seconds."""

    def __init__(self, path: str, wait: float = WAIT_SECONDS) -> None:
        self.path = path
        self.wait = wait
        self._fd: int | None = None

    def _open(self) -> int:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            # A read-only /var/lib (or a user without rights to it) still
            # needs runs to serialise with each other.
            fallback = fallback_path(self.path)
            log.debug("lock: path=%s error=%s fallback=%s", self.path, exc, fallback)
            self.path = fallback
            # Never follow a link someone else planted in a shared directory.
            flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW
            return os.open(fallback, flags, 0o600)

    def acquire(self) -> None:
        fd = self._open()
        deadline = time.monotonic() + self.wait
        announced = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                pass
            if not announced:
                # fcron, the red.up hook and the web page may start runs at
                # once; a run that seems to hang says what it waits for.
                log.info(
                    "%s",
                    _(
                        "waiting for another ddns run to finish (lock file {path})"
                    ).format(path=self.path),
                )
                announced = True
            if time.monotonic() >= deadline:
                os.close(fd)
                raise errors.TemporaryError(
                    _(
                        "another ddns run has held {path} for more than "
                        "{seconds:.0f} seconds; try again later"
                    ).format(path=self.path, seconds=self.wait)
                )
            time.sleep(POLL_SECONDS)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
