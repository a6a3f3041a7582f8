"""The log an operator reads: a real crawl of the test portal and the trouble site gives
progress lines, one line per failed fetch with its host, no tracebacks, and a summary."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.fetch_errors import describe_fetch_failure
from crawler.operator_log import RoutineToDebug
from tests.portal.server import start_portal
from tests.test_end_to_end import REGISTRY, REPO, crawl

TROUBLE_REGISTRY = REPO / "tests" / "portal" / "trouble_registry.csv"


@pytest.fixture(scope="module")
def crawl_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("operator-log")
    registry = folder / "registry.csv"
    trouble_rows = TROUBLE_REGISTRY.read_text("utf-8").splitlines(keepends=True)[1:]
    registry.write_text(REGISTRY.read_text("utf-8") + "".join(trouble_rows), "utf-8")
    log = folder / "crawl.log"
    with start_portal() as portal:
        crawl(
            portal,
            f"sqlite:///{folder / 'archive.sqlite'}",
            log,
            "-a",
            f"registry={registry}",
            "-s",
            "NIANBAO_PROGRESS_INTERVAL=0.2",
            # The trouble registry's dead site is on loopback, reached directly on purpose.
            "-s",
            "NIANBAO_ALLOWED_NETWORKS=127.0.0.0/8",
            no_proxy="127.0.0.1",
        )
    yield log.read_text("utf-8")


def test_no_tracebacks(crawl_log: str) -> None:
    assert "Traceback" not in crawl_log


def test_unreachable_robots_txt_is_one_warning(crawl_log: str) -> None:
    lines = [line for line in crawl_log.splitlines() if "robots" in line and "]" in line]
    assert len(lines) == 1 and "robots.txt unreachable: 127.0.0.1:9:" in lines[0], lines


def test_each_failed_fetch_is_one_line_with_host_and_status(crawl_log: str) -> None:
    failures = [line for line in crawl_log.splitlines() if "fetch failed:" in line]
    assert any("www.trouble.gov.cn: HTTP 500" in line for line in failures)
    assert any("127.0.0.1: DownloadConnectionRefusedError" in line for line in failures)
    assert "Gave up retrying" not in crawl_log


def test_library_errors_without_url_are_not_at_info(crawl_log: str) -> None:
    assert "[trafilatura" not in crawl_log


def test_progress_lines(crawl_log: str) -> None:
    pattern = r"progress: \d+/10 portals done, \d+ pages, \d+ reports, \d+ failures"
    assert re.search(pattern, crawl_log)


def test_summary_reads_the_run_back(crawl_log: str) -> None:
    assert re.search(
        r"crawl run 1 finished after .*: 10/10 portals completed, \d+ pages, 9 new reports",
        crawl_log,
    )
    # The trouble site's five, and its garbage page whose charset is uncertain.
    assert re.search(r"failures: 6", crawl_log)
    # The dead site's homepage is a discovery page: its failure is filed as such.
    assert re.search(r"\d+  discovery +DownloadConnectionRefusedError", crawl_log)
    assert "portals with warnings: 0" in crawl_log


def failure_of(error: Exception) -> Failure:
    try:
        raise error
    except Exception:
        return Failure()


def test_http_error_line_names_status() -> None:
    url = "http://www.x.gov.cn/a.html"
    response = Response(url, status=404, request=Request(url))
    line = describe_fetch_failure(url, failure_of(HttpError(response, "Ignoring non-200")))
    assert line == f"www.x.gov.cn: HTTP 404 ({url})"


def test_network_error_line_names_class() -> None:
    line = describe_fetch_failure("http://x.gov.cn/", failure_of(TimeoutError("took 30 s")))
    assert line == "x.gov.cn: TimeoutError: took 30 s (http://x.gov.cn/)"


def record(name: str, message: str, level: int = logging.ERROR) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, message, (), None)


def test_routine_library_message_becomes_debug_and_is_hidden_at_info() -> None:
    handler = logging.Handler(logging.INFO)
    routine = record("trafilatura.core", "empty HTML tree: None")
    assert not RoutineToDebug(handler).filter(routine)
    assert routine.levelname == "DEBUG"


def test_other_messages_pass_unchanged() -> None:
    handler = logging.Handler(logging.INFO)
    kept = record("scrapy.downloadermiddlewares.retry", "Retrying <GET http://x/>")
    assert RoutineToDebug(handler).filter(kept) and kept.levelno == logging.ERROR


def test_page_budget_warning_once_per_portal() -> None:
    handler = logging.Handler(logging.INFO)
    routine = RoutineToDebug(handler)

    def budget(homepage: str, url: str) -> logging.LogRecord:
        return logging.LogRecord(
            "reports", logging.WARNING, __file__, 1, "page budget spent for %s; skipping %s",
            (homepage, url), None,
        )  # fmt: skip

    assert routine.filter(budget("http://a.gov.cn/", "http://a.gov.cn/1"))
    assert not routine.filter(budget("http://a.gov.cn/", "http://a.gov.cn/2"))
    assert routine.filter(budget("http://b.gov.cn/", "http://b.gov.cn/1"))
