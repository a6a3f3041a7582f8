"""The shared-frontier add-on changes the crawl only when a Redis URL is set."""

from __future__ import annotations

import pytest
from scrapy.settings import Settings

from crawler import settings as project_settings
from crawler.frontier import SharedFrontier


def _settings(**overrides: object) -> Settings:
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    SharedFrontier().update_settings(settings)
    return settings


def test_without_a_redis_url_nothing_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NIANBAO_REDIS_URL", raising=False)
    settings = _settings(DOWNLOAD_DELAY=2)
    assert settings["SCHEDULER"] == "scrapy.core.scheduler.Scheduler"
    assert settings.getfloat("DOWNLOAD_DELAY") == 2
    assert "crawler.politeness.HostLeaseMiddleware" not in settings["DOWNLOADER_MIDDLEWARES"]


def test_the_environment_turns_the_shared_frontier_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_REDIS_URL", "redis://127.0.0.1:6379/0")
    settings = _settings(NIANBAO_REDIS_RUN="r")
    assert settings["SCHEDULER"] == "crawler.frontier.SharedScheduler"
    assert settings["SCHEDULER_QUEUE_KEY"] == "nianbao:r:requests"


def test_the_delay_moves_to_redis_even_when_given_on_the_command_line() -> None:
    settings = _settings(NIANBAO_REDIS_URL="redis://127.0.0.1:6379/0", DOWNLOAD_DELAY=2)
    assert (settings.getfloat("NIANBAO_HOST_DELAY"), settings.getfloat("DOWNLOAD_DELAY")) == (2, 0)
