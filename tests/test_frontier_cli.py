"""`python -m crawler.frontier_cli`: a shared run's status, drain and reset, on the machine's
Redis under a key prefix of the test's own."""

from __future__ import annotations

import pytest
import redis

from crawler.frontier_cli import main
from tests.conftest import REDIS_URL


@pytest.fixture
def server(redis_prefix: str) -> redis.Redis:
    """A run `r` with two queued requests, one seen fingerprint and one live process."""
    server = redis.Redis.from_url(REDIS_URL)
    keys = f"{redis_prefix}:r:"
    server.zadd(f"{keys}requests", {b"first": 0, b"second": 0})
    server.sadd(f"{keys}fingerprints", "abc")
    server.set(f"{keys}seeded", "done")
    server.set(f"{keys}alive:host-1", "1", px=60_000)
    server.hset(f"{keys}inflight:host-1", "x", b"request")
    return server


def _run(command: str, prefix: str) -> int:
    return main([command, "--redis", REDIS_URL, "--prefix", prefix, "--run", "r"])


def test_status_shows_queue_and_processes(
    server: redis.Redis, redis_prefix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run("status", redis_prefix) == 0
    assert capsys.readouterr().out.splitlines()[:3] == [
        f"run {redis_prefix}:r: seeded done, 2 requests queued, 1 seen",
        "processes: 1 alive, 1 requests in flight",
        "  host-1: 1 in flight",
    ]


def test_drain_empties_the_queue_only(server: redis.Redis, redis_prefix: str) -> None:
    _run("drain", redis_prefix)
    assert server.zcard(f"{redis_prefix}:r:requests") == 0
    assert server.scard(f"{redis_prefix}:r:fingerprints") == 1


def test_reset_forgets_the_run(server: redis.Redis, redis_prefix: str) -> None:
    _run("reset", redis_prefix)
    assert list(server.scan_iter(match=f"{redis_prefix}:r:*")) == []
