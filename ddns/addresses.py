"""Where the public addresses come from, and which of them may be published.

One detection per family per run, shared by every host. The sources, in order:

1. a fixed `ipv4_address` / `ipv6_address` from [config];
2. the addresses of `interface` (read with iproute2's `ip -j addr show`);
3. on IPFire, unless `guess_external_ip` is set, the red address file;
4. the check services (`checkip_ipv4` / `checkip_ipv6`), tried in order, each
   asked over a connection of the family it is asked about.

A source that yields nothing usable is skipped, and why is kept in
`Detection.problems` for the run to show as warnings.

Not finding an address is not the same as knowing there is none. Only the
interface can tell that a family is absent (`Detection.absent`), and only a
record of an absent family is ever removed: the interface was read and holds
no global IPv6 address (none waiting for duplicate address detection either),
or no IPv4 address at all while no other source found one. A check service
that fails or answers nothing usable, an interface that cannot be read (ppp0
is gone while the link is down), a red address file that is empty or holds a
private address: all of them say nothing about the address published, and
the record stays as it is. A check service that cannot be reached because
this machine has no route of the family sets `Detection.offline`: routine on
a machine without IPv6, so the run does not warn about it every time. Private, shared (CGNAT),
loopback, link-local, unique-local, multicast, unspecified, IPv4-mapped,
reserved and scoped (`%eth0`) addresses are never published; the documentation ranges are, so that
demos and tests can use them.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ddns import errors
from ddns.i18n import N_, _

if TYPE_CHECKING:
    from typing import Protocol

    from ddns.http import Client

    class Options(Protocol):
        """The [config] options detection reads (ddns.config.Options has them)."""

        @property
        def guess_external_ip(self) -> bool: ...
        @property
        def ipv4_address(self) -> str | None: ...
        @property
        def ipv6_address(self) -> str | None: ...
        @property
        def checkip_ipv4(self) -> Sequence[str]: ...
        @property
        def checkip_ipv6(self) -> Sequence[str]: ...
        @property
        def interface(self) -> str | None: ...
        @property
        def red_address_file(self) -> str: ...


log = logging.getLogger(__name__)

FAMILY_NAMES = {"ipv4": "IPv4", "ipv6": "IPv6"}
_VERSIONS = {"ipv4": 4, "ipv6": 6}
_IP_FAMILIES = {"ipv4": "inet", "ipv6": "inet6"}
IP_COMMAND = "ip"
IP_TIMEOUT = 5.0


class Detection:
    """The address of one family for this run, or None, and how it was found."""

    # A plain class: dataclasses (with inspect) would cost every run more
    # than detecting a fixed address does.
    __slots__ = ("absent", "address", "family", "offline", "problems", "source")

    def __init__(
        self,
        family: str,
        address: str | None,
        source: str,
        problems: list[str] | None = None,
        absent: bool = False,
        offline: bool = False,
    ) -> None:
        self.family = family
        self.address = address
        self.source = source
        self.problems = problems if problems is not None else []
        # No address: the run established that the family has none (see the
        # module's docstring), so a published record of it may be removed.
        self.absent = absent
        # No address: every check service was out of reach for want of a
        # route of the family on this machine.
        self.offline = offline

    def _fields(self) -> tuple[object, ...]:
        return (
            self.family,
            self.address,
            self.source,
            self.problems,
            self.absent,
            self.offline,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Detection):
            return NotImplemented
        return self._fields() == other._fields()

    def __repr__(self) -> str:
        return f"Detection{self._fields()!r}"


# Networks whose addresses never reach a DNS record, with the reason shown to
# the user. Python's ipaddress flags differ between versions and count
# 100.64.0.0/10 as neither private nor global, so the list is explicit.
_NEVER_PUBLISHED: tuple[tuple[str, str], ...] = (
    ("0.0.0.0/8", N_("unspecified address")),
    ("10.0.0.0/8", N_("private address")),
    ("100.64.0.0/10", N_("shared address space (carrier-grade NAT)")),
    ("127.0.0.0/8", N_("loopback address")),
    ("169.254.0.0/16", N_("link-local address")),
    ("172.16.0.0/12", N_("private address")),
    ("192.0.0.0/24", N_("reserved address")),
    ("192.168.0.0/16", N_("private address")),
    ("198.18.0.0/15", N_("reserved address")),
    ("224.0.0.0/4", N_("multicast address")),
    ("240.0.0.0/4", N_("reserved address")),
    ("::/128", N_("unspecified address")),
    ("::1/128", N_("loopback address")),
    ("::ffff:0:0/96", N_("IPv4-mapped address")),
    ("fc00::/7", N_("unique local address")),
    ("fe80::/10", N_("link-local address")),
    ("ff00::/8", N_("multicast address")),
    # IETF protocol assignments: Teredo, benchmarking, ORCHID.
    ("2001::/23", N_("reserved address")),
)
_NETWORKS = tuple(
    (ipaddress.ip_network(net), reason) for net, reason in _NEVER_PUBLISHED
)
# Only 2000::/3 holds global unicast addresses; everything else is reserved.
_GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")


def parse(text: str, family: str | None = None) -> str | None:
    """`text` as a normalised address (of `family` when given), else None."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if family is not None and address.version != _VERSIONS[family]:
        return None
    return str(address)


def family_of(address: str) -> str | None:
    """ "ipv4" or "ipv6" for an address, None when it is not one."""
    try:
        version = ipaddress.ip_address(address.strip()).version
    except ValueError:
        return None
    return "ipv4" if version == 4 else "ipv6"


def unpublishable_reason(address: str) -> str | None:
    """Why `address` must not be published (translated), or None when it may."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return _("not an IP address")
    zone = getattr(ip, "scope_id", None)
    if zone:
        # `%eth0` names a link of this machine; no record can hold it.
        return _("scoped address (%{zone})").format(zone=zone)
    for network, reason in _NETWORKS:
        if ip.version == network.version and ip in network:
            return _(reason)
    if isinstance(ip, ipaddress.IPv4Address):
        if ip == ipaddress.IPv4Address("255.255.255.255"):
            return _("reserved address")
    elif ip not in _GLOBAL_UNICAST:
        return _("reserved address")
    return None


def is_publishable(address: str) -> bool:
    """Whether `address` may go into a public DNS record."""
    return unpublishable_reason(address) is None


# --- check services ---------------------------------------------------------

# Known answer shapes: IPFire's checkip, Cloudflare's /cdn-cgi/trace (the `ip=`
# line; its `h=` line names the server and must not be taken) and the HTML page
# of dyndns-style checkip services. Compiled on first use (re caches them).
_ANSWER_PATTERNS = (
    r"Your IP address is:\s*([0-9A-Fa-f:.]+)",
    r"(?m)^ip=([0-9A-Fa-f:.]+)\s*$",
    r"Current IP Address:\s*([0-9A-Fa-f:.]+)",
)


def parse_check_answer(text: str, family: str) -> tuple[str | None, str | None]:
    """The address of `family` in a check service's answer, or why there is none.

    The whole answer (stripped) must be an address, or the known patterns must
    yield exactly one distinct address, and it must be of `family`: an IPv6
    address in the answer of an IPv4 check means no IPv4 address was found.
    """
    found: list[str] = []
    whole = parse(text)
    if whole is not None:
        found.append(whole)
    else:
        for pattern in _ANSWER_PATTERNS:
            for match in re.finditer(pattern, text):
                address = parse(match.group(1))
                if address is not None and address not in found:
                    found.append(address)
    if not found:
        return None, _("no address in the answer")
    if len(found) > 1:
        return None, _("several addresses in the answer: {addresses}").format(
            addresses=", ".join(found)
        )
    (address,) = found
    if family_of(address) != family:
        return None, _("answered {address}, which is not an {family} address").format(
            address=address, family=FAMILY_NAMES[family]
        )
    return address, None


def ask_check_services(
    family: str,
    urls: Sequence[str],
    client: Client,
    problems: list[str],
    unreachable: list[str] | None = None,
) -> tuple[str | None, str]:
    """The first publishable address a check service answers, and its URL.

    The URLs that could not be reached for want of a route of `family` go to
    `unreachable` as well.
    """
    for url in urls:
        try:
            response = client.get(url, family=family)
        except errors.DDNSError as exc:
            problems.append(f"{url}: {exc}")
            if unreachable is not None and isinstance(exc, errors.NoRouteError):
                unreachable.append(url)
            continue
        address, reason = parse_check_answer(response.text, family)
        if address is not None:
            unusable = unpublishable_reason(address)
            if unusable is None:
                log.debug("check: url=%s family=%s address=%s", url, family, address)
                return address, url
            reason = _("answered {address}: {reason}").format(
                address=address, reason=unusable
            )
        problems.append(f"{url}: {reason}")
    return None, ""


# --- network interfaces -----------------------------------------------------


def read_interface(interface: str) -> list[dict[str, Any]]:
    """The `addr_info` entries of `interface`, as `ip -j addr show` prints them."""
    import subprocess

    try:
        result = subprocess.run(
            [IP_COMMAND, "-j", "addr", "show", "dev", interface],
            capture_output=True,
            text=True,
            timeout=IP_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise errors.NetworkError(
            _("cannot run {command}: {error}").format(command=IP_COMMAND, error=exc)
        ) from None
    if result.returncode != 0:
        # iproute2's words (not translated): `Device "ppp0" does not exist.`
        if "does not exist" in result.stderr:
            raise errors.NetworkError(
                _("interface {interface} does not exist").format(interface=interface)
            )
        raise errors.NetworkError(
            _("cannot read interface {interface}: {error}").format(
                interface=interface, error=result.stderr.strip() or result.returncode
            )
        )
    return interface_addresses(result.stdout)


def interface_addresses(output: str) -> list[dict[str, Any]]:
    """The address entries of the JSON that `ip -j addr show dev X` prints."""
    import json

    try:
        links = json.loads(output or "[]")
    except ValueError:
        raise errors.NetworkError(_("ip printed no JSON")) from None
    entries: list[dict[str, Any]] = []
    for link in links if isinstance(links, list) else []:
        if isinstance(link, dict):
            entries.extend(e for e in link.get("addr_info", []) if isinstance(e, dict))
    return entries


def _lifetime(entry: Mapping[str, Any]) -> int:
    value = entry.get("preferred_life_time", 0)
    return value if isinstance(value, int) else 0


def _is_current(entry: Mapping[str, Any]) -> bool:
    """Not deprecated (an old prefix), not waiting for or failing DAD."""
    if entry.get("deprecated") or entry.get("tentative") or entry.get("dadfailed"):
        return False
    return "preferred_life_time" not in entry or _lifetime(entry) > 0


def pick_interface_address(
    entries: Iterable[Mapping[str, Any]], family: str
) -> tuple[str | None, list[str]]:
    """The address of `family` to publish from an interface, and what was passed.

    IPv6: a stable (non-temporary), current, global address; among several the
    one with the longest preferred lifetime (static addresses last forever, and
    after a prefix change the new prefix outlives the old). A temporary address
    is taken only when no stable one exists. IPv4: the primary address first.
    """
    candidates: list[tuple[tuple[int, int, int], str]] = []
    skipped: list[str] = []
    for position, entry in enumerate(entries):
        if entry.get("family") != _IP_FAMILIES[family]:
            continue
        address = parse(str(entry.get("local", "")), family)
        if address is None:
            continue
        reason = unpublishable_reason(address)
        if reason is None and not _is_current(entry):
            reason = _("deprecated or not yet usable")
        if reason is not None:
            skipped.append(f"{address} ({reason})")
            continue
        rank = (
            1 if entry.get("temporary") or entry.get("secondary") else 0,
            -_lifetime(entry),
            position,
        )
        candidates.append((rank, address))
    if not candidates:
        return None, skipped
    return min(candidates)[1], skipped


# --- detection --------------------------------------------------------------


def fixed_address(options: Options, family: str) -> str | None:
    """The [config] address of `family`; a ConfigurationError when unusable."""
    key = f"{family}_address"
    value = getattr(options, key, None)
    if not value:
        return None
    address = parse(value, family)
    if address is None:
        raise errors.ConfigurationError(
            _("{value} is not an {family} address").format(
                value=value, family=FAMILY_NAMES[family]
            ),
            section="config",
            key=key,
        )
    reason = unpublishable_reason(address)
    if reason is not None:
        raise errors.ConfigurationError(
            # As the user typed it: `::ffff:192.0.2.1` normalised reads
            # `::ffff:c000:201`, which is nowhere in the file.
            _("{address} cannot be published: {reason}").format(
                address=value, reason=reason
            ),
            section="config",
            key=key,
        )
    return address


def read_red_file(path: str) -> tuple[str | None, str]:
    """The publishable IPv4 address in IPFire's red address file, or why not."""
    try:
        with open(path, encoding="ascii", errors="replace") as handle:
            text = handle.read(256).strip()
    except OSError as exc:
        return None, _("cannot read {path}: {error}").format(
            path=path, error=exc.strerror
        )
    address = parse(text, "ipv4")
    if address is None:
        return None, _("{path} holds no IPv4 address").format(path=path)
    reason = unpublishable_reason(address)
    if reason is not None:
        return None, _("{path} holds {address}: {reason}").format(
            path=path, address=address, reason=reason
        )
    return address, ""


class _Interface:
    """Reads the interface once per run, however many families ask."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: list[dict[str, Any]] | None = None
        # Why the interface could not be read, once it was tried.
        self.error: str | None = None

    def pick(self, family: str, problems: list[str]) -> tuple[str | None, bool]:
        """The address of `family` to publish, and whether the family is absent.

        Absent: the interface was read and holds nothing of the family that
        is or may become publishable. IPv6: no global address, not even one
        still in duplicate address detection. IPv4: no address at all, not
        even a private one behind NAT, for which a check service may find
        the public address.
        """
        if self._entries is None and self.error is None:
            try:
                self._entries = read_interface(self.name)
            except errors.DDNSError as exc:
                self.error = exc.message or str(exc)
        if self.error is not None:
            problems.append(self.error)
            return None, False
        entries = self._entries or []
        address, skipped = pick_interface_address(entries, family)
        if address is not None:
            return address, False
        text = _("interface {interface} has no publishable {family} address").format(
            interface=self.name, family=FAMILY_NAMES[family]
        )
        if skipped:
            text += " (" + ", ".join(skipped) + ")"
        problems.append(text)
        return None, not any(_may_come(e, family) for e in entries)


def _may_come(entry: Mapping[str, Any], family: str) -> bool:
    """Whether an interface entry stands for an address `family` may yet have."""
    if entry.get("family") != _IP_FAMILIES[family]:
        return False
    if family == "ipv4":
        return True
    address = parse(str(entry.get("local", "")), family)
    return (
        address is not None
        and is_publishable(address)
        and bool(entry.get("tentative") or entry.get("optimistic"))
    )


def detect(
    options: Options,
    families: Iterable[str],
    client_factory: Callable[[], Client],
    path: str | None = None,
) -> dict[str, Detection]:
    """The address of each family in `families` for this run.

    `client_factory` is called only when a check service must be asked, so a
    run from a fixed address or the red file never loads the HTTP library.
    `path`, the configuration file, names where `interface` is set when the
    interface cannot be read.
    """
    detections: dict[str, Detection] = {}
    interface = _Interface(options.interface) if options.interface else None
    client: Client | None = None
    for family in families:
        problems: list[str] = []
        address = fixed_address(options, family)
        if address is not None:
            detections[family] = Detection(family, address, f"{family}_address")
            continue
        absent = False
        if interface is not None:
            address, absent = interface.pick(family, problems)
            if address is not None:
                detections[family] = Detection(
                    family, address, f"interface {interface.name}", problems
                )
                continue
            if family == "ipv6":
                # A check service would see the address outgoing connections
                # use, a temporary one under privacy extensions: not publishable.
                detections[family] = Detection(family, None, "", problems, absent)
                continue
        if (
            family == "ipv4"
            and not options.guess_external_ip
            and os.path.exists(options.red_address_file)
        ):
            address, problem = read_red_file(options.red_address_file)
            if address is not None:
                detections[family] = Detection(
                    family, address, options.red_address_file, problems
                )
                continue
            problems.append(problem)
        urls = options.checkip_ipv4 if family == "ipv4" else options.checkip_ipv6
        source = ""
        unreachable: list[str] = []
        if urls:
            if client is None:
                client = client_factory()
            address, source = ask_check_services(
                family, urls, client, problems, unreachable
            )
        else:
            problems.append(
                _("no check service for {family} is configured").format(
                    family=FAMILY_NAMES[family]
                )
            )
        detections[family] = Detection(
            family,
            address,
            source,
            problems,
            absent=address is None and absent,
            offline=address is None and bool(urls) and len(unreachable) == len(urls),
        )
    if interface is not None and interface.error is not None:
        _warn_unreadable(interface, detections, path)
    return detections


def _warn_unreadable(
    interface: _Interface, detections: Mapping[str, Detection], path: str | None
) -> None:
    """Say that `interface` could not be read, and where the addresses came from."""
    where = errors.ConfigurationError(
        interface.error, path=path, section="config", key="interface"
    )
    log.warning("%s", where)
    for family, detection in detections.items():
        if detection.address is not None and detection.source != f"{family}_address":
            log.warning(
                "%s",
                _("{family} address {address} taken from {source} instead").format(
                    family=FAMILY_NAMES[family],
                    address=detection.address,
                    source=detection.source,
                ),
            )
