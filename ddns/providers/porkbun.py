"""Porkbun: A and AAAA records edited through the v3 JSON API.

Every call is a POST whose JSON body carries `apikey` and `secretapikey`.
The domain is found among the account's domains (`/domain/listAll`); the
records of the host are then read, edited and deleted by domain, type and
subdomain (`.../retrieveByNameType/<domain>/<type>/<subdomain>`, the
subdomain left out for the apex), and created by `/dns/create/<domain>`.
Every answer has `"status": "SUCCESS"` or `"ERROR"` with a `message`.
Reference: https://porkbun.com/api/json/v3/documentation
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from ddns import errors
from ddns.http import Client, Response, summarise
from ddns.providers.base import RECORD_TYPES, Provider
from ddns.providers.hostnames import relative_name
from ddns.providers.rest import (
    RecordAPIProvider,
    error_class,
    matching,
    ttl_setting,
    unexpected,
)

log = logging.getLogger(__name__)

# Porkbun's minimum TTL, and the one it gives records by default.
PORKBUN_TTL = 600

# Words of an error `message` -> the error it stands for. Porkbun has no
# error codes beyond a number in parentheses in some messages.
MESSAGES: tuple[tuple[str, type[errors.DDNSError]], ...] = (
    ("invalid api key", errors.AuthenticationError),  # "Invalid API key. (002)"
    ("not opted in to api access", errors.AccountError),  # API access off for domain
    ("invalid domain", errors.NotFoundError),
)


class Porkbun(RecordAPIProvider[str]):
    handle = "porkbun"
    name = "Porkbun"
    website = "https://porkbun.com/"
    docs = "https://porkbun.com/api/json/v3/documentation"
    quirks = (
        "Needs an API key pair and API ACCESS switched on for the domain in "
        "Porkbun's domain management. Edits keep the record's TTL; records it "
        "creates get 600 seconds (Porkbun's minimum) or `ttl`. `zone` names the "
        "domain and saves listing the account's domains. Records never expire: "
        "an unchanged address is not sent again."
    )
    url = "https://api.porkbun.com/api/json/v3"
    # A record of a DNS host stays until it is changed: nothing to keep alive.
    holdoff_days = None
    credentials = (("apikey", "secretapikey"),)
    secrets = Provider.secrets | {"apikey", "secretapikey"}

    def __init__(
        self, hostname: str, settings: Mapping[str, str], http: Client
    ) -> None:
        super().__init__(hostname, settings, http)
        self._domains: set[str] | None = None

    def send(self, addresses: Mapping[str, str | None]) -> None:
        domain = self.zone()
        subdomain = relative_name(self.hostname, domain, apex="")
        for family, address in addresses.items():
            record_type = RECORD_TYPES[family]
            by_name_type = f"{domain}/{record_type}" + (
                f"/{subdomain}" if subdomain else ""
            )
            found = self.post(f"/dns/retrieveByNameType/{by_name_type}")
            records = matching(found.get("records"), record_type, self.hostname)

            if address is None:
                if records:
                    self.post(f"/dns/deleteByNameType/{by_name_type}")
                else:
                    log.debug("porkbun: no %s record of %s", record_type, self.hostname)
            elif not records:
                self.post(
                    f"/dns/create/{domain}",
                    name=subdomain,
                    type=record_type,
                    content=address,
                    ttl=str(ttl_setting(self, default=PORKBUN_TTL)),
                )
            elif any(r.get("content") != address for r in records):
                kept = {"ttl": str(records[0]["ttl"])} if records[0].get("ttl") else {}
                self.post(
                    f"/dns/editByNameType/{by_name_type}", content=address, **kept
                )

    def lookup_zone(self, name: str) -> str | None:
        if self.setting("zone"):
            # Named by the user: Porkbun's own answers say if it is wrong.
            return name
        if self._domains is None:
            listed = self.post("/domain/listAll")
            self._domains = {
                str(d.get("domain")).lower()
                for d in listed.get("domains") or []
                if isinstance(d, dict)
            }
        return name if name.lower() in self._domains else None

    def headers(self) -> dict[str, str]:
        # The keys travel in every request's JSON body instead.
        return {}

    def post(self, path: str, **fields: str) -> dict[str, Any]:
        """One API request, its JSON body carrying the key pair and `fields`."""
        keys = {
            "apikey": self.require("apikey"),
            "secretapikey": self.require("secretapikey"),
        }
        return self.call("POST", path, json={**keys, **fields})

    def failure(
        self, response: Response, body: Mapping[str, Any]
    ) -> errors.DDNSError | None:
        """The error an answer reports by its message."""
        status = body.get("status")
        if status == "SUCCESS" and response.status < 400:
            return None
        if status not in ("SUCCESS", "ERROR"):
            return unexpected(response)
        message = str(body.get("message") or "")
        cls = next(
            (cls for words, cls in MESSAGES if words in message.lower()),
            error_class(response, {}),
        )
        return cls(summarise(message or response.text), answer=response.text)
