"""ddns.conf: literal values, options, host sections and their errors."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ddns import config
from ddns.addresses import fixed_address
from ddns.errors import ConfigurationError
from ddns.providers import registry
from ddns.providers.dyndns2 import DynDNS2Provider
from ddns.redact import redact

HOST = """
[host.example.com]
provider = dyndns2
url = https://dyn.example.net/nic/update
username = user
"""


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "ddns.conf"
    path.write_text(text, encoding="utf-8")
    return str(path)


def load(tmp_path: Path, text: str) -> config.Config:
    return config.load(write(tmp_path, text))


def error(tmp_path: Path, text: str) -> ConfigurationError:
    """The error that stops loading, or that of the one unusable host section.

    An error in [config] or in the file's syntax stops the load; one in a
    host section puts that host aside and the others load.
    """
    try:
        loaded = load(tmp_path, text)
    except ConfigurationError as exc:
        return exc
    assert len(loaded.broken) == 1
    ((section, caught),) = loaded.broken.items()
    assert caught.section == section
    assert all(host.display_name != section for host in loaded.hosts)
    return caught


@pytest.fixture
def token_provider() -> Iterator[str]:
    """A provider that takes a token or username and password."""

    class TokenProvider(DynDNS2Provider):
        handle = "token.test"
        name = "Token test"
        protocols = ("ipv4",)
        url = "https://token.test/update"
        credentials = (("token",), ("username", "password"))
        optional = ("ttl",)

    yield TokenProvider.handle
    registry().pop(TokenProvider.handle)


# Field failure 7: values are literal, as the original's web page wrote them.


@pytest.mark.parametrize(
    "written",
    [
        "p#ss,w\\=rd%x",
        "pa%ss#word ; tail",
        '"secret"',
        "'secret'",
        '"abc',
        "it's",
        "x\\'y",
        "a # b",
        '"""triple"""',
        "%(here)s",
        "a&b=c",
        "a\fb\u2028c",
    ],
)
def test_password_is_taken_literally(tmp_path: Path, written: str) -> None:
    loaded = load(tmp_path, HOST + f"password = {written}\n")
    assert loaded.hosts[0].settings["password"] == written


def test_blanks_around_a_value_are_dropped(tmp_path: Path) -> None:
    loaded = load(tmp_path, HOST + "password =   spaced out  \n")
    assert loaded.hosts[0].settings["password"] == "spaced out"


def test_comment_lines_keys_case_and_colon_as_the_original(tmp_path: Path) -> None:
    text = (
        "# a comment\n; another\n[host.example.com]\nPROVIDER: dyndns2\n"
        "url = https://dyn.example.net/nic/update\n  # indented comment\n"
        "Username = user\npassword = a:b=c\n"
    )
    host = load(tmp_path, text).hosts[0]
    assert host.provider == "dyndns2"
    assert host.settings["username"] == "user"
    assert host.settings["password"] == "a:b=c"


@pytest.mark.parametrize(
    ("line", "key", "value"),
    [
        ("password = a=b = c", "password", "a=b = c"),
        ("password: a=b", "password", "a=b"),
        ("password = a:b", "password", "a:b"),
        # The first `=` or `:` ends the key, as RawConfigParser has it.
        ("Pass:word = x", "pass", "word = x"),
    ],
)
def test_the_first_equals_or_colon_ends_the_key(
    tmp_path: Path, line: str, key: str, value: str
) -> None:
    text = HOST + line + "\n" + ("" if key == "password" else "password = p\n")
    assert load(tmp_path, text).hosts[0].settings[key] == value


def test_a_value_opening_triple_quotes_keeps_the_next_lines_as_keys(
    tmp_path: Path,
) -> None:
    # configobj would read a multi-line string up to the next triple quotes.
    text = HOST + "password = '''abc\nprotocols = ipv4\ntoken = x'''\n"
    host = load(tmp_path, text).hosts[0]
    assert host.settings["password"] == "'''abc"
    assert host.settings["token"] == "x'''"
    assert host.families == ("ipv4",)


def test_a_comment_after_a_section_header_as_the_original(tmp_path: Path) -> None:
    text = HOST.replace("]", "] # at home") + "password = x\n"
    assert load(tmp_path, text).hosts[0].hostname == "host.example.com"


def test_quotes_around_names_are_dropped_unlike_the_original(tmp_path: Path) -> None:
    # RawConfigParser kept them, which made `["host.example.com"]` an invalid
    # host name and `"password"` an unknown key; configobj drops them.
    text = HOST.replace("[host.example.com]", '["host.example.com"]')
    host = load(tmp_path, text + '"password" = x\n').hosts[0]
    assert host.hostname == "host.example.com"
    assert host.settings["password"] == "x"


def test_an_indented_line_is_a_key_not_a_continuation(tmp_path: Path) -> None:
    # RawConfigParser appended it to the value above: password "x\nprotocols = ipv4".
    host = load(tmp_path, HOST + "password = x\n  protocols = ipv4\n").hosts[0]
    assert host.settings["password"] == "x"
    assert host.families == ("ipv4",)


def test_utf8_bom_and_unicode_values(tmp_path: Path) -> None:
    path = tmp_path / "ddns.conf"
    path.write_bytes(("\ufeff" + HOST + "password = pässwörd\n").encode("utf-8"))
    assert config.load(str(path)).hosts[0].settings["password"] == "pässwörd"


# A file as the original's web page wrote it (GenerateDDNSConfigFile): values
# raw, a token provider, nsupdate.info with its empty token line.
IPFIRE_FILE = """[config]
guess_external_ip = false
proxy = http://proxyuser:pr;xy%pw@192.0.2.1:3128

[home.example.org]
provider = dyndns.org
username = user
password = p#ss,w\\=rd%x ; "q'

[duck.duckdns.org]
provider = duckdns.org
token = 0a1b#2c3d

[ns.example.net]
provider = nsupdate.info
secret = s3cr=t:#1
token = \n"""


def test_a_file_of_the_original_web_page_loads_unchanged(tmp_path: Path) -> None:
    loaded = load(tmp_path, IPFIRE_FILE)
    assert loaded.options.guess_external_ip is False
    assert loaded.options.proxy == "http://proxyuser:pr;xy%pw@192.0.2.1:3128"
    assert [(h.hostname, h.settings) for h in loaded.hosts] == [
        (
            "home.example.org",
            {
                "provider": "dyndns.org",
                "username": "user",
                "password": "p#ss,w\\=rd%x ; \"q'",
            },
        ),
        ("duck.duckdns.org", {"provider": "duckdns.org", "token": "0a1b#2c3d"}),
        (
            "ns.example.net",
            {"provider": "nsupdate.info", "secret": "s3cr=t:#1", "token": ""},
        ),
    ]


def test_passwords_are_registered_as_secrets(tmp_path: Path) -> None:
    load(tmp_path, HOST + "password = p#ss,w\\=rd%x\n")
    assert redact("sent p#ss,w\\=rd%x and p%23ss%2Cw%5C%3Drd%25x") == (
        "sent ******** and ********"
    )


def test_proxy_password_is_registered_as_a_secret(tmp_path: Path) -> None:
    loaded = load(tmp_path, "[config]\nproxy = http://alice:proxy-pw@192.0.2.1:3128\n")
    assert loaded.options.proxy == "http://alice:proxy-pw@192.0.2.1:3128"
    assert "proxy-pw" not in redact(loaded.options.proxy)


# Global options.


def test_defaults_without_a_config_section(tmp_path: Path) -> None:
    options = load(tmp_path, HOST + "password = x\n").options
    assert options.guess_external_ip is True
    assert options.database == "/var/lib/ddns.db"
    assert options.lock_file == "/var/lib/ddns.lock"
    assert options.checkip_ipv4 == ("https://checkip4.ipfire.org",)
    assert options.checkip_ipv6 == ("https://checkip6.ipfire.org",)
    assert options.red_address_file == "/var/ipfire/red/local-ipaddress"
    assert options.concurrency == 16
    assert options.proxy is None


def test_every_option(tmp_path: Path) -> None:
    text = """
[config]
proxy = 192.0.2.1:3128
guess_external_ip = no
database = state/ddns.db
ipv4_address = 198.51.100.7
ipv6_address = 2001:DB8::7
checkip_ipv4 = https://a.example/ip, http://b.example/ip
checkip_ipv6 = https://c.example/ip
interface = red0
red_address_file = /run/red
concurrency = 4
"""
    options = load(tmp_path, text).options
    assert options.proxy == "http://192.0.2.1:3128"
    assert options.guess_external_ip is False
    assert options.database == str(tmp_path / "state" / "ddns.db")
    assert options.lock_file == str(tmp_path / "state" / "ddns.lock")
    assert options.ipv4_address == "198.51.100.7"
    # Kept as written for messages; what is sent is the normalised form.
    assert options.ipv6_address == "2001:DB8::7"
    assert fixed_address(options, "ipv6") == "2001:db8::7"
    assert options.checkip_ipv4 == ("https://a.example/ip", "http://b.example/ip")
    assert options.checkip_ipv6 == ("https://c.example/ip",)
    assert options.interface == "red0"
    assert options.red_address_file == "/run/red"
    assert options.concurrency == 4


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("guess_external_ip = maybe", "guess_external_ip"),
        ("ipv4_address = 2001:db8::1", "ipv4_address"),
        ("ipv6_address = 198.51.100.7", "ipv6_address"),
        ("ipv4_address = 300.1.1.1", "ipv4_address"),
        ("checkip_ipv4 = ftp://x.example/", "checkip_ipv4"),
        ("checkip_ipv6 =", "checkip_ipv6"),
        ("concurrency = 0", "concurrency"),
        ("concurrency = many", "concurrency"),
        ("proxy = socks5://192.0.2.1:1080", "proxy"),
        ("proxy = http://192.0.2.1:port", "proxy"),
        ("database =", "database"),
    ],
)
def test_bad_option_values_name_file_section_and_key(
    tmp_path: Path, line: str, key: str
) -> None:
    caught = error(tmp_path, f"[config]\n{line}\n")
    assert str(caught).startswith(f"{tmp_path / 'ddns.conf'}, [config], {key}: ")
    assert caught.section == "config"
    assert caught.key == key


@pytest.mark.parametrize(
    "value",
    [
        "garbage",
        "garbage:",
        "http://",
        "ftp://192.0.2.1:21",
        "socks5://192.0.2.1:1080",
        "http://bad host:3128",
        "http://proxy!.example:3128",
    ],
)
def test_a_proxy_that_is_no_proxy_url_is_refused(tmp_path: Path, value: str) -> None:
    caught = error(tmp_path, f"[config]\nproxy = {value}\n")
    assert str(caught) == (
        f"{tmp_path / 'ddns.conf'}, [config], proxy: must be a proxy URL such as "
        "http://192.0.2.1:3128"
    )


@pytest.mark.parametrize(
    ("value", "url"),
    [
        ("proxy.example:3128", "http://proxy.example:3128"),
        ("http://proxy.example", "http://proxy.example"),
        ("https://[2001:db8::1]:3128", "https://[2001:db8::1]:3128"),
    ],
)
def test_proxy_urls_taken(tmp_path: Path, value: str, url: str) -> None:
    assert load(tmp_path, f"[config]\nproxy = {value}\n").options.proxy == url


def test_unknown_keys_are_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="ddns"):
        load(
            tmp_path,
            "[config]\nguess_external_ips = no\n" + HOST + "pasword = x\n"
            "password = y\n",
        )
    path = tmp_path / "ddns.conf"
    assert [r.getMessage() for r in caplog.records] == [
        f"{path}, [config], guess_external_ips: unknown key, ignored; "
        "did you mean 'guess_external_ip'?",
        f"{path}, [host.example.com], pasword: unknown key, ignored; "
        "did you mean 'password'?",
    ]


def test_an_unknown_key_like_no_other_gets_no_suggestion(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="ddns"):
        load(tmp_path, "[config]\ncolour = blue\n")
    path = tmp_path / "ddns.conf"
    assert [r.getMessage() for r in caplog.records] == [
        f"{path}, [config], colour: unknown key, ignored"
    ]


# Host sections.


def test_unknown_provider(tmp_path: Path) -> None:
    caught = error(tmp_path, "[host.example.com]\nprovider = dyndns.invalid\n")
    assert str(caught).startswith(
        f"{tmp_path / 'ddns.conf'}, [host.example.com], provider: unknown provider"
    )


def test_missing_provider(tmp_path: Path) -> None:
    caught = error(tmp_path, "[host.example.com]\nusername = x\n")
    assert str(caught) == (
        f"{tmp_path / 'ddns.conf'}, [host.example.com]: provider is required"
    )


def test_missing_token_names_the_key_and_the_alternative(
    tmp_path: Path, token_provider: str
) -> None:
    caught = error(tmp_path, f"[home.example.net]\nprovider = {token_provider}\n")
    assert str(caught) == (
        f"{tmp_path / 'ddns.conf'}, [home.example.net]: token is required by "
        "token.test (or: username and password)"
    )


def test_one_complete_credential_set_is_enough(
    tmp_path: Path, token_provider: str
) -> None:
    text = (
        f"[home.example.net]\nprovider = {token_provider}\nusername = u\npassword = p\n"
    )
    assert load(tmp_path, text).hosts[0].settings["username"] == "u"


def test_empty_credentials_count_as_missing(tmp_path: Path) -> None:
    caught = error(tmp_path, HOST + "password =\n")
    assert str(caught).endswith("[host.example.com]: password is required by dyndns2")


def test_url_required_by_the_generic_provider(tmp_path: Path) -> None:
    caught = error(tmp_path, "[h.example.com]\nprovider = dyndns2\nusername = u\n")
    assert str(caught).endswith("[h.example.com]: url is required by dyndns2")


def test_url_must_be_http_or_https(tmp_path: Path) -> None:
    text = "[h.example.com]\nprovider = dyndns2\nurl = dyn.example.net\n"
    assert error(tmp_path, text).key == "url"


def test_cleartext_url_is_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    text = HOST.replace("https://", "http://") + "password = x\n"
    with caplog.at_level(logging.WARNING, logger="ddns"):
        load(tmp_path, text)
    assert "the update URL is not https" in caplog.text


@pytest.mark.parametrize(
    ("value", "families"),
    [
        ("", ("ipv4", "ipv6")),
        ("both", ("ipv4", "ipv6")),
        ("ipv4", ("ipv4",)),
        ("IPv6", ("ipv6",)),
        ("ipv6, ipv4", ("ipv4", "ipv6")),
    ],
)
def test_protocols_restrict_the_families(
    tmp_path: Path, value: str, families: tuple[str, ...]
) -> None:
    host = load(tmp_path, HOST + f"password = x\nprotocols = {value}\n").hosts[0]
    assert host.families == families


def test_protocols_outside_the_providers_families(
    tmp_path: Path, token_provider: str
) -> None:
    text = (
        f"[h.example.com]\nprovider = {token_provider}\ntoken = t\nprotocols = ipv6\n"
    )
    caught = error(tmp_path, text)
    assert caught.key == "protocols"
    assert str(caught).endswith("token.test does not update ipv6")


def test_bad_protocols_value(tmp_path: Path) -> None:
    assert error(tmp_path, HOST + "password = x\nprotocols = ip4\n").key == "protocols"


@pytest.mark.parametrize("value", ["off", "false", "no", "0"])
def test_disabled_hosts_are_skipped(tmp_path: Path, value: str) -> None:
    # No password: a disabled section is not checked, so it blocks no run.
    text = HOST + f"enabled = {value}\n"
    loaded = load(tmp_path, text)
    assert loaded.hosts == []
    assert loaded.disabled == ["host.example.com"]


def test_settings_keep_every_key_raw(tmp_path: Path) -> None:
    host = load(tmp_path, HOST + "password = x\nprotocols = ipv4\n").hosts[0]
    assert host.settings == {
        "provider": "dyndns2",
        "url": "https://dyn.example.net/nic/update",
        "username": "user",
        "password": "x",
        "protocols": "ipv4",
    }


def test_digest_follows_the_sections_content(tmp_path: Path) -> None:
    first = load(tmp_path, HOST + "password = x\n").hosts[0].digest
    again = load(tmp_path, HOST + "password = x\n").hosts[0].digest
    changed = load(tmp_path, HOST + "password = y\n").hosts[0].digest
    assert first == again
    assert first != changed


SECTION = {"provider": "dyndns2", "username": "user", "password": "abcd"}


def test_digest_cannot_be_used_to_test_password_guesses(tmp_path: Path) -> None:
    # The history holding the digest is world-readable; without the key, a
    # guessed password gives no digest to compare with.
    key_file = str(tmp_path / "ddns.key")
    stored = config.digest("h.example.net", SECTION, key_file)
    other_key = config.digest("h.example.net", SECTION, str(tmp_path / "other.key"))

    assert stored != other_key
    assert os.stat(key_file).st_mode & 0o777 == 0o600
    assert config.digest("h.example.net", SECTION, key_file) == stored
    changed = {**SECTION, "password": "abce"}
    assert config.digest("h.example.net", changed, key_file) != stored


def test_digest_without_the_key_leaves_secrets_out(tmp_path: Path) -> None:
    # A reader who cannot open the key (the page as nobody) sees other changes.
    missing = str(tmp_path / "no-such-dir" / "ddns.key")
    first = config.digest("h.example.net", SECTION, missing)
    guessed = config.digest("h.example.net", {**SECTION, "password": "x"}, missing)
    renamed = config.digest("h.example.net", {**SECTION, "username": "u2"}, missing)

    assert first == guessed
    assert first != renamed


# Structure errors.


def test_duplicate_sections_are_an_error(tmp_path: Path) -> None:
    caught = error(tmp_path, HOST + "password = x\n" + HOST + "password = x\n")
    assert str(caught).endswith("line 8: section [host.example.com] appears twice")


def test_duplicate_keys_are_an_error(tmp_path: Path) -> None:
    caught = error(tmp_path, HOST + "password = x\nPassword = y\n")
    assert str(caught).endswith("line 7: password appears twice")


def test_the_same_host_twice_after_idna_is_an_error(tmp_path: Path) -> None:
    second = HOST.replace("[host.example.com]", "[HOST.example.com.]")
    caught = error(tmp_path, HOST + "password = x\n" + second + "password = x\n")
    assert caught.section == "HOST.example.com."
    assert "[host.example.com]" in str(caught)


def test_a_line_without_a_key_names_its_number_not_its_content(
    tmp_path: Path,
) -> None:
    caught = error(tmp_path, HOST + "password = x\nsecret-looking-line\n")
    assert "line 7" in str(caught)
    assert "secret-looking-line" not in str(caught)


def test_keys_outside_a_section(tmp_path: Path) -> None:
    caught = error(tmp_path, "# x\nprovider = dyndns2\n")
    assert str(caught).endswith("line 2: provider is outside any section")


@pytest.mark.parametrize("line", ["[]", "[unclosed", "= value", "  continued"])
def test_malformed_lines(tmp_path: Path, line: str) -> None:
    caught = error(tmp_path, HOST + "password = x\n" + line + "\n")
    assert str(caught).endswith("line 7: expected [section] or key = value")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            HOST + "password = x\n[[sub]]\n",
            "line 7: expected [section]; sections do not nest",
        ),
        ("[[host.example.com]]\n", "line 1: expected [section] or key = value"),
        ("[host.example.com]]\n", "line 1: expected [section] or key = value"),
        (HOST + "password = x\n: value\n", "line 7: expected [section] or key = value"),
        (
            HOST + 'password = x\n"token = y\n',
            "line 7: expected [section] or key = value",
        ),
    ],
)
def test_sections_do_not_nest_and_names_are_whole(
    tmp_path: Path, text: str, message: str
) -> None:
    caught = error(tmp_path, text)
    assert str(caught) == f"{tmp_path / 'ddns.conf'}: {message}"


def test_a_duplicate_key_in_another_case_names_the_key_not_the_value(
    tmp_path: Path,
) -> None:
    caught = error(tmp_path, HOST + "password = x\nPASSWORD: hunter2\n")
    assert str(caught).endswith("line 7: password appears twice")
    assert "hunter2" not in str(caught)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as caught:
        config.load(str(tmp_path / "missing.conf"))
    assert str(caught.value) == (
        f"{tmp_path / 'missing.conf'}: the configuration file does not exist"
    )


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_file_that_is_not_utf8_names_the_line(tmp_path: Path, newline: bytes) -> None:
    path = tmp_path / "ddns.conf"
    text = HOST.encode().replace(b"\n", newline)
    path.write_bytes(text + b"password = caf\xe9" + newline + b"\xff" + newline)
    with pytest.raises(ConfigurationError) as caught:
        config.load(str(path))
    assert str(caught.value) == (
        f"{path}: line 6: byte 0xe9 is not UTF-8 text; save the file as UTF-8"
    )


def test_lines_end_as_in_the_original_whatever_the_newline(tmp_path: Path) -> None:
    path = tmp_path / "ddns.conf"
    path.write_bytes(
        b"\xef\xbb\xbf" + HOST.encode().replace(b"\n", b"\r") + b"password = x\r"
    )
    (host,) = config.load(str(path)).hosts
    assert host.settings["password"] == "x"
    assert host.settings["username"] == "user"


def test_an_empty_file_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as caught:
        config.load("")
    assert str(caught.value) == "the configuration file name is empty"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (os.mkfifo, "is a named pipe (FIFO), not a regular file"),
        (os.mkdir, "is a directory"),
    ],
)
def test_only_a_regular_file_is_read(
    tmp_path: Path, make: Callable[[str], None], message: str
) -> None:
    path = str(tmp_path / "ddns.conf")
    make(path)
    # A named pipe without a writer would block an open(); this returns at once.
    with pytest.raises(ConfigurationError) as caught:
        config.load(path)
    assert str(caught.value) == (
        f"{path}: the configuration file {message}; give the path of a file"
    )


def test_a_device_is_not_read() -> None:
    with pytest.raises(ConfigurationError) as caught:
        config.load("/dev/zero")
    assert str(caught.value) == (
        "/dev/zero: the configuration file is a device, not a regular file; "
        "give the path of a file"
    )


# Field failure 16: host names go to APIs and DNS as punycode (IDNA2008).


@pytest.mark.parametrize(
    ("section", "hostname"),
    [
        ("münchen.example", "xn--mnchen-3ya.example"),
        ("xn--mnchen-3ya.example", "xn--mnchen-3ya.example"),
        ("MÜNCHEN.Example", "xn--mnchen-3ya.example"),
        # IDNA2003 (Python's codec) would give strasse.example, another name.
        ("straße.example", "xn--strae-oqa.example"),
        ("Home.Example.NET.", "home.example.net"),
        ("_acme.example.com", "_acme.example.com"),
    ],
)
def test_host_names_become_ascii(tmp_path: Path, section: str, hostname: str) -> None:
    text = HOST.replace("[host.example.com]", f"[{section}]") + "password = x\n"
    host = load(tmp_path, text).hosts[0]
    assert host.hostname == hostname
    assert host.display_name == section


@pytest.mark.parametrize(
    "section",
    [
        "xn--zz.example",
        "bad..example",
        "-x.example",
        "a b.example",
        "a" * 64 + ".example",
        ".".join(["a" * 63] * 4),  # 255 characters
        "192.0.2.1",
        "host.example.123",
    ],
)
def test_invalid_host_names_are_refused_stating_the_rule(
    tmp_path: Path, section: str
) -> None:
    text = HOST.replace("[host.example.com]", f"[{section}]") + "password = x\n"
    caught = error(tmp_path, text)
    assert caught.section == section
    assert str(caught) == (
        f"{tmp_path / 'ddns.conf'}, [{section}]: {section!r} is not a valid host "
        "name: labels of letters, digits and hyphens (not at either end), at most "
        "63 characters each, 253 in all, not numeric in the last label"
    )


def test_a_name_of_one_label_is_refused_as_not_qualified(tmp_path: Path) -> None:
    text = HOST.replace("[host.example.com]", "[localhost]") + "password = x\n"
    assert str(error(tmp_path, text)).endswith(
        "'localhost' is not a fully qualified domain name"
    )


def test_the_longest_host_name_is_taken(tmp_path: Path) -> None:
    section = ".".join(["a" * 63] * 3 + ["b" * 61])  # 253 characters
    text = HOST.replace("[host.example.com]", f"[{section}]") + "password = x\n"
    assert load(tmp_path, text).hosts[0].hostname == section


def test_default_path_prefers_ipfire(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config.os.path, "isdir", lambda path: path == "/var/ipfire")
    assert config.default_path() == "/var/ipfire/ddns/ddns.conf"
    monkeypatch.setattr(config.os.path, "isdir", lambda path: False)
    assert config.default_path() == "/etc/ddns/ddns.conf"


# Values that made urllib or int() raise ValueError, an "internal error".


@pytest.mark.parametrize(
    ("section", "line", "problem"),
    [
        (
            "h.example.com",
            "url = http://[::1",
            "'http://[::1' is not a valid URL: the IPv6 address in it needs its "
            "brackets, as http://[2001:db8::1]/",
        ),
        (
            "h.example.com",
            "url = http://127.0.0.1:99999/x",
            "'http://127.0.0.1:99999/x' is not a valid URL: its port is not a "
            "number from 1 to 65535",
        ),
        (
            "h.example.com",
            "url = http://u:s3cret@127.0.0.1:0/x",
            "'http://***@127.0.0.1:0/x' is not a valid URL: its port is not a "
            "number from 1 to 65535",
        ),
        ("config", "checkip_ipv4 = http://[::1", "'http://[::1' is not a valid URL"),
        ("config", "proxy = [", "'[' is not a valid URL"),
        ("config", "concurrency = ²", "must be a number from 1 to 64, not '²'"),
        (
            "config",
            "ipv6_address = 2001:db8::1%eth0",
            "'2001:db8::1%eth0' is a scoped address; a DNS record holds no %zone",
        ),
        (
            "config",
            "interface = eth0 eth1",
            "'eth0 eth1' is not a network interface name, such as red0",
        ),
        ("config", "database = a\x00b", "a path cannot hold a NUL character"),
    ],
)
def test_malformed_values_are_configuration_errors(
    tmp_path: Path, section: str, line: str, problem: str
) -> None:
    host = (
        "[h.example.com]\nprovider = dyndns2\nusername = u\npassword = p\n"
        if section != "config"
        else ""
    )
    text = f"[{section}]\n{line}\n" if section == "config" else host + line + "\n"
    caught = error(tmp_path, text)
    key = line.split(" =")[0]
    assert str(caught).startswith(f"{tmp_path / 'ddns.conf'}, [{section}], {key}: ")
    assert problem in str(caught)
    assert "s3cret" not in str(caught)


def _section_for(handle: str, extra: str) -> str:
    """A complete host section of provider `handle` plus `extra` lines."""
    from ddns.providers import get

    cls = get(handle)
    assert cls is not None
    lines = ["[host.example.com]", f"provider = {handle}"]
    if cls.requires_url:
        lines.append("url = https://dyn.example.net/update")
    lines += [f"{key} = v{i}" for i, key in enumerate(cls.credentials[0])]
    return "\n".join(lines) + "\n" + extra


def _handles_taking(key: str) -> list[str]:
    from ddns.providers import known_keys

    return sorted(
        h for h, cls in registry().items() if key in known_keys(cls) and cls.alive
    )


# Duck DNS updates `<label>.duckdns.org` only: any other name would send its
# last label (`com`) and be refused with `KO`, which stops the host.


@pytest.mark.parametrize(
    ("section", "shown"),
    [
        ("home.example.com", "home.example.com"),
        ("duckdns.org", "duckdns.org"),
        ("*.home.duckdns.org", "*.home.duckdns.org"),
        ("bücher.duckdns.org", "xn--bcher-kva.duckdns.org"),
        ("xn--bcher-kva.duckdns.org", "xn--bcher-kva.duckdns.org"),
        ("home_1.duckdns.org", "home_1.duckdns.org"),
    ],
)
def test_duckdns_names_outside_its_rule_are_refused_at_load(
    tmp_path: Path, section: str, shown: str
) -> None:
    caught = error(tmp_path, f"[{section}]\nprovider = duckdns.org\ntoken = t0k3n\n")
    assert str(caught) == (
        f"{tmp_path / 'ddns.conf'}, [{section}]: duckdns.org updates only names "
        "of the form <label>.duckdns.org (letters, digits and hyphens; no "
        f"wildcard, no international characters), not {shown!r}"
    )


@pytest.mark.parametrize(
    "handle", [h for h in _handles_taking("ttl") if h != "nsupdate"]
)
def test_a_ttl_the_provider_refuses_is_an_error_when_the_file_is_read(
    tmp_path: Path, handle: str
) -> None:
    caught = error(tmp_path, _section_for(handle, "ttl = 0\n"))
    assert str(caught) == (
        f"{tmp_path / 'ddns.conf'}, [host.example.com], ttl: must be a whole number "
        "of seconds from 1 to 2147483647, not '0'"
    )


def test_nsupdate_takes_a_ttl_of_0(tmp_path: Path) -> None:
    loaded = load(tmp_path, _section_for("nsupdate", "ttl = 0\n"))
    assert loaded.hosts[0].settings["ttl"] == "0"


@pytest.mark.parametrize(
    "handle", [h for h in _handles_taking("zone") if h != "nsupdate"]
)
def test_a_zone_that_cannot_hold_the_host_is_an_error_when_the_file_is_read(
    tmp_path: Path, handle: str
) -> None:
    caught = error(tmp_path, _section_for(handle, "zone = example.org\n"))
    assert str(caught) == (
        f"{tmp_path / 'ddns.conf'}, [host.example.com], zone: zone example.org "
        "does not hold host.example.com"
    )
    assert load(tmp_path, _section_for(handle, "zone = Example.com.\n")).hosts


def test_a_reader_without_the_key_compares_the_public_part(tmp_path: Path) -> None:
    key_file = str(tmp_path / "ddns.key")
    missing = str(tmp_path / "no-such-dir" / "ddns.key")
    stored = config.digest("h.example.net", SECTION, key_file)
    new_password = {**SECTION, "password": "abce"}
    renamed = {**SECTION, "username": "u2"}

    # The page sees the section recorded by root as the same one ...
    assert config.same_section(stored, config.digest("h.example.net", SECTION, missing))
    # ... and any change it can see as a change.
    assert not config.same_section(
        stored, config.digest("h.example.net", renamed, missing)
    )
    # Root sees a new password too.
    assert not config.same_section(
        stored, config.digest("h.example.net", new_password, key_file)
    )
    assert config.same_section(
        stored, config.digest("h.example.net", SECTION, key_file)
    )
    assert not config.same_section(None, stored)


@pytest.mark.parametrize(
    "section", ["home.duckdns.org", "Home-2.DuckDNS.org", "www.home.duckdns.org"]
)
def test_duckdns_names_under_duckdns_org_load(tmp_path: Path, section: str) -> None:
    loaded = load(tmp_path, f"[{section}]\nprovider = duckdns.org\ntoken = t0k3n\n")
    assert not loaded.broken
    assert [host.display_name for host in loaded.hosts] == [section]
