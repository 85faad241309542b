"""Hetzner DNS: the DNS Console API, and the Cloud API of the Hetzner Console.

Hetzner moves zones from its DNS Console to the Hetzner Console, where only
the Cloud API reaches them; `hetzner` speaks the first, `hetzner-cloud` the
second.

DNS Console API: the zone is looked up by name (`GET /zones?name=` answers
one zone or none), its records are listed once per update and the host's
record picked by its name relative to the zone and its type; an existing
record is replaced by PUT with its TTL kept, a missing one created, a
removed family's record deleted. Errors carry `{"error": {"message",
"code"}}` or `{"message"}` and a status.
Reference: https://dns.hetzner.com/api-docs
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from ddns import errors
from ddns.http import Response, summarise
from ddns.providers.base import RECORD_TYPES
from ddns.providers.hostnames import relative_name
from ddns.providers.rest import (
    RecordAPIProvider,
    error_class,
    matching,
    ttl_setting,
)

log = logging.getLogger(__name__)


class Hetzner(RecordAPIProvider[tuple[str, str]]):
    handle = "hetzner"
    name = "Hetzner DNS"
    website = "https://www.hetzner.com/dns-console"
    docs = "https://dns.hetzner.com/api-docs"
    quirks = (
        "Needs a DNS Console API token. Zones moved to the Hetzner Console are no "
        "longer reachable through this API (it answers 422): use hetzner-cloud for "
        "them. Records it creates get a TTL of 300 seconds (or `ttl`); `zone` "
        "saves the zone lookup. Records never expire: an unchanged address is "
        "not sent again."
    )
    url = "https://dns.hetzner.com/api/v1"
    # A record of a DNS host stays until it is changed: nothing to keep alive.
    holdoff_days = None

    def send(self, addresses: Mapping[str, str | None]) -> None:
        zone_id, zone_name = self.zone()
        name = relative_name(self.hostname, zone_name)
        # One listing of the zone serves both families.
        listed = self.call("GET", "/records", params={"zone_id": zone_id})
        for family, address in addresses.items():
            record_type = RECORD_TYPES[family]
            records = matching(listed.get("records"), record_type, name)
            record = records[0] if records else None
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

    def headers(self) -> dict[str, str]:
        return {"Auth-API-Token": self.require("token")}


# The `code` of a Cloud API error -> the error it stands for.
CLOUD_ERRORS: dict[str, type[errors.DDNSError]] = {
    "unauthorized": errors.AuthenticationError,
    "forbidden": errors.AuthenticationError,
    "not_found": errors.NotFoundError,
    "invalid_input": errors.RequestError,
    "json_error": errors.RequestError,
    "uniqueness_error": errors.RequestError,
    "protected": errors.RequestError,  # change protection is on for the RRSet
    "incorrect_zone_mode": errors.RequestError,  # a secondary zone
    "resource_limit_exceeded": errors.AccountError,
    "rate_limit_exceeded": errors.RateLimitedError,
    "locked": errors.TemporaryError,  # another action on the zone is running
    "conflict": errors.TemporaryError,
    "resource_unavailable": errors.ServiceUnavailableError,
    "maintenance": errors.ServiceUnavailableError,
    "service_error": errors.ServerError,
}


class HetznerCloud(RecordAPIProvider[str]):
    """Hetzner DNS in the Hetzner Console, through the Cloud API's zone RRSets.

    The records of an RRSet are replaced by its `set_records` action, which
    leaves the TTL alone; an RRSet that does not exist yet (404) is created,
    and a removed family's RRSet deleted. Zones are addressed by name.
    Errors are `{"error": {"code", "message", "details"}}`.
    Reference: https://docs.hetzner.cloud/reference/cloud#zone-rrsets
    """

    handle = "hetzner-cloud"
    name = "Hetzner DNS (Hetzner Console)"
    website = "https://www.hetzner.com/dns"
    docs = "https://docs.hetzner.cloud/reference/cloud#zone-rrsets"
    quirks = (
        "For zones managed in the Hetzner Console (moved from the DNS Console). "
        "Needs a Cloud project API token with read and write access. RRSets it "
        "creates get a TTL of 300 seconds (or `ttl`); `zone` saves the zone lookup. "
        "Records never expire: an unchanged address is not sent again."
    )
    url = "https://api.hetzner.cloud/v1"
    # A record of a DNS host stays until it is changed: nothing to keep alive.
    holdoff_days = None

    def send(self, addresses: Mapping[str, str | None]) -> None:
        zone = self.zone()
        # RRSet names are lower case and relative to the zone.
        name = relative_name(self.hostname, zone).lower()
        for family, address in addresses.items():
            record_type = RECORD_TYPES[family]
            rrset = f"/zones/{zone}/rrsets/{name}/{record_type}"
            if address is None:
                try:
                    self.call("DELETE", rrset)
                except errors.NotFoundError:
                    log.debug("hetzner-cloud: no %s RRSet to delete", rrset)
                continue
            records = [{"value": address}]
            try:
                self.call(
                    "POST", f"{rrset}/actions/set_records", json={"records": records}
                )
            except errors.NotFoundError:
                self.call(
                    "POST",
                    f"/zones/{zone}/rrsets",
                    json={
                        "name": name,
                        "type": record_type,
                        "ttl": ttl_setting(self),
                        "records": records,
                    },
                )

    def lookup_zone(self, name: str) -> str | None:
        try:
            body = self.call("GET", f"/zones/{name}")
        except errors.NotFoundError:
            return None
        zone = body.get("zone")
        return str(zone.get("name") or name) if isinstance(zone, dict) else name

    def failure(
        self, response: Response, body: Mapping[str, Any]
    ) -> errors.DDNSError | None:
        """The error a Cloud API answer reports by its code."""
        if response.status < 400:
            return None
        error = body.get("error")
        code = error.get("code") if isinstance(error, dict) else None
        message = error.get("message") if isinstance(error, dict) else None
        cls = error_class(response, CLOUD_ERRORS, [code])
        return cls(
            summarise(f"{code}: {message or response.text}"), answer=response.text
        )
