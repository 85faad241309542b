"""Lightning Wire Labs DNS Service: both families in one request, removal by `-`.

Reference: https://dns.lightningwirelabs.com/knowledge-base/api/ddns
The answer is the HTTP status alone: 200 updated, 403 bad credentials,
400 invalid data (ddns.http maps the last two).
"""

from __future__ import annotations

from collections.abc import Mapping

from ddns.providers.base import Provider

PARAMS = {"ipv4": "address4", "ipv6": "address6"}

# The API deletes a record when its address is a dash.
REMOVE = "-"


class LightningWireLabs(Provider):
    handle = "dns.lightningwirelabs.com"
    name = "Lightning Wire Labs DNS Service"
    website = "https://dns.lightningwirelabs.com/"
    docs = "https://dns.lightningwirelabs.com/knowledge-base/api/ddns"
    quirks = (
        "One request carries both addresses; a dash removes a record. A family "
        "the host does not manage is left out, so its record stays as it is."
    )
    protocols = ("ipv4", "ipv6")
    url = "https://dns.lightningwirelabs.com/update"
    credentials = (("token",), ("username", "password"))
    supports_token_auth = True
    single_request = True
    can_remove_records = True

    def send(self, addresses: Mapping[str, str | None]) -> None:
        # Only the families asked for are sent: without any address argument
        # the service would take the address of the connection instead.
        params = {"hostname": self.hostname}
        for family, address in addresses.items():
            params[PARAMS[family]] = address or REMOVE
        token = self.setting("token")
        if token:
            params["token"] = token
        else:
            params["username"] = self.require("username")
            params["password"] = self.require("password")
        self.http.get(self.endpoint, params=params)
