"""The query commands' shared filter and output options, as a user types them."""

from __future__ import annotations

import csv
import io
import json

import pytest

from archive.db import open_archive
from crawler.cli import main
from tests.test_filters import ANZHOU, ANZHOU_2022, DONGCHUAN, DONGCHUAN_2021, SFJ_2023, fill


@pytest.fixture
def db(sqlite_url: str) -> str:
    engine = open_archive(sqlite_url)
    fill(engine)
    engine.dispose()
    return sqlite_url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def json_rows(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines()]


@pytest.mark.parametrize(
    "command",
    [["list"], ["search", "法治"], ["export"]],
)
def test_report_commands_take_the_same_filters(
    db: str, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    flags = [
        "--year",
        "2020-2022",
        "--region",
        "51",
        "--level",
        "county",
        "--host",
        "anzhou.gov.cn",
    ]
    output = run(
        capsys, "--db", db, *command, *flags, *(["--json"] if command != ["export"] else [])
    )
    assert [row["title"] for row in json_rows(output)] == [ANZHOU_2022]


def test_published_range_and_attachment_flags(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    output = run(
        capsys, "--db", db, "list", "--published", "2024-01-01..", "--from-attachment", "--json"
    )
    assert [row["title"] for row in json_rows(output)] == [SFJ_2023]
    output = run(capsys, "--db", db, "list", "--needs-ocr", "--issuer", "东川", "--json")
    assert [row["title"] for row in json_rows(output)] == [DONGCHUAN_2021]


def test_coverage_takes_the_filters_and_several_years(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    output = run(capsys, "--db", db, "coverage", "--year", "2021-2022", "--level", "county")
    header, *rows = output.splitlines()
    assert header.split() == [
        "report_year",
        "division_code",
        "level",
        "status",
        "published_at",
        "report_id",
        "complete",
        "portal",
    ]
    assert [row.split()[0:4] for row in rows] == [
        ["2021", "510705", "county", "missing"],
        ["2021", "530113", "county", "on_time"],
        ["2022", "510705", "county", "on_time"],
        ["2022", "530113", "county", "missing"],
    ]
    output = run(
        capsys, "--db", db, "coverage", "--year", "2021,2022", "--from-attachment", "--json"
    )
    assert [row["portal"] for row in json_rows(output)] == [DONGCHUAN.name]


def test_coverage_without_a_year_is_one_line(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db, "coverage", "--region", "51"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--year" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "--year", "2020-99999999999999999999"],
        ["list", "--year", "2023-2021"],
        ["search", "法治", "--region", "99999999999999999999"],
        ["search", "法治", "--offset", "99999999999999999999"],
        ["export", "--published", "2024-01-01"],
        ["export", "--published", "2024-12-31..2024-01-01"],
        ["coverage", "--year", "2022", "--region", "5%"],
        ["list", "--host", "a b"],
        ["list", "--level", "unknown"],
    ],
)
def test_bad_filter_values_are_a_usage_error(
    db: str, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--db", db, *argv])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "Traceback" not in err
    assert err.splitlines()[-1].startswith(f"nianbao {argv[0]}: error: ")


def test_every_table_has_a_header(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--db", db, "list").split("\n")[0].split() == [
        "id",
        "report_year",
        "published_at",
        "publisher",
        "title",
    ]
    search = run(capsys, "--db", db, "search", "法治").splitlines()
    assert search[0].startswith("4 reports match") and search[1].split()[0] == "id"
    assert run(capsys, "--db", db, "stats").split("\n")[0].split() == ["what", "count"]


def test_list_as_csv_and_for_excel(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    plain = run(capsys, "--db", db, "list", "--region", "53", "--csv")
    [row] = list(csv.DictReader(io.StringIO(plain)))
    assert (row["title"], row["report_year"]) == (DONGCHUAN_2021, "2021")
    excel = run(capsys, "--db", db, "list", "--region", "53", "--excel")
    assert excel == "\ufeff" + plain


def test_export_for_excel_starts_with_a_byte_order_mark(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    output = run(capsys, "--db", db, "export", "--excel", "--region", "510705")
    assert output.startswith("\ufeffid,title,")
    titles = {row["title"] for row in csv.DictReader(io.StringIO(output.removeprefix("\ufeff")))}
    assert titles == {ANZHOU_2022, SFJ_2023}


def test_export_excel_is_csv_only(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db, "export", "--excel", "--format", "jsonl"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_portals_table_has_a_header(capsys: pytest.CaptureFixture[str]) -> None:
    header, *rows = run(capsys, "portals", "--code", ANZHOU.division_code).splitlines()
    assert header.split() == ["division_code", "level", "name", "homepage"]
    assert rows and all(row.startswith(ANZHOU.division_code) for row in rows)
