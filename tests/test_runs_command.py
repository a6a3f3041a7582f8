"""`nianbao runs`: every run with its outcome, counts and portals completed, on SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy.orm import Session

from archive.db import open_archive
from archive.models import CrawlRun
from archive.runs import run_outcome
from archive.store import CaptureRecord, PortalRecord, record_capture, upsert_portals
from archive.visits import VisitRecord, record_visits
from archive.vocabulary import VisitOutcome
from crawler.cli import main

START = dt.datetime(2026, 3, 1, 2, 0, 0)
PORTALS = [
    PortalRecord("甲县", "http://a.gov.cn/", "a.gov.cn", "county", ""),
    PortalRecord("乙县", "http://b.gov.cn/", "b.gov.cn", "county", ""),
]


def add_run(
    session: Session,
    reason: str | None,
    minutes: int,
    outcomes: tuple[VisitOutcome, ...],
    pages: int = 0,
) -> int:
    run = CrawlRun(
        started_at=START,
        finished_at=START + dt.timedelta(minutes=minutes) if reason else None,
        finish_reason=reason,
        pages_fetched=pages,
        reports_new=3,
        sightings_new=4,
        failures=1,
    )
    session.add(run)
    session.flush()
    ids = upsert_portals(session, PORTALS)
    # A killed run (SIGKILL) never records its visits: it passes no outcomes.
    visits = [VisitRecord(PORTALS[n].homepage, outcome) for n, outcome in enumerate(outcomes)]
    record_visits(session, run.id, visits, ids)
    return run.id


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(
        "sqlite_url" if request.param == "sqlite" else "postgres_url"
    )
    engine = open_archive(url)
    completed, not_visited = VisitOutcome.COMPLETED, VisitOutcome.NOT_VISITED
    with Session(engine) as session, session.begin():
        add_run(session, "finished", 65, (completed, completed), pages=40)
        add_run(session, "shutdown", 5, (completed, not_visited), pages=12)
        killed = add_run(session, None, 0, ())
        capture = CaptureRecord("http://a.gov.cn/", 200, "text/html", "utf-8", 10, "sha256:x")
        record_capture(session, killed, capture)
    engine.dispose()
    return url


def runs_output(archive_url: str, capsys: pytest.CaptureFixture[str], *options: str) -> str:
    assert main(["--db", archive_url, "runs", *options]) == 0
    return capsys.readouterr().out


def test_runs_table_has_a_header_and_one_row_per_run_newest_first(
    archive_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    header, *rows = runs_output(archive_url, capsys).splitlines()
    assert header.split() == [
        "run_id", "started", "duration", "outcome", "finish_reason", "pages", "reports_new",
        "sightings_new", "failures", "portals_done",
    ]  # fmt: skip
    assert [row.split()[0] for row in rows] == ["3", "2", "1"]
    assert rows[0].split()[3:] == ["-", "unfinished", "-", "1", "3", "4", "1", "-"]
    assert rows[1].split()[3:] == ["0:05:00", "interrupted", "shutdown", "12", "3", "4", "1", "1/2"]
    assert rows[2].split()[3:] == ["1:05:00", "finished", "finished", "40", "3", "4", "1", "2/2"]


def test_runs_json_says_how_each_run_ended(
    archive_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [json.loads(line) for line in runs_output(archive_url, capsys, "--json").splitlines()]
    killed, interrupted, finished = rows
    assert (killed["outcome"], killed["finished_at"], killed["pages"]) == ("unfinished", None, 1)
    assert (killed["portals_completed"], killed["portals_total"]) == (None, None)
    assert interrupted["outcome"] == "interrupted" and interrupted["duration_seconds"] == 300
    assert (interrupted["portals_completed"], interrupted["portals_total"]) == (1, 2)
    assert finished["started_at"] == START.isoformat()


def test_runs_limit_keeps_the_newest(archive_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = runs_output(archive_url, capsys, "--json", "--limit", "1")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [row["run_id"] for row in rows] == [3]


@pytest.mark.parametrize(
    ("reason", "outcome"),
    [
        ("finished", "finished"),
        ("shutdown", "interrupted"),
        ("closespider_timeout", "stopped at limit"),
        ("storage_failed", "storage failed"),
        ("archive_unusable", "failed"),
    ],
)
def test_a_finished_run_has_the_outcome_its_reason_says(reason: str, outcome: str) -> None:
    assert run_outcome(START, reason) == outcome


def test_a_run_without_an_end_is_unfinished() -> None:
    assert run_outcome(None, None) == "unfinished"
