"""The User-Agent is ASCII: name, version, project URL and the operator's contact."""

import importlib
from collections.abc import Iterator

import pytest

import crawler.settings


def reload_settings(monkeypatch: pytest.MonkeyPatch, contact: str) -> str:
    monkeypatch.setenv("NIANBAO_CONTACT", contact)
    try:
        return importlib.reload(crawler.settings).USER_AGENT
    finally:
        monkeypatch.delenv("NIANBAO_CONTACT")


@pytest.fixture(autouse=True)
def restore_settings() -> Iterator[None]:
    yield
    importlib.reload(crawler.settings)


def test_user_agent_is_ascii_with_project_url(monkeypatch: pytest.MonkeyPatch) -> None:
    agent = reload_settings(monkeypatch, "")
    assert agent.isascii() and agent.startswith("nianbao/0.")
    assert f"(+{crawler.settings.NIANBAO_PROJECT_URL})" in agent


def test_user_agent_carries_the_contact(monkeypatch: pytest.MonkeyPatch) -> None:
    assert reload_settings(monkeypatch, "ops@example.org").endswith("; ops@example.org)")


def test_non_ascii_contact_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="must be ASCII"):
        reload_settings(monkeypatch, "司法局")
