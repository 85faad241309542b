"""Runs updates: detects the addresses, decides, sends, records.

One run takes the run lock, detects each address family once for all hosts,
lets the policy decide per (host, family) from the history, sends what has to
go through each host's provider (hosts concurrently, on a bounded pool) and
records every outcome. No HTTP library is loaded unless something is sent or
a check service is asked.

One case asks DNS: a family that the original client updated (its history
says when) but whose address this client never recorded. When the zone's own
servers already hold the address, that address becomes the known one and
nothing is sent; the first run after a migration then updates only what
changed.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ddns import errors, history, policy
from ddns.i18n import _, ngettext

if TYPE_CHECKING:
    from ddns.addresses import Detection
    from ddns.config import Config, HostConfig
    from ddns.http import Client
    from ddns.providers import Provider

log = logging.getLogger(__name__)

UPDATED = "updated"
UNCHANGED = "unchanged"
HELD = "held"
FAILED = "failed"
REMOVED = "removed"
SKIPPED = "skipped"
DRY_RUN = "dry-run"


# Plain classes: see ddns.config for why not dataclasses.


class Result:
    """What a run did about one family of one host."""

    __slots__ = (
        "action",
        "address",
        "display_name",
        "family",
        "hostname",
        "message",
        "provider",
    )

    def __init__(
        self,
        hostname: str,
        provider: str,
        family: str,
        action: str,
        address: str | None,
        message: str,
        display_name: str = "",
    ) -> None:
        self.hostname = hostname
        self.provider = provider
        self.family = family
        self.action = action
        self.address = address
        self.message = message
        self.display_name = display_name


class RunReport:
    __slots__ = ("interrupted", "results")

    def __init__(self, results: list[Result] | None = None) -> None:
        self.results = results if results is not None else []
        # SIGINT or SIGTERM stopped the run; what was done is recorded.
        self.interrupted = False

    @property
    def exit_status(self) -> int:
        """0 when all is fine or nothing had to be done, 1 on a failure,
        130 when the run was interrupted."""
        if self.interrupted:
            return 130
        return 1 if any(r.action == FAILED for r in self.results) else 0


class HostStatus:
    """What `ddns status` shows about one family of one host."""

    # In the order `status --json` shows them.
    FIELDS = (
        "hostname",
        "display_name",
        "provider",
        "family",
        "last_address",
        "last_success",
        "last_failure",
        "last_error_kind",
        "last_error",
        "failures",
        "next_attempt",
        "refresh_due",
        "pending",
        "reason",
    )
    __slots__ = FIELDS

    def __init__(
        self,
        hostname: str,
        display_name: str,
        provider: str,
        family: str,
        last_address: str | None,
        last_success: datetime | None,
        last_failure: datetime | None,
        last_error_kind: str | None,
        last_error: str | None,
        failures: int,
        next_attempt: datetime | None,
        pending: bool,
        reason: str,
        refresh_due: datetime | None = None,
    ) -> None:
        self.hostname = hostname
        self.display_name = display_name
        self.provider = provider
        self.family = family
        self.last_address = last_address
        self.last_success = last_success
        self.last_failure = last_failure
        self.last_error_kind = last_error_kind
        self.last_error = last_error
        self.failures = failures
        # When a failure's hold-off ends (None: nothing holds the next run
        # back, or only a change of the section or --force lifts the hold).
        self.next_attempt = next_attempt
        # When an unchanged address is sent again (None: nothing sent yet).
        self.refresh_due = refresh_due
        # Whether the next run sends (if the address is usable), and why (not).
        self.pending = pending
        self.reason = reason

    def as_dict(self) -> dict[str, Any]:
        values = ((key, getattr(self, key)) for key in self.FIELDS)
        return {
            key: value.isoformat() if isinstance(value, datetime) else value
            for key, value in values
        }


class LazyClient:
    """One HTTP client per run, created on first use by any thread."""

    def __init__(self, proxy: str | None) -> None:
        self.proxy = proxy
        self._client: Client | None = None
        self._lock = threading.Lock()

    def __call__(self) -> Client:
        with self._lock:
            if self._client is None:
                from ddns.http import Client

                self._client = Client(proxy=self.proxy)
            return self._client


class _Send:
    """The families one host sends in one request, and why."""

    __slots__ = ("addresses", "reasons")

    def __init__(self, addresses: dict[str, str | None], reasons: dict[str, str]):
        self.addresses = addresses
        self.reasons = reasons


class _Outcome:
    __slots__ = ("after", "error", "send", "time")

    def __init__(
        self,
        send: _Send,
        time: datetime,
        error: errors.DDNSError | None = None,
        after: str | None = None,
    ) -> None:
        self.send = send
        self.time = time
        self.error = error
        # Not sent: the update of these families failed first with `error`.
        self.after = after


class _Job:
    __slots__ = (
        "abandoned",
        "found",
        "host",
        "in_flight",
        "index",
        "lock",
        "outcomes",
        "provider",
        "sends",
    )

    def __init__(self, index: int, host: HostConfig, provider: type[Provider]):
        self.index = index  # the host's place in the run's results
        self.host = host
        self.provider = provider
        self.sends: list[_Send] = []
        self.outcomes: list[_Outcome] = []
        # Addresses found already published, recorded without a send.
        self.found: list[history.Attempt] = []
        # The send whose answer is awaited; set and read under `lock`.
        self.in_flight: _Send | None = None
        # An interrupted run stopped waiting for this job: its worker may
        # still get an answer, but the outcomes are no longer its to add.
        self.abandoned = False
        self.lock = threading.Lock()

    def start(self, send: _Send) -> bool:
        """Mark `send` as on its way; False when the job was abandoned."""
        with self.lock:
            if self.abandoned:
                return False
            self.in_flight = send
            return True

    def settle(self, outcomes: list[_Outcome]) -> None:
        """Add the outcomes of the send in flight, unless the job was abandoned."""
        with self.lock:
            if not self.abandoned:
                self.outcomes.extend(outcomes)
                self.in_flight = None

    def abandon(self) -> _Send | None:
        """Stop taking outcomes; the send left without an answer, if any."""
        with self.lock:
            self.abandoned = True
            return self.in_flight


def select(config: Config, hostnames: Iterable[str] | None) -> list[HostConfig]:
    """The hosts named (by section name or host name), or all of them."""
    if hostnames is None:
        return list(config.hosts)
    from ddns.config import hostname_of

    chosen: list[HostConfig] = []
    for name in hostnames:
        try:
            wanted = {name, hostname_of(name)}
        except errors.ConfigurationError:
            wanted = {name}
        matches = [
            h for h in config.hosts if h.display_name in wanted or h.hostname in wanted
        ]
        if not matches:
            broken = _broken_section(config, wanted)
            if broken is not None:
                raise broken
            if wanted & set(config.disabled):
                message = _("{name} is disabled in {path} (enabled = off)")
            elif wanted & set(config.closed):
                message = _(
                    "{name} is skipped in {path}: its provider has closed its service"
                )
            else:
                message = _("{name} is not a section of {path}")
            raise errors.HostNotFoundError(
                message.format(name=name, path=config.path), hostname=name
            )
        chosen.extend(h for h in matches if h not in chosen)
    return chosen


def _broken_section(
    config: Config, wanted: set[str]
) -> errors.ConfigurationError | None:
    """The error of the unusable section named by one of `wanted`, if any."""
    from ddns.config import hostname_of

    for section, error in config.broken.items():
        if section in wanted:
            return error
        try:
            if hostname_of(section) in wanted:
                return error
        except errors.ConfigurationError:
            continue
    return None


def run(
    config: Config,
    hostnames: Iterable[str] | None = None,
    force: bool = False,
    dry_run: bool = False,
) -> RunReport:
    """Update the hosts named (all when None) that need it."""
    from ddns import addresses, providers
    from ddns.lock import RunLock

    hosts = select(config, hostnames)
    report = RunReport()
    if not hosts:
        log.debug("run: no hosts configured")
        return report

    options = config.options
    # A dry run changes nothing, so it neither waits for nor blocks a real run.
    lock = contextlib.nullcontext() if dry_run else RunLock(options.lock_file)
    # Holds signals back while the run winds down (see below); entered first,
    # it is left last, after the history is closed and the lock released.
    winding_down = contextlib.ExitStack()
    with (
        winding_down,
        lock,
        history.History(options.database, readonly=dry_run) as past,
    ):
        client = LazyClient(options.proxy)
        families = [
            f for f in providers.FAMILIES if any(f in h.families for h in hosts)
        ]
        found = addresses.detect(options, families, client, config.path)
        usable: dict[str, str | None] = {}
        # Families the run found to have no address: their records may go.
        absent = {f for f, d in found.items() if d.address is None and d.absent}
        for family in families:
            detection = found.get(family)
            address = detection.address if detection else None
            if address is not None and not addresses.is_publishable(address):
                address = None
            usable[family] = address
            log.debug(
                "run: family=%s address=%s source=%s problems=%s",
                family,
                address,
                detection.source if detection else None,
                detection.problems if detection else None,
            )

        now = history.now()
        known = {(s.hostname, s.provider, s.family): s for s in past.states()}
        jobs: list[_Job] = []
        attempts: list[history.Attempt] = []
        by_host: dict[int, list[Result]] = {}
        for index, host in enumerate(hosts):
            cls = providers.get(host.provider)
            if cls is None:  # config.load() checked it; a changed registry
                raise errors.ConfigurationError(
                    _("unknown provider {handle!r}").format(handle=host.provider),
                    path=config.path,
                    section=host.display_name,
                )
            job, results = _plan(
                index, host, cls, usable, absent, known, past, now, force
            )
            by_host[index] = results
            attempts.extend(job.found)
            if job.sends:
                jobs.append(job)
                if dry_run:
                    by_host[index].extend(_dry_results(job))

        removing = {
            (job.host.hostname, job.host.provider, family)
            for job in jobs
            for send in job.sends
            for family, address in send.addresses.items()
            if address is None
        }
        nothing = not any(usable.values())
        for family, address in usable.items():
            detection = found.get(family)
            if address is None and detection is not None:
                _report_no_address(detection, hosts, known, removing, nothing)

        if not dry_run and jobs:
            # An update sent but not recorded would be sent again every run.
            past.check_writable()
            report.interrupted = _execute(jobs, client, options.concurrency)
        if not dry_run and (jobs or attempts):
            # From here on a signal is only noted: what was answered is
            # recorded, and the run ends (history closed, lock released)
            # without being cut short by a second Ctrl-C.
            caught = winding_down.enter_context(_deferred_signals())
            for job in jobs:
                by_host[job.index].extend(_finish(job, attempts))
            if attempts:
                past.record_all(attempts)
            _warn_new_holds(jobs, attempts, past)
            if caught or report.interrupted:
                report.interrupted = True
                _report_interruption(jobs, by_host)

    for index in range(len(hosts)):
        report.results.extend(by_host[index])
    return report


def _report_interruption(jobs: list[_Job], by_host: Mapping[int, list[Result]]) -> None:
    done = sum(
        r.action in (UPDATED, REMOVED, FAILED)
        for results in by_host.values()
        for r in results
    )
    text = ngettext(
        "interrupted; {count} update recorded",
        "interrupted; {count} updates recorded",
        done,
    ).format(count=done)
    unanswered = sum(
        len(job.in_flight.addresses) for job in jobs if job.in_flight is not None
    )
    if unanswered:
        text += ngettext(
            ", {count} left unanswered and not recorded",
            ", {count} left unanswered and not recorded",
            unanswered,
        ).format(count=unanswered)
    log.error("%s", text)


def _report_no_address(
    detection: Detection,
    hosts: list[HostConfig],
    known: Mapping[tuple[str, str, str], history.FamilyState],
    removing: set[tuple[str, str, str]],
    nothing: bool,
) -> None:
    """Say once per run that a family has no address, and how loudly.

    A detection that failed (a check service down or answering nothing
    usable, an interface that cannot be read) is a warning. A family that
    the machine does not have (the interface holds none, no route of it) is
    routine where IPv6 was never there, and a warning every five minutes
    would bury the others: that is info, unless no family has an address or
    a record of it stays published (a provider that cannot remove it).
    """
    family = detection.family
    count = sum(
        1
        for h in hosts
        if family in h.families and (h.hostname, h.provider, family) not in removing
    )
    if count == 0:
        return  # every record of it is being removed, which the run reports
    stale = any(
        s.last_address
        for key, s in known.items()
        if key[2] == family and key not in removing
    )
    missing = detection.absent or detection.offline
    level = logging.WARNING if nothing or stale or not missing else logging.INFO
    log.log(
        level,
        "%s",
        _(
            "No usable {family} address ({problems}); {count} host(s) not updated"
        ).format(
            family=family.replace("ipv", "IPv"),
            problems="; ".join(detection.problems) or _("no source gave one"),
            count=count,
        ),
    )


def _plan(
    index: int,
    host: HostConfig,
    cls: type[Provider],
    usable: Mapping[str, str | None],
    absent: set[str],
    known: Mapping[tuple[str, str, str], history.FamilyState],
    past: history.History,
    now: datetime,
    force: bool,
) -> tuple[_Job, list[Result]]:
    job = _Job(index, host, cls)
    results: list[Result] = []
    wanted: dict[str, str] = {}
    for family in host.families:
        address = usable.get(family)
        key = (host.hostname, host.provider, family)
        # One query for every state; the original's history only when needed.
        state = known.get(key) or past.state(*key)
        decision = policy.decide(
            state, address, cls, host.digest, now, force, absent=family in absent
        )
        if decision.send and state is not None and state.legacy and not force:
            decision = _decide_from_dns(job, state, address, now) or decision
        log.debug(
            "decide: host=%s provider=%s family=%s address=%s send=%s reason=%s",
            host.hostname,
            host.provider,
            family,
            address,
            decision.send,
            decision.reason,
        )
        if decision.send:
            wanted[family] = decision.reason
            continue
        if decision.held:
            action = HELD
            message = _held_message(decision, state)
            # The run that recorded the failure warned; a run every five
            # minutes that finds nothing changed since must not repeat it.
            log.info("%s", _host_line(host, family, message))
        else:
            action = SKIPPED if address is None else UNCHANGED
            message = decision.reason
        results.append(_result(host, family, action, address, message))

    if not wanted:
        return job, results
    if cls.single_request:
        # One request carries every family the host has an address for, even
        # the unchanged ones: the provider would otherwise clear or guess them.
        addresses: dict[str, str | None] = {}
        for family in host.families:
            if usable.get(family) is not None:
                addresses[family] = usable[family]
            elif family in wanted:
                addresses[family] = None  # the removal the policy decided
        results = [r for r in results if r.family not in addresses]
        reasons = {f: wanted.get(f, _("sent with the other family")) for f in addresses}
        job.sends.append(_Send(addresses, reasons))
    else:
        for family, reason in wanted.items():
            job.sends.append(_Send({family: usable.get(family)}, {family: reason}))
    return job, results


def _held_message(decision: policy.Decision, state: history.FamilyState | None) -> str:
    message = decision.reason
    if decision.next_attempt is not None:
        message = _("{reason}; next attempt after {when}").format(
            reason=decision.reason, when=format_time(decision.next_attempt)
        )
    if state is not None and state.last_error:
        message += " -- " + state.last_error
    return message


def _host_line(host: HostConfig, family: str, message: str) -> str:
    return _("{name} ({provider}), {family}: {message}").format(
        name=host.display_name, provider=host.provider, family=family, message=message
    )


def _warn_new_holds(
    jobs: list[_Job], attempts: list[history.Attempt], past: history.History
) -> None:
    """Warn about the families that a failure recorded by this run holds off.

    This is the run where the hold begins; the runs it holds off only say so
    at info level.
    """
    failed = {
        (a.hostname, a.provider, a.family)
        for a in attempts
        if a.outcome == history.FAILURE
    }
    now = history.now()
    for job in jobs:
        host = job.host
        for family in host.families:
            key = (host.hostname, host.provider, family)
            if key not in failed:
                continue
            state = past.state(*key)
            decision = policy.hold(state, job.provider, host.digest, now)
            if decision is not None:
                log.warning(
                    "%s", _host_line(host, family, _held_message(decision, state))
                )


def _decide_from_dns(
    job: _Job, state: history.FamilyState, address: str | None, now: datetime
) -> policy.Decision | None:
    """The decision when DNS shows the original client already sent `address`.

    `state` is the original's: a last success, no address. The zone's own
    servers are asked, never a caching resolver, whose answer may be an old
    address. When they hold `address` and nothing else, it becomes the known
    address as of that last success, and the policy decides again (a refresh
    may be due). None when the update has to go out as planned.
    """
    host = job.host
    if address is None or state.last_success is None:
        return None
    if not _dns_holds(host.hostname, state.family, address):
        return None
    found = history.FamilyState(
        host.hostname,
        host.provider,
        state.family,
        last_address=address,
        last_success=state.last_success,
        config_digest=host.digest,
    )
    decision = policy.decide(found, address, job.provider, host.digest, now)
    if decision.send:
        return decision
    reason = _("the zone's servers already hold {address}; nothing sent")
    job.found.append(
        history.Attempt(
            hostname=host.hostname,
            provider=host.provider,
            family=state.family,
            address=address,
            outcome=history.SUCCESS,
            time=state.last_success,
            message=_("found in DNS, sent by the original client"),
            config_digest=host.digest,
        )
    )
    return policy.Decision(
        False, reason.format(address=address), next_attempt=decision.next_attempt
    )


def _dns_holds(hostname: str, family: str, address: str) -> bool:
    """Whether the zone's authoritative servers answer exactly `address`."""
    from ddns import resolve

    try:
        records = resolve.authoritative(hostname, family)
    except Exception as exc:
        # Not knowing (whatever the cause) is no reason to hold an update back.
        log.debug("legacy: host=%s family=%s error=%s", hostname, family, exc)
        return False
    log.debug("legacy: host=%s family=%s records=%s", hostname, family, records)
    return records == [address]


def _dry_results(job: _Job) -> list[Result]:
    results = []
    for send in job.sends:
        for family, address in send.addresses.items():
            template = (
                _("would remove the record: {reason}")
                if address is None
                else _("would send: {reason}")
            )
            message = template.format(reason=send.reasons[family])
            results.append(_result(job.host, family, DRY_RUN, address, message))
            log.info(
                "%s",
                _("{name} ({provider}), {family}: {message}").format(
                    name=job.host.display_name,
                    provider=job.host.provider,
                    family=family,
                    message=message,
                ),
            )
    return results


def _execute(jobs: list[_Job], client: LazyClient, concurrency: int) -> bool:
    """Send every job; True when SIGINT or SIGTERM cut the run short.

    After a signal the run ends at once: no request starts, and a request
    still waiting for its answer is abandoned. Whether the provider took such
    an update is unknown, so nothing is recorded about it and the next run
    sends it again; waiting for it could take as long as the client's
    timeouts. The workers are daemon threads, so a worker stuck on a slow
    provider never holds the process back from exiting.
    """
    # Even one job goes to a worker: the main thread is then free to take
    # a signal while a request it cannot abort is on its way.
    import queue

    stop = threading.Event()
    waiting: queue.SimpleQueue[_Job] = queue.SimpleQueue()
    for job in jobs:
        waiting.put(job)

    def work() -> None:
        while not stop.is_set():
            try:
                job = waiting.get_nowait()
            except queue.Empty:
                return
            _send_job(job, client, stop)

    workers = [
        threading.Thread(target=work, name=f"ddns-{number}", daemon=True)
        for number in range(max(1, min(concurrency, len(jobs))))
    ]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    except KeyboardInterrupt:
        stop.set()
        for job in jobs:
            job.abandon()
        log.debug("run: interrupted; requests in flight abandoned")
        return True
    return False


@contextlib.contextmanager
def _deferred_signals() -> Iterator[list[int]]:
    """Hold SIGINT and SIGTERM back for a moment; the list shows what came."""
    import signal

    caught: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield caught  # only the main thread handles signals
        return
    held = (signal.SIGINT, signal.SIGTERM)
    before = [signal.getsignal(number) for number in held]
    for number in held:
        signal.signal(number, lambda signum, _frame: caught.append(signum))
    try:
        yield caught
    finally:
        for number, handler in zip(held, before, strict=True):
            signal.signal(number, signal.SIG_DFL if handler is None else handler)


def _send_job(job: _Job, client: LazyClient, stop: threading.Event) -> None:
    """Send one host's updates; never raises, the outcomes carry the errors."""
    host = job.host
    provider: Provider | None = None
    for number, send in enumerate(job.sends):
        if stop.is_set() or not job.start(send):
            break
        error: errors.DDNSError | None = None
        try:
            if provider is None:
                provider = job.provider(host.hostname, host.settings, client())
            log.debug(
                "send: host=%s provider=%s addresses=%s",
                host.hostname,
                host.provider,
                send.addresses,
            )
            provider.send(send.addresses)
        except errors.DDNSError as exc:
            error = exc
        except Exception as exc:
            # A fault of this client, not of the provider: retried after the
            # back-off like a temporary failure, with the traceback in debug.
            log.debug("send: host=%s unexpected error", host.hostname, exc_info=True)
            error = errors.TemporaryError(
                _("internal error: {error}").format(
                    error=f"{type(exc).__name__}: {exc}"
                )
            )
        moment = history.now()
        outcomes = [_Outcome(send, moment, error)]
        if error is not None:
            # The host's other families would meet the same refusal (the
            # same credentials) or the same unreachable or struggling server:
            # sending them now only adds a timeout or hammers the provider.
            failed = ", ".join(send.addresses)
            rest = job.sends[number + 1 :]
            outcomes += [_Outcome(r, moment, error, after=failed) for r in rest]
        job.settle(outcomes)
        if error is not None:
            break


def _finish(job: _Job, attempts: list[history.Attempt]) -> list[Result]:
    """Log a host's outcomes, add them to `attempts` and return its results."""
    host = job.host
    results: list[Result] = []
    sent: list[str] = []
    outcomes = list(job.outcomes)
    for send in job.sends[len(outcomes) :]:
        # The run was interrupted before the provider answered, or before
        # the update was sent at all.
        message = (
            _("interrupted before the provider answered; not recorded")
            if send is job.in_flight
            else _("interrupted; not sent")
        )
        for family, address in send.addresses.items():
            results.append(_result(host, family, SKIPPED, address, message))
    for outcome in outcomes:
        error = outcome.error
        if outcome.after is not None and error is not None:
            results.extend(_not_sent(job, outcome, error, attempts))
            continue
        for family, address in outcome.send.addresses.items():
            retry_after = None
            if error is not None and error.retry_after:
                retry_after = outcome.time + timedelta(seconds=error.retry_after)
            attempts.append(
                history.Attempt(
                    hostname=host.hostname,
                    provider=host.provider,
                    family=family,
                    address=address,
                    outcome=(
                        history.FAILURE
                        if error is not None
                        else history.REMOVED
                        if address is None
                        else history.SUCCESS
                    ),
                    time=outcome.time,
                    error_kind=error.kind if error is not None else None,
                    message=str(error) if error is not None else None,
                    config_digest=host.digest,
                    retry_after=retry_after,
                )
            )
            if error is not None:
                results.append(_result(host, family, FAILED, address, str(error)))
            elif address is None:
                results.append(
                    _result(host, family, REMOVED, None, _("record removed"))
                )
                sent.append(_("{family} record removed").format(family=family))
            else:
                reason = outcome.send.reasons[family]
                results.append(_result(host, family, UPDATED, address, reason))
                sent.append(f"{family} {address}")
        if error is not None:
            text = _(
                "Update of {name} ({provider}) failed for {families}: {error}"
            ).format(
                name=host.display_name,
                provider=host.provider,
                families=", ".join(outcome.send.addresses),
                error=error,
            )
            left = [
                f for o in outcomes if o.after is not None for f in o.send.addresses
            ]
            if left:
                text += " " + _("({families} not sent)").format(
                    families=", ".join(left)
                )
            log.error("%s", text)
    if sent:
        log.info(
            "%s",
            _("Updated {name} ({provider}): {addresses}").format(
                name=host.display_name,
                provider=host.provider,
                addresses=", ".join(sent),
            ),
        )
    return results


def _not_sent(
    job: _Job,
    outcome: _Outcome,
    error: errors.DDNSError,
    attempts: list[history.Attempt],
) -> list[Result]:
    """The results of families left out after another family's update failed.

    After a failure that stops the host (a permanent one, or any answered
    failure of a provider that does not retry those) they are recorded as
    failed by it: the same credentials would be refused, and `status` shows why
    they stopped too. After a temporary one nothing is recorded: the failed family's back-off
    keeps it out of the next run, which then tries these on their own. That
    way a failure that concerns one family only (IPv4 forced over a broken
    IPv4 path) never holds the other back, and a provider that is down costs
    one timeout per run, not one per family.
    """
    host = job.host
    results = []
    stopped = policy.stops_host(error.kind, job.provider)
    for family, address in outcome.send.addresses.items():
        if not stopped:
            message = _(
                "not sent this run: the update of {families} failed ({error})"
            ).format(families=outcome.after, error=error)
            results.append(_result(host, family, SKIPPED, address, message))
            continue
        message = _("not sent: the update of {families} was refused ({error})").format(
            families=outcome.after, error=error
        )
        attempts.append(
            history.Attempt(
                hostname=host.hostname,
                provider=host.provider,
                family=family,
                address=address,
                outcome=history.FAILURE,
                time=outcome.time,
                error_kind=error.kind,
                message=message,
                config_digest=host.digest,
            )
        )
        results.append(_result(host, family, HELD, address, message))
    return results


def _result(
    host: HostConfig, family: str, action: str, address: str | None, message: str
) -> Result:
    return Result(
        hostname=host.hostname,
        provider=host.provider,
        family=family,
        action=action,
        address=address,
        message=message,
        display_name=host.display_name,
    )


def format_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def status(
    config: Config, hostnames: Iterable[str] | None = None, now: datetime | None = None
) -> list[HostStatus]:
    """Per host and family: what was sent, what failed, what happens next."""
    from ddns import providers

    hosts = select(config, hostnames)
    moment = now or history.now()
    found: list[HostStatus] = []
    with history.History(config.options.database, readonly=True) as past:
        for host in hosts:
            cls = providers.get(host.provider)
            if cls is None:
                continue
            for family in host.families:
                state = past.state(host.hostname, host.provider, family)
                outlook = policy.outlook(state, cls, host.digest, moment)
                found.append(
                    HostStatus(
                        hostname=host.hostname,
                        display_name=host.display_name,
                        provider=host.provider,
                        family=family,
                        last_address=state.last_address if state else None,
                        last_success=state.last_success if state else None,
                        last_failure=state.last_failure if state else None,
                        last_error_kind=state.last_error_kind if state else None,
                        last_error=state.last_error if state else None,
                        failures=state.failures if state else 0,
                        next_attempt=outlook.next_attempt,
                        pending=outlook.send,
                        reason=outlook.reason,
                        refresh_due=(
                            policy.refresh_due(state, cls)
                            if state is not None and state.last_success is not None
                            else None
                        ),
                    )
                )
    return found
