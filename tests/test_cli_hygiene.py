"""The query CLI on awkward archives and arguments: one clear line, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from archive.db import open_archive
from archive.store import store_report
from crawler.cli import main
from tests.test_archive import TEXT_2023, record


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    path = tmp_path / "archive.sqlite"
    engine = open_archive(str(path))
    with Session(engine) as session, session.begin():
        store_report(session, record("http://a.gov.cn/1.html", publisher="安州区司法局"))
        store_report(session, record("http://b.gov.cn/2.html", TEXT_2023, 2023, publisher="5%_局"))
    engine.dispose()
    return path


def fails(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run a command that must fail with status 2; its stderr, which must be one line."""
    assert main(list(argv)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    return err


def out(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_missing_archive_says_how_to_make_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = fails(capsys, "--db", str(tmp_path / "no.sqlite"), "list")
    assert f"no archive at {tmp_path / 'no.sqlite'}; run `scrapy crawl reports` first" in err
    assert not (tmp_path / "no.sqlite").exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "the file is empty"), (b"%PDF-1.7 not a database", "not a SQLite database")],
)
def test_foreign_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, reason: str
) -> None:
    (tmp_path / "x.sqlite").write_bytes(content)
    err = fails(capsys, "--db", str(tmp_path / "x.sqlite"), "stats")
    assert f"{tmp_path / 'x.sqlite'} is not a nianbao archive: {reason}" in err
    assert (tmp_path / "x.sqlite").read_bytes() == content


def test_corrupt_sqlite_file_is_one_line(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = bytearray(archive.read_bytes())
    data[100:] = b"\xff" * (len(data) - 100)  # keep the header, wreck every page
    archive.write_bytes(bytes(data))
    assert f"{archive} is not a nianbao archive" in fails(capsys, "--db", str(archive), "list")


@pytest.mark.parametrize("query", ["mode=ro", "immutable=1"])
def test_read_only_archive_answers_every_query(
    archive: Path, capsys: pytest.CaptureFixture[str], query: str
) -> None:
    db = f"sqlite:///{archive}?{query}"
    assert "安州区" in out(capsys, "--db", db, "search", "行政复议")
    for command in (["list"], ["show", "1"], ["cite", "1"], ["stats"], ["export"], ["health"]):
        out(capsys, "--db", db, *command)
    out(capsys, "--db", db, "coverage", "--year", "2022")


def test_plain_path_is_a_sqlite_archive(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert json.loads(out(capsys, "--db", str(archive), "stats", "--json"))["reports"] == 2


def test_publisher_percent_matches_literally(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = out(capsys, "--db", str(archive), "list", "--publisher", "%").splitlines()[1:]
    assert len(rows) == 1  # below the header, the one report whose publisher has a %
    assert "5%_局" in out(capsys, "--db", str(archive), "list", "--publisher", "%_")


def test_search_for_punctuation_alone_is_a_one_line_error(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The index holds letters, digits and characters: `_` is not something it can look for,
    # and must not match everything as a LIKE wildcard did.
    assert main(["--db", str(archive), "search", "_"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "--year", "99999999999999999999"],
        ["show", "99999999999999999999"],
        ["cite", "0"],
        ["list", "--limit", "-1"],
        ["coverage", "--year", "x"],
        ["health", "--run", "99999999999999999999"],
    ],
)
def test_numbers_out_of_range_are_a_usage_error(
    archive: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(archive), *argv])
    assert exit_.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("nianbao 0.")


def test_export_refuses_to_overwrite_without_force(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("keep me")
    assert "--force" in fails(capsys, "--db", str(archive), "export", "-o", str(target))
    assert target.read_text() == "keep me"
    out(capsys, "--db", str(archive), "export", "-o", str(target), "--force")
    assert target.read_text().count("\n") == 2


def test_failed_export_leaves_no_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty.sqlite").touch()
    fails(capsys, "--db", str(tmp_path / "empty.sqlite"), "export", "-o", str(tmp_path / "o.csv"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.sqlite"]


def test_export_into_missing_folder_is_one_line(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = fails(capsys, "--db", str(archive), "export", "-o", str(tmp_path / "no" / "o.csv"))
    assert f"no folder {tmp_path / 'no'}" in err


def test_piping_into_head_ends_quietly(tmp_path: Path) -> None:
    path = tmp_path / "big.sqlite"
    engine = open_archive(str(path))
    with Session(engine) as session, session.begin():
        store_report(session, record("http://a.gov.cn/1.html", "法治" * 500_000))
    engine.dispose()
    script = "import sys; from crawler.cli import main; sys.exit(main())"
    with subprocess.Popen(
        [sys.executable, "-c", script, "--db", str(path), "show", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as reader:
        assert reader.stdout is not None and reader.stderr is not None
        reader.stdout.readline()
        reader.stdout.close()  # what `head -1` does once it has its line
        err = reader.stderr.read().decode()
    assert "BrokenPipeError" not in err and err == ""
