"""The scheduler's queue hands the downloader a host that may be asked now before one still
waiting out its delay, holds a request back until its host may be asked (waking the engine
then), and otherwise follows the portal order."""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.core.downloader import Slot
from scrapy.settings import Settings
from scrapy.squeues import FifoMemoryQueue

from crawler.portal_queue import PortalOrderQueue

DELAY = 1.0


class _Downloader:
    """The two things the queue asks of Scrapy's downloader: the slot key of a request and the
    slots with their last request's time."""

    def __init__(self) -> None:
        self.slots: dict[str, Slot] = {}
        self.active: set[Request] = set()

    def get_slot_key(self, request: Request) -> str:
        return urlsplit(request.url).hostname or ""

    def downloading(self, request: Request) -> None:
        """A request in the host's downloader slot (and so in the downloader)."""
        self.active.add(request)
        self.slots[self.get_slot_key(request)].active.add(request)

    def asked(self, host: str, seconds_ago: float) -> None:
        slot = self.slots.setdefault(host, Slot(concurrency=1, delay=DELAY, jitter=0))
        slot.lastseen = time.monotonic() - seconds_ago


class _NextCall:
    """The engine's "ask the scheduler again", as the queue reaches it."""

    def __init__(self) -> None:
        self.called = asyncio.Event()

    def schedule(self) -> None:
        self.called.set()


def _queue(downloader: _Downloader, next_call: _NextCall | None = None) -> PortalOrderQueue:
    engine = SimpleNamespace(downloader=downloader)
    if next_call is not None:
        engine._slot = SimpleNamespace(nextcall=next_call)
    crawler = SimpleNamespace(settings=Settings(), engine=engine)
    return PortalOrderQueue(crawler, FifoMemoryQueue, "")  # type: ignore[arg-type]


def _hosts(queue: PortalOrderQueue) -> list[str]:
    popped = []
    while (request := queue.pop()) is not None:
        popped.append(urlsplit(request.url).hostname)
    return popped


def test_a_ready_host_goes_before_one_waiting_out_its_delay() -> None:
    downloader = _Downloader()
    queue = _queue(downloader)
    queue.push(Request("http://due-first.gov.cn/", priority=10))
    queue.push(Request("http://due-later.gov.cn/", priority=1))
    downloader.asked("due-first.gov.cn", seconds_ago=0.1)
    downloader.asked("due-later.gov.cn", seconds_ago=DELAY * 2)
    assert _hosts(queue) == ["due-later.gov.cn", "due-first.gov.cn"]


def test_among_ready_hosts_the_portal_due_first_goes_first() -> None:
    downloader = _Downloader()
    queue = _queue(downloader)
    for host, priority in [("a.gov.cn", 1), ("b.gov.cn", 3), ("c.gov.cn", 2)]:
        queue.push(Request(f"http://{host}/", priority=priority))
    downloader.asked("c.gov.cn", seconds_ago=DELAY * 2)  # asked long ago: ready as never asked
    assert _hosts(queue) == ["b.gov.cn", "c.gov.cn", "a.gov.cn"]


def test_when_no_host_is_ready_the_one_ready_soonest_goes_first() -> None:
    downloader = _Downloader()
    queue = _queue(downloader)
    for host, seconds_ago in [("a.gov.cn", 0.1), ("b.gov.cn", 0.8), ("c.gov.cn", 0.5)]:
        queue.push(Request(f"http://{host}/"))
        downloader.asked(host, seconds_ago)
    assert _hosts(queue) == ["b.gov.cn", "c.gov.cn", "a.gov.cn"]


def test_a_host_with_a_request_in_the_downloader_waits_for_it() -> None:
    downloader = _Downloader()
    queue = _queue(downloader)
    queue.push(Request("http://busy.gov.cn/next", priority=10))
    queue.push(Request("http://idle.gov.cn/", priority=1))
    downloader.asked("busy.gov.cn", seconds_ago=DELAY * 2)
    downloader.downloading(Request("http://busy.gov.cn/"))
    assert _hosts(queue) == ["idle.gov.cn", "busy.gov.cn"]


def test_a_request_is_held_back_until_its_host_may_be_asked() -> None:
    downloader, next_call = _Downloader(), _NextCall()
    queue = _queue(downloader, next_call)
    queue.push(Request("http://cooling.gov.cn/"))
    downloader.asked("cooling.gov.cn", seconds_ago=DELAY - 0.2)

    async def scenario() -> tuple[Request | None, float, Request | None]:
        held = queue.pop()
        started = time.monotonic()
        await asyncio.wait_for(next_call.called.wait(), timeout=DELAY)
        return held, time.monotonic() - started, queue.pop()

    held, woken_after, popped = asyncio.run(scenario())
    assert held is None
    assert woken_after >= 0.1
    assert popped is not None and popped.url == "http://cooling.gov.cn/"


def test_a_host_busy_in_the_downloader_is_held_back() -> None:
    downloader, next_call = _Downloader(), _NextCall()
    queue = _queue(downloader, next_call)
    queue.push(Request("http://busy.gov.cn/next"))
    downloader.asked("busy.gov.cn", seconds_ago=DELAY * 2)
    downloader.downloading(Request("http://busy.gov.cn/"))

    async def scenario() -> Request | None:
        return queue.pop()

    assert asyncio.run(scenario()) is None
    assert len(queue) == 1


def test_a_host_whose_request_waits_in_the_middlewares_is_held_back() -> None:
    """Its first requests wait for robots.txt before they reach the host's downloader slot;
    handing over the next ones then would start them all at once when robots.txt comes."""
    downloader, next_call = _Downloader(), _NextCall()
    queue = _queue(downloader, next_call)
    queue.push(Request("http://new.gov.cn/"))
    queue.push(Request("http://new.gov.cn/column/"))

    async def scenario() -> tuple[Request | None, Request | None]:
        first = queue.pop()
        assert first is not None
        downloader.active.add(first)  # in the middlewares: not yet in the slot's `active`
        held = queue.pop()
        downloader.active.discard(first)  # answered
        return held, queue.pop()

    held, second = asyncio.run(scenario())
    assert held is None
    assert second is not None and second.url == "http://new.gov.cn/column/"
