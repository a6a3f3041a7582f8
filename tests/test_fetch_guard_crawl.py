"""The fetch guard in real crawls of hostile sites (tests/hostile_site.py): links, redirects,
meta refreshes and attachments that lead to loopback, link-local, private and foreign hosts are
refused, leave a failure row naming why, and nothing of theirs reaches the archive.

Two crawls: through a proxy (names resolved by the proxy: literal checks only), and direct
with a fake resolver that maps made-up registry names to internal addresses; a tripwire
behind the guard makes sure that crawl never connects outside loopback."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from warcio.archiveiterator import ArchiveIterator

from archive.db import open_archive
from archive.models import Attachment, Capture, Failure, Report
from crawler import settings as project_settings
from tests import fake_dns, hostile_site
from tests.hostile_site import (
    FILE_TEXT,
    FILES,
    FOREIGN,
    METADATA,
    SECRET_PDF,
    SECRET_TEXT,
    FakeWeb,
    secret_server,
)
from tests.test_end_to_end import crawl

REGISTRY_HEADER = "name,homepage,level,division_code\n"


@dataclass(frozen=True)
class Crawled:
    db_url: str
    folder: Path
    log: str
    served: list[str]  # host + path of every request the site's server answered
    secret_requests: list[str]
    secret_port: int = 0


def run_crawl(folder: Path, web: FakeWeb, homepage: str, *arguments: str, no_proxy: str) -> str:
    registry = folder / "registry.csv"
    registry.write_text(f"{REGISTRY_HEADER}敌意测试县人民政府,{homepage},county,539999\n")
    db_url = f"sqlite:///{folder / 'archive.sqlite'}"
    log = folder / "crawl.log"
    crawl(web, db_url, log, "-a", f"registry={registry}", *arguments, no_proxy=no_proxy)
    return db_url


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Crawled:
    folder = tmp_path_factory.mktemp("guard-proxied")
    secret_file = folder / "secret.pdf"
    secret_file.write_bytes(SECRET_PDF)
    with secret_server() as secret, FakeWeb({}) as web:
        web.set_replies(hostile_site.proxied_replies(secret.port, str(secret_file)))
        homepage = f"http://{hostile_site.HOST}/"
        # No allow list: the proxy is configured by the operator, not reached through a link.
        no_proxy = ",".join(hostile_site.LOOPBACK_SPELLINGS)
        db_url = run_crawl(folder, web, homepage, no_proxy=no_proxy)
        return Crawled(
            db_url,
            folder,
            (folder / "crawl.log").read_text(encoding="utf-8"),
            list(web.requests),
            list(secret.requests),
            secret.port,
        )


@pytest.fixture(scope="module")
def direct(tmp_path_factory: pytest.TempPathFactory) -> Crawled:
    folder = tmp_path_factory.mktemp("guard-direct")
    middlewares = {**project_settings.DOWNLOADER_MIDDLEWARES, "tests.fake_dns.Tripwire": 990}
    with FakeWeb({}) as web:
        web.set_replies(hostile_site.direct_replies(web.port))
        homepage = f"http://{hostile_site.DIRECT_HOST}:{web.port}/"
        db_url = run_crawl(
            folder,
            web,
            homepage,
            "-s", "NIANBAO_ALLOWED_NETWORKS=127.0.0.0/8",  # the site itself is on loopback
            "-s", "TWISTED_DNS_RESOLVER=tests.fake_dns.FakeDnsResolver",
            "-s", f"{fake_dns.SETTING}={json.dumps(hostile_site.FAKE_DNS)}",
            "-s", f"DOWNLOADER_MIDDLEWARES={json.dumps(middlewares)}",
            no_proxy="*",
        )  # fmt: skip
        return Crawled(
            db_url,
            folder,
            (folder / "crawl.log").read_text(encoding="utf-8"),
            list(web.requests),
            [],
        )


@pytest.fixture(scope="module")
def proxied_archive(proxied: Crawled) -> Iterator[Session]:
    yield from _session(proxied)


@pytest.fixture(scope="module")
def direct_archive(direct: Crawled) -> Iterator[Session]:
    yield from _session(direct)


def _session(crawled: Crawled) -> Iterator[Session]:
    engine = open_archive(crawled.db_url)
    with Session(engine) as session:
        yield session
    engine.dispose()


def failures(session: Session, stage: str) -> dict[str, str]:
    """Failure messages by URL; a refused redirect hop is filed under the URL discovery followed
    with "(at HOP)" in its message, so it is listed under the hop's URL too."""
    found = {}
    for row in session.scalars(select(Failure).where(Failure.stage == stage)):
        found[row.url] = row.message
        if match := re.search(r" \(at (\S+)\)$", row.message):
            found[match.group(1)] = row.message.removesuffix(match.group(0))
    return found


def warc_target_hosts(crawled: Crawled) -> set[str]:
    hosts = set()
    for path in (crawled.folder / "warc").glob("*.warc.gz"):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if uri := record.rec_headers.get_header("WARC-Target-URI"):
                    hosts.add(urlsplit(uri).hostname or "")
    return hosts


def guard_warnings(crawled: Crawled, url: str) -> list[str]:
    return [
        line
        for line in crawled.log.splitlines()
        if "[crawler.fetch_guard] WARNING" in line and line.endswith(url)
    ]


# --- through a proxy ---

REFUSED_PROXIED_HOSTS = {"127.0.0.1", "localhost", "2130706433", "127.1", "::ffff:127.0.0.1"}


def test_secret_on_loopback_receives_no_request(proxied: Crawled) -> None:
    assert proxied.secret_requests == []


def test_foreign_and_metadata_hosts_are_never_asked_for(proxied: Crawled) -> None:
    asked = {key.split("/")[0] for key in proxied.served}
    assert hostile_site.HOST in asked
    assert not asked & {FOREIGN, METADATA}


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/report.html", "refused: 127.0.0.1 is a loopback address"),  # redirect hop
        ("/refresh.html", "refused: 127.0.0.1 is a loopback address"),  # meta refresh
    ],
)
def test_hop_to_loopback_is_a_failure_row(
    proxied: Crawled, proxied_archive: Session, path: str, reason: str
) -> None:
    url = f"http://127.0.0.1:{proxied.secret_port}{path}"
    assert failures(proxied_archive, "fetch").get(url) == reason


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (f"http://{METADATA}/latest/meta-data/", f"refused: {METADATA} is a link-local address"),
        (f"http://{FOREIGN}/report.html", f"refused: host {FOREIGN} is not a registry host"),
    ],
)
def test_redirect_hop_off_the_registry_is_a_failure_row(
    proxied_archive: Session, url: str, reason: str
) -> None:
    assert failures(proxied_archive, "fetch").get(url) == reason


def test_attachment_link_to_a_local_file_is_a_failure_row(
    proxied: Crawled, proxied_archive: Session
) -> None:
    url = f"file://{proxied.folder / 'secret.pdf'}"
    message = failures(proxied_archive, "attachment").get(url, "")
    assert "refused: scheme file is not http or https" in message
    assert not [u for u in proxied_archive.scalars(select(Capture.url)) if u.startswith("file:")]


def test_attachment_links_to_loopback_are_failure_rows(
    proxied: Crawled, proxied_archive: Session
) -> None:
    refused = {
        urlsplit(url).hostname: message
        for url, message in failures(proxied_archive, "attachment").items()
        if urlsplit(url).port == proxied.secret_port
    }
    assert set(refused) == REFUSED_PROXIED_HOSTS
    assert all("is a loopback address" in message for message in refused.values())


def test_attachment_redirect_may_not_leave_its_host(proxied_archive: Session) -> None:
    message = failures(proxied_archive, "attachment")[f"http://{FILES}/moved.pdf"]
    assert f"refused: host {FOREIGN} is not a registry host" in message


def test_file_on_the_linked_foreign_host_is_fetched(
    proxied: Crawled, proxied_archive: Session
) -> None:
    assert f"{FILES}/report.pdf" in proxied.served
    title = hostile_site.FOREIGN_ATTACHMENTS.title
    report = proxied_archive.scalar(select(Report).where(Report.title == title))
    assert report is not None and report.text_source == "attachment"
    assert FILE_TEXT[1] in report.text


def test_nothing_of_a_refused_target_is_archived(
    proxied: Crawled, proxied_archive: Session
) -> None:
    refused = REFUSED_PROXIED_HOSTS | {FOREIGN, METADATA}
    captured = {urlsplit(url).hostname for url in proxied_archive.scalars(select(Capture.url))}
    assert hostile_site.HOST in captured and not captured & refused
    assert hostile_site.HOST in warc_target_hosts(proxied)
    assert not warc_target_hosts(proxied) & refused
    texts = [
        *proxied_archive.scalars(select(Report.text)),
        *proxied_archive.scalars(select(Attachment.text)),
    ]
    assert texts and not any(SECRET_TEXT in text for text in texts)


def test_refusal_is_logged_once_as_a_warning(proxied: Crawled) -> None:
    url = f"http://127.0.0.1:{proxied.secret_port}/report.html"
    assert len(guard_warnings(proxied, url)) == 1


# --- direct, with made-up names ---


def test_direct_crawl_stays_on_loopback(direct: Crawled) -> None:
    assert fake_dns.TRIPWIRE not in direct.log
    assert {key.split("/")[0] for key in direct.served} == {hostile_site.DIRECT_HOST}


def test_direct_crawl_archives_the_site_itself(direct_archive: Session) -> None:
    title = hostile_site.DIRECT_REPORT.title
    assert direct_archive.scalar(select(Report).where(Report.title == title)) is not None


@pytest.mark.parametrize(
    ("stage", "host", "path", "address", "kind"),
    [
        ("fetch", hostile_site.INTRANET, "/fzzf/content_10.html", "10.0.0.5", "private"),
        ("fetch", hostile_site.METADATA_NAME, "/latest/meta-data/", "169.254.169.254",
         "link-local"),
        ("attachment", hostile_site.FILES_NAME, "/report.pdf", "100.64.0.7",
         "shared (carrier-grade NAT)"),
    ],
)  # fmt: skip
def test_name_resolving_to_an_internal_address_is_refused(
    direct: Crawled,
    direct_archive: Session,
    stage: str,
    host: str,
    path: str,
    address: str,
    kind: str,
) -> None:
    url = f"http://{host}:{urlsplit(_homepage(direct)).port}{path}"
    reason = f"refused: {host} resolves to {address}, a {kind} address"
    stages = ("fetch", "discovery") if stage == "fetch" else (stage,)
    assert any(reason in failures(direct_archive, each).get(url, "") for each in stages)


def test_robots_txt_of_an_internal_name_is_refused(direct: Crawled) -> None:
    url = f"http://{hostile_site.INTRANET}:{urlsplit(_homepage(direct)).port}/robots.txt"
    assert len(guard_warnings(direct, url)) == 1


def test_direct_crawl_archives_nothing_internal(direct: Crawled, direct_archive: Session) -> None:
    internal = {hostile_site.INTRANET, hostile_site.METADATA_NAME, hostile_site.FILES_NAME}
    captured = {urlsplit(url).hostname for url in direct_archive.scalars(select(Capture.url))}
    assert hostile_site.DIRECT_HOST in captured and not captured & internal
    assert not warc_target_hosts(direct) & internal


def _homepage(crawled: Crawled) -> str:
    registry = (crawled.folder / "registry.csv").read_text(encoding="utf-8")
    return registry.splitlines()[1].split(",")[1]
