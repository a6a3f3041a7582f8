"""Shared fixtures: archives on SQLite files and, where the machine has one, on PostgreSQL."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import URL, Engine, create_engine, make_url, text

from archive.db import open_archive

POSTGRES_URL = os.environ.get(
    "NIANBAO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# CI sets this so that a missing service (or the browser the serve test drives) fails the run
# instead of skipping its tests.
REQUIRE_SERVICES = os.environ.get("NIANBAO_REQUIRE_SERVICES") == "1"
# Debian's packages: apt-get install chromium chromium-driver
CHROMIUM_PROGRAMS = ("chromium", "chromedriver")


def skip_or_fail(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (NIANBAO_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> tuple[str, str]:
    """The paths of Chromium and its WebDriver, for tests that drive a real browser."""
    chromium, driver = (shutil.which(program) for program in CHROMIUM_PROGRAMS)
    if chromium is None or driver is None:
        skip_or_fail("Chromium or chromedriver missing: apt-get install chromium chromium-driver")
    try:
        import selenium  # noqa: F401
    except ImportError:
        skip_or_fail("selenium is not installed (pip install -e '.[dev]')")
    return str(chromium), str(driver)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'archive.sqlite'}"


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    engine = open_archive(sqlite_url)
    yield engine
    engine.dispose()


def _admin_url(url: str) -> URL:
    return make_url(url).set(database="postgres")


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A database of this test run's own on the machine's PostgreSQL (dropped at the end), so
    that two runs on one server never touch each other's tables."""
    name = f"nianbao_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        admin = create_engine(_admin_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # no server, no driver, no rights: all mean "not here"
        skip_or_fail(f"PostgreSQL not available at {POSTGRES_URL}: {type(error).__name__}")
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def reset_schema(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """An empty archive database for one test, inside this run's own database."""
    reset_schema(postgres_server_url)
    yield postgres_server_url
    reset_schema(postgres_server_url)


REDIS_URL = os.environ.get("NIANBAO_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@contextmanager
def unique_redis_prefix() -> Iterator[str]:
    """A key prefix of its own on the machine's Redis (its keys deleted at the end), so that
    parallel test runs never share a queue."""
    import redis  # only the shared-frontier tests need it

    prefix = f"nianbao_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        server = redis.Redis.from_url(REDIS_URL)
        server.ping()
    except Exception as error:  # no server, no rights: both mean "not here"
        skip_or_fail(f"Redis not available at {REDIS_URL}: {type(error).__name__}")
    yield prefix
    for key in server.scan_iter(match=f"{prefix}:*"):
        server.delete(key)
    server.close()


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    with unique_redis_prefix() as prefix:
        yield prefix
