"""Nothing lost quietly: every report page that comes to nothing in a real crawl is a failure row
and is fetched again next run; pages without text never dedupe. The hostile site is crawled
twice, its files repaired in between."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db import open_archive
from archive.models import CrawlRun, Failure, Report, Sighting
from tests.portal import lossless_site as site
from tests.portal.server import start_portal
from tests.test_end_to_end import REPO, crawl

REGISTRY = REPO / "tests" / "portal" / "lossless_registry.csv"


@dataclass(frozen=True)
class Run:
    """What one run fetched, and the archive after it."""

    fetched: frozenset[str]
    failures: dict[str, list[tuple[str, str]]]  # url -> (stage, message)
    reports: dict[str, Report]  # by title


def snapshot(db_url: str, fetched: frozenset[str]) -> Run:
    engine = open_archive(db_url)
    with Session(engine, expire_on_commit=False) as session:
        failures: dict[str, list[tuple[str, str]]] = {}
        for row in session.scalars(select(Failure)):
            failures.setdefault(row.url, []).append((row.stage, row.message))
        reports = {r.title: r for r in session.scalars(select(Report))}
        session.expunge_all()
    engine.dispose()
    return Run(fetched, failures, reports)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Run, Run]]:
    folder = tmp_path_factory.mktemp("lossless")
    db_url = f"sqlite:///{folder / 'archive.sqlite'}"
    arguments = ("-a", f"registry={REGISTRY}", "-s", f"DOWNLOAD_MAXSIZE={site.BOMB_LIMIT}")
    with start_portal() as portal:
        crawl(portal, db_url, folder / "first.log", *arguments)
        first = snapshot(db_url, frozenset(url for _, url, _ in portal.requests))
        seen = len(portal.requests)
        portal.set_variant(site.REPAIRED)
        crawl(portal, db_url, folder / "second.log", *arguments)
        second = snapshot(db_url, frozenset(url for _, url, _ in portal.requests[seen:]))
    yield db_url, first, second


def stages(run: Run, url: str) -> set[str]:
    return {stage for stage, _ in run.failures.get(url, [])}


def messages(run: Run, url: str) -> str:
    return " | ".join(message for _, message in run.failures.get(url, []))


@pytest.mark.parametrize("file", site.BROKEN_FILES, ids=lambda f: f.damage.__name__)
def test_a_corrupt_report_file_is_a_failure_row_for_file_and_page(
    runs: tuple[str, Run, Run], file: site.BrokenFile
) -> None:
    _, first, _ = runs
    file_url = f"http://{site.HOST}{file.path()}"
    assert "unreadable" in messages(first, file_url)
    assert stages(first, site.article_url(file.doc_id)) == {"attachment"}
    assert file.title not in first.reports


@pytest.mark.parametrize("file", site.BROKEN_FILES, ids=lambda f: f.damage.__name__)
def test_a_page_whose_file_failed_is_fetched_again_and_stored_once_repaired(
    runs: tuple[str, Run, Run], file: site.BrokenFile
) -> None:
    _, _, second = runs
    assert site.article_url(file.doc_id) in second.fetched
    report = second.reports[file.title]
    assert report.text_source == "attachment" and file.county in report.text


def test_a_redirect_loop_is_a_failure_row(runs: tuple[str, Run, Run]) -> None:
    assert "redirect loop" in messages(runs[1], site.article_url(site.LOOP_ID))


def test_too_many_redirects_are_a_failure_row(runs: tuple[str, Run, Run]) -> None:
    assert "max redirections" in messages(runs[1], site.article_url(site.CHAIN_ID))


def test_a_decompression_bomb_is_a_failure_row(runs: tuple[str, Run, Run]) -> None:
    assert "decompression" in messages(runs[1], site.article_url(site.BOMB_ID))


def test_a_page_without_text_is_a_failure_row_not_a_report(runs: tuple[str, Run, Run]) -> None:
    _, first, _ = runs
    assert first.failures[site.article_url(site.EMPTY_ID)] == [("extract", "no text")]
    assert site.report_title("漾濞县") not in first.reports


@pytest.mark.parametrize("doc_id", [site.EMPTY_ID, site.LOOP_ID, site.CHAIN_ID, site.BOMB_ID])
def test_failed_pages_are_fetched_again_next_run(runs: tuple[str, Run, Run], doc_id: int) -> None:
    assert site.article_url(doc_id) in runs[2].fetched


def test_a_deeply_nested_page_is_extracted(runs: tuple[str, Run, Run]) -> None:
    report = runs[1].reports[site.report_title(site.DEEP_COUNTY)]
    assert "四、2024年工作安排" in report.text and not report.needs_ocr


def test_image_only_reports_are_kept_apart_and_flagged_for_ocr(
    runs: tuple[str, Run, Run],
) -> None:
    scans = [runs[1].reports[site.report_title(county)] for county in site.SCANNED.values()]
    assert all(report.needs_ocr for report in scans)
    assert len({report.id for report in scans}) == len(site.SCANNED)


def test_each_scan_is_seen_only_at_its_own_url(runs: tuple[str, Run, Run]) -> None:
    engine = open_archive(runs[0])
    with Session(engine) as session:
        for doc_id, county in site.SCANNED.items():
            report = session.scalars(
                select(Report).where(Report.title == site.report_title(county))
            ).one()
            urls = session.scalars(select(Sighting.url).where(Sighting.report_id == report.id))
            assert list(urls) == [site.article_url(doc_id)]
    engine.dispose()


@pytest.mark.parametrize("doc_id", [site.DEEP_ID, *site.SCANNED])
def test_pages_processed_without_failure_are_known_next_run(
    runs: tuple[str, Run, Run], doc_id: int
) -> None:
    assert site.article_url(doc_id) not in runs[2].fetched


def test_both_runs_finish(runs: tuple[str, Run, Run]) -> None:
    engine = open_archive(runs[0])
    with Session(engine) as session:
        reasons = list(session.scalars(select(CrawlRun.finish_reason).order_by(CrawlRun.id)))
    engine.dispose()
    assert reasons == ["finished", "finished"]


def test_a_failed_page_behind_an_unchanged_list_page_is_asked_for_directly(
    runs: tuple[str, Run, Run],
) -> None:
    _, first, second = runs
    page_two = f"http://{site.HOST}/fzzf/list_2.html"
    assert page_two in first.fetched and page_two not in second.fetched
    assert site.article_url(site.BROKEN_FILES[0].doc_id) in second.fetched
