"""DigitalOcean: A and AAAA records edited through the v2 domain records API.

The domain (zone) is looked up by name, the record by its full name and type
(`?name=` takes the fully qualified name); an existing record gets its new
`data` by PATCH, which keeps its TTL; a missing one is created with its name
relative to the domain; a family that disappears has its record deleted.
Errors are `{"id": "not_found", "message": "..."}` with a matching status.
Reference: https://docs.digitalocean.com/reference/api/digitalocean/#tag/Domain-Records
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

# The `id` of an error answer -> the error it stands for.
ERRORS: dict[str, type[errors.DDNSError]] = {
    "unauthorized": errors.AuthenticationError,
    "forbidden": errors.AuthenticationError,
    "not_found": errors.NotFoundError,
    "bad_request": errors.RequestError,
    "unprocessable_entity": errors.RequestError,
    "too_many_requests": errors.RateLimitedError,
}


class DigitalOcean(RecordAPIProvider[str]):
    handle = "digitalocean"
    name = "DigitalOcean"
    website = "https://www.digitalocean.com/"
    docs = (
        "https://docs.digitalocean.com/reference/api/digitalocean/#tag/Domain-Records"
    )
    quirks = (
        "Needs a personal access token with write access to domains. Records it "
        "creates get a TTL of 300 seconds (or `ttl`); `zone` names the domain "
        "and saves its lookup. Records never expire: an unchanged address is "
        "not sent again."
    )
    url = "https://api.digitalocean.com/v2"
    # A record of a DNS host stays until it is changed: nothing to keep alive.
    holdoff_days = None

    def send(self, addresses: Mapping[str, str | None]) -> None:
        zone = self.zone()
        records_path = f"/domains/{zone}/records"
        name = relative_name(self.hostname, zone)
        for family, address in addresses.items():
            record_type = RECORD_TYPES[family]
            body = self.call(
                "GET", records_path, params={"type": record_type, "name": self.hostname}
            )
            # The filter takes the full name; the records carry the relative one.
            records = matching(body.get("domain_records"), record_type, name)
            record = records[0] if records else None

            if address is None:
                if record is None:
                    log.debug(
                        "digitalocean: no %s record of %s", record_type, self.hostname
                    )
                else:
                    self.call("DELETE", f"{records_path}/{record['id']}")
            elif record is None:
                self.call(
                    "POST",
                    records_path,
                    json={
                        "type": record_type,
                        "name": name,
                        "data": address,
                        "ttl": ttl_setting(self),
                    },
                )
            elif record.get("data") != address:
                self.call(
                    "PATCH",
                    f"{records_path}/{record['id']}",
                    json={"type": record_type, "data": address},
                )

    def lookup_zone(self, name: str) -> str | None:
        try:
            body = self.call("GET", f"/domains/{name}")
        except errors.NotFoundError:
            return None
        domain = body.get("domain")
        return str(domain.get("name", name)) if isinstance(domain, dict) else name

    def failure(
        self, response: Response, body: Mapping[str, Any]
    ) -> errors.DDNSError | None:
        """The error an answer reports by its `id`."""
        if response.status < 400:
            return None
        cls = error_class(response, ERRORS, [body.get("id")])
        text = f"{body.get('id')}: {body.get('message')}"
        return cls(summarise(text), answer=response.text)
