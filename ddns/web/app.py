"""The WSGI application of Services > Dynamic DNS.

GET shows the page (with `?edit=N`, host N in the form). Every change is a
POST whose ACTION names it; a POST without a valid CSRF token, or from
another origin, changes nothing. Changes happen under the page's lock: read
the files, change them, write them, regenerate ddns.conf. Button labels are
translated, so unlike the original the ACTION values are fixed words.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ddns import errors, i18n, providers
from ddns.i18n import N_, _
from ddns.ipfire import files, generate, hosts, settings
from ddns.ipfire.helper import language
from ddns.ipfire.hosts import Host
from ddns.web import csrf, forms, render, state, update
from ddns.web.forms import FieldError, HostForm

log = logging.getLogger(__name__)

MAX_BODY = 64 * 1024
FORM_TYPE = "application/x-www-form-urlencoded"
DEFAULT_PORTS = {"http": 80, "https": 443}
DEFAULT_PROVIDER = "dyndns.org"

StartResponse = Callable[..., Any]


@dataclass
class Request:
    method: str
    script: str
    query: dict[str, str]
    form: dict[str, str]
    cookies: dict[str, str]
    https: bool
    origin: str | None
    host: str
    # The request's own origin as the server saw it, and what the browser
    # says the form came from.
    scheme: str = "http"
    referer: str | None = None
    content_type: str = ""
    # Whether the form could be read whole (not too large, not too many fields).
    readable: bool = True

    @classmethod
    def from_environ(cls, environ: dict[str, Any]) -> Request:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        form: dict[str, str] | None = {}
        if method == "POST":
            declared = environ.get("CONTENT_LENGTH") or "0"
            length = int(declared) if forms.is_number(declared) else 0
            form = None
            if 0 <= length <= MAX_BODY:
                body = environ["wsgi.input"].read(length)
                # Bytes that are not UTF-8 stay as surrogates, so that the
                # form can refuse the field rather than store U+FFFD.
                form = _fields(body.decode("utf-8", errors="surrogateescape"))
        query = _fields(environ.get("QUERY_STRING", ""))
        # name=value pairs; the page's own cookie never needs quoting.
        cookies: dict[str, str] = {}
        for pair in environ.get("HTTP_COOKIE", "").split(";"):
            name, equals, value = pair.strip().partition("=")
            if equals and name not in cookies:
                cookies[name] = value
        return cls(
            method=method,
            script=environ.get("SCRIPT_NAME", "") or "/cgi-bin/ddns.cgi",
            query=query or {},
            form=form or {},
            cookies=cookies,
            https=environ.get("HTTPS", "").lower() in ("on", "1")
            or environ.get("wsgi.url_scheme") == "https",
            origin=environ.get("HTTP_ORIGIN"),
            host=environ.get("HTTP_HOST", ""),
            scheme=environ.get("wsgi.url_scheme", "http"),
            referer=environ.get("HTTP_REFERER"),
            content_type=environ.get("CONTENT_TYPE", ""),
            readable=form is not None and query is not None,
        )


def _fields(text: str) -> dict[str, str] | None:
    """The first value of each name (a repeated field cannot smuggle a
    second); None when there are too many fields to be a form of this page."""
    try:
        parsed = parse_qs(
            text, keep_blank_values=True, max_num_fields=200, errors="surrogateescape"
        )
    except ValueError:
        return None
    return {name: values[0] for name, values in parsed.items()}


@dataclass
class HostRow:
    id: int
    fqdn: str
    name: str
    provider: str
    provider_name: str
    website: str
    known: bool
    enabled: bool
    families: list[state.FamilyView] = field(default_factory=list)
    # Enabled, yet not in ddns.conf: the client would refuse its settings.
    left_out: bool = False


class Page:
    """One request: do what it asks, then show the page."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.lang = language() or "en"
        i18n.activate([self.lang])
        self.key = csrf.load_key()
        nonce = request.cookies.get(csrf.COOKIE, "")
        self.new_cookie = not (16 <= len(nonce) <= 64 and nonce.isascii())
        self.nonce = csrf.new_nonce() if self.new_cookie else nonce
        self.status = "200 OK"
        self.notices: list[str] = []
        self.errors: list[str] = []
        self.problems: list[FieldError] = []
        self.results: update.Outcome | None = None
        self.form = HostForm(provider=self._default_provider())
        self.edit_id: int | None = None
        try:
            self.hosts = self._load_hosts()
        except errors.DDNSError as exc:
            # Shown, not raised: every change reloads under the lock and stops
            # at the same error, so a broken file is never overwritten.
            self.hosts = []
            self.errors.append(str(exc))
        self.settings = settings.load(files.rooted(files.SETTINGS))

    # Dispatch -------------------------------------------------------------

    def respond(self) -> tuple[str, list[tuple[str, str]], bytes]:
        render.require()
        if self.request.method == "POST":
            self._post()
        elif self.request.method in ("GET", "HEAD"):
            self._get()
        else:
            self.status = "405 Method Not Allowed"
            self.errors.append(_("This request method is not supported."))
        return self._render()

    def _get(self) -> None:
        edit = self.request.query.get("edit")
        if edit is not None:
            host = self._host_at(edit, None)
            if host is not None:
                self.edit_id = self._int(edit)
                self.form = HostForm.from_host(host)

    def _post(self) -> None:
        form = self.request.form
        if not self.request.readable:
            self.status = "400 Bad Request"
            self.errors.append(_("The form was too large; nothing was changed."))
            return
        media_type = self.request.content_type.partition(";")[0].strip().lower()
        if media_type != FORM_TYPE:
            # A cross-site form may send text/plain without a preflight; the
            # page's own forms send only this type.
            self.status = "415 Unsupported Media Type"
            self.errors.append(
                _("The form was not sent as a web form; nothing was changed.")
            )
            return
        if not self._same_origin() or not csrf.is_valid(
            self.key, self.request.cookies.get(csrf.COOKIE), form.get(csrf.FIELD)
        ):
            self.status = "403 Forbidden"
            self.errors.append(
                _(
                    "The form had expired or did not come from this page; "
                    "nothing was changed. Please try again."
                )
            )
            return
        actions: dict[str, Callable[[], None]] = {
            "save-settings": self._save_settings,
            "add": self._add,
            "update": self._update,
            "toggle": self._toggle,
            "remove": self._remove,
            "update-now": self._update_now,
            "fields": self._show_fields,
        }
        action = actions.get(form.get("ACTION", ""))
        if action is None:
            self.status = "400 Bad Request"
            self.errors.append(_("Unknown action; nothing was changed."))
            return
        try:
            action()
        except errors.DDNSError as exc:
            self.errors.append(str(exc))
        except OSError as exc:
            self.errors.append(
                _("The files could not be written: {error}").format(
                    error=exc.strerror or exc
                )
            )

    def _same_origin(self) -> bool:
        """Whether the form came from this page's origin (scheme, host, port).

        Origin is compared, or Referer where a browser sends no Origin; a POST
        with neither, or a request without a Host, is refused. A hostile name
        that resolves to the firewall (DNS rebinding) makes Host and Origin
        agree, but the page sits behind IPFire's Apache authentication, and a
        rebinding page has no credentials for it.
        """
        if not self.request.host:
            return False
        own = origin_of(f"{self.request.scheme}://{self.request.host}")
        claimed = self.request.origin or self.request.referer
        # "null" comes from sandboxes and file:// pages only.
        if not claimed or claimed == "null":
            return False
        return own is not None and origin_of(claimed) == own

    # Actions ---------------------------------------------------------------

    def _save_settings(self) -> None:
        with files.locked():
            current = settings.load(files.rooted(files.SETTINGS))
            changed, problems = forms.check_settings(self.request.form, current)
            if problems:
                self.problems = problems
                return
            generate.commit(page_settings=changed)
        self.settings = changed
        self.notices.append(_("Settings saved."))

    def _show_fields(self) -> None:
        # The provider changed in a browser without JavaScript: show its fields.
        self.form = HostForm.from_request(self.request.form)
        self.edit_id = self._int(self.request.form.get("ID"))

    def _add(self) -> None:
        self.form = HostForm.from_request(self.request.form)

        def add(listed: list[Host]) -> Host | None:
            host, self.problems = forms.check_host(self.form, listed)
            if host is not None:
                listed.append(host)
            return host

        host = self._change(add)
        if host is not None:
            self._report(host, N_("Dynamic DNS host {name} added"), N_("{name} added."))
            self.form = HostForm(provider=host.provider)

    def _update(self) -> None:
        self.form = HostForm.from_request(self.request.form)
        self.edit_id = self._int(self.request.form.get("ID"))

        def update(listed: list[Host]) -> Host | None:
            editing = self._host_at(self.request.form.get("ID"), listed)
            if editing is None:
                self.edit_id = None
                return None
            self.edit_id = next(i for i, h in enumerate(listed) if h is editing)
            host, self.problems = forms.check_host(self.form, listed, editing)
            if host is not None:
                listed[listed.index(editing)] = host
            return host

        host = self._change(update)
        if host is not None:
            self._report(
                host, N_("Dynamic DNS host {name} changed"), N_("{name} saved.")
            )
            self.form = HostForm(provider=host.provider)
            self.edit_id = None

    def _toggle(self) -> None:
        def toggle(listed: list[Host]) -> Host | None:
            host = self._host_at(self.request.form.get("ID"), listed)
            if host is not None:
                host.enabled = not host.enabled
            return host

        host = self._change(toggle)
        if host is not None and host.enabled:
            self._report(
                host, N_("Dynamic DNS host {name} enabled"), N_("{name} enabled.")
            )
        elif host is not None:
            self._report(
                host, N_("Dynamic DNS host {name} disabled"), N_("{name} disabled.")
            )

    def _remove(self) -> None:
        def remove(listed: list[Host]) -> Host | None:
            host = self._host_at(self.request.form.get("ID"), listed)
            if host is not None:
                listed.remove(host)
            return host

        host = self._change(remove)
        if host is not None:
            self._report(
                host, N_("Dynamic DNS host {name} removed"), N_("{name} removed.")
            )

    def _update_now(self) -> None:
        wanted = self.request.form.get("HOST", "")
        if wanted:
            host = next((h for h in self.hosts if h.fqdn == wanted), None)
            if host is None or not host.enabled:
                self.errors.append(
                    _("Only an enabled host in the list can be updated.")
                )
                return
            self.results = update.update_now(host.fqdn)
        else:
            self.results = update.update_now(None)
        if self.results.error:
            self.errors.append(self.results.error)

    # Helpers ---------------------------------------------------------------

    def _change(self, change: Callable[[list[Host]], Host | None]) -> Host | None:
        """Apply `change` to the host list under the lock; save if it returns a host."""
        with files.locked():
            listed = self._load_hosts()
            host = change(listed)
            if host is not None:
                generate.commit(host_list=listed)
                self.hosts = listed
        return host

    def _report(self, host: Host, logged: str, shown: str) -> None:
        """Log a change to syslog (with the ASCII name) and tell the user."""
        log.info("%s", _(logged).format(name=host.fqdn))
        self.notices.append(_(shown).format(name=forms.display_name(host.fqdn)))

    def _load_hosts(self) -> list[Host]:
        return hosts.load(files.rooted(files.HOSTS), files.rooted(files.EXTRA))

    @staticmethod
    def _int(value: str | None) -> int | None:
        return int(value) if value is not None and forms.is_number(value) else None

    def _host_at(self, value: str | None, listed: list[Host] | None) -> Host | None:
        """The host a link or form names: number `value`, checked by name.

        The line number is the host's id, as in the original page; a form
        also carries the host name, so that a list changed meanwhile (another
        tab, another administrator) cannot make an action hit another host.
        When the numbers moved, the form's host is found by its name.
        """
        listed = self.hosts if listed is None else listed
        index = self._int(value)
        # Required with every POST: a form without it names no host.
        expected = (
            self.request.form.get("HOST", "") if self.request.method == "POST" else None
        )
        host = listed[index] if index is not None and index < len(listed) else None
        if host is not None and expected in (None, visible(host.fqdn)):
            return host
        named = [h for h in listed if expected and visible(h.fqdn) == expected]
        if len(named) == 1:
            log.debug("page: host=%s moved from id %s", expected, value)
            return named[0]
        if named:
            self.errors.append(
                _(
                    "The list changed since the page was loaded; nothing was "
                    "changed. Check the list and try again."
                )
            )
        else:
            self.errors.append(
                _("That host is no longer in the list; nothing was changed.")
            )
        return None

    def _default_provider(self) -> str:
        if providers.get(DEFAULT_PROVIDER) is not None:
            return DEFAULT_PROVIDER
        handles = providers.handles()
        return handles[0] if handles else ""

    # Output ----------------------------------------------------------------

    def _rows(self, states: dict[str, list[state.FamilyView]] | None) -> list[HostRow]:
        rows = []
        for index, host in enumerate(self.hosts):
            cls = providers.get(host.provider)
            known = states.get(host.fqdn.lower()) if states is not None else None
            rows.append(
                HostRow(
                    id=index,
                    fqdn=host.fqdn,
                    name=forms.display_name(host.fqdn),
                    provider=host.provider,
                    provider_name=cls.name if cls is not None else "",
                    website=cls.website if cls is not None else "",
                    known=cls is not None,
                    enabled=host.enabled,
                    families=(known or []) if host.enabled else [],
                    left_out=(
                        host.enabled
                        and cls is not None
                        and states is not None
                        and known is None
                    ),
                )
            )
        return rows

    def _render(self) -> tuple[str, list[tuple[str, str]], bytes]:
        states, state_error = state.load_states(files.rooted(files.DDNS_CONF))
        script_nonce = secrets.token_urlsafe(16)
        editing = self.hosts[self.edit_id] if self.edit_id is not None else None
        body = render.page(
            lang=self.lang,
            script=self.request.script,
            csrf_token=csrf.token(self.key, self.nonce),
            nonce=script_nonce,
            notices=self.notices,
            errors=self.errors + [p.text for p in self.problems],
            state_error=state_error,
            problems={p.field: p.message for p in self.problems},
            results=self.results,
            settings=self.settings,
            rows=self._rows(states),
            form=self.form,
            edit_id=self.edit_id,
            editing=editing,
        )
        headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),
            (
                "Content-Security-Policy",
                "default-src 'none'; "
                f"script-src 'nonce-{script_nonce}'; style-src 'nonce-{script_nonce}'; "
                "img-src 'self' data:; form-action 'self'; base-uri 'none'; "
                "frame-ancestors 'none'",
            ),
        ]
        if self.new_cookie:
            cookie = (
                f"{csrf.COOKIE}={self.nonce}; Path={self.request.script}; "
                "HttpOnly; SameSite=Strict"
            )
            if self.request.https:
                cookie += "; Secure"
            headers.append(("Set-Cookie", cookie))
        data = visible(body).encode("utf-8")
        headers.append(("Content-Length", str(len(data))))
        return self.status, headers, data


def origin_of(url: str) -> tuple[str, str, int] | None:
    """Scheme, host and port of `url` (the default port filled in), or None."""
    try:
        parts = urlsplit(url)
        port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        return None
    if not parts.hostname or port is None:
        return None
    return parts.scheme.lower(), parts.hostname.lower(), port


def visible(text: str) -> str:
    """`text` with bytes that were not UTF-8 (kept as surrogates when an old
    file was read) written as \\xNN escapes, so that the page can show them."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def missing_module(name: str) -> str:
    """What to install when the page cannot import module `name`."""
    top = name.partition(".")[0]
    if top == "jinja2":
        # setup.py declares Jinja2 as the extra "web": the command line
        # does not need it.
        text = _(
            "The page needs Jinja2, which is not installed: install it with "
            "pip install 'ddns[web]' or your distribution's python3-jinja2."
        )
    else:
        text = _(
            "The page needs the Python module {module}, which is not installed: "
            "reinstall ddns with its dependencies (pip install ddns)."
        ).format(module=top)
    return text + " " + _("Nothing was changed.")


def failure_page(exc: Exception) -> tuple[str, list[tuple[str, str]], bytes]:
    """A page that says in words what stopped the request; no traceback."""
    from html import escape

    if isinstance(exc, OSError) and exc.filename:
        reason = files.describe(exc)
    elif isinstance(exc, errors.DDNSError):
        reason = str(exc)
    elif isinstance(exc, ModuleNotFoundError) and exc.name:
        reason = missing_module(exc.name)
    else:
        reason = _("The page failed ({error}); nothing was changed.").format(
            error=type(exc).__name__
        )
    log.error("%s", reason)
    title = escape(_("Dynamic DNS"))
    body = (
        f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{title}</title>"
        f"</head><body><h1>{title}</h1><p>{escape(visible(reason))}</p></body></html>\n"
    ).encode()
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Cache-Control", "no-store"),
        ("Content-Length", str(len(body))),
    ]
    return "500 Internal Server Error", headers, body


def application(
    environ: dict[str, Any], start_response: StartResponse
) -> Iterable[bytes]:
    """The WSGI entry point."""
    request = Request.from_environ(environ)
    try:
        status, headers, body = Page(request).respond()
    except Exception as exc:
        # Shown in words: a traceback would reach the browser through CGI.
        log.debug("page: failed: %s", type(exc).__name__)
        status, headers, body = failure_page(exc)
    start_response(status, headers)
    return [b""] if request.method == "HEAD" else [body]
