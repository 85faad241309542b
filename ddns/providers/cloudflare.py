"""Cloudflare: A and AAAA records edited through the v4 API with an API token.

The zone is looked up by name (the host's `zone` setting skips the search),
the record by name and type; an existing record gets its new content by PATCH,
which leaves its TTL, proxy flag, comment and tags alone; a missing one is
created; a family that disappears has its record deleted. Every answer is an
envelope `{"success", "errors": [{"code", "message"}], "result"}`.
Reference: https://developers.cloudflare.com/api/resources/dns/subresources/records/
and https://developers.cloudflare.com/api/resources/zones/methods/list/
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from ddns import errors
from ddns.http import Response, summarise
from ddns.i18n import _
from ddns.providers.base import RECORD_TYPES
from ddns.providers.rest import (
    RecordAPIProvider,
    error_class,
    matching,
    ttl_setting,
    unexpected,
)

log = logging.getLogger(__name__)

# Codes of the envelope's `errors` -> the error they stand for. Cloudflare
# publishes no list for its DNS API; these are the codes it is seen to answer.
ERRORS: dict[int, type[errors.DDNSError]] = {
    # Missing, malformed, unknown or insufficient credentials.
    6003: errors.AuthenticationError,  # Invalid request headers
    6102: errors.AuthenticationError,  # Invalid format for X-Auth-Email header
    6103: errors.AuthenticationError,  # Invalid format for X-Auth-Key header
    6111: errors.AuthenticationError,  # Invalid format for Authorization header
    9103: errors.AuthenticationError,  # Unknown X-Auth-Key or X-Auth-Email
    9106: errors.AuthenticationError,  # Missing X-Auth-Key header
    9109: errors.AuthenticationError,  # Invalid access token / not authorized
    10000: errors.AuthenticationError,  # Authentication error
    # The record was refused as sent.
    1004: errors.RequestError,  # DNS validation error
    9005: errors.RequestError,  # Content for A record must be a valid IPv4 address
    9006: errors.RequestError,  # Content for AAAA record must be a valid IPv6 address
    9021: errors.RequestError,  # Invalid TTL
    81053: errors.RequestError,  # A CNAME or other record already uses the name
    81057: errors.RequestError,  # The record already exists
    # The zone or record went away between lookup and change.
    7003: errors.NotFoundError,  # Could not route to ..., object identifier invalid
    81044: errors.NotFoundError,  # Record does not exist
    # Throttled below the HTTP level.
    971: errors.RateLimitedError,  # Please wait and consider throttling
}


class Cloudflare(RecordAPIProvider[str]):
    handle = "cloudflare"
    name = "Cloudflare"
    website = "https://www.cloudflare.com/"
    docs = "https://developers.cloudflare.com/api/resources/dns/subresources/records/"
    quirks = (
        "Needs an API token with Zone:Read and DNS:Edit on the zone. Updates keep "
        "the record's TTL and proxy flag; records it creates are unproxied with "
        "automatic TTL (or `ttl`). `zone` names the zone and saves its lookup. "
        "Records never expire: an unchanged address is not sent again."
    )
    url = "https://api.cloudflare.com/client/v4"
    # A record of a DNS host stays until it is changed: nothing to keep alive.
    holdoff_days = None

    def send(self, addresses: Mapping[str, str | None]) -> None:
        zone_id = self.zone()
        for family, address in addresses.items():
            record_type = RECORD_TYPES[family]
            listed = self.result(
                "GET",
                f"/zones/{zone_id}/dns_records",
                params={"type": record_type, "name.exact": self.hostname},
            )
            records = matching(listed, record_type, self.hostname)
            if len(records) > 1:
                log.warning(
                    "%s",
                    _(
                        "{hostname} has {count} {type} records; only the first is updated"
                    ).format(
                        hostname=self.hostname, count=len(records), type=record_type
                    ),
                )
            self.apply(zone_id, record_type, records[0] if records else None, address)

    def apply(
        self, zone_id: str, record_type: str, record: Any, address: str | None
    ) -> None:
        """Bring the record of one family to `address` (None: delete it)."""
        records = f"/zones/{zone_id}/dns_records"
        if address is None:
            if record is None:
                log.debug("cloudflare: no %s record of %s", record_type, self.hostname)
            else:
                self.call("DELETE", f"{records}/{record['id']}")
        elif record is None:
            self.call(
                "POST",
                records,
                json={
                    "type": record_type,
                    "name": self.hostname,
                    "content": address,
                    "ttl": ttl_setting(self, default=1),
                    "proxied": False,
                },
            )
        elif record.get("content") != address:
            # Sent back as they are, so that they cannot be lost whatever
            # PATCH does with fields it is not given.
            kept = {key: record[key] for key in ("ttl", "proxied") if key in record}
            self.call(
                "PATCH", f"{records}/{record['id']}", json={"content": address, **kept}
            )

    def lookup_zone(self, name: str) -> str | None:
        zones = self.result("GET", "/zones", params={"name": name})
        if not isinstance(zones, list):
            raise errors.UnexpectedAnswerError(_("zone list missing"))
        for zone in zones:
            if (
                isinstance(zone, dict)
                and str(zone.get("name", "")).lower() == name.lower()
            ):
                return str(zone["id"])
        return None

    def result(self, method: str, path: str, **kwargs: Any) -> Any:
        """The `result` of the answer's envelope."""
        return self.call(method, path, **kwargs).get("result")

    def failure(
        self, response: Response, body: Mapping[str, Any]
    ) -> errors.DDNSError | None:
        """The error an envelope reports by its first known code."""
        if not isinstance(body.get("success"), bool):
            return unexpected(response)
        if body["success"]:
            return None
        reported = [item for item in body.get("errors") or [] if isinstance(item, dict)]
        cls = error_class(response, ERRORS, (item.get("code") for item in reported))
        text = "; ".join(
            f"{item.get('code')}: {item.get('message')}" for item in reported
        )
        return cls(summarise(text or response.text), answer=response.text)
