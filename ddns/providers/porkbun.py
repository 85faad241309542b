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

from ddns import errors, redact
from ddns.http import Client, Response, summarise
from ddns.providers.base import RECORD_TYPES, Provider
from ddns.providers.rest import (
    best_zone,
    call_json,
    error_class,
    missing_zone,
    relative_name,
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


class Porkbun(Provider):
    handle = "porkbun"
    name = "Porkbun"
    website = "https://porkbun.com/"
    docs = "https://porkbun.com/api/json/v3/documentation"
    quirks = (
        "Needs an API key pair and API ACCESS switched on for the domain in "
        "Porkbun's domain management. Edits keep the record's TTL; records it "
        "creates get 600 seconds (Porkbun's minimum) or `ttl`. `zone` names the "
        "domain and saves listing the account's domains."
    )
    protocols = ("ipv4", "ipv6")
    url = "https://api.porkbun.com/api/json/v3"
    credentials = (("apikey", "secretapikey"),)
    optional = ("zone", "ttl")
    secrets = Provider.secrets | {"apikey", "secretapikey"}
    can_remove_records = True

    def __init__(
        self, hostname: str, settings: Mapping[str, str], http: Client
    ) -> None:
        super().__init__(hostname, settings, http)
        for key in ("apikey", "secretapikey"):
            redact.register(self.settings.get(key))
        self._zone: str | None = None

    def send(self, addresses: Mapping[str, str | None]) -> None:
        domain = self.zone()
        subdomain = relative_name(self.hostname, domain, apex="")
        for family, address in addresses.items():
            record_type = RECORD_TYPES[family]
            by_name_type = f"{domain}/{record_type}" + (
                f"/{subdomain}" if subdomain else ""
            )
            found = self.call(f"/dns/retrieveByNameType/{by_name_type}")
            records = [r for r in found.get("records") or [] if isinstance(r, dict)]

            if address is None:
                if records:
                    self.call(f"/dns/deleteByNameType/{by_name_type}")
                else:
                    log.debug("porkbun: no %s record of %s", record_type, self.hostname)
            elif not records:
                self.call(
                    f"/dns/create/{domain}",
                    name=subdomain,
                    type=record_type,
                    content=address,
                    ttl=str(ttl_setting(self, default=PORKBUN_TTL)),
                )
            elif any(r.get("content") != address for r in records):
                kept = {"ttl": str(records[0]["ttl"])} if records[0].get("ttl") else {}
                self.call(
                    f"/dns/editByNameType/{by_name_type}", content=address, **kept
                )

    def zone(self) -> str:
        """The host's domain at Porkbun, looked up once per provider object."""
        if self._zone is None:
            pinned = self.setting("zone").strip().rstrip(".")
            if pinned:
                self._zone = pinned
            else:
                listed = self.call("/domain/listAll")
                names = [
                    str(d.get("domain"))
                    for d in listed.get("domains") or []
                    if isinstance(d, dict)
                ]
                found = best_zone(self.hostname, names)
                if found is None:
                    raise missing_zone(self)
                self._zone = found
            log.debug("porkbun: domain of %s is %s", self.hostname, self._zone)
        return self._zone

    def call(self, path: str, **fields: str) -> dict[str, Any]:
        """One API request; its JSON object, or the error it reports."""
        credentials = {
            "apikey": self.require("apikey"),
            "secretapikey": self.require("secretapikey"),
        }
        return call_json(
            self.http,
            "POST",
            self.endpoint.rstrip("/") + path,
            failure,
            json={**credentials, **fields},
        )


def failure(response: Response, body: Mapping[str, Any]) -> errors.DDNSError | None:
    """The error an answer reports by its message, or None for success."""
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
