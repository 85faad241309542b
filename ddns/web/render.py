"""Turns the page's data into HTML: Jinja2 with autoescape on everything."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

from ddns import providers
from ddns.i18n import _
from ddns.web import forms

log = logging.getLogger(__name__)

TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")


# The form shows these first, whichever service asks for them.
LEADING_FIELDS = ("url", "username", "password", "token")


@dataclass
class FieldDef:
    """One settings field of the host form."""

    key: str
    label: str
    hint: str


@dataclass
class ProviderOption:
    handle: str
    name: str
    fields: list[str]
    secrets: list[str]
    alive: bool


def provider_options(current: str) -> list[ProviderOption]:
    """Every provider a host can be given (dead ones only where in use)."""
    options = []
    for handle in providers.handles():
        cls = providers.get(handle)
        if cls is None or (not cls.alive and handle != current):
            continue
        options.append(
            ProviderOption(
                handle=handle,
                name=cls.name,
                fields=forms.provider_fields(cls),
                secrets=sorted(forms.secret_fields(cls)),
                alive=cls.alive,
            )
        )
    return options


def field_defs(options: list[ProviderOption]) -> list[FieldDef]:
    """Every field any provider asks for, each once.

    Whether a field is secret (a password input) depends on the provider: a
    username is an account name at most services, an API key at GoDaddy.
    """
    order = list(LEADING_FIELDS)
    for option in options:
        order += [key for key in option.fields if key not in order]
    order = [key for key in order if any(key in option.fields for option in options)]
    return [FieldDef(key, forms.label(key), forms.hint(key)) for key in order]


def require() -> None:
    """Raise ModuleNotFoundError now when Jinja2 is missing.

    The page is rendered after a form is handled; a request must fail
    before it changes anything, not after.
    """
    import jinja2  # noqa: F401


def _environment() -> Any:
    import jinja2

    # Compiling the templates costs more than rendering them, and every
    # request is a new CGI process: keep the compiled code in Jinja2's
    # per-user cache directory (mode 0700, ownership checked by Jinja2).
    cache: jinja2.BytecodeCache | None
    try:
        cache = jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError) as exc:
        log.debug("render: no template cache: %s", exc)
        cache = None
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=cache,
    )


def page(**context: Any) -> str:
    """The whole page."""
    form = context["form"]
    options = provider_options(form.provider)
    chosen = next((o for o in options if o.handle == form.provider), None)
    template = _environment().get_template("page.html")
    return str(
        template.render(
            _=_,
            providers=options,
            fields=field_defs(options),
            chosen_fields=chosen.fields if chosen else [],
            chosen_secrets=(
                chosen.secrets
                if chosen
                else sorted(forms.secret_fields(providers.get(form.provider)))
            ),
            **context,
        )
    )
