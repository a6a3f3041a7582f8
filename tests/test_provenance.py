"""Provenance and citation: `nianbao show ID --provenance` and `nianbao cite ID`."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from archive.db import open_archive
from archive.store import CaptureRecord, record_capture, store_report
from crawler.cli import main
from tests.test_archive import record

URL = "http://www.anzhou.gov.cn/1.html"
REPOST = "http://www.my.gov.cn/2.html"


@pytest.fixture
def archive_url(sqlite_url: str) -> str:
    engine = open_archive(sqlite_url)
    with Session(engine) as session, session.begin():
        store_report(session, record(REPOST, published_at=dt.date(2023, 2, 1)))
        store_report(session, record(URL))
        capture = CaptureRecord(URL, 200, "text/html", "utf-8", 10, "sha256:ab", None, None,
                                "nianbao-1.warc.gz", "<urn:uuid:1>", 123)  # fmt: skip
        record_capture(session, None, capture)
    engine.dispose()
    return sqlite_url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", ["cite", "show"])
def test_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert "usage: nianbao " + command in capsys.readouterr().out


def test_provenance_lists_sightings_with_their_match(
    archive_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(capsys, "--db", archive_url, "show", "1", "--provenance")
    assert f"{REPOST}  [new]" in out and f"{URL}  [exact 1.00]" in out
    assert "page showed: 2023-02-01" in out


def test_provenance_points_captures_to_their_warc_record(
    archive_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(capsys, "--db", archive_url, "show", "1", "--provenance")
    assert "warc: nianbao-1.warc.gz @123 <urn:uuid:1>" in out


def test_cite_names_the_original_publication(
    archive_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(capsys, "--db", archive_url, "cite", "1")
    today = dt.datetime.now(dt.UTC).date().isoformat()
    title = "安州区2022年法治政府建设年度报告"
    assert out.strip() == f"绵阳市安州区人民政府. {title}[EB/OL]. (2023-01-30)[{today}]. {URL}."


def test_cite_of_an_unknown_report_fails(archive_url: str) -> None:
    assert main(["--db", archive_url, "cite", "99"]) == 1
