"""The fetch guard: every request (redirect hops, robots.txt, attachments included) goes only to
http(s) on registry hosts or an attachment's linked host, and never to an internal address.

Pure policy functions decide; `FetchGuardMiddleware` applies them to each request before the
downloader connects, resolving the host itself when no proxy is configured.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
from collections.abc import Awaitable, Callable, Iterable, Sequence
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import (
    IAddress,
    IHostResolution,
    IReactorPluggableNameResolver,
    IResolutionReceiver,
)
from zope.interface import implementer

from crawler.discovery.links import host_and_parents, site_host

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
# Resolves a host name to every address the connection may use.
Resolver = Callable[[str], Awaitable[list[str]]]

# request.meta key: the host a report page linked an attachment on. The attachment's request
# and its redirect hops may go there (and to registry hosts), nowhere else.
ATTACHMENT_HOST_META = "nianbao_attachment_host"
# Carrier-grade NAT (RFC 6598): not global, yet Python counts it neither private nor reserved.
SHARED_ADDRESS_SPACE = ipaddress.IPv4Network("100.64.0.0/10")
# What inet_aton reads as an IPv4 address ("127.1", "0x7f.1", "2130706433"): a resolver or
# proxy would connect to it like the dotted form, so it is one.
_NUMERIC_HOST = re.compile(r"(?:0x[0-9a-f]*|\d+)(?:\.(?:0x[0-9a-f]*|\d+)){0,3}")


class FetchRefused(IgnoreRequest):
    """A request the guard will not send; the message says why."""


def parse_networks(cidrs: Iterable[str]) -> tuple[IPNetwork, ...]:
    """The allow list from settings; a bad entry is a configuration error, named."""
    try:
        return tuple(
            ipaddress.ip_network(cidr.strip(), strict=False) for cidr in cidrs if cidr.strip()
        )
    except ValueError as error:
        raise ValueError(f"NIANBAO_ALLOWED_NETWORKS: {error}") from None


def literal_address(host: str) -> IPAddress | None:
    """The address a host name spells out literally, in any form a resolver accepts."""
    host = host.lower().rstrip(".")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _NUMERIC_HOST.fullmatch(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def is_localhost(host: str) -> bool:
    """`localhost` and its subdomains always resolve to loopback (RFC 6761)."""
    host = host.lower().rstrip(".")
    return host == "localhost" or host.endswith(".localhost")


def address_kind(address: IPAddress, allowed: Sequence[IPNetwork] = ()) -> str | None:
    """What kind of internal address this is ("loopback", "private", ...), or None for a
    public one or one inside the allowed networks."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if any(address in network for network in allowed):
        return None
    kinds = (
        (address.is_unspecified, "unspecified"),
        (address.is_loopback, "loopback"),
        (address.is_link_local, "link-local"),
        (address.is_multicast, "multicast"),
        (address in SHARED_ADDRESS_SPACE, "shared (carrier-grade NAT)"),
        (address.is_reserved, "reserved"),  # before private: Python counts 240/4 as both
        (address.is_private, "private"),
        (not address.is_global, "non-public"),
    )
    return next((kind for is_kind, kind in kinds if is_kind), None)


def registry_hosts(homepages: Iterable[str]) -> frozenset[str]:
    """The portals' hosts as `is_same_site` reads them: `www.` dropped, subdomains included."""
    return frozenset(site_host(homepage) for homepage in homepages)


def is_registry_host(host: str, sites: frozenset[str]) -> bool:
    """`host` is a portal's host or a subdomain of one: a set lookup per label, not per portal."""
    return any(site in sites for site in host_and_parents(host))


def url_refusal(
    url: str,
    sites: frozenset[str],
    allowed: Sequence[IPNetwork],
    attachment_host: str | None = None,
) -> str | None:
    """Why a request for `url` is refused before any name is resolved, or None: the scheme,
    a literal internal address (or localhost), a host outside the registry."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return f"refused: scheme {parts.scheme or '(none)'} is not http or https"
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return "refused: the URL has no host"
    address = literal_address(host)
    if address is None and is_localhost(host):
        address = ipaddress.IPv4Address("127.0.0.1")
    if address is not None and (kind := address_kind(address, allowed)) is not None:
        return f"refused: {host} is a {kind} address"
    if not (is_registry_host(host, sites) or host == attachment_host):
        return f"refused: host {host} is not a registry host"
    return None


def resolved_refusal(
    host: str, addresses: Iterable[str], allowed: Sequence[IPNetwork]
) -> str | None:
    """Why connecting to `host` is refused, given every address it resolves to, or None."""
    for text in addresses:
        address = ipaddress.ip_address(text.split("%")[0])  # an IPv6 zone is no part of it
        if (kind := address_kind(address, allowed)) is not None:
            return f"refused: {host} resolves to {address}, a {kind} address"
    return None


@implementer(IResolutionReceiver)
class _AddressCollector:
    """Collects what a name resolution yields; `done` fires with the address texts."""

    def __init__(self) -> None:
        self.addresses: list[str] = []
        self.done: Deferred[list[str]] = Deferred()

    def resolutionBegan(self, resolution: IHostResolution) -> None:
        pass

    def addressResolved(self, address: IAddress) -> None:
        if (host := getattr(address, "host", None)) is not None:
            self.addresses.append(str(host))

    def resolutionComplete(self) -> None:
        self.done.callback(self.addresses)


def connection_host(url: str) -> str:
    """The host as the downloader resolves it (Scrapy lowercases it; a trailing dot stays):
    the DNS cache is keyed by it, so the connection reuses the addresses checked here."""
    return urlsplit(url).hostname or ""


def reactor_resolver(reactor: IReactorPluggableNameResolver) -> Resolver:
    """Resolve through the reactor's name resolver (looked up per call: Scrapy installs its
    own): the one the connection uses next, so with Scrapy's DNS cache the very addresses
    it will connect to."""

    async def resolve(host: str) -> list[str]:
        collector = _AddressCollector()
        # zope declares interface methods without `self`, which mypy misreads
        reactor.nameResolver.resolveHostName(collector, host)  # type: ignore[arg-type]
        return await maybe_deferred_to_future(collector.done)

    return resolve


class FetchGuardMiddleware:
    """Refuses, before the downloader connects, any request the policy above forbids.

    Sits after HttpProxyMiddleware: with `request.meta["proxy"]` set, the proxy resolves the
    name, so only the URL checks apply; without one the host is resolved here first."""

    def __init__(self, crawler: Crawler, allowed: tuple[IPNetwork, ...], resolve: Resolver):
        self.crawler = crawler
        self.allowed = allowed
        self.resolve = resolve
        self._sites: frozenset[str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FetchGuardMiddleware:
        from twisted.internet import reactor  # installed by Scrapy before components are built

        allowed = parse_networks(crawler.settings.getlist("NIANBAO_ALLOWED_NETWORKS"))
        return cls(crawler, allowed, reactor_resolver(reactor))

    @property
    def sites(self) -> frozenset[str]:
        """The registry's hosts, read from the spider's portals at the first request."""
        if self._sites is None:
            portals = getattr(self.crawler.spider, "portals", [])
            self._sites = registry_hosts(portal.homepage for portal in portals)
        return self._sites

    async def process_request(self, request: Request) -> None:
        attachment_host = request.meta.get(ATTACHMENT_HOST_META)
        reason = url_refusal(request.url, self.sites, self.allowed, attachment_host)
        if reason is None and not request.meta.get("proxy"):
            host = connection_host(request.url)
            if not (addresses := await self.resolve(host)):
                # Failed here, a lookup at connection time would go unchecked: fail as the
                # connection would have (RetryMiddleware retries DNS errors).
                raise DNSLookupError(f"{host}: no address")
            reason = resolved_refusal(host, addresses, self.allowed)
        if reason is not None:
            logger.warning("%s: %s", reason, request.url)
            raise FetchRefused(reason)


def attachment_request(url: str) -> Request:
    """The request for a file a report page links: its host is allowed for it and its
    redirect hops (Scrapy copies meta to each hop), whether or not it is a registry host."""
    return Request(url, meta={ATTACHMENT_HOST_META: (urlsplit(url).hostname or "").rstrip(".")})
