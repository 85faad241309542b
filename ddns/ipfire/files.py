"""Where IPFire keeps the files of the page, and how they are written.

Every absolute path goes through `rooted`, so that DDNS_ROOT can move the
whole tree (tests, chroots). Files are replaced atomically (a temporary file
in the same directory, then a rename), so that fcron never reads half a
ddns.conf; `locked` serialises the page's read-modify-write cycles.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator

ROOT_ENV = "DDNS_ROOT"

DDNS_DIR = "/var/ipfire/ddns"
SETTINGS = "/var/ipfire/ddns/settings"
HOSTS = "/var/ipfire/ddns/config"
# Per-host settings that the 8 fields of `config` have no room for (a DynDNS2
# server's url, nsupdate's server, zone and TTL); INI, one section per host.
# Its name matches the backup pattern var/ipfire/*/*.conf, so it is saved too.
EXTRA = "/var/ipfire/ddns/hosts.conf"
DDNS_CONF = "/var/ipfire/ddns/ddns.conf"
LOCK = "/var/ipfire/ddns/.lock"
CSRF_KEY = "/var/ipfire/ddns/.csrf-key"
PROXY_SETTINGS = "/var/ipfire/proxy/settings"
MAIN_SETTINGS = "/var/ipfire/main/settings"
RED_ADDRESS = "/var/ipfire/red/local-ipaddress"
DATABASE = "/var/lib/ddns.db"
# The setuid wrapper of ddns.ipfire.helper: the page runs as nobody.
UPDATE_HELPER = "/usr/local/bin/ddns-update-now"


def root() -> str:
    """DDNS_ROOT, or "" when the files are where IPFire keeps them."""
    return os.environ.get(ROOT_ENV, "")


def rooted(path: str) -> str:
    """`path` below DDNS_ROOT when that is set; unchanged otherwise."""
    prefix = root()
    if prefix and os.path.isabs(path):
        return os.path.join(prefix, path.lstrip("/"))
    return path


def read_text(path: str) -> str | None:
    """The file's text, or None when it does not exist.

    Undecodable bytes (an old file written in Latin-1) survive a read and a
    write unchanged.
    """
    try:
        with open(path, encoding="utf-8", errors="surrogateescape", newline="") as f:
            return f.read()
    except FileNotFoundError:
        return None


def write_atomically(path: str, text: str, mode: int | None = None) -> None:
    """Replace `path` with `text` in one step.

    `mode` None keeps the mode of the file being replaced (0600 for a new
    one). When root writes into a directory that belongs to another user
    (nobody's /var/ipfire/ddns), the file is handed to that user so that the
    page can still read and replace it.
    """
    directory = os.path.dirname(path) or "."
    if mode is None:
        try:
            mode = os.stat(path).st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o600
    import tempfile

    fd, temporary = tempfile.mkstemp(prefix=".tmp-", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as f:
            os.fchmod(f.fileno(), mode)
            if os.geteuid() == 0:
                owner = os.stat(directory)
                if owner.st_uid != 0:
                    os.fchown(f.fileno(), owner.st_uid, owner.st_gid)
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def describe(exc: OSError) -> str:
    """What an error on one of the page's files means, in words.

    A missing directory is named as such: the page does not create
    /var/ipfire/ddns. IPFire's configuration tree ships it, owned by nobody
    (the page's user), and a page that made it elsewhere (a wrong DDNS_ROOT,
    a half-restored backup) would only hide the mistake.
    """
    from ddns.i18n import _

    path = exc.filename
    if not path:
        return str(exc)
    directory = os.path.dirname(path)
    if (
        isinstance(exc, FileNotFoundError)
        and directory
        and not os.path.isdir(directory)
    ):
        text = _(
            "the directory {directory} does not exist; the page keeps its files "
            "there (create it owned by the page's user, as IPFire does: "
            "install -d -o nobody -g nobody {directory})"
        ).format(directory=directory)
        if root():
            text += " " + _("({variable} is {root})").format(
                variable=ROOT_ENV, root=root()
            )
        return text
    return _("{file} cannot be used: {error}").format(
        file=path, error=exc.strerror or exc
    )


@contextlib.contextmanager
def locked(path: str | None = None) -> Iterator[None]:
    """Hold the page's lock (an flock on /var/ipfire/ddns/.lock)."""
    lock_path = path or rooted(LOCK)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
