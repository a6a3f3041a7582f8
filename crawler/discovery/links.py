"""Link scoring: which links on a portal page lead towards report columns or reports."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree
from parsel import Selector

from archive.numerals import YEAR_LABEL
from crawler.classify import is_candidate_title
from crawler.file_kinds import DOWNLOAD_KINDS, is_file_of

# Anchor words of columns where reports are published (DESIGN.md), weighted by how
# directly they lead to a report. Found by reading real portals' navigation.
COLUMN_WORDS = {
    "法治政府": 6,
    # A 司法局's or department's column, and the 依法治市/区/县 office's.
    "法治建设": 5,
    "依法治": 3,
    "年度报告": 4,
    "工作报告": 3,
    "法定主动公开": 3,
    "主动公开": 2,
    "政府信息公开": 2,
    "信息公开": 2,
    # The portal's top entry to its disclosure pages, named so where its URL is no pinyin
    # (/col/col123/index.html); and the catalogue's category of plans and summaries.
    "政务公开": 2,
    "计划总结": 2,
    "工作总结": 2,
    "通知公告": 2,
    "公示公告": 2,
    "公告公示": 2,
    "依法行政": 3,
    "政务动态": 1,
    # News columns carry reposts: a city portal's 区县动态/部门动态 repeats its districts'
    # and departments' reports.
    "动态": 1,
    "区县": 1,
    "部门": 1,
    "专题": 1,
}
# Column paths are often pinyin initials of the column name.
COLUMN_URL_WORDS = {
    "fzzf": 6,
    "fzjs": 5,
    "yfxz": 3,
    "jhzj": 2,
    "gzzj": 2,
    "ndbg": 4,
    "gzbg": 3,
    "fdzdgknr": 3,
    "zfxxgk": 2,
    "xxgk": 2,
    "zwgk": 2,
    "tzgg": 2,
    "gsgg": 2,
}
# A column needs at least one real hint; a lone 专题 or 政务动态 is not enough.
MIN_COLUMN_SCORE = 2
# A report's title names its year; a column named 法治政府建设年度报告 does not.
TITLE_YEAR = re.compile(YEAR_LABEL)
# Article URLs of the CMS families (TRS, Hanweb, generic, gkmlpt): never columns.
ARTICLE_URL = re.compile(r"/t\d{8}_\d+\.|/art/\d{4}/|/content_\d+\.|/post_\d+\.")
# Pager links share the column's path (and so its URL score) but lead to the same column.
PAGER_WORDS = frozenset({"首页", "上一页", "上页", "下一页", "下页", "后一页", "尾页", "末页"})
# A portal's homepage or a long column page links a few hundred pages; a page with more
# than this is a link farm or an attack, and only its first links are read.
MAX_LINKS_PER_PAGE = 2000

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Link:
    url: str
    text: str


def page_links(selector: Selector, base_url: str) -> list[Link]:
    """Every http(s) link on the page, with its best label (title attribute over anchor text);
    only the first MAX_LINKS_PER_PAGE anchors of a page are read."""
    links = []
    # One past the cap is selected, to tell a page at the cap from one over it.
    anchors = selector.xpath(
        f"(descendant-or-self::a[@href])[position() <= {MAX_LINKS_PER_PAGE + 1}]"
    )
    if len(anchors) > MAX_LINKS_PER_PAGE:
        logger.warning("%s has over %d links: reading the first ones", base_url, MAX_LINKS_PER_PAGE)
    for anchor in anchors[:MAX_LINKS_PER_PAGE]:
        element = anchor.root
        href = (element.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        url = urljoin(base_url, href).split("#")[0]
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        label = element.get("title") or element_text(element)
        links.append(Link(url=url, text=" ".join(label.split())))
    return links


def element_text(element: etree._Element) -> str:
    """An element's text nodes joined by spaces, as `" ".join(selector.css("::text").getall())`
    gives it, read from lxml directly: a selector query per link cost a quarter of reading a
    list page."""
    return " ".join(element.itertext())


def column_score(link: Link) -> int:
    score = sum(weight for word, weight in COLUMN_WORDS.items() if word in link.text)
    path = urlsplit(link.url).path.lower()
    return score + sum(weight for word, weight in COLUMN_URL_WORDS.items() if word in path)


def is_candidate_report_link(link: Link) -> bool:
    """Titles that look like a report; a truncated title ("…") is followed when it could be one."""
    if is_file_of(urlsplit(link.url).path, DOWNLOAD_KINDS):
        return False
    if is_candidate_title(link.text):
        return TITLE_YEAR.search(link.text) is not None
    truncated = link.text.endswith(("...", "…"))
    return truncated and ("法治" in link.text or "依法行政" in link.text)


def best_columns(links: list[Link], limit: int) -> list[Link]:
    """The most promising column links, best first; a title naming a year is an article."""
    scored = [
        (column_score(link), link)
        for link in links
        if not TITLE_YEAR.search(link.text)
        and not is_pager_link(link)
        and not ARTICLE_URL.search(link.url)
    ]
    promising = [(s, link) for s, link in scored if s >= MIN_COLUMN_SCORE]
    promising.sort(key=lambda pair: -pair[0])
    return [link for _, link in promising[:limit]]


def is_pager_link(link: Link) -> bool:
    return link.text in PAGER_WORDS or link.text.isdigit()


def site_host(url: str) -> str:
    """A portal's site as the registry names it: its homepage's host without `www.`."""
    return (urlsplit(url).hostname or "").removeprefix("www.")


def host_and_parents(host: str) -> list[str]:
    """`a.b.gov.cn`, `b.gov.cn`, `gov.cn`, `cn`: the sites a host may belong to, finest first."""
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]


def is_same_site(url: str, homepage: str) -> bool:
    """On the portal's host or one of its subdomains (county departments often live there)."""
    return site_host(homepage) in host_and_parents(urlsplit(url).hostname or "")
