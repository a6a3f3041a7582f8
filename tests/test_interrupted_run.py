"""A run stopped with SIGTERM part-way through the registry: the portals it did not reach are
recorded as not visited, with no health row that looks like an empty portal and no "no report
found" warning; `nianbao runs` shows it interrupted; the next run completes every portal."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from archive.db import open_archive
from archive.runs import RunView, list_runs
from archive.visits import visit_outcomes
from archive.vocabulary import VisitOutcome
from crawler.health import NO_REPORTS_WARNING
from tests.portal.expected import EXPECTED_REPORTS
from tests.portal.server import start_portal
from tests.test_crash import query
from tests.test_storage_failure import finish, start_crawl

# One request at a time, a second apart on a host: the run is still on its first portals
# when it is stopped.
SLOW = ("CONCURRENT_REQUESTS=1", "DOWNLOAD_DELAY=1")


@dataclass(frozen=True)
class Interrupted:
    db_path: Path
    log: str  # the interrupted run's
    next_status: int


def captures_of_run(db_path: Path, run_id: int) -> int:
    try:
        rows = query(db_path, f"SELECT count(*) FROM captures WHERE crawl_run_id = {run_id}")
    except Exception:  # not created yet
        return 0
    return int(str(rows[0][0]))


@pytest.fixture(scope="module")
def interrupted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Interrupted]:
    db_path = tmp_path_factory.mktemp("interrupted") / "archive.sqlite"
    with start_portal() as portal:
        assert finish(start_crawl(portal, db_path))[0] == 0  # earlier runs found reports
        process = start_crawl(portal, db_path, 0, 0, *SLOW)
        deadline = time.monotonic() + 120
        while captures_of_run(db_path, 2) == 0 and process.poll() is None:
            assert time.monotonic() < deadline, "the second run fetched nothing in time"
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        _, log = finish(process)
        next_status, _ = finish(start_crawl(portal, db_path))
    yield Interrupted(db_path, log, next_status)


def outcomes(db_path: Path, run_id: int) -> dict[str, VisitOutcome]:
    engine = open_archive(f"sqlite:///{db_path}")
    with Session(engine) as session:
        found = visit_outcomes(session, run_id)
    engine.dispose()
    return found


def runs(db_path: Path) -> list[RunView]:
    engine = open_archive(f"sqlite:///{db_path}")
    with Session(engine) as session:
        found = list_runs(session)
    engine.dispose()
    return found


def test_the_interrupted_run_records_the_portals_it_did_not_reach(
    interrupted: Interrupted,
) -> None:
    found = outcomes(interrupted.db_path, 2)
    assert len(found) == 8
    assert VisitOutcome.NOT_VISITED in found.values()


def test_portals_not_reached_have_no_health_row(interrupted: Interrupted) -> None:
    rows = query(
        interrupted.db_path,
        "SELECT p.homepage FROM portal_health h JOIN portals p ON p.id = h.portal_id "
        "WHERE h.crawl_run_id = 2",
    )
    not_reached = {
        homepage
        for homepage, outcome in outcomes(interrupted.db_path, 2).items()
        if outcome == VisitOutcome.NOT_VISITED
    }
    assert not_reached and not not_reached & {str(homepage) for (homepage,) in rows}


def test_no_portal_is_said_to_have_lost_its_reports(interrupted: Interrupted) -> None:
    warnings = query(interrupted.db_path, "SELECT warnings FROM portal_health")
    assert not [w for (w,) in warnings if NO_REPORTS_WARNING in str(w)]
    assert NO_REPORTS_WARNING not in interrupted.log


def test_runs_show_the_interruption_and_the_next_run_completing_every_portal(
    interrupted: Interrupted,
) -> None:
    third, second, first = runs(interrupted.db_path)
    assert (first.outcome, first.portals_completed, first.portals_total) == ("finished", 8, 8)
    assert (second.outcome, second.finish_reason) == ("interrupted", "shutdown")
    assert second.portals_completed is not None and second.portals_completed < 8
    assert (third.outcome, third.portals_completed, third.portals_total) == ("finished", 8, 8)
    assert interrupted.next_status == 0


def test_the_next_run_leaves_the_report_set_complete(interrupted: Interrupted) -> None:
    titles = sorted(str(row[0]) for row in query(interrupted.db_path, "SELECT title FROM reports"))
    assert titles == sorted(e.title for e in EXPECTED_REPORTS)
