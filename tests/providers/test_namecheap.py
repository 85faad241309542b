"""eNom and Namecheap: the interface-response XML, decided on ErrCount."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ddns import errors
from ddns.providers.namecheap import namecheap_names
from tests.loopback import LoopbackServer, Reply
from tests.providers.harness import Case, Expect, run_case

PASSWORD = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
V4 = "192.0.2.10"
HTML = "<html><head><title>Error</title></head><body>Service unavailable</body></html>"

# Field failure 4, byte for byte: declared utf-16, sent as UTF-8, Done=true.
DECLARATION = '<?xml version="1.0" encoding="utf-16"?>\r\n'
WRONG_PASSWORD = (
    DECLARATION + "<interface-response><Command>SETDNSHOST</Command>"
    "<Language>eng</Language><ErrCount>1</ErrCount><errors><Err1>Passwords do not "
    "match</Err1></errors><ResponseCount>1</ResponseCount><responses><response>"
    "<Description>Passwords do not match</Description><ResponseNumber>304156"
    "</ResponseNumber><ResponseString>Validation error; invalid ; password"
    "</ResponseString></response></responses><Done>true</Done><debug><![CDATA[]]>"
    "</debug></interface-response>"
)
UPDATED = (
    DECLARATION + "<interface-response><Command>SETDNSHOST</Command>"
    "<Language>eng</Language><IP>192.0.2.10</IP><ErrCount>0</ErrCount><errors />"
    "<ResponseCount>0</ResponseCount><Done>true</Done><debug><![CDATA[]]></debug>"
    "</interface-response>"
)


def failure(message: str, number: str | None = None) -> str:
    response = (
        f"<ResponseCount>1</ResponseCount><responses><response><ResponseNumber>"
        f"{number}</ResponseNumber></response></responses>"
        if number
        else ""
    )
    return (
        DECLARATION + "<interface-response><Command>SETDNSHOST</Command>"
        f"<ErrCount>1</ErrCount><errors><Err1>{message}</Err1></errors>{response}"
        "<Done>true</Done></interface-response>"
    )


NAMECHEAP = Case(
    id="",
    handle="namecheap.com",
    settings={"password": PASSWORD},
    addresses={"ipv4": V4},
    replies=[Reply(body=UPDATED, headers={"Content-Type": "text/html; charset=utf-8"})],
    expect=[
        Expect(
            path="/update",
            query={
                "host": "host",
                "domain": "example.com",
                "password": PASSWORD,
                "ip": V4,
            },
            auth=None,
        )
    ],
)

ENOM = Case(
    id="",
    handle="enom.com",
    settings={"password": PASSWORD},
    addresses={"ipv4": V4},
    replies=[Reply(body=UPDATED.replace("<IP>192.0.2.10</IP>", ""))],
    expect=[
        Expect(
            path="/interface.asp",
            query={
                "command": "setdnshost",
                "responsetype": "xml",
                "zone": "host.example.com",
                "address": V4,
                "domainpassword": PASSWORD,
            },
            auth=None,
        )
    ],
)


def answer(
    base: Case, body: str, outcome: type[errors.DDNSError] | None, why: str
) -> Case:
    return replace(
        base, id=f"{base.handle}: {why}", replies=[Reply(body=body)], outcome=outcome
    )


CASES = [
    replace(NAMECHEAP, id="namecheap.com: field failure 4: success, ErrCount 0"),
    replace(
        NAMECHEAP,
        id="namecheap.com: the apex is @",
        hostname="example.com",
        expect=[
            Expect(
                query={
                    "host": "@",
                    "domain": "example.com",
                    "password": PASSWORD,
                    "ip": V4,
                }
            )
        ],
    ),
    replace(
        NAMECHEAP,
        id="namecheap.com: zone setting for a deeper name",
        hostname="a.b.example.com",
        settings={"password": PASSWORD, "zone": "example.com"},
        expect=[
            Expect(
                query={
                    "host": "a.b",
                    "domain": "example.com",
                    "password": PASSWORD,
                    "ip": V4,
                }
            )
        ],
    ),
    answer(
        NAMECHEAP,
        WRONG_PASSWORD,
        errors.AuthenticationError,
        "field failure 4: wrong password although Done is true",
    ),
    answer(
        NAMECHEAP,
        failure("Invalid IP"),
        errors.RequestError,
        "field failure 4: Invalid IP",
    ),
    answer(
        NAMECHEAP,
        failure("Domain name not found", "316153"),
        errors.NotFoundError,
        "domain not found",
    ),
    answer(
        NAMECHEAP,
        failure("Domain is not active", "316154"),
        errors.RequestError,
        "domain not active",
    ),
    answer(
        NAMECHEAP,
        failure("An unexpected error has occurred", "380098"),
        errors.ServerError,
        "server error",
    ),
    answer(
        NAMECHEAP,
        failure("Something new", "123456"),
        errors.UnexpectedAnswerError,
        "unknown error",
    ),
    answer(
        NAMECHEAP,
        UPDATED.replace("192.0.2.10", "198.51.100.7"),
        errors.UnexpectedAnswerError,
        "published another address than the one sent",
    ),
    answer(NAMECHEAP, "", errors.UnexpectedAnswerError, "field failure 3: empty body"),
    answer(NAMECHEAP, HTML, errors.UnexpectedAnswerError, "HTML page"),
    answer(
        NAMECHEAP, "<interface-response", errors.UnexpectedAnswerError, "broken XML"
    ),
    replace(ENOM, id="enom.com: success, zone is the full hostname"),
    answer(
        ENOM,
        failure("Invalid password", "304155"),
        errors.AuthenticationError,
        "wrong password",
    ),
    answer(
        ENOM,
        failure("Domain not found", "304153"),
        errors.NotFoundError,
        "domain not found",
    ),
    answer(ENOM, "", errors.UnexpectedAnswerError, "empty body"),
    answer(ENOM, HTML, errors.UnexpectedAnswerError, "HTML page"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_interface_response(case: Case, http_server: LoopbackServer) -> None:
    run_case(case, http_server)


@pytest.mark.parametrize(
    ("hostname", "zone", "names"),
    [
        ("host.example.com", None, ("host", "example.com")),
        ("example.com", None, ("@", "example.com")),
        # As the original: the first label is the host, the rest the domain.
        ("home.example.co.uk", None, ("home", "example.co.uk")),
        ("a.b.example.com", "example.com", ("a.b", "example.com")),
        ("example.com", "example.com", ("@", "example.com")),
    ],
)
def test_namecheap_names(
    hostname: str, zone: str | None, names: tuple[str, str]
) -> None:
    assert namecheap_names(hostname, zone) == names
