"""The host list of IPFire's page: /var/ipfire/ddns/config and its side file.

`config` has one host a line, eight comma-separated fields:

    provider,hostname,domain,proxy,wildcards,username,password,enabled

Other pages of the firewall read it (wio.cgi takes fields 1, 2 and 7,
pppsetup.cgi greps it for "on"), so the layout stays. The FQDN is split at its
first dot into hostname and domain; proxy and wildcards are relics of an older
page and stay empty; a token is kept in the password field.

The original wrote values raw, so a comma or a line break in a password broke
the line. Lines written here that need it carry the marker `%` in the
wildcards field (a value no older page ever wrote there) and then
percent-encode `%`, `,`, CR and LF in every field. Lines without the marker
are read literally, so an old password holding `%` still loads as it was.

The eight fields hold at most two credentials; everything else a host needs
(a DynDNS2 server's url; nsupdate's server, zone and TTL; a token beside a
password) lives in /var/ipfire/ddns/hosts.conf, one INI section per FQDN.
Its values are written as they are and read by ddns.config's rules for
ddns.conf (no quoting, no inline comments), so that a value holding `#`,
quotes or `'''` comes back whole. Files without the LITERAL header were
written with configobj's quoting and are read that way.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from configobj import ConfigObj, ConfigObjError

from ddns import errors, providers
from ddns.i18n import _
from ddns.ipfire.files import EXTRA, read_text, write_atomically

log = logging.getLogger(__name__)

FIELDS = (
    "provider",
    "hostname",
    "domain",
    "proxy",
    "wildcards",
    "username",
    "password",
    "enabled",
)
ENCODED_MARKER = "%"
_MARKER_FIELD = FIELDS.index("wildcards")
_NEEDS_ENCODING = (",", "\r", "\n")
_ENCODE = {"%": "%25", ",": "%2C", "\r": "%0D", "\n": "%0A"}
_DECODE = {v: k for k, v in _ENCODE.items()}

# nsupdate has neither username nor password: the original page stored the
# TSIG key name and secret in those fields.
_FIELD_KEYS = {"nsupdate": ("key", "secret")}

# The first line of a side file whose values are written as they are.
LITERAL_HEADER = "# Dynamic DNS page: values as written (no quoting), as in ddns.conf"


@dataclass
class Host:
    """One line of `config` with the settings it stands for."""

    provider: str
    fqdn: str
    enabled: bool = True
    # Every setting of the host except provider: username, password, token,
    # url, server, zone, ttl ... exactly as the user gave them.
    settings: dict[str, str] = field(default_factory=dict)
    # The proxy and wildcards fields of an old line, written back unchanged.
    legacy: tuple[str, str] = ("", "")

    @property
    def hostname_field(self) -> str:
        return self.fqdn.partition(".")[0]

    @property
    def domain_field(self) -> str:
        return self.fqdn.partition(".")[2]


# One line of `config`.


def split_line(line: str) -> list[str]:
    """The eight fields of a `config` line, decoded when it is marked.

    A short line is padded; a line with too many fields (an old line whose
    password held a comma) gives the surplus to the password, the field that
    most likely held it.
    """
    fields = line.split(",")
    if len(fields) > len(FIELDS):
        head, tail = fields[:6], fields[-1]
        fields = [*head, ",".join(fields[6:-1]), tail]
    fields += [""] * (len(FIELDS) - len(fields))
    if fields[_MARKER_FIELD] == ENCODED_MARKER:
        fields = [_decode(value) for value in fields]
        fields[_MARKER_FIELD] = ""
    return fields


def join_fields(fields: list[str]) -> str:
    """A `config` line (without its newline), marked only when it must be."""
    if len(fields) != len(FIELDS):
        raise ValueError(f"a config line has {len(FIELDS)} fields, not {len(fields)}")
    needs_encoding = any(c in value for value in fields for c in _NEEDS_ENCODING)
    if needs_encoding or fields[_MARKER_FIELD] == ENCODED_MARKER:
        encoded = [_encode(value) for value in fields]
        encoded[_MARKER_FIELD] = ENCODED_MARKER
        return ",".join(encoded)
    return ",".join(fields)


def _encode(value: str) -> str:
    return "".join(_ENCODE.get(char, char) for char in value)


def _decode(value: str) -> str:
    out = []
    i = 0
    while i < len(value):
        chunk = value[i : i + 3].upper()
        if value[i] == "%" and chunk in _DECODE:
            out.append(_DECODE[chunk])
            i += 3
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


# The two credential fields and the settings they stand for.


def settings_from_fields(handle: str, username: str, password: str) -> dict[str, str]:
    """The settings that the username and password fields of a line stand for.

    This follows how the original page generated ddns.conf: a token provider's
    token sits in the password field (or, for freedns.afraid.org and
    regfish.com, alone in the username field), nsupdate keeps its TSIG key name
    and secret there, everybody else a username and a password.
    """
    if handle in _FIELD_KEYS:
        user_key, password_key = _FIELD_KEYS[handle]
        pairs = ((user_key, username), (password_key, password))
        return {key: value for key, value in pairs if value}

    keys = _credential_keys(handle)
    settings: dict[str, str] = {}
    if username and not password and "token" in keys:
        return {"token": username}
    if username:
        settings["username"] = username
    if password:
        settings[_password_key(handle, keys, bool(username))] = password
    return settings


def fields_from_settings(handle: str, settings: Mapping[str, str]) -> tuple[str, str]:
    """The username and password fields for a host's settings.

    Chosen so that `settings_from_fields` reads back only what the settings
    hold; what the fields cannot carry goes to the side file.
    """
    if handle in _FIELD_KEYS:
        user_key, password_key = _FIELD_KEYS[handle]
        candidates = [(settings.get(user_key, ""), settings.get(password_key, ""))]
    else:
        username = settings.get("username", "")
        keys = _credential_keys(handle)
        password_key = _password_key(handle, keys, bool(username))
        candidates = [
            (username, settings.get(password_key, "")),
            (username, ""),
        ]
    for username, password in candidates:
        decoded = settings_from_fields(handle, username, password)
        if all(settings.get(key) == value for key, value in decoded.items()):
            return username, password
    return "", ""


def _credential_keys(handle: str) -> frozenset[str]:
    cls = providers.get(handle)
    if cls is None:
        return frozenset({"username", "password"})
    return providers.known_keys(cls)


def _password_key(handle: str, keys: frozenset[str], has_username: bool) -> str:
    """Which setting the password field holds for this provider."""
    if has_username and "password" in keys:
        return "password"
    cls = providers.get(handle)
    sets = cls.credentials if cls is not None else ()
    for key in ("token", "password", "secret"):
        if (key,) in sets:
            return key
    for key in ("password", "token", "secret"):
        if key in keys:
            return key
    return "password"


# The whole list.


def parse_hosts(text: str, extra: Mapping[str, Mapping[str, str]]) -> list[Host]:
    """Hosts from the text of `config` and the side file's sections."""
    hosts = []
    for line in text.split("\n"):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        fields = split_line(line)
        provider, hostname, domain, proxy, wildcards = fields[:5]
        username, password, enabled = fields[5:]
        fqdn = f"{hostname}.{domain}" if domain else hostname
        settings = settings_from_fields(provider, username, password)
        settings.update(extra.get(fqdn, {}))
        hosts.append(
            Host(provider, fqdn, enabled == "on", settings, (proxy, wildcards))
        )
    return hosts


def format_hosts(hosts: Iterable[Host]) -> tuple[str, dict[str, dict[str, str]]]:
    """The text of `config` and the side file's sections for `hosts`."""
    lines = []
    extra: dict[str, dict[str, str]] = {}
    for host in hosts:
        username, password = fields_from_settings(host.provider, host.settings)
        decoded = settings_from_fields(host.provider, username, password)
        rest = {k: v for k, v in host.settings.items() if decoded.get(k) != v}
        if rest:
            extra[host.fqdn] = rest
        fields = [
            host.provider,
            host.hostname_field,
            host.domain_field,
            *host.legacy,
            username,
            password,
            "on" if host.enabled else "off",
        ]
        lines.append(join_fields(fields) + "\n")
    return "".join(lines), extra


def read_extra(path: str) -> dict[str, dict[str, str]]:
    """The side file's sections (FQDN -> settings); empty when missing."""
    text = read_text(path)
    if not text:
        return {}
    if text.startswith(LITERAL_HEADER + "\n"):
        return parse_ini(text, path)
    try:
        parsed = ConfigObj(text.splitlines(True), interpolation=False, list_values=True)
    except ConfigObjError as exc:
        raise errors.ConfigurationError(str(exc), path=path) from None
    sections: dict[str, dict[str, str]] = {}
    for name in parsed.sections:
        section = parsed[name]
        sections[name] = {
            key: value for key, value in section.items() if isinstance(value, str)
        }
    return sections


def parse_ini(text: str, path: str) -> dict[str, dict[str, str]]:
    """Sections of literal INI `text`, read as the client reads ddns.conf."""
    # The client's reader itself, so that the side file holds exactly the
    # values ddns.conf can hold.
    from ddns.config import _sections

    return _sections(text, path)


def format_ini(sections: Mapping[str, Mapping[str, str]], path: str = EXTRA) -> str:
    """Literal INI text that reads back value for value.

    ConfigurationError names the value that cannot be held (a line break or
    blanks at either end, which the page refuses in its forms).
    """
    from ddns.ipfire.generate import format_conf

    text = LITERAL_HEADER + "\n" + format_conf(sections)
    read = parse_ini(text, path)
    for name, values in sections.items():
        for key, value in values.items():
            if read.get(name, {}).get(key) != value:
                raise errors.ConfigurationError(
                    _("the value cannot be stored exactly"),
                    path=path,
                    section=name,
                    key=key,
                )
    return text


def load(config_path: str, extra_path: str) -> list[Host]:
    text = read_text(config_path) or ""
    return parse_hosts(text, read_extra(extra_path))


def save(hosts: Iterable[Host], config_path: str, extra_path: str) -> None:
    text, extra = format_hosts(hosts)
    write_atomically(extra_path, format_ini(extra, extra_path))
    write_atomically(config_path, text)
