"""A site's own search (TRS was5, Hanweb jsearchfront): every article whose title or text
holds the term, newest first, one result page, as such searches answer."""

from collections.abc import Mapping
from html import escape

from tests.portal.site import Article, Page, html_page, latest_first

RESULTS_PER_PAGE = 10


def search_results_page(site_name: str, articles: Mapping[str, Article], term: str) -> Page | None:
    """`articles` maps each article's path to it; None (a 404) without a term."""
    if not term:
        return None
    by_article = {id(article): path for path, article in articles.items()}
    hits = [
        article
        for article in latest_first(tuple(articles.values()))
        if term in article.title or any(term in p for p in article.paragraphs)
    ]
    rows = "".join(
        f'<div class="result"><a href="{by_article[id(a)]}" target="_blank">{escape(a.title)}</a>'
        f'<span class="date">{a.published:%Y-%m-%d}</span></div>'
        for a in hits[:RESULTS_PER_PAGE]
        if a.published is not None
    )
    return html_page(f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>检索结果_{escape(site_name)}</title></head><body>
<div class="search-info">共找到{len(hits)}条与“{escape(term)}”相关的结果</div>
<div class="results">{rows}</div></body></html>""")
