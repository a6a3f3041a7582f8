"""The coverage page: one self-contained HTML file with the heatmap, the deadline calendar and
the counts, on SQLite and PostgreSQL, and `nianbao coverage --html`."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from archive.coverage_page import render_html
from archive.db import open_archive
from archive.filters import ReportFilter
from archive.store import finish_run, start_run, store_report, upsert_portals
from crawler.cli import main
from tests.test_archive import record
from tests.test_coverage import PORTALS

ANZHOU, MIANYANG, DONGCHUAN = (portal.homepage for portal in PORTALS)


def _report(url: str, year: int, issuer: str, published: dt.date | None, title: str = "") -> Any:
    text = f"{year}年，{issuer}深入推进依法行政，{url}的行政复议工作规范开展。"
    return record(
        url,
        text,
        year,
        issuer=issuer,
        title=title or f"{issuer}{year}年法治政府建设年度报告",
        published_at=published,
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def archive(request: pytest.FixtureRequest, sqlite_url: str) -> Iterator[Engine]:
    """2022: 安州 on time, 东川 late, 绵阳 missing; 2023: 绵阳 on time, 东川 undated,
    安州 missing."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else sqlite_url
    engine = open_archive(url)
    with Session(engine) as session, session.begin():
        ids = upsert_portals(session, list(PORTALS))
        finish_run(session, start_run(session), "finished", 42)
        stored = [
            (
                ANZHOU,
                _report(f"{ANZHOU}a.html", 2022, "绵阳市安州区人民政府", dt.date(2023, 1, 30)),
            ),
            (DONGCHUAN, _report(f"{DONGCHUAN}b.html", 2022, "东川区", dt.date(2023, 5, 6))),
            (MIANYANG, _report(f"{MIANYANG}c.html", 2023, "绵阳市人民政府", dt.date(2024, 3, 1))),
            (DONGCHUAN, _report(f"{DONGCHUAN}d.html", 2023, "东川区", None)),
        ]
        for homepage, item in stored:
            store_report(session, item, portal_id=ids[homepage])
    yield engine
    engine.dispose()


def embedded_specs(page: str) -> dict[str, dict[str, Any]]:
    """The Vega-Lite spec handed to vegaEmbed for each chart element of the page."""
    decoder = json.JSONDecoder()
    return {
        call["name"]: decoder.raw_decode(page, call.end())[0]
        for call in re.finditer(r"vegaEmbed\('#(?P<name>\w+)', ", page)
    }


def values(spec: dict[str, Any], chart: dict[str, Any]) -> list[dict[str, Any]]:
    """A chart's rows: inline, or in the top-level datasets Altair moves them to."""
    data = chart["data"]
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


def heatmap_cells(page: str) -> dict[tuple[str, int], dict[str, Any]]:
    heatmap = embedded_specs(page)["heatmap"]
    return {(cell["portal"], cell["report_year"]): cell for cell in values(heatmap, heatmap)}


def test_heatmap_has_every_portal_and_year_with_its_status(archive: Engine) -> None:
    cells = heatmap_cells(render_html(archive))
    assert {key: cell["status"] for key, cell in cells.items()} == {
        ("绵阳市安州区人民政府", 2022): "on_time",
        ("昆明市东川区人民政府", 2022): "late",
        ("绵阳市人民政府", 2022): "missing",
        ("绵阳市人民政府", 2023): "on_time",
        ("昆明市东川区人民政府", 2023): "undated",
        ("绵阳市安州区人民政府", 2023): "missing",
    }


def test_heatmap_tooltip_gives_title_and_publish_date(archive: Engine) -> None:
    page = render_html(archive)
    late = heatmap_cells(page)["昆明市东川区人民政府", 2022]
    assert (late["title"], late["published_at"]) == (
        "东川区2022年法治政府建设年度报告",
        "2023-05-06",
    )
    tooltip = embedded_specs(page)["heatmap"]["encoding"]["tooltip"]
    assert {"title", "published_at"} <= {field["field"] for field in tooltip}


def test_heatmap_rows_follow_the_division_codes(archive: Engine) -> None:
    heatmap = embedded_specs(render_html(archive))["heatmap"]
    assert heatmap["encoding"]["y"]["sort"] == {"field": "order"}
    order = {cell["portal"]: cell["order"] for cell in values(heatmap, heatmap)}
    assert sorted(order, key=order.__getitem__) == [
        "绵阳市人民政府",
        "绵阳市安州区人民政府",
        "昆明市东川区人民政府",
    ]


def test_calendar_marks_the_april_first_deadline(archive: Engine) -> None:
    calendar = embedded_specs(render_html(archive))["calendar"]
    dots, rule = calendar["layer"][0], calendar["layer"][1]
    assert rule["mark"]["type"] == "rule" and values(calendar, rule) == [
        {"day": 0, "label": "deadline: April 1"}
    ]
    days = sorted(dot["days_after_deadline"] for dot in values(calendar, dots))
    assert days == [-61, -31, 35]  # 2023-01-30 and 2024-03-01 before, 2023-05-06 after


def test_summary_counts_each_status_per_year(archive: Engine) -> None:
    page = render_html(archive)
    cells = r"\s*".join(f"<td>{n}</td>" for n in (1, 1, 0, 1, 3))
    assert re.search(rf"<tr><th>2022</th>{cells}</tr>", page)
    assert re.search(r"<tr><th>2023</th><td>1</td><td>0</td><td>1</td><td>1</td><td>3</td>", page)


def test_page_names_its_archive_and_run(archive: Engine) -> None:
    page = render_html(archive)
    assert archive.url.render_as_string(hide_password=True) in page
    assert re.search(r"crawl run 1: started [^<]*, finished [^<]*\(finished\), 42 pages", page)


def test_page_needs_nothing_from_the_network(archive: Engine) -> None:
    page = render_html(archive)
    assert not re.search(r"<script[^>]*\bsrc=|<link[^>]*\bhref=|url\(\s*['\"]?https?:", page)
    assert "vegaEmbed" in page and len(page) < 2_000_000
    assert '"url":' not in json.dumps(embedded_specs(page))  # no data loaded from elsewhere


def test_page_filters_by_year_and_division_code(archive: Engine) -> None:
    cells = heatmap_cells(
        render_html(archive, ReportFilter(years=frozenset({2023}), region="5107"))
    )
    assert set(cells) == {("绵阳市人民政府", 2023), ("绵阳市安州区人民政府", 2023)}


def test_a_title_cannot_end_the_script(sqlite_url: str) -> None:
    engine = open_archive(sqlite_url)
    with Session(engine) as session, session.begin():
        ids = upsert_portals(session, [PORTALS[0]])
        hostile = "安州区</script><script>alert(1)</script>2022年法治政府建设年度报告"
        item = _report(
            f"{ANZHOU}x.html", 2022, "绵阳市安州区人民政府", dt.date(2023, 1, 2), hostile
        )
        store_report(session, item, portal_id=ids[ANZHOU])
    page = render_html(engine)
    engine.dispose()
    assert "<script>alert" not in page
    assert heatmap_cells(page)["绵阳市安州区人民政府", 2022]["title"] == hostile


def test_cli_writes_the_page(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    open_archive(sqlite_url).dispose()
    target = tmp_path / "coverage.html"
    assert main(["--db", sqlite_url, "coverage", "--html", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert f"wrote {target}" in capsys.readouterr().err


def test_cli_unwritable_page_is_one_line_and_exit_2(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    open_archive(sqlite_url).dispose()
    target = tmp_path / "missing-folder" / "coverage.html"
    assert main(["--db", sqlite_url, "coverage", "--html", str(target)]) == 2
    err = capsys.readouterr().err
    assert err == f"nianbao coverage: cannot write {target}: No such file or directory\n"


def test_cli_coverage_table_still_needs_a_year(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    open_archive(sqlite_url).dispose()
    assert main(["--db", sqlite_url, "coverage"]) == 2
    assert "add --year" in capsys.readouterr().err
