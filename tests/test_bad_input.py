"""Bad input in a real crawl: each fault is a logged failure row, and the crawl goes on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db import open_archive
from archive.models import Capture, CrawlRun, Failure, Report, Sighting
from tests.portal import trouble_site
from tests.portal.server import start_portal
from tests.test_end_to_end import REPO, crawl

REGISTRY = REPO / "tests" / "portal" / "trouble_registry.csv"
DEAD_SITE = "http://127.0.0.1:9/"  # the discard port: nothing listens there


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    folder = tmp_path_factory.mktemp("bad-input")
    db_url = f"sqlite:///{folder / 'archive.sqlite'}"
    with start_portal() as portal:
        crawl(
            portal,
            db_url,
            folder / "crawl.log",
            "-a",
            f"registry={REGISTRY}",
            "-s",
            f"DOWNLOAD_MAXSIZE={trouble_site.HUGE_BYTES // 2}",
            # The dead site is reached directly on loopback, which the fetch guard refuses
            # unless told otherwise.
            "-s",
            "NIANBAO_ALLOWED_NETWORKS=127.0.0.0/8",
            no_proxy="127.0.0.1",
        )
    engine = open_archive(db_url)
    with Session(engine) as session:
        yield session
    engine.dispose()


def failed_urls(session: Session, stage: str = "fetch") -> dict[str, str]:
    return {
        f.url: f.message for f in session.scalars(select(Failure).where(Failure.stage == stage))
    }


@pytest.mark.parametrize("doc_id", [9001, 9002, 9003])
def test_server_faults_are_failure_rows(archived: Session, doc_id: int) -> None:
    assert trouble_site.fault_url(doc_id) in failed_urls(archived)


def test_dead_site_is_a_failure_row(archived: Session) -> None:
    # A homepage is no report page: its failure is one of discovery.
    assert any(url.startswith(DEAD_SITE) for url in failed_urls(archived, "discovery"))


def test_garbage_page_is_not_archived(archived: Session) -> None:
    urls = set(archived.scalars(select(Sighting.url)))
    assert trouble_site.fault_url(9004) not in urls


def test_mislabelled_report_is_decoded_and_archived(archived: Session) -> None:
    report = archived.scalar(select(Report).where(Report.title == trouble_site.REPORT_TITLE))
    assert report is not None and "依法全面履行政府职能" in report.text


def test_capture_records_the_charset_actually_used(archived: Session) -> None:
    capture = archived.scalar(select(Capture).where(Capture.url == trouble_site.report_url()))
    assert capture is not None and capture.charset == "gb18030"


def test_crawl_run_finishes_and_counts_its_failures(archived: Session) -> None:
    run = archived.scalars(select(CrawlRun)).one()
    assert run.finished_at is not None and run.failures == len(
        archived.scalars(select(Failure)).all()
    )
