"""The page's forms: which fields a provider needs, and checking what was sent.

Every problem names the field at fault, in the words of its label, so that
the page can say it at the top and mark the field itself.
"""

from __future__ import annotations

import ipaddress
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ddns import errors, providers
from ddns.i18n import N_, _
from ddns.ipfire import generate
from ddns.ipfire.hosts import Host
from ddns.ipfire.settings import ADDRESS_SOURCES, Settings

# Labels of the settings providers ask for; any other key is shown as it is.
LABELS = {
    "provider": N_("Service"),
    "hostname": N_("Hostname"),
    "enabled": N_("Enabled"),
    "username": N_("Username"),
    "password": N_("Password"),
    "token": N_("Token"),
    "key": N_("Key"),
    "secret": N_("Secret"),
    "server": N_("Server"),
    "zone": N_("Zone"),
    "ttl": N_("TTL"),
    "port": N_("Port"),
    "algorithm": N_("Algorithm"),
    # DNS Made Easy names each dynamic record by a number.
    "id": N_("Record ID"),
    "apikey": N_("API key"),
    "secretapikey": N_("Secret API key"),
    "method": N_("HTTP method"),
    "body": N_("Request body"),
    "content_type": N_("Content type"),
    "success": N_("Expected answer"),
    "url": N_("Update URL"),
    "source": N_("Address source"),
}
HINTS = {
    "url": N_(
        "For example https://dyn.example.net/nic/update; a custom URL may hold "
        "placeholders such as {hostname} and {address}"
    ),
    "success": N_("Text the answer must contain; empty: any answer with status 2xx"),
    "ttl": N_("In seconds"),
    "key": N_("The TSIG key name, or algorithm:name"),
}
MAX_LENGTH = 512


def is_number(text: str) -> bool:
    """Whether `text` is ASCII digits only (str.isdigit() also takes `²`, `①`
    and other scripts' digits, which int() refuses or the client cannot use)."""
    return text.isascii() and text.isdigit()


def label(key: str) -> str:
    return _(LABELS[key]) if key in LABELS else key


def hint(key: str) -> str:
    return _(HINTS[key]) if key in HINTS else ""


def provider_fields(cls: type[providers.Provider]) -> list[str]:
    """The settings the form asks for with provider `cls`, in order."""
    keys: list[str] = ["url"] if cls.requires_url else []
    for group in cls.credentials:
        keys += [key for key in group if key not in keys]
    keys += [key for key in cls.optional if key not in keys]
    return [
        key for key in keys if key not in providers.base.COMMON_KEYS or key == "url"
    ]


# Keys that hold a credential at some service. For a provider that is not
# registered (any more), nothing says which of its settings are secret, so
# every one of these counts as secret.
CREDENTIAL_KEYS = frozenset({"username", "password", "token", "secret", "key"})


def secret_fields(cls: type[providers.Provider] | None) -> frozenset[str]:
    """The settings of provider `cls` that never go back to the browser."""
    if cls is not None:
        return providers.secret_keys(cls)
    found = set(CREDENTIAL_KEYS)
    for handle in providers.handles():
        known = providers.get(handle)
        if known is not None:
            found |= providers.secret_keys(known)
    return frozenset(found)


@dataclass
class FieldError:
    """A problem with what was entered in one field."""

    field: str
    message: str

    @property
    def text(self) -> str:
        return _("{field}: {problem}").format(
            field=label(self.field), problem=self.message
        )


@dataclass
class HostForm:
    """What the host form holds: as submitted, or loaded from a host."""

    provider: str = ""
    hostname: str = ""
    enabled: bool = True
    values: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_request(cls, form: Mapping[str, str]) -> HostForm:
        provider = form.get("provider", "").strip()
        known = providers.get(provider)
        keys = provider_fields(known) if known is not None else []
        return cls(
            provider=provider,
            hostname=form.get("hostname", ""),
            enabled=form.get("enabled") == "on",
            values={key: form.get(key, "") for key in keys},
        )

    @classmethod
    def from_host(cls, host: Host) -> HostForm:
        secrets = secret_fields(providers.get(host.provider))
        return cls(
            provider=host.provider,
            hostname=display_name(host.fqdn),
            enabled=host.enabled,
            # Stored secrets never go back to the browser.
            values={k: v for k, v in host.settings.items() if k not in secrets},
        )


def display_name(fqdn: str) -> str:
    """A stored (ASCII) host name as its owner wrote it: xn-- labels decoded."""
    if "xn--" not in fqdn:
        return fqdn
    import idna

    try:
        return str(idna.decode(fqdn))
    except (idna.IDNAError, UnicodeError):
        return fqdn


def check_host(
    form: HostForm, listed: Sequence[Host], editing: Host | None = None
) -> tuple[Host | None, list[FieldError]]:
    """The host the form describes, or the problems that stop it.

    `editing` is the host being changed: its stored secrets are kept where
    the form leaves them blank, and it does not clash with itself.
    """
    problems: list[FieldError] = []
    cls = providers.get(form.provider)
    # A stored secret stays only with the service it was given to (another,
    # a custom URL say, could send it anywhere); a discontinued service stays
    # with the hosts that have it but is given to no other.
    same_service = editing is not None and editing.provider == form.provider
    if cls is None:
        problems.append(FieldError("provider", _("choose a service from the list")))

    if cls is not None and not cls.alive and not same_service:
        problems.append(
            FieldError(
                "provider",
                _("{provider} is discontinued; choose another service").format(
                    provider=cls.handle
                ),
            )
        )

    fqdn = ""
    if not form.hostname:
        problems.append(FieldError("hostname", _("is required")))
    elif problem := _text_problem(form.hostname):
        problems.append(FieldError("hostname", problem))
    else:
        fqdn, problem = checked_hostname(form.hostname)
        if problem:
            problems.append(FieldError("hostname", problem))
        else:
            # Old lines may keep the capitals their owner typed.
            clash = any(h.fqdn.lower() == fqdn for h in listed if h is not editing)
            if clash:
                problems.append(
                    FieldError(
                        "hostname", _("{name} is already in the list").format(name=fqdn)
                    )
                )
    if cls is None:
        return None, problems
    if fqdn and (problem := cls.hostname_problem(fqdn)):
        problems.append(FieldError("hostname", problem))

    settings: dict[str, str] = {}
    if editing is not None and same_service:
        # What the form does not show (a hand-made `protocols`, say) stays.
        settings.update(editing.settings)
    secrets = secret_fields(cls)
    for key in provider_fields(cls):
        value = form.values.get(key, "")
        if key in secrets and not value and editing is not None and same_service:
            value = editing.settings.get(key, "")
        problem = _value_problem(key, value, cls)
        if problem:
            problems.append(FieldError(key, problem))
        if value:
            settings[key] = value
        else:
            settings.pop(key, None)

    problems += _missing(cls, settings)
    if problems:
        return None, problems
    legacy = editing.legacy if editing is not None else ("", "")
    host = Host(form.provider, fqdn, form.enabled, settings, legacy)
    # What the client would read differently, or refuse, is refused here,
    # rather than saved and then left out of ddns.conf.
    shown = set(provider_fields(cls))
    for key, message in generate.stored_problems(host).items():
        problems.append(FieldError(key if key in shown else "provider", message))
    if problems:
        return None, problems
    return host, []


def checked_hostname(name: str) -> tuple[str, str | None]:
    """The ASCII form of host name `name`, and why it is refused (or None).

    Beyond what the client checks: the whole name fits DNS (253 octets, as the
    update helper demands), an IP address or a numeric top label is no host
    name, and the IDNA mapping may change case and encoding only -- a name
    whose characters it drops or replaces (a zero-width space, a full-width
    letter) is not the name the user sees.
    """
    from ddns.config import MAX_HOSTNAME

    try:
        fqdn = ascii_hostname(name)
    except errors.ConfigurationError:
        return "", _("is not a valid host name")
    if len(fqdn) > MAX_HOSTNAME:
        return "", _("is longer than {limit} characters").format(limit=MAX_HOSTNAME)
    if fqdn.rpartition(".")[2].isdigit():
        return "", _("is an IP address or ends in a number, not a host name")
    typed = unicodedata.normalize("NFC", name.rstrip(".").lower())
    if typed not in (fqdn, display_name(fqdn)):
        return "", _(
            "changes under IDNA mapping (to {name}); type the name as it is"
        ).format(name=fqdn)
    return fqdn, None


def ascii_hostname(name: str) -> str:
    """The ASCII (IDNA) form of a host name; ConfigurationError when invalid."""
    from ddns.config import hostname_of

    return hostname_of(name)


def _text_problem(value: str) -> str | None:
    """Why a typed value is refused whatever its field, or None."""
    if any("\ud800" <= c <= "\udfff" for c in value):
        # Bytes that were not UTF-8, kept as surrogates by the request.
        return _("is not UTF-8 text")
    if value != value.strip():
        # Refused, not stripped: a blank may be part of a password, and every
        # field follows the same rule.
        return _(generate.OUTER_BLANKS)
    return None


def _value_problem(key: str, value: str, cls: type[providers.Provider]) -> str | None:
    if not value:
        return None
    problem = _text_problem(value)
    if problem:
        return problem
    if len(value) > MAX_LENGTH:
        return _("is longer than {limit} characters").format(limit=MAX_LENGTH)
    if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in value):
        return _("cannot contain control characters or line breaks")
    problem = generate.value_problem(value)
    if problem:
        return _(problem)
    if key == "url":
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return _("must be an http or https URL")
    elif key == "ttl":
        # The provider's range: record APIs from 1, nsupdate from 0.
        return providers.base.ttl_problem(value, cls.min_ttl)
    elif key == "port":
        if not is_number(value) or not 1 <= int(value) <= 65535:
            return _("must be a port number (1 to 65535)")
    elif key in ("server", "zone"):
        return _name_problem(key, value)
    return None


def _name_problem(key: str, value: str) -> str | None:
    if key == "server":
        try:
            ipaddress.ip_address(value)
            return None
        except ValueError:
            pass
    problem = checked_hostname(value)[1]
    if key == "zone" and problem == _("is not a valid host name"):
        return _("is not a valid zone")
    return problem


def _missing(
    cls: type[providers.Provider], settings: Mapping[str, str]
) -> list[FieldError]:
    """What the provider still needs: the closest credential set's gaps."""
    problems = []
    if cls.requires_url and not settings.get("url"):
        problems.append(
            FieldError(
                "url", _("is required by {provider}").format(provider=cls.handle)
            )
        )
    groups = [g for g in cls.credentials if g]
    if not groups or any(all(settings.get(k) for k in g) for g in groups):
        return problems
    closest = min(groups, key=lambda g: sum(1 for k in g if not settings.get(k)))
    alternatives = [g for g in groups if g is not closest]
    for key in closest:
        if settings.get(key):
            continue
        if alternatives:
            others = "; ".join(" + ".join(label(k) for k in g) for g in alternatives)
            message = _("is required by {provider} (or: {alternatives})").format(
                provider=cls.handle, alternatives=others
            )
        else:
            message = _("is required by {provider}").format(provider=cls.handle)
        problems.append(FieldError(key, message))
    return problems


def check_settings(
    form: Mapping[str, str], current: Settings
) -> tuple[Settings, list[FieldError]]:
    """The settings form applied to `current` (unknown keys kept)."""
    source = form.get("source", "")
    if source not in ADDRESS_SOURCES:
        return current, [FieldError("source", _("choose where the address comes from"))]
    changed = Settings(dict(current.values))
    changed.address_source = source
    changed.ipv6 = form.get("ipv6") == "on"
    return changed, []
