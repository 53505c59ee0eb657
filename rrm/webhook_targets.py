"""Which addresses a webhook may be sent to.

An organisation chooses its webhook's address, so without this check the service would POST to
whatever that address resolves to, including its own private network (server-side request forgery).
Outside development and tests only https to public addresses is allowed, checked when the endpoint is
registered and again at each delivery, since a name can resolve elsewhere later.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit


class UnresolvableHost(Exception):
    """The host name does not resolve now; at delivery time this may pass."""


def target_problem(url: str, *, allow_private: bool) -> str | None:
    """Why `url` may not receive webhooks, or None when it may."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "Use an https:// address with a host name."
    if allow_private:
        return None
    if parts.scheme != "https":
        return "Use an https:// address."
    for address in resolved_addresses(parts.hostname, parts.port or 443):
        if not address.is_global:
            return f"{parts.hostname} resolves to {address}, which is not a public address."
    return None


def resolved_addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UnresolvableHost(f"{host} does not resolve: {error}") from error
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
