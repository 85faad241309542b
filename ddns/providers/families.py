"""Which address families an update request carries, and its connection.

Providers updated once per family take that family's one address and send
their request over a connection of the same family (`request`); providers
that take both families in one request leave out a family without an
address and pick the connection by what is left (`request_together`).
Provider.connection_family says why the family of the connection matters.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from ddns import errors
from ddns.http import SUCCESS, Response
from ddns.i18n import _

if TYPE_CHECKING:
    from ddns.providers.base import Provider

log = logging.getLogger(__name__)


def only_address(addresses: Mapping[str, str | None]) -> tuple[str, str]:
    """The family and address of an update sent once per family.

    Removal (None) is asked only of providers that declare can_remove_records;
    the others must never send an empty address, which several services would
    fill in from the connection.
    """
    ((family, address),) = addresses.items()
    if address is None:
        raise errors.ProviderConfigurationError(
            _("This provider cannot remove the {family} record").format(family=family)
        )
    return family, address


def present(provider: Provider, addresses: Mapping[str, str | None]) -> dict[str, str]:
    """The families of a single request that have an address to publish.

    A provider that cannot remove records leaves a family without an address
    alone: it is left out of the request, never sent empty.
    """
    wanted = {family: address for family, address in addresses.items() if address}
    if len(wanted) < len(addresses):
        log.debug(
            "send: %s %s: no address for %s, its record is left alone",
            provider.handle,
            provider.hostname,
            ",".join(sorted(set(addresses) - set(wanted))),
        )
    return wanted


def request_family(provider: Provider, families: Collection[str]) -> str | None:
    """The family to force a single request's connection to.

    With one family only, the connection uses it (see
    Provider.connection_family); with both, either family may carry it.
    """
    if len(families) != 1:
        return None
    return provider.connection_family(next(iter(families)))


def request_together(
    provider: Provider,
    wanted: Mapping[str, str],
    names: Mapping[str, str],
    params: Mapping[str, str],
    *,
    auth: tuple[str, str] | None = None,
    accept: Collection[int] = SUCCESS,
) -> Response:
    """Send one GET with `params` and each address of `wanted` (see `present`)
    in the query parameter `names` gives its family."""
    addressed = {names[family]: address for family, address in wanted.items()}
    return provider.http.get(
        provider.endpoint,
        params={**params, **addressed},
        auth=auth,
        family=request_family(provider, wanted),
        accept=accept,
    )


def request(
    provider: Provider,
    family: str,
    *,
    params: Mapping[str, str] | None = None,
    data: Mapping[str, str] | None = None,
    url: str | None = None,
    method: str = "GET",
    basic_auth: bool = False,
    accept: Collection[int] = SUCCESS,
) -> Response:
    """Send one family's update over a connection of that family."""
    auth = None
    if basic_auth:
        auth = (provider.require("username"), provider.require("password"))
    return provider.http.request(
        method,
        url or provider.endpoint,
        params=params,
        data=data,
        auth=auth,
        family=provider.connection_family(family),
        accept=accept,
    )
