"""The `nianbao` command line: help for every command, and queries on a small archive."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy.orm import Session

from archive.db import open_archive
from archive.store import store_report
from crawler.cli import main
from tests.test_archive import TEXT_2023, record

COMMANDS = [
    "search",
    "list",
    "show",
    "cite",
    "export",
    "stats",
    "runs",
    "coverage",
    "extract",
    "portals",
    "health",
]


@pytest.fixture
def archive_url(sqlite_url: str) -> str:
    engine = open_archive(sqlite_url)
    with Session(engine) as session, session.begin():
        store_report(session, record("http://www.anzhou.gov.cn/1.html"))
        store_report(session, record("http://www.qiaokou.gov.cn/2.html"))
        store_report(session, record("http://www.kmdc.gov.cn/3.html", TEXT_2023, 2023))
    engine.dispose()
    return sqlite_url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0 and "usage: nianbao " + command in capsys.readouterr().out


def test_search_prints_matching_titles(
    archive_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(capsys, "--db", archive_url, "search", "行政复议")
    assert "安州区2022年法治政府建设年度报告" in out and "安州区2023年" not in out


def test_search_json_lists_every_sighting(
    archive_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        json.loads(line)
        for line in run(capsys, "--db", archive_url, "search", "复议", "--json").splitlines()
    ]
    assert [len(row["urls"]) for row in rows] == [2]


def test_list_filters_by_year(archive_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "--db", archive_url, "list", "--year", "2023", "--json")
    assert [json.loads(line)["report_year"] for line in out.splitlines()] == [2023]


def test_export_jsonl_has_required_fields(
    archive_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        json.loads(line)
        for line in run(capsys, "--db", archive_url, "export", "--format", "jsonl").splitlines()
    ]
    assert {
        "id",
        "title",
        "report_year",
        "published_at",
        "publisher",
        "issuer",
        "host",
        "urls",
        "text",
    } <= set(rows[0])
    assert sorted(row["published_at"] for row in rows) == ["2023-01-30", "2024-01-30"]


def test_export_carries_the_four_part_check(
    archive_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = {
        row["report_year"]: row
        for row in map(json.loads, run(capsys, "--db", archive_url, "export").splitlines())
    }
    # The 2022 text names its measures and results, and no other required part.
    assert (rows[2022]["complete"], rows[2022]["missing_parts"]) == (
        False,
        ["shortcomings", "leaders_duty", "plans"],
    )


def test_export_csv_has_one_row_per_report(
    archive_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = list(
        csv.DictReader(io.StringIO(run(capsys, "--db", archive_url, "export", "--format", "csv")))
    )
    assert len(rows) == 2


def test_show_prints_metadata_and_text(
    archive_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(capsys, "--db", archive_url, "show", "1")
    assert "publisher: 绵阳市安州区司法局" in out and "行政复议" in out


def test_show_unknown_id_fails(archive_url: str) -> None:
    assert main(["--db", archive_url, "show", "99"]) == 1


def test_stats_counts(archive_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    stats = json.loads(run(capsys, "--db", archive_url, "stats", "--json"))
    assert (stats["reports"], stats["sightings"]) == (2, 3)
