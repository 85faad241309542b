"""The `custom` provider: any update service that one HTTP request reaches.

`url` is a template. Its placeholders {hostname}, {address}, {family} (ipv4
or ipv6), {record_type} (A or AAAA), {username}, {password} and {token} are
replaced by their values, each percent-encoded, so that `&`, `#`, `%` or `:`
in a value cannot change the request. `method` is GET (the default), POST or
PUT; `body` is a template like `url`, its values JSON-escaped when
`content_type` names JSON and percent-encoded otherwise (the default type is
a form). `success` is a text or regular expression the answer must contain;
without it every 2xx answer is success, an empty one too, since many small
update scripts answer nothing. A word in braces that is no placeholder, such
as {ip}, is an error when the file is read; other braces are left alone, so
JSON bodies need no escaping.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from urllib.parse import quote

from ddns import errors
from ddns.http import summarise
from ddns.i18n import _, ngettext
from ddns.providers.base import RECORD_TYPES, Provider

log = logging.getLogger(__name__)

PLACEHOLDERS = (
    "hostname",
    "address",
    "family",
    "record_type",
    "username",
    "password",
    "token",
)
PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
# What a placeholder looks like, known or not: a word in braces. `{"name": 1}`
# in a JSON body is not one.
WORD_IN_BRACES = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# The settings that are templates.
TEMPLATES = ("url", "body")
METHODS = ("GET", "POST", "PUT")
FORM = "application/x-www-form-urlencoded"


def percent_encoded(value: str) -> str:
    return quote(value, safe="")


def json_escaped(value: str) -> str:
    """`value` as it stands between the quotes of a JSON string."""
    # Imported here: every run imports this module, few send JSON.
    import json

    return json.dumps(value)[1:-1]


def fill(template: str, values: Mapping[str, str], escape: Callable[[str], str]) -> str:
    """`template` with each known placeholder replaced by its escaped value."""
    return PLACEHOLDER.sub(lambda m: escape(values[m.group(1)]), template)


def unknown_placeholders(template: str) -> list[str]:
    """The words in braces in `template` that are no placeholder, in order."""
    found = WORD_IN_BRACES.findall(template)
    return [
        w for i, w in enumerate(found) if w not in PLACEHOLDERS and w not in found[:i]
    ]


def _unknown_message(unknown: list[str]) -> str:
    known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
    return ngettext(
        "unknown placeholder {names}; the known placeholders are {known}",
        "unknown placeholders {names}; the known placeholders are {known}",
        len(unknown),
    ).format(names=", ".join(f"{{{name}}}" for name in unknown), known=known)


def method_problem(value: str) -> str | None:
    """Why `value` is no method of the custom provider, or None."""
    method = value.strip().upper() or "GET"
    if method in METHODS:
        return None
    return _("must be one of {methods}, not {method}").format(
        methods=", ".join(METHODS), method=method
    )


def contains(text: str, pattern: str) -> bool:
    """Whether `text` contains `pattern`, as plain text or as a regular expression."""
    if pattern in text:
        return True
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return False


class Custom(Provider):
    handle = "custom"
    name = "Custom update URL"
    # No service stands behind it: the templates expand as RFC 6570's simple
    # string expansion does, every character but the unreserved ones encoded.
    website = "https://www.rfc-editor.org/rfc/rfc6570"
    docs = "https://www.rfc-editor.org/rfc/rfc6570#section-3.2.2"
    quirks = (
        "Needs `url`, a template with {hostname}, {address}, {family}, "
        "{record_type}, {username}, {password} and {token}. Put secrets in "
        "username, password or token, never literally in the URL, so that they "
        "are masked in logs. With username and password but neither placeholder, "
        "they go in basic auth. Never removes records."
    )
    protocols = ("ipv4", "ipv6")
    requires_url = True
    # Nothing but `url` is needed; the credentials are whatever the template uses.
    credentials = ((),)
    optional = (
        "username",
        "password",
        "token",
        "method",
        "body",
        "content_type",
        "success",
    )

    @classmethod
    def validate(
        cls, settings: Mapping[str, str], hostname: str = ""
    ) -> list[tuple[str, str]]:
        problems = super().validate(settings, hostname)
        for key in TEMPLATES:
            unknown = unknown_placeholders(settings.get(key) or "")
            if unknown:
                problems.append((key, _unknown_message(unknown)))
        problem = method_problem(settings.get("method") or "")
        if problem:
            problems.append(("method", problem))
        return problems

    def send(self, addresses: Mapping[str, str | None]) -> None:
        for family, address in addresses.items():
            if address is None:
                log.debug(
                    "custom: %s record of %s left as it is", family, self.hostname
                )
                continue
            self.update(family, address)

    def update(self, family: str, address: str) -> None:
        url_template, body_template = self.require("url"), self.setting("body")
        values = {
            "hostname": self.hostname,
            "address": address,
            "family": family,
            "record_type": RECORD_TYPES[family],
            "username": self.setting("username"),
            "password": self.setting("password"),
            "token": self.setting("token"),
        }
        headers: dict[str, str] = {}
        data: bytes | None = None
        if body_template:
            content_type = self.setting("content_type").strip() or FORM
            escape = json_escaped if "json" in content_type.lower() else percent_encoded
            data = fill(body_template, values, escape).encode()
            headers["Content-Type"] = content_type
        templates = url_template + body_template
        # Without {address} the service can only read the address from the
        # connection, which must then be of the family being updated.
        by_connection = "{address}" not in templates

        response = self.http.request(
            self.method(),
            fill(url_template, values, percent_encoded),
            data=data,
            headers=headers,
            auth=self.basic_auth(templates),
            family=family if by_connection else self.connection_family(family),
        )
        pattern = self.setting("success")
        if pattern and not contains(response.text, pattern):
            raise errors.UnexpectedAnswerError(
                _("the answer does not contain {pattern!r}: {answer}").format(
                    pattern=pattern, answer=summarise(response.text)
                ),
                answer=response.text,
            )

    def method(self) -> str:
        method = self.setting("method")
        problem = method_problem(method)
        if problem:
            raise errors.ProviderConfigurationError(
                f"method: {problem}", hostname=self.hostname
            )
        return method.strip().upper() or "GET"

    def basic_auth(self, templates: str) -> tuple[str, str] | None:
        """Username and password for basic auth, unless a template places them."""
        username, password = self.setting("username"), self.setting("password")
        placed = "{username}" in templates or "{password}" in templates
        if username and password and not placed:
            return username, password
        return None
