"""Shared fixtures: archives on SQLite files and, where the machine has one, on PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from archive.db import open_archive

POSTGRES_URL = os.environ.get(
    "NIANBAO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# CI sets this so that a missing service fails the run instead of skipping its tests.
REQUIRE_SERVICES = os.environ.get("NIANBAO_REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (NIANBAO_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'archive.sqlite'}"


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    engine = open_archive(sqlite_url)
    yield engine
    engine.dispose()


def _reset_postgres(url: str) -> None:
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    admin.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    try:
        _reset_postgres(POSTGRES_URL)
    except Exception as error:  # no server, no driver, no database: all mean "not here"
        skip_or_fail(f"PostgreSQL not available at {POSTGRES_URL}: {type(error).__name__}")
    yield POSTGRES_URL
    _reset_postgres(POSTGRES_URL)
