"""The 8-field host list: old files load as they were, new values round-trip."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ddns import errors
from ddns.ipfire import hosts
from ddns.ipfire.hosts import Host

pytestmark = pytest.mark.usefixtures("shapes")

# Lines as the original page wrote them.
OLD_FILE = (
    "dyndns2,home,example.net,,,alice,s3cr%et,on\n"
    "token-only.test,fw,example.org,,,,0123abcd,off\n"
    "nsupdate,gw,example.org,,,hmac-sha256:gwkey,c2VjcmV0,on\n"
    "token-or-login.test,nas,example.com,,,,tok%25en,on\n"
    "password-only.test,single,,,,bob,hekey,on\n"
)


def test_old_lines_load_literally() -> None:
    loaded = hosts.parse_hosts(OLD_FILE, {})

    assert [(h.provider, h.fqdn, h.enabled) for h in loaded] == [
        ("dyndns2", "home.example.net", True),
        ("token-only.test", "fw.example.org", False),
        ("nsupdate", "gw.example.org", True),
        ("token-or-login.test", "nas.example.com", True),
        ("password-only.test", "single", True),
    ]
    assert loaded[0].settings == {"username": "alice", "password": "s3cr%et"}
    assert loaded[1].settings == {"token": "0123abcd"}
    assert loaded[2].settings == {"key": "hmac-sha256:gwkey", "secret": "c2VjcmV0"}
    # No marker on the line: a percent sign is a percent sign.
    assert loaded[3].settings == {"token": "tok%25en"}
    # The old page demanded a username for every login provider.
    assert loaded[4].settings == {"username": "bob", "password": "hekey"}


def test_old_file_is_written_back_byte_for_byte() -> None:
    text, extra = hosts.format_hosts(hosts.parse_hosts(OLD_FILE, {}))

    assert text == OLD_FILE
    assert extra == {}


def test_legacy_token_in_username_field() -> None:
    # freedns.afraid.org and regfish.com lines kept the token as the username.
    (host,) = hosts.parse_hosts("token-only.test,a,example.org,,,tok,,on\n", {})

    assert host.settings == {"token": "tok"}


def test_old_setddns_fields_are_kept() -> None:
    line = "dyndns2,home,example.net,on,off,alice,pw,on\n"

    text, _ = hosts.format_hosts(hosts.parse_hosts(line, {}))

    assert text == line


def test_old_line_broken_by_a_comma_gives_the_surplus_to_the_password() -> None:
    (host,) = hosts.parse_hosts("dyndns2,home,example.net,,,alice,pa,ss,on\n", {})

    assert host.settings == {"username": "alice", "password": "pa,ss"}
    assert host.enabled


@pytest.mark.parametrize(
    "password",
    ["a,b", "line\nbreak", "cr\rlf", "100%", "%2C", "%", ",%,\n", "%zz", " spaced "],
)
def test_special_values_round_trip(password: str) -> None:
    host = Host(
        "dyndns2", "home.example.net", True, {"username": "u,1", "password": password}
    )

    text, extra = hosts.format_hosts([host])
    (again,) = hosts.parse_hosts(text, extra)

    assert again == host
    assert text.count("\n") == 1
    assert len(text.rstrip("\n").split(",")) == 8


def test_marked_line_keeps_wio_fields_readable() -> None:
    host = Host(
        "dyndns2", "home.example.net", False, {"username": "a", "password": "x,y"}
    )

    text, _ = hosts.format_hosts([host])
    fields = text.rstrip("\n").split(",")

    # wio.cgi reads hostname, domain and enabled by position.
    assert (fields[1], fields[2], fields[7]) == ("home", "example.net", "off")
    assert fields[4] == hosts.ENCODED_MARKER
    assert fields[6] == "x%2Cy"


def test_unmarked_lines_are_not_marked_needlessly() -> None:
    host = Host(
        "dyndns2", "home.example.net", True, {"username": "a", "password": "50%"}
    )

    text, _ = hosts.format_hosts([host])

    assert text == "dyndns2,home,example.net,,,a,50%,on\n"


def test_extra_settings_go_to_the_side_file_and_come_back(tmp_path: Path) -> None:
    config = os.path.join(str(tmp_path), "config")
    extra = os.path.join(str(tmp_path), "hosts.conf")
    saved = [
        Host(
            "dyndns2",
            "home.example.net",
            True,
            {
                "username": "alice",
                "password": "pw",
                "url": "https://dyn.example.net/nic/update",
            },
        ),
        Host(
            "nsupdate",
            "gw.example.org",
            True,
            {
                "key": "gwkey",
                "secret": "c2VjcmV0",
                "server": "ns1.example.org",
                "zone": "example.org",
                "ttl": "60",
            },
        ),
        Host("token-or-login.test", "nas.example.com", True, {"password": "only # pw"}),
    ]

    hosts.save(saved, config, extra)

    with open(config) as f:
        assert f.read() == (
            "dyndns2,home,example.net,,,alice,pw,on\n"
            "nsupdate,gw,example.org,,,gwkey,c2VjcmV0,on\n"
            # A lone password would read back as a token: it goes to the side file.
            "token-or-login.test,nas,example.com,,,,,on\n"
        )
    assert hosts.load(config, extra) == saved
    assert oct(os.stat(extra).st_mode & 0o777) == "0o600"


def test_missing_files_are_an_empty_list(tmp_path: Path) -> None:
    assert hosts.load(f"{tmp_path}/config", f"{tmp_path}/hosts.conf") == []


def test_rewrite_keeps_the_mode_of_the_existing_file(tmp_path: Path) -> None:
    config = os.path.join(str(tmp_path), "config")
    with open(config, "w") as f:
        f.write(OLD_FILE)
    os.chmod(config, 0o644)

    hosts.save(
        hosts.load(config, f"{tmp_path}/hosts.conf"), config, f"{tmp_path}/hosts.conf"
    )

    assert os.stat(config).st_mode & 0o777 == 0o644


# Values a tester found cut short or refused when configobj quoted them.
AWKWARD_VALUES = (
    'sk"""#\'tail',
    'http://127.0.0.1:8482/good?a="""#\'b',
    "a'''b\"\"\"c",
    '"""starts with three quotes',
    "'quoted'",
    "# not a comment",
    "a,b",
)


@pytest.mark.parametrize("value", AWKWARD_VALUES)
def test_side_file_gives_back_every_value_exactly(tmp_path: Path, value: str) -> None:
    config, extra = f"{tmp_path}/config", f"{tmp_path}/hosts.conf"
    saved = [Host("dyndns2", "home.example.net", True, {"url": value, "x": value})]

    hosts.save(saved, config, extra)

    assert hosts.load(config, extra) == saved


def test_side_file_of_the_quoting_version_still_loads(tmp_path: Path) -> None:
    config, extra = f"{tmp_path}/config", f"{tmp_path}/hosts.conf"
    with open(config, "w") as f:
        f.write("dyndns2,home,example.net,,,alice,pw,on\n")
    with open(extra, "w") as f:
        f.write('[home.example.net]\nurl = "https://dyn.example.net/?a=#b"\n')

    (host,) = hosts.load(config, extra)

    assert host.settings["url"] == "https://dyn.example.net/?a=#b"


def test_a_value_the_side_file_cannot_hold_is_refused_by_name(tmp_path: Path) -> None:
    host = Host("dyndns2", "home.example.net", True, {"url": "https://x.example/ "})

    with pytest.raises(errors.ConfigurationError) as raised:
        hosts.save([host], f"{tmp_path}/config", f"{tmp_path}/hosts.conf")

    assert "[home.example.net], url" in str(raised.value)
    assert not os.path.exists(f"{tmp_path}/hosts.conf")
