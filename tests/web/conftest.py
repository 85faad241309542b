"""The page's WSGI application called in-process, as a browser would use it."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from ddns import i18n
from ddns.ipfire import files
from ddns.web import application
from tests.ipfire.tree import ipfire_tree


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    html: str

    def csrf(self) -> str:
        match = re.search(r'name="csrf" value="([^"]+)"', self.html)
        assert match, "the page carries no CSRF token"
        return match.group(1)

    def errors(self) -> list[str]:
        box = re.search(r'<section class="box alert".*?</section>', self.html, re.S)
        if not box:
            return []
        return [unescape(t) for t in re.findall(r"<li>(.*?)</li>", box.group(0), re.S)]

    def notices(self) -> list[str]:
        box = re.search(r'<section class="box notice".*?</section>', self.html, re.S)
        if not box:
            return []
        return [unescape(t) for t in re.findall(r"<li>(.*?)</li>", box.group(0), re.S)]


@dataclass
class Browser:
    """Keeps the page's cookie and sends forms with the token the page gave."""

    script: str = "/cgi-bin/ddns.cgi"
    host: str = "ipfire.localdomain:444"
    cookies: dict[str, str] = field(default_factory=dict)
    token: str = ""

    def request(
        self,
        method: str,
        query: str = "",
        form: dict[str, str] | None = None,
        headers: dict[str, str | None] | None = None,
    ) -> Answer:
        body = urlencode(form or {}).encode()
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": self.script,
            "PATH_INFO": "",
            "QUERY_STRING": query,
            "SERVER_NAME": "ipfire.localdomain",
            "SERVER_PORT": "444",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": self.host,
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "https",
        }
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(
                f"{k}={v}" for k, v in self.cookies.items()
            )
        # What a browser sends with the page's own forms.
        headers = {"Origin": f"https://{self.host}", **(headers or {})}
        for name, value in headers.items():
            key = name.upper().replace("-", "_")
            key = key if key == "CONTENT_TYPE" else "HTTP_" + key
            if value is None:
                environ.pop(key, None)
            else:
                environ[key] = value
        captured: dict[str, Any] = {}

        def start_response(
            status: str, response_headers: list[tuple[str, str]]
        ) -> None:
            captured["status"] = int(status.split()[0])
            captured["headers"] = dict(response_headers)

        html = b"".join(application(environ, start_response)).decode()
        cookie = captured["headers"].get("Set-Cookie")
        if cookie:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";")[0]
        answer = Answer(captured["status"], captured["headers"], html)
        if 'name="csrf"' in html:
            self.token = answer.csrf()
        return answer

    def get(self, query: str = "") -> Answer:
        return self.request("GET", query)

    def post(self, form: dict[str, str], token: bool = True, **kwargs: Any) -> Answer:
        if token and "csrf" not in form:
            if not self.token:
                self.get()
            form = {"csrf": self.token, **form}
        return self.request("POST", form=form, **kwargs)


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An IPFire file tree below DDNS_ROOT."""
    monkeypatch.setenv(files.ROOT_ENV, str(tmp_path))
    return ipfire_tree(tmp_path)


@pytest.fixture
def browser(root: Path) -> Iterator[Browser]:
    yield Browser()


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    # Each request activates the firewall's language; later tests expect the
    # environment's again.
    yield
    i18n.activate(None)


def read(root: Path, name: str) -> str:
    path = root / "var/ipfire/ddns" / name
    return path.read_text() if path.exists() else ""
