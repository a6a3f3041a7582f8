"""robots.txt read once per shared run: the first process to fetch a host's robots.txt leaves
its body in Redis, and the other processes of the run parse that copy instead of asking the
host again (without it, every process that reaches a host asks it for robots.txt)."""

from __future__ import annotations

from redis import Redis
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from crawler.frontier import RUN_KEYS_SETTING
from crawler.robots import QuietRobotsTxtMiddleware

# A run lasts hours to days; a copy kept longer would outlive a site's own changes.
COPY_SECONDS = 7 * 24 * 3600


class SharedRobotsTxtMiddleware(QuietRobotsTxtMiddleware):
    """Takes the place of QuietRobotsTxtMiddleware when the shared frontier is on."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        keys = crawler.settings.get(RUN_KEYS_SETTING)
        if not keys:
            raise NotConfigured("no shared frontier")
        self.server = Redis.from_url(crawler.settings.get("REDIS_URL"))
        self.copies = f"{keys}robots:"

    async def robot_parser(self, request: Request) -> RobotParser | None:
        url = urlparse_cached(request)
        if url.netloc not in self._parsers:
            body = self.server.get(self.copies + url.netloc)
            if body is not None:
                self._parsers[url.netloc] = Deferred()
                copy = Response(f"{url.scheme}://{url.netloc}/robots.txt", body=bytes(body))  # type: ignore[arg-type]
                await self._parse_robots(copy, url.netloc, request)
        return await super().robot_parser(request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        self.server.set(self.copies + netloc, response.body, ex=COPY_SECONDS, nx=True)
        await super()._parse_robots(response, netloc, request)
