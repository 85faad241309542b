"""Address detection: which addresses may be published, and where they come from."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest

import tests.interfaces
from ddns import addresses, cli, errors
from ddns.http import Client
from tests.loopback import LoopbackServer, Reply


@dataclass
class Options:
    guess_external_ip: bool = True
    ipv4_address: str | None = None
    ipv6_address: str | None = None
    checkip_ipv4: tuple[str, ...] = ()
    checkip_ipv6: tuple[str, ...] = ()
    interface: str | None = None
    red_address_file: str = "/nonexistent/red/local-ipaddress"


class Factory:
    """A client factory that counts how often a client was needed."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> Client:
        self.calls += 1
        return Client(connect_timeout=2, read_timeout=5)


@pytest.fixture
def http6_server() -> Iterator[LoopbackServer]:
    try:
        server = LoopbackServer("::1").start()
    except OSError:
        pytest.skip("no IPv6 loopback")
    yield server
    server.stop()


# --- which addresses may be published ---------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "192.0.2.1",
        "198.51.100.7",
        "203.0.113.5",
        "2001:db8::7",
        "2001:db8:abcd::5",
        "100.128.0.1",
        "8.8.8.8",
        "2a00:1450:4001::1",
    ],
)
def test_documentation_and_public_addresses_are_publishable(address: str) -> None:
    assert addresses.is_publishable(address)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("10.1.2.3", "private address"),
        ("172.16.0.1", "private address"),
        ("192.168.1.1", "private address"),
        ("100.64.0.1", "shared address space (carrier-grade NAT)"),
        ("100.72.13.5", "shared address space (carrier-grade NAT)"),
        ("100.127.255.254", "shared address space (carrier-grade NAT)"),
        ("127.0.0.1", "loopback address"),
        ("::1", "loopback address"),
        ("169.254.10.1", "link-local address"),
        ("fe80::1", "link-local address"),
        ("fd12:3456:789a:1::5", "unique local address"),
        ("fc00::1", "unique local address"),
        ("224.0.0.1", "multicast address"),
        ("ff02::1", "multicast address"),
        ("0.0.0.0", "unspecified address"),
        ("::", "unspecified address"),
        ("::ffff:198.51.100.7", "IPv4-mapped address"),
        ("240.0.0.1", "reserved address"),
        ("255.255.255.255", "reserved address"),
        ("2001::1", "reserved address"),
        ("4000::1", "reserved address"),
        ("host.example.com", "not an IP address"),
        ("", "not an IP address"),
        ("2001:db8::1%eth0", "scoped address (%eth0)"),
        ("2001:db8::1%1", "scoped address (%1)"),
    ],
)
def test_never_published(address: str, reason: str) -> None:
    assert not addresses.is_publishable(address)
    assert addresses.unpublishable_reason(address) == reason


# --- check service answers (field failures 8 and 9) -------------------------


@pytest.mark.parametrize(
    ("body", "family", "expected"),
    [
        # Cloudflare's trace: the ip= line, not the h= line before it.
        (
            "fl=123f45\nh=1.1.1.1\nip=198.51.100.7\nts=1700000000.1\n"
            "visit_scheme=https\n",
            "ipv4",
            "198.51.100.7",
        ),
        ("203.0.113.5", "ipv4", "203.0.113.5"),
        ("203.0.113.5\n", "ipv4", "203.0.113.5"),
        (
            "<html><head><title>Current IP Check</title></head>"
            "<body>Current IP Address: 203.0.113.5</body></html>",
            "ipv4",
            "203.0.113.5",
        ),
        ("Your IP address is: 203.0.113.5", "ipv4", "203.0.113.5"),
        ("Your IP address is: 203.0.113.5\r\n", "ipv4", "203.0.113.5"),
        ("Your IP address is: 2001:db8:1:2::7\r\n", "ipv6", "2001:db8:1:2::7"),
        ("  2001:DB8:1:2:0:0:0:7 \n", "ipv6", "2001:db8:1:2::7"),
    ],
)
def test_check_answer_formats(body: str, family: str, expected: str) -> None:
    assert addresses.parse_check_answer(body, family) == (expected, None)


@pytest.mark.parametrize(
    ("body", "family"),
    [
        # An IPv4 check that answers IPv6 found no IPv4 address.
        ("2001:db8:1:2::7", "ipv4"),
        ("Your IP address is: 198.51.100.7", "ipv6"),
        ("ip=198.51.100.7\nip=198.51.100.8\n", "ipv4"),
        ("Current IP Address: 203.0.113.5 Your IP address is: 203.0.113.6", "ipv4"),
        ("<html>Moved</html>", "ipv4"),
        ("", "ipv4"),
        ("Your IP address is: 203.0.113.999", "ipv4"),
    ],
)
def test_check_answer_without_exactly_one_address_of_the_family(
    body: str, family: str
) -> None:
    address, reason = addresses.parse_check_answer(body, family)
    assert address is None
    assert reason


def test_check_service_answer_is_used_without_whitespace(
    http_server: LoopbackServer,
) -> None:
    http_server.push(Reply(body="Your IP address is: 203.0.113.5\r\n"))
    factory = Factory()
    options = Options(checkip_ipv4=(http_server.url + "/",))

    found = addresses.detect(options, ["ipv4"], factory)

    assert found["ipv4"].address == "203.0.113.5"
    assert found["ipv4"].source == http_server.url + "/"
    assert found["ipv4"].problems == []
    assert factory.calls == 1
    assert http_server.requests[0].header("User-Agent").startswith("ddns/")


def test_check_services_are_tried_in_order(http_server: LoopbackServer) -> None:
    http_server.push(
        Reply(status=500, body="oops"),
        Reply(body="ip=10.0.0.7\n"),
        Reply(body="2001:db8::7"),
        Reply(body="198.51.100.7"),
    )
    urls = tuple(f"{http_server.url}/check{n}" for n in range(1, 5))
    found = addresses.detect(Options(checkip_ipv4=urls), ["ipv4"], Factory())

    assert found["ipv4"].address == "198.51.100.7"
    assert found["ipv4"].source == urls[3]
    problems = found["ipv4"].problems
    assert len(problems) == 3
    assert problems[0].startswith(urls[0]) and "HTTP 500" in problems[0]
    assert "10.0.0.7: private address" in problems[1]
    assert "2001:db8::7, which is not an IPv4 address" in problems[2]


@pytest.mark.parametrize(
    ("answer", "zone"), [("2001:db8::7%eth0", "eth0"), ("fe80::1%eth0", "eth0")]
)
def test_a_scoped_check_answer_is_not_used(
    http6_server: LoopbackServer, answer: str, zone: str
) -> None:
    http6_server.push(Reply(body=f"{answer}\n"))
    found = addresses.detect(
        Options(checkip_ipv6=(http6_server.url,)), ["ipv6"], Factory()
    )
    assert found["ipv6"].address is None
    assert found["ipv6"].problems == [
        f"{http6_server.url}: answered {answer}: scoped address (%{zone})"
    ]


def test_no_check_service_answers(http_server: LoopbackServer) -> None:
    http_server.default = Reply(body="<html>nothing here</html>")
    found = addresses.detect(
        Options(checkip_ipv4=(http_server.url,)), ["ipv4"], Factory()
    )
    assert found["ipv4"].address is None
    assert found["ipv4"].problems == [f"{http_server.url}: no address in the answer"]


def test_ipv4_check_cannot_be_answered_over_ipv6(http6_server: LoopbackServer) -> None:
    # Field failure 9: the IPv4 check goes over IPv4 only, so a service reached
    # over IPv6 can never supply the A record.
    http6_server.default = Reply(body="2001:db8:1:2::7")
    found = addresses.detect(
        Options(checkip_ipv4=(http6_server.url,)), ["ipv4"], Factory()
    )
    assert found["ipv4"].address is None
    assert http6_server.requests == []


def test_ipv6_check_goes_over_ipv6(
    http_server: LoopbackServer, http6_server: LoopbackServer
) -> None:
    http6_server.default = Reply(body="Your IP address is: 2001:db8:1:2::7")
    http_server.default = Reply(body="2001:db8:1:2::8")
    factory = Factory()
    options = Options(
        checkip_ipv4=(http_server.url,),
        checkip_ipv6=(http_server.url, http6_server.url),
    )
    found = addresses.detect(options, ["ipv4", "ipv6"], factory)

    assert found["ipv6"].address == "2001:db8:1:2::7"
    assert found["ipv6"].source == http6_server.url
    # The IPv4-only server cannot be reached over IPv6 at all.
    assert http_server.requests and all(r.path == "/" for r in http_server.requests)
    assert len(http_server.requests) == 1
    assert found["ipv4"].address is None
    assert factory.calls == 1


# --- fixed addresses ---------------------------------------------------------


def test_fixed_addresses_need_no_http() -> None:
    factory = Factory()
    options = Options(ipv4_address="198.51.100.7", ipv6_address="2001:DB8::0:7")
    found = addresses.detect(options, ["ipv4", "ipv6"], factory)

    assert found["ipv4"] == addresses.Detection(
        "ipv4", "198.51.100.7", "ipv4_address", []
    )
    assert found["ipv6"].address == "2001:db8::7"
    assert factory.calls == 0


def detect_in_a_new_process(
    options: Options, families: list[str], prefix: tuple[str, ...] = ()
) -> dict[str, object]:
    """What detect() finds in a fresh interpreter, and which libraries it loaded."""
    code = (
        "import json, sys\n"
        "from types import SimpleNamespace\n"
        "from ddns import addresses\n"
        "options = SimpleNamespace(**json.loads(sys.argv[1]))\n"
        "found = addresses.detect(options, sys.argv[2:], None)\n"
        "result = {f: [d.address, d.source] for f, d in found.items()}\n"
        "result['loaded'] = sorted({'requests', 'urllib3', 'dns'} & set(sys.modules))\n"
        "print(json.dumps(result))\n"
    )
    out = subprocess.run(
        [*prefix, sys.executable, "-c", code, json.dumps(asdict(options)), *families],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent.parent,
    ).stdout
    return json.loads(out)


def test_fixed_addresses_never_load_the_http_library() -> None:
    options = Options(
        ipv4_address="198.51.100.7",
        ipv6_address="2001:db8::7",
        checkip_ipv4=("https://checkip4.example.net",),
        checkip_ipv6=("https://checkip6.example.net",),
    )
    assert detect_in_a_new_process(options, ["ipv4", "ipv6"]) == {
        "ipv4": ["198.51.100.7", "ipv4_address"],
        "ipv6": ["2001:db8::7", "ipv6_address"],
        "loaded": [],
    }


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (
            "ipv4_address",
            "10.0.0.1",
            "[config], ipv4_address: 10.0.0.1 cannot be published: private address",
        ),
        (
            "ipv4_address",
            "100.72.13.5",
            "[config], ipv4_address: 100.72.13.5 cannot be published: "
            "shared address space (carrier-grade NAT)",
        ),
        (
            "ipv4_address",
            "2001:db8::7",
            "[config], ipv4_address: 2001:db8::7 is not an IPv4 address",
        ),
        (
            "ipv6_address",
            "fd00::7",
            "[config], ipv6_address: fd00::7 cannot be published: unique local address",
        ),
        (
            "ipv6_address",
            "home.example.net",
            "[config], ipv6_address: home.example.net is not an IPv6 address",
        ),
        (
            "ipv6_address",
            "2001:db8::1%eth0",
            "[config], ipv6_address: 2001:db8::1%eth0 cannot be published: "
            "scoped address (%eth0)",
        ),
        # Quoted as typed, not in the normalised form ::ffff:c000:201.
        (
            "ipv6_address",
            "::FFFF:192.0.2.1",
            "[config], ipv6_address: ::FFFF:192.0.2.1 cannot be published: "
            "IPv4-mapped address",
        ),
        (
            "ipv6_address",
            "FE80:0000::0001",
            "[config], ipv6_address: FE80:0000::0001 cannot be published: "
            "link-local address",
        ),
    ],
)
def test_unusable_fixed_address_is_a_configuration_error(
    key: str, value: str, message: str
) -> None:
    options = Options(**{key: value})
    family = key.split("_")[0]
    with pytest.raises(errors.ConfigurationError) as caught:
        addresses.detect(options, [family], Factory())
    assert str(caught.value) == message
    assert caught.value.section == "config"
    assert caught.value.key == key


# --- IPFire's red address file -----------------------------------------------


def with_red_file(
    tmp_path: Path, content: str, guess: bool, checkip: tuple[str, ...] = ()
) -> Options:
    red = tmp_path / "local-ipaddress"
    red.write_text(content)
    return Options(
        guess_external_ip=guess, red_address_file=str(red), checkip_ipv4=checkip
    )


@pytest.mark.parametrize(
    "content", ["198.51.100.7", "198.51.100.7\n", " 198.51.100.7\r\n"]
)
def test_red_file_is_used_when_not_guessing(tmp_path: Path, content: str) -> None:
    factory = Factory()
    options = with_red_file(tmp_path, content, guess=False)

    found = addresses.detect(options, ["ipv4"], factory)

    assert found["ipv4"] == addresses.Detection(
        "ipv4", "198.51.100.7", options.red_address_file, []
    )
    assert factory.calls == 0


def test_red_file_is_ignored_when_guessing(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    http_server.default = Reply(body="203.0.113.5")
    options = with_red_file(tmp_path, "198.51.100.7", True, (http_server.url,))
    found = addresses.detect(options, ["ipv4"], Factory())
    assert found["ipv4"].address == "203.0.113.5"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("100.72.13.5", "holds 100.72.13.5: shared address space (carrier-grade NAT)"),
        ("192.168.0.2\n", "holds 192.168.0.2: private address"),
        ("", "holds no IPv4 address"),
    ],
)
def test_unusable_red_address_falls_back_to_the_check_service(
    tmp_path: Path, http_server: LoopbackServer, content: str, problem: str
) -> None:
    http_server.default = Reply(body="Your IP address is: 203.0.113.5")
    options = with_red_file(tmp_path, content, False, (http_server.url,))
    found = addresses.detect(options, ["ipv4"], Factory())

    assert found["ipv4"].address == "203.0.113.5"
    assert found["ipv4"].problems == [f"{options.red_address_file} {problem}"]


def test_red_file_is_only_for_ipv4(tmp_path: Path) -> None:
    options = with_red_file(tmp_path, "198.51.100.7", guess=False)
    found = addresses.detect(options, ["ipv6"], Factory())
    assert found["ipv6"].address is None
    assert found["ipv6"].problems == ["no check service for IPv6 is configured"]


# --- network interfaces (field failures 10, 11, 12) --------------------------


def ip_json(*entries: dict[str, object]) -> str:
    """What `ip -j addr show dev red0` prints for an interface with `entries`."""
    return json.dumps(
        [
            {
                "ifindex": 3,
                "ifname": "red0",
                "flags": ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"],
                "mtu": 1500,
                "operstate": "UP",
                "addr_info": list(entries),
            }
        ]
    )


def inet(local: str, prefixlen: int = 24, **flags: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "family": "inet",
        "local": local,
        "prefixlen": prefixlen,
        "scope": "global",
        "label": "red0",
        "valid_life_time": 4294967295,
        "preferred_life_time": 4294967295,
    }
    entry.update(flags)
    return entry


def inet6(
    local: str, preferred: int = 4294967295, scope: str = "global", **flags: object
) -> dict[str, object]:
    entry: dict[str, object] = {
        "family": "inet6",
        "local": local,
        "prefixlen": 64,
        "scope": scope,
    }
    entry.update(flags)
    entry["valid_life_time"] = max(preferred, 3600)
    entry["preferred_life_time"] = preferred
    return entry


def pick(output: str, family: str) -> str | None:
    return addresses.pick_interface_address(
        addresses.interface_addresses(output), family
    )[0]


def test_a_scoped_interface_address_is_not_published() -> None:
    output = ip_json(inet6("2001:db8:abcd::5%red0"), inet6("2001:db8:abcd::6"))
    address, skipped = addresses.pick_interface_address(
        addresses.interface_addresses(output), "ipv6"
    )
    assert address == "2001:db8:abcd::6"
    assert skipped == ["2001:db8:abcd::5%red0 (scoped address (%red0))"]


def test_a_scoped_link_local_interface_address_is_not_published() -> None:
    output = ip_json(inet6("fe80::1%eth0", scope="link"))
    address, skipped = addresses.pick_interface_address(
        addresses.interface_addresses(output), "ipv6"
    )
    assert address is None
    assert skipped == ["fe80::1%eth0 (scoped address (%eth0))"]


def test_cgnat_interface_address_is_not_published() -> None:
    # Field failure 10: WAN 100.72.13.5/10 and 2001:db8:abcd::5/64.
    output = ip_json(inet("100.72.13.5", 10), inet6("2001:db8:abcd::5"))
    address, skipped = addresses.pick_interface_address(
        addresses.interface_addresses(output), "ipv4"
    )
    assert address is None
    assert skipped == ["100.72.13.5 (shared address space (carrier-grade NAT))"]
    assert pick(output, "ipv6") == "2001:db8:abcd::5"


def test_ula_is_never_chosen_over_the_global_address() -> None:
    # Field failure 11: Linux lists ULAs with scope global.
    output = ip_json(
        inet6("fd12:3456:789a:1::5", 86400, dynamic=True, mngtmpaddr=True),
        inet6("2001:db8:1:1::5", 86400, dynamic=True, mngtmpaddr=True),
        inet6("fe80::5", scope="link"),
    )
    assert pick(output, "ipv6") == "2001:db8:1:1::5"


FIELD_FAILURE_12 = (
    inet6(
        "2001:db8:aaaa:1:1111:2222:3333:4444",
        0,
        deprecated=True,
        dynamic=True,
        noprefixroute=True,
    ),
    inet6("2001:db8:bbbb:1:5555:6666:7777:8888", 1399, temporary=True, dynamic=True),
    inet6(
        "2001:db8:bbbb:1:1111:2222:3333:4444",
        604794,
        dynamic=True,
        mngtmpaddr=True,
        noprefixroute=True,
    ),
    inet6("fe80::1111:2222:3333:4444", scope="link"),
)


def test_stable_address_of_the_new_prefix_is_chosen() -> None:
    # Field failure 12: not the deprecated old prefix, not the temporary one.
    assert pick(ip_json(*FIELD_FAILURE_12), "ipv6") == (
        "2001:db8:bbbb:1:1111:2222:3333:4444"
    )


def test_only_deprecated_addresses_left_publishes_nothing() -> None:
    output = ip_json(FIELD_FAILURE_12[0], FIELD_FAILURE_12[3])
    address, skipped = addresses.pick_interface_address(
        addresses.interface_addresses(output), "ipv6"
    )
    assert address is None
    assert skipped == [
        "2001:db8:aaaa:1:1111:2222:3333:4444 (deprecated or not yet usable)",
        "fe80::1111:2222:3333:4444 (link-local address)",
    ]


def test_temporary_address_only_when_no_stable_one_exists() -> None:
    output = ip_json(FIELD_FAILURE_12[0], FIELD_FAILURE_12[1])
    assert pick(output, "ipv6") == "2001:db8:bbbb:1:5555:6666:7777:8888"


def test_tentative_address_is_not_used() -> None:
    output = ip_json(inet6("2001:db8:cccc::9", tentative=True), inet6("2001:db8::5"))
    assert pick(output, "ipv6") == "2001:db8::5"


def test_primary_ipv4_address_before_secondary() -> None:
    output = ip_json(
        inet("192.168.0.2"),
        inet("198.51.100.9", secondary=True),
        inet("198.51.100.8"),
    )
    assert pick(output, "ipv4") == "198.51.100.8"


def test_interface_without_addresses() -> None:
    assert pick(ip_json(), "ipv4") is None
    assert pick("[]", "ipv6") is None


def test_unknown_interface_is_a_problem_not_a_crash(
    http_server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    http_server.default = Reply(body="198.51.100.7")
    name = "nx" + uuid.uuid4().hex[:8]
    options = Options(
        interface=name,
        checkip_ipv4=(http_server.url,),
        checkip_ipv6=(http_server.url,),
    )
    with caplog.at_level("WARNING", logger="ddns"):
        found = addresses.detect(options, ["ipv4", "ipv6"], Factory(), "/x/ddns.conf")

    # IPv4 falls back to the check service (the interface may sit behind NAT).
    assert found["ipv4"].address == "198.51.100.7"
    assert found["ipv4"].problems[0] == f"interface {name} does not exist"
    # IPv6 does not: a check service would see a temporary address. An
    # interface that is not there (ppp0 while the link is down) says nothing
    # about the address published.
    assert found["ipv6"] == addresses.Detection(
        "ipv6", None, "", [f"interface {name} does not exist"]
    )
    assert len(http_server.requests) == 1
    assert [r.getMessage() for r in caplog.records] == [
        f"/x/ddns.conf, [config], interface: interface {name} does not exist",
        f"IPv4 address 198.51.100.7 taken from {http_server.url} instead",
    ]


def test_an_interface_without_the_family_establishes_its_absence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, http_server: LoopbackServer
) -> None:
    http_server.default = Reply(body="no address")
    red0 = tests.interfaces
    red0.fake_interface(tmp_path, monkeypatch, red0.inet6("fe80::1"))
    options = Options(interface="red0", checkip_ipv4=(http_server.url,))
    found = addresses.detect(options, ["ipv4", "ipv6"], Factory())
    assert found["ipv4"].absent and found["ipv6"].absent
    # A private IPv4 address (behind NAT), a global IPv6 address still in
    # duplicate address detection: an address may be there, just not found.
    red0.fake_interface(
        tmp_path,
        monkeypatch,
        red0.inet("192.168.1.2"),
        red0.inet6("2001:db8::2", tentative=True),
    )
    found = addresses.detect(options, ["ipv4", "ipv6"], Factory())
    assert not found["ipv4"].absent and not found["ipv6"].absent


class NoRoute:
    """A client on a machine without a route of the family."""

    def get(self, url: str, family: str | None = None) -> object:
        raise errors.NoRouteError(f"cannot reach {url}: network is unreachable")


def test_no_route_to_any_check_service_is_offline_not_absent() -> None:
    options = Options(checkip_ipv6=("https://a.example/", "https://b.example/"))
    found = addresses.detect(options, ["ipv6"], NoRoute)  # type: ignore[arg-type]
    assert found["ipv6"].offline
    assert not found["ipv6"].absent


@pytest.fixture
def namespace() -> Iterator[str]:
    """A network namespace with an interface red0 (a dummy, else a veth pair)."""
    if os.geteuid() != 0:
        pytest.skip("creating a network namespace needs root")
    name = "ddns-test-" + uuid.uuid4().hex[:8]

    def ip(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["ip", "-n", name, *args], capture_output=True, text=True, check=False
        )

    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        # Containers often lack the dummy module; a veth pair is as real.
        if ip("link", "add", "red0", "type", "dummy").returncode != 0:
            created = ip("link", "add", "red0", "type", "veth", "peer", "name", "red0p")
            assert created.returncode == 0, created.stderr
            ip("link", "set", "red0p", "up")
        ip("link", "set", "red0", "up")
        for args in (
            ["addr", "add", "100.72.13.5/10", "dev", "red0"],
            ["addr", "add", "198.51.100.9/24", "dev", "red0"],
            ["-6", "addr", "add", "fd12:3456:789a:1::5/64", "dev", "red0", "nodad"],
            [
                "-6",
                "addr",
                "add",
                "2001:db8:aaaa:1:1111:2222:3333:4444/64",
                "dev",
                "red0",
                "nodad",
                "preferred_lft",
                "0",
                "valid_lft",
                "3600",
            ],
            [
                "-6",
                "addr",
                "add",
                "2001:db8:bbbb:1:1111:2222:3333:4444/64",
                "dev",
                "red0",
                "nodad",
                "mngtmpaddr",
                "preferred_lft",
                "604794",
                "valid_lft",
                "2592000",
            ],
        ):
            done = ip(*args)
            assert done.returncode == 0, (args, done.stderr)
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], check=False)


def test_real_interface_in_a_network_namespace(namespace: str) -> None:
    found = detect_in_a_new_process(
        Options(interface="red0"), ["ipv4", "ipv6"], ("ip", "netns", "exec", namespace)
    )
    assert found == {
        "ipv4": ["198.51.100.9", "interface red0"],
        "ipv6": ["2001:db8:bbbb:1:1111:2222:3333:4444", "interface red0"],
        "loaded": [],
    }


def test_unusable_fixed_address_stops_the_run_naming_the_file(
    tmp_path: Path, http_server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    conf = tmp_path / "ddns.conf"
    conf.write_text(
        "[config]\n"
        "ipv4_address = 100.72.13.5\n"
        f"database = {tmp_path / 'ddns.db'}\n"
        "[home.example.net]\n"
        "provider = dyndns2\n"
        f"url = {http_server.url}/nic/update\n"
        "username = alice\n"
        "password = s3cret\n"
        "protocols = ipv4\n"
    )
    assert cli.main(["-c", str(conf), "update-all"]) == 2
    assert (
        f"{conf}, [config], ipv4_address: 100.72.13.5 cannot be published: "
        "shared address space (carrier-grade NAT)"
    ) in capsys.readouterr().err
    assert http_server.requests == []
