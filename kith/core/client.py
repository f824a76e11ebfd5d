"""The client's address: the one place Kith reads it.

Behind a load balancer every request comes from the balancer, and only `X-Forwarded-For` names
the person's device. That header is whatever the sender wrote, so it is believed only as far as
the proxies we run: KITH_TRUSTED_PROXIES (from the environment) lists their addresses or
networks. The header is read from the right, skipping hops that are trusted proxies; the first
hop that is not one is the client. A request that did not come from a trusted proxy is its own
REMOTE_ADDR, whatever header it sent, so forging the header buys nothing.

Rate limits (kith.core.limits), sign-in limits and django-axes (AXES_CLIENT_IP_CALLABLE) all use
`client_address`. django-ipware is not used: it reads the header without checking that the
request came through a trusted proxy, so a client connecting directly could name any address.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# When a request carries no usable address (never over TCP): one shared allowance for all such.
UNKNOWN = "0.0.0.0"  # noqa: S104 (an address we report, not one we listen on)


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies)


def _parse(value: str) -> Address | None:
    """An address from a header hop or REMOTE_ADDR, allowing a port ("[2001:db8::1]:443",
    "192.0.2.1:8080") as some balancers add; None when it is not an address."""
    text = value.strip()
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, proxies: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in proxies)


def client_address(request: HttpRequest) -> str:
    """The address of the device that sent this request, as far as our own proxies vouch."""
    remote = _parse(str(request.META.get("REMOTE_ADDR") or ""))
    if remote is None:
        return UNKNOWN
    proxies = _networks(tuple(getattr(settings, "KITH_TRUSTED_PROXIES", ())))
    if not _is_trusted(remote, proxies):
        return str(remote)
    client = remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    for hop in reversed([hop for hop in forwarded.split(",") if hop.strip()]):
        address = _parse(hop)
        if address is None:  # a hop our proxy wrote that is not an address: stop at the proxy
            break
        client = address
        if not _is_trusted(address, proxies):
            break
    return str(client)
