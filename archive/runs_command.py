"""`nianbao runs`: the crawl runs, newest first, as a table, JSON lines or CSV."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
from typing import Any

from archive.db import reading_session
from archive.output import Format, Layout, chosen_format, write_rows
from archive.runs import RunView, list_runs

RUNS_LAYOUT = Layout(
    (
        "run_id",
        "started",
        "duration",
        "outcome",
        "finish_reason",
        "pages",
        "reports_new",
        "sightings_new",
        "failures",
        "portals_done",
    ),
    right_aligned=frozenset(
        {"run_id", "duration", "pages", "reports_new", "sightings_new", "failures"}
    ),
)


def _record(run: RunView, form: Format) -> dict[str, Any]:
    """The whole run for JSON; a table or CSV adds its columns in words (2:05:00, 7/8)."""
    record = dataclasses.asdict(run) | {"duration_seconds": run.duration_seconds}
    if form == Format.JSON:
        return record
    seconds = run.duration_seconds
    done = run.portals_completed, run.portals_total
    return record | {
        "started": run.started_at.strftime("%Y-%m-%d %H:%M:%S"),
        "duration": None if seconds is None else str(dt.timedelta(seconds=round(seconds))),
        "portals_done": None if done[1] is None else f"{done[0]}/{done[1]}",
    }


def cmd_runs(args: argparse.Namespace) -> int:
    with reading_session(args.db) as session:
        runs = list_runs(session, args.limit)
    form = chosen_format(args)
    write_rows((_record(run, form) for run in runs), RUNS_LAYOUT, form, sys.stdout)
    return 0
