"""The update decision per (host, provider, family)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from ddns import errors
from ddns.history import FAILURE, SUCCESS, Attempt, FamilyState, History
from ddns.policy import decide, failure_wait, outlook
from ddns.providers import Provider, get
from ddns.providers.dyndns2 import DynDNS2, check_answer

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
ADDRESS = "198.51.100.7"
DIGEST = "digest-1"


class Removable(DynDNS2):
    """DynDNS2 with record removal, not registered (no handle of its own)."""

    can_remove_records = True


def state(**fields: object) -> FamilyState:
    base: dict[str, object] = {
        "hostname": "host.example.com",
        "provider": "dyndns2",
        "family": "ipv4",
        "config_digest": DIGEST,
    }
    base.update(fields)
    return FamilyState(**base)  # type: ignore[arg-type]


def sent(address: str = ADDRESS, when: datetime = T0) -> FamilyState:
    return state(last_address=address, last_success=when, last_attempt=when)


def test_never_sent_is_sent() -> None:
    decision = decide(None, ADDRESS, DynDNS2, DIGEST, T0)
    assert decision.send
    assert decision.reason == "never sent"


def test_unchanged_address_is_not_sent_until_the_keepalive() -> None:
    decision = decide(sent(), ADDRESS, DynDNS2, DIGEST, T0 + timedelta(days=29))
    assert not decision.send
    assert decision.next_attempt == T0 + timedelta(days=30)


def test_keepalive_after_holdoff_days() -> None:
    decision = decide(sent(), ADDRESS, DynDNS2, DIGEST, T0 + timedelta(days=30))
    assert decision.send
    assert decision.reason == "unchanged for 30 days; refreshing"


def test_changed_address_is_sent() -> None:
    decision = decide(
        sent(), "198.51.100.8", DynDNS2, DIGEST, T0 + timedelta(minutes=5)
    )
    assert decision.send
    assert decision.reason == "address changed from 198.51.100.7"


def test_legacy_success_without_address_is_sent_once() -> None:
    legacy = state(last_success=T0, legacy=True)
    decision = decide(legacy, ADDRESS, DynDNS2, DIGEST, T0 + timedelta(minutes=5))
    assert decision.send


def test_force_sends_an_unchanged_address() -> None:
    decision = decide(sent(), ADDRESS, DynDNS2, DIGEST, T0, force=True)
    assert decision.send


@pytest.mark.parametrize(
    ("failures", "minutes"),
    [(1, 15), (2, 30), (3, 60), (4, 120), (7, 960), (8, 1440), (20, 1440)],
)
def test_temporary_failures_back_off_doubling_up_to_a_day(
    failures: int, minutes: int
) -> None:
    assert failure_wait(failures, 15, "timeout") == timedelta(minutes=minutes)


def test_temporary_failure_holds_off_then_lets_through() -> None:
    failed = state(
        last_address=ADDRESS,
        last_success=T0,
        last_attempt=T0 + timedelta(hours=1),
        failures=2,
        last_error_kind="timeout",
    )
    during = decide(failed, "198.51.100.8", DynDNS2, DIGEST, T0 + timedelta(minutes=89))
    after = decide(failed, "198.51.100.8", DynDNS2, DIGEST, T0 + timedelta(minutes=90))
    assert not during.send
    assert during.held
    assert during.next_attempt == T0 + timedelta(minutes=90)
    assert after.send


def test_retry_after_longer_than_the_backoff_wins() -> None:
    failed = state(
        last_attempt=T0,
        failures=1,
        last_error_kind="rate_limited",
        retry_after=T0 + timedelta(hours=2),
    )
    decision = decide(failed, ADDRESS, DynDNS2, DIGEST, T0 + timedelta(hours=1))
    assert not decision.send
    assert decision.next_attempt == T0 + timedelta(hours=2)


@pytest.mark.parametrize(
    ("failures", "reason"),
    [
        (1, "held off after 1 failed attempt (timeout)"),
        (3, "held off after 3 failed attempts (timeout)"),
    ],
)
def test_the_hold_counts_attempts_in_words(failures: int, reason: str) -> None:
    failed = state(last_attempt=T0, failures=failures, last_error_kind="timeout")
    assert decide(failed, ADDRESS, DynDNS2, DIGEST, T0).reason == reason


def test_permanent_failure_stops_until_the_section_changes() -> None:
    failed = state(last_attempt=T0, failures=1, last_error_kind="auth")
    assert_stopped_until_the_user_acts(failed, DynDNS2, "permanent failure (auth)")


def assert_stopped_until_the_user_acts(
    failed: FamilyState, provider: type[Provider], told: str
) -> None:
    """Held a year later, `told` in the reason; a changed section or --force sends."""
    a_year_later = T0 + timedelta(days=365)
    stopped = decide(failed, ADDRESS, provider, DIGEST, a_year_later)
    assert not stopped.send
    assert stopped.held
    assert stopped.next_attempt is None
    assert told in stopped.reason
    assert decide(failed, ADDRESS, provider, "digest-2", T0).send
    assert decide(failed, ADDRESS, provider, DIGEST, T0, force=True).send


def test_no_usable_address_sends_nothing() -> None:
    later = T0 + timedelta(days=60)
    decision = decide(sent(), None, DynDNS2, DIGEST, later, absent=True)
    assert not decision.send
    assert decision.reason == "no usable address; nothing sent"
    # Detection failed: the record published is not known to be wrong.
    decision = decide(sent(), None, DynDNS2, DIGEST, later)
    assert not decision.send
    assert decision.reason == "no address found this run; the record is left as it is"


def test_no_address_removes_the_record_where_the_provider_can() -> None:
    soon = T0 + timedelta(minutes=5)
    decision = decide(sent(), None, Removable, DIGEST, soon, absent=True)
    assert decision.send
    assert decision.remove
    # Nothing was ever sent, or the record is gone already: nothing to remove.
    assert not decide(None, None, Removable, DIGEST, T0, absent=True).send
    gone = sent(address=None)  # type: ignore[arg-type]
    assert not decide(gone, None, Removable, DIGEST, T0, absent=True).send


def test_a_failed_detection_never_removes_a_record() -> None:
    soon = T0 + timedelta(minutes=5)
    for force in (False, True):
        decision = decide(sent(), None, Removable, DIGEST, soon, force=force)
        assert not decision.send
        assert not decision.remove
        assert decision.reason == (
            "no address found this run; the record is left as it is"
        )


def test_outlook_for_status() -> None:
    assert outlook(None, DynDNS2, DIGEST, T0).reason == "never sent"
    up_to_date = outlook(sent(), DynDNS2, DIGEST, T0 + timedelta(days=1))
    assert not up_to_date.send
    # Nothing holds a changed address back; the refresh date is in the words.
    assert up_to_date.next_attempt is None
    assert up_to_date.reason == (
        "up to date; a changed address is sent at once; refreshed on "
        + (T0 + timedelta(days=30)).strftime("%Y-%m-%d")
    )
    stopped = outlook(
        state(last_attempt=T0, failures=1, last_error_kind="abuse"), DynDNS2, DIGEST, T0
    )
    assert stopped.held


# Field failure 13: an unchanged address is never sent again and again.


def test_field_failure_13_no_resend_then_failure_holdoff(tmp_path: Path) -> None:
    kind = DynDNS2
    with History(str(tmp_path / "ddns.db")) as history:

        def decision_at(when: datetime, address: str = ADDRESS) -> bool:
            return decide(
                history.state("host.example.com", "dyndns2", "ipv4"),
                address,
                kind,
                DIGEST,
                when,
            ).send

        def record(
            when: datetime, outcome: str, address: str, kind: str | None
        ) -> None:
            history.record(
                Attempt(
                    "host.example.com",
                    "dyndns2",
                    "ipv4",
                    address,
                    outcome,
                    when,
                    error_kind=kind,
                    config_digest=DIGEST,
                )
            )

        # Step 1: `good 198.51.100.7`.
        assert decision_at(T0)
        check_answer("good 198.51.100.7")
        record(T0, SUCCESS, ADDRESS, None)
        # Step 2: five and ten minutes later nothing is sent.
        assert not decision_at(T0 + timedelta(minutes=5))
        assert not decision_at(T0 + timedelta(minutes=10))
        # A `nochg` answer is a success too: no resend until holdoff_days.
        check_answer("nochg 198.51.100.7")
        assert not decision_at(T0 + timedelta(days=29, hours=23))
        assert decision_at(T0 + timedelta(days=30))
        # Step 3: a new address, answered with `badauth`.
        t1 = T0 + timedelta(days=2)
        assert decision_at(t1, "198.51.100.8")
        with pytest.raises(errors.AuthenticationError) as caught:
            check_answer("badauth")
        record(t1, FAILURE, "198.51.100.8", caught.value.kind)
        failed = history.state("host.example.com", "dyndns2", "ipv4")
        assert failed is not None
        assert failed.last_address == ADDRESS  # not the address that failed
        # Step 4: five minutes later (and a year later) nothing is sent.
        assert not decision_at(t1 + timedelta(minutes=5), "198.51.100.8")
        assert not decision_at(t1 + timedelta(days=365), "198.51.100.8")


# Field failure 14: hard errors stop, server trouble and rate limits back off.


@pytest.mark.parametrize(
    ("body", "permanent", "first_wait"),
    [
        ("abuse", True, None),
        ("badauth", True, None),
        ("nohost", True, None),
        ("notfqdn", True, None),
        ("badagent", True, None),
        ("!donator", True, None),
        # Dyn asks for at least 30 minutes after 911 and dnserr.
        ("911", False, timedelta(minutes=30)),
        ("dnserr", False, timedelta(minutes=30)),
        # Hurricane Electric's `interval`: rate limited, the provider's back-off.
        ("interval", False, timedelta(minutes=15)),
    ],
)
def test_field_failure_14_hard_errors(
    body: str, permanent: bool, first_wait: timedelta | None
) -> None:
    provider = get("dyndns2")
    assert provider is DynDNS2
    with pytest.raises(errors.DDNSError) as caught:
        check_answer(body)
    error = caught.value
    assert error.temporary is not permanent
    failed = state(
        last_address=ADDRESS,
        last_success=T0,
        last_attempt=T0,
        failures=1,
        last_error_kind=error.kind,
    )
    new = "198.51.100.8"
    # Never within the same run, nor the next five-minute runs.
    assert not decide(failed, new, provider, DIGEST, T0 + timedelta(minutes=5)).send
    if permanent:
        assert not decide(failed, new, provider, DIGEST, T0 + timedelta(days=30)).send
    else:
        assert first_wait is not None
        before = T0 + first_wait - timedelta(seconds=1)
        assert not decide(failed, new, provider, DIGEST, before).send
        assert decide(failed, new, provider, DIGEST, T0 + first_wait).send


# nsupdate.info blocks clients that repeat failed updates: every failure it
# answered stops the host; only attempts it never answered are retried.


@pytest.mark.parametrize("body", ["what is this", "911", "nohost"])
def test_nsupdate_info_stops_after_any_failed_answer(body: str) -> None:
    provider = get("nsupdate.info")
    with pytest.raises(errors.DDNSError) as caught:
        check_answer(body)
    failed = state(last_attempt=T0, failures=1, last_error_kind=caught.value.kind)
    assert_stopped_until_the_user_acts(
        failed, provider, "change the host's configuration or use --force"
    )


def test_nsupdate_info_stop_names_the_reason() -> None:
    failed = state(last_attempt=T0, failures=1, last_error_kind="unexpected")
    stopped = decide(failed, ADDRESS, get("nsupdate.info"), DIGEST, T0)
    assert stopped.reason == (
        "stopped after a failed update (unexpected): nsupdate.info blocks clients "
        "that repeat failed updates; change the host's configuration or use --force"
    )


@pytest.mark.parametrize("kind", ["timeout", "network", "refused", "resolve", "tls"])
def test_nsupdate_info_retries_when_nothing_answered(kind: str) -> None:
    provider = get("nsupdate.info")
    failed = state(last_attempt=T0, failures=1, last_error_kind=kind)
    held = decide(failed, ADDRESS, provider, DIGEST, T0 + timedelta(minutes=5))
    assert not held.send
    assert held.next_attempt == T0 + timedelta(minutes=15)
    assert decide(failed, ADDRESS, provider, DIGEST, T0 + timedelta(minutes=15)).send


def test_an_unrecognised_answer_is_retried_where_the_provider_allows() -> None:
    failed = state(last_attempt=T0, failures=1, last_error_kind="unexpected")
    assert decide(failed, ADDRESS, DynDNS2, DIGEST, T0 + timedelta(minutes=15)).send


# Providers whose records never expire (holdoff_days None) get no keep-alive.


def test_an_unchanged_address_is_never_refreshed_where_records_do_not_expire() -> None:
    desec = get("desec.io")
    assert desec is not None
    years_later = T0 + timedelta(days=3650)
    decision = decide(sent(), ADDRESS, desec, DIGEST, years_later)
    assert not decision.send
    assert decision.reason == "unchanged"
    assert decision.next_attempt is None
    assert decide(sent(), "198.51.100.8", desec, DIGEST, years_later).send


def test_status_shows_no_refresh_date_where_records_do_not_expire() -> None:
    desec = get("desec.io")
    assert desec is not None
    shown = outlook(sent(), desec, DIGEST, T0 + timedelta(days=3650))
    assert not shown.send
    assert shown.reason == "up to date; a changed address is sent at once"
    assert shown.next_attempt is None
