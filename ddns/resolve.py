"""The current DNS records of a hostname, asked of chosen servers (dnspython).

Every question goes straight to the servers named (or, when none is named,
to the system's configured nameservers); nothing is cached here. `authoritative`
finds the zone's own servers and asks them, so a record just updated is seen
at once rather than after a caching resolver's TTL. dnspython is imported on
first use, and its exceptions become ddns.errors here and nowhere else.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ddns import errors
from ddns.i18n import _

if TYPE_CHECKING:
    import dns.message
    import dns.name

log = logging.getLogger(__name__)

RECORD_TYPES = {"ipv4": "A", "ipv6": "AAAA"}
TIMEOUT = 3.0
# A CNAME chain longer than this is a loop or a misconfiguration.
MAX_CNAMES = 8


@dataclass(frozen=True)
class Zone:
    """The zone a name belongs to and its primary server (the SOA's MNAME)."""

    name: str
    primary: str


def is_ip_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def system_nameservers() -> tuple[list[str], int]:
    """The nameservers of /etc/resolv.conf and the port they listen on."""
    import dns.exception
    import dns.resolver

    try:
        resolver = dns.resolver.get_default_resolver()
    except dns.exception.DNSException as exc:
        raise errors.ResolveError(
            _("no nameserver configured: {error}").format(error=exc)
        ) from None
    servers = [str(s) for s in resolver.nameservers]
    if not servers:
        raise errors.ResolveError(_("no nameserver configured"))
    return servers, resolver.port


def host_addresses(host: str, port: int = 53) -> list[str]:
    """The addresses of a server named in the configuration (hosts file first)."""
    import socket

    if is_ip_address(host):
        return [host]
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_UDP)
    except socket.gaierror as exc:
        raise errors.ResolveError(f"{host}: {exc.strerror}") from None
    found: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in found:
            found.append(address)
    return found


def query(
    name: str,
    rdtype: str,
    servers: Sequence[str],
    port: int = 53,
    timeout: float = TIMEOUT,
    recursion: bool = True,
) -> tuple[dns.message.Message, str]:
    """Ask `servers` in turn until one answers; UDP, then TCP when truncated.

    Only a server that cannot be reached makes the next one be asked; any
    answer, whatever its rcode, is returned with the server that gave it
    ("address port N") for the caller to judge.
    """
    import dns.flags
    import dns.message
    import dns.query

    message = dns.message.make_query(dns_name(name), rdtype)
    if not recursion:
        message.flags &= ~dns.flags.RD
    failure: errors.DDNSError = errors.ResolveError(_("no server to ask"))
    for server in servers:
        try:
            response, _tcp = dns.query.udp_with_fallback(
                message, server, timeout=timeout, port=port
            )
        except Exception as exc:
            failure = map_exception(exc, f"{server} port {port}", timeout)
            log.debug("resolve: server=%s port=%s error=%s", server, port, failure)
            continue
        log.debug(
            "resolve: server=%s port=%s name=%s type=%s rcode=%s",
            server,
            port,
            name,
            rdtype,
            _rcode_text(response),
        )
        return response, f"{server} port {port}"
    raise failure


def map_exception(exc: BaseException, where: str, timeout: float) -> errors.DDNSError:
    """The ddns error for an exception of dnspython or the socket layer."""
    import dns.exception

    if isinstance(exc, dns.exception.Timeout):
        return errors.ConnectionTimeout(
            _("{server}: no answer within {seconds} s").format(
                server=where, seconds=f"{timeout:g}"
            )
        )
    if isinstance(exc, ConnectionRefusedError):
        return errors.ConnectionRefused(where)
    if isinstance(exc, OSError):
        return errors.NetworkError(f"{where}: {exc.strerror or exc}")
    if isinstance(exc, (dns.exception.DNSException, ValueError, EOFError)):
        return errors.ResolveError(f"{where}: {exc}")
    raise exc


def lookup(
    hostname: str,
    family: str,
    server: str | None = None,
    port: int = 53,
    timeout: float = TIMEOUT,
) -> list[str]:
    """The addresses of `family` that `server` answers for `hostname`.

    Without `server`, the system's nameservers are asked. A name that does not
    exist, or has no record of the family, gives an empty list; a server that
    fails or refuses raises ResolveError.
    """
    if server is None:
        servers, port = system_nameservers()
    else:
        servers = host_addresses(server, port)
    rdtype = RECORD_TYPES[family]
    response, where = query(hostname, rdtype, servers, port, timeout)
    return records(response, hostname, rdtype, where)


def records(
    response: dns.message.Message, hostname: str, rdtype: str, where: str
) -> list[str]:
    """The `rdtype` records of `hostname` in an answer, CNAMEs followed."""
    import dns.name
    import dns.rcode
    import dns.rdataclass
    import dns.rdatatype

    rcode = response.rcode()
    if rcode == dns.rcode.NXDOMAIN:
        return []
    if rcode != dns.rcode.NOERROR:
        raise errors.ResolveError(
            _("{server} answered {rcode} for {name}").format(
                server=where, rcode=dns.rcode.to_text(rcode), name=hostname
            )
        )
    wanted = dns.rdatatype.from_text(rdtype)
    name = dns_name(hostname)
    for _hop in range(MAX_CNAMES):
        found = response.get_rrset(response.answer, name, dns.rdataclass.IN, wanted)
        if found is not None:
            return [str(ipaddress.ip_address(rdata.address)) for rdata in found]
        alias = response.get_rrset(
            response.answer, name, dns.rdataclass.IN, dns.rdatatype.CNAME
        )
        if alias is None:
            return []
        name = alias[0].target
    raise errors.ResolveError(_("too many CNAMEs for {name}").format(name=hostname))


def find_zone(
    hostname: str,
    server: str | None = None,
    port: int = 53,
    timeout: float = TIMEOUT,
) -> Zone:
    """The zone that holds `hostname`, found from the SOA of it or its parents.

    `server` (an address) is asked directly, as an authoritative server
    answers for its own zones; without it, the system's nameservers are.
    """
    import dns.name
    import dns.rcode
    import dns.rdatatype

    if server is None:
        servers, port = system_nameservers()
    else:
        servers = host_addresses(server, port)
    name = dns_name(hostname)
    while True:
        response, where = query(name.to_text(), "SOA", servers, port, timeout)
        rcode = response.rcode()
        if rcode not in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
            raise errors.ResolveError(
                _("{server} answered {rcode} when asked for the zone of {name}").format(
                    server=where,
                    rcode=dns.rcode.to_text(rcode),
                    name=hostname,
                )
            )
        for section in (response.answer, response.authority):
            for rrset in section:
                if rrset.rdtype == dns.rdatatype.SOA and (
                    name == rrset.name or name.is_subdomain(rrset.name)
                ):
                    return Zone(
                        rrset.name.to_text(omit_final_dot=True),
                        rrset[0].mname.to_text(omit_final_dot=True),
                    )
        if name == dns.name.root:
            raise errors.ResolveError(
                _("no zone found for {name}").format(name=hostname)
            )
        name = name.parent()


def nameserver_addresses(names: Sequence[str], timeout: float = TIMEOUT) -> list[str]:
    """The IPv6 and IPv4 addresses of nameserver names, asked of the system."""
    found: list[str] = []
    for name in names:
        for family in ("ipv6", "ipv4"):
            try:
                found.extend(lookup(name, family, timeout=timeout))
            except errors.NetworkError as exc:
                log.debug(
                    "resolve: nameserver=%s family=%s error=%s", name, family, exc
                )
    return list(dict.fromkeys(found))


def authoritative(
    hostname: str, family: str, port: int = 53, timeout: float = TIMEOUT
) -> list[str]:
    """The addresses of `family` for `hostname`, asked of its zone's own servers.

    The zone and its NS names come from the system's nameservers; the answer
    comes from the first authoritative server that can be reached.
    """
    import dns.rdatatype

    zone = find_zone(hostname, timeout=timeout)
    servers, system_port = system_nameservers()
    response, _where = query(zone.name, "NS", servers, system_port, timeout)
    names = [
        rdata.target.to_text()
        for rrset in response.answer
        if rrset.rdtype == dns.rdatatype.NS
        for rdata in rrset
    ]
    addresses = nameserver_addresses(names or [zone.primary], timeout)
    if not addresses:
        raise errors.ResolveError(
            _("no address for the nameservers of {zone}").format(zone=zone.name)
        )
    rdtype = RECORD_TYPES[family]
    answer, where = query(hostname, rdtype, addresses, port, timeout, recursion=False)
    return records(answer, hostname, rdtype, where)


def dns_name(text: str) -> dns.name.Name:
    """`text` as an absolute DNS name; a ResolveError when it cannot be one."""
    import dns.exception
    import dns.name

    try:
        return dns.name.from_text(text, dns.name.root)
    except dns.exception.DNSException as exc:
        raise errors.ResolveError(f"{text}: {exc}") from None


def _rcode_text(response: dns.message.Message) -> str:
    import dns.rcode

    return dns.rcode.to_text(response.rcode())
