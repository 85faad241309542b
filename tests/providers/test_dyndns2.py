"""The DynDNS2 family: each provider's exact request, and the standard answers
that every registered DynDNS2 provider inherits."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from ddns import errors
from ddns.http import Client
from ddns.providers import registry
from ddns.providers.dyndns2 import DynDNS2Provider
from tests.loopback import LoopbackServer, Reply
from tests.providers.cases_dyndns2 import (
    CASES,
    HOST,
    LOGIN,
    PASSWORD,
    USER,
    V4,
    V6,
)
from tests.providers.harness import Case, Expect, raised_error, run_case

D2_HANDLES = sorted(
    handle for handle, cls in registry().items() if issubclass(cls, DynDNS2Provider)
)

# Settings for a provider's first credential set, whatever its keys.
SAMPLE_SETTINGS = {
    "username": USER,
    "password": PASSWORD,
    "token": "t0ken-value",
    "secret": "s3cret-value",
}

REDIRECT_PAGE = (
    "<HTML><HEAD><TITLE>Moved Temporarily</TITLE></HEAD><BODY><H1>Moved "
    'Temporarily</H1>The document has moved <A HREF="https://update.example.com/">'
    "here</A>.</BODY></HTML>"
)
ERROR_PAGE = "<html><head><title>Error</title></head><body>good night</body></html>"


def chunked(*chunks: str) -> bytes:
    """A raw HTTP/1.1 answer whose body is sent in `chunks`."""
    body = b"".join(
        f"{len(c.encode()):x}\r\n".encode() + c.encode() + b"\r\n" for c in chunks
    )
    head = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
        b"Content-Type: text/plain\r\n\r\n"
    )
    return head + body + b"0\r\n\r\n"


# (case id, reply, expected outcome): the DynDNS2 return codes of
# https://help.dyn.com/return-codes/ and the field failures they stand for.
STANDARD_REPLIES = [
    ("good with address", Reply(body=f"good {V4}"), None),
    ("bare good", Reply(body="good"), None),
    ("nochg with newline", Reply(body=f"nochg {V4}\n"), None),
    ("trailing whitespace", Reply(body="good \t\r\n\r\n"), None),
    ("one line per host", Reply(body=f"good {V4}\ngood {V4}\n"), None),
    # Field failure 1: chunk sizes are never taken for the answer.
    ("chunked nochg", Reply(raw=chunked("nochg ", V4)), None),
    ("badauth", Reply(body="badauth"), errors.AuthenticationError),
    ("nohost", Reply(body="nohost"), errors.RequestError),
    ("notfqdn", Reply(body="notfqdn\n"), errors.RequestError),
    ("abuse", Reply(body="abuse"), errors.AbuseError),
    ("badagent", Reply(body="badagent"), errors.BlockedError),
    ("!donator", Reply(body="!donator"), errors.AccountError),
    ("911", Reply(body="911"), errors.ServerError),
    ("dnserr", Reply(body="dnserr"), errors.ServerError),
    ("interval", Reply(body="interval"), errors.RateLimitedError),
    ("unknown word", Reply(body="maintenance window"), errors.UnexpectedAnswerError),
    # Field failure 3: an empty 200 is not a success for DynDNS2.
    ("empty body", Reply(body=""), errors.UnexpectedAnswerError),
    ("HTML page", Reply(body=ERROR_PAGE), errors.UnexpectedAnswerError),
    ("HTTP 401", Reply(status=401, body="Unauthorized"), errors.AuthenticationError),
    ("HTTP 500 page", Reply(status=500, body=ERROR_PAGE), errors.ServerError),
    # Field failure 15: a redirect page is never read as a status.
    (
        "redirect elsewhere",
        Reply(
            status=302,
            body=REDIRECT_PAGE,
            headers={
                "Location": "https://update.example.com/nic/update",
                "Content-Type": "text/html",
            },
        ),
        errors.RedirectError,
    ),
]

# Field failure 14: which answers stop the host and which are retried later.
PERMANENT = {"badauth", "nohost", "notfqdn", "abuse", "badagent", "!donator"}
TEMPORARY = {"911", "dnserr", "interval"}


@pytest.fixture(scope="module")
def _module_server() -> Iterator[LoopbackServer]:
    server = LoopbackServer().start()
    yield server
    server.stop()


@pytest.fixture
def server(_module_server: LoopbackServer) -> LoopbackServer:
    """One loopback server for the module, emptied before each test."""
    _module_server.requests.clear()
    _module_server.replies.clear()
    return _module_server


def standard_case(handle: str, server: LoopbackServer, reply: Reply) -> Case:
    cls = registry()[handle]
    settings = {key: SAMPLE_SETTINGS[key] for key in cls.credentials[0]}
    path = urlsplit(cls.url).path
    if cls.requires_url:
        path = "/nic/update"
        settings["url"] = server.url + path
    sample = {"ipv4": V4, "ipv6": V6}
    families = cls.protocols if cls.single_request else cls.protocols[:1]
    return Case(
        id=handle,
        handle=handle,
        settings=settings,
        addresses={family: sample[family] for family in families},
        replies=[reply],
        expect=[Expect(method="GET", path=path)],
    )


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_provider_sends_its_documented_request(
    case: Case, server: LoopbackServer
) -> None:
    run_case(case, server)


def test_every_dyndns2_provider_has_a_request_case() -> None:
    covered = {case.handle for case in CASES}
    missing = [
        handle
        for handle in D2_HANDLES
        if handle not in covered and not registry()[handle].requires_url
    ]
    assert missing == []


@pytest.mark.parametrize("handle", D2_HANDLES)
@pytest.mark.parametrize(
    ("reply", "outcome"),
    [(reply, outcome) for _, reply, outcome in STANDARD_REPLIES],
    ids=[name for name, _, _ in STANDARD_REPLIES],
)
def test_standard_answer(
    handle: str,
    reply: Reply,
    outcome: type[errors.DDNSError] | None,
    server: LoopbackServer,
) -> None:
    case = standard_case(handle, server, reply)
    case.outcome = outcome
    if outcome is None:
        (request,) = run_case(case, server)
        if registry()[handle].address_param is not None:
            sent = set(request.query.values())
            assert set(case.addresses.values()) <= sent
        return
    error = raised_error(case, server)
    body = reply.body if isinstance(reply.body, str) else reply.body.decode()
    if outcome is errors.RedirectError:
        # Says where the provider went; the page itself is never read.
        assert "https://update.example.com/nic/update" in str(error)
        assert "Moved" not in str(error)
        return
    assert error.answer == body
    word = body.split()[0] if body.split() else ""
    if word in PERMANENT:
        assert not error.temporary
    if word in TEMPORARY or outcome is errors.UnexpectedAnswerError:
        assert error.temporary
    if outcome is errors.UnexpectedAnswerError and body == ERROR_PAGE:
        # The user sees what the page says, title first, not its markup.
        assert str(error).endswith(": Error: good night")
        assert "<" not in str(error)
    elif outcome is errors.UnexpectedAnswerError and body:
        # The user sees what the provider said.
        assert body.split()[0] in str(error)


def test_dyndns2_sends_to_the_configured_url_keeping_its_query(
    server: LoopbackServer,
) -> None:
    case = Case(
        id="self-hosted",
        handle="dyndns2",
        settings={"url": server.url + "/dyn/update.cgi?system=custom", **LOGIN},
        addresses={"ipv6": V6},
        replies=[Reply(body=f"good {V6}")],
        expect=[
            Expect(
                path="/dyn/update.cgi",
                query={"system": "custom", "hostname": HOST, "myip": V6},
                auth=(USER, PASSWORD),
            )
        ],
    )
    run_case(case, server)


def test_desec_throttling_is_temporary_with_the_wait_it_asks_for(
    server: LoopbackServer,
) -> None:
    # Field failure 2 (b): deSEC's answer to a second update within a minute.
    throttled = Reply(
        status=429,
        body='{"detail":"Request was throttled. Expected available in 57 seconds."}',
        headers={"Retry-After": "57", "Content-Type": "application/json"},
    )
    case = Case(
        id="desec 429",
        handle="desec.io",
        settings=LOGIN,
        addresses={"ipv4": V4, "ipv6": V6},
        replies=[throttled],
        expect=[Expect(query={"hostname": HOST, "myipv4": V4, "myipv6": V6})],
        outcome=errors.RateLimitedError,
    )
    error = raised_error(case, server)
    assert error.temporary
    assert error.retry_after == 57
    assert not isinstance(error, errors.AuthenticationError)


@pytest.mark.parametrize(
    ("handle", "settings", "missing"),
    [
        ("dyndns.org", {"password": PASSWORD}, "username"),
        ("dyndns.org", {"username": USER, "password": ""}, "password"),
        ("he.net", {"username": USER}, "password"),
        ("nsupdate.info", {"token": "", "secret": ""}, "token or secret"),
        ("spdns.org", {"username": USER}, "password or token"),
    ],
)
def test_missing_credentials_send_nothing(
    handle: str, settings: dict[str, str], missing: str, server: LoopbackServer
) -> None:
    case = Case(
        id=handle,
        handle=handle,
        settings=settings,
        addresses={"ipv4": V4},
        replies=[],
        expect=[],
        outcome=errors.ProviderConfigurationError,
    )
    error = raised_error(case, server)
    assert str(error).endswith(f"{missing} is required by {handle}")


@pytest.mark.parametrize(
    ("handle", "addresses"),
    [
        ("dyndns.org", {"ipv4": None}),
        ("he.net", {"ipv6": None}),
        ("all-inkl.com", {"ipv4": None}),
        ("dynu.com", {"ipv4": None, "ipv6": None}),
    ],
)
def test_providers_that_cannot_remove_leave_the_record_alone(
    handle: str, addresses: dict[str, str | None], server: LoopbackServer
) -> None:
    # A request without an address would set the record to the connection's.
    case = Case(
        id=handle,
        handle=handle,
        settings={**LOGIN, "password": PASSWORD},
        addresses=addresses,
        replies=[],
        expect=[],
    )
    run_case(case, server)
    assert not registry()[handle].can_remove_records


def test_only_desec_removes_records_among_dyndns2_providers() -> None:
    removing = [h for h in D2_HANDLES if registry()[h].can_remove_records]
    assert removing == ["desec.io"]


@pytest.fixture
def ipv6_server() -> Iterator[LoopbackServer]:
    try:
        server = LoopbackServer("::1").start()
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    yield server
    server.stop()


@pytest.mark.parametrize("handle", ["dynu.com", "all-inkl.com", "dyndns.org"])
def test_an_ipv4_update_never_leaves_over_ipv6(
    handle: str, ipv6_server: LoopbackServer
) -> None:
    # Field failure 17: the provider must not see (and fill in) an IPv6 address,
    # so an IPv4-only update cannot even reach a server that has only IPv6.
    cls = registry()[handle]
    provider = cls(
        HOST,
        {**LOGIN, "url": ipv6_server.url + urlsplit(cls.url).path},
        Client(connect_timeout=2, read_timeout=5),
    )
    with pytest.raises(errors.NetworkError):
        provider.send({"ipv4": V4})
    assert ipv6_server.requests == []


def test_a_dual_stack_update_reaches_an_ipv6_server(
    ipv6_server: LoopbackServer,
) -> None:
    ipv6_server.push(Reply(body=f"good {V4}"))
    case = Case(
        id="dynu both",
        handle="dynu.com",
        settings={**LOGIN, "url": ipv6_server.url + "/nic/update"},
        addresses={"ipv4": V4, "ipv6": V6},
        replies=[],
        expect=[Expect(query={"hostname": HOST, "myip": V4, "myipv6": V6})],
    )
    run_case(case, ipv6_server)
