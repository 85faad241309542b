"""Cross-site request forgery tokens for the page's forms.

A double-submit cookie, signed: the browser holds a random nonce in a
SameSite=Strict cookie and every form carries HMAC(key, nonce). A forged
request from another site has neither the cookie nor a way to compute the
token. The key is created once in /var/ipfire/ddns/.csrf-key (mode 0600,
owned by the page's user).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets

from ddns.ipfire import files

COOKIE = "ddns_csrf"
FIELD = "csrf"
_KEY_BYTES = 32


def load_key(path: str | None = None) -> bytes:
    """The signing key, created on first use."""
    path = path or files.rooted(files.CSRF_KEY)
    damaged = False
    try:
        with open(path, "rb") as f:
            key = f.read()
        if len(key) >= _KEY_BYTES:
            return key
        damaged = True
    except FileNotFoundError:
        pass
    # Written under another name and linked into place: a second request that
    # races this one either wins the link or reads the finished key.
    fresh = secrets.token_bytes(_KEY_BYTES)
    temporary = f"{path}.{os.getpid()}.tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, fresh)
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        if damaged:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)
    except FileExistsError:
        with open(path, "rb") as f:
            fresh = f.read()
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return fresh


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def token(key: bytes, nonce: str) -> str:
    """The form token that belongs to the cookie `nonce`."""
    return hmac.new(key, nonce.encode(), hashlib.sha256).hexdigest()


def is_valid(key: bytes, nonce: str | None, submitted: str | None) -> bool:
    """Whether a request's cookie nonce and form token belong together."""
    if not nonce or not submitted or not submitted.isascii():
        return False
    return hmac.compare_digest(token(key, nonce), submitted)
