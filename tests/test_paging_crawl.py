"""End to end on the paging sites (tests/portal/paging_sites.py), crawled twice: `.shtml`
TRS pages under a script pager of its own naming, a department catalogue, an older Hanweb
column of script XML paged two ways, and the safety net where a report sits past the hop
limit or a column's paging breaks."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from archive.db import open_archive
from archive.health import HealthView, list_health
from archive.query import list_reports
from crawler.cli import main as nianbao
from tests.portal.paging_sites import DEXING_REPORT, EDITED_FIRST_PAGE, PAGING_EXPECTED
from tests.portal.server import start_portal

REPO = Path(__file__).resolve().parent.parent
REGISTRY = REPO / "tests" / "portal" / "paging_registry.csv"
# Reports on 2023 or later count as recent, whatever year the tests run in: the 2021 report
# alone leaves www.dexing.gov.cn without one.
YEARS_BACK = dt.date.today().year - 2023


def crawl(proxy: str, db_url: str, log: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "https_proxy")}
    env["http_proxy"] = proxy
    command = [
        sys.executable, "-m", "scrapy", "crawl", "reports",
        "-a", f"registry={REGISTRY}",
        "-s", f"NIANBAO_DB_URL={db_url}",
        "-s", "DOWNLOAD_DELAY=0",
        "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", f"LOG_FILE={log}",
        "-s", f"NIANBAO_SAFETY_NET_YEARS_BACK={YEARS_BACK}",
    ]  # fmt: skip
    subprocess.run(command, cwd=REPO, env=env, check=True, timeout=300)


# (method, URL, status) the portal answered, per run; filled by the `crawled` fixture.
REQUESTS: list[list[tuple[str, str, int]]] = []


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("paging")
    db_url = f"sqlite:///{folder / 'archive.sqlite'}"
    with start_portal() as portal:
        crawl(portal.proxy_url, db_url, folder / "first.log")
        first = len(portal.requests)
        portal.set_variant(EDITED_FIRST_PAGE)
        crawl(portal.proxy_url, db_url, folder / "second.log")
        REQUESTS[:] = [portal.requests[:first], portal.requests[first:]]
    yield db_url


def health(db_url: str, run: int) -> dict[str, HealthView]:
    engine = open_archive(db_url)
    with Session(engine) as session:
        views = list_health(session, run)
    engine.dispose()
    return {view.homepage: view for view in views}


def first_run_urls(status: int | None = None) -> set[str]:
    return {url for _, url, code in REQUESTS[0] if status is None or code == status}


def test_every_report_of_the_paging_sites_is_archived(crawled: str) -> None:
    engine = open_archive(crawled)
    with Session(engine) as session:
        found = {report.title: report.urls for report in list_reports(session)}
    engine.dispose()
    assert {title: (url,) for title, url in PAGING_EXPECTED.items()} == found


def test_shtml_pages_come_from_the_script_pager_not_a_guessed_html(crawled: str) -> None:
    fetched = first_run_urls(200)
    assert "http://www.xishui.gov.cn/zwgk/fzzfjs/index_2.shtml" in fetched
    assert not any(url.endswith("index_1.html") for url in first_run_urls())


def test_script_xml_pages_by_page_num_and_by_next_group(crawled: str) -> None:
    fetched = first_run_urls(200)
    assert "http://www.yushan.gov.cn/col/col5231/index.html?uid=41231&pageNum=3" in fetched
    # ?uid=&pageNum= only repeats page 1 of this column: the <nextgroup> link comes next.
    assert any("dataproxy.jsp?page=1" in url and "columnid=5240" in url for url in fetched)


def test_script_xml_pages_by_the_post_proxy_when_the_get_ways_fail(crawled: str) -> None:
    proxy = "http://www.yushan.gov.cn/module/web/jpage/dataproxy.jsp"
    assert any(
        (method, status) == ("POST", 200) and url.startswith(proxy + "?startrecord=4&")
        for method, url, status in REQUESTS[0]
    )


def test_department_catalogue_is_walked_by_the_regular_crawl(crawled: str) -> None:
    wuyuan = health(crawled, 1)["http://www.wuyuan.gov.cn/"]
    assert wuyuan.reports_found == 2 and wuyuan.safety_net == ""


def test_safety_net_finds_a_report_past_the_hop_limit(crawled: str) -> None:
    dexing = health(crawled, 1)["http://www.dexing.gov.cn/"]
    assert dexing.safety_net == "no report on 2023 or later"
    assert dexing.safety_net_found == (PAGING_EXPECTED[DEXING_REPORT],)
    assert 0 < dexing.safety_net_pages <= 40


def test_broken_paging_calls_the_safety_net_which_says_what_it_tried(
    crawled: str, capsys: pytest.CaptureFixture[str]
) -> None:
    xishui = health(crawled, 1)["http://www.xishui.gov.cn/"]
    assert xishui.safety_net == "paging of http://www.xishui.gov.cn/zwgk/tzgg/ broke"
    assert xishui.safety_net_found == () and xishui.errors == 0
    assert nianbao(["--db", crawled, "health", "--run", "1"]) == 0
    out = capsys.readouterr().out
    assert "safety net (paging of http://www.xishui.gov.cn/zwgk/tzgg/ broke" in out
    assert "safety net tried:" in out


def test_guessed_pages_that_are_missing_are_not_failures(crawled: str) -> None:
    # index_1.shtml is an error page sent with 200: the next guess is asked all the same.
    assert "http://www.xishui.gov.cn/zwgk/tzgg/index_1.shtml" in first_run_urls(200)
    assert "http://www.xishui.gov.cn/zwgk/tzgg/index_2.shtml" in first_run_urls(404)
    assert all(view.errors == 0 for view in health(crawled, 1).values())


def test_recrawl_stops_at_a_later_page_that_is_unchanged(crawled: str) -> None:
    second = {(url, status) for _, url, status in REQUESTS[1]}
    column = "http://www.xishui.gov.cn/zwgk/fzzfjs/"
    assert (column, 200) in second and (column + "index_1.shtml", 304) in second
    assert not any(url == column + "index_2.shtml" for url, _ in second)


def test_recrawl_explores_nothing_again_and_costs_less(crawled: str) -> None:
    assert all(view.safety_net == "" for view in health(crawled, 2).values())
    assert len(REQUESTS[1]) < len(REQUESTS[0])


def test_health_json_lists_what_the_safety_net_tried(
    crawled: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert nianbao(["--db", crawled, "health", "--run", "1", "--json"]) == 0
    rows = {row["homepage"]: row for row in map(json.loads, capsys.readouterr().out.splitlines())}
    dexing = rows["http://www.dexing.gov.cn/"]
    assert dexing["safety_net_found"] == [PAGING_EXPECTED[DEXING_REPORT]]
    assert "http://www.dexing.gov.cn/xxgk/fdzdgknr/qtgk/ndbg/" in dexing["safety_net_tried"]
