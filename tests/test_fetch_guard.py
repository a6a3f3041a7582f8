"""The fetch guard's policy (pure functions) and its middleware, with a fake resolver: nothing
here connects anywhere."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.settings import Settings
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.error import DNSLookupError

from crawler import settings as project_settings
from crawler.discovery.links import is_same_site
from crawler.fetch_guard import (
    ATTACHMENT_HOST_META,
    FetchGuardMiddleware,
    FetchRefused,
    address_kind,
    attachment_request,
    is_registry_host,
    literal_address,
    parse_networks,
    reactor_resolver,
    registry_hosts,
    resolved_refusal,
    url_refusal,
)
from crawler.registry import ad_hoc_portal

HOMEPAGES = ("http://www.anzhou.gov.cn/", "http://sfj.lanzhou.gov.cn/")
SITES = registry_hosts(HOMEPAGES)
LOOPBACK = parse_networks(["127.0.0.0/8"])


@pytest.mark.parametrize(
    ("host", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.1", "loopback"),  # what inet_aton and so every resolver read as 127.0.0.1
        ("2130706433", "loopback"),
        ("0x7f.0.0.1", "loopback"),
        ("[::1]", "loopback"),
        ("[::ffff:127.0.0.1]", "loopback"),
        ("localhost", "loopback"),
        ("intranet.localhost", "loopback"),
        ("LOCALHOST.", "loopback"),
        ("10.0.0.5", "private"),
        ("192.168.1.1", "private"),
        ("[fc00::1]", "private"),
        ("169.254.169.254", "link-local"),
        ("[::ffff:169.254.169.254]", "link-local"),
        ("[fe80::1]", "link-local"),
        ("100.64.0.1", "shared (carrier-grade NAT)"),
        ("224.0.0.251", "multicast"),
        ("240.0.0.1", "reserved"),
        ("0.0.0.0", "unspecified"),
        ("[::]", "unspecified"),
    ],
)
def test_internal_literal_addresses_are_refused(host: str, kind: str) -> None:
    reason = url_refusal(f"http://{host}:8080/secret.pdf", SITES, ())
    assert reason is not None and reason.endswith(f"is a {kind} address")


def test_refusal_names_the_address_and_its_kind() -> None:
    assert url_refusal("http://127.0.0.1:8080/secret.pdf", SITES, ()) == (
        "refused: 127.0.0.1 is a loopback address"
    )


def test_internal_address_is_refused_even_as_a_registry_host() -> None:
    sites = registry_hosts(["http://127.0.0.1:9/"])
    assert url_refusal("http://127.0.0.1:9/", sites, ()) is not None


def test_allowed_networks_let_a_registry_loopback_host_through() -> None:
    sites = registry_hosts(["http://127.0.0.1:9/"])
    assert url_refusal("http://127.0.0.1:9/page.html", sites, LOOPBACK) is None


def test_allowed_networks_do_not_open_other_hosts() -> None:
    reason = url_refusal("http://127.0.0.2/x.pdf", SITES, LOOPBACK)
    assert reason == "refused: host 127.0.0.2 is not a registry host"


def test_allowed_networks_do_not_open_other_internal_ranges() -> None:
    reason = url_refusal("http://10.0.0.5/x.pdf", SITES, LOOPBACK, attachment_host="10.0.0.5")
    assert reason == "refused: 10.0.0.5 is a private address"


@pytest.mark.parametrize("url", ["ftp://www.anzhou.gov.cn/a.pdf", "file:///etc/passwd"])
def test_only_http_and_https(url: str) -> None:
    reason = url_refusal(url, SITES, ())
    assert reason is not None and "is not http or https" in reason


def test_non_registry_host_is_refused() -> None:
    assert url_refusal("https://evil.example/report.html", SITES, ()) == (
        "refused: host evil.example is not a registry host"
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://www.anzhou.gov.cn/zwgk/index.html",
        "https://anzhou.gov.cn/",
        "http://xxgk.anzhou.gov.cn/col/col1/index.html",
        "http://sfj.lanzhou.gov.cn/robots.txt",
        "http://www.anzhou.gov.cn./a.html",
    ],
)
def test_registry_hosts_and_their_subdomains_pass(url: str) -> None:
    assert url_refusal(url, SITES, ()) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://www.anzhou.gov.cn/",
        "http://anzhou.gov.cn/",
        "http://a.b.anzhou.gov.cn/",
        "http://notanzhou.gov.cn/",
        "http://anzhou.gov.cn.evil.example/",
        "http://www.lanzhou.gov.cn/",
        "http://sfj.lanzhou.gov.cn/",
        "http://x.sfj.lanzhou.gov.cn/",
        "http://gov.cn/",
    ],
)
def test_registry_host_agrees_with_discovery(url: str) -> None:
    host = url.split("/")[2]
    assert is_registry_host(host, SITES) == any(is_same_site(url, h) for h in HOMEPAGES)


def test_attachment_host_is_allowed_for_its_request_only() -> None:
    url = "http://files.cdn.example/report.pdf"
    assert url_refusal(url, SITES, (), attachment_host="files.cdn.example") is None
    assert url_refusal(url, SITES, ()) is not None
    hop = "http://other.example/report.pdf"  # a redirect hop keeps the linked host's mark
    assert url_refusal(hop, SITES, (), attachment_host="files.cdn.example") is not None


def test_attachment_request_is_marked_with_its_host() -> None:
    request = attachment_request("http://Files.CDN.example./report.pdf")
    assert request.meta[ATTACHMENT_HOST_META] == "files.cdn.example"


def test_literal_address_reads_only_numeric_hosts() -> None:
    assert literal_address("www.anzhou.gov.cn") is None
    assert literal_address("deadbeef") is None
    assert literal_address("1.2.3.4") == ipaddress.IPv4Address("1.2.3.4")


def test_public_address_has_no_kind() -> None:
    assert address_kind(ipaddress.ip_address("203.119.25.1")) is None
    assert address_kind(ipaddress.ip_address("::ffff:203.119.25.1")) is None


def test_resolved_internal_address_is_refused() -> None:
    reason = resolved_refusal("intranet.anzhou.gov.cn", ["203.119.25.1", "10.0.0.5"], ())
    assert reason == "refused: intranet.anzhou.gov.cn resolves to 10.0.0.5, a private address"


def test_resolved_public_addresses_pass() -> None:
    assert resolved_refusal("www.anzhou.gov.cn", ["203.119.25.1", "2001:da8::1"], ()) is None


def test_bad_allowed_network_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="NIANBAO_ALLOWED_NETWORKS"):
        parse_networks(["127.0.0.0/33"])


class FakeResolver:
    """Made-up names to made-up addresses; records what it was asked."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.asked: list[str] = []

    async def __call__(self, host: str) -> list[str]:
        self.asked.append(host)
        return self.table.get(host, [])


def guard(resolver: FakeResolver, allowed: tuple[str, ...] = ()) -> FetchGuardMiddleware:
    spider = SimpleNamespace(portals=[ad_hoc_portal(h) for h in HOMEPAGES])
    crawler = SimpleNamespace(spider=spider)
    return FetchGuardMiddleware(crawler, parse_networks(allowed), resolver)  # type: ignore[arg-type]


def run(middleware: FetchGuardMiddleware, request: Request) -> None:
    asyncio.run(middleware.process_request(request))


def test_direct_request_is_refused_on_its_resolved_address() -> None:
    resolver = FakeResolver({"intranet.anzhou.gov.cn": ["169.254.169.254"]})
    with pytest.raises(
        FetchRefused, match=re.escape("resolves to 169.254.169.254, a link-local address")
    ):
        run(guard(resolver), Request("http://intranet.anzhou.gov.cn/latest/meta-data/"))


def test_direct_request_checks_every_resolved_address() -> None:
    resolver = FakeResolver({"www.anzhou.gov.cn": ["203.119.25.1", "10.0.0.5"]})
    with pytest.raises(FetchRefused, match=re.escape("10.0.0.5")):
        run(guard(resolver), Request("http://www.anzhou.gov.cn/"))


def test_direct_request_to_public_address_passes() -> None:
    resolver = FakeResolver({"www.anzhou.gov.cn": ["203.119.25.1"]})
    run(guard(resolver), Request("http://www.anzhou.gov.cn/"))
    assert resolver.asked == ["www.anzhou.gov.cn"]


def test_direct_request_to_a_name_without_address_fails_as_a_lookup_error() -> None:
    with pytest.raises(DNSLookupError):
        run(guard(FakeResolver({})), Request("http://www.anzhou.gov.cn/"))


def test_behind_a_proxy_names_are_not_resolved() -> None:
    resolver = FakeResolver({"www.anzhou.gov.cn": ["10.0.0.5"]})
    request = Request("http://www.anzhou.gov.cn/", meta={"proxy": "http://127.0.0.1:3128"})
    run(guard(resolver), request)
    assert resolver.asked == []


def test_behind_a_proxy_literal_addresses_are_still_refused() -> None:
    request = Request("http://127.0.0.1:8080/secret.pdf", meta={"proxy": "http://127.0.0.1:3128"})
    with pytest.raises(FetchRefused, match="loopback"):
        run(guard(FakeResolver({})), request)


def test_refused_request_is_not_resolved() -> None:
    resolver = FakeResolver({})
    with pytest.raises(FetchRefused, match="not a registry host"):
        run(guard(resolver), Request("http://evil.example/"))
    assert resolver.asked == []


def test_allowed_network_lets_a_resolved_loopback_address_through() -> None:
    resolver = FakeResolver({"www.anzhou.gov.cn": ["127.0.0.1"]})
    run(guard(resolver, ("127.0.0.0/8",)), Request("http://www.anzhou.gov.cn/"))


def test_refusal_is_an_ignore_request_logged_once_with_the_url(
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = "http://127.0.0.1:8080/secret.pdf"
    with caplog.at_level(logging.WARNING), pytest.raises(IgnoreRequest):
        run(guard(FakeResolver({})), attachment_request(url))
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and url in warnings[0].getMessage()
    assert "refused: 127.0.0.1 is a loopback address" in warnings[0].getMessage()


def test_reactor_resolver_collects_every_address() -> None:
    class NameResolver:
        def resolveHostName(self, receiver, host, port=0):  # type: ignore[no-untyped-def]
            receiver.resolutionBegan(None)
            receiver.addressResolved(IPv4Address("TCP", "203.119.25.1", port))
            receiver.addressResolved(IPv6Address("TCP", "fe80::1", port))
            receiver.resolutionComplete()

    resolve = reactor_resolver(SimpleNamespace(nameResolver=NameResolver()))  # type: ignore[arg-type]
    assert asyncio.run(resolve("www.anzhou.gov.cn")) == ["203.119.25.1", "fe80::1"]


def test_direct_request_resolves_the_name_the_connection_resolves() -> None:
    # The DNS cache is keyed by the name as the downloader passes it: a trailing dot stays.
    resolver = FakeResolver({"www.anzhou.gov.cn.": ["203.119.25.1"]})
    run(guard(resolver), Request("http://WWW.Anzhou.gov.cn./"))
    assert resolver.asked == ["www.anzhou.gov.cn."]


def test_guard_sits_after_the_proxy_middleware_and_before_captures() -> None:
    order = Settings(vars(project_settings)).getwithbase("DOWNLOADER_MIDDLEWARES")
    guard_at = order["crawler.fetch_guard.FetchGuardMiddleware"]
    assert order["scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware"] < guard_at
    assert guard_at < order["crawler.captures.CaptureMiddleware"]
