"""A page whose charset is a guess is logged with its URL and kept as a failure, not dropped."""

import asyncio
import logging
from pathlib import Path

import opencc
import pytest
from scrapy.settings import Settings

from crawler import settings as project_settings
from crawler.items import FetchFailure, ReportPage
from crawler.pipelines.classify import ClassifyPipeline
from crawler.pipelines.extract import ExtractPipeline
from crawler.worker_pool import ParsingPool, PoolLimits

URL = "http://www.example.gov.cn/art/1.html"


def extract(item: ReportPage) -> object:
    """The extract pipeline, as a crawl runs it: the page parsed in the crawl's worker pool."""
    pool = ParsingPool(PoolLimits.from_settings(Settings(vars(project_settings))))
    return asyncio.run(ExtractPipeline(pool).process_item(item))


# Neither UTF-8 nor any one legacy encoding: a page stitched from two.
MIXED = (
    "<p>法治政府建设年度报告</p>".encode("gb18030") * 40
    + "<p>法治政府建設年度報告</p>".encode("big5") * 40
    + bytes(range(128, 256)) * 8
)


SEED = (Path(__file__).parent / "fixtures" / "seeds" / "seed_003_lanzhou.txt").read_text(
    encoding="utf-8"
)
REPORT_PAGE = (
    f"<html><head><title>{SEED.splitlines()[0]}</title></head>"
    f"<body><h1>{SEED.splitlines()[0]}</h1><div>{SEED}</div></body></html>"
)


def run_pipelines(body: bytes) -> object:
    item = ReportPage(url=URL, status=200, body=body, portal_homepage="http://www.example.gov.cn/")
    return ClassifyPipeline().process_item(extract(item))


def test_uncertain_charset_is_logged_with_its_url(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        run_pipelines(MIXED)
    assert any(
        URL in r.getMessage() and "uncertain charset" in r.getMessage() for r in caplog.records
    )


def test_uncertain_charset_becomes_a_failure_row_not_a_drop() -> None:
    failure = run_pipelines(MIXED)
    assert isinstance(failure, FetchFailure)
    assert (failure.url, failure.stage) == (URL, "charset")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_unlabelled_utf16_report_is_kept(codec: str) -> None:
    page = run_pipelines(REPORT_PAGE.encode(codec))
    assert isinstance(page, ReportPage) and page.verdict is not None and page.verdict.is_report


def test_unlabelled_big5_report_is_read_right() -> None:
    # OpenCC writes a few characters Big5 lacks (爲 for 為); those are left out.
    body = opencc.OpenCC("s2t").convert(REPORT_PAGE).encode("big5", errors="ignore")
    title = opencc.OpenCC("s2t").convert(SEED.splitlines()[0])
    item = ReportPage(url=URL, status=200, body=body, portal_homepage="")
    page = extract(item)
    assert isinstance(page, ReportPage) and page.extracted is not None
    assert page.extracted.title == title
    assert (page.extracted.charset, page.extracted.charset_confident) == ("big5hkscs", True)


def test_unlabelled_big5_report_is_kept_as_a_report() -> None:
    body = opencc.OpenCC("s2t").convert(REPORT_PAGE).encode("big5", errors="ignore")
    item = extract(ReportPage(url=URL, status=200, body=body, portal_homepage=""))
    assert isinstance(item, ReportPage)
    assert ClassifyPipeline().process_item(item) is item  # not dropped: a report
