"""`nianbao serve`: the archive read-only in Datasette. The pages and queries are checked
in-process through Datasette's own client; the end-to-end tests start `nianbao serve` on a
free loopback port and drive it with headless Chromium, as a researcher would."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from archive.attachments import AttachmentRecord, store_attachment
from archive.coverage import coverage
from archive.db import open_archive, open_archive_for_reading
from archive.store import PortalRecord, ReportRecord, store_report, upsert_portals
from crawler.cli import main
from tests.portal.fixtures import anzhou_2022_body, kmdc_2018_body, lanzhou_2023_body

REPO = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPO / "test-output"

ANZHOU = PortalRecord(
    "绵阳市安州区人民政府", "http://www.anzhou.gov.cn/", "www.anzhou.gov.cn", "county", "510705"
)
MIANYANG = PortalRecord(
    "绵阳市人民政府", "http://www.my.gov.cn/", "www.my.gov.cn", "prefecture", "510700"
)
KMDC = PortalRecord(
    "昆明市东川区人民政府", "http://www.kmdc.gov.cn/", "www.kmdc.gov.cn", "county", "530113"
)
LANZHOU_SFJ = PortalRecord(
    "兰州市司法局", "http://sfj.lanzhou.gov.cn/", "sfj.lanzhou.gov.cn", "department", "620100"
)
ANZHOU_URL = "http://www.anzhou.gov.cn/zwgk/fdzdgknr/t20230130_1.html"
REPOST_URL = "http://www.my.gov.cn/zwgk/t20230210_9.html"
ATTACHMENT_URL = "http://www.anzhou.gov.cn/zwgk/P020230130.pdf"


def report(url: str, body: tuple[str, ...], **fields: Any) -> ReportRecord:
    host = url.split("/")[2]
    values: dict[str, Any] = {
        "url": url,
        "host": host,
        "text": "\n".join(body),
        "written_at": None,
        "host_site": None,
        **fields,
    }
    return ReportRecord(**values)


ANZHOU_2022 = report(
    ANZHOU_URL,
    anzhou_2022_body(),
    title="绵阳市安州区人民政府关于2022年法治政府建设工作情况的报告",
    report_year=2022,
    published_at=dt.date(2023, 1, 30),
    publisher="绵阳市安州区司法局",
    issuer="绵阳市安州区人民政府",
)
KMDC_2018 = report(
    "http://www.kmdc.gov.cn/xxgk/t20190415_2.html",
    kmdc_2018_body(),
    title="昆明市东川区2018年法治政府建设工作报告",
    report_year=2018,
    published_at=dt.date(2019, 4, 15),
    publisher="东川区司法局",
    issuer="昆明市东川区人民政府",
)
LANZHOU_2023 = report(
    "http://sfj.lanzhou.gov.cn/art/2024/2/20/art_1_3.html",
    lanzhou_2023_body(),
    title="兰州市司法局关于2023年法治政府建设情况的报告",
    report_year=2023,
    published_at=dt.date(2024, 2, 20),
    publisher="兰州市司法局",
    issuer="兰州市司法局",
)


def build_archive(path: Path) -> None:
    """Three reports on four portals; the 2022 report reposted on its city's portal and with
    a PDF linked from its page."""
    engine = open_archive(str(path))
    with Session(engine) as session, session.begin():
        ids = upsert_portals(session, [ANZHOU, MIANYANG, KMDC, LANZHOU_SFJ])
        store_report(session, ANZHOU_2022, portal_id=ids[ANZHOU.homepage])
        repost = report(REPOST_URL, anzhou_2022_body(), **_metadata(ANZHOU_2022))
        store_report(session, repost, portal_id=ids[MIANYANG.homepage])
        store_report(session, KMDC_2018, portal_id=ids[KMDC.homepage])
        store_report(session, LANZHOU_2023, portal_id=ids[LANZHOU_SFJ.homepage])
        store_attachment(
            session,
            AttachmentRecord(
                ANZHOU_URL, ATTACHMENT_URL, "application/pdf", 12345, "sha256:0", "附件", False
            ),
        )
    engine.dispose()  # the last connection checkpoints: the file alone holds the archive


def _metadata(record: ReportRecord) -> dict[str, Any]:
    fields = ("title", "report_year", "published_at", "publisher", "issuer")
    return {name: getattr(record, name) for name in fields}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "reports.sqlite"
    build_archive(path)
    return path


# -- the command ---------------------------------------------------------------------------


def test_serve_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--help"])
    assert exit_.value.code == 0 and "usage: nianbao serve" in capsys.readouterr().out


def test_missing_archive_says_how_to_make_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "none.sqlite"
    assert main(["--db", str(missing), "serve"]) == 2
    err = capsys.readouterr().err
    assert err == f"nianbao: no archive at {missing}; run `scrapy crawl reports` first\n"
    assert not missing.exists()


def test_postgresql_url_is_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", "postgresql+psycopg://nobody@127.0.0.1:9/none", "serve"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Datasette serves SQLite archives, not postgresql" in err


def test_archive_needing_migration_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "old.sqlite"
    build_archive(path)
    engine = open_archive(str(path))
    with engine.begin() as connection:
        connection.execute(text("DROP VIEW browse_reports"))
        connection.execute(text("UPDATE alembic_version SET version_num = '0008_issuer'"))
    engine.dispose()
    before = digest(path)
    assert main(["--db", str(path), "serve"]) == 2
    assert "needs migrating to this nianbao" in capsys.readouterr().err
    assert digest(path) == before


# -- pages and queries, in-process ---------------------------------------------------------


@pytest.fixture(scope="module")
def client(archive_path: Path) -> Iterator[Any]:
    from archive.web.app import build_datasette

    engine = open_archive_for_reading(str(archive_path), read_only=True)
    datasette = build_datasette(archive_path, engine, immutable=False)
    yield datasette.client
    engine.dispose()


def get(client: Any, path: str) -> Any:
    response = asyncio.run(client.get(path))
    assert response.status_code == 200, path
    return response


def rows(client: Any, path: str) -> list[dict[str, Any]]:
    separator = "&" if "?" in path else "?"
    result: list[dict[str, Any]] = get(client, f"{path}{separator}_shape=array").json()
    return result


def test_search_counts_ranks_and_marks_a_two_character_term(client: Any) -> None:
    html = get(client, "/-/search?q=复议").text
    assert "共 3 篇报告匹配 · 3 reports match" in html
    assert html.count('class="nianbao-hit"') == 3 and "<mark>复议</mark>" in html


def test_search_uses_the_query_language(client: Any) -> None:
    html = get(client, "/-/search?q=复议 -东川区 -兰州").text
    assert "1 report matches" in html and ANZHOU_2022.title in html


def test_search_filters_by_year(client: Any) -> None:
    html = get(client, "/-/search?q=复议&year=2023").text
    assert "1 report matches" in html and LANZHOU_2023.title in html


def test_search_reads_a_bad_query_as_a_message(client: Any) -> None:
    html = get(client, '/-/search?q="复议').text
    assert "unbalanced quote" in html and 'class="nianbao-hit"' not in html


def test_search_says_when_nothing_matches(client: Any) -> None:
    assert "no reports match" in get(client, "/-/search?q=核电站").text


def test_report_page_shows_text_sightings_attachments_and_citation(client: Any) -> None:
    html = get(client, "/-/report/1").text
    assert ANZHOU_2022.title in html and anzhou_2022_body()[0] in html
    assert f'href="{ANZHOU_URL}"' in html and f'href="{REPOST_URL}"' in html
    assert ATTACHMENT_URL in html
    assert f"绵阳市安州区人民政府. {ANZHOU_2022.title}[EB/OL]. (2023-01-30)" in html


def test_unknown_report_is_not_found(client: Any) -> None:
    assert asyncio.run(client.get("/-/report/99")).status_code == 404


def test_coverage_page_is_served_for_every_year_or_one(client: Any) -> None:
    everything = get(client, "/-/coverage").text
    assert "nianbao coverage" in everything and LANZHOU_2023.title in everything
    one_year = get(client, "/-/coverage?year=2022").text
    assert ANZHOU_2022.title in one_year and LANZHOU_2023.title not in one_year
    assert asyncio.run(client.get("/-/coverage?year=20x")).status_code == 400


def test_internal_tables_are_hidden(client: Any) -> None:
    tables = get(client, "/nianbao.json").json()["tables"]
    hidden = {t["name"] for t in tables if t["hidden"]}
    assert {"alembic_version", "report_search", "report_search_data"} <= hidden
    assert "reports" not in hidden


def test_browse_view_facets_by_year_level_region_and_publisher(client: Any) -> None:
    facets = get(client, "/nianbao/browse_reports.json").json()["facet_results"]
    values = {name: {v["value"]: v["count"] for v in f["results"]} for name, f in facets.items()}
    assert values["level"] == {"county": 2, "department": 1}
    assert values["province_code"] == {"51": 1, "53": 1, "62": 1}
    assert set(values["report_year"]) == {2018, 2022, 2023}
    assert values["publisher"]["兰州市司法局"] == 1


def test_report_titles_link_to_the_report_page(client: Any) -> None:
    html = get(client, "/nianbao/browse_reports").text
    assert f'<a href="/-/report/3">{LANZHOU_2023.title}</a>' in html


@pytest.mark.parametrize("year", [2018, 2022, 2023])
def test_coverage_query_answers_as_nianbao_coverage(
    client: Any, archive_path: Path, year: int
) -> None:
    found = rows(client, f"/nianbao/coverage_for_a_year.json?year={year}")
    engine = open_archive_for_reading(str(archive_path))
    with Session(engine) as session:
        expected = coverage(session, year)
    engine.dispose()
    assert [(r["portal"], r["status"], r["report_id"]) for r in found] == [
        (row.portal, str(row.status), row.report_id) for row in expected
    ]


def test_newest_reports_come_first(client: Any) -> None:
    found = rows(client, "/nianbao/newest_reports.json")
    assert [r["report_year"] for r in found] == [2023, 2022, 2018]


def test_reports_per_issuer(client: Any) -> None:
    found = rows(client, "/nianbao/reports_per_issuer.json")
    assert {r["issuer"]: r["reports"] for r in found} == {
        "绵阳市安州区人民政府": 1,
        "昆明市东川区人民政府": 1,
        "兰州市司法局": 1,
    }


# -- end to end: `nianbao serve` in Chromium --------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_serving(process: subprocess.Popen[str], url: str) -> None:
    """Poll until the server answers; a server that exits or never answers fails the test."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            errors = process.stderr.read() if process.stderr else ""
            pytest.fail(f"nianbao serve exited with {process.returncode}: {errors}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"nianbao serve did not answer at {url}")


@pytest.fixture(scope="module")
def server(archive_path: Path) -> Iterator[str]:
    """`nianbao serve` on the archive; yields its base URL and checks it never wrote."""
    before = digest(archive_path)
    port = free_port()
    script = "import sys; from crawler.cli import main; sys.exit(main())"
    command = [sys.executable, "-c", script, "--db", str(archive_path), "serve"]
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    with subprocess.Popen(
        [*command, "--port", str(port)], env=env, stderr=subprocess.PIPE, text=True
    ) as process:
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_serving(process, f"{base}/-/versions.json")
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)
    assert digest(archive_path) == before


@pytest.fixture(scope="module")
def browser(chromium: tuple[str, str]) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver = chromium
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in (
        "--headless=new",
        "--no-sandbox",  # tests may run as root
        "--disable-dev-shm-usage",
        "--window-size=1280,1600",
        # Nothing but loopback: no background fetches, and any other address goes to a
        # closed local port (Chromium reaches loopback directly, never through the proxy).
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--proxy-server=http://127.0.0.1:9",
    ):
        options.add_argument(argument)
    chrome = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    yield chrome
    chrome.quit()


def screenshot(browser: Any, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"serve-{name}.png"
    assert browser.save_screenshot(str(path))
    with capsys.disabled():
        print(f"\nscreenshot: {path.relative_to(REPO)}")


def navigate(browser: Any, action: Callable[[], object]) -> None:
    """Do what loads a new page (a click, a submit) and wait until it has replaced the old one:
    read too early, elements come from the old page, or go stale under the reader."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    old_page = browser.find_element(By.TAG_NAME, "html")
    action()
    WebDriverWait(browser, 10).until(expected_conditions.staleness_of(old_page))


def test_browser_searches_a_two_character_term(
    browser: Any, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{server}/")
    box = browser.find_element(By.NAME, "q")
    box.send_keys("复议")
    navigate(browser, box.submit)
    count = browser.find_element(By.CLASS_NAME, "nianbao-count").text
    assert "3 reports match" in count
    hits = browser.find_elements(By.CLASS_NAME, "nianbao-hit")
    assert len(hits) == 3
    marks = browser.find_elements(By.CSS_SELECTOR, ".nianbao-snippet mark")
    assert marks and all(mark.text == "复议" for mark in marks)
    screenshot(browser, "search", capsys)


def test_browser_opens_a_report_with_its_text_and_sightings(
    browser: Any, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{server}/-/search?q=复议 -东川区 -兰州")
    navigate(browser, browser.find_element(By.CLASS_NAME, "nianbao-title").click)
    assert browser.find_element(By.TAG_NAME, "h1").text == ANZHOU_2022.title
    assert anzhou_2022_body()[1] in browser.find_element(By.CLASS_NAME, "nianbao-text").text
    sightings = browser.find_elements(By.CLASS_NAME, "nianbao-sighting")
    assert {s.get_attribute("href") for s in sightings} == {ANZHOU_URL, REPOST_URL}
    assert {s.text for s in sightings} == {ANZHOU_URL, REPOST_URL}
    screenshot(browser, "report", capsys)


def test_browser_narrows_reports_by_a_facet(
    browser: Any, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{server}/nianbao/browse_reports")
    facet = browser.find_element(By.CSS_SELECTOR, "#facet-level")
    navigate(browser, facet.find_element(By.LINK_TEXT, "department").click)
    titles = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns td.col-title")
    assert [t.text for t in titles] == [LANZHOU_2023.title]
    screenshot(browser, "browse", capsys)


def test_browser_runs_the_coverage_query_for_a_year(browser: Any, server: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{server}/nianbao/coverage_for_a_year")
    year = browser.find_element(By.NAME, "year")
    year.send_keys("2022")
    navigate(browser, year.submit)
    cells = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns td.col-status")
    statuses = [cell.text for cell in cells]
    assert statuses == ["on_time", "missing", "missing", "missing"]
