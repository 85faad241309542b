"""The page's behaviour, request by request (the WSGI application in-process)."""

from __future__ import annotations

import configparser
import os
import stat
import subprocess
import sys
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from ddns import config, providers
from ddns.ipfire import settings
from tests.ipfire.tree import NSUPDATE_SECTION
from tests.web.conftest import Browser, read


def conf(root: Path) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser()
    parser.read_string(read(root, "ddns.conf"))
    return parser


def add(browser: Browser, **fields: str) -> None:
    form = {"ACTION": "add", "provider": "dyndns.org", "enabled": "on", **fields}
    answer = browser.post(form)
    assert answer.errors() == [], answer.errors()


def test_first_visit_sets_the_token_cookie_and_shows_an_empty_list(
    browser: Browser,
) -> None:
    answer = browser.get()

    assert answer.status == 200
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" in cookie
    assert "No hosts yet" in answer.html
    assert "script-src 'nonce-" in answer.headers["Content-Security-Policy"]


def test_add_host_writes_config_and_ddns_conf(browser: Browser, root: Path) -> None:
    add(browser, hostname="Home.Example.NET", username="alice", password="p#ss,w%rd")

    assert (
        read(root, "config")
        == "dyndns.org,home,example.net,,%,alice,p#ss%2Cw%25rd,on\n"
    )
    section = conf(root)["home.example.net"]
    assert dict(section) == {
        "provider": "dyndns.org",
        "username": "alice",
        "password": "p#ss,w%rd",
        "protocols": "ipv4",
    }
    assert stat.S_IMODE(os.stat(root / "var/ipfire/ddns/ddns.conf").st_mode) == 0o600
    assert 'class="name">home.example.net<' in browser.get().html


def test_address_choice_survives_every_action(browser: Browser, root: Path) -> None:
    # The original rewrote guess_external_ip = false on every action but Save.
    saved = browser.post(
        {"ACTION": "save-settings", "source": "FETCH_IP", "ipv6": "on"}
    )
    assert saved.notices() == ["Settings saved."]

    add(browser, hostname="a.example.net", username="u", password="p")
    assert conf(root)["config"]["guess_external_ip"] == "true"
    browser.post({"ACTION": "toggle", "ID": "0", "HOST": "a.example.net"})
    assert conf(root)["config"]["guess_external_ip"] == "true"
    browser.post({"ACTION": "remove", "ID": "0", "HOST": "a.example.net"})
    assert conf(root)["config"]["guess_external_ip"] == "true"
    assert settings.read(str(root / "var/ipfire/ddns/settings")) == {
        "BEHINDROUTER": "FETCH_IP",
        "IPV6": "on",
    }


def test_edit_keeps_a_stored_password_left_blank(browser: Browser, root: Path) -> None:
    add(browser, hostname="home.example.net", username="alice", password="old-secret")

    form = browser.get("edit=0")
    assert "old-secret" not in form.html
    assert 'value="alice"' in form.html
    answer = browser.post(
        {
            "ACTION": "update",
            "ID": "0",
            "HOST": "home.example.net",
            "provider": "dyndns.org",
            "hostname": "home.example.net",
            "username": "bob",
            "password": "",
            "enabled": "on",
        }
    )

    assert answer.errors() == []
    assert dict(conf(root)["home.example.net"])["username"] == "bob"
    assert dict(conf(root)["home.example.net"])["password"] == "old-secret"


def test_disable_leaves_the_host_listed_but_out_of_ddns_conf(
    browser: Browser, root: Path
) -> None:
    add(browser, hostname="home.example.net", username="u", password="p")

    browser.post({"ACTION": "toggle", "ID": "0", "HOST": "home.example.net"})

    assert read(root, "config").endswith(",off\n")
    assert conf(root).sections() == ["config"]
    assert 'class="disabled"' in browser.get().html


def test_post_without_token_changes_nothing(browser: Browser, root: Path) -> None:
    add(browser, hostname="home.example.net", username="u", password="p")
    before = read(root, "config"), read(root, "ddns.conf")

    forged = browser.post(
        {"ACTION": "remove", "ID": "0", "HOST": "home.example.net"}, token=False
    )
    wrong = browser.post(
        {"ACTION": "remove", "ID": "0", "HOST": "home.example.net", "csrf": "0" * 64}
    )
    no_cookie = Browser(cookies={}, token=browser.token).post(
        {"ACTION": "remove", "ID": "0", "HOST": "home.example.net"}
    )

    assert [forged.status, wrong.status, no_cookie.status] == [403, 403, 403]
    assert "nothing was changed" in forged.errors()[0]
    assert (read(root, "config"), read(root, "ddns.conf")) == before


def test_post_from_another_origin_changes_nothing(browser: Browser, root: Path) -> None:
    browser.get()

    answer = browser.post(
        {"ACTION": "save-settings", "source": "FETCH_IP"},
        headers={"Origin": "https://evil.example"},
    )

    assert answer.status == 403
    assert read(root, "settings") == ""


def test_a_stale_id_finds_its_host_by_name(browser: Browser, root: Path) -> None:
    for name in ("a", "b", "c", "d"):
        add(browser, hostname=f"{name}.example.net", username="u", password="p")

    # Another tab removed host 0; this one still shows the old numbers.
    browser.post({"ACTION": "remove", "ID": "0", "HOST": "a.example.net"})
    toggled = browser.post({"ACTION": "toggle", "ID": "1", "HOST": "b.example.net"})
    edited = browser.post(
        {
            "ACTION": "update",
            "ID": "3",
            "HOST": "d.example.net",
            "provider": "dyndns.org",
            "hostname": "e.example.net",
            "username": "u2",
            "enabled": "on",
        }
    )
    removed = browser.post({"ACTION": "remove", "ID": "2", "HOST": "c.example.net"})
    gone = browser.post({"ACTION": "remove", "ID": "0", "HOST": "a.example.net"})

    assert toggled.notices() == ["b.example.net disabled."]
    assert edited.notices() == ["e.example.net saved."]
    assert removed.notices() == ["c.example.net removed."]
    assert gone.errors() == ["That host is no longer in the list; nothing was changed."]
    assert read(root, "config") == (
        "dyndns.org,b,example.net,,,u,p,off\ndyndns.org,e,example.net,,,u2,p,on\n"
    )


def test_a_name_listed_twice_is_not_guessed(browser: Browser, root: Path) -> None:
    (root / "var/ipfire/ddns/config").write_text(
        "dyndns.org,a,example.net,,,u,p,on\n"
        "dyndns.org,b,example.net,,,u,p,on\n"
        "dyndns.org,b,example.net,,,u,q,on\n"
    )
    before = read(root, "config")

    answer = browser.post({"ACTION": "remove", "ID": "0", "HOST": "b.example.net"})

    assert answer.errors() == [
        "The list changed since the page was loaded; nothing was changed. "
        "Check the list and try again."
    ]
    assert read(root, "config") == before


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"hostname": ""}, "Hostname: is required"),
        ({"hostname": "bad_host!.example"}, "Hostname: is not a valid host name"),
        ({"hostname": "single"}, "Hostname: is not a valid host name"),
        ({"provider": "no-such-provider"}, "Service: choose a service from the list"),
        ({"password": ""}, "Password: is required by dyndns.org"),
        ({"password": " blank"}, "Password: cannot begin or end with a blank"),
        (
            {"provider": "duckdns.org", "token": ""},
            "Token: is required by duckdns.org",
        ),
        (
            {"provider": "duckdns.org", "token": "t0k3n"},
            "Hostname: duckdns.org updates only names of the form "
            "<label>.duckdns.org (letters, digits and hyphens; no wildcard, no "
            "international characters), not 'home.example.net'",
        ),
        (
            {"provider": "regfish.com", "token": "", "username": "", "password": ""},
            "Token: is required by regfish.com (or: Username + Password)",
        ),
        ({"provider": "dyndns2", "url": ""}, "Update URL: is required by dyndns2"),
        (
            {"provider": "dyndns2", "url": "ftp://x.example/"},
            "Update URL: must be an http or https URL",
        ),
        (
            {"username": "a\x07b"},
            "Username: cannot contain control characters or line breaks",
        ),
    ],
)
def test_problems_name_the_field(
    browser: Browser, root: Path, fields: dict[str, str], expected: str
) -> None:
    form = {
        "ACTION": "add",
        "provider": "dyndns.org",
        "hostname": "home.example.net",
        "username": "u",
        "password": "p",
        **fields,
    }

    answer = browser.post(form)

    assert expected in answer.errors()
    assert read(root, "config") == ""


def test_duplicate_hostname_is_refused(browser: Browser, root: Path) -> None:
    add(browser, hostname="home.example.net", username="u", password="p")

    answer = browser.post(
        {
            "ACTION": "add",
            "provider": "entrydns.net",
            "hostname": "HOME.example.net",
            "token": "t",
        }
    )

    assert answer.errors() == ["Hostname: home.example.net is already in the list"]


def test_idn_is_stored_as_ascii_and_shown_as_written(
    browser: Browser, root: Path
) -> None:
    add(browser, hostname="bücher.example", username="u", password="p")

    assert read(root, "config").startswith("dyndns.org,xn--bcher-kva,example,")
    assert "xn--bcher-kva.example" in conf(root).sections()
    assert 'class="name">bücher.example<' in browser.get().html


def test_token_and_url_settings_reach_ddns_conf(browser: Browser, root: Path) -> None:
    add(browser, provider="duckdns.org", hostname="fw.duckdns.org", token="0123abcd")
    add(
        browser,
        provider="dyndns2",
        hostname="nas.example.org",
        url="https://dyn.example.org/nic/update",
        username="nas",
        password="pw",
    )

    assert read(root, "config") == (
        "duckdns.org,fw,duckdns.org,,,,0123abcd,on\n"
        "dyndns2,nas,example.org,,,nas,pw,on\n"
    )
    assert "url = https://dyn.example.org/nic/update" in read(root, "hosts.conf")
    parsed = conf(root)
    assert parsed["fw.duckdns.org"]["token"] == "0123abcd"
    assert parsed["nas.example.org"]["url"] == "https://dyn.example.org/nic/update"


def test_form_shows_the_fields_of_the_chosen_provider_without_javascript(
    browser: Browser,
) -> None:
    answer = browser.post(
        {"ACTION": "fields", "provider": "duckdns.org", "hostname": "x"}
    )

    visible = [
        key
        for key in ("username", "password", "token", "url")
        if f'data-field="{key}">' in answer.html
    ]
    assert visible == ["token"]
    assert 'value="x"' in answer.html


def test_what_users_typed_is_shown_escaped(browser: Browser) -> None:
    payload = '"><script>alert(1)</script>'
    add(browser, hostname="home.example.net", username=payload, password="p")

    answer = browser.get("edit=0")

    assert "<script>alert(1)</script>" not in answer.html
    assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in answer.html


def german(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    entries: str,
) -> None:
    """Compiles a German catalogue of `entries` (PO text) and points ddns at it."""
    locale = tmp_path_factory.mktemp("locale")
    (locale / "de/LC_MESSAGES").mkdir(parents=True)
    po = locale / "de.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n' + entries
    )
    subprocess.run(["msgfmt", "-o", locale / "de/LC_MESSAGES/ddns.mo", po], check=True)
    monkeypatch.setenv("DDNS_LOCALEDIR", str(locale))


def test_page_follows_the_firewall_language(
    browser: Browser,
    root: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    german(
        tmp_path_factory, monkeypatch, 'msgid "Dynamic DNS"\nmsgstr "Dynamisches DNS"\n'
    )
    settings.write(str(root / "var/ipfire/main/settings"), {"LANGUAGE": "de"})

    answer = browser.get()

    assert '<html lang="de">' in answer.html
    assert "<h1>Dynamisches DNS</h1>" in answer.html


def test_unknown_action_changes_nothing(browser: Browser, root: Path) -> None:
    answer = browser.post({"ACTION": "reboot"})

    assert answer.status == 400
    assert read(root, "config") == ""


def test_update_now_only_for_a_listed_enabled_host(
    browser: Browser, root: Path
) -> None:
    add(browser, hostname="home.example.net", username="u", password="p")
    browser.post({"ACTION": "toggle", "ID": "0", "HOST": "home.example.net"})

    for name in ("home.example.net", "other.example.net", "-rf"):
        answer = browser.post({"ACTION": "update-now", "HOST": name})
        assert answer.errors() == ["Only an enabled host in the list can be updated."]
        assert 'id="results"' not in answer.html


def test_update_now_without_the_helper_says_so(browser: Browser, root: Path) -> None:
    answer = browser.post({"ACTION": "update-now"})

    helper = root / "usr/local/bin/ddns-update-now"
    assert answer.errors() == [f"The update helper {helper} is missing"]
    assert 'id="results"' not in answer.html


def test_state_from_the_history_in_words(browser: Browser, root: Path) -> None:
    from datetime import timedelta

    from ddns import config, history

    add(browser, hostname="home.example.net", username="u", password="p")
    browser.post({"ACTION": "save-settings", "source": "RED_IP", "ipv6": "on"})
    # The failure was met with the section as it is now, so it holds off.
    (section,) = config.load(str(root / "var/ipfire/ddns/ddns.conf")).hosts
    now = history.now()
    with history.History(str(root / "var/lib/ddns.db")) as past:
        past.record(
            history.Attempt(
                "home.example.net",
                "dyndns.org",
                "ipv4",
                "192.0.2.7",
                history.SUCCESS,
                now - timedelta(hours=2),
            )
        )
        past.record(
            history.Attempt(
                "home.example.net",
                "dyndns.org",
                "ipv4",
                "192.0.2.8",
                history.FAILURE,
                now - timedelta(minutes=5),
                error_kind="server",
                message="The provider's server reported an internal error: 911",
                config_digest=section.digest,
            )
        )

    state = browser.get().html.split('class="state"')[1].split("</td>")[0]

    assert "IPv4" in state and "IPv6" not in state  # dyndns.org updates IPv4 only
    assert '<span class="addr">192.0.2.7</span>' in state
    assert (
        "Last error: The provider&#39;s server reported an internal error: 911" in state
    )
    assert "held off after 1 failed attempt (server); next attempt " in state


def test_a_broken_side_file_is_reported_and_never_overwritten(
    browser: Browser, root: Path
) -> None:
    (root / "var/ipfire/ddns/config").write_text(
        "dyndns.org,home,example.net,,,u,p,on\n"
    )
    (root / "var/ipfire/ddns/hosts.conf").write_text("[home.example.net\nurl = x\n")

    shown = browser.get()
    changed = browser.post({"ACTION": "remove", "ID": "0", "HOST": "home.example.net"})

    assert shown.status == 200 and "hosts.conf" in shown.errors()[0]
    assert "hosts.conf" in changed.errors()[-1]
    assert read(root, "config") == "dyndns.org,home,example.net,,,u,p,on\n"


def test_an_entry_the_client_refuses_says_so(browser: Browser, root: Path) -> None:
    # The original page allowed names without a domain; the client does not.
    (root / "var/ipfire/ddns/config").write_text(
        "dyndns.org,single,,,,u,p,on\ndyndns.org,good,example.net,,,u,p,on\n"
    )
    browser.post({"ACTION": "save-settings", "source": "RED_IP"})

    html = browser.get().html
    single, good = html.split('class="state"')[1:3]

    assert "Not updated: the client cannot use these settings" in single
    assert "Not updated" not in good


def test_an_oversized_form_changes_nothing(browser: Browser, root: Path) -> None:
    answer = browser.post(
        {"ACTION": "save-settings", "source": "FETCH_IP", "padding": "x" * 70000}
    )
    many = browser.post(
        {
            "ACTION": "save-settings",
            "source": "FETCH_IP",
            **{f"f{i}": "" for i in range(300)},
        }
    )

    assert (answer.status, many.status) == (400, 400)
    assert read(root, "settings") == ""


@pytest.mark.parametrize(
    ("provider", "kind"), [("dyndns.org", "text"), ("godaddy.com", "password")]
)
def test_a_field_is_secret_where_its_service_says_so(
    browser: Browser, provider: str, kind: str
) -> None:
    # GoDaddy's "username" is an API key; elsewhere it is an account name.
    answer = browser.post({"ACTION": "fields", "provider": provider})

    assert f'name="username" type="{kind}"' in answer.html
    assert 'name="password" type="password"' in answer.html


def test_a_helper_that_answers_no_json_is_reported(
    browser: Browser, root: Path
) -> None:
    helper = root / "usr/local/bin/ddns-update-now"
    error = "ModuleNotFoundError: No module named 'idna'" + " (more)" * 50
    helper.write_text(
        "#!/bin/sh\necho 'Traceback (most recent call last):' >&2\n"
        "echo '  File \"x.py\", line 1' >&2\n"
        f'echo "{error}" >&2\nexit 1\n'
    )
    helper.chmod(0o755)

    answer = browser.post({"ACTION": "update-now"})

    assert answer.errors() == [f"The update helper failed: {error[:297]}..."]
    assert len(error) > 300
    assert 'id="results"' not in answer.html


def test_a_long_update_goes_on_and_the_page_says_so(
    browser: Browser, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ddns.web import update

    gate = root / "gate"
    os.mkfifo(gate)
    helper = root / "usr/local/bin/ddns-update-now"
    helper.write_text(f"#!/bin/sh\nread line < {gate}\necho '{{}}'\n")
    helper.chmod(0o755)
    monkeypatch.setattr(update, "TIMEOUT_SECONDS", 0.3)

    try:
        answer = browser.post({"ACTION": "update-now"})
    finally:
        with open(gate, "w") as release:
            release.write("go\n")

    assert answer.errors() == [
        "The update is taking long; it goes on, and its outcome will show in the "
        "hosts' state."
    ]


def test_token_key_is_private_and_tokens_differ_per_browser(root: Path) -> None:
    first, second = Browser(), Browser()
    first.get()
    second.get()

    key = root / "var/ipfire/ddns/.csrf-key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(key.read_bytes()) == 32
    assert first.token != second.token
    # One browser's token is worthless with another browser's cookie.
    crossed = Browser(cookies=second.cookies, token=first.token)
    assert crossed.post({"ACTION": "save-settings", "source": "FETCH_IP"}).status == 403
    assert read(root, "settings") == ""


def test_nsupdate_host_through_the_form(browser: Browser, root: Path) -> None:
    nsupdate = {
        "ACTION": "add",
        "provider": "nsupdate",
        "hostname": "gw.example.org",
        "server": "ns1.example.org",
        "zone": "example.org",
        "key": "hmac-sha256:gwkey",
        "secret": "c2VjcmV0",
        "ttl": "60",
        "enabled": "on",
    }
    refused = browser.post({**nsupdate, "ttl": "soon", "server": "ns 1"})
    assert refused.errors() == [
        "Server: is not a valid host name",
        "TTL: must be a whole number of seconds from 0 to 2147483647, not 'soon'",
    ]

    assert browser.post(nsupdate).errors() == []

    # Other pages of the firewall see the TSIG key where the original kept it.
    assert (
        read(root, "config")
        == "nsupdate,gw,example.org,,,hmac-sha256:gwkey,c2VjcmV0,on\n"
    )
    assert "server = ns1.example.org" in read(root, "hosts.conf")
    assert dict(conf(root)["gw.example.org"]) == NSUPDATE_SECTION


def test_a_host_of_an_unknown_provider_never_shows_its_credentials(
    browser: Browser, root: Path
) -> None:
    (root / "var/ipfire/ddns/config").write_text(
        "gone.example,home,example.net,,,alice-account,SECRETPW123,on\n"
    )

    form = browser.get("edit=0")

    assert form.status == 200
    assert "SECRETPW123" not in form.html
    assert "alice-account" not in form.html


def test_a_rejected_form_asks_for_secrets_again_instead_of_echoing_them(
    browser: Browser,
) -> None:
    answer = browser.post(
        {
            "ACTION": "add",
            "provider": "dyndns.org",
            "hostname": "not a host name",
            "username": "alice",
            "password": "typed-secret-77",
            "enabled": "on",
        }
    )
    shown = browser.post(
        {"ACTION": "fields", "provider": "duckdns.org", "token": "typed-token-88"}
    )

    assert answer.errors() != []
    assert "typed-secret-77" not in answer.html
    assert "please type it again" in answer.html
    assert "typed-token-88" not in shown.html


def test_a_new_service_does_not_inherit_the_stored_password(
    browser: Browser, root: Path
) -> None:
    add(browser, hostname="home.example.net", username="alice", password="old-secret")

    answer = browser.post(
        {
            "ACTION": "update",
            "ID": "0",
            "HOST": "home.example.net",
            "provider": "custom",
            "hostname": "home.example.net",
            "url": "https://elsewhere.example/{password}",
            "password": "",
            "enabled": "on",
        }
    )

    assert answer.errors() == []
    assert "password" not in dict(conf(root)["home.example.net"])
    assert "old-secret" not in read(root, "config") + read(root, "hosts.conf")


LATIN1_HOST = b"dyndns.org,caf\xe9,example.net,,,alice,pw,on\n"


def test_an_old_latin1_line_is_shown_escaped_and_can_be_removed(
    browser: Browser, root: Path
) -> None:
    (root / "var/ipfire/ddns/config").write_bytes(
        LATIN1_HOST + b"dyndns.org,ok,example.net,,,bob,pw,on\n"
    )

    page = browser.get()
    removed = browser.post(
        {"ACTION": "remove", "ID": "0", "HOST": "caf\\xe9.example.net"}
    )

    assert page.status == 200
    assert "caf\\xe9.example.net" in page.html
    assert removed.errors() == []
    assert read(root, "config") == "dyndns.org,ok,example.net,,,bob,pw,on\n"


def test_disabling_a_host_with_an_old_byte_takes_it_out_of_ddns_conf(
    browser: Browser, root: Path
) -> None:
    (root / "var/ipfire/ddns/config").write_bytes(
        b"dyndns.org,home,example.net,,,alice,p\xe9ss,on\n"
    )

    toggled = browser.post({"ACTION": "toggle", "ID": "0", "HOST": "home.example.net"})

    assert toggled.status == 200
    assert toggled.errors() == []
    assert (root / "var/ipfire/ddns/config").read_bytes().endswith(b",off\n")
    assert conf(root).sections() == ["config"]


def test_save_settings_with_a_broken_side_file_changes_nothing(
    browser: Browser, root: Path
) -> None:
    add(browser, hostname="home.example.net", username="u", password="p")
    (root / "var/ipfire/ddns/hosts.conf").write_text("[broken\n")
    before = read(root, "settings"), read(root, "ddns.conf")

    answer = browser.post({"ACTION": "save-settings", "source": "FETCH_IP"})

    assert answer.errors() != []
    assert (read(root, "settings"), read(root, "ddns.conf")) == before


def test_a_file_that_cannot_be_read_gives_an_error_page_naming_it(
    browser: Browser, root: Path
) -> None:
    (root / "var/ipfire/ddns/settings").mkdir()

    answer = browser.get()

    assert answer.status == 500
    assert "var/ipfire/ddns/settings" in answer.html
    assert "Traceback" not in answer.html


def test_without_jinja2_a_form_changes_nothing_and_the_page_says_what_to_install(
    browser: Browser, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    browser.get()  # the form's token
    before = read(root, "config")
    monkeypatch.setitem(sys.modules, "jinja2", None)  # as if not installed

    answer = browser.post(
        {
            "ACTION": "add",
            "provider": "dyndns.org",
            "enabled": "on",
            "hostname": "home.example.net",
            "username": "u",
            "password": "p",
        }
    )

    assert answer.status == 500
    assert (
        unescape(answer.html).count(
            "The page needs Jinja2, which is not installed: install it with "
            "pip install 'ddns[web]' or your distribution's python3-jinja2. "
            "Nothing was changed."
        )
        == 1
    )
    assert read(root, "config") == before


def test_a_missing_dependency_is_named() -> None:
    from ddns.web.app import missing_module

    assert missing_module("configobj") == (
        "The page needs the Python module configobj, which is not installed: "
        "reinstall ddns with its dependencies (pip install ddns). "
        "Nothing was changed."
    )


def test_a_failed_ddns_conf_write_puts_config_back(
    browser: Browser, root: Path
) -> None:
    add(browser, hostname="home.example.net", username="u", password="p")
    before = read(root, "config")
    conf_path = root / "var/ipfire/ddns/ddns.conf"
    conf_path.unlink()
    conf_path.mkdir()

    answer = browser.post({"ACTION": "toggle", "ID": "0", "HOST": "home.example.net"})

    assert answer.errors() != []
    assert read(root, "config") == before


@pytest.mark.parametrize("number", ["²", "①", "\u0663", "\uff16\uff10"])
def test_only_ascii_digits_count_as_numbers(
    browser: Browser, root: Path, number: str
) -> None:
    add(browser, hostname="home.example.net", username="u", password="p")

    edit = browser.get(f"edit={number}")
    # A host not in the list: only the number could name one.
    toggled = browser.post(
        {"ACTION": "toggle", "ID": number, "HOST": "away.example.net"}
    )
    tsig = browser.post(
        {
            "ACTION": "add",
            "provider": "nsupdate",
            "hostname": "gw.example.org",
            "server": "ns1.example.org",
            "zone": "example.org",
            "key": "gwkey",
            "secret": "c2VjcmV0",
            "ttl": number,
            "port": number,
            "enabled": "on",
        }
    )

    assert (edit.status, toggled.status, tsig.status) == (200, 200, 200)
    assert read(root, "config").endswith(",on\n")
    assert (
        f"TTL: must be a whole number of seconds from 0 to 2147483647, not {number!r}"
        in tsig.errors()
    )
    assert "Port: must be a port number (1 to 65535)" in tsig.errors()


def test_values_with_quotes_and_hashes_reach_ddns_conf_whole(
    browser: Browser, root: Path
) -> None:
    url = 'http://127.0.0.1:8482/good?a="""#\'b'
    add(
        browser,
        provider="porkbun",
        hostname="a.example.net",
        apikey="pk1",
        secretapikey="sk1",
    )
    add(
        browser,
        provider="porkbun",
        hostname="b.example.net",
        apikey="pk\"\"\"x'''y",
        secretapikey='sk"""#\'tail',
    )
    add(
        browser,
        provider="dyndns2",
        hostname="c.example.net",
        url=url,
        username="u",
        password="'''p\"\"\"",
    )
    # Any later change reads hosts.conf back and rewrites ddns.conf from it.
    browser.post({"ACTION": "toggle", "ID": "0", "HOST": "a.example.net"})

    parsed = config.parse(read(root, "ddns.conf"), "ddns.conf")
    settings = {h.hostname: h.settings for h in parsed.hosts}
    assert settings["b.example.net"]["secretapikey"] == 'sk"""#\'tail'
    assert settings["b.example.net"]["apikey"] == "pk\"\"\"x'''y"
    assert settings["c.example.net"]["url"] == url
    assert settings["c.example.net"]["password"] == "'''p\"\"\""


@pytest.mark.parametrize(
    ("hostname", "rule"),
    [
        (
            ".".join(c * 62 for c in "abcd") + ".example",
            "253",
        ),
        ("192.0.2.1", "IP address"),
        ("fw.example.123", "IP address"),
        ("home\u200b.example.net", "IDNA"),
        ("\uff48ome.example.net", "IDNA"),
    ],
)
def test_hostnames_dns_cannot_take_as_typed_are_refused(
    browser: Browser, root: Path, hostname: str, rule: str
) -> None:
    answer = browser.post(
        {
            "ACTION": "add",
            "provider": "dyndns.org",
            "hostname": hostname,
            "username": "u",
            "password": "p",
        }
    )

    (error,) = answer.errors()
    assert error.startswith("Hostname: ") and rule in error
    assert read(root, "config") == ""


def test_names_mapped_only_in_case_and_encoding_are_taken(browser: Browser) -> None:
    for name in ("B\u00fccher.Example", "xn--strae-oqa.example", "fw.example.net."):
        answer = browser.post(
            {
                "ACTION": "add",
                "provider": "dyndns.org",
                "hostname": name,
                "username": "u",
                "password": "p",
            }
        )
        assert answer.errors() == [], name


def test_a_discontinued_service_is_given_to_no_new_host(
    browser: Browser, root: Path
) -> None:
    dead = next(
        h
        for h in providers.handles()
        if not providers.get(h).alive  # type: ignore[union-attr]
    )
    (root / "var/ipfire/ddns/config").write_text(
        f"{dead},old,example.net,,,u,p,on\ndyndns.org,new,example.net,,,u,p,on\n"
    )

    added = browser.post(
        {"ACTION": "add", "provider": dead, "hostname": "x.example.net"}
    )
    changed = browser.post(
        {
            "ACTION": "update",
            "ID": "1",
            "HOST": "new.example.net",
            "provider": dead,
            "hostname": "new.example.net",
            "username": "u",
            "password": "p",
        }
    )
    removed = browser.post({"ACTION": "remove", "ID": "0", "HOST": "old.example.net"})

    assert any(
        e.startswith("Service: ") and "discontinued" in e for e in added.errors()
    )
    assert any(
        e.startswith("Service: ") and "discontinued" in e for e in changed.errors()
    )
    assert removed.errors() == []
    assert read(root, "config") == "dyndns.org,new,example.net,,,u,p,on\n"


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("username", b"al\xffice", "Username: is not UTF-8 text"),
        ("hostname", b"h\xffome.example.net", "Hostname: is not UTF-8 text"),
        ("username", " alice", "Username: cannot begin or end with a blank"),
        ("password", "secret ", "Password: cannot begin or end with a blank"),
        ("hostname", "home.example.net ", "Hostname: cannot begin or end with a blank"),
    ],
)
def test_bytes_that_are_not_utf8_and_outer_blanks_are_refused_by_field(
    browser: Browser, root: Path, field: str, value: Any, shown: str
) -> None:
    form = {
        "ACTION": "add",
        "provider": "dyndns.org",
        "hostname": "home.example.net",
        "username": "alice",
        "password": "pw",
        field: value,
    }

    answer = browser.post(form)

    assert shown in answer.errors()
    assert read(root, "config") == ""


def test_a_token_that_is_not_ascii_is_refused_not_a_failure(
    browser: Browser, root: Path
) -> None:
    browser.get()
    answer = browser.post(
        {"ACTION": "save-settings", "source": "FETCH_IP", "csrf": b"\xff"}
    )

    assert answer.status == 403


@pytest.mark.parametrize(
    "headers",
    [
        # Same host, another scheme or port: another origin.
        {"Origin": "http://ipfire.localdomain:444"},
        {"Origin": "https://ipfire.localdomain"},
        {"Origin": "https://ipfire.localdomain:444.evil.example"},
        # No Origin: the Referer decides; neither: refused.
        {"Origin": None, "Referer": "https://evil.example/ddns.cgi"},
        {"Origin": None},
        {"Host": None},
        {"Content-Type": "text/plain"},
        {"Content-Type": "multipart/form-data; boundary=x"},
    ],
)
def test_a_post_from_elsewhere_or_not_a_web_form_changes_nothing(
    browser: Browser, root: Path, headers: dict[str, str | None]
) -> None:
    add(browser, hostname="home.example.net", username="u", password="p")
    before = read(root, "config")

    answer = browser.post(
        {"ACTION": "remove", "ID": "0", "HOST": "home.example.net"}, headers=headers
    )

    assert answer.status in (403, 415)
    assert read(root, "config") == before


def test_a_post_with_the_pages_own_referer_is_taken(
    browser: Browser, root: Path
) -> None:
    add(browser, hostname="home.example.net", username="u", password="p")

    answer = browser.post(
        {"ACTION": "toggle", "ID": "0", "HOST": "home.example.net"},
        headers={
            "Origin": None,
            "Referer": "https://IPFire.localdomain:444/cgi-bin/ddns.cgi?edit=0",
            "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
        },
    )

    assert answer.errors() == []
    assert read(root, "config").endswith(",off\n")


@pytest.mark.parametrize("action", ["remove", "toggle", "update"])
def test_a_change_without_the_host_name_changes_nothing(
    browser: Browser, root: Path, action: str
) -> None:
    add(browser, hostname="home.example.net", username="u", password="p")
    before = read(root, "config")

    answer = browser.post(
        {
            "ACTION": action,
            "ID": "0",
            "provider": "dyndns.org",
            "hostname": "other.example.net",
            "username": "u",
            "password": "p",
        }
    )

    assert "That host is no longer in the list; nothing was changed." in answer.errors()
    assert read(root, "config") == before


NSUPDATE_FORM = {
    "ACTION": "add",
    "provider": "nsupdate",
    "hostname": "gw.example.org",
    "server": "ns1.example.org",
    "enabled": "on",
}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"key": "gwkey"},
            ["Secret: key and secret go together: set both or neither"],
        ),
        (
            {"key": "gwkey", "secret": "!!"},
            ["Secret: the secret is not base64, as tsig-keygen writes it"],
        ),
        (
            {"key": "gwkey", "secret": "c2VjcmV0", "algorithm": "md5-bogus"},
            [
                "Algorithm: algorithm md5-bogus is not one of hmac-md5, "
                "hmac-md5.sig-alg.reg.int, hmac-sha1, hmac-sha224, hmac-sha256, "
                "hmac-sha384, hmac-sha512"
            ],
        ),
    ],
)
def test_settings_the_client_refuses_are_named_by_field_in_its_words(
    browser: Browser, root: Path, fields: dict[str, str], expected: list[str]
) -> None:
    answer = browser.post({**NSUPDATE_FORM, **fields})

    assert answer.errors() == expected
    assert read(root, "config") == ""


def test_a_custom_host_the_client_would_refuse_is_not_saved(
    browser: Browser, root: Path
) -> None:
    custom = {
        "ACTION": "add",
        "provider": "custom",
        "hostname": "c2.example.net",
        "enabled": "on",
    }
    method = browser.post(
        {**custom, "url": "https://u.example/?h={hostname}", "method": "DELETE"}
    )
    placeholder = browser.post({**custom, "url": "https://u.example/?a={ip}"})

    assert method.errors() == ["HTTP method: must be one of GET, POST, PUT, not DELETE"]
    assert placeholder.errors() == [
        "Update URL: unknown placeholder {ip}; the known placeholders are "
        "{hostname}, {address}, {family}, {record_type}, {username}, {password}, "
        "{token}"
    ]
    assert read(root, "config") == ""


def test_ttl_ranges_are_the_providers(browser: Browser, root: Path) -> None:
    zero = browser.post({**NSUPDATE_FORM, "ttl": "0"})
    record_api = browser.post(
        {
            "ACTION": "add",
            "provider": "cloudflare",
            "hostname": "cf.example.net",
            "token": "t",
            "ttl": "0",
            "enabled": "on",
        }
    )

    assert zero.errors() == []
    assert conf(root)["gw.example.org"]["ttl"] == "0"
    assert record_api.errors() == [
        "TTL: must be a whole number of seconds from 1 to 2147483647, not '0'"
    ]


def test_a_hold_recorded_by_root_shows_on_the_page_that_cannot_read_the_key(
    browser: Browser, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta

    from ddns import config, history

    add(browser, hostname="home.example.net", username="u", password="p")
    add(browser, hostname="c2.example.net", username="u", password="p")
    # Runs as root key the digest; the page (nobody) cannot read the key.
    (home, c2) = config.load(str(root / "var/ipfire/ddns/ddns.conf")).hosts
    now = history.now()
    with history.History(str(root / "var/lib/ddns.db")) as past:
        for host, kind in ((home, "server"), (c2, "config")):
            past.record(
                history.Attempt(
                    host.hostname,
                    "dyndns.org",
                    "ipv4",
                    "192.0.2.8",
                    history.FAILURE,
                    now - timedelta(minutes=5),
                    error_kind=kind,
                    message="refused",
                    config_digest=host.digest,
                )
            )
    (root / "var/lib/ddns.key").unlink()
    monkeypatch.setattr("os.geteuid", lambda: 65534)

    home_state, c2_state = browser.get().html.split('class="state"')[1:3]

    assert "held off after 1 failed attempt (server); next attempt " in home_state
    assert (
        "stopped after a permanent failure (config); change the host&#39;s "
        "configuration or use --force" in c2_state
    )
    assert "never sent" not in home_state + c2_state


def test_a_stored_error_is_shown_with_its_kind_in_the_page_language(
    browser: Browser,
    root: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from datetime import timedelta

    from ddns import config, history

    german(
        tmp_path_factory,
        monkeypatch,
        'msgid "Last error: {error}"\nmsgstr "Letzter Fehler: {error}"\n\n'
        'msgid "The provider\'s answer was not understood"\n'
        'msgstr "Die Antwort des Anbieters wurde nicht verstanden"\n',
    )
    add(browser, hostname="home.example.net", username="u", password="p")
    (host,) = config.load(str(root / "var/ipfire/ddns/ddns.conf")).hosts
    with history.History(str(root / "var/lib/ddns.db")) as past:
        past.record(
            history.Attempt(
                "home.example.net",
                "dyndns.org",
                "ipv4",
                "192.0.2.8",
                history.FAILURE,
                history.now() - timedelta(minutes=5),
                error_kind="unexpected",
                message="The provider's answer was not understood: badagent 7",
                config_digest=host.digest,
            )
        )
    settings.write(str(root / "var/ipfire/main/settings"), {"LANGUAGE": "de"})

    state = browser.get().html.split('class="state"')[1]

    assert (
        "Letzter Fehler: Die Antwort des Anbieters wurde nicht verstanden: "
        "badagent 7</div>" in state
    )


def test_the_dnsmadeeasy_record_field_has_a_label(browser: Browser) -> None:
    answer = browser.post({"ACTION": "fields", "provider": "dnsmadeeasy.com"})

    assert '<label for="f-id">Record ID</label>' in answer.html
