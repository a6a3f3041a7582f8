"""The shape of a column's list page (how many items it links, whether it has a pager) and
the warnings when a column's shape breaks between runs: a changed template, not an empty
column, is the usual cause."""

from __future__ import annotations

from dataclasses import dataclass

from crawler.discovery.links import ARTICLE_URL, Link
from crawler.discovery.pagination import has_pager


@dataclass(frozen=True)
class ListShape:
    items: int  # linked list items: article URLs of the CMS families, or dated entries
    has_pager: bool


def read_list_shape(html: str, links: list[Link], dated_items: int) -> ListShape:
    article_links = len({link.url for link in links if ARTICLE_URL.search(link.url)})
    return ListShape(max(article_links, dated_items), has_pager(html, links))


def is_thin(shape: ListShape) -> bool:
    """A shape that may be a broken one: no items, or no pager."""
    return shape.items == 0 or not shape.has_pager


def shape_warnings(url: str, before: ListShape, now: ListShape) -> list[str]:
    """What broke since `before`: all its items gone, or its pager."""
    warnings = []
    if before.items > 0 and now.items == 0:
        warnings.append(
            f"column {url} lists no items, {before.items} before: its template may have changed"
        )
    if before.has_pager and not now.has_pager:
        warnings.append(f"column {url} lost its pager: later pages are no longer reached")
    return warnings
