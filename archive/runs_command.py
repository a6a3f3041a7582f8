"""`nianbao runs`: the crawl runs, newest first, as a table with a header or JSON lines."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
from typing import Any

from sqlalchemy.orm import Session

from archive.db import open_archive_for_reading
from archive.runs import RunView, list_runs

COLUMNS = (
    ("id", ">5"),
    ("started", "<19"),
    ("duration", ">9"),
    ("outcome", "<16"),
    ("reason", "<20"),
    ("pages", ">7"),
    ("new reports", ">11"),
    ("new sightings", ">13"),
    ("failures", ">8"),
    ("portals done", ">12"),
)


def _row(cells: tuple[object, ...]) -> str:
    return "  ".join(f"{cell!s:{spec}}" for cell, (_, spec) in zip(cells, COLUMNS, strict=True))


def _cells(run: RunView) -> tuple[object, ...]:
    seconds = run.duration_seconds
    portals = (
        f"{run.portals_completed}/{run.portals_total}" if run.portals_total is not None else "-"
    )
    return (
        run.run_id,
        run.started_at.strftime("%Y-%m-%d %H:%M:%S"),
        "-" if seconds is None else str(dt.timedelta(seconds=round(seconds))),
        run.outcome,
        run.finish_reason or "-",
        run.pages,
        run.reports_new,
        run.sightings_new,
        run.failures,
        portals,
    )


def _record(run: RunView) -> dict[str, Any]:
    record = dataclasses.asdict(run)
    record["started_at"] = run.started_at.isoformat()
    record["finished_at"] = run.finished_at.isoformat() if run.finished_at else None
    record["duration_seconds"] = run.duration_seconds
    return record


def cmd_runs(args: argparse.Namespace) -> int:
    engine = open_archive_for_reading(args.db)
    with Session(engine) as session:
        runs = list_runs(session, args.limit)
    engine.dispose()
    if args.json:
        for run in runs:
            print(json.dumps(_record(run), ensure_ascii=False))
        return 0
    if runs:
        print(_row(tuple(name for name, _ in COLUMNS)))
    for run in runs:
        print(_row(_cells(run)))
    return 0
