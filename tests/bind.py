"""A real BIND 9 for the tests: dynamic zones with TSIG, on loopback.

`start_bind()` writes named.conf, the zones and the keys into a fresh directory,
starts `named -g` (foreground, logging to a file there) on 127.0.0.1 and, when
the machine has it, ::1 at a free port, and returns once the server answers.
The session fixture `bind` shares one server among all tests; tests use
distinct names so that they do not see each other's records. `bind_resolver`
makes it the system's nameserver for dnspython, as /etc/resolv.conf would.

Zones:
- example.test: updates need the key `gwkey` (hmac-sha256); the key
  `limited-test` may only change TXT records of limited.example.test, so any
  other update with it is REFUSED by policy.
- open.test: updates from loopback without a key.
"""

from __future__ import annotations

import base64
import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

NAMED = "/usr/sbin/named"
ZONE = "example.test"
OPEN_ZONE = "open.test"
KEY_NAME = "gwkey"
LIMITED_KEY_NAME = "limited-test"
ALGORITHM = "hmac-sha256"
START_TIMEOUT = 20.0


@dataclass
class Bind:
    """A running named: where it listens and the keys it accepts."""

    directory: Path
    port: int
    addresses: tuple[str, ...]
    secret: str
    limited_secret: str
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    zone = ZONE
    open_zone = OPEN_ZONE
    key_name = KEY_NAME
    limited_key_name = LIMITED_KEY_NAME
    algorithm = ALGORITHM

    @property
    def has_ipv6(self) -> bool:
        return "::1" in self.addresses

    def log(self) -> str:
        path = self.directory / "named.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)


def has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


def free_port(addresses: tuple[str, ...]) -> int:
    """A port free for both UDP and TCP on every address in `addresses`."""
    for _attempt in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as first:
            first.bind(("127.0.0.1", 0))
            port = first.getsockname()[1]
        if all(_is_free(address, port) for address in addresses):
            return port
    raise RuntimeError("no free port for named")


def _is_free(address: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
        with socket.socket(family, kind) as probe:
            try:
                probe.bind((address, port))
            except OSError:
                return False
    return True


def work_parent() -> str | None:
    """Where named may read and write when AppArmor confines it.

    Debian's profile for /usr/sbin/named allows writing only below
    /var/lib/bind and /var/cache/bind, so a temporary directory elsewhere
    would make named fail to load its configuration or write its journal.
    """
    try:
        enabled = Path("/sys/module/apparmor/parameters/enabled").read_text().strip()
    except OSError:
        return None
    if enabled == "Y" and os.access("/var/lib/bind", os.W_OK):
        return "/var/lib/bind"
    return None


def named_conf(
    directory: Path, port: int, addresses: tuple[str, ...], bind: Bind
) -> str:
    listen_v4 = "127.0.0.1;" if "127.0.0.1" in addresses else "none;"
    listen_v6 = "::1;" if "::1" in addresses else "none;"
    return f"""
options {{
    directory "{directory}";
    pid-file "{directory}/named.pid";
    session-keyfile "{directory}/session.key";
    managed-keys-directory "{directory}";
    listen-on port {port} {{ {listen_v4} }};
    listen-on-v6 port {port} {{ {listen_v6} }};
    recursion no;
    dnssec-validation no;
    notify no;
    allow-query {{ any; }};
    minimal-responses no;
}};

controls {{ }};

key "{KEY_NAME}" {{
    algorithm {ALGORITHM};
    secret "{bind.secret}";
}};

key "{LIMITED_KEY_NAME}" {{
    algorithm {ALGORITHM};
    secret "{bind.limited_secret}";
}};

zone "{ZONE}" {{
    type primary;
    file "{directory}/{ZONE}.zone";
    update-policy {{
        grant {KEY_NAME} zonesub ANY;
        grant {LIMITED_KEY_NAME} name limited.{ZONE}. TXT;
    }};
}};

zone "{OPEN_ZONE}" {{
    type primary;
    file "{directory}/{OPEN_ZONE}.zone";
    allow-update {{ 127.0.0.1; ::1; }};
}};
"""


def zone_file(zone: str, has_ipv6: bool) -> str:
    ns_v6 = "ns1 IN AAAA ::1\n" if has_ipv6 else ""
    return (
        "$TTL 300\n"
        f"@ IN SOA ns1.{zone}. hostmaster.{zone}. 1 3600 600 86400 60\n"
        f"@ IN NS ns1.{zone}.\n"
        "ns1 IN A 127.0.0.1\n"
        f"{ns_v6}"
        "static IN A 192.0.2.10\n"
        "static IN AAAA 2001:db8::10\n"
        "alias IN CNAME static\n"
    )


def start_bind() -> Bind:
    if not os.path.exists(NAMED):
        pytest.skip(f"{NAMED} is not installed (apt-get install bind9)")
    addresses = ("127.0.0.1", "::1") if has_ipv6_loopback() else ("127.0.0.1",)
    directory = Path(tempfile.mkdtemp(prefix="ddns-bind-", dir=work_parent()))
    port = free_port(addresses)
    bind = Bind(
        directory=directory,
        port=port,
        addresses=addresses,
        secret=base64.b64encode(os.urandom(32)).decode(),
        limited_secret=base64.b64encode(os.urandom(32)).decode(),
    )
    conf = directory / "named.conf"
    conf.write_text(named_conf(directory, port, addresses, bind))
    for zone in (ZONE, OPEN_ZONE):
        (directory / f"{zone}.zone").write_text(zone_file(zone, bind.has_ipv6))
    with open(directory / "named.log", "wb") as log:
        bind.process = subprocess.Popen(
            [NAMED, "-g", "-n", "1", "-c", str(conf)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        wait_until_answering(bind)
    except BaseException:
        bind.stop()
        raise
    return bind


def wait_until_answering(bind: Bind) -> None:
    import dns.exception
    import dns.message
    import dns.query
    import dns.rcode

    query = dns.message.make_query(f"{ZONE}.", "SOA")
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        assert bind.process is not None
        if bind.process.poll() is not None:
            raise RuntimeError(f"named exited:\n{bind.log()}")
        with contextlib.suppress(dns.exception.DNSException, OSError):
            answer = dns.query.udp(query, "127.0.0.1", port=bind.port, timeout=0.2)
            if answer.rcode() == dns.rcode.NOERROR and answer.answer:
                return
        time.sleep(0.05)
    raise RuntimeError(f"named did not answer within {START_TIMEOUT} s:\n{bind.log()}")


@pytest.fixture(scope="session")
def bind() -> Iterator[Bind]:
    server = start_bind()
    yield server
    server.stop()


@pytest.fixture
def bind_resolver(bind: Bind) -> Iterator[None]:
    """Make BIND the machine's nameserver, as /etc/resolv.conf would."""
    import dns.resolver

    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = ["127.0.0.1"]
    resolver.port = bind.port
    saved = dns.resolver.default_resolver
    dns.resolver.default_resolver = resolver
    yield
    dns.resolver.default_resolver = saved
