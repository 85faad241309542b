"""Hetzner DNS: A and AAAA records edited through the DNS Console API.

The zone is looked up by name (`GET /zones?name=` answers one zone or none),
its records are listed once per update and the host's record picked by its
name relative to the zone and its type; an existing record is replaced by PUT
with its TTL kept, a missing one created, a removed family's record deleted.
Errors carry `{"error": {"message", "code"}}` or `{"message"}` and a status.
Reference: https://dns.hetzner.com/api-docs
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from ddns import errors, redact
from ddns.http import Client
from ddns.providers.base import RECORD_TYPES, Provider
from ddns.providers.rest import (
    call_json,
    find_zone,
    relative_name,
    status_failure,
    ttl_setting,
)

log = logging.getLogger(__name__)


class Hetzner(Provider):
    handle = "hetzner"
    name = "Hetzner DNS"
    website = "https://www.hetzner.com/dns-console"
    docs = "https://dns.hetzner.com/api-docs"
    quirks = (
        "Needs a DNS Console API token. Zones moved to the Hetzner Console are no "
        "longer reachable through this API (it answers 422); records it creates "
        "get a TTL of 300 seconds (or `ttl`); `zone` saves the zone lookup."
    )
    protocols = ("ipv4", "ipv6")
    url = "https://dns.hetzner.com/api/v1"
    credentials = (("token",),)
    optional = ("zone", "ttl")
    can_remove_records = True
    supports_token_auth = True

    def __init__(
        self, hostname: str, settings: Mapping[str, str], http: Client
    ) -> None:
        super().__init__(hostname, settings, http)
        redact.register(self.settings.get("token"))
        self._zone: tuple[str, str] | None = None

    def send(self, addresses: Mapping[str, str | None]) -> None:
        zone_id, zone_name = self.zone()
        name = relative_name(self.hostname, zone_name)
        listed = self.call("GET", "/records", params={"zone_id": zone_id})
        records = [r for r in listed.get("records") or [] if isinstance(r, dict)]
        for family, address in addresses.items():
            record_type = RECORD_TYPES[family]
            record = next(
                (
                    r
                    for r in records
                    if r.get("type") == record_type
                    and r.get("name") == name
                    and "id" in r
                ),
                None,
            )
            fields = {"zone_id": zone_id, "type": record_type, "name": name}

            if address is None:
                if record is None:
                    log.debug("hetzner: no %s record of %s", record_type, self.hostname)
                else:
                    self.call("DELETE", f"/records/{record['id']}")
            elif record is None:
                self.call(
                    "POST",
                    "/records",
                    json={**fields, "value": address, "ttl": ttl_setting(self)},
                )
            elif record.get("value") != address:
                kept = {"ttl": record["ttl"]} if "ttl" in record else {}
                self.call(
                    "PUT",
                    f"/records/{record['id']}",
                    json={**fields, "value": address, **kept},
                )

    def zone(self) -> tuple[str, str]:
        """The id and name of the host's zone, looked up once per provider object."""
        if self._zone is None:
            self._zone = find_zone(self, self.lookup_zone)
            log.debug("hetzner: zone of %s is %s", self.hostname, self._zone)
        return self._zone

    def lookup_zone(self, name: str) -> tuple[str, str] | None:
        try:
            body = self.call("GET", "/zones", params={"name": name})
        except errors.NotFoundError:
            return None
        for zone in body.get("zones") or []:
            if (
                isinstance(zone, dict)
                and str(zone.get("name", "")).lower() == name.lower()
            ):
                return str(zone["id"]), str(zone["name"])
        return None

    def call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """One API request; its JSON object, or the error it reports."""
        return call_json(
            self.http,
            method,
            self.endpoint.rstrip("/") + path,
            status_failure,
            headers={"Auth-API-Token": self.require("token")},
            **kwargs,
        )
