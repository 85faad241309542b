"""Gandi LiveDNS: A and AAAA rrsets replaced through the v5 LiveDNS API.

The domain (zone) is looked up by name; the rrset of the host's name
relative to it and the family's type is then replaced in one PUT with
`rrset_values` and `rrset_ttl` (PUT creates a missing rrset), or deleted when
its family disappears. A personal access token is sent as `Bearer`, the
deprecated API key as `Apikey`. Errors are `{"code", "message", "cause",
"object"}` with the same status.
Reference: https://api.gandi.net/docs/livedns/ and
https://api.gandi.net/docs/authentication/
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from ddns import errors
from ddns.providers.base import RECORD_TYPES, Provider
from ddns.providers.hostnames import relative_name
from ddns.providers.rest import RecordAPIProvider, ttl_setting

log = logging.getLogger(__name__)


class Gandi(RecordAPIProvider[str]):
    handle = "gandi"
    name = "Gandi LiveDNS"
    website = "https://www.gandi.net/"
    docs = "https://api.gandi.net/docs/livedns/"
    quirks = (
        "Takes a personal access token (`token`) or the deprecated API key "
        "(`apikey`). A PUT replaces the whole rrset, TTL included: it is set to "
        "300 seconds (Gandi's minimum) or `ttl`. `zone` saves the domain lookup. "
        "Records never expire: an unchanged address is not sent again."
    )
    url = "https://api.gandi.net/v5/livedns"
    # A record of a DNS host stays until it is changed: nothing to keep alive.
    holdoff_days = None
    credentials = (("token",), ("apikey",))
    secrets = Provider.secrets | {"apikey"}

    def send(self, addresses: Mapping[str, str | None]) -> None:
        zone = self.zone()
        name = relative_name(self.hostname, zone)
        for family, address in addresses.items():
            rrset = f"/domains/{zone}/records/{name}/{RECORD_TYPES[family]}"
            if address is not None:
                self.call(
                    "PUT",
                    rrset,
                    json={"rrset_values": [address], "rrset_ttl": ttl_setting(self)},
                )
                continue
            try:
                self.call("DELETE", rrset)
            except errors.NotFoundError:
                log.debug("gandi: no %s rrset to delete", rrset)

    def lookup_zone(self, name: str) -> str | None:
        try:
            body = self.call("GET", f"/domains/{name}")
        except errors.NotFoundError:
            return None
        return str(body.get("fqdn") or name)

    def headers(self) -> dict[str, str]:
        token = self.setting("token")
        if token:
            return {"Authorization": f"Bearer {token}"}
        return {"Authorization": f"Apikey {self.require('apikey')}"}
