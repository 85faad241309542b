"""When a (host, provider, family) needs an update, and why not.

The rules of DESIGN.md, "The update decision": an address goes out when it
differs from the last one sent with success, when nothing was ever sent, or
when the provider's `holdoff_days` passed since the last success (a
keep-alive; never for providers whose records do not expire). A failure holds
the family off: temporary ones for a wait that doubles with each failure in a
row (never less than the provider's Retry-After), permanent ones until the
host's section changes or `--force`. For a provider that does not retry
answered failures (`retries_answered_failures`) every failure it answered
stops the host like a permanent one. Without a usable address nothing is sent,
except the removal of a record the provider can remove, and only when the run
established that the family has no address (ddns.addresses,
`Detection.absent`): a detection that failed says nothing about the address
published.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ddns.config import same_section
from ddns.errors import is_temporary_kind, is_unanswered_kind
from ddns.i18n import _, ngettext

if TYPE_CHECKING:
    from ddns.history import FamilyState
    from ddns.providers import Provider

MAX_FAILURE_WAIT = timedelta(hours=24)
# Dyn asks clients to wait at least 30 minutes after `911` or `dnserr`
# (https://help.dyn.com/return-codes/); other servers in trouble get the same.
MIN_WAIT_BY_KIND = {"server": timedelta(minutes=30)}


class Decision:
    # A plain class: see ddns.config for why not a dataclass.
    __slots__ = ("held", "next_attempt", "reason", "remove", "send")

    def __init__(
        self,
        send: bool,
        reason: str,
        next_attempt: datetime | None = None,
        remove: bool = False,
        held: bool = False,
    ) -> None:
        self.send = send
        # Why, in words for the user (translated).
        self.reason = reason
        # When the next attempt is allowed; None when it is not time bound.
        self.next_attempt = next_attempt
        # The send is the removal of the family's record.
        self.remove = remove
        # A failure holds the family off.
        self.held = held


def failure_wait(failures: int, base_minutes: float, kind: str | None) -> timedelta:
    """The wait after `failures` temporary failures in a row."""
    wait = timedelta(minutes=base_minutes) * (2 ** max(0, failures - 1))
    wait = min(wait, MAX_FAILURE_WAIT)
    return max(wait, MIN_WAIT_BY_KIND.get(kind or "", timedelta(0)))


def stops_host(kind: str, provider: type[Provider]) -> bool:
    """Whether a failure of this kind stops the host until the user acts."""
    if not is_temporary_kind(kind):
        return True
    return not provider.retries_answered_failures and not is_unanswered_kind(kind)


def hold(
    state: FamilyState | None,
    provider: type[Provider],
    digest: str,
    now: datetime,
) -> Decision | None:
    """The failure hold-off in force, or None when failures hold nothing off."""
    if state is None or state.failures == 0 or state.last_attempt is None:
        return None
    if not same_section(state.config_digest, digest):
        # The user changed the section: whatever failed may work now.
        return None
    kind = state.last_error_kind or ""
    if stops_host(kind, provider):
        if is_temporary_kind(kind):
            return Decision(
                False,
                _(
                    "stopped after a failed update ({kind}): {provider} blocks "
                    "clients that repeat failed updates; change the host's "
                    "configuration or use --force"
                ).format(kind=kind, provider=provider.handle),
                held=True,
            )
        return Decision(
            False,
            _(
                "stopped after a permanent failure ({kind}); change the host's "
                "configuration or use --force"
            ).format(kind=kind or "error"),
            held=True,
        )
    wait = failure_wait(state.failures, provider.failure_holdoff_minutes, kind)
    until = state.last_attempt + wait
    if state.retry_after is not None and state.retry_after > until:
        until = state.retry_after
    if now < until:
        return Decision(
            False,
            ngettext(
                "held off after {count} failed attempt ({kind})",
                "held off after {count} failed attempts ({kind})",
                state.failures,
            ).format(count=state.failures, kind=kind),
            next_attempt=until,
            held=True,
        )
    return None


def decide(
    state: FamilyState | None,
    address: str | None,
    provider: type[Provider],
    digest: str,
    now: datetime,
    force: bool = False,
    absent: bool = False,
) -> Decision:
    """Whether to send `address` (None: no usable address) for one family.

    `absent`: with no address, the run established that the family has none,
    so that a record published before may be removed.
    """
    held = None if force else hold(state, provider, digest, now)

    if address is None:
        published = state is not None and bool(state.last_address)
        if absent and published and provider.can_remove_records:
            if held is not None:
                return held
            return Decision(
                True,
                _("no usable address any more; removing the record"),
                remove=True,
            )
        if published and not absent:
            return Decision(
                False, _("no address found this run; the record is left as it is")
            )
        return Decision(False, _("no usable address; nothing sent"))

    if held is not None:
        return held
    if force:
        return Decision(True, _("forced"))
    if state is None or state.last_success is None or state.legacy:
        return _first_time(state)
    if state.last_address is None:
        return Decision(True, _("an address is back after the record was removed"))
    if state.last_address != address:
        return Decision(
            True,
            _("address changed from {old}").format(old=state.last_address),
        )
    due = refresh_due(state, provider)
    if due is None:
        return Decision(False, _("unchanged"))
    if now >= due:
        return Decision(
            True,
            _("unchanged for {days:g} days; refreshing").format(
                days=provider.holdoff_days
            ),
        )
    return Decision(False, _("unchanged"), next_attempt=due)


def outlook(
    state: FamilyState | None, provider: type[Provider], digest: str, now: datetime
) -> Decision:
    """What the next run will do about a family, without knowing its address."""
    held = hold(state, provider, digest, now)
    if held is not None:
        return held
    if state is None or state.last_success is None or state.legacy:
        return _first_time(state)
    if state.last_address is None:
        return Decision(False, _("the record was removed; waiting for an address"))
    due = refresh_due(state, provider)
    # Nothing holds the next update back: a changed address goes out at the
    # next run, so no time of a "next attempt" is given.
    if due is None:
        return Decision(False, _("up to date; a changed address is sent at once"))
    if now >= due:
        return Decision(True, _("refresh due"))
    return Decision(
        False,
        _("up to date; a changed address is sent at once; refreshed on {date}").format(
            date=due.strftime("%Y-%m-%d")
        ),
    )


def _first_time(state: FamilyState | None) -> Decision:
    """This client never sent the family (the original client may have)."""
    if state is not None and state.legacy:
        return Decision(True, _("the address last sent is not known"))
    return Decision(True, _("never sent"))


def refresh_due(state: FamilyState, provider: type[Provider]) -> datetime | None:
    """When an unchanged address is sent again to keep the record alive.

    None when never: the provider's records do not expire.
    """
    assert state.last_success is not None
    if provider.holdoff_days is None:
        return None
    return state.last_success + timedelta(days=provider.holdoff_days)
