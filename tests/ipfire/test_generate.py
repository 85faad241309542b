"""ddns.conf generated from the page's files."""

from __future__ import annotations

import configparser
import os
import stat
from pathlib import Path

import pytest

from ddns.ipfire import files, generate, hosts, settings
from ddns.ipfire.hosts import Host
from ddns.ipfire.settings import Settings
from tests.ipfire.tree import NSUPDATE_SECTION, ipfire_tree

pytestmark = pytest.mark.usefixtures("shapes")

TRICKY = [
    "plain",
    "p#ss,w\\=rd%x",
    "inner  blanks",
    "'single\"double'",
    '"quoted"',
    "%(interpolation)s",
    "; not a comment",
    "[not a section]",
    "é ü ß",
]


def read_back(text: str) -> configparser.RawConfigParser:
    """ddns.conf as the client reads it: values verbatim, as RawConfigParser."""
    parser = configparser.RawConfigParser()
    parser.read_string(text)
    return parser


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(files.ROOT_ENV, str(tmp_path))
    return ipfire_tree(tmp_path)


@pytest.mark.parametrize(
    ("source", "expected"), [("RED_IP", "false"), ("FETCH_IP", "true"), ("", "false")]
)
def test_address_source(source: str, expected: str) -> None:
    conf = read_back(generate.render(Settings({"BEHINDROUTER": source}), [], {}))

    assert conf["config"]["guess_external_ip"] == expected


def test_upstream_proxy_with_credentials_is_a_url() -> None:
    proxy = {
        "UPSTREAM_PROXY": "192.0.2.1:3128",
        "UPSTREAM_USER": "proxy user",
        "UPSTREAM_PASSWORD": "p@ss:w/rd",
    }

    conf = read_back(generate.render(Settings(), [], proxy))

    assert (
        conf["config"]["proxy"] == "http://proxy%20user:p%40ss%3Aw%2Frd@192.0.2.1:3128"
    )


def test_no_upstream_proxy_no_proxy_line() -> None:
    conf = read_back(generate.render(Settings(), [], {"UPSTREAM_USER": "x"}))

    assert "proxy" not in conf["config"]


def test_ipv6_choice_limits_the_families() -> None:
    host = Host("token-or-login.test", "nas.example.com", True, {"token": "t"})

    off = read_back(generate.render(Settings({"IPV6": "off"}), [host], {}))
    on = read_back(generate.render(Settings({"IPV6": "on"}), [host], {}))

    assert off["nas.example.com"]["protocols"] == "ipv4"
    assert "protocols" not in on["nas.example.com"]


def test_only_enabled_known_and_first_hosts_are_written() -> None:
    listed = [
        Host("token-only.test", "a.example.org", True, {"token": "first"}),
        Host("token-only.test", "b.example.org", False, {"token": "off"}),
        Host("gone.example", "c.example.org", True, {"username": "u", "password": "p"}),
        Host("token-only.test", "a.example.org", True, {"token": "second"}),
    ]

    conf = read_back(generate.render(Settings(), listed, {}))

    assert conf.sections() == ["config", "a.example.org"]
    assert dict(conf["a.example.org"]) == {
        "provider": "token-only.test",
        "token": "first",
        "protocols": "ipv4",
    }


def test_settings_a_provider_does_not_know_stay_out() -> None:
    # An old he.net-like line carries a username the provider has no use for.
    (host,) = hosts.parse_hosts("password-only.test,h,example.net,,,bob,key,on\n", {})

    conf = read_back(generate.render(Settings(), [host], {}))

    assert dict(conf["h.example.net"]) == {
        "provider": "password-only.test",
        "password": "key",
        "protocols": "ipv4",
    }


def test_dyndns2_url_from_the_side_file_is_written() -> None:
    host = Host(
        "dyndns2",
        "home.example.net",
        True,
        {"username": "u", "password": "p", "url": "http://127.0.0.1:8080/nic/update"},
    )

    conf = read_back(generate.render(Settings(), [host], {}))

    assert conf["home.example.net"]["url"] == "http://127.0.0.1:8080/nic/update"


def test_write_conf_uses_the_saved_choice_and_mode_0600(root: Path) -> None:
    settings.write(str(root / "var/ipfire/ddns/settings"), {"BEHINDROUTER": "FETCH_IP"})
    (root / "var/ipfire/ddns/config").write_text(
        "dyndns2,home,example.net,,,alice,pw,on\n"
    )
    (root / "var/ipfire/ddns/hosts.conf").write_text(
        "[home.example.net]\nurl = https://dyn.example.net/nic/update\n"
    )

    path = generate.regenerate()

    assert path == str(root / "var/ipfire/ddns/ddns.conf")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    conf = read_back(Path(path).read_text())
    assert conf["config"]["guess_external_ip"] == "true"
    assert conf["config"]["database"] == str(root / "var/lib/ddns.db")
    assert conf["config"]["red_address_file"] == str(
        root / "var/ipfire/red/local-ipaddress"
    )
    assert dict(conf["home.example.net"]) == {
        "provider": "dyndns2",
        "username": "alice",
        "password": "pw",
        "url": "https://dyn.example.net/nic/update",
        "protocols": "ipv4",
    }
    assert [
        p.name
        for p in (root / "var/ipfire/ddns").iterdir()
        if p.name.startswith(".tmp")
    ] == []


def test_without_root_no_paths_are_written(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(files.ROOT_ENV, raising=False)

    conf = read_back(generate.render(Settings(), [], {}))

    assert list(conf["config"]) == ["guess_external_ip"]


@pytest.mark.parametrize(
    "password", ["two\nlines", " leading", "trailing ", "form\x0cfeed", "line\u2028sep"]
)
def test_a_value_ddns_conf_cannot_hold_leaves_the_host_out(password: str) -> None:
    listed = [
        Host(
            "dyndns2", "bad.example.net", True, {"username": "u", "password": password}
        ),
        Host("token-only.test", "good.example.net", True, {"token": "t"}),
    ]

    conf = read_back(generate.render(Settings(), listed, {}))

    assert generate.value_problem(password) is not None
    assert conf.sections() == ["config", "good.example.net"]


@pytest.mark.parametrize("password", TRICKY)
def test_the_client_reads_back_what_was_written(password: str) -> None:
    from ddns import config

    host = Host(
        "dyndns2",
        "home.example.net",
        True,
        {"username": "alice", "password": password, "url": "https://dyn.example.net/u"},
    )
    proxy = {
        "UPSTREAM_PROXY": "192.0.2.1:3128",
        "UPSTREAM_USER": "u",
        "UPSTREAM_PASSWORD": "p@ss",
    }

    loaded = config.parse(
        generate.render(Settings({"BEHINDROUTER": "FETCH_IP"}), [host], proxy),
        "ddns.conf",
    )

    assert loaded.options.guess_external_ip is True
    assert loaded.options.proxy == "http://u:p%40ss@192.0.2.1:3128"
    (read,) = loaded.hosts
    assert read.hostname == "home.example.net"
    assert read.families == ("ipv4",)
    assert read.settings == {
        "provider": "dyndns2",
        "username": "alice",
        "password": password,
        "url": "https://dyn.example.net/u",
        "protocols": "ipv4",
    }


def test_a_host_the_client_would_refuse_costs_only_that_host() -> None:
    from ddns import config

    listed = hosts.parse_hosts(
        "dyndns.org,single,,,,u,p,on\n"  # the original allowed a name without a domain
        "dyndns2,nourl,example.net,,,u,p,on\n"  # dyndns2 needs a url
        "dyndns.org,good,example.net,,,u,p,on\n"
        "dyndns.org,GOOD,example.net,,,u,p,on\n",  # the same host again
        {},
    )

    text = generate.render(Settings(), listed, {})

    assert [h.hostname for h in config.parse(text, "ddns.conf").hosts] == [
        "good.example.net"
    ]


def test_nsupdate_settings_from_both_files_reach_the_client(root: Path) -> None:
    from ddns import config

    (root / "var/ipfire/ddns/config").write_text(
        "nsupdate,gw,example.org,,,hmac-sha256:gwkey,c2VjcmV0,on\n"
    )
    (root / "var/ipfire/ddns/hosts.conf").write_text(
        "[gw.example.org]\nserver = ns1.example.org\nzone = example.org\nttl = 60\n"
    )

    (read,) = config.load(generate.regenerate()).hosts

    assert read.settings == NSUPDATE_SECTION
