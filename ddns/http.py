"""The one place that talks HTTP.

Every request of every provider and check service goes through `Client`: a
descriptive User-Agent, connect and read timeouts, the configured proxy, TLS
that is always verified (REQUESTS_CA_BUNDLE is honoured), redirects followed
only to https on the same host, every library error mapped to ddns.errors, and
secrets masked in debug output. `requests` is imported on first use, so a run
that sends nothing never loads it.
"""

from __future__ import annotations

import errno
import logging
import threading
import time
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from ddns import __version__, errors
from ddns.i18n import _
from ddns.redact import redact, register_basic_auth

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)

USER_AGENT = f"ddns/{__version__} (dynamic DNS client for IPFire)"
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 20.0
MAX_REDIRECTS = 3
SUCCESS = range(200, 300)

# A socket bound to the family's wildcard address cannot connect to an address
# of the other family, so the provider sees (and can only fill in) this family.
_SOURCE_ADDRESSES = {"ipv4": ("0.0.0.0", 0), "ipv6": ("::", 0)}


class Response:
    """What a server answered, decoded."""

    # A plain class: every provider module imports this one, and a dataclass
    # would load dataclasses (and inspect) into runs that send nothing.
    __slots__ = ("headers", "status", "text", "url")

    def __init__(
        self,
        status: int,
        text: str,
        url: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status = status
        self.text = text
        self.url = url
        self.headers: Mapping[str, str] = headers if headers is not None else {}

    def json(self) -> Any:
        """The body as JSON; an UnexpectedAnswerError when it is not JSON."""
        import json

        try:
            return json.loads(self.text)
        except ValueError:
            raise errors.UnexpectedAnswerError(
                f"HTTP {self.status}, not JSON: {summarise(self.text)}",
                answer=self.text,
            ) from None

    def header(self, name: str) -> str | None:
        """A response header, looked up without regard to case."""
        lowered = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lowered:
                return value
        return None


def summarise(text: str, limit: int = 120) -> str:
    """A one-line, bounded, secret-free excerpt of an answer for messages.

    Its control characters are escaped where it is shown: by the error that
    quotes it (ddns.errors), the log filter and the history (ddns.redact).
    """
    if _looks_like_html(text):
        # An error page says what went wrong in its words, not its markup.
        text = _html_text(text)
    # Masked before it is cut, so that no part of a secret survives the cut.
    flat = " ".join(redact(text).split())
    if not flat:
        return "(empty answer)"
    if len(flat) > limit:
        flat = flat[: limit - 3] + "..."
    return flat


def _looks_like_html(text: str) -> bool:
    start = text.lstrip()[:15].lower()
    return start.startswith(("<!doctype html", "<html"))


def _html_text(page: str) -> str:
    """The words of an HTML page: its title, then its text, without markup."""
    from html.parser import HTMLParser

    class Words(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.title: list[str] = []
            self.body: list[str] = []
            self.skipping = 0
            self.in_title = False

        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag in ("script", "style"):
                self.skipping += 1
            elif tag == "title":
                self.in_title = True

        def handle_endtag(self, tag: str) -> None:
            if tag in ("script", "style"):
                self.skipping = max(0, self.skipping - 1)
            elif tag == "title":
                self.in_title = False

        def handle_data(self, data: str) -> None:
            if self.in_title:
                self.title.append(data)
            elif not self.skipping:
                self.body.append(data)

    words = Words()
    # The parser of the standard library reads any text without raising.
    words.feed(page)
    words.close()
    title = " ".join(" ".join(words.title).split())
    body = " ".join(" ".join(words.body).split())
    if title and body.startswith(title):
        body = body[len(title) :].lstrip(" :-")
    return f"{title}: {body}" if title and body else title or body or page


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        import email.utils

        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


_STATUS_ERRORS: dict[int, type[errors.DDNSError]] = {
    400: errors.RequestError,
    401: errors.AuthenticationError,
    403: errors.AuthenticationError,
    404: errors.NotFoundError,
    429: errors.RateLimitedError,
    503: errors.ServiceUnavailableError,
}


def error_for_status(response: Response) -> errors.DDNSError:
    """The error that an unexpected HTTP status stands for."""
    cls = _STATUS_ERRORS.get(response.status)
    if cls is None:
        if response.status >= 500:
            cls = errors.ServerError
        elif response.status >= 400:
            cls = errors.RequestError
        else:
            cls = errors.UnexpectedAnswerError
    retry_after = None
    if response.status in (429, 503):
        retry_after = parse_retry_after(response.header("Retry-After"))
    return cls(
        f"HTTP {response.status}: {summarise(response.text)}",
        answer=response.text,
        retry_after=retry_after,
    )


class Client:
    """Sends requests for one run; safe to share between threads."""

    def __init__(
        self,
        *,
        proxy: str | None = None,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.proxy = proxy
        self.timeout = (connect_timeout, read_timeout)
        self.user_agent = user_agent
        self._local = threading.local()

    def _session(self, family: str | None) -> requests.Session:
        sessions: dict[str | None, requests.Session] = getattr(
            self._local, "sessions", {}
        )
        self._local.sessions = sessions
        session = sessions.get(family)
        if session is None:
            session = _new_session(family, self.proxy, self.user_agent)
            sessions[family] = session
        return session

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | str | bytes | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        family: str | None = None,
        accept: Collection[int] = SUCCESS,
    ) -> Response:
        """Send a request and return the answer.

        A status outside `accept` raises the matching DDNSError; providers
        that read error bodies themselves pass the statuses they handle.
        `family` ("ipv4"/"ipv6") forces the connection to that family.
        """
        import requests

        if auth is not None:
            register_basic_auth(*auth)
        session = self._session(family)
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                raw = session.request(
                    method,
                    current,
                    params=params,
                    data=data,
                    json=json,
                    headers=dict(headers or {}),
                    auth=auth,
                    timeout=self.timeout,
                    allow_redirects=False,
                )
            except requests.RequestException as exc:
                raise _map_exception(exc, current, self, family) from None
            response = _decode(raw)
            # Masking and summarising cost time on every request; only when shown.
            if log.isEnabledFor(logging.DEBUG):
                log.debug(
                    "http: method=%s url=%s status=%s body=%s",
                    method,
                    redact(raw.request.url or current),
                    response.status,
                    summarise(response.text, 300),
                )
            if response.status not in range(300, 400) or response.status in accept:
                break
            current = _redirect_target(current, response)
            params = None
        else:
            raise errors.RedirectError(
                f"more than {MAX_REDIRECTS} redirects from {redact(url)}"
            )

        if response.status not in accept:
            raise error_for_status(response)
        return response

    def get(self, url: str, **kwargs: Any) -> Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Response:
        return self.request("POST", url, **kwargs)


def _new_session(
    family: str | None, proxy: str | None, user_agent: str
) -> requests.Session:
    import requests
    from requests.adapters import HTTPAdapter

    session = requests.Session()
    session.headers["User-Agent"] = user_agent
    session.headers["Cache-Control"] = "no-cache"
    if proxy:
        session.proxies = {"http": proxy, "https": proxy}
    source = _SOURCE_ADDRESSES.get(family or "")
    if source is not None:

        class FamilyAdapter(HTTPAdapter):
            def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
                kwargs["source_address"] = source
                super().init_poolmanager(*args, **kwargs)

        adapter: HTTPAdapter = FamilyAdapter(pool_maxsize=16)
    else:
        adapter = HTTPAdapter(pool_maxsize=16)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _decode(raw: requests.Response) -> Response:
    content = raw.content or b""
    encoding = raw.encoding or "utf-8"
    try:
        text = content.decode(encoding, errors="replace")
    except LookupError:
        text = content.decode("utf-8", errors="replace")
    return Response(
        status=raw.status_code, text=text, url=raw.url, headers=dict(raw.headers)
    )


def _redirect_target(current: str, response: Response) -> str:
    location = response.header("Location")
    if not location:
        raise errors.RedirectError(f"HTTP {response.status} without a Location")
    target = urljoin(current, location)
    old, new = urlsplit(current), urlsplit(target)
    # Only an upgrade to https on the same host keeps credentials safe; any
    # other move is the provider's to announce and the user's to configure.
    if new.scheme != "https" or new.hostname != old.hostname:
        raise errors.RedirectError(f"provider moved to {redact(target)}")
    return target


def _map_exception(
    exc: Exception, url: str, client: Client, family: str | None
) -> errors.DDNSError:
    """The error a library exception stands for, in a few plain words.

    urllib3's own text (`HTTPConnectionPool(...): Max retries exceeded ...`)
    goes to the debug log only.
    """
    import requests

    log.debug("http: url=%s error=%s", redact(url), redact(str(exc)))
    where = _where(url)
    connect, read = client.timeout
    if isinstance(exc, requests.exceptions.SSLError):
        return _tls_error(exc, where)
    if isinstance(exc, requests.exceptions.ProxyError):
        return _proxy_error(exc, client.proxy or "")
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return errors.ConnectionTimeout(
            _("timed out after {seconds:g} s connecting to {host}").format(
                seconds=connect, host=where
            )
        )
    if isinstance(exc, requests.exceptions.Timeout):
        return errors.ConnectionTimeout(
            _("{host} sent no answer within {seconds:g} s").format(
                host=where, seconds=read
            )
        )
    if isinstance(
        exc,
        (
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
        ),
    ):
        return errors.ProviderConfigurationError(f"invalid URL: {redact(url)}")
    if isinstance(exc, requests.exceptions.ConnectionError):
        return _connection_error(exc, where, family)
    return errors.NetworkError(
        _("request to {host} failed: {reason}").format(host=where, reason=_why(exc))
    )


def _where(url: str) -> str:
    """`host:port` of a URL, as messages name a server."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return redact(url)
    host = parts.hostname or "?"
    if ":" in host:
        host = f"[{host}]"
    return f"{host}:{port or (443 if parts.scheme == 'https' else 80)}"


def _causes(exc: BaseException) -> list[BaseException]:
    """`exc` and what it wraps, outermost first (urllib3 nests deeply)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        reason = getattr(current, "reason", None)
        nested = current.args[0] if current.args else None
        current = (
            reason
            if isinstance(reason, BaseException)
            else nested
            if isinstance(nested, BaseException)
            else current.__cause__ or current.__context__
        )
        # urllib3's ProxyError carries its cause as the second argument.
        if current is None and len(chain[-1].args) > 1:
            second = chain[-1].args[1]
            current = second if isinstance(second, BaseException) else None
    return chain


def _why(exc: BaseException) -> str:
    """The innermost cause in words: `connection reset by peer`, not a repr."""
    inner = _causes(exc)[-1]
    if isinstance(inner, OSError) and inner.strerror:
        return inner.strerror[:1].lower() + inner.strerror[1:]
    return redact(str(inner)) or type(inner).__name__


def _tls_error(exc: Exception, where: str) -> errors.DDNSError:
    import ssl

    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            return errors.CertificateError(
                _("{host}: {reason}").format(
                    host=where, reason=cause.verify_message or cause.reason
                )
            )
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
        return errors.CertificateError(where)
    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLError) and cause.reason:
            return errors.TLSError(
                _("with {host}: {reason}").format(host=where, reason=cause.reason)
            )
    return errors.TLSError(
        _("with {host}: {reason}").format(host=where, reason=_why(exc))
    )


def _proxy_error(exc: Exception, proxy: str) -> errors.DDNSError:
    import socket

    where = _where(proxy)
    causes = _causes(exc)
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        text = _("proxy {proxy} refused the connection")
    elif any(isinstance(c, socket.gaierror) for c in causes):
        text = _("cannot resolve the proxy {proxy}")
    elif any(isinstance(c, TimeoutError) for c in causes):
        text = _("proxy {proxy} did not answer in time")
    else:
        text = _("cannot connect through the proxy {proxy}: {reason}")
    return errors.NetworkError(text.format(proxy=where, reason=_why(exc)))


# This machine cannot connect over the family at all: no route, no address
# to send from, no support in the kernel.
_NO_ROUTE = (errno.ENETUNREACH, errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT)


def _connection_error(
    exc: Exception, where: str, family: str | None
) -> errors.DDNSError:
    import http.client
    import socket

    for cause in _causes(exc):
        if isinstance(cause, socket.gaierror):
            host = where.rsplit(":", 1)[0].strip("[]")
            if family is not None:
                return errors.ResolveError(
                    _("cannot resolve {host} to an {family} address").format(
                        host=host, family=family.replace("ipv", "IPv")
                    )
                )
            return errors.ResolveError(_("cannot resolve {host}").format(host=host))
        if isinstance(cause, ConnectionRefusedError):
            return errors.ConnectionRefused(
                _("cannot connect to {host}: connection refused").format(host=where)
            )
        if isinstance(cause, OSError) and cause.errno in _NO_ROUTE:
            return errors.NoRouteError(
                _("cannot reach {host}: {reason}").format(
                    host=where, reason=_why(cause)
                )
            )
        if isinstance(cause, OSError) and cause.errno == errno.EHOSTUNREACH:
            return errors.NetworkError(
                _("cannot reach {host}: {reason}").format(
                    host=where, reason=_why(cause)
                )
            )
        if isinstance(cause, http.client.RemoteDisconnected):
            return errors.NetworkError(
                _("{host} closed the connection without answering").format(host=where)
            )
    text = str(exc)
    if "NameResolutionError" in text or "Name or service not known" in text:
        return errors.ResolveError(
            _("cannot resolve {host}").format(host=where.rsplit(":", 1)[0])
        )
    if "Connection refused" in text:
        return errors.ConnectionRefused(
            _("cannot connect to {host}: connection refused").format(host=where)
        )
    return errors.NetworkError(
        _("connection to {host} failed: {reason}").format(host=where, reason=_why(exc))
    )
