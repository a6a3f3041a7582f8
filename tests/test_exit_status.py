"""The exit status of `scrapy crawl reports`: 0 when the run finished its work (or stopped at
a limit the operator set), 1 when it was interrupted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from crawler.commands.crawl import is_finished
from tests.portal.server import start_portal
from tests.test_end_to_end import REGISTRY, REPO


def test_finish_reasons() -> None:
    assert is_finished("finished") and is_finished("closespider_timeout")
    assert not is_finished("shutdown") and not is_finished(None)


def start_crawl(proxy_url: str, folder: Path, *settings: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env["http_proxy"] = proxy_url
    command = [
        sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"registry={REGISTRY}",
        "-s", f"NIANBAO_DB_URL=sqlite:///{folder / 'a.sqlite'}",
        "-s", f"LOG_FILE={folder / 'crawl.log'}", *settings,
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=REPO, env=env)


def test_interrupted_run_exits_1(tmp_path: Path) -> None:
    with start_portal() as portal:
        # The polite default delay keeps the crawl going long enough to interrupt it.
        child = start_crawl(portal.proxy_url, tmp_path)
        log = tmp_path / "crawl.log"
        while child.poll() is None and "new report" not in (
            log.read_text() if log.exists() else ""
        ):
            time.sleep(0.2)
        child.send_signal(signal.SIGINT)  # what Ctrl-C or a scheduler's first stop sends
        assert child.wait(timeout=120) == 1


def test_run_stopped_at_an_operator_limit_exits_0(tmp_path: Path) -> None:
    with start_portal() as portal:
        child = start_crawl(portal.proxy_url, tmp_path, "-s", "CLOSESPIDER_ITEMCOUNT=1")
        assert child.wait(timeout=120) == 0
