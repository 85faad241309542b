"""Loading and checking ddns.conf.

The file is INI as the original client read it with RawConfigParser:
`[config]` holds the global options, every other section is one host named by
its FQDN. IPFire's web page writes values raw, so a password such as
`p#ss,w\\=rd%x` or `"secret"` must reach the provider exactly as written.

The rules, the original's: whole-line comments start with `#` or `;`; there
are no inline comments; quotes are part of the value; `%` is literal; a key
ends at the first `=` or `:` and is case-insensitive; blanks around a value
are dropped; a section or a key given twice is an error.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import os
import re
import stat
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import SplitResult, urlsplit

from ddns import redact
from ddns.errors import ConfigurationError
from ddns.i18n import _, ngettext

log = logging.getLogger(__name__)

DEFAULT_CONFIG = "/etc/ddns/ddns.conf"
IPFIRE_CONFIG = "/var/ipfire/ddns/ddns.conf"
GLOBAL_SECTION = "config"

TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
FALSE_WORDS = frozenset({"false", "no", "off", "0"})
MAX_CONCURRENCY = 64
# The longest name DNS holds, in octets of its text form without the final dot.
MAX_HOSTNAME = 253

# Builds the error of one key of the section being read.
Fail = Callable[[str | None, str], ConfigurationError]


# Plain classes rather than dataclasses: importing dataclasses (and inspect
# with it) and generating their methods cost a tenth of a run that has nothing
# to send.


class Options:
    """The `[config]` section."""

    __slots__ = (
        "checkip_ipv4",
        "checkip_ipv6",
        "concurrency",
        "database",
        "guess_external_ip",
        "interface",
        "ipv4_address",
        "ipv6_address",
        "lock_file",
        "proxy",
        "red_address_file",
    )

    def __init__(
        self,
        proxy: str | None = None,
        # The original's default: ask a check service rather than trust the
        # red address.
        guess_external_ip: bool = True,
        database: str = "/var/lib/ddns.db",
        ipv4_address: str | None = None,
        ipv6_address: str | None = None,
        checkip_ipv4: tuple[str, ...] = ("https://checkip4.ipfire.org",),
        checkip_ipv6: tuple[str, ...] = ("https://checkip6.ipfire.org",),
        interface: str | None = None,
        red_address_file: str = "/var/ipfire/red/local-ipaddress",
        # Empty: next to the database (/var/lib/ddns.db -> /var/lib/ddns.lock).
        lock_file: str = "",
        concurrency: int = 16,
    ) -> None:
        self.proxy = proxy
        self.guess_external_ip = guess_external_ip
        self.database = database
        self.ipv4_address = ipv4_address
        self.ipv6_address = ipv6_address
        self.checkip_ipv4 = checkip_ipv4
        self.checkip_ipv6 = checkip_ipv6
        self.interface = interface
        self.red_address_file = red_address_file
        self.lock_file = lock_file or os.path.splitext(database)[0] + ".lock"
        self.concurrency = concurrency


class HostConfig:
    """One host section."""

    __slots__ = (
        "digest",
        "display_name",
        "families",
        "hostname",
        "provider",
        "settings",
    )

    def __init__(
        self,
        hostname: str,
        display_name: str,
        provider: str,
        settings: dict[str, str],
        families: tuple[str, ...],
        digest: str,
    ) -> None:
        self.hostname = hostname
        self.display_name = display_name
        self.provider = provider
        self.settings = settings
        self.families = families
        self.digest = digest


class Config:
    __slots__ = ("broken", "closed", "disabled", "hosts", "options", "path")

    def __init__(
        self,
        path: str,
        options: Options | None = None,
        hosts: list[HostConfig] | None = None,
        disabled: list[str] | None = None,
    ) -> None:
        self.path = path
        self.options = options if options is not None else Options()
        self.hosts = hosts if hosts is not None else []
        # Sections switched off with `enabled = off`, by display name.
        self.disabled = disabled if disabled is not None else []
        # Host sections that cannot be used, by display name, and why. One
        # typo must not stop the updates of every other host of a firewall
        # nobody watches: these are reported and skipped, not raised.
        self.broken: dict[str, ConfigurationError] = {}
        # Host sections whose provider has closed its service, by display name.
        self.closed: list[str] = []


def default_path() -> str:
    """/var/ipfire/ddns/ddns.conf on IPFire, else /etc/ddns/ddns.conf."""
    return IPFIRE_CONFIG if os.path.isdir("/var/ipfire") else DEFAULT_CONFIG


def load(path: str) -> Config:
    """Read and check the configuration at `path`."""
    if not path:
        raise ConfigurationError(_("the configuration file name is empty"))
    try:
        # Looked at before it is opened: opening a named pipe waits for a
        # writer, and reading a device such as /dev/zero never ends.
        _require_regular(os.stat(path).st_mode, path)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
        with os.fdopen(fd, "rb") as handle:
            # Checked again on what was opened, in case the path changed since.
            _require_regular(os.fstat(fd).st_mode, path)
            raw = handle.read()
    except FileNotFoundError:
        raise ConfigurationError(
            _("the configuration file does not exist"), path=path
        ) from None
    except OSError as exc:
        raise ConfigurationError(
            _("cannot read the configuration file: {error}").format(
                error=exc.strerror or exc
            ),
            path=path,
        ) from None
    except ValueError:
        raise ConfigurationError(
            _("the configuration file name holds a NUL character")
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _line_error(
            path,
            _line_number(raw, exc.start),
            _("byte 0x{byte:02x} is not UTF-8 text; save the file as UTF-8").format(
                byte=raw[exc.start]
            ),
        ) from None
    # Lines end as open() would end them: "\r\n" and a lone "\r" become "\n".
    return parse(text.replace("\r\n", "\n").replace("\r", "\n"), path)


def _require_regular(mode: int, path: str) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        problem = _("the configuration file is a directory; give the path of a file")
    else:
        kind = (
            _("a named pipe (FIFO)")
            if stat.S_ISFIFO(mode)
            else _("a socket")
            if stat.S_ISSOCK(mode)
            else _("a device")
        )
        problem = _(
            "the configuration file is {kind}, not a regular file; "
            "give the path of a file"
        ).format(kind=kind)
    raise ConfigurationError(problem, path=path)


def _line_number(raw: bytes, offset: int) -> int:
    """The line of the byte at `offset`, lines counted as the parser counts them."""
    before = raw[:offset].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return before.count(b"\n") + 1


def parse(text: str, path: str) -> Config:
    """Check the configuration `text`; `path` names it in errors."""
    sections = _sections(text, path)
    config = Config(path=path)
    if GLOBAL_SECTION in sections:
        config.options = _options(sections[GLOBAL_SECTION], path)
    seen: dict[tuple[str, str], str] = {}
    for name, values in sections.items():
        if name == GLOBAL_SECTION:
            continue
        try:
            host = _host(name, values, path)
        except ConfigurationError as exc:
            config.broken[name] = exc
            continue
        if host is None:
            config.disabled.append(name)
            continue
        if not _is_alive(host.provider):
            # Nothing the user wrote is wrong and nothing can be sent: the
            # other hosts run as if this section were not there.
            log.warning(
                "%s",
                _(
                    "{path}, [{section}]: {provider} has closed its service; "
                    "host skipped"
                ).format(path=path, section=name, provider=host.provider),
            )
            config.closed.append(name)
            continue
        other = seen.get((host.hostname, host.provider))
        if other is not None:
            config.broken[name] = ConfigurationError(
                _("the same host as [{other}]").format(other=other),
                path=path,
                section=name,
            )
            continue
        seen[(host.hostname, host.provider)] = name
        config.hosts.append(host)
    return config


def _is_alive(handle: str) -> bool:
    from ddns.providers import get

    cls = get(handle)
    return cls is not None and cls.alive


def _sections(text: str, path: str) -> dict[str, dict[str, str]]:
    """Sections in file order, each a dict of lower-case key -> raw value.

    configobj reads the structure. Its literal mode (the mode it reads its own
    specification files in) takes a value as written: no inline comment, no
    list, no unquoting, no interpolation; that is how the original's web page
    writes values, raw. _configobj_lines() adds the original's rules configobj
    lacks.
    """
    from configobj import ConfigObj, ConfigObjError, DuplicateError

    lines, literal = _configobj_lines(text, path)

    def fail(number: int | None, problem: str) -> ConfigurationError:
        return _line_error(path, number, problem)

    def first(starts: Callable[[str], bool]) -> int:
        return next(n for n, line in enumerate(lines, 1) if starts(line.strip()))

    try:
        parsed = ConfigObj(
            lines,
            list_values=False,
            interpolation=False,
            raise_errors=True,
            _inspec=True,
        )
    except DuplicateError as exc:
        # configobj's own message quotes the line; only its name is shown.
        line = exc.line.strip()
        if line.startswith("["):
            name = line.split("]", 1)[0].lstrip("[ \t").rstrip()
            problem = _("section [{name}] appears twice").format(name=name)
        else:
            key = line.split("=", 1)[0].strip()
            problem = _("{key} appears twice").format(key=key)
        raise fail(exc.line_number, problem) from None
    except ConfigObjError as exc:
        raise fail(exc.line_number, _("expected [section] or key = value")) from None

    if parsed.scalars:
        # Only keys before the first section stay at the top level.
        raise fail(
            first(lambda line: line[:1] not in ("", "#", "[")),
            _("{key} is outside any section").format(key=parsed.scalars[0]),
        )
    sections: dict[str, dict[str, str]] = {}
    for name in parsed.sections:
        section = parsed[name]
        if section.sections:
            # configobj nests [[name]] in the section before it.
            raise fail(
                first(lambda line: line.startswith("[[")),
                _("expected [section]; sections do not nest"),
            )
        sections[name] = {
            key: literal.get(value, value) for key, value in section.items()
        }
    return sections


def _line_error(path: str, number: int | None, problem: str) -> ConfigurationError:
    # The line number only: the line itself may hold a password.
    if number is None:
        return ConfigurationError(problem, path=path)
    return ConfigurationError(
        _("line {line}: {problem}").format(line=number, problem=problem), path=path
    )


def _configobj_lines(text: str, path: str) -> tuple[list[str], dict[str, str]]:
    """The lines of `text` as configobj must see them to keep the original's rules.

    One line out for every line in, so that configobj's line numbers are the
    file's. configobj's literal mode misses three rules of RawConfigParser:
    `;` starts a comment line; a key ends at the first `=` or `:` and is
    case-insensitive (written here in lower case, so that configobj's check
    for duplicates sees `Password` and `password` as one key); and a value
    starting with three quotes is, to configobj, a string that may run over
    several lines, taking the keys below it. Such a value is handed over as a
    placeholder; the second result maps it back to the value as written.
    """
    lines: list[str] = []
    literal: dict[str, str] = {}
    # Only "\n" ends a line (open() turned "\r\n" and "\r" into it), as for
    # configobj and RawConfigParser; splitlines() would also cut a value at
    # "\f" or "\u2028".
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.lstrip()
        if stripped[:1] in ("", "#", "["):
            lines.append(line)
            continue
        if stripped[0] == ";":
            lines.append("")
            continue
        equals, colon = line.find("="), line.find(":")
        cut = colon if equals < 0 or 0 <= colon < equals else equals
        if cut < 0:
            # Not a key line; configobj reports it.
            lines.append(line)
            continue
        key, value = line[:cut].strip().lower(), line[cut + 1 :].strip()
        if not key:
            raise _line_error(path, number, _("expected [section] or key = value"))
        if value[:3] in ('"""', "'''"):
            placeholder = f"\x00{number}"
            literal[placeholder] = value
            value = placeholder
        lines.append(f"{key} = {value}")
    return lines, literal


# The global options -------------------------------------------------------


def _options(values: Mapping[str, str], path: str) -> Options:
    section = GLOBAL_SECTION
    options = Options()
    base = os.path.dirname(os.path.abspath(path))

    def fail(key: str | None, message: str) -> ConfigurationError:
        return ConfigurationError(message, path=path, section=section, key=key)

    for key, value in values.items():
        if key == "proxy":
            options.proxy = _proxy(value, fail) if value else None
        elif key == "guess_external_ip":
            options.guess_external_ip = _boolean(value, key, fail)
        elif key in ("database", "lock_file", "red_address_file"):
            if not value:
                raise fail(key, _("a path is required"))
            if "\x00" in value:
                raise fail(key, _("a path cannot hold a NUL character"))
            setattr(options, key, os.path.join(base, value))
        elif key in ("ipv4_address", "ipv6_address"):
            setattr(options, key, _address(value, key[:4], key, fail) or None)
        elif key in ("checkip_ipv4", "checkip_ipv6"):
            urls = tuple(value.replace(",", " ").split())
            if not urls:
                raise fail(key, _("at least one check service URL is required"))
            for url in urls:
                _url(url, key, fail)
            setattr(options, key, urls)
        elif key == "interface":
            options.interface = _interface(value, fail) or None
        elif key == "concurrency":
            if not _is_number(value) or not 1 <= int(value) <= MAX_CONCURRENCY:
                raise fail(
                    key,
                    _("must be a number from 1 to {maximum}, not {value!r}").format(
                        maximum=MAX_CONCURRENCY, value=value
                    ),
                )
            options.concurrency = int(value)
        else:
            _warn_unknown(path, section, key, Options.__slots__)
    if "lock_file" not in values:
        options.lock_file = os.path.splitext(options.database)[0] + ".lock"
    return options


def _proxy(value: str, fail: Fail) -> str:
    # The original accepted `host:port`; it means an HTTP proxy. Without a
    # scheme the port is required, so that a stray word is not taken for a
    # proxy's name.
    url = value if "://" in value else f"http://{value}"
    parts = _parts(url, "proxy", fail, written=value)
    if (
        parts.scheme not in ("http", "https")
        or not _is_host(parts.hostname)
        or ("://" not in value and parts.port is None)
    ):
        raise fail("proxy", _("must be a proxy URL such as http://192.0.2.1:3128"))
    redact.register(parts.password)
    return url


def _is_host(host: str | None) -> bool:
    """Whether `host` (from a URL) is an IP address or a DNS name."""
    if not host:
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return bool(re.fullmatch(r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?", host))
    return True


def _is_number(value: str) -> bool:
    # str.isdigit() also accepts "²", which int() refuses.
    return value.isascii() and value.isdigit()


def _interface(value: str, fail: Fail) -> str:
    # Linux's rules for an interface name (at most IFNAMSIZ - 1 bytes).
    if value and (
        len(value.encode()) > 15
        or value in (".", "..")
        or any(c.isspace() or c in "/\x00" for c in value)
    ):
        raise fail(
            "interface",
            _("{value!r} is not a network interface name, such as red0").format(
                value=value
            ),
        )
    return value


def _boolean(value: str, key: str, fail: Fail) -> bool:
    word = value.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise fail(key, _("must be true or false, not {value!r}").format(value=value))


def _address(value: str, family: str, key: str, fail: Fail) -> str:
    if not value:
        return ""
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        address = None
    if address is None or f"ipv{address.version}" != family:
        raise fail(
            key,
            _("{value!r} is not an {family} address").format(
                value=value, family=family.replace("ipv", "IPv")
            ),
        )
    if getattr(address, "scope_id", None):
        raise fail(
            key,
            _(
                "{value!r} is a scoped address; a DNS record holds no %zone, "
                "write the address without it"
            ).format(value=value),
        )
    # Kept as written, so that a later message quotes what the file says;
    # detection normalises it.
    return value


@functools.cache
def _split(url: str) -> SplitResult | str:
    """The parts of `url`, or why it cannot be split (translated)."""
    # Many hosts share a URL; splitting it once per run keeps loading fast.
    try:
        parts = urlsplit(url)
        port = parts.port  # urllib checks the port only when asked
    except ValueError as exc:
        if "IPv6" in str(exc):
            return _(
                "the IPv6 address in it needs its brackets, as http://[2001:db8::1]/"
            )
        return _("its port is not a number from 1 to 65535")
    if port == 0:
        return _("its port is not a number from 1 to 65535")
    return parts


def _shown(url: str) -> str:
    """`url` for a message: credentials in it are masked before anything else."""
    return re.sub(r"(?<=://)[^/@]*@", "***@", url)


def _parts(value: str, key: str, fail: Fail, written: str = "") -> SplitResult:
    """The parts of URL `value`; the error shows it as `written`, if given."""
    parts = _split(value)
    if isinstance(parts, str):
        raise fail(
            key,
            _("{value!r} is not a valid URL: {problem}").format(
                value=_shown(written or value), problem=parts
            ),
        )
    return parts


def _url(value: str, key: str, fail: Fail) -> str:
    parts = _parts(value, key, fail)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise fail(
            key,
            _("{value!r} is not an http or https URL").format(value=_shown(value)),
        )
    redact.register(parts.password)
    return value


@functools.cache
def _is_loopback(host: str | None) -> bool:
    # A server on the firewall itself: nothing crosses the network.
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def _warn_unknown(path: str, section: str, key: str, known: Iterable[str]) -> None:
    # The value is not shown: a misspelt `pasword` holds a password.
    import difflib

    text = _("{path}, [{section}], {key}: unknown key, ignored").format(
        path=path, section=section, key=key
    )
    close = difflib.get_close_matches(key, sorted(known), n=1)
    if close:
        text += "; " + _("did you mean {key!r}?").format(key=close[0])
    log.warning("%s", text)


# Host sections -----------------------------------------------------------


def _host(name: str, values: Mapping[str, str], path: str) -> HostConfig | None:
    from ddns.providers import FAMILIES, get, known_keys, secret_keys

    def fail(key: str | None, message: str) -> ConfigurationError:
        return ConfigurationError(message, path=path, section=name, key=key)

    if not _boolean(values.get("enabled", "on") or "on", "enabled", fail):
        log.debug("config: section=%s disabled", name)
        return None

    try:
        hostname = hostname_of(name)
    except ConfigurationError as exc:
        raise fail(None, str(exc)) from None
    # No record can have a longer name; a numeric top label makes an address.
    if len(hostname) > MAX_HOSTNAME or hostname.rpartition(".")[2].isdigit():
        raise fail(None, _invalid_hostname(name))
    handle = values.get("provider", "")
    if not handle:
        raise fail(None, _("provider is required"))
    cls = get(handle)
    if cls is None:
        raise fail(
            "provider",
            _("unknown provider {handle!r} (see `ddns list-providers`)").format(
                handle=handle
            ),
        )

    problem = cls.hostname_problem(hostname)
    if problem:
        raise fail(None, problem)

    families = _families(values.get("protocols", ""), cls.protocols, handle, fail)

    url = values.get("url", "")
    if url:
        _url(url, "url", fail)
        if url.startswith("http://") and not _is_loopback(urlsplit(url).hostname):
            log.warning(
                "%s",
                _(
                    "{path}, [{section}]: the update URL is not https; "
                    "credentials will cross the network in clear text"
                ).format(path=path, section=name),
            )
    elif cls.requires_url:
        raise fail(None, _("url is required by {provider}").format(provider=handle))

    if cls.credentials and not any(
        all(values.get(key) for key in group) for group in cls.credentials
    ):
        raise fail(None, _missing_credentials(cls.credentials, values, handle))
    problems = cls.validate(values, hostname)
    if problems:
        raise fail(*problems[0])

    allowed = known_keys(cls)
    for key in values:
        if key not in allowed:
            _warn_unknown(path, name, key, allowed)
    for key in secret_keys(cls):
        redact.register(values.get(key))

    return HostConfig(
        hostname=hostname,
        display_name=name,
        provider=handle,
        settings=dict(values),
        families=tuple(f for f in FAMILIES if f in families),
        digest=digest(name, values),
    )


def _families(
    value: str, offered: tuple[str, ...], handle: str, fail: Fail
) -> tuple[str, ...]:
    words = value.lower().replace(",", " ").split()
    if not words or words == ["both"]:
        return offered
    unknown = [w for w in words if w not in ("ipv4", "ipv6")]
    if unknown:
        raise fail(
            "protocols",
            _("must be ipv4, ipv6 or both, not {value!r}").format(value=value),
        )
    families = tuple(f for f in offered if f in words)
    if not families:
        raise fail(
            "protocols",
            _("{provider} does not update {families}").format(
                provider=handle, families=" ".join(words)
            ),
        )
    return families


def _missing_credentials(
    groups: tuple[tuple[str, ...], ...], values: Mapping[str, str], handle: str
) -> str:
    def missing(group: tuple[str, ...]) -> list[str]:
        return [key for key in group if not values.get(key)]

    # Name what the closest alternative lacks; list the others after it.
    ordered = sorted(groups, key=lambda g: len(missing(g)))
    needed = " and ".join(missing(ordered[0]))
    text = ngettext(
        "{keys} is required by {provider}",
        "{keys} are required by {provider}",
        len(missing(ordered[0])),
    ).format(keys=needed, provider=handle)
    if len(groups) > 1:
        others = "; ".join(" and ".join(g) for g in ordered[1:])
        text += " " + _("(or: {alternatives})").format(alternatives=others)
    return text


def hostname_of(name: str) -> str:
    """The ASCII form of a host name as DNS and APIs want it.

    IDNA2008 (with the UTS #46 mapping, non-transitional) through the `idna`
    package, as registries do today: `straße.example` stays distinct from
    `strasse.example`, which Python's own IDNA2003 codec would turn it into.
    """
    text = name.strip().rstrip(".")
    try:
        if text.isascii():
            ascii_name = text.lower()
            labels = ascii_name.split(".")
            if any(not _ascii_label_ok(label) for label in labels):
                raise ValueError(name)
            if any(label.startswith("xn--") for label in labels):
                import idna

                idna.decode(ascii_name)  # rejects broken punycode
        else:
            import idna

            ascii_name = idna.encode(text, uts46=True).decode("ascii")
    except (ValueError, UnicodeError):
        raise ConfigurationError(_invalid_hostname(name)) from None
    if "." not in ascii_name:
        raise ConfigurationError(
            _("{name!r} is not a fully qualified domain name").format(name=name)
        )
    return ascii_name


def _invalid_hostname(name: str) -> str:
    return _(
        "{name!r} is not a valid host name: labels of letters, digits and "
        "hyphens (not at either end), at most 63 characters each, {limit} in "
        "all, not numeric in the last label"
    ).format(name=name, limit=MAX_HOSTNAME)


def _ascii_label_ok(label: str) -> bool:
    # Letters, digits and hyphens, plus `_` and a leading `*` that some
    # providers accept in record names; never empty, never over 63 octets.
    if not 0 < len(label) <= 63 or label.startswith("-") or label.endswith("-"):
        return False
    if label == "*":
        return True
    return all(c.isalnum() or c in "-_" for c in label)


def digest(
    name: str, values: Mapping[str, str], key_file: str = "/var/lib/ddns.key"
) -> str:
    """A fingerprint of a section's content; a change lifts a permanent failure.

    Two parts, "public-keyed". The public part is a checksum of the section
    without its secrets. The history that keeps the digest is readable by
    every local user, so the secrets go only into the keyed part, a keyed
    BLAKE2b of the whole section with a random key in `key_file` (mode 0600,
    created by root on first use, below DDNS_ROOT when that is set), which
    lets nobody test guesses of a password. A user who cannot read the key
    (the web page, a run as another user) gets the public part alone; see
    same_section() for how the two compare. BLAKE2b comes from the
    interpreter's built-in module: hashlib would load OpenSSL, which costs
    more than a whole run with nothing to send.
    """
    import contextlib
    import zlib

    prefix = os.environ.get("DDNS_ROOT", "")
    if prefix and os.path.isabs(key_file):
        key_file = os.path.join(prefix, key_file.lstrip("/"))
    key = b""
    try:
        with open(key_file, "rb") as f:
            key = f.read(64)
    except FileNotFoundError:
        if os.geteuid() == 0:
            # Written aside and linked into place: a run racing this one
            # either wins the link or reads the finished key.
            fresh = os.urandom(32)
            temporary = f"{key_file}.{os.getpid()}"
            try:
                fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as f:
                    f.write(fresh)
                os.link(temporary, key_file)
                key = fresh
            except FileExistsError:
                with open(key_file, "rb") as f:
                    key = f.read(64)
            except OSError as exc:
                log.debug("digest: no key file %s: %s", key_file, exc)
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
    except OSError as exc:
        log.debug("digest: key file %s unreadable: %s", key_file, exc)

    from ddns.providers import get, secret_keys

    cls = get(values.get("provider", ""))
    hidden = secret_keys(cls) if cls is not None else frozenset()
    hidden |= {k for k in values if k in ("password", "token", "secret")}
    shown = [f"{k}={values[k]}" for k in sorted(values) if k not in hidden]
    text = "\n".join([name, *shown]).encode("utf-8", "surrogateescape")
    public = f"{zlib.crc32(text):08x}{zlib.adler32(text):08x}"
    if len(key) < 32:
        return public

    try:
        from _blake2 import blake2b
    except ImportError:
        from hashlib import blake2b
    lines = [name, *(f"{k}={values[k]}" for k in sorted(values))]
    text = "\n".join(lines).encode("utf-8", "surrogateescape")
    return f"{public}-{blake2b(text, digest_size=16, key=key[:64]).hexdigest()}"


def same_section(stored: str | None, current: str) -> bool:
    """Whether digest `stored` (from the history) and `current` are of one section.

    Where both carry the keyed part, it decides: it follows the secrets too.
    Where either lacks it (the page, which cannot read the key, shows the
    state of what root runs recorded), the public parts decide; a change of
    a secret alone is then not seen until the next run looks.
    """
    if stored is None:
        return False
    if stored == current:
        return True
    stored_public, _dash, stored_keyed = stored.partition("-")
    public, _dash, keyed = current.partition("-")
    if stored_keyed and keyed:
        return False
    return stored_public == public
