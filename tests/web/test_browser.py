"""The page as a user meets it: lighttpd runs cgi-bin/ddns.cgi, Chromium drives it.

One lighttpd (mod_cgi, on 127.0.0.1 at a free port, running the CGI script as
the current user with DDNS_ROOT pointing at a temporary IPFire tree) and one
headless Chromium session walk through the page: add a host, see it, edit
it, update it now against a DynDNS2 server on loopback, disable it, save
the settings, try to smuggle markup into every field, send a form without
its token, remove the host.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ddns.ipfire import settings
from tests.ipfire.tree import ipfire_tree
from tests.loopback import LoopbackServer, Reply

TOP = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
LIGHTTPD = shutil.which("lighttpd") or "/usr/sbin/lighttpd"
RED_ADDRESS = "192.0.2.55"

LIGHTTPD_CONF = """\
server.modules = ("mod_access", "mod_cgi", "mod_setenv")
server.document-root = "{docroot}"
server.bind = "127.0.0.1"
server.port = {port}
server.errorlog = "{logs}/error.log"
server.pid-file = "{logs}/lighttpd.pid"
cgi.assign = (".cgi" => "{python}")
setenv.add-environment = (
    "DDNS_ROOT" => "{root}",
    "PYTHONPATH" => "{top}",
    "PATH" => "{path}",
)
"""

# Stands in for the setuid wrapper: the same helper, as the current user.
HELPER = """#!/bin/sh
exec "{python}" -m ddns.ipfire.helper "$@"
"""


@dataclass
class Site:
    url: str
    root: Path
    provider: LoopbackServer

    def config(self) -> str:
        return (self.root / "var/ipfire/ddns/config").read_text()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(
    port: int, process: subprocess.Popen[bytes], seconds: float = 10
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("lighttpd stopped while starting")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError("lighttpd did not start listening")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    for program in (LIGHTTPD, CHROMIUM, CHROMEDRIVER):
        if not os.path.exists(program):
            pytest.fail(f"the browser test needs {program}")
    base = tmp_path_factory.mktemp("site")
    root, docroot, logs = base / "root", base / "www", base / "logs"
    ipfire_tree(root, red_address=RED_ADDRESS)
    helper = root / "usr/local/bin/ddns-update-now"
    helper.write_text(HELPER.format(python=sys.executable))
    helper.chmod(0o755)
    (docroot / "cgi-bin").mkdir(parents=True)
    shutil.copy(TOP / "cgi-bin/ddns.cgi", docroot / "cgi-bin/ddns.cgi")
    logs.mkdir()

    port = free_port()
    conf = base / "lighttpd.conf"
    conf.write_text(
        LIGHTTPD_CONF.format(
            docroot=docroot,
            port=port,
            logs=logs,
            python=sys.executable,
            root=root,
            top=TOP,
            path=os.environ.get("PATH", "/usr/bin:/bin"),
        )
    )
    server = subprocess.Popen(
        [LIGHTTPD, "-D", "-f", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    provider = LoopbackServer().start()
    try:
        wait_for_port(port, server)
        yield Site(f"http://127.0.0.1:{port}/cgi-bin/ddns.cgi", root, provider)
    finally:
        provider.stop()
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1200,900",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
    ):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    browser.set_page_load_timeout(60)
    try:
        yield browser
    finally:
        browser.quit()


def no_alert(driver: object) -> bool:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        driver.switch_to.alert  # type: ignore[attr-defined]  # noqa: B018
    except NoAlertPresentException:
        return True
    return False


def fill(driver: object, **fields: str) -> None:
    from selenium.webdriver.common.by import By

    for name, value in fields.items():
        element = driver.find_element(By.ID, f"f-{name}")  # type: ignore[attr-defined]
        element.clear()
        element.send_keys(value)


def choose_provider(driver: object, handle: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element(By.ID, "f-provider")).select_by_value(handle)  # type: ignore[attr-defined]


def texts(driver: object, selector: str) -> list[str]:
    from selenium.webdriver.common.by import By

    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, selector)]  # type: ignore[attr-defined]


def click(driver: object, selector: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, selector).click()  # type: ignore[attr-defined]


def shown_as_typed(driver: object, typed: dict[str, str], secret: str) -> bool:
    """Each field holds what was typed (the secret is asked for again), and no
    markup of it became an element."""
    from selenium.webdriver.common.by import By

    for name, value in typed.items():
        field = driver.find_element(By.ID, f"f-{name}")  # type: ignore[attr-defined]
        expected = "" if name == secret else value
        assert field.get_attribute("value") == expected, name
    smuggled = driver.find_elements(  # type: ignore[attr-defined]
        By.CSS_SELECTOR, "main img, main svg, main i, main b"
    )
    return smuggled == []


def navigate(driver: object, action: Callable[[], object]) -> None:
    """Do what loads a new page, and wait until it has replaced the old one."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "html")  # type: ignore[attr-defined]

    def replaced(_: object) -> bool:
        # Chromium reports an element of a page being replaced either as
        # stale or as "not in the document", depending on timing.
        try:
            old.is_enabled()
        except WebDriverException:
            return True
        return False

    action()
    wait = WebDriverWait(driver, 60)
    wait.until(replaced)
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")


def submit(driver: object, selector: str) -> None:
    """Click a button or link that loads a new page."""
    navigate(driver, lambda: click(driver, selector))


def test_host_lifecycle_in_a_browser(site: Site, driver: object) -> None:
    from selenium.webdriver.common.by import By

    browser: object = driver
    endpoint = f"{site.provider.url}/nic/update"
    site.provider.default = Reply(body=f"good {RED_ADDRESS}")
    browser.get(site.url)  # type: ignore[attr-defined]
    assert browser.title.startswith("Dynamic DNS")  # type: ignore[attr-defined]

    # Add: choosing dyndns2 shows its URL field (JavaScript), hides the token.
    choose_provider(browser, "dyndns2")
    url_row = browser.find_element(By.CSS_SELECTOR, '[data-field="url"]')  # type: ignore[attr-defined]
    token_row = browser.find_element(By.CSS_SELECTOR, '[data-field="token"]')  # type: ignore[attr-defined]
    assert url_row.is_displayed() and not token_row.is_displayed()
    fill(
        browser,
        hostname="home.example.net",
        url=endpoint,
        username="alice",
        password="s3cret",
    )
    submit(browser, "#submit-host")
    assert texts(browser, "#notices li") == ["home.example.net added."]
    assert texts(browser, "#hosts td.name") == ["home.example.net"]
    assert site.config() == "dyndns2,home,example.net,,,alice,s3cret,on\n"

    # Edit: a new username, the password left blank stays as it was.
    submit(browser, "#host-0 a.edit")
    fill(browser, username="bob")
    submit(browser, "#submit-host")
    assert texts(browser, "#notices li") == ["home.example.net saved."]
    assert site.config() == "dyndns2,home,example.net,,,bob,s3cret,on\n"

    # Update now: a forced update through the helper, each result shown.
    submit(browser, "#host-0 button.update-now")
    rows = texts(browser, "#results tbody tr")
    assert len(rows) == 1 and "Updated" in rows[0] and RED_ADDRESS in rows[0], rows
    (request,) = site.provider.requests
    assert request.path == "/nic/update"
    assert request.query["hostname"] == "home.example.net"
    assert request.query["myip"] == RED_ADDRESS
    assert request.basic_auth == ("bob", "s3cret")
    # The state column now tells what was published.
    assert RED_ADDRESS in texts(browser, "#host-0 td.state")[0]

    # Disable, then the settings.
    submit(browser, "#host-0 button.toggle")
    assert site.config().endswith(",off\n")
    assert "disabled" in browser.find_element(By.ID, "host-0").get_attribute("class")  # type: ignore[attr-defined]
    click(browser, "#source-fetch")
    click(browser, "#ipv6")
    submit(browser, "#save-settings")
    assert texts(browser, "#notices li") == ["Settings saved."]
    assert settings.read(str(site.root / "var/ipfire/ddns/settings")) == {
        "BEHINDROUTER": "FETCH_IP",
        "IPV6": "on",
    }

    # Markup in every field stays text: nothing runs, the page shows it as typed.
    payloads = {
        "hostname": "<img src=x onerror=alert(1)>.example",
        "url": "javascript:alert(2)//<script>alert(3)</script>",
        "username": '"><script>alert(4)</script>',
        "password": "</style><svg onload=alert(5)>",
    }
    choose_provider(browser, "dyndns2")
    fill(browser, **payloads)
    submit(browser, "#submit-host")
    assert no_alert(browser)
    errors = texts(browser, "#errors li")
    assert "Hostname: is not a valid host name" in errors
    assert "Update URL: must be an http or https URL" in errors
    assert shown_as_typed(browser, payloads, secret="password")
    # The same with every field of an RFC 2136 host.
    tsig = {
        "hostname": "gw.example.org",
        "server": "<svg onload=alert(6)>",
        "zone": "'-alert(7)-'",
        "key": "<script>alert(8)</script>",
        "secret": '"><img src=x onerror=alert(9)>',
        "ttl": "<i>60</i>",
        "port": "53<b>",
        "algorithm": "</select><script>alert(10)</script>",
    }
    choose_provider(browser, "nsupdate")
    fill(browser, **tsig)
    submit(browser, "#submit-host")
    assert no_alert(browser)
    assert set(texts(browser, "#errors li")) == {
        "Server: is not a valid host name",
        "Zone: is not a valid zone",
        "TTL: must be a whole number of seconds from 0 to 2147483647, not '<i>60</i>'",
        "Port: must be a port number (1 to 65535)",
    }
    assert shown_as_typed(browser, tsig, secret="secret")
    # A stored host with markup in its values: shown as text in the table and form.
    choose_provider(browser, "entrydns.net")
    fill(browser, hostname="xn--bcher-kva.example", token="<b>bold</b>")
    submit(browser, "#submit-host")
    assert no_alert(browser)
    assert texts(browser, "#hosts td.name")[1] == "bücher.example"
    assert browser.find_elements(By.CSS_SELECTOR, "main b") == []  # type: ignore[attr-defined]

    # A form sent without its token changes nothing.
    before = site.config()
    navigate(
        browser,
        lambda: browser.execute_script(  # type: ignore[attr-defined]
            "var form = document.querySelector('#host-0 form');"
            "form.querySelector('[name=csrf]').remove(); form.submit();"
        ),
    )
    assert "nothing was changed" in " ".join(texts(browser, "#errors li"))
    assert site.config() == before

    # Remove.
    browser.get(site.url)  # type: ignore[attr-defined]
    submit(browser, "#host-0 button.remove")
    assert texts(browser, "#notices li") == ["home.example.net removed."]
    assert texts(browser, "#hosts td.name") == ["bücher.example"]
    assert no_alert(browser)
