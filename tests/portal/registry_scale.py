"""The registry-scale test portal: hundreds of generated county and department sites (a
homepage and a column or two of look-alike notices), every 25th reposting a real report, with
the real report sites of `registry.csv` among them; and the registry CSV that crawls them."""

from __future__ import annotations

import csv
import random
from datetime import datetime
from pathlib import Path

from tests.portal import filler
from tests.portal.fixtures import anzhou_2022_body
from tests.portal.generic_site import GenericStyle, build_generic_site
from tests.portal.site import Article, Column, Site, SiteInfo
from tests.portal.sites import ANZHOU_REPORT_TITLE, ANZHOU_SOURCE, build_sites

REAL_REGISTRY = Path(__file__).parent / "registry.csv"
# One generated site in this many reposts the Anzhou 2022 report: the same report reached by
# several crawler processes at about the same time (one report, many sightings).
REPOST_EVERY = 25
REGISTRY_COLUMNS = ("name", "homepage", "level", "division_code")


def generated_host(number: int) -> str:
    return f"www.gen{number:04d}.gov.cn"


def _region(number: int) -> str:
    return f"示例{number:04d}县"


def _article(
    doc_id: int, text: tuple[str, tuple[str, ...]], when: datetime, source: str | None = None
) -> Article:
    title, paragraphs = text
    return Article(doc_id, title, when, source, paragraphs)


def _filler_column(number: int, rng: random.Random) -> Column:
    region, office = _region(number), f"{_region(number)}人民政府办公室"
    years = rng.sample(range(2019, 2026), rng.randint(2, 5))
    articles = [
        _article(10_000 + year, filler.work_points(region, year), datetime(year, 3, 10), office)
        if year % 2
        else _article(
            20_000 + year, filler.disclosure_report(region, year), datetime(year, 1, 20), office
        )
        for year in years
    ]
    if number % REPOST_EVERY == 0:
        articles.append(
            Article(
                30_001,
                ANZHOU_REPORT_TITLE,
                datetime(2023, 2, 1, 9, 0),
                ANZHOU_SOURCE,
                anzhou_2022_body(),
            )
        )
    return Column("fdzdgknr", "法定主动公开内容", tuple(articles))


def _generated_site(number: int, rng: random.Random) -> Site:
    info = SiteInfo(
        generated_host(number),
        f"{_region(number)}人民政府",
        f"{_region(number)}人民政府办公室",
        f"99{number:04d}0001",
        f"示ICP备{number:08d}号",
    )
    columns = [_filler_column(number, rng)]
    if rng.random() < 0.5:  # about half show a second, unrelated news column
        news = tuple(
            _article(
                40_000 + year, filler.meeting_news(_region(number), year), datetime(year, 5, 1)
            )
            for year in (2023, 2024)
        )
        columns.append(Column("zwdt", "政务动态", news))
    return build_generic_site(info, tuple(columns), GenericStyle(per_page=10))


def build_scale_sites(count: int, seed: int = 11) -> dict[str, Site]:
    """`count` generated sites plus every site of the ordinary test portal, keyed by host."""
    rng = random.Random(seed)
    sites = build_sites()
    for number in range(1, count + 1):
        site = _generated_site(number, rng)
        sites[site.host] = site
    return sites


def write_scale_registry(path: Path, count: int) -> int:
    """Write the registry of `count` generated portals and the real report sites; return the
    number of rows. Division codes are made up (99xxxx: no real division)."""
    with REAL_REGISTRY.open(encoding="utf-8", newline="") as handle:
        real = list(csv.DictReader(handle))
    rows = [
        {
            "name": f"{_region(n)}人民政府",
            "homepage": f"http://{generated_host(n)}/",
            "level": "county",
            "division_code": f"{990000 + n:06d}",
        }
        for n in range(1, count + 1)
    ]
    # The real sites spread through the registry rather than bunched at its top.
    step = max(1, len(rows) // (len(real) + 1))
    for index, row in enumerate(real, start=1):
        rows.insert(index * step + index - 1, {c: row[c] for c in REGISTRY_COLUMNS})
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=REGISTRY_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)
