"""RFC 2136 dynamic updates with TSIG (RFC 8945), sent through dnspython.

One UPDATE message carries every family of a host: for each, the A or AAAA
rrset is deleted and, when there is an address, added again with the TTL.
A family without an address keeps only the delete, which removes the record.
The message goes over TCP to `server` or, without it, to the zone's primary
server named in its SOA; `zone` defaults to the zone found by walking up the
hostname. The key, when there is one, signs the message; its secret is never
logged. References: https://www.rfc-editor.org/rfc/rfc2136 and
https://www.rfc-editor.org/rfc/rfc8945.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ddns import errors, redact
from ddns.i18n import N_, _
from ddns.providers.base import RECORD_TYPES, Provider, ttl_problem

if TYPE_CHECKING:
    import dns.message
    import dns.tsig

# ddns.resolve, base64 and dnspython are imported where they are used: every
# run imports this module, few send RFC 2136 updates.

log = logging.getLogger(__name__)

DEFAULT_PORT = 53
DEFAULT_TTL = 60
DEFAULT_ALGORITHM = "hmac-sha256"
# TSIG algorithms as BIND's tsig-keygen and nsupdate name them.
ALGORITHMS = frozenset(
    {
        "hmac-md5",
        "hmac-md5.sig-alg.reg.int",
        "hmac-sha1",
        "hmac-sha224",
        "hmac-sha256",
        "hmac-sha384",
        "hmac-sha512",
    }
)
# BIND's short name for the algorithm whose DNS name is the long one; only
# the long one is known to dnspython.
_DNSPYTHON_ALGORITHMS = {"hmac-md5": "hmac-md5.sig-alg.reg.int"}

# `server` as nsupdate's "server" command writes it ("host port"), or
# "host:port", "[v6]:port"; a bare IPv6 address carries no port.
_SERVER_FORMS = (
    r"^\[(?P<host>[^\]]+)\](?::(?P<port>\d+))?$",
    r"^(?P<host>\S+)\s+(?P<port>\d+)$",
    r"^(?P<host>[^:\s]+):(?P<port>\d+)$",
    r"^(?P<host>\S+)$",
)

# Answers to an UPDATE (RFC 2136 section 2.2) and what they mean here.
_RCODE_ERRORS: dict[str, tuple[type[errors.DDNSError], str]] = {
    "NOTAUTH": (
        errors.AuthenticationError,
        N_("the server is not authoritative for zone {zone} or did not accept the key"),
    ),
    "REFUSED": (
        errors.AuthenticationError,
        N_("the server's update policy refuses this change (zone {zone}, key {key})"),
    ),
    "NOTZONE": (errors.RequestError, N_("{hostname} is not in zone {zone}")),
    "FORMERR": (errors.RequestError, N_("the server could not read the update")),
    "NOTIMP": (errors.RequestError, N_("the server does not accept dynamic updates")),
    "NXDOMAIN": (errors.RequestError, N_("a prerequisite of the update failed")),
    "YXDOMAIN": (errors.RequestError, N_("a prerequisite of the update failed")),
    "YXRRSET": (errors.RequestError, N_("a prerequisite of the update failed")),
    "NXRRSET": (errors.RequestError, N_("a prerequisite of the update failed")),
    "SERVFAIL": (errors.ServerError, N_("the server failed to apply the update")),
}


class Target:
    """Where an update goes and how it is signed."""

    # A plain class: every run imports this module, most never send here.
    __slots__ = ("algorithm", "key_name", "port", "servers", "zone")

    def __init__(
        self,
        zone: str,
        servers: tuple[str, ...],
        port: int,
        key_name: str | None,
        algorithm: str,
    ) -> None:
        self.zone = zone
        self.servers = servers
        self.port = port
        self.key_name = key_name
        self.algorithm = algorithm


def parse_server(value: str) -> tuple[str, int | None]:
    """Host and port of a `server` setting; the port is None when not given."""
    server, problem = _read_server(value)
    if server is None:
        raise errors.ProviderConfigurationError(f"server: {problem}")
    return server


def _read_server(value: str) -> tuple[tuple[str, int | None] | None, str]:
    """Host and port of a `server` setting, or None and why not."""
    text = value.strip()
    for form in _SERVER_FORMS:
        match = re.match(form, text)
        if match is None:
            continue
        host, port = match.group("host"), match.groupdict().get("port")
        if port is None and ":" in host and not _is_ip_address(host):
            continue
        if port is None:
            return (host, None), ""
        number = _port(port)
        if number is None:
            return None, _port_problem(port)
        return (host, number), ""
    return None, _(
        "{value} is not a host, host port, host:port or [address]:port"
    ).format(value=value)


def _is_ip_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _port(value: str) -> int | None:
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 65536:
        return None
    return int(text)


def _port_problem(value: str) -> str:
    return _("{value} is not a port number").format(value=value)


def _is_base64(text: str) -> bool:
    # As base64.b64decode(validate=True) has it, without importing base64.
    return (
        bool(text)
        and len(text) % 4 == 0
        and re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", text) is not None
    )


class Checked:
    """A host's nsupdate settings as read, and what is wrong with them."""

    # A plain class: every run imports this module, most never send here.
    __slots__ = ("key", "port", "problems", "server", "ttl")

    def __init__(self) -> None:
        self.ttl = DEFAULT_TTL
        # The key's name and algorithm, or None when updates are unsigned.
        self.key: tuple[str, str] | None = None
        self.server: tuple[str, int | None] | None = None
        self.port: int | None = None
        # (setting, message) pairs; the message reads well after "setting: ".
        self.problems: list[tuple[str, str]] = []


def check_settings(settings: Mapping[str, str]) -> Checked:
    """Read and check the settings of an nsupdate host, without the network."""
    checked = Checked()
    problems = checked.problems

    def value(key: str) -> str:
        return (settings.get(key) or "").strip()

    ttl = value("ttl")
    problem = ttl_problem(ttl, RFC2136.min_ttl) if ttl else None
    if problem:
        problems.append(("ttl", problem))
    elif ttl:
        checked.ttl = int(ttl)

    key, secret = value("key"), value("secret")
    if bool(key) != bool(secret):
        problems.append(
            (
                "secret" if key else "key",
                _("key and secret go together: set both or neither"),
            )
        )
    if secret and not _is_base64(secret):
        problems.append(
            ("secret", _("the secret is not base64, as tsig-keygen writes it"))
        )
    algorithm, source = value("algorithm").lower(), "algorithm"
    prefix, colon, name = key.rpartition(":")
    if colon:
        # The original's web page writes `key = hmac-sha256:gwkey`.
        prefix = prefix.lower()
        if algorithm and algorithm != prefix:
            problems.append(
                (
                    "algorithm",
                    _(
                        "key names algorithm {prefix}, but algorithm is {algorithm}"
                    ).format(prefix=prefix, algorithm=algorithm),
                )
            )
        algorithm, source, key = prefix, "key", name
    algorithm = algorithm or DEFAULT_ALGORITHM
    if algorithm not in ALGORITHMS:
        problems.append(
            (
                source,
                _("algorithm {algorithm} is not one of {known}").format(
                    algorithm=algorithm, known=", ".join(sorted(ALGORITHMS))
                ),
            )
        )
    elif key:
        checked.key = key, algorithm

    if value("server"):
        checked.server, problem = _read_server(value("server"))
        if checked.server is None:
            problems.append(("server", problem))
    if value("port"):
        checked.port = _port(value("port"))
        if checked.port is None:
            problems.append(("port", _port_problem(value("port"))))
    server_port = checked.server[1] if checked.server else None
    if None not in (server_port, checked.port) and server_port != checked.port:
        problems.append(
            (
                "port",
                _("server names port {server_port}, but port is {port}").format(
                    server_port=server_port, port=checked.port
                ),
            )
        )
    return checked


class RFC2136(Provider):
    handle = "nsupdate"
    name = "RFC 2136 dynamic update (BIND, Knot, PowerDNS)"
    website = "https://www.rfc-editor.org/rfc/rfc2136"
    docs = "https://www.rfc-editor.org/rfc/rfc2136"
    quirks = (
        "Your own DNS server, no HTTP: `server` (default: the primary in the zone's "
        "SOA, a port as `host port` or `host:port`), `zone` (default: found by SOA), "
        "`key` (optionally `algorithm:name`) and base64 `secret` for TSIG "
        "(https://www.rfc-editor.org/rfc/rfc8945), `ttl` (60). REFUSED means the "
        "server's update policy does not allow the change."
    )
    protocols = ("ipv4", "ipv6")
    credentials = ((),)
    optional = ("server", "port", "zone", "key", "secret", "algorithm", "ttl")
    secrets = frozenset({"secret"})
    can_remove_records = True
    single_request = True
    # A TTL of 0 is valid DNS (RFC 2181, section 8): the answer is not cached.
    min_ttl = 0

    @classmethod
    def validate(
        cls, settings: Mapping[str, str], hostname: str = ""
    ) -> list[tuple[str, str]]:
        # The zone is the server's to judge: it may be found by SOA.
        return check_settings(settings).problems

    def send(self, addresses: Mapping[str, str | None]) -> None:
        import dns.exception
        import dns.name
        import dns.update

        checked = check_settings(self.settings)
        if checked.problems:
            key, problem = checked.problems[0]
            raise errors.ProviderConfigurationError(
                f"{key}: {problem}", hostname=self.hostname
            )
        ttl = checked.ttl
        keyring = self.keyring(checked.key)
        target = self.target(checked)
        try:
            name = dns.name.from_text(self.hostname, dns.name.root)
            update = dns.update.UpdateMessage(
                target.zone, keyring=keyring, keyalgorithm=target.algorithm
            )
        except dns.exception.DNSException as exc:
            raise errors.ProviderConfigurationError(
                _("{hostname} or zone {zone} is not a DNS name: {error}").format(
                    hostname=self.hostname, zone=target.zone, error=exc
                ),
                hostname=self.hostname,
            ) from None
        changes = []
        for family, address in addresses.items():
            rdtype = RECORD_TYPES[family]
            update.delete(name, rdtype)
            if address is None:
                changes.append(f"delete {rdtype}")
            else:
                update.add(name, ttl, rdtype, self.checked(address, family))
                changes.append(f"{rdtype} {address}")
        log.debug(
            "nsupdate: servers=%s port=%s zone=%s key=%s algorithm=%s ttl=%s changes=%s",
            ",".join(target.servers),
            target.port,
            target.zone,
            target.key_name,
            target.algorithm,
            ttl,
            "; ".join(changes),
        )
        response = self.exchange(update, target)
        self.check_answer(response, target)

    def keyring(self, key: tuple[str, str] | None) -> dns.tsig.Key | None:
        import base64
        import binascii

        import dns.tsig

        if key is None:
            return None
        secret = self.setting("secret").strip()
        redact.register(secret)
        try:
            decoded = base64.b64decode(secret, validate=True)
        except (binascii.Error, ValueError):
            raise errors.ProviderConfigurationError(
                _("the secret is not base64, as tsig-keygen writes it"),
                hostname=self.hostname,
            ) from None
        name, algorithm = key
        return dns.tsig.Key(
            name, decoded, _DNSPYTHON_ALGORITHMS.get(algorithm, algorithm)
        )

    def target(self, checked: Checked) -> Target:
        """The zone, the servers' addresses and the port of this host's updates."""
        from ddns import resolve

        key = checked.key
        host, port = checked.server or (None, None)
        port = checked.port or port or DEFAULT_PORT
        zone_name = self.setting("zone").strip().rstrip(".")
        if host is not None:
            servers = resolve.host_addresses(host, port)
            if not zone_name:
                zone_name = resolve.find_zone(self.hostname, servers[0], port).name
        else:
            # The zone's primary accepts updates; secondaries may refuse them.
            zone = resolve.find_zone(zone_name or self.hostname)
            zone_name = zone_name or zone.name
            servers = resolve.nameserver_addresses([zone.primary])
            if not servers:
                raise errors.ResolveError(
                    _("no address for {server}, the primary of {zone}").format(
                        server=zone.primary, zone=zone_name
                    )
                )
        return Target(
            zone=zone_name,
            servers=tuple(servers),
            port=port,
            key_name=key[0] if key else None,
            algorithm=key[1] if key else DEFAULT_ALGORITHM,
        )

    def checked(self, address: str, family: str) -> str:
        from ddns import resolve

        # A scoped address (`%eth0`) is no record data; dnspython would crash.
        if resolve.is_ip_address(address) and "%" not in address:
            version = ipaddress.ip_address(address).version
            if (version == 4) == (family == "ipv4"):
                return address
        raise errors.RequestError(
            _("{address} is not an address for an {rdtype} record").format(
                address=address, rdtype=RECORD_TYPES[family]
            ),
            hostname=self.hostname,
            family=family,
        )

    def exchange(
        self, update: dns.message.Message, target: Target
    ) -> dns.message.Message:
        """Send the update to the first server that can be reached (TCP)."""
        import dns.query

        timeout = self.timeout()
        failure: errors.DDNSError = errors.NetworkError(_("no server to send to"))
        for server in target.servers:
            where = f"{server} port {target.port}"
            try:
                return dns.query.tcp(update, server, timeout=timeout, port=target.port)
            except Exception as exc:
                failure = self.mapped(exc, where, timeout, target)
            if not isinstance(failure, errors.NetworkError):
                break
            log.debug("nsupdate: server=%s error=%s", where, failure)
        raise failure

    def timeout(self) -> float:
        from ddns import resolve

        # The run's read timeout also bounds a DNS update.
        timeouts: Any = getattr(self.http, "timeout", None)
        if isinstance(timeouts, tuple) and timeouts:
            return float(timeouts[-1])
        return resolve.TIMEOUT

    def mapped(
        self, exc: BaseException, where: str, timeout: float, target: Target
    ) -> errors.DDNSError:
        import dns.message
        import dns.tsig

        tsig_errors = (
            dns.tsig.PeerError,
            dns.tsig.BadSignature,
            dns.tsig.BadTime,
            dns.tsig.BadKey,
            dns.message.UnknownTSIGKey,
        )
        if isinstance(exc, tsig_errors):
            return errors.AuthenticationError(
                _("{server} rejected key {key}: {error}").format(
                    server=where, key=target.key_name, error=exc
                ),
                hostname=self.hostname,
                provider=self.handle,
            )
        from ddns import resolve

        return resolve.map_exception(exc, where, timeout)

    def check_answer(self, response: dns.message.Message, target: Target) -> None:
        import dns.rcode

        rcode = dns.rcode.to_text(response.rcode())
        if rcode == "NOERROR":
            return
        cls, text = _RCODE_ERRORS.get(
            rcode, (errors.UnexpectedAnswerError, "unexpected answer")
        )
        message = _(text).format(
            zone=target.zone, key=target.key_name or "(none)", hostname=self.hostname
        )
        raise cls(
            f"{rcode}: {message}",
            hostname=self.hostname,
            provider=self.handle,
            answer=rcode,
        )
