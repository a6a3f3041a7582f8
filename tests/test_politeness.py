"""Host leases in Redis (crawler/politeness.py), with two middlewares standing for two crawler
processes: a host has one request in flight, the next leaves a delay after the answer, and a
dead process's lease does not block its host."""

from __future__ import annotations

import asyncio
import time

import redis
from scrapy.http import Request, Response

from crawler.politeness import HostLeaseMiddleware
from tests.conftest import REDIS_URL

DELAY = 0.2
TIMEOUT = 30.0


def _process(prefix: str, name: str, alive: bool = True) -> HostLeaseMiddleware:
    server = redis.Redis.from_url(REDIS_URL)
    heartbeat = f"{prefix}:alive:{name}"
    if alive:
        server.set(heartbeat, "1", px=60_000)
    return HostLeaseMiddleware(server, f"{prefix}:host:", heartbeat, DELAY, TIMEOUT)


def _answer(process: HostLeaseMiddleware, request: Request) -> None:
    process.process_response(request, Response(request.url))


def test_a_second_process_waits_for_the_answer_and_then_the_delay(redis_prefix: str) -> None:
    first, second = _process(redis_prefix, "one"), _process(redis_prefix, "two")
    a, b = Request("http://sfj.example.gov.cn/a"), Request("http://sfj.example.gov.cn/b")

    async def scenario() -> float:
        await first.process_request(a)
        waiting = asyncio.ensure_future(second.process_request(b))
        await asyncio.sleep(DELAY * 3)
        assert not waiting.done(), "a second request left while the first was unanswered"
        _answer(first, a)
        answered = time.monotonic()
        await waiting
        return time.monotonic() - answered

    assert asyncio.run(scenario()) >= DELAY


def test_requests_of_one_process_queue_for_their_host(redis_prefix: str) -> None:
    process = _process(redis_prefix, "one")
    a, b = Request("http://sfj.example.gov.cn/a"), Request("http://sfj.example.gov.cn/b")

    async def scenario() -> bool:
        await process.process_request(a)
        waiting = asyncio.ensure_future(process.process_request(b))
        await asyncio.sleep(DELAY * 2)
        held_back = not waiting.done()
        process.process_exception(a, TimeoutError())  # a failed download frees the host too
        await waiting
        return held_back

    assert asyncio.run(scenario())


def test_other_hosts_are_not_held_back(redis_prefix: str) -> None:
    first, second = _process(redis_prefix, "one"), _process(redis_prefix, "two")

    async def scenario() -> None:
        await first.process_request(Request("http://sfj.example.gov.cn/a"))
        await asyncio.wait_for(
            second.process_request(Request("http://www.example.gov.cn/a")), timeout=DELAY
        )

    asyncio.run(scenario())


def test_the_lease_of_a_dead_process_is_taken_over(redis_prefix: str) -> None:
    dead, alive = _process(redis_prefix, "dead", alive=False), _process(redis_prefix, "alive")

    async def scenario() -> None:
        await dead.process_request(Request("http://sfj.example.gov.cn/a"))  # never answered
        await asyncio.wait_for(
            alive.process_request(Request("http://sfj.example.gov.cn/b")), timeout=DELAY
        )

    asyncio.run(scenario())


def test_a_lease_outlives_no_download(redis_prefix: str) -> None:
    process = _process(redis_prefix, "one")
    asyncio.run(process.process_request(Request("http://sfj.example.gov.cn/a")))
    server = redis.Redis.from_url(REDIS_URL)
    life_ms = server.pttl(f"{redis_prefix}:host:sfj.example.gov.cn:lease")
    assert 0 < life_ms <= (TIMEOUT + DELAY) * 1000
