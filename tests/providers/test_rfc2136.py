"""The nsupdate provider: RFC 2136 updates with TSIG, sent to a real BIND 9."""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import socket
import struct
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import dns.message
import dns.opcode
import dns.rcode
import pytest

from ddns import config, core, errors, resolve
from ddns.http import Client
from ddns.providers import get, known_keys, secret_keys
from ddns.providers.rfc2136 import ALGORITHMS, RFC2136, parse_server
from tests.interfaces import fake_interface, inet, inet6
from tests.loopback import LoopbackServer

if TYPE_CHECKING:
    from tests.bind import Bind

pytest_plugins = ("tests.bind",)


def provider(hostname: str, settings: dict[str, str]) -> RFC2136:
    return RFC2136(hostname, settings, Client(connect_timeout=1, read_timeout=1))


def signed(bind: Bind, **extra: str) -> dict[str, str]:
    """The settings of a host in example.test, signed with the zone's key."""
    settings = {
        "server": f"127.0.0.1 {bind.port}",
        "zone": "example.test",
        "key": bind.key_name,
        "secret": bind.secret,
    }
    settings.update(extra)
    return settings


def records(bind: Bind, hostname: str, family: str) -> list[str]:
    return resolve.lookup(hostname, family, "127.0.0.1", bind.port)


def ttl_of(bind: Bind, hostname: str, rdtype: str) -> int:
    response, _where = resolve.query(hostname, rdtype, ["127.0.0.1"], bind.port)
    (rrset,) = response.answer
    return rrset.ttl


def serial(bind: Bind) -> int:
    response, _where = resolve.query("example.test", "SOA", ["127.0.0.1"], bind.port)
    return response.answer[0][0].serial


# --- the provider's declaration ---------------------------------------------


def test_registered_as_nsupdate() -> None:
    cls = get("nsupdate")
    assert cls is RFC2136
    assert cls.name == "RFC 2136 dynamic update (BIND, Knot, PowerDNS)"
    assert cls.protocols == ("ipv4", "ipv6")
    assert cls.single_request and cls.can_remove_records
    assert {"server", "port", "zone", "key", "secret", "algorithm", "ttl"} <= (
        known_keys(cls)
    )
    assert "secret" in secret_keys(cls)
    assert "key" not in secret_keys(cls)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("192.0.2.1", ("192.0.2.1", None)),
        ("192.0.2.1 5353", ("192.0.2.1", 5353)),
        ("192.0.2.1:5353", ("192.0.2.1", 5353)),
        ("ns1.example.org", ("ns1.example.org", None)),
        ("ns1.example.org 5353", ("ns1.example.org", 5353)),
        ("ns1.example.org:5353", ("ns1.example.org", 5353)),
        ("2001:db8::1", ("2001:db8::1", None)),
        ("2001:db8::1 5353", ("2001:db8::1", 5353)),
        ("[2001:db8::1]:5353", ("2001:db8::1", 5353)),
        ("[2001:db8::1]", ("2001:db8::1", None)),
        ("  192.0.2.1   53 ", ("192.0.2.1", 53)),
    ],
)
def test_server_forms(value: str, expected: tuple[str, int | None]) -> None:
    assert parse_server(value) == expected


@pytest.mark.parametrize(
    "value", ["192.0.2.1 0", "192.0.2.1:70000", "ns1:dns", "a b c", "[2001:db8::1]x"]
)
def test_unusable_server(value: str) -> None:
    with pytest.raises(errors.ProviderConfigurationError):
        parse_server(value)


# --- updates on BIND ----------------------------------------------------------


def test_one_message_sets_a_and_aaaa_with_the_ttl(bind: Bind) -> None:
    before = serial(bind)
    provider("both.example.test", signed(bind, ttl="120")).send(
        {"ipv4": "198.51.100.7", "ipv6": "2001:db8:100::7"}
    )

    assert records(bind, "both.example.test", "ipv4") == ["198.51.100.7"]
    assert records(bind, "both.example.test", "ipv6") == ["2001:db8:100::7"]
    # The original client lost its ttl argument; here the TTL is really set.
    assert ttl_of(bind, "both.example.test", "A") == 120
    assert ttl_of(bind, "both.example.test", "AAAA") == 120
    # One UPDATE message: the zone's serial moved once.
    assert serial(bind) == before + 1


def test_new_address_replaces_the_old(bind: Bind) -> None:
    host = provider("moving.example.test", signed(bind))
    host.send({"ipv4": "198.51.100.7"})
    host.send({"ipv4": "203.0.113.9"})
    assert records(bind, "moving.example.test", "ipv4") == ["203.0.113.9"]
    assert ttl_of(bind, "moving.example.test", "A") == 60


def test_none_removes_the_record(bind: Bind) -> None:
    host = provider("removed.example.test", signed(bind))
    host.send({"ipv4": "198.51.100.7", "ipv6": "2001:db8:100::7"})
    host.send({"ipv4": "198.51.100.7", "ipv6": None})
    assert records(bind, "removed.example.test", "ipv4") == ["198.51.100.7"]
    assert records(bind, "removed.example.test", "ipv6") == []


# --- runs: a record is removed only when the family is known to be gone ------


def nsupdate_config(
    tmp_path: Path, bind: Bind, hostname: str, detection: str
) -> config.Config:
    path = tmp_path / "ddns.conf"
    path.write_text(
        "[config]\n"
        f"database = {tmp_path / 'ddns.db'}\n"
        f"{detection}"
        f"[{hostname}]\n"
        "provider = nsupdate\n"
        f"server = 127.0.0.1 {bind.port}\n"
        "zone = example.test\n"
        f"key = {bind.key_name}\n"
        f"secret = {bind.secret}\n"
    )
    return config.load(str(path))


def test_failed_ipv6_detection_leaves_the_aaaa_record(
    bind: Bind, tmp_path: Path, http_server: LoopbackServer
) -> None:
    name = "kept.example.test"
    first = "ipv4_address = 192.0.2.10\nipv6_address = 2001:db8:100::10\n"
    core.run(nsupdate_config(tmp_path, bind, name, first))
    # IPv4 changed; the IPv6 check service cannot be asked (IPv4 only).
    failing = (
        "ipv4_address = 192.0.2.11\n"
        f"checkip_ipv6 = http://127.0.0.1:{http_server.port}/checkip\n"
    )
    cfg = nsupdate_config(tmp_path, bind, name, failing)
    report = core.run(cfg)
    assert sorted((r.family, r.action) for r in report.results) == [
        ("ipv4", "updated"),
        ("ipv6", "skipped"),
    ]
    assert records(bind, name, "ipv4") == ["192.0.2.11"]
    assert records(bind, name, "ipv6") == ["2001:db8:100::10"]
    shown = {s.family: s.last_address for s in core.status(cfg)}
    assert shown == {"ipv4": "192.0.2.11", "ipv6": "2001:db8:100::10"}


def test_no_ipv6_on_the_interface_removes_the_aaaa_record(
    bind: Bind, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "removed-run.example.test"
    first = "ipv4_address = 192.0.2.10\nipv6_address = 2001:db8:100::10\n"
    core.run(nsupdate_config(tmp_path, bind, name, first))
    red0 = fake_interface(
        tmp_path, monkeypatch, inet("192.0.2.11"), inet6("fe80::1", scope="link")
    )
    cfg = nsupdate_config(tmp_path, bind, name, red0)
    report = core.run(cfg)
    assert sorted((r.family, r.action) for r in report.results) == [
        ("ipv4", "updated"),
        ("ipv6", "removed"),
    ]
    assert records(bind, name, "ipv4") == ["192.0.2.11"]
    assert records(bind, name, "ipv6") == []
    shown = {s.family: s.last_address for s in core.status(cfg)}
    assert shown == {"ipv4": "192.0.2.11", "ipv6": None}


def test_original_ddns_conf_fields(bind: Bind) -> None:
    # As the original's web page writes them: key = algorithm:name.
    settings = {
        "provider": "nsupdate",
        "server": f"127.0.0.1 {bind.port}",
        "zone": "example.test",
        "key": f"hmac-sha256:{bind.key_name}",
        "secret": bind.secret,
        "ttl": "60",
    }
    assert settings["key"] == "hmac-sha256:gwkey"
    provider("gw.example.test", settings).send({"ipv4": "198.51.100.20"})
    assert records(bind, "gw.example.test", "ipv4") == ["198.51.100.20"]
    assert ttl_of(bind, "gw.example.test", "A") == 60


@pytest.mark.parametrize(
    ("server", "hostname"),
    [
        ("127.0.0.1 {port}", "port1.example.test"),
        ("127.0.0.1:{port}", "port2.example.test"),
        ("[::1]:{port}", "port3.example.test"),
        ("::1 {port}", "port4.example.test"),
        ("localhost", "port5.example.test"),
    ],
)
def test_server_with_port(bind: Bind, server: str, hostname: str) -> None:
    if "::1" in server and not bind.has_ipv6:
        pytest.skip("no IPv6 loopback")
    settings = signed(bind, server=server.format(port=bind.port))
    if "{port}" not in server:
        settings["port"] = str(bind.port)
    provider(hostname, settings).send({"ipv4": "198.51.100.30"})
    assert records(bind, hostname, "ipv4") == ["198.51.100.30"]


def test_zone_found_from_the_server(bind: Bind) -> None:
    settings = signed(bind)
    del settings["zone"]
    provider("deep.sub.example.test", settings).send({"ipv6": "2001:db8::31"})
    assert records(bind, "deep.sub.example.test", "ipv6") == ["2001:db8::31"]


def test_zone_and_primary_server_found_by_soa(bind: Bind, bind_resolver: None) -> None:
    # No server and no zone: the primary named in the zone's SOA gets the update.
    settings = signed(bind, port=str(bind.port))
    del settings["server"], settings["zone"]
    provider("primary.example.test", settings).send({"ipv4": "198.51.100.32"})
    assert records(bind, "primary.example.test", "ipv4") == ["198.51.100.32"]


def test_unsigned_update_where_the_zone_allows_it(bind: Bind) -> None:
    settings = {"server": f"127.0.0.1 {bind.port}"}
    provider("gw.open.test", settings).send({"ipv4": "198.51.100.33"})
    assert resolve.lookup("gw.open.test", "ipv4", "127.0.0.1", bind.port) == [
        "198.51.100.33"
    ]


# --- refusals -----------------------------------------------------------------


def wrong_secret() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"secret": "WRONG"}, "BADSIG"),
        ({"key": "nokey"}, "BADKEY"),
        ({"algorithm": "hmac-sha512"}, "BADKEY"),
    ],
)
def test_bad_key_is_an_authentication_error(
    bind: Bind, change: dict[str, str], reason: str
) -> None:
    settings = signed(bind)
    settings.update(change)
    if settings["secret"] == "WRONG":
        settings["secret"] = wrong_secret()
    with pytest.raises(errors.AuthenticationError) as caught:
        provider("badkey.example.test", settings).send({"ipv4": "198.51.100.7"})
    assert not caught.value.temporary
    assert records(bind, "badkey.example.test", "ipv4") == []
    assert f"{bind.key_name}" in str(caught.value) or "nokey" in str(caught.value)
    assert reason in bind.log()


def test_zone_the_server_does_not_serve(bind: Bind) -> None:
    # BIND answers NOTAUTH: not authoritative for that zone.
    settings = signed(bind, zone="example.org")
    with pytest.raises(errors.AuthenticationError) as caught:
        provider("gw.example.org", settings).send({"ipv4": "198.51.100.7"})
    assert "NOTAUTH" in str(caught.value)
    assert "example.org" in str(caught.value)


def test_hostname_outside_the_zone(bind: Bind) -> None:
    with pytest.raises(errors.RequestError) as caught:
        provider("gw.example.org", signed(bind)).send({"ipv4": "198.51.100.7"})
    assert str(caught.value).endswith(
        "NOTZONE: gw.example.org is not in zone example.test"
    )


def test_update_policy_refusal(bind: Bind) -> None:
    settings = signed(bind, key=bind.limited_key_name, secret=bind.limited_secret)
    with pytest.raises(errors.AuthenticationError) as caught:
        provider("limited.example.test", settings).send({"ipv4": "198.51.100.7"})
    assert "REFUSED" in str(caught.value)
    assert "update policy" in str(caught.value)
    assert records(bind, "limited.example.test", "ipv4") == []


def test_unsigned_update_is_refused_by_policy(bind: Bind) -> None:
    settings = {"server": f"127.0.0.1 {bind.port}", "zone": "example.test"}
    with pytest.raises(errors.AuthenticationError):
        provider("unsigned.example.test", settings).send({"ipv4": "198.51.100.7"})


def test_secret_never_logged(bind: Bind, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret = wrong_secret()
    settings = signed(bind, secret=secret)
    with pytest.raises(errors.AuthenticationError) as caught:
        provider("secret.example.test", settings).send({"ipv4": "198.51.100.7"})
    provider("secret.example.test", signed(bind)).send({"ipv4": "198.51.100.7"})

    assert "nsupdate: servers=127.0.0.1" in caplog.text
    for value in (secret, bind.secret):
        assert value not in caplog.text
        assert value not in str(caught.value)


# --- settings that cannot work ----------------------------------------------


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"key": "gwkey"}, "key and secret go together"),
        ({"secret": "c2VjcmV0"}, "key and secret go together"),
        ({"key": "gwkey", "secret": "not base64!"}, "secret is not base64"),
        ({"key": "hmac-sha999:gwkey", "secret": "c2VjcmV0"}, "algorithm hmac-sha999"),
        (
            {"key": "hmac-sha256:gwkey", "secret": "c2VjcmV0", "algorithm": "hmac-md5"},
            "key names algorithm hmac-sha256, but algorithm is hmac-md5",
        ),
        (
            {"ttl": "1m"},
            "ttl: must be a whole number of seconds from 0 to 2147483647, not '1m'",
        ),
        (
            {"ttl": "99999999999999"},
            "ttl: must be a whole number of seconds from 0 to 2147483647, not '99999999999999'",
        ),
        ({"port": "dns"}, "port: dns is not a port number"),
        (
            {"server": "127.0.0.1 5353", "port": "53"},
            "server names port 5353, but port is 53",
        ),
    ],
)
def test_settings_that_cannot_work(settings: dict[str, str], message: str) -> None:
    settings = {"server": "127.0.0.1", "zone": "example.test", **settings}
    with pytest.raises(errors.ProviderConfigurationError) as caught:
        provider("gw.example.test", settings).send({"ipv4": "198.51.100.7"})
    assert message in str(caught.value)


def test_name_that_is_not_a_dns_name() -> None:
    settings = {"server": "127.0.0.1", "zone": "example.test"}
    with pytest.raises(errors.ProviderConfigurationError) as caught:
        provider("a" * 64 + ".example.test", settings).send({"ipv4": "198.51.100.7"})
    assert "is not a DNS name" in str(caught.value)


def test_address_of_the_wrong_family() -> None:
    with pytest.raises(errors.RequestError):
        provider(
            "gw.example.test", {"server": "127.0.0.1", "zone": "example.test"}
        ).send({"ipv4": "2001:db8::7"})


def test_a_scoped_address_is_refused_not_a_crash() -> None:
    with pytest.raises(errors.RequestError) as caught:
        provider(
            "gw.example.test", {"server": "127.0.0.1", "zone": "example.test"}
        ).send({"ipv6": "2001:db8::7%eth0"})
    assert "2001:db8::7%eth0 is not an address for an AAAA record" in str(caught.value)


# --- settings checked when ddns.conf is read -------------------------------


@pytest.mark.parametrize(
    ("lines", "where", "message"),
    [
        (
            "key = gwkey\nsecret = c2VjcmV0\nalgorithm = hmac-md6\n",
            "algorithm",
            "algorithm hmac-md6 is not one of hmac-md5, hmac-md5.sig-alg.reg.int, "
            "hmac-sha1, hmac-sha224, hmac-sha256, hmac-sha384, hmac-sha512",
        ),
        (
            "key = hmac-md6:gwkey\nsecret = c2VjcmV0\n",
            "key",
            "algorithm hmac-md6 is not one of",
        ),
        (
            "key = gwkey\nsecret = not base64!\n",
            "secret",
            "the secret is not base64, as tsig-keygen writes it",
        ),
        ("key = gwkey\n", "secret", "key and secret go together"),
        (
            "ttl = 1m\n",
            "ttl",
            "must be a whole number of seconds from 0 to 2147483647, not '1m'",
        ),
        (
            "ttl = 99999999999999\n",
            "ttl",
            "must be a whole number of seconds from 0 to 2147483647, not '99999999999999'",
        ),
        ("port = 99999\n", "port", "99999 is not a port number"),
        ("server = 127.0.0.1:99999\n", "server", "99999 is not a port number"),
        (
            "server = a b c\n",
            "server",
            "a b c is not a host, host port, host:port or [address]:port",
        ),
        (
            "server = 127.0.0.1 5353\nport = 53\n",
            "port",
            "server names port 5353, but port is 53",
        ),
    ],
)
def test_settings_are_checked_when_the_file_is_read(
    tmp_path: Path, lines: str, where: str, message: str
) -> None:
    path = tmp_path / "ddns.conf"
    path.write_text(f"[gw.example.org]\nprovider = nsupdate\n{lines}")
    loaded = config.load(str(path))
    assert loaded.hosts == []
    assert str(loaded.broken["gw.example.org"]).startswith(
        f"{path}, [gw.example.org], {where}: {message}"
    )


def test_the_originals_settings_pass_the_check() -> None:
    settings = {
        "server": "ns1.example.org 53",
        "zone": "example.org",
        "key": "HMAC-SHA256:gwkey",
        "secret": base64.b64encode(b"0123456789abcdef").decode(),
        "ttl": "60",
    }
    assert RFC2136.validate(settings) == []


@pytest.mark.parametrize("algorithm", sorted(ALGORITHMS))
def test_every_algorithm_signs_with_dnspython(algorithm: str) -> None:
    import dns.update

    host = provider(
        "gw.example.test",
        {"key": f"{algorithm}:gwkey", "secret": base64.b64encode(b"k" * 32).decode()},
    )
    keyring = host.keyring(("gwkey", algorithm))
    update = dns.update.UpdateMessage("example.test", keyring=keyring)
    update.add("gw", 60, "A", "198.51.100.7")
    assert update.to_wire()  # signed: an unknown algorithm raises here


# --- transport and other answers, from a small DNS server -------------------


class ScriptedDNS:
    """A DNS server over TCP on loopback that answers each message with `rcode`.

    With `rcode` None it takes the message and never answers.
    """

    def __init__(self, rcode: int | None) -> None:
        self.rcode = rcode
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.received: list[dns.message.Message] = []
        self.closed = False
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while True:
            try:
                conn, _peer = self.sock.accept()
            except OSError:
                return
            with conn:
                if self.closed:
                    return
                header = conn.recv(2)
                if len(header) < 2:
                    continue
                (length,) = struct.unpack("!H", header)
                wire = b""
                while len(wire) < length:
                    chunk = conn.recv(length - len(wire))
                    if not chunk:
                        break
                    wire += chunk
                message = dns.message.from_wire(wire)
                self.received.append(message)
                if self.rcode is None:
                    conn.recv(1)  # until the client gives up
                    continue
                response = dns.message.make_response(message)
                response.set_rcode(self.rcode)
                answer = response.to_wire()
                conn.sendall(struct.pack("!H", len(answer)) + answer)

    def close(self) -> None:
        # shutdown() wakes an accept() blocked in the thread; close() alone
        # would leave it listening and its descriptor free for the next test's
        # socket, whose connections it would then take.
        self.closed = True
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive()


@pytest.fixture
def scripted() -> Iterator[list[ScriptedDNS]]:
    servers: list[ScriptedDNS] = []
    yield servers
    for server in servers:
        server.close()


@pytest.mark.parametrize(
    ("rcode", "error"),
    [
        (dns.rcode.SERVFAIL, errors.ServerError),
        (dns.rcode.FORMERR, errors.RequestError),
        (dns.rcode.NOTIMP, errors.RequestError),
        (dns.rcode.NOTZONE, errors.RequestError),
        (dns.rcode.NOTAUTH, errors.AuthenticationError),
        (dns.rcode.REFUSED, errors.AuthenticationError),
        (dns.rcode.YXRRSET, errors.RequestError),
    ],
)
def test_answer_codes(
    scripted: list[ScriptedDNS], rcode: int, error: type[errors.DDNSError]
) -> None:
    server = ScriptedDNS(rcode)
    scripted.append(server)
    settings = {"server": f"127.0.0.1 {server.port}", "zone": "example.test"}
    with pytest.raises(error) as caught:
        provider("gw.example.test", settings).send({"ipv4": "198.51.100.7"})
    assert type(caught.value) is error
    assert caught.value.temporary == (error is errors.ServerError)
    assert str(caught.value).split(": ")[1] == dns.rcode.to_text(rcode)
    (update,) = server.received
    assert update.opcode() == dns.opcode.UPDATE


def test_server_that_never_answers_times_out(scripted: list[ScriptedDNS]) -> None:
    server = ScriptedDNS(None)
    scripted.append(server)
    settings = {"server": f"127.0.0.1:{server.port}", "zone": "example.test"}
    with pytest.raises(errors.ConnectionTimeout) as caught:
        provider("gw.example.test", settings).send({"ipv4": "198.51.100.7"})
    assert caught.value.temporary


def test_no_server_listening_is_a_network_error() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    settings = {"server": f"127.0.0.1:{port}", "zone": "example.test"}
    with pytest.raises(errors.NetworkError) as caught:
        provider("gw.example.test", settings).send({"ipv4": "198.51.100.7"})
    assert caught.value.temporary


def test_next_server_is_tried_when_one_is_unreachable(
    bind: Bind, bind_resolver: None, scripted: list[ScriptedDNS]
) -> None:
    # The primary ns1.example.test has ::1 and 127.0.0.1; at this port only
    # the IPv4 address listens, so the update reaches it after ::1 refuses.
    if not bind.has_ipv6:
        pytest.skip("no IPv6 loopback")
    server = ScriptedDNS(dns.rcode.NOERROR)
    scripted.append(server)
    settings = {"zone": "example.test", "port": str(server.port)}
    provider("gw.example.test", settings).send({"ipv4": "198.51.100.7"})
    assert len(server.received) == 1
