"""Writes /var/ipfire/ddns/ddns.conf from the page's settings and host list.

The client reads only ddns.conf; the page's files are the source. Every
regeneration reads the saved settings (the original used whatever the current
request held, so adding a host silently switched the address source back to
the red interface), writes under the page's lock, and replaces the file
atomically with mode 0600: it holds every password.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from urllib.parse import quote

from ddns import providers
from ddns.i18n import N_, _
from ddns.ipfire import files, hosts, settings
from ddns.ipfire.hosts import Host
from ddns.ipfire.settings import Settings

log = logging.getLogger(__name__)

# Why a value cannot be written to ddns.conf, which takes every value verbatim
# from its line and drops the blanks around it (as RawConfigParser did).
LINE_BREAK = N_("cannot contain a line break")
OUTER_BLANKS = N_("cannot begin or end with a blank")
NOT_EXACT = N_("cannot be stored exactly in ddns.conf")

HEADER = (
    "# Written by the Dynamic DNS page of IPFire from /var/ipfire/ddns/settings,",
    "# /var/ipfire/ddns/config and /var/ipfire/ddns/hosts.conf. Changes made",
    "# here are lost on the next save; use the page (or edit those files and run",
    "# /srv/web/ipfire/cgi-bin/ddns.cgi) instead.",
)


def proxy_url(proxy_settings: Mapping[str, str]) -> str | None:
    """The upstream proxy of IPFire's web proxy settings as a URL, or None.

    Credentials are percent-encoded so that a `@` or `:` in a password
    cannot move the host part.
    """
    server = proxy_settings.get("UPSTREAM_PROXY", "").strip()
    if not server:
        return None
    if "://" in server:
        server = server.split("://", 1)[1]
    user = proxy_settings.get("UPSTREAM_USER", "")
    password = proxy_settings.get("UPSTREAM_PASSWORD", "")
    credentials = ""
    if user:
        credentials = quote(user, safe="")
        if password:
            credentials += ":" + quote(password, safe="")
        credentials += "@"
    return f"http://{credentials}{server}"


def value_problem(value: str) -> str | None:
    """Why `value` cannot stand in ddns.conf (untranslated), or None."""
    if len(f"x{value}x".splitlines()) > 1:
        return LINE_BREAK
    if value != value.strip():
        return OUTER_BLANKS
    return None


def format_conf(sections: Mapping[str, Mapping[str, str]]) -> str:
    """INI text with every value as it is (see value_problem)."""
    blocks = []
    for name, values in sections.items():
        lines = [f"[{name}]"]
        lines += [f"{key} = {value}" for key, value in values.items()]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def section_problem(
    name: str, section: Mapping[str, str], written: Mapping[str, object]
) -> str | None:
    """Why a host's section cannot go into ddns.conf (translated), or None.

    Each section is checked as the client will read it, so that one broken
    line of the page's files (a name without a domain, an old provider that
    is gone) costs that host only, not every host of the file.
    """
    from ddns import config, errors

    if not section:
        return _("unknown provider")
    if name.lower() in (other.lower() for other in written):
        return _("listed twice; only the first entry is used")
    for key, value in section.items():
        problem = value_problem(value)
        if problem:
            return f"{key} {_(problem)}"
    try:
        config.parse(format_conf({name: section}), files.DDNS_CONF)
    except errors.ConfigurationError as exc:
        return str(exc)
    return None


def stored_problems(host: Host) -> dict[str, str]:
    """Settings of `host` that the client refuses, or that ddns.conf would not
    give back exactly: key ("": the section as a whole) -> why, translated.

    The provider's own checks come first, every problem they find (the
    client stops at the first), in the words the command line uses. Then the
    section is written and read back as the client reads it.
    """
    from ddns import config, errors

    section = host_section(host, ipv6=True)
    cls = providers.get(host.provider)
    if not section or cls is None:
        return {}
    found: dict[str, str] = {}
    for key, message in cls.validate(section, host.fqdn):
        found.setdefault(key, message)
    if found:
        return found
    try:
        parsed = config.parse(format_conf({host.fqdn: section}), files.DDNS_CONF)
    except errors.ConfigurationError as exc:
        return {exc.key or "": exc.message or str(exc)}
    for broken in parsed.broken.values():
        return {broken.key or "": broken.message or str(broken)}
    if not parsed.hosts:
        # Left out for a reason of its own (a closed service): nothing to
        # compare, and nothing the user typed is at fault.
        return {}
    read = parsed.hosts[0].settings
    return {
        key: _(NOT_EXACT) for key, value in section.items() if read.get(key) != value
    }


def host_section(host: Host, ipv6: bool) -> dict[str, str]:
    """The ddns.conf section of one host: its provider and the settings it knows."""
    cls = providers.get(host.provider)
    if cls is None:
        return {}
    known = providers.known_keys(cls)
    section = {"provider": host.provider}
    # Credentials first, in the order the provider declares them, then the rest.
    ordered = [key for group in cls.credentials for key in group]
    ordered += sorted(set(host.settings) - set(ordered))
    for key in ordered:
        value = host.settings.get(key)
        if value and key in known and key not in ("provider", "enabled"):
            section[key] = value
    if not ipv6:
        section["protocols"] = "ipv4"
    return section


def render(
    page_settings: Settings,
    host_list: Iterable[Host],
    proxy_settings: Mapping[str, str],
) -> str:
    """The text of ddns.conf."""
    options: dict[str, str] = {
        "guess_external_ip": "true" if page_settings.guess_external_ip else "false",
    }
    proxy = proxy_url(proxy_settings)
    if proxy:
        options["proxy"] = proxy
    if files.root():
        # A moved tree keeps the client's own files inside it too.
        options["database"] = files.rooted(files.DATABASE)
        options["red_address_file"] = files.rooted(files.RED_ADDRESS)

    sections: dict[str, dict[str, str]] = {"config": options}
    for host in host_list:
        if not host.enabled:
            continue
        section = host_section(host, page_settings.ipv6)
        problem = section_problem(host.fqdn, section, sections)
        if problem:
            log.warning(
                "%s",
                _("{hostname} is left out of ddns.conf: {problem}").format(
                    hostname=host.fqdn, problem=problem
                ),
            )
            continue
        sections[host.fqdn] = section

    return "\n".join(HEADER) + "\n\n" + format_conf(sections)


def write_conf() -> str:
    """Regenerate ddns.conf from the saved files; the caller holds the lock."""
    return commit()


def commit(
    page_settings: Settings | None = None, host_list: list[Host] | None = None
) -> str:
    """Save new settings and/or a new host list, and ddns.conf to match.

    All or nothing: every text is made (and ddns.conf checked) before the
    first file is replaced, and a failure while replacing puts back the files
    already replaced, so ddns.conf always matches `config` and `settings`.
    The caller holds the lock; None means the saved one.
    """
    settings_path = files.rooted(files.SETTINGS)
    hosts_path, extra_path = files.rooted(files.HOSTS), files.rooted(files.EXTRA)
    path = files.rooted(files.DDNS_CONF)

    writes: list[tuple[str, str, int | None]] = []
    if page_settings is None:
        page_settings = settings.load(settings_path)
    else:
        writes.append(
            (settings_path, settings.format_settings(page_settings.values), None)
        )
    if host_list is None:
        host_list = hosts.load(hosts_path, extra_path)
    else:
        config_text, extra = hosts.format_hosts(host_list)
        writes.append((extra_path, hosts.format_ini(extra, extra_path), None))
        writes.append((hosts_path, config_text, None))
    proxy_settings = settings.read(files.rooted(files.PROXY_SETTINGS))
    writes.append((path, render(page_settings, host_list, proxy_settings), 0o600))

    done: list[tuple[str, str | None]] = []
    try:
        for target, text, mode in writes:
            old = files.read_text(target)
            files.write_atomically(target, text, mode=mode)
            done.append((target, old))
    except BaseException:
        for target, old_text in reversed(done):
            try:
                if old_text is None:
                    os.unlink(target)
                else:
                    files.write_atomically(target, old_text)
            except OSError as exc:
                log.debug("generate: cannot restore %s: %s", target, exc)
        raise
    log.debug("generate: wrote %s with %d hosts", path, len(host_list))
    return path


def regenerate() -> str:
    """Regenerate ddns.conf under the page's lock; returns its path."""
    with files.locked():
        return write_conf()
