"""Runs end to end against the loopback server: decide, send, record."""

from __future__ import annotations

import functools
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ddns import addresses, config, core, errors, history, resolve
from ddns.providers import registry
from ddns.providers.dyndns2 import DynDNS2Provider, check_answer
from tests.interfaces import fake_interface, inet, inet6
from tests.loopback import LoopbackServer, Reply, Request

if TYPE_CHECKING:
    from tests.bind import Bind

pytest_plugins = ("tests.bind",)

ROOT = Path(__file__).resolve().parent.parent
V4 = "198.51.100.7"
V6 = "2001:db8::7"
PASSWORD = "p#ss,w\\=rd%x"


# Registered only while a test runs (see _test_providers), so that other
# tests never see them.


class SingleRequest(DynDNS2Provider):
    name = "One request for both families"
    protocols = ("ipv4", "ipv6")
    ipv6_param = "myipv6"


class Removable(DynDNS2Provider):
    name = "Removes records"
    protocols = ("ipv4", "ipv6")
    can_remove_records = True

    def send(self, addresses: Mapping[str, str | None]) -> None:
        ((family, address),) = addresses.items()
        params = {"hostname": self.hostname, "family": family}
        if address is None:
            params["remove"] = "1"
        else:
            params["myip"] = address
        check_answer(self.http.get(self.endpoint, params=params, auth=self.auth()).text)


class Broken(DynDNS2Provider):
    name = "Fails with a bug"

    def send(self, addresses: Mapping[str, str | None]) -> None:
        raise ValueError("a bug in the provider")


TEST_PROVIDERS = {
    "single.test": SingleRequest,
    "remove.test": Removable,
    "broken.test": Broken,
}


@pytest.fixture(autouse=True)
def _test_providers() -> Iterator[None]:
    for handle, cls in TEST_PROVIDERS.items():
        cls.handle = handle
        registry()[handle] = cls
    yield
    for handle in TEST_PROVIDERS:
        registry().pop(handle, None)


def host(
    name: str, server: LoopbackServer, provider: str = "dyndns2", **extra: str
) -> str:
    lines = [
        f"[{name}]",
        f"provider = {provider}",
        f"url = {server.url}/nic/update",
        "username = alice",
        f"password = {PASSWORD}",
        *(f"{key} = {value}" for key, value in extra.items()),
    ]
    return "\n".join(lines) + "\n"


def write_config(
    tmp_path: Path,
    hosts: str,
    ipv4: str | None = V4,
    ipv6: str | None = V6,
    extra: str = "",
) -> config.Config:
    lines = ["[config]", f"database = {tmp_path / 'ddns.db'}"]
    if ipv4:
        lines.append(f"ipv4_address = {ipv4}")
    if ipv6:
        lines.append(f"ipv6_address = {ipv6}")
    path = tmp_path / "ddns.conf"
    path.write_text("\n".join(lines) + "\n" + extra + "\n" + hosts)
    return config.load(str(path))


def updates(server: LoopbackServer) -> list[Request]:
    return [r for r in server.requests if r.path == "/nic/update"]


def actions(report: core.RunReport) -> list[tuple[str, str, str]]:
    return [(r.hostname, r.family, r.action) for r in report.results]


def test_first_run_updates_second_sends_nothing(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    cfg = write_config(tmp_path, host("a.example.com", http_server))
    first = core.run(cfg)
    assert actions(first) == [
        ("a.example.com", "ipv4", "updated"),
        ("a.example.com", "ipv6", "updated"),
    ]
    assert first.exit_status == 0
    sent = updates(http_server)
    assert [r.query for r in sent] == [
        {"hostname": "a.example.com", "myip": V4},
        {"hostname": "a.example.com", "myip": V6},
    ]
    assert sent[0].basic_auth == ("alice", PASSWORD)

    second = core.run(cfg)
    assert actions(second) == [
        ("a.example.com", "ipv4", "unchanged"),
        ("a.example.com", "ipv6", "unchanged"),
    ]
    assert second.exit_status == 0
    assert len(updates(http_server)) == 2


def test_protocols_limit_what_is_sent(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    cfg = write_config(tmp_path, host("a.example.com", http_server, protocols="ipv6"))
    core.run(cfg)
    assert [r.query["myip"] for r in updates(http_server)] == [V6]


def test_permanent_failure_is_recorded_and_stops_the_host(
    tmp_path: Path, http_server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    cfg = write_config(tmp_path, host("a.example.com", http_server, protocols="ipv4"))
    http_server.default = Reply(body="badauth")
    report = core.run(cfg)
    assert actions(report) == [("a.example.com", "ipv4", "failed")]
    assert report.exit_status == 1
    assert "Update of a.example.com (dyndns2) failed for ipv4" in caplog.text

    again = core.run(cfg)
    assert actions(again) == [("a.example.com", "ipv4", "held")]
    assert len(updates(http_server)) == 1

    http_server.default = Reply(body="good")
    forced = core.run(cfg, force=True)
    assert actions(forced) == [("a.example.com", "ipv4", "updated")]


def records(caplog: pytest.LogCaptureFixture, level: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelname == level]


def test_a_stop_is_warned_about_on_the_run_that_failed_only(
    tmp_path: Path, http_server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    cfg = write_config(tmp_path, host("a.example.com", http_server, protocols="ipv4"))
    http_server.default = Reply(body="badauth")
    with caplog.at_level("INFO", logger="ddns"):
        core.run(cfg)
    stopped = (
        "a.example.com (dyndns2), ipv4: stopped after a permanent failure (auth); "
        "change the host's configuration or use --force -- Authentication failed"
    )
    (warning,) = records(caplog, "WARNING")
    assert warning.startswith(stopped)

    # The runs after it (every five minutes from fcron) find nothing new.
    for _run in range(2):
        caplog.clear()
        with caplog.at_level("INFO", logger="ddns"):
            core.run(cfg)
        assert records(caplog, "WARNING") == []
        (info,) = records(caplog, "INFO")
        assert info.startswith(stopped)


def test_a_back_off_is_warned_about_once(
    tmp_path: Path, http_server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    cfg = write_config(tmp_path, host("a.example.com", http_server, protocols="ipv4"))
    http_server.default = Reply(body="911")
    with caplog.at_level("INFO", logger="ddns"):
        core.run(cfg)
    held = "a.example.com (dyndns2), ipv4: held off after 1 failed attempt (server); "
    (warning,) = records(caplog, "WARNING")
    assert warning.startswith(held + "next attempt after ")

    caplog.clear()
    with caplog.at_level("INFO", logger="ddns"):
        core.run(cfg)
    assert records(caplog, "WARNING") == []
    assert records(caplog, "INFO")[0].startswith(held)


def test_a_refusal_holds_the_hosts_other_family_unsent(
    tmp_path: Path, http_server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    cfg = write_config(tmp_path, host("a.example.com", http_server))
    http_server.default = Reply(body="badauth")
    report = core.run(cfg)
    assert actions(report) == [
        ("a.example.com", "ipv4", "failed"),
        ("a.example.com", "ipv6", "held"),
    ]
    assert report.results[1].message == (
        "not sent: the update of ipv4 was refused (Authentication failed; check "
        "the credentials: badauth)"
    )
    assert report.exit_status == 1
    assert [r.query["myip"] for r in updates(http_server)] == [V4]
    assert "failed for ipv4: Authentication failed" in caplog.text
    assert "(ipv6 not sent)" in caplog.text

    # Stopped too, and status says why.
    assert actions(core.run(cfg)) == [
        ("a.example.com", "ipv4", "held"),
        ("a.example.com", "ipv6", "held"),
    ]
    ipv6 = core.status(cfg)[1]
    assert ipv6.last_error_kind == "auth"
    assert ipv6.reason.startswith("stopped after a permanent failure (auth)")
    assert len(updates(http_server)) == 1


def test_a_temporary_failure_leaves_the_other_family_for_the_next_run(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    cfg = write_config(tmp_path, host("a.example.com", http_server))
    http_server.default = Reply(status=503, body="down for maintenance")
    report = core.run(cfg)
    assert actions(report) == [
        ("a.example.com", "ipv4", "failed"),
        ("a.example.com", "ipv6", "skipped"),
    ]
    assert report.results[1].message.startswith(
        "not sent this run: the update of ipv4 failed (The provider's service is "
        "unavailable: HTTP 503"
    )
    assert len(updates(http_server)) == 1
    with history.History(cfg.options.database) as past:
        assert past.state("a.example.com", "dyndns2", "ipv6") is None

    # The failed family waits; the other one goes out on its own.
    http_server.default = Reply(body="good")
    assert actions(core.run(cfg)) == [
        ("a.example.com", "ipv4", "held"),
        ("a.example.com", "ipv6", "updated"),
    ]
    assert [r.query["myip"] for r in updates(http_server)] == [V4, V6]


def test_a_changed_section_lifts_a_permanent_failure(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    http_server.default = Reply(body="badauth")
    core.run(
        write_config(tmp_path, host("a.example.com", http_server, protocols="ipv4"))
    )
    http_server.default = Reply(body="good")
    fixed = host("a.example.com", http_server, protocols="ipv4").replace(
        PASSWORD, "new-password"
    )
    report = core.run(write_config(tmp_path, fixed))
    assert actions(report) == [("a.example.com", "ipv4", "updated")]


def test_temporary_failure_backs_off(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    cfg = write_config(tmp_path, host("a.example.com", http_server, protocols="ipv4"))
    http_server.default = Reply(body="911")
    assert actions(core.run(cfg)) == [("a.example.com", "ipv4", "failed")]
    http_server.default = Reply(body="good")
    held = core.run(cfg)
    assert actions(held) == [("a.example.com", "ipv4", "held")]
    assert "next attempt after" in held.results[0].message
    assert len(updates(http_server)) == 1


def nsupdate_info_host(server: LoopbackServer) -> str:
    return (
        "[a.nsupdate.info]\n"
        "provider = nsupdate.info\n"
        f"url = {server.url}/nic/update\n"
        "token = update-secret\n"
        "protocols = ipv4\n"
    )


def test_nsupdate_info_is_not_retried_after_an_unrecognised_answer(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    cfg = write_config(tmp_path, nsupdate_info_host(http_server))
    http_server.default = Reply(body="something new")
    assert actions(core.run(cfg)) == [("a.nsupdate.info", "ipv4", "failed")]

    http_server.default = Reply(body="good")
    again = core.run(cfg)
    assert actions(again) == [("a.nsupdate.info", "ipv4", "held")]
    assert "nsupdate.info blocks clients that repeat failed updates" in (
        again.results[0].message
    )
    (status,) = core.status(cfg)
    assert status.next_attempt is None
    assert len(updates(http_server)) == 1

    forced = core.run(cfg, force=True)
    assert actions(forced) == [("a.nsupdate.info", "ipv4", "updated")]


def test_nsupdate_info_is_retried_after_a_timeout(
    tmp_path: Path, http_server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ddns import http

    monkeypatch.setattr(
        http, "Client", functools.partial(http.Client, read_timeout=0.2)
    )
    cfg = write_config(tmp_path, nsupdate_info_host(http_server))
    http_server.default = Reply(body="good", delay=1.0)
    report = core.run(cfg)
    assert actions(report) == [("a.nsupdate.info", "ipv4", "failed")]
    with history.History(cfg.options.database) as past:
        state = past.state("a.nsupdate.info", "nsupdate.info", "ipv4")
    assert state is not None
    assert state.last_error_kind == "timeout"
    (status,) = core.status(cfg)
    assert status.next_attempt is not None
    assert status.next_attempt <= state.last_attempt + timedelta(minutes=15)


def test_retry_after_is_recorded(tmp_path: Path, http_server: LoopbackServer) -> None:
    cfg = write_config(tmp_path, host("a.example.com", http_server, protocols="ipv4"))
    http_server.default = Reply(
        status=429, body="slow down", headers={"Retry-After": "7200"}
    )
    before = history.now()
    core.run(cfg)
    with history.History(cfg.options.database) as past:
        state = past.state("a.example.com", "dyndns2", "ipv4")
    assert state is not None
    assert state.last_error_kind == "rate_limited"
    assert state.retry_after is not None
    assert state.retry_after >= before + timedelta(seconds=7200)
    status = core.status(cfg)
    assert status[0].next_attempt == state.retry_after


def test_no_usable_address_sends_nothing_and_records_nothing(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    checkip = f"checkip_ipv4 = {http_server.url}/checkip\n"
    cfg = write_config(
        tmp_path,
        host("a.example.com", http_server, protocols="ipv4"),
        ipv4=None,
        extra=checkip,
    )
    http_server.default = Reply(body="no address here")
    report = core.run(cfg)
    assert actions(report) == [("a.example.com", "ipv4", "skipped")]
    assert report.exit_status == 0
    assert updates(http_server) == []
    with history.History(cfg.options.database) as past:
        assert past.state("a.example.com", "dyndns2", "ipv4") is None


def test_single_request_provider_sends_every_family_at_once(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    hosts = host("a.example.com", http_server, provider="single.test")
    core.run(write_config(tmp_path, hosts))
    assert [r.query for r in updates(http_server)] == [
        {"hostname": "a.example.com", "myip": V4, "myipv6": V6}
    ]
    # Only IPv6 changes; the request still carries the unchanged IPv4 address.
    report = core.run(write_config(tmp_path, hosts, ipv6="2001:db8::8"))
    assert updates(http_server)[-1].query == {
        "hostname": "a.example.com",
        "myip": V4,
        "myipv6": "2001:db8::8",
    }
    assert actions(report) == [
        ("a.example.com", "ipv4", "updated"),
        ("a.example.com", "ipv6", "updated"),
    ]
    assert len(updates(http_server)) == 2


def test_record_removed_when_the_interface_has_no_address_of_the_family(
    tmp_path: Path, http_server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    hosts = host("a.example.com", http_server, provider="remove.test")
    core.run(write_config(tmp_path, hosts))
    # The interface is read fine: IPv4 only, IPv6 link-local only.
    red0 = fake_interface(tmp_path, monkeypatch, inet(V4), inet6("fe80::1"))
    gone = write_config(tmp_path, hosts, ipv4=None, ipv6=None, extra=red0)
    report = core.run(gone)
    assert actions(report) == [
        ("a.example.com", "ipv4", "unchanged"),
        ("a.example.com", "ipv6", "removed"),
    ]
    assert updates(http_server)[-1].query == {
        "hostname": "a.example.com",
        "family": "ipv6",
        "remove": "1",
    }
    # Removed once; the next run has nothing to remove.
    assert actions(core.run(gone))[1] == ("a.example.com", "ipv6", "skipped")
    assert len(updates(http_server)) == 3


def test_a_failed_detection_never_removes_a_record(
    tmp_path: Path, http_server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    hosts = host("a.example.com", http_server, provider="remove.test")
    cfg = write_config(tmp_path, hosts)
    core.run(cfg)
    # The IPv6 check service cannot be asked (an IPv4-only URL over IPv6).
    checkip = f"checkip_ipv6 = {http_server.url}/checkip\n"
    failing = write_config(tmp_path, hosts, ipv6=None, extra=checkip)
    with caplog.at_level("INFO", logger="ddns"):
        report = core.run(failing)
    assert actions(report) == [
        ("a.example.com", "ipv4", "unchanged"),
        ("a.example.com", "ipv6", "skipped"),
    ]
    assert report.results[1].message == (
        "no address found this run; the record is left as it is"
    )
    assert report.exit_status == 0
    assert len(updates(http_server)) == 2
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert caplog.records[0].getMessage() == (
        f"No usable IPv6 address ({http_server.url}/checkip: Could not resolve a "
        "DNS name: cannot resolve 127.0.0.1 to an IPv6 address); "
        "1 host(s) not updated"
    )
    (ipv6,) = [s for s in core.status(failing) if s.family == "ipv6"]
    assert ipv6.last_address == V6


def test_an_address_in_duplicate_address_detection_keeps_the_record(
    tmp_path: Path, http_server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    hosts = host("a.example.com", http_server, provider="remove.test")
    core.run(write_config(tmp_path, hosts))
    # The link just came up: the global address is not usable yet, but coming.
    red0 = fake_interface(
        tmp_path, monkeypatch, inet(V4), inet6("2001:db8::9", tentative=True)
    )
    report = core.run(write_config(tmp_path, hosts, ipv6=None, extra=red0))
    assert actions(report)[1] == ("a.example.com", "ipv6", "skipped")
    assert len(updates(http_server)) == 2


def test_an_interface_that_cannot_be_read_keeps_the_record(
    tmp_path: Path, http_server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    hosts = host("a.example.com", http_server, provider="remove.test")
    core.run(write_config(tmp_path, hosts))
    extra = "interface = nosuch0\n"
    with caplog.at_level("WARNING", logger="ddns"):
        report = core.run(write_config(tmp_path, hosts, ipv6=None, extra=extra))
    assert actions(report)[1] == ("a.example.com", "ipv6", "skipped")
    assert len(updates(http_server)) == 2
    assert [r.getMessage() for r in caplog.records] == [
        f"{tmp_path / 'ddns.conf'}, [config], interface: "
        "interface nosuch0 does not exist",
        "No usable IPv6 address (interface nosuch0 does not exist); "
        "1 host(s) not updated",
    ]


def test_a_family_left_out_by_protocols_keeps_its_record(
    tmp_path: Path, http_server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    core.run(write_config(tmp_path, host("a.example.com", http_server, "remove.test")))
    only_v4 = host("a.example.com", http_server, "remove.test", protocols="ipv4")
    red0 = fake_interface(tmp_path, monkeypatch, inet("203.0.113.5"))
    report = core.run(write_config(tmp_path, only_v4, ipv4=None, ipv6=None, extra=red0))
    assert actions(report) == [("a.example.com", "ipv4", "updated")]
    assert [r.query for r in updates(http_server)][2:] == [
        {"hostname": "a.example.com", "family": "ipv4", "myip": "203.0.113.5"}
    ]


def test_dry_run_sends_and_writes_nothing(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    cfg = write_config(tmp_path, host("a.example.com", http_server))
    report = core.run(cfg, dry_run=True)
    assert actions(report) == [
        ("a.example.com", "ipv4", "dry-run"),
        ("a.example.com", "ipv6", "dry-run"),
    ]
    assert report.results[0].message == "would send: never sent"
    assert http_server.requests == []
    assert not Path(cfg.options.database).exists()


def test_hosts_are_updated_concurrently(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    hosts = "".join(
        host(f"h{i}.example.com", http_server, protocols="ipv4") for i in range(24)
    )
    cfg = write_config(tmp_path, hosts)
    http_server.default = Reply(body="good", delay=0.2)
    started = time.monotonic()
    report = core.run(cfg)
    elapsed = time.monotonic() - started
    assert [r.action for r in report.results] == ["updated"] * 24
    # One after another would take 24 x 0.2 s; 16 at a time takes two rounds.
    assert elapsed < 2.0


def test_concurrent_runs_never_send_twice(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    cfg = write_config(tmp_path, host("a.example.com", http_server))
    http_server.default = Reply(body="good", delay=0.3)
    reports: list[core.RunReport] = []
    threads = [
        threading.Thread(target=lambda: reports.append(core.run(cfg))) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(updates(http_server)) == 2
    assert sorted(r.results[0].action for r in reports) == ["unchanged", "updated"]


def test_unexpected_errors_become_failures_not_crashes(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    hosts = host("a.example.com", http_server, provider="broken.test") + host(
        "b.example.com", http_server, protocols="ipv4"
    )
    report = core.run(write_config(tmp_path, hosts))
    assert actions(report) == [
        ("a.example.com", "ipv4", "failed"),
        ("b.example.com", "ipv4", "updated"),
    ]
    assert "ValueError: a bug in the provider" in report.results[0].message
    assert report.exit_status == 1


def test_secrets_stay_out_of_history_and_logs(
    tmp_path: Path, http_server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    cfg = write_config(tmp_path, host("a.example.com", http_server, protocols="ipv4"))
    http_server.default = Reply(status=500, body=f"cannot log in alice:{PASSWORD}")
    with caplog.at_level("DEBUG", logger="ddns"):
        report = core.run(cfg)
    assert report.results[0].action == "failed"
    with history.History(cfg.options.database) as past:
        state = past.state("a.example.com", "dyndns2", "ipv4")
    assert state is not None
    assert state.last_error == (
        "The provider's server reported an internal error: HTTP 500: "
        "cannot log in alice:********"
    )
    assert PASSWORD not in Path(cfg.options.database).read_bytes().decode(
        errors="replace"
    )
    assert PASSWORD not in "".join(r.getMessage() for r in caplog.records)


def test_idn_host_is_sent_as_punycode(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    cfg = write_config(tmp_path, host("münchen.example", http_server, protocols="ipv4"))
    report = core.run(cfg)
    assert updates(http_server)[0].query["hostname"] == "xn--mnchen-3ya.example"
    assert report.results[0].display_name == "münchen.example"


def test_named_hosts_only(tmp_path: Path, http_server: LoopbackServer) -> None:
    hosts = host("münchen.example", http_server, protocols="ipv4") + host(
        "b.example.com", http_server, protocols="ipv4"
    )
    cfg = write_config(tmp_path, hosts)
    assert [r.hostname for r in core.run(cfg, ["xn--mnchen-3ya.example"]).results] == [
        "xn--mnchen-3ya.example"
    ]
    assert [r.hostname for r in core.run(cfg, ["B.example.com"]).results] == [
        "b.example.com"
    ]
    with pytest.raises(
        errors.HostNotFoundError, match=r"c\.example\.com is not a section"
    ):
        core.run(cfg, ["c.example.com"])


def test_status_per_host_and_family(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    cfg = write_config(tmp_path, host("a.example.com", http_server))
    assert [(s.family, s.pending, s.reason) for s in core.status(cfg)] == [
        ("ipv4", True, "never sent"),
        ("ipv6", True, "never sent"),
    ]
    core.run(cfg)
    states = core.status(cfg)
    assert states[0].last_address == V4
    assert states[0].last_success is not None
    due = states[0].last_success + timedelta(days=30)
    assert states[0].next_attempt is None
    assert states[0].refresh_due == due
    assert states[0].reason == (
        "up to date; a changed address is sent at once; refreshed on "
        + due.strftime("%Y-%m-%d")
    )
    assert not states[0].pending
    shown = states[0].as_dict()
    assert shown["last_success"] == states[0].last_success.isoformat()
    assert shown["next_attempt"] is None
    assert shown["refresh_due"] == due.isoformat()


def test_a_run_with_nothing_to_send_imports_no_http_or_dns_library(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    cfg = write_config(tmp_path, host("a.example.com", http_server))
    core.run(cfg)
    script = (
        "import sys\n"
        "from ddns import config, core\n"
        f"report = core.run(config.load({cfg.path!r}))\n"
        "print(report.exit_status, sorted({r.action for r in report.results}),"
        " 'requests' in sys.modules, 'dns' in sys.modules, 'urllib3' in sys.modules)\n"
    )
    out = subprocess.check_output([sys.executable, "-c", script], cwd=ROOT, text=True)
    assert out.split() == ["0", "['unchanged']", "False", "False", "False"]


def test_missing_family_is_warned_about_only_when_it_matters(
    tmp_path: Path,
    http_server: LoopbackServer,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hosts = host("a.example.com", http_server)
    no_ipv6 = fake_interface(tmp_path, monkeypatch, inet(V4), inet6("fe80::1"))
    line = (
        "No usable IPv6 address (interface red0 has no publishable IPv6 address "
        "(fe80::1 (link-local address))); 1 host(s) not updated"
    )
    # No IPv6 on the machine while IPv4 works: routine, info, not a warning.
    with caplog.at_level("INFO", logger="ddns"):
        core.run(write_config(tmp_path, hosts, ipv4=None, ipv6=None, extra=no_ipv6))
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("INFO", line),
        ("INFO", f"Updated a.example.com (dyndns2): ipv4 {V4}"),
    ]
    # IPv6 was sent before and its record stays (dyndns2 cannot remove it).
    core.run(write_config(tmp_path, hosts))
    caplog.clear()
    with caplog.at_level("WARNING", logger="ddns"):
        core.run(write_config(tmp_path, hosts, ipv4=None, ipv6=None, extra=no_ipv6))
    assert [r.getMessage() for r in caplog.records] == [line]
    # No address of any family: always a warning.
    caplog.clear()
    nothing = fake_interface(tmp_path, monkeypatch)
    with caplog.at_level("WARNING", logger="ddns"):
        core.run(
            write_config(
                tmp_path,
                host("b.example.com", http_server),
                ipv4=None,
                ipv6=None,
                extra=nothing + f"checkip_ipv4 = {http_server.url}/checkip\n",
            )
        )
    assert [r.getMessage()[:26] for r in caplog.records] == [
        "No usable IPv4 address (in",
        "No usable IPv6 address (in",
    ]


def test_a_failed_check_is_a_warning_even_for_a_family_never_sent(
    tmp_path: Path, http_server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    http_server.default = Reply(body="no address here")
    checkip = f"checkip_ipv4 = {http_server.url}/checkip\n"
    cfg = write_config(
        tmp_path,
        host("a.example.com", http_server, protocols="ipv4"),
        ipv4=None,
        extra=checkip,
    )
    with caplog.at_level("WARNING", logger="ddns"):
        core.run(cfg)
    assert [r.getMessage() for r in caplog.records] == [
        f"No usable IPv4 address ({http_server.url}/checkip: no address in the "
        "answer); 1 host(s) not updated"
    ]


def test_no_route_of_the_family_is_routine(
    tmp_path: Path,
    http_server: LoopbackServer,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problem = "https://checkip6.example/: Network error: cannot reach it"
    offline = addresses.Detection("ipv6", None, "", [problem], offline=True)

    def detect(options: object, families: list[str], *args: object) -> object:
        found = {"ipv4": addresses.Detection("ipv4", V4, "ipv4_address")}
        found["ipv6"] = offline
        return found

    monkeypatch.setattr(addresses, "detect", detect)
    hosts = host("a.example.com", http_server, provider="remove.test")
    cfg = write_config(tmp_path, hosts, ipv6=None)
    with caplog.at_level("INFO", logger="ddns"):
        report = core.run(cfg)
    assert sorted(actions(report)) == [
        ("a.example.com", "ipv4", "updated"),
        ("a.example.com", "ipv6", "skipped"),
    ]
    assert (
        "INFO",
        f"No usable IPv6 address ({problem}); 1 host(s) not updated",
    ) in [(r.levelname, r.getMessage()) for r in caplog.records]
    assert not [r for r in caplog.records if r.levelname == "WARNING"]


def test_a_scoped_check_answer_is_never_published(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    def answer(request: Request) -> Reply:
        if request.path == "/checkip":
            return Reply(body="Current IP Address: fe80::1%eth0")
        return Reply(body="good")

    http_server.handler = answer
    cfg = write_config(
        tmp_path,
        host("a.example.com", http_server),
        ipv6=None,
        extra=f"checkip_ipv6 = {http_server.url}/checkip\n",
    )
    report = core.run(cfg)
    assert sorted(actions(report)) == [
        ("a.example.com", "ipv4", "updated"),
        ("a.example.com", "ipv6", "skipped"),
    ]
    assert [r.query["myip"] for r in updates(http_server)] == [V4]
    assert all("fe80" not in r.path + str(r.query) for r in updates(http_server))
    with history.History(cfg.options.database) as past:
        assert past.state("a.example.com", "dyndns2", "ipv6") is None


# The first run after the original client: its history knows when a host was
# updated, not with which address. The zone's own servers (BIND) tell.

# In tests/bind.py's zone: static.example.test holds these two.
PUBLISHED_V4 = "192.0.2.10"
PUBLISHED_V6 = "2001:db8::10"


@pytest.fixture
def authoritative_bind(
    bind: Bind, bind_resolver: None, monkeypatch: pytest.MonkeyPatch
) -> Bind:
    """BIND as the machine's resolver and as the zones' servers (on its port)."""
    monkeypatch.setattr(
        resolve,
        "authoritative",
        functools.partial(resolve.authoritative, port=bind.port),
    )
    return bind


def original_history(path: Path, hostname: str, days_ago: float) -> datetime:
    """The original client's history: one success of `hostname`; its time."""
    when = datetime.now(timezone.utc) - timedelta(days=days_ago)
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE updates(hostname TEXT NOT NULL, status TEXT NOT NULL, "
        "message TEXT, timestamp timestamp NOT NULL)"
    )
    db.execute(
        "INSERT INTO updates VALUES (?, 'success', NULL, ?)",
        (hostname, when.replace(tzinfo=None).isoformat(" ")),
    )
    db.commit()
    db.close()
    return when


def legacy_ipv4_host(
    tmp_path: Path, server: LoopbackServer, days_ago: float, ipv4: str
) -> config.Config:
    """static.example.test (IPv4 only), last updated by the original client."""
    original_history(tmp_path / "ddns.db", "static.example.test", days_ago)
    hosts = host("static.example.test", server, protocols="ipv4")
    return write_config(tmp_path, hosts, ipv4=ipv4)


def test_an_address_the_original_published_is_recorded_not_sent(
    tmp_path: Path, http_server: LoopbackServer, authoritative_bind: Bind
) -> None:
    when = original_history(tmp_path / "ddns.db", "static.example.test", 7)
    cfg = write_config(
        tmp_path,
        host("static.example.test", http_server),
        ipv4=PUBLISHED_V4,
        ipv6=PUBLISHED_V6,
    )
    report = core.run(cfg)
    assert updates(http_server) == []
    assert [(r.family, r.action, r.message) for r in report.results] == [
        (
            "ipv4",
            "unchanged",
            f"the zone's servers already hold {PUBLISHED_V4}; nothing sent",
        ),
        (
            "ipv6",
            "unchanged",
            f"the zone's servers already hold {PUBLISHED_V6}; nothing sent",
        ),
    ]
    with history.History(cfg.options.database) as past:
        state = past.state("static.example.test", "dyndns2", "ipv4")
    assert state is not None
    assert not state.legacy
    assert state.last_address == PUBLISHED_V4
    # Known as of the original's success: the refresh is due 30 days after it.
    assert state.last_success == when
    assert core.status(cfg)[0].refresh_due == when + timedelta(days=30)
    again = core.run(cfg)
    assert [r.message for r in again.results] == ["unchanged", "unchanged"]
    assert updates(http_server) == []


def test_an_address_dns_does_not_hold_is_sent(
    tmp_path: Path, http_server: LoopbackServer, authoritative_bind: Bind
) -> None:
    report = core.run(legacy_ipv4_host(tmp_path, http_server, 7, V4))
    assert [r.query["myip"] for r in updates(http_server)] == [V4]
    assert [(r.family, r.action, r.message) for r in report.results] == [
        ("ipv4", "updated", "the address last sent is not known"),
    ]


def test_a_refresh_due_since_the_originals_update_is_sent(
    tmp_path: Path, http_server: LoopbackServer, authoritative_bind: Bind
) -> None:
    report = core.run(legacy_ipv4_host(tmp_path, http_server, 40, PUBLISHED_V4))
    assert [r.query["myip"] for r in updates(http_server)] == [PUBLISHED_V4]
    assert report.results[0].message == "unchanged for 30 days; refreshing"


def test_a_dns_error_sends_the_update(
    tmp_path: Path,
    http_server: LoopbackServer,
    authoritative_bind: Bind,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # BIND is not authoritative for example.org and does not recurse: REFUSED.
    original_history(tmp_path / "ddns.db", "gw.example.org", 7)
    cfg = write_config(tmp_path, host("gw.example.org", http_server, protocols="ipv4"))
    with caplog.at_level("DEBUG", logger="ddns"):
        report = core.run(cfg)
    assert [r.action for r in report.results] == ["updated"]
    assert len(updates(http_server)) == 1
    (line,) = [
        r.getMessage()
        for r in caplog.records
        if r.name == "ddns.core" and r.getMessage().startswith("legacy:")
    ]
    assert line.startswith("legacy: host=gw.example.org family=ipv4 error=")
    assert "REFUSED" in line


def test_a_dry_run_asks_dns_but_records_nothing(
    tmp_path: Path, http_server: LoopbackServer, authoritative_bind: Bind
) -> None:
    cfg = legacy_ipv4_host(tmp_path, http_server, 7, PUBLISHED_V4)
    report = core.run(cfg, dry_run=True)
    assert [r.action for r in report.results] == ["unchanged"]
    with history.History(cfg.options.database) as past:
        state = past.state("static.example.test", "dyndns2", "ipv4")
    assert state is not None
    assert state.legacy


def test_status_of_a_provider_without_keepalive_shows_no_refresh_date(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    cfg = write_config(
        tmp_path, host("a.dedyn.io", http_server, provider="desec.io"), ipv6=None
    )
    core.run(cfg)
    assert [r.query for r in updates(http_server)] == [
        {"hostname": "a.dedyn.io", "myipv4": V4, "myipv6": "preserve"}
    ]
    states = core.status(cfg)
    assert [(s.family, s.reason) for s in states] == [
        ("ipv4", "up to date; a changed address is sent at once"),
        ("ipv6", "never sent"),
    ]
    assert states[0].refresh_due is None
    assert states[0].as_dict()["refresh_due"] is None
