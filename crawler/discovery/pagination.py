"""Pagination of column lists, read from the pager the page itself shows, whatever CMS family
it comes from: 下一页 links, numbered page links, script pagers (TRS createPageHTML and page
count variables under any name and file extension), `_N` / `?page=N` URL patterns and
共N页 texts. Each page offers its next page as a list of guesses, best first; the spider
tries the next guess when one turns out wrong (404, or the previous page again)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector

from crawler.discovery.links import Link, element_text

NEXT_PAGE_WORDS = ("下一页", "下页", "后一页", "下一頁", ">", "›", "»", ">>", "next", "Next")
LAST_PAGE_WORDS = ("尾页", "末页", "最后一页", "尾頁")
# TRS WCM: createPageHTML(count, current, "index", "html"), in newer templates with the pager's
# element id first and the channel id last: createPageHTML('page_div', 5, 1, 'fg', 'shtml', 89).
# Other templates call their own pager function with the same (count, current, stem, extension).
SCRIPT_PAGER_CALL = re.compile(
    r"\b\w+\(\s*(?:['\"][\w-]*['\"]\s*,\s*)?['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,"
    r"\s*['\"]([\w-]+)['\"]\s*,\s*['\"](s?html?|jsp|php|aspx?)['\"]"
)
TRS_PAGER_CALL = re.compile(
    r"createPageHTML\(\s*(?:['\"][\w-]*['\"]\s*,\s*)?['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)"
)
# Page counts and current pages under whatever name a template gives them (TRS
# `var countPage = 5//共多少页`, pageCount, totalPage, page_count, intPageCount, maxPage, …),
# written `var x = 5`, `x: 5` or `x = "5"`: a name with "page" and a word for count or total.
# Visit counters (pageViewCount, pageHitTotal) and sizes are not page counts.
SCRIPT_PAGE_COUNT = re.compile(
    r"\b(?=\w*page)(?=\w*(?:count|total|max|all|sum))(?!\w*(?:view|visit|click|hit|read|size))"
    r"\w+\b['\"]?\s*[:=]\s*['\"]?(\d{1,4})\b",
    re.IGNORECASE,
)
SCRIPT_CURRENT_PAGE = re.compile(
    r"\b(?=\w*page)(?=\w*(?:cur|now|index|pageno\b|selected))\w+\b['\"]?\s*[:=]\s*['\"]?(\d+)",
    re.IGNORECASE,
)
# The page file a script pager writes: "index_" + nextPage + ".shtml".
SCRIPT_PAGE_FILE = re.compile(
    r"['\"]([\w-]+)_['\"]\s*\+\s*\(?\s*\w+(?:\s*[+-]\s*\d+)?\s*\)?\s*\+\s*"
    r"['\"]\.(?:['\"]\s*\+\s*['\"])?(\w+)\\?['\"]"
)
# 共5页, 共 5 页, 页次：1/5, 第1页/共5页, 1/5页.
TOTAL_PAGES_TEXT = re.compile(r"共\s*(?:<[^>]+>\s*)*(\d+)\s*(?:<[^>]+>\s*)*页")
PAGE_OF_TEXT = re.compile(r"(?:页次|第)\s*[:：]?\s*(\d+)\s*(?:页)?\s*/\s*(?:共\s*)?(\d+)\s*页?")
# Page numbers in URLs: index_2.html, list_12_2.html, list-9-2.html, ?page=2, &pageNum=2.
FILE_PAGE = re.compile(r"^(?P<stem>.*?[_-])(?P<number>\d+)(?P<ext>\.\w+)$")
# Query parameters that number a list's pages, in the spellings CMS families use: page,
# pageNum, pageNo, pageIndex, curPage, cur_page (the /info/iList.jsp disclosure platform),
# currentPage, page_no, pageNumber, p, pn.
QUERY_PAGE_PARAMETER = re.compile(
    r"(?:p|pn|(?:cur(?:rent)?_?)?page(?:_?(?:no|num|number|index))?)", re.IGNORECASE
)
# A page address inside a pager's script link: goPage('list_2.html'), location.href='?page=2'.
SCRIPT_LINK_TARGET = re.compile(
    r"['\"]([^'\"\s]*(?:\.s?html?|\.jsp|\.aspx?|\.php|[?&]\w+=\d+)[^'\"\s]*)['\"]"
)
# Files a guessed static page may have, when nothing on the page names its extension.
PAGE_FILE_EXTENSIONS = ("html", "shtml", "htm")
# Hanweb's and TRS's script pagers leave no links; these mark a pager all the same.
SCRIPT_PAGER_MARKS = ("dataproxy.jsp", "createPageHTML", "countPage", "jpage(")


@dataclass(frozen=True)
class PageGuess:
    """One way to reach the next page of a column: its URL and the mechanism that gave it."""

    url: str
    mechanism: str


@dataclass(frozen=True)
class ScriptPager:
    count: int
    current: int | None  # as the script counts (TRS: the first page is 0)
    stem: str | None  # "index" of index_1.shtml
    extension: str | None


def read_script_pager(html: str) -> ScriptPager | None:
    """The page count (and current page, file stem, extension) a script pager names."""
    if call := SCRIPT_PAGER_CALL.search(html):
        count, current, stem, extension = call.groups()
        return ScriptPager(int(count), int(current), stem, extension)
    if call := TRS_PAGER_CALL.search(html):
        return ScriptPager(int(call.group(1)), int(call.group(2)), None, None)
    count_match = SCRIPT_PAGE_COUNT.search(html)
    if count_match is None:
        return None
    current_match = SCRIPT_CURRENT_PAGE.search(html)
    file_match = SCRIPT_PAGE_FILE.search(html)
    return ScriptPager(
        int(count_match.group(1)),
        int(current_match.group(1)) if current_match else None,
        file_match.group(1) if file_match else None,
        file_match.group(2) if file_match else None,
    )


def total_pages_shown(html: str) -> int | None:
    """The page count a pager prints: 共5页, 页次：1/5."""
    if match := PAGE_OF_TEXT.search(html):
        return int(match.group(2))
    if match := TOTAL_PAGES_TEXT.search(html):
        return int(match.group(1))
    return None


def has_pager(html: str, links: list[Link]) -> bool:
    """The page shows a pager: a paging script, 下一页/尾页, numbered or ?page=N links."""
    if any(mark in html for mark in SCRIPT_PAGER_MARKS) or read_script_pager(html):
        return True
    return any(
        link.text in NEXT_PAGE_WORDS or link.text in LAST_PAGE_WORDS or query_page_number(link.url)
        for link in links
    )


def script_pager_links(selector: Selector, base_url: str) -> list[Link]:
    """Pager links that only a script follows (href="javascript:goPage('list_2.html')",
    onclick="location.href='?page=2'", <option value="index_2.html">), as plain links."""
    links = []
    for anchor in selector.css("a"):
        element = anchor.root
        text = " ".join(element_text(element).split())
        if not (text in NEXT_PAGE_WORDS or text in LAST_PAGE_WORDS or text.isdigit()):
            continue
        script = (element.get("onclick") or "") + " " + (element.get("href") or "")
        if "javascript:" not in script and not element.get("onclick"):
            continue
        if target := SCRIPT_LINK_TARGET.search(script):
            links.append(Link(urljoin(base_url, target.group(1)), text))
    for option in selector.css("select option[value]"):
        value, text = option.attrib["value"].strip(), " ".join(option.css("::text").getall())
        if SCRIPT_LINK_TARGET.search(f'"{value}"') and text.strip().isdigit():
            links.append(Link(urljoin(base_url, value), text.strip()))
    return links


def query_page_number(url: str) -> int | None:
    name = _page_parameter(url)
    return int(dict(parse_qsl(urlsplit(url).query))[name]) if name is not None else None


def _page_parameter(url: str) -> str | None:
    """The name of the URL's query parameter that numbers its page, if any."""
    for name, value in parse_qsl(urlsplit(url).query):
        if value.isdigit() and QUERY_PAGE_PARAMETER.fullmatch(name):
            return name
    return None


def next_page_guesses(list_url: str, html: str, links: list[Link], number: int) -> list[PageGuess]:
    """Where page `number` + 1 of the column may be, best first (page `number` is `list_url`;
    the first page is 1). Empty when the page shows no sign of a page after it."""
    guesses = [
        *_linked_next(list_url, links, number),
        *_script_guesses(list_url, html, number),
        *_pattern_guesses(list_url, html, links, number),
    ]
    unique: dict[str, PageGuess] = {}
    for guess in guesses:
        if guess.url != list_url and guess.url not in unique:
            unique[guess.url] = guess
    return list(unique.values())


def _linked_next(list_url: str, links: list[Link], number: int) -> list[PageGuess]:
    """下一页 links, then the link numbered `number` + 1 near the column's own path."""
    folder = urlsplit(list_url).path.rsplit("/", 1)[0]
    guesses = [PageGuess(link.url, "next link") for link in links if link.text in NEXT_PAGE_WORDS]
    guesses += [
        PageGuess(link.url, "numbered link")
        for link in links
        if link.text == str(number + 1) and urlsplit(link.url).path.startswith(folder)
    ]
    return guesses


def _script_guesses(list_url: str, html: str, number: int) -> list[PageGuess]:
    """Static page files a script pager implies: stem_K.ext, counting from 0 (TRS) or 1."""
    pager = read_script_pager(html)
    if pager is None or pager.count <= number:
        return []
    stem = pager.stem or _file_stem(list_url) or "index"
    extensions = [pager.extension] if pager.extension else _extensions(list_url)
    # TRS numbers index.html as 0 and its second page index_1; most others call it index_2.
    zero_based = pager.current is None or pager.current == number - 1
    suffixes = [number, number + 1] if zero_based else [number + 1, number]
    return [
        PageGuess(urljoin(list_url, f"{stem}_{suffix}.{extension}"), "script pager")
        for suffix in suffixes
        for extension in extensions
    ]


def _pattern_guesses(list_url: str, html: str, links: list[Link], number: int) -> list[PageGuess]:
    """The next page by the numbering the pager's links (or the page's own URL) use, while a
    last page (尾页, 共N页, the highest page link) says there is one."""
    last = _last_page(list_url, html, links)
    if last is not None and number >= last:
        return []
    guesses = _query_guesses(list_url, links, number)
    guesses += _file_guesses(list_url, links, number)
    if last is not None and not guesses:
        # A pager that says there are more pages but links none (script-written): the usual
        # static names, each verified by the spider.
        guesses = [
            PageGuess(urljoin(list_url, f"{stem}_{suffix}.{extension}"), "page count")
            for stem in (_file_stem(list_url) or "index",)
            for suffix in (number, number + 1)
            for extension in _extensions(list_url)
        ]
        guesses.append(PageGuess(_with_query_page(list_url, "page", number + 1), "page count"))
    return guesses


def _last_page(list_url: str, html: str, links: list[Link]) -> int | None:
    """The highest page number the page names: 共N页, or its pager's page links."""
    shown = total_pages_shown(html)
    folder = urlsplit(list_url).path.rsplit("/", 1)[0]
    linked = [
        n
        for link in links
        if urlsplit(link.url).path.startswith(folder)
        and (link.text.isdigit() or link.text in LAST_PAGE_WORDS)
        and (n := _url_page_number(link.url)) is not None
    ]
    numbers = [n for n in (shown, max(linked, default=None)) if n is not None]
    return max(numbers, default=None)


def _url_page_number(url: str) -> int | None:
    if (number := query_page_number(url)) is not None:
        return number
    match = FILE_PAGE.match(urlsplit(url).path.rsplit("/", 1)[-1])
    return int(match.group("number")) if match else None


def _query_guesses(list_url: str, links: list[Link], number: int) -> list[PageGuess]:
    """?page=N (or pageNum=, pageIndex=, …) as the pager's links on the same path use it."""
    path = urlsplit(list_url).path
    names = [
        name
        for link in links
        if urlsplit(link.url).path == path and (name := _page_parameter(link.url)) is not None
    ]
    return [
        PageGuess(_with_query_page(list_url, name, number + 1), "query pattern")
        for name in dict.fromkeys(names)
    ]


def _with_query_page(url: str, name: str, number: int) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query)) | {name: str(number)}
    return urlunsplit(parts._replace(query=urlencode(query)))


def _file_guesses(list_url: str, links: list[Link], number: int) -> list[PageGuess]:
    """list_12_3.html after list_12_2.html: the stem the pager's numbered links share."""
    folder = list_url.rsplit("/", 1)[0] + "/"
    stems = []
    for link in links:
        name = link.url.rsplit("/", 1)[-1]
        match = FILE_PAGE.match(name)
        if match and link.url.startswith(folder) and (link.text.isdigit() or _is_pager(link)):
            stems.append((match.group("stem"), match.group("number"), match.group("ext")))
    seen = {(stem, ext) for stem, _, ext in stems}
    # The page's own number in the links' scheme: page 1 may be index.html (TRS index_1 is
    # page 2) or list_12_1.html; the link numbered `number` + 1 tells which.
    guesses = []
    for stem, ext in sorted(seen):
        for suffix in (number + 1, number):
            guesses.append(PageGuess(urljoin(folder, f"{stem}{suffix}{ext}"), "file pattern"))
    return guesses


def _is_pager(link: Link) -> bool:
    return link.text in NEXT_PAGE_WORDS or link.text in LAST_PAGE_WORDS


def _file_stem(url: str) -> str | None:
    """index of index.shtml or index_3.shtml; None for a directory URL."""
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    if "." not in name:
        return None
    stem = name.rsplit(".", 1)[0]
    return re.sub(r"_\d+$", "", stem)


def _extensions(url: str) -> list[str]:
    """The page's own file extension first, then the usual static ones."""
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    own = name.rsplit(".", 1)[1].lower() if "." in name else None
    return [own] if own in PAGE_FILE_EXTENSIONS else list(PAGE_FILE_EXTENSIONS)
