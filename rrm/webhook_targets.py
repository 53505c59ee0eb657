"""Which addresses a webhook may be sent to, and sending to the address that was checked.

An organisation chooses its webhook's address, so without this check the service would POST to
whatever that address resolves to, including its own private network (server-side request forgery).
Outside development and tests only https to public addresses is allowed, checked when the endpoint is
registered and again at each delivery, since a name can resolve elsewhere later. A delivery resolves the
name once and connects to the address it checked (a second lookup could answer differently: DNS
rebinding); TLS still verifies the certificate for the host name.

What the organisation is told says neither what a name resolves to nor how a connection failed (that
would make the service a scanner of other networks); the detail goes to the log.
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import socket
import ssl
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import SplitResult, urlsplit

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

NO_HOST = "Use an https:// address with a host name."
NOT_HTTPS = "Use an https:// address."
NOT_ALLOWED = "This address is not allowed: its host name must resolve to public internet addresses only."

# IPv6 prefixes whose last 32 bits are an IPv4 address the traffic reaches: NAT64 (RFC 6052) and the
# deprecated IPv4-compatible form (::a.b.c.d). Mapped (::ffff:a.b.c.d), 6to4 and Teredo addresses
# carry theirs too; ipaddress extracts those.
IPV4_IN_LAST_32_BITS = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("::/96"))
# Local-use NAT64 (RFC 8215): translated inside some operator's network, never a public destination.
LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")


class UnresolvableHost(Exception):
    """The host name does not resolve now; at delivery time this may pass."""


class RefusedTarget(Exception):
    """The address may not receive webhooks; the message is what the organisation may be told."""


@dataclass(frozen=True)
class Target:
    """A webhook address after its check: where to connect (`address`) and what to ask for (`host`)."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped or address.sixtofour:
        return address.ipv4_mapped or address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if any(address in network for network in IPV4_IN_LAST_32_BITS):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: IPAddress) -> bool:
    """Globally reachable unicast, and so is any IPv4 address it carries."""
    if address.is_multicast or not address.is_global or address in LOCAL_NAT64:
        return False
    carried = embedded_ipv4(address)
    return carried is None or is_public(carried)


def _split(url: str, *, allow_private: bool) -> tuple[SplitResult, int]:
    """The URL's parts and port, when its scheme and host may receive webhooks at all."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedTarget(NO_HOST)
    if not allow_private and parts.scheme != "https":
        raise RefusedTarget(NOT_HTTPS)
    try:
        return parts, parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:  # a port out of range
        raise RefusedTarget(NO_HOST) from error


def _allowed_addresses(parts: SplitResult, port: int, *, allow_private: bool) -> list[IPAddress]:
    assert parts.hostname is not None  # _split refused the URL otherwise
    addresses = resolved_addresses(parts.hostname, port)
    refused = [address for address in addresses if not is_public(address)]
    if refused and not allow_private:
        logger.warning("Webhook address %s refused: it resolves to %s.", parts.geturl(), refused)
        raise RefusedTarget(NOT_ALLOWED)
    return addresses


def checked_target(url: str, *, allow_private: bool) -> Target:
    """Where to deliver `url`: the name resolved once, every address it has checked, the first taken.

    Raises RefusedTarget for an address that may not receive webhooks, UnresolvableHost for a name that
    does not resolve now.
    """
    parts, port = _split(url, allow_private=allow_private)
    addresses = _allowed_addresses(parts, port, allow_private=allow_private)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, str(parts.hostname), port, path, str(addresses[0]))


def target_problem(url: str, *, allow_private: bool) -> str | None:
    """What to tell an organisation registering `url`, or None when it may receive webhooks. A name
    that does not resolve is refused like a private one, so that the answer reveals nothing of the
    names the service's own resolver knows. Where private networks are allowed, nothing is resolved."""
    try:
        parts, port = _split(url, allow_private=allow_private)
        if not allow_private:
            _allowed_addresses(parts, port, allow_private=False)
    except RefusedTarget as refusal:
        return str(refusal)
    except UnresolvableHost as error:
        logger.info("Webhook address %s refused: %s", url, error)
        return NOT_ALLOWED
    return None


def resolved_addresses(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UnresolvableHost(f"{host} does not resolve: {error}") from error
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def _connect_to_checked_address(
    address: str, requested: tuple[str, int], timeout: Any, source_address: Any = None
) -> socket.socket:
    return socket.create_connection((address, requested[1]), timeout, source_address)


def post_to_checked_address(target: Target, *, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST to the checked address and return the HTTP status; redirects are not followed.

    Raises OSError (refused, reset, timeout, TLS failure) or http.client.HTTPException.
    """
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = http.client.HTTPSConnection(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(target.host, target.port, timeout=timeout)
    # http.client's hook for opening the socket: to the checked address, while the Host header, TLS
    # server name and certificate check keep the host name.
    pinned = partial(_connect_to_checked_address, target.address)
    connection._create_connection = pinned  # type: ignore[attr-defined]
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()
