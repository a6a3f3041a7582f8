"""gkmlpt-style sites (the Guangdong 政府信息公开目录 platform): `/gkmlpt/index` is a
script shell exposing `window._CONFIG = {SID: …}`; the list comes from the JSON API
`/gkmlpt/api/all/{cat}?page=N&sid=SID`; articles at /gkmlpt/content/N/N/post_ID.html."""

import json
from dataclasses import dataclass
from html import escape

from tests.portal.chrome import footer, paragraphs_html
from tests.portal.site import Article, Page, Site, SiteInfo, html_page, latest_first, robots_page


@dataclass(frozen=True)
class GkmlptStyle:
    sid: str
    page_size: int = 10


def article_path(article: Article) -> str:
    doc = article.doc_id
    return f"/gkmlpt/content/{doc // 1000}/{doc % 1000}/post_{doc}.html"


def build_gkmlpt_site(info: SiteInfo, articles: tuple[Article, ...], style: GkmlptStyle) -> Site:
    items = latest_first(articles)
    pages: dict[str, Page] = {"/robots.txt": robots_page(("/search/",))}
    pages["/"] = pages["/index.html"] = html_page(_home(info))
    pages["/gkmlpt/index"] = html_page(_shell(info, style))
    chunks = [items[i : i + style.page_size] for i in range(0, len(items), style.page_size)]
    for number, chunk in enumerate(chunks, start=1):
        pages[f"/gkmlpt/api/all/0?page={number}&sid={style.sid}"] = _api_page(
            info, chunk, len(items), style
        )
    for article in items:
        pages[article_path(article)] = _article_page(info, article)
    return Site(info.host, pages)


def _home(info: SiteInfo) -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{escape(info.name)}</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/gkmlpt/index">政府信息公开</a>
<a href="/zwdt/">政务动态</a></div>
{footer(info)}</body></html>"""


def _shell(info: SiteInfo, style: GkmlptStyle) -> str:
    # The real platform renders every list in the browser; the HTML holds no items.
    config = {"SID": style.sid, "SITE_NAME": info.name, "PAGE_SIZE": style.page_size}
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>政府信息公开_{escape(info.name)}</title>
<script>window._CONFIG = {json.dumps(config, ensure_ascii=False)};</script>
<script src="/gkmlpt/static/js/app.js"></script></head>
<body><div id="app"></div>{footer(info)}</body></html>"""


def _api_page(info: SiteInfo, chunk: tuple[Article, ...], total: int, style: GkmlptStyle) -> Page:
    articles = [
        {
            "id": a.doc_id,
            "title": a.title,
            "url": f"http://{info.host}{article_path(a)}",
            "publisher": a.source or info.name,
            "date": int(a.published.timestamp()) if a.published else None,
            "attachments": [],
        }
        for a in chunk
    ]
    body = {"total": total, "page_size": style.page_size, "articles": articles}
    newest = max((a.published for a in chunk if a.published), default=None)
    return Page(
        json.dumps(body, ensure_ascii=False).encode("utf-8"),
        "application/json; charset=utf-8",
        newest,
    )


def _article_page(info: SiteInfo, article: Article) -> Page:
    if article.published is None:
        raise ValueError(f"gkmlpt article {article.doc_id} needs a date")
    source = escape(article.source or info.name)
    text = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{escape(article.title)}_{escape(info.name)}</title></head><body>
<div class="classify"><table>
<tr><td>发布机构：</td><td>{source}</td><td>发布日期：</td><td>{article.published:%Y-%m-%d}</td></tr>
<tr><td>名称：</td><td colspan="3">{escape(article.title)}</td></tr></table></div>
<div class="article"><h1 class="title">{escape(article.title)}</h1>
<div class="info">来源：{source}　发布时间：{article.published:%Y-%m-%d %H:%M}</div>
<div class="article-content">{paragraphs_html(article.paragraphs)}</div></div>
{footer(info)}</body></html>"""
    return html_page(text, last_modified=article.published)
