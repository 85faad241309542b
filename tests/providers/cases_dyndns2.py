"""The exact request of every DynDNS2 provider, written out from its documentation.

Each case names the path of the provider's real update URL, every query
parameter and the basic-auth login; the loopback server answers with one of
the provider's documented success answers.
"""

from __future__ import annotations

from tests.loopback import Reply
from tests.providers.harness import Case, Expect

HOST = "host.example.com"
V4 = "192.0.2.20"
V6 = "2001:db8::20"
USER = "alice"
# Field failure 7: taken literally, whatever configobj or INI quoting would make of it.
PASSWORD = "p#ss,w\\=rd%x"
LOGIN = {"username": USER, "password": PASSWORD}
KEY = "per-host-key"

ONLY_V4 = {"ipv4": V4}
ONLY_V6 = {"ipv6": V6}
BOTH = {"ipv4": V4, "ipv6": V6}


def d2(
    handle: str,
    path: str,
    query: dict[str, str],
    *,
    addresses: dict[str, str | None] = ONLY_V4,
    settings: dict[str, str] = LOGIN,
    auth: tuple[str, str] = (USER, PASSWORD),
    answer: str = f"good {V4}",
    note: str = "",
) -> Case:
    """A success case: one GET of `path` with exactly `query`, logged in as `auth`."""
    return Case(
        id=f"{handle} {note or ','.join(addresses)}",
        handle=handle,
        settings=dict(settings),
        addresses=dict(addresses),
        replies=[Reply(body=answer)],
        expect=[Expect(method="GET", path=path, query=query, auth=auth)],
    )


def plain(address: str = V4) -> dict[str, str]:
    return {"hostname": HOST, "myip": address}


CASES = [
    d2("all-inkl.com", "/nic/update", {}, note="no hostname, no address"),
    # deSEC answers a bare `good` (field failure 2) and takes both families at once.
    d2(
        "desec.io",
        "/",
        {"hostname": HOST, "myipv4": V4, "myipv6": V6},
        addresses=BOTH,
        answer="good",
    ),
    d2(
        "desec.io",
        "/",
        {"hostname": HOST, "myipv4": V4, "myipv6": "preserve"},
        answer="good",
        note="IPv6 not managed: preserved, never empty",
    ),
    d2(
        "desec.io",
        "/",
        {"hostname": HOST, "myipv4": "preserve", "myipv6": V6},
        addresses=ONLY_V6,
        answer="good",
    ),
    d2(
        "desec.io",
        "/",
        {"hostname": HOST, "myipv4": V4, "myipv6": ""},
        addresses={"ipv4": V4, "ipv6": None},
        answer="good",
        note="IPv6 gone: the empty value deletes the AAAA record",
    ),
    d2("do.de", "/nic/update", plain()),
    d2("do.de", "/nic/update", plain(V6), addresses=ONLY_V6),
    d2("domains.google.com", "/nic/update", plain()),
    d2("domopoli.de", "/nic/update", plain()),
    d2("dy.fi", "/nic/update", plain(), answer="nochg"),
    d2("dyndns.org", "/nic/update", plain()),
    # Field failure 17: Dynu is told `no` for a family the host does not update.
    d2(
        "dynu.com",
        "/nic/update",
        {"hostname": HOST, "myip": V4, "myipv6": V6},
        addresses=BOTH,
    ),
    d2(
        "dynu.com",
        "/nic/update",
        {"hostname": HOST, "myip": V4, "myipv6": "no"},
        note="IPv6 not managed",
    ),
    d2(
        "dynu.com",
        "/nic/update",
        {"hostname": HOST, "myip": "no", "myipv6": V6},
        addresses=ONLY_V6,
        answer=f"good {V6}",
    ),
    d2(
        "dynu.com",
        "/nic/update",
        {"hostname": HOST, "myip": V4, "myipv6": "no"},
        addresses={"ipv4": V4, "ipv6": None},
        note="no IPv6 address: kept, as Dynu cannot delete",
    ),
    d2("he.net", "/nic/update", plain(), settings={"password": KEY}, auth=(HOST, KEY)),
    d2(
        "he.net",
        "/nic/update",
        plain(V6),
        addresses=ONLY_V6,
        settings={"username": "ignored", "password": KEY},
        auth=(HOST, KEY),
        answer=f"nochg {V6}",
    ),
    d2("infomaniak.ch", "/nic/update", plain()),
    d2("inwx.com", "/nic/update", plain()),
    d2("inwx.com", "/nic/update", plain(V6), addresses=ONLY_V6),
    d2("itsdns.de", "/update.php", plain()),
    d2("itsdns.de", "/update.php", plain(V6), addresses=ONLY_V6),
    d2("joker.com", "/nic/update", plain()),
    d2("loopia.se", "/XDynDNSServer/XDynDNS.php", plain()),
    d2("myonlineportal.net", "/updateddns", {"hostname": HOST, "ip": V4}),
    d2(
        "myonlineportal.net",
        "/updateddns",
        {"hostname": HOST, "ip": V6},
        addresses=ONLY_V6,
    ),
    # No-IP documents `myip`; the original client sent `address`.
    d2("no-ip.com", "/nic/update", plain(), answer=f"nochg {V4}"),
    d2("now-dns.com", "/update", plain()),
    d2("now-dns.com", "/update", plain(V6), addresses=ONLY_V6),
    d2(
        "nsupdate.info",
        "/nic/update",
        plain(),
        settings={"token": KEY},
        auth=(HOST, KEY),
    ),
    # IPFire's page writes the secret and an empty token line.
    d2(
        "nsupdate.info",
        "/nic/update",
        plain(V6),
        addresses=ONLY_V6,
        settings={"secret": KEY, "token": ""},
        auth=(HOST, KEY),
        note="secret, empty token",
    ),
    d2("opendns.com", "/nic/update", plain()),
    d2("ovh.com", "/nic/update", {**plain(), "system": "dyndns"}),
    d2("schokokeks.org", "/nic/update", plain()),
    # The original client replaced the hostname with `1`.
    d2("selfhost.de", "/nic/update", plain(), note="the real hostname"),
    d2("spdns.org", "/nic/update", plain()),
    d2(
        "spdns.org",
        "/nic/update",
        plain(V6),
        addresses=ONLY_V6,
        settings={"token": KEY},
        auth=(HOST, KEY),
        note="token only: the hostname logs in",
    ),
    d2(
        "spdns.org",
        "/nic/update",
        plain(),
        settings={"username": USER, "token": KEY},
        auth=(USER, KEY),
        note="username and token",
    ),
    d2(
        "strato.com",
        "/nic/update",
        {**plain(), "mx": "NOCHG", "backupmx": "NOCHG"},
    ),
    d2("twodns.de", "/update", {"hostname": HOST, "ip": V4}),
    d2("udmedia.de", "/nic/update", plain()),
    d2("variomedia.de", "/nic/update", plain()),
    d2("variomedia.de", "/nic/update", plain(V6), addresses=ONLY_V6),
    d2("xlhost.de", "/nic/update", plain()),
]
