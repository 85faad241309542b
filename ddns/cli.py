"""The `ddns` command: argparse front end, logging set-up, exit statuses.

Exit status 0 when everything is fine or nothing had to be done, 1 when an
update failed or the history could not be used, 2 for bad usage or
configuration (a broken host section is skipped and the others are updated
first), 130 when interrupted (at once: an update still waiting for its answer
is abandoned, see ddns.core). Expected errors end with a message, never a
traceback. Imports stay lazy: `ddns list-providers` runs on every load of
IPFire's web page.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from ddns import __version__
from ddns.errors import ConfigurationError, DDNSError, HostNotFoundError
from ddns.i18n import _

if TYPE_CHECKING:
    from ddns.config import Config, Options
    from ddns.core import HostStatus

log = logging.getLogger("ddns")

SYSLOG_ADDRESS = "/dev/log"
SYSLOG_FORMAT = "ddns[%(process)d]: %(message)s"
# Handlers this module installed; replaced when main() runs again.
_handlers: list[logging.Handler] = []


def setup_logging(debug: bool = False, quiet: bool = False) -> None:
    """stderr at the chosen level (errors only when quiet), syslog (daemon) at
    info; secrets masked."""
    from ddns.redact import RedactingFilter

    for handler in _handlers:
        log.removeHandler(handler)
        handler.close()
    _handlers.clear()

    level = logging.DEBUG if debug else logging.ERROR if quiet else logging.INFO
    log.setLevel(logging.DEBUG if debug else logging.INFO)

    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(level)
    stderr.setFormatter(logging.Formatter("%(message)s"))
    _handlers.append(stderr)

    # Containers and build chroots have no syslog; the run goes on quietly.
    if os.path.exists(SYSLOG_ADDRESS):
        from logging.handlers import SysLogHandler

        try:
            syslog = SysLogHandler(
                address=SYSLOG_ADDRESS, facility=SysLogHandler.LOG_DAEMON
            )
        except OSError:
            pass
        else:
            # IPFire's log viewer selects the lines tagged `ddns[PID]:`.
            syslog.setFormatter(logging.Formatter(SYSLOG_FORMAT))
            syslog.setLevel(logging.INFO)
            _handlers.append(syslog)

    for handler in _handlers:
        handler.addFilter(RedactingFilter())
        log.addHandler(handler)


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, sized without shutil.

    argparse makes a formatter for every argument it adds, and its own asks
    shutil for the terminal's width; importing shutil (with the compression
    modules it loads) costs more than building the whole parser.
    """

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_terminal_width() - 2)


def _terminal_width() -> int:
    # As shutil.get_terminal_size(): $COLUMNS, else the terminal, else 80.
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    stdout = sys.__stdout__
    if stdout is not None:
        try:
            return os.get_terminal_size(stdout.fileno()).columns or 80
        except (ValueError, OSError):
            pass
    return 80


def _config_argument(value: str) -> str:
    # An empty name would otherwise mean "the default file", silently.
    if not value:
        raise argparse.ArgumentTypeError(_("the file name is empty"))
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ddns",
        description=_("Keeps dynamic DNS records current."),
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ddns {__version__}")
    parser.add_argument(
        "-c",
        "--config",
        type=_config_argument,
        help=_(
            "configuration file (default: /etc/ddns/ddns.conf, on IPFire "
            "/var/ipfire/ddns/ddns.conf)"
        ),
    )
    # Debug output and errors only contradict each other: a usage error.
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument(
        "-d", "--debug", action="store_true", help=_("show debug output")
    )
    verbosity.add_argument(
        "-q", "--quiet", action="store_true", help=_("show only errors")
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, summary: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=summary, formatter_class=_HelpFormatter)

    update = command("update", _("update one host"))
    update.add_argument("hostname", metavar="HOST")
    update_all = command("update-all", _("update every host"))
    for sub in (update, update_all):
        sub.add_argument(
            "--force",
            action="store_true",
            help=_("send even when nothing changed or a failure holds off"),
        )
        sub.add_argument(
            "--dry-run",
            action="store_true",
            help=_("show what would be sent, send nothing"),
        )

    providers = command("list-providers", _("list the providers"))
    providers.add_argument("--json", action="store_true", help=_("output JSON"))
    command("list-token-providers", _("list the providers that take a token"))
    command("guess-ip-addresses", _("show the public addresses found"))
    status = command("status", _("show what was sent, what failed and what comes next"))
    status.add_argument("hostname", metavar="HOST", nargs="?")
    status.add_argument("--json", action="store_true", help=_("output JSON"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line `argv`; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else 2
    handler = _COMMANDS.get(args.command or "")
    if handler is None:
        # Bare `ddns`: what it can do, on stderr as for any usage error.
        parser.print_help(sys.stderr)
        return 2
    setup_logging(args.debug, args.quiet)
    with _terminated_as_interrupted():
        return _run(handler, args)


@contextlib.contextmanager
def _terminated_as_interrupted() -> Iterator[None]:
    """SIGTERM (kill, fcron) ends a run as Ctrl-C does: what was sent is recorded."""
    import signal

    try:
        before = signal.signal(signal.SIGTERM, signal.default_int_handler)
    except ValueError:  # not the main thread: signals are not ours to handle
        yield
        return
    try:
        yield
    finally:
        # Left ignored when an interrupted run is winding down.
        if signal.getsignal(signal.SIGTERM) is signal.default_int_handler:
            signal.signal(signal.SIGTERM, signal.SIG_DFL if before is None else before)


def _run(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    try:
        return handler(args)
    except (ConfigurationError, HostNotFoundError) as exc:
        if isinstance(exc, ConfigurationError) and exc.path is None:
            exc.path = args.config  # raised after loading, e.g. by detection
        log.error("%s", exc)
        return 2
    except DDNSError as exc:
        log.error("%s", exc)
        return 1
    except KeyboardInterrupt:
        _ignore_further_signals()
        # A run stopped while sending says more itself (ddns.core).
        log.error("%s", _("interrupted"))
        return 130
    except BrokenPipeError:
        # The reader (`| head`) went away; keep Python from failing on exit.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 1
    except Exception as exc:
        log.debug("main: unexpected error", exc_info=True)
        log.error(
            "%s",
            _("internal error: {error} (run with --debug for details)").format(
                error=f"{type(exc).__name__}: {exc}"
            ),
        )
        return 1


def _ignore_further_signals() -> None:
    """Once interrupted, the process only has to exit: a second Ctrl-C or
    SIGTERM must not cut that short. Python puts the default handlers back
    while it shuts down, and a signal then would kill it half-way."""
    import signal

    with contextlib.suppress(ValueError):  # not the main thread
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _config_path(args: argparse.Namespace) -> str:
    # Resolved here, not in the parser: `list-providers` loads no configuration.
    from ddns import config

    return args.config or config.default_path()


def _load(args: argparse.Namespace) -> Config:
    from ddns import config

    return config.load(_config_path(args))


def _update(args: argparse.Namespace) -> int:
    from ddns import core

    hostnames = [args.hostname] if args.command == "update" else None
    config = _load(args)
    broken = _report_broken(config, hostnames)
    if hostnames is None and _has_no_hosts(config):
        return 0
    if hostnames is None:
        for name in config.disabled:
            # Says which key turns the host back on.
            log.info("%s", _("{name}: skipped (enabled = off)").format(name=name))
    report = core.run(
        config, hostnames=hostnames, force=args.force, dry_run=args.dry_run
    )
    if report.interrupted:
        _ignore_further_signals()
    if hostnames is not None:
        # Asked about one host: say so also when nothing had to be done.
        for result in report.results:
            if result.action in (core.UNCHANGED, core.SKIPPED):
                print(
                    _("{name} ({provider}), {family}: {message}").format(
                        name=result.display_name,
                        provider=result.provider,
                        family=result.family,
                        message=result.message,
                    )
                )
    if broken and not report.interrupted:
        return 2
    return report.exit_status


def _has_no_hosts(config: Config) -> bool:
    """Warn and say True when the configuration has no host section at all."""
    if config.hosts or config.broken or config.disabled or config.closed:
        return False
    # A fresh installation: nothing is wrong, nothing to do.
    log.warning("%s", _("no hosts configured in {path}").format(path=config.path))
    return True


def _report_broken(config: Config, hostnames: list[str] | None) -> bool:
    """Log the host sections that cannot be used; True when there are some.

    Only a run over every host reports them: a run for named hosts fails
    with the error of a named host that is broken, and is about no other.
    """
    if hostnames is not None or not config.broken:
        return False
    for section, error in config.broken.items():
        log.error(
            "%s",
            _("{error} ([{section}] is skipped)").format(error=error, section=section),
        )
    return True


def _list_providers(args: argparse.Namespace) -> int:
    from ddns import providers

    classes = [providers.registry()[handle] for handle in providers.handles()]
    if args.json:
        import json

        rows = [
            {
                "handle": cls.handle,
                "name": cls.name,
                "website": cls.website,
                "families": list(cls.protocols),
                "credentials": [list(group) for group in cls.credentials],
                "requires_url": cls.requires_url,
                "supports_token_auth": cls.supports_token_auth,
                "alive": cls.alive,
            }
            for cls in classes
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    table: list[tuple[str, ...]] = [
        (_("HANDLE"), _("NAME"), _("FAMILIES"), _("CREDENTIALS"), _("ALIVE"))
    ]
    for cls in classes:
        # An empty group means the provider needs no credentials at all.
        groups = [g for g in cls.credentials if g]
        groups += [("url",)] if cls.requires_url else []
        table.append(
            (
                cls.handle,
                cls.name,
                ",".join(cls.protocols),
                " | ".join("+".join(group) for group in groups) or "-",
                _("yes") if cls.alive else _("no (service closed)"),
            )
        )
    _print_table(table)
    return 0


def _print_table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        print("  ".join(cells).rstrip())


def _list_token_providers(args: argparse.Namespace) -> int:
    from ddns import providers

    for handle in providers.token_handles():
        print(handle)
    return 0


def _options(args: argparse.Namespace) -> Options:
    from ddns import config

    # As the original, the addresses can be guessed without any host configured.
    path = _config_path(args)
    if not os.path.exists(path):
        return config.Options()
    return config.load(path).options


def _guess_ip_addresses(args: argparse.Namespace) -> int:
    from ddns import addresses
    from ddns.core import LazyClient

    options = _options(args)
    path = _config_path(args) if os.path.exists(args.config) else None
    found = addresses.detect(options, ("ipv6", "ipv4"), LazyClient(options.proxy), path)
    shown = 0
    for family, label in (("ipv6", "IPv6"), ("ipv4", "IPv4")):
        detection = found.get(family)
        if detection is not None and detection.address:
            print(f"{label} Address: {detection.address}")
            shown += 1
        elif detection is not None:
            for problem in detection.problems:
                log.warning("%s: %s", label, problem)
    return 0 if shown else 1


def _status(args: argparse.Namespace) -> int:
    from ddns import core

    hostnames = [args.hostname] if args.hostname else None
    config = _load(args)
    if hostnames is None and _has_no_hosts(config):
        if args.json:
            print("[]")
        return 0
    status = 2 if _report_broken(config, hostnames) else 0
    states = core.status(config, hostnames=hostnames)
    if args.json:
        import json

        print(json.dumps([s.as_dict() for s in states], indent=2, ensure_ascii=False))
        return status
    current = None
    for state in states:
        head = f"{state.display_name} ({state.provider})"
        if head != current:
            print(head)
            current = head
        print(f"  {state.family.replace('ipv', 'IPv')}:")
        for line in _status_lines(state):
            print(f"    {line}")
    if hostnames is None:
        # Listed too, so that the report shows every section of the file.
        for section, error in config.broken.items():
            print(f"[{section}]")
            print(
                "  " + _("not updated until this is fixed: {error}").format(error=error)
            )
    return status


def _status_lines(state: HostStatus) -> list[str]:
    from ddns.core import format_time as _when
    from ddns.errors import stored_error

    lines = []
    if state.last_success is not None:
        lines.append(
            _("last sent: {address} at {when}").format(
                address=state.last_address or _("(unknown address)"),
                when=_when(state.last_success),
            )
        )
    else:
        lines.append(_("last sent: never"))
    if state.last_failure is not None:
        lines.append(
            _("last failure: {when}: {error}").format(
                when=_when(state.last_failure),
                error=stored_error(state.last_error_kind, state.last_error),
            )
        )
    if state.failures:
        lines.append(_("failures in a row: {count}").format(count=state.failures))
    next_line = _("next: {reason}").format(reason=state.reason)
    if state.next_attempt is not None:
        next_line += " " + _("(not before {when})").format(
            when=_when(state.next_attempt)
        )
    lines.append(next_line)
    return lines


_COMMANDS = {
    "update": _update,
    "update-all": _update,
    "list-providers": _list_providers,
    "list-token-providers": _list_token_providers,
    "guess-ip-addresses": _guess_ip_addresses,
    "status": _status,
}
