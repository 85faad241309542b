"""GoDaddy: the Domains REST API, one record type per request.

Reference: https://developer.godaddy.com/doc/endpoint/domains
PUT /v1/domains/{domain}/records/{type}/{name} replaces the records of that
name and type; DELETE on the same path removes them. The key and secret go
in `Authorization: sso-key KEY:SECRET`. Errors are JSON with a `message`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ddns import errors
from ddns.http import Response, parse_retry_after, summarise
from ddns.providers.answers import Outcome
from ddns.providers.base import RECORD_TYPES, Provider
from ddns.providers.hostnames import split_zone
from ddns.providers.rest import ttl_setting

# GoDaddy's lowest TTL; the original client sent it too.
DEFAULT_TTL = 600

STATUSES: dict[int, Outcome] = {
    200: None,
    204: None,
    400: errors.RequestError,
    401: errors.AuthenticationError,
    # ACCESS_DENIED: valid keys, but GoDaddy keeps the API from this account.
    403: errors.AccountError,
    404: errors.NotFoundError,
    422: errors.RequestError,
    429: errors.RateLimitedError,
}


def _message(response: Response) -> str:
    """GoDaddy's error message, else a summary of the answer."""
    body = _json(response)
    message = body.get("message") if isinstance(body, dict) else None
    return f"HTTP {response.status}: {message or summarise(response.text)}"


def _json(response: Response) -> Any:
    try:
        return response.json()
    except errors.UnexpectedAnswerError:
        return None


def _retry_after(response: Response) -> float | None:
    """Seconds to wait from a 429: the Retry-After header or `retryAfterSec`."""
    header = parse_retry_after(response.header("Retry-After"))
    if header is not None:
        return header
    body = _json(response)
    value = body.get("retryAfterSec") if isinstance(body, dict) else None
    return float(value) if isinstance(value, (int, float)) else None


class GoDaddy(Provider):
    handle = "godaddy.com"
    name = "GoDaddy"
    website = "https://www.godaddy.com/"
    docs = (
        "https://developer.godaddy.com/doc/endpoint/domains#/v1/recordReplaceTypeName"
    )
    quirks = (
        "`username` is the API key and `password` the API secret. The zone is "
        "the last two labels of the hostname unless a `zone` setting names it."
    )
    protocols = ("ipv4", "ipv6")
    url = "https://api.godaddy.com/v1/domains/"
    optional = ("zone", "ttl")
    # The API key (kept in `username` for old configurations) is a secret too.
    secrets = frozenset({"username", "password"})
    can_remove_records = True

    def send(self, addresses: Mapping[str, str | None]) -> None:
        ((family, address),) = addresses.items()
        zone, name = split_zone(self.hostname, self.setting("zone"))
        url = (
            f"{self.endpoint.rstrip('/')}/{zone}/records/{RECORD_TYPES[family]}/{name}"
        )
        key, secret = self.require("username"), self.require("password")
        headers = {
            "Authorization": f"sso-key {key}:{secret}",
            "Accept": "application/json",
        }
        accept = set(STATUSES)
        if address is None:
            # A record that is already gone is as removed as can be.
            response = self.http.request("DELETE", url, headers=headers, accept=accept)
            if response.status == 404:
                return
        else:
            response = self.http.request(
                "PUT",
                url,
                json=[{"data": address, "ttl": ttl_setting(self, DEFAULT_TTL)}],
                headers=headers,
                family=self.connection_family(family),
                accept=accept,
            )
        outcome = STATUSES[response.status]
        if outcome is not None:
            raise outcome(
                _message(response),
                answer=response.text,
                retry_after=_retry_after(response) if response.status == 429 else None,
            )
