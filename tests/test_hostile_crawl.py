"""A real crawl with every hostile input (tests/portal/hostile_site.py) beside a normal portal:
each bomb ends as a failure row with its reason, the other portal is crawled and its report
stored while a slow document is parsed, and the crawl's processes stay under 1 GB."""

from __future__ import annotations

import re
import resource
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db import open_archive
from archive.models import Capture, CrawlRun, Failure, Report
from tests.portal import hostile_site
from tests.portal.hostile_site import SLOW_HOST, file_url, page_url
from tests.portal.server import start_portal
from tests.portal.sites import ANZHOU_REPORT_TITLE
from tests.process_memory import ChildTreeMemory
from tests.test_end_to_end import REPO, crawl

REGISTRY = REPO / "tests" / "portal" / "hostile_registry.csv"
PARSE_TIMEOUT = 20  # seconds; the slow documents take minutes
MEMORY_CEILING = 1024 * 1024 * 1024


@dataclass(frozen=True)
class HostileCrawl:
    session: Session
    log: str
    peak_tree_bytes: int
    largest_child_bytes: int


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileCrawl]:
    folder = tmp_path_factory.mktemp("hostile")
    db_url = f"sqlite:///{folder / 'archive.sqlite'}"
    log = folder / "crawl.log"
    with start_portal() as portal, ChildTreeMemory() as memory:
        crawl(
            portal,
            db_url,
            log,
            "-a",
            f"registry={REGISTRY}",
            "-s",
            f"NIANBAO_PARSE_TIMEOUT={PARSE_TIMEOUT}",
        )
    largest_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    engine = open_archive(db_url)
    with Session(engine) as session:
        yield HostileCrawl(session, log.read_text(), memory.peak, largest_child)
    engine.dispose()


def failure(session: Session, url: str) -> Failure:
    row = session.scalars(select(Failure).where(Failure.url == url)).one_or_none()
    assert row is not None, f"no failure row for {url}"
    return row


@pytest.mark.parametrize(
    ("url", "stage", "reason"),
    [
        (file_url(9101), "attachment", r"word/document\.xml inflates past 50 MB"),
        (file_url(9102), "attachment", r"word/document\.xml is corrupt: Bad CRC-32"),
        (file_url(9103), "attachment", r"Page_0/Content\.xml inflates past 50 MB"),
        (file_url(9104), "attachment", r"Page_0/Content\.xml is corrupt: Bad CRC-32"),
        (file_url(9105), "attachment", "more than 5000 members"),
        (file_url(9106), "attachment", f"parsing took more than {PARSE_TIMEOUT} s"),
        (page_url(9107), "extract", "past the 10485760-byte extraction cap"),
        # 100k links: whichever limit of its worker it reaches first
        (page_url(9108), "extract", "parsing (took|needed) more than"),
        (page_url(9201, SLOW_HOST), "extract", f"parsing took more than {PARSE_TIMEOUT} s"),
    ],
)
def test_hostile_input_is_a_failure_row_with_its_reason(
    hostile: HostileCrawl, url: str, stage: str, reason: str
) -> None:
    row = failure(hostile.session, url)
    assert row.stage == stage and re.search(reason, row.message)


def test_link_farm_logs_one_line_and_leaves_the_budget_to_the_reports(
    hostile: HostileCrawl,
) -> None:
    """Its 2000 links are forbidden by robots.txt: left out before they spend the budget."""
    farm = f"http://{hostile_site.HOST}/{hostile_site.LINK_FARM_COLUMN}/"
    lines = hostile.log.splitlines()
    assert sum(farm in line and "links: reading the first" in line for line in lines) == 1
    assert not any("page budget spent for http://www.hostile.gov.cn/" in line for line in lines)


def test_normal_portal_report_is_stored(hostile: HostileCrawl) -> None:
    titles = set(hostile.session.scalars(select(Report.title)))
    assert ANZHOU_REPORT_TITLE in titles


def test_other_sites_are_fetched_while_a_slow_page_is_parsed(hostile: HostileCrawl) -> None:
    slow_url = page_url(9201, SLOW_HOST)
    fetched = hostile.session.scalars(select(Capture.fetched_at).where(Capture.url == slow_url))
    started, gave_up = min(fetched), failure(hostile.session, slow_url).occurred_at
    meanwhile = hostile.session.scalars(
        select(Capture.url).where(
            Capture.fetched_at > started,
            Capture.fetched_at < gave_up,
            Capture.url.not_like(f"http://{SLOW_HOST}/%"),
        )
    ).all()
    assert meanwhile


def test_crawl_of_every_hostile_input_stays_under_1_gb(hostile: HostileCrawl) -> None:
    assert 0 < hostile.peak_tree_bytes < MEMORY_CEILING
    assert hostile.largest_child_bytes < MEMORY_CEILING


def test_crawl_run_finishes(hostile: HostileCrawl) -> None:
    run = hostile.session.scalars(select(CrawlRun)).one()
    assert run.finished_at is not None
