"""`show` prints the outline and four-part check, list/search filter on completeness, coverage
has a "complete" column, and `diff` compares two reports: on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy.orm import Session

from archive.db import open_archive
from archive.store import PortalRecord, store_report, upsert_portals
from crawler.cli import main
from tests.test_archive import record
from tests.test_report_structure import COMPLETE, INCOMPLETE

ANZHOU = PortalRecord(
    "绵阳市安州区人民政府", "http://www.anzhou.gov.cn/", "www.anzhou.gov.cn", "county", "510705"
)
# The same report corrected at its URL: one figure changed, one sentence added, one section
# renamed and a fifth part added.
CORRECTED = (
    COMPLETE.replace("出台规范性文件3件。", "出台规范性文件5件。")
    .replace("办理案件12件。", "办理案件12件。开展案卷评查2次。")
    .replace("三、存在的问题", "三、存在的问题和原因")
    + "五、其他事项\n无。\n"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    """Report 1 complete (2022, on the portal), 2 incomplete (2023), 3 a corrected version of 1
    at the same URL."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else sqlite_url
    engine = open_archive(url)
    with Session(engine) as session, session.begin():
        portal_id = upsert_portals(session, [ANZHOU])[ANZHOU.homepage]
        store_report(
            session, record("http://www.anzhou.gov.cn/1.html", COMPLETE), portal_id=portal_id
        )
        store_report(session, record("http://www.anzhou.gov.cn/2.html", INCOMPLETE, 2023))
        corrected = record(
            "http://www.anzhou.gov.cn/1.html", CORRECTED, published_at=dt.date(2023, 2, 1)
        )
        store_report(session, corrected, portal_id=portal_id)
    engine.dispose()
    return url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_show_prints_the_outline_and_the_parts(
    archive_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(capsys, "--db", archive_url, "show", "2")
    assert "outline:\n  一、工作情况  [" in out
    assert "required parts: 2 of 4 (incomplete)" in out
    assert "  found    shortcomings and their causes: heading «二、存在问题»" in out
    assert "  missing  principal leaders' duty as first responsible person" in out


def test_show_json_carries_outline_and_parts(
    archive_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    shown = json.loads(run(capsys, "--db", archive_url, "show", "1", "--json"))
    assert shown["complete"] is True
    assert [entry["heading"] for entry in shown["outline"]][:2] == ["主要举措和成效", "完善制度"]
    assert shown["parts"]["plans"] == {
        "found": True,
        "source": "heading",
        "evidence": "四、2023年工作打算",
        "start": COMPLETE.index("四、"),
    }


def ids(out: str) -> list[int]:
    return sorted(json.loads(line)["id"] for line in out.splitlines())


def test_list_filters_on_completeness(archive_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert ids(run(capsys, "--db", archive_url, "list", "--complete", "--json")) == [1, 3]
    assert ids(run(capsys, "--db", archive_url, "list", "--incomplete", "--json")) == [2]


def test_search_filters_on_completeness(
    archive_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(capsys, "--db", archive_url, "search", "依法行政", "--incomplete", "--json")
    assert ids(out) == [2]


def test_export_filters_on_completeness(
    archive_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ids(run(capsys, "--db", archive_url, "export", "--incomplete")) == [2]


def test_complete_and_incomplete_exclude_each_other(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["list", "--complete", "--incomplete"])
    assert "not allowed with" in capsys.readouterr().err


def test_coverage_has_a_complete_column(
    archive_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(capsys, "--db", archive_url, "coverage", "--year", "2022")
    assert "complete" in out.split()
    row = json.loads(run(capsys, "--db", archive_url, "coverage", "--year", "2022", "--json"))
    assert (row["status"], row["complete"]) == ("on_time", True)
    argv = ["--db", archive_url, "coverage", "--year", "2022", "--incomplete"]
    assert run(capsys, *argv) == ""


def test_diff_shows_what_changed_section_by_section(
    archive_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(capsys, "--db", archive_url, "diff", "1", "3")
    lines = out.splitlines()
    # 10 of 12 sentences (headings included) kept, 15 now: 2 * 10 / 27.
    assert lines[0] == "diff 1 → 3: 74% of sentences in common"
    assert "~ 一、主要举措和成效" in lines
    assert "  ~ （一）完善制度" in lines
    assert "      ~ 出台规范性文件[-3-]{+5+}件。" in lines
    assert "      + 开展案卷评查2次。" in lines
    assert "~ 三、存在的问题 → 三、存在的问题和原因" in lines
    assert "= 四、2023年工作打算" in lines
    assert "+ 五、其他事项 (10 chars)" in lines


def test_diff_json(archive_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    diff = json.loads(run(capsys, "--db", archive_url, "diff", "1", "3", "--json"))
    assert (diff["old"]["id"], diff["new"]["id"]) == (1, 3)
    statuses = [(s["status"], (s["new"] or s["old"])["heading"]) for s in diff["sections"]]
    assert statuses == [
        ("same", ""),
        ("changed", "主要举措和成效"),
        ("same", "党政主要负责人履行推进法治建设第一责任人职责情况"),
        ("changed", "存在的问题和原因"),
        ("same", "2023年工作打算"),
        ("added", "其他事项"),
    ]
    (edit,) = diff["sections"][1]["children"][0]["changes"]
    assert edit["diff"] == [["=", "出台规范性文件"], ["-", "3"], ["+", "5"], ["=", "件。"]]


def test_diff_of_one_id_compares_with_the_version_it_replaced(
    archive_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "--db", archive_url, "diff", "3").startswith("diff 1 → 3:")


def test_diff_of_one_id_without_an_earlier_version_says_so(
    archive_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", archive_url, "diff", "2"]) == 1
    assert "report 2 replaced no earlier version" in capsys.readouterr().err


def test_diff_of_an_unknown_id_is_one_line(
    archive_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", archive_url, "diff", "1", "99"]) == 1
    assert capsys.readouterr().err == "nianbao diff: no report with id 99\n"


@pytest.mark.parametrize("command", ["diff", "show", "list", "search"])
def test_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    out = capsys.readouterr().out
    assert "--json" in out
    if command != "show":
        assert ("--complete" in out) is (command != "diff")
