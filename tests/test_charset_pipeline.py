"""A page whose charset is a guess is logged with its URL and kept as a failure, not dropped."""

import logging

import pytest

from crawler.items import FetchFailure, ReportPage
from crawler.pipelines.classify import ClassifyPipeline
from crawler.pipelines.extract import ExtractPipeline

URL = "http://www.example.gov.cn/art/1.html"
# Neither UTF-8 nor any one legacy encoding: a page stitched from two.
MIXED = (
    "<p>法治政府建设年度报告</p>".encode("gb18030") * 40
    + "<p>法治政府建設年度報告</p>".encode("big5") * 40
    + bytes(range(128, 256)) * 8
)


def run_pipelines(body: bytes) -> object:
    item = ReportPage(url=URL, status=200, body=body, portal_homepage="http://www.example.gov.cn/")
    return ClassifyPipeline().process_item(ExtractPipeline().process_item(item))


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
