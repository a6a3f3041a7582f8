"""What the variant sites' columns hold besides their reports (the look-alikes every column
mixes in), and how a column is cut into list pages (newest first, as CMS lists are)."""

from datetime import datetime

from tests.portal import filler
from tests.portal.site import Article, latest_first


def look_alike(
    doc_id: int, text: tuple[str, tuple[str, ...]], when: datetime, source: str
) -> Article:
    title, paragraphs = text
    return Article(doc_id, title, when, source, paragraphs)


def yearly_look_alikes(
    first_id: int, region: str, years: range, source: str
) -> tuple[Article, ...]:
    """A column's yearly regulars: each year's 工作要点 (March) and the previous year's
    信息公开年报 (January)."""
    items = []
    for offset, year in enumerate(years):
        items.append(
            look_alike(
                first_id + 2 * offset,
                filler.work_points(region, year),
                datetime(year, 3, 12, 9, 30),
                source,
            )
        )
        items.append(
            look_alike(
                first_id + 2 * offset + 1,
                filler.disclosure_report(region, year - 1),
                datetime(year, 1, 22, 9, 0),
                source,
            )
        )
    return tuple(items)


def pages_of(items: tuple[Article, ...], per_page: int) -> list[tuple[Article, ...]]:
    ordered = latest_first(items)
    return [ordered[i : i + per_page] for i in range(0, len(ordered), per_page)] or [()]
