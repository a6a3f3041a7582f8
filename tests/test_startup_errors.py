"""Start-up errors of the real `scrapy crawl reports`: one line, exit status 2, no crawl."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from archive.readiness import ArchiveUnavailable, check_archive_writable
from tests.test_end_to_end import REPO

GOOD_ROW = "绵阳市安州区人民政府,http://www.anzhou.gov.cn/,county,510705\n"
HEADER = "name,homepage,level,division_code\n"


def crawl(*arguments: str) -> subprocess.CompletedProcess[str]:
    # No proxy and an unroutable-free setup: a crawl that did start would log "Spider opened".
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "reports", *arguments],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert result.returncode == 2, lines
    assert len(lines) == 1, lines
    assert all(fragment in lines[0] for fragment in fragments), lines[0]


def test_bad_registry_row_names_file_and_row(tmp_path: Path) -> None:
    registry = tmp_path / "bad.csv"
    registry.write_text(HEADER + GOOD_ROW + "某县,www.example.gov.cn,county,510706\n", "utf-8")
    db = f"sqlite:///{tmp_path / 'a.sqlite'}"
    result = crawl("-a", f"registry={registry}", "-s", f"NIANBAO_DB_URL={db}")
    assert_one_line_error(result, f"{registry}:3", "not an http(s) URL")


def test_site_without_scheme(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.sqlite'}"
    result = crawl("-a", "site=www.example.gov.cn", "-s", f"NIANBAO_DB_URL={db}")
    assert_one_line_error(result, "site=www.example.gov.cn", "http://www.example.gov.cn/")


def test_unwritable_database(tmp_path: Path) -> None:
    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):  # root ignores permissions: use an impossible path
            target = Path("/proc/nianbao/archive.sqlite")
        else:
            target = folder / "archive.sqlite"
        result = crawl(
            "-a", f"site={'http://www.anzhou.gov.cn/'}", "-s", f"NIANBAO_DB_URL=sqlite:///{target}"
        )
    finally:
        folder.chmod(0o700)
    assert_one_line_error(result, "database", str(target))


def test_unreachable_database() -> None:
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    url = "postgresql+psycopg://nianbao@127.0.0.1:9/nianbao"
    result = crawl("-a", "site=http://www.anzhou.gov.cn/", "-s", f"NIANBAO_DB_URL={url}")
    assert_one_line_error(result, "database", "127.0.0.1")


def test_read_only_archive_is_refused_before_the_crawl(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite"
    check_archive_writable(f"sqlite:///{path}")  # creates and migrates it
    with pytest.raises(ArchiveUnavailable, match="readonly"):
        check_archive_writable(f"sqlite:///file:{path}?mode=ro&uri=true")
