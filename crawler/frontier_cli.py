"""`python -m crawler.frontier_cli status|drain|reset`: watch and manage a shared run (see
crawler/frontier.py): its queue, its processes and, from the archive, the union of their runs."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from redis import Redis
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.db import ArchiveError, open_archive_for_reading
from archive.models import CrawlRun
from crawler.frontier import REDIS_URL_SETTING, heartbeat_key, run_keys


def _workers(server: Redis, keys: str) -> dict[str, int]:
    """Live processes of the run and the requests each holds."""
    workers: dict[str, int] = {}
    for key in server.scan_iter(match=f"{keys}alive:*"):
        workers[key.decode().removeprefix(f"{keys}alive:")] = 0
    for key in server.scan_iter(match=f"{keys}inflight:*"):
        worker = key.decode().removeprefix(f"{keys}inflight:")
        if server.exists(heartbeat_key(keys, worker)):
            workers[worker] = int(server.hlen(key))
    return workers


def _run_ids(server: Redis, keys: str) -> list[int]:
    return sorted(int(member) for member in server.smembers(f"{keys}runs"))


def print_archive_union(db_url: str | None, run_ids: list[int]) -> None:
    """The shared run as the archive holds it: one run row per process, summed."""
    if not run_ids:
        return
    try:
        engine = open_archive_for_reading(db_url)
    except ArchiveError as error:
        print(f"archive: {error}")
        return
    with Session(engine) as session:
        pages, reports, sightings, failures, finished = session.execute(
            select(
                func.sum(CrawlRun.pages_fetched),
                func.sum(CrawlRun.reports_new),
                func.sum(CrawlRun.sightings_new),
                func.sum(CrawlRun.failures),
                func.count(CrawlRun.finished_at),
            ).where(CrawlRun.id.in_(run_ids))
        ).one()
    engine.dispose()
    print(
        f"archive: runs {', '.join(map(str, run_ids))} ({finished} ended): {pages or 0} pages, "
        f"{reports or 0} new reports, {sightings or 0} new sightings, {failures or 0} failures"
    )


def cmd_status(server: Redis, keys: str, db_url: str | None) -> None:
    seeded = server.get(f"{keys}seeded")
    state = bytes(seeded).decode() if seeded else "not yet"  # type: ignore[arg-type]
    queued, seen = server.zcard(f"{keys}requests"), server.scard(f"{keys}fingerprints")
    print(f"run {keys.rstrip(':')}: seeded {state}, {queued} requests queued, {seen} seen")
    workers = _workers(server, keys)
    print(f"processes: {len(workers)} alive, {sum(workers.values())} requests in flight")
    for worker, holding in sorted(workers.items()):
        print(f"  {worker}: {holding} in flight")
    print_archive_union(db_url, _run_ids(server, keys))


def cmd_drain(server: Redis, keys: str) -> None:
    """Empty the queue: the processes finish what they hold, then end (finished)."""
    dropped = server.zcard(f"{keys}requests")
    server.delete(f"{keys}requests")
    print(f"drained {dropped} queued requests of {keys.rstrip(':')}")


def cmd_reset(server: Redis, keys: str) -> None:
    """Forget the run: queue, fingerprints, seeding, in-flight requests; the next process to
    start seeds it again from the registry."""
    names = list(server.scan_iter(match=f"{keys}*"))
    if names:
        server.delete(*names)
    print(f"reset {keys.rstrip(':')}: {len(names)} keys deleted")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m crawler.frontier_cli", description=__doc__)
    parser.add_argument("command", choices=("status", "drain", "reset"))
    parser.add_argument("--redis", default=os.environ.get(REDIS_URL_SETTING, ""), help="Redis URL")
    parser.add_argument("--prefix", default="nianbao", help="NIANBAO_REDIS_PREFIX of the run")
    parser.add_argument("--run", default="", help="NIANBAO_REDIS_RUN (default: today, UTC)")
    parser.add_argument("--db", default=os.environ.get("NIANBAO_DB_URL"), help="archive URL")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not args.redis:
        print(f"no Redis URL: give --redis or set ${REDIS_URL_SETTING}", file=sys.stderr)
        return 2
    server = Redis.from_url(args.redis)
    keys = run_keys(args.prefix, args.run)
    if args.command == "status":
        cmd_status(server, keys, args.db)
    elif args.command == "drain":
        cmd_drain(server, keys)
    else:
        cmd_reset(server, keys)
    return 0


if __name__ == "__main__":
    sys.exit(main())
