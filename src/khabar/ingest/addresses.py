"""Which network addresses the fetcher may connect to, enforced where the connection is made.

A URL's host is resolved, every address it resolves to is checked, and the connection goes to
an address that was checked: the check and the connection use one resolution, so a host name
that answers a public address to the check and a private one to the connection (DNS rebinding)
gets nowhere. The check runs inside the HTTP transport, so it covers the first request, every
redirect and robots.txt alike.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]

# Cloud instance metadata and platform endpoints: credentials live there. 168.63.129.16 (Azure's
# wire server) is a public address, so only this list catches it.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",
        "169.254.170.2",
        "100.100.100.200",
        "168.63.129.16",
        "fd00:ec2::254",
    )
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class BlockedAddress(Exception):
    """The host resolves to an address the policy refuses (raised before any connection)."""

    def __init__(self, host: str, address: str, kind: str) -> None:
        where = f"{address} is" if host == address else f"{host} resolves to {address},"
        super().__init__(f"{where} a {kind} address")
        self.host = host
        self.address = address
        self.kind = kind


def special_kind(ip: IPAddress) -> str | None:
    """What makes an address non-public ("loopback", "private", ...), or None for a public one."""
    if ip in METADATA_ADDRESSES:
        return "cloud metadata"
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        return special_kind(embedded)
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("non-public", not ip.is_global),
    )
    return next((kind for kind, hit in checks if hit), None)


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one leads to (mapped, 6to4, NAT64, Teredo), if any."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses only, unless ``allow_private`` or ``allow_hosts`` says otherwise.

    ``allow_private`` opens loopback, private, link-local and the like, but not the cloud
    metadata addresses; ``allow_hosts`` lists host names (exact) and networks (CIDR) allowed
    whatever they resolve to, metadata included.
    """

    allow_private: bool = False
    allow_hosts: tuple[str, ...] = ()
    _names: frozenset[str] = field(init=False, repr=False)
    _networks: tuple[IPNetwork, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        names, networks = _split_hosts(self.allow_hosts)
        object.__setattr__(self, "_names", names)
        object.__setattr__(self, "_networks", networks)

    def refusal(self, host: str, address: str) -> str | None:
        """Why connecting to ``address`` (for ``host``) is refused, or None when it is allowed."""
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if _normal_host(host) in self._names or any(ip in net for net in self._networks):
            return None
        kind = special_kind(ip)
        if kind is None or (self.allow_private and kind != "cloud metadata"):
            return None
        return kind


def _split_hosts(entries: Iterable[str]) -> tuple[frozenset[str], tuple[IPNetwork, ...]]:
    names: set[str] = set()
    networks: list[IPNetwork] = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            names.add(_normal_host(entry))
    return frozenset(names), tuple(networks)


def _normal_host(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


def resolve(host: str, port: int) -> list[str]:
    """The addresses of ``host`` (an IP literal resolves to itself), in the resolver's order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class GuardedBackend(httpcore.SyncBackend):
    """Resolves, checks every address against the policy, and connects to a checked one."""

    def __init__(self, policy: AddressPolicy, resolver: Resolver = resolve) -> None:
        self.policy = policy
        self.resolver = resolver

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        name = _normal_host(host)
        try:
            addresses = self.resolver(name, port)
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {name}: {exc}") from exc
        if not addresses:
            raise httpcore.ConnectError(f"{name} resolves to no address")
        for address in addresses:
            kind = self.policy.refusal(name, address)
            if kind is not None:
                raise BlockedAddress(name, address, kind)
        failure: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                # TLS is started later by httpcore with the URL's host name as SNI and for
                # certificate checks: only the TCP connection uses the checked address.
                return super().connect_tcp(
                    address,
                    port,
                    timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectError as exc:
                failure = exc
        assert failure is not None
        raise failure


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """Certificate checks as httpx makes them; loading the CA bundle takes ~50 ms, so once."""
    return httpx.create_ssl_context()


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport (pooling, TLS, exception mapping) over the guarded backend."""

    def __init__(self, policy: AddressPolicy, resolver: Resolver = resolve) -> None:
        # trust_env=False: a proxy from the environment would connect on our behalf, unchecked.
        super().__init__(trust_env=False, retries=0)
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(),
            network_backend=GuardedBackend(policy, resolver),
        )
