"""Page metadata from meta tags, info tables, inline labels and the URL: title, dates, bodies."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml.html import HtmlElement

from archive.issuer import (
    ADMIN_UNIT_SUFFIXES,
    AMBIGUOUS_UNIT_SUFFIXES,
    ORGANISATION_SUFFIXES,
    alternation,
)
from archive.numerals import YEAR_NUMBER, year_value
from crawler.extraction.dates import (
    DateCandidate,
    date_from_url,
    iter_dates,
    parse_date,
)
from crawler.extraction.field_labels import NAMED_DATE_LABELS, NAMED_PUBLISHER_LABELS

WHITESPACE_RE = re.compile(r"[\s\u3000\xa0]+")
TAG_RE = re.compile(r"<[^>]+>")
# Real separators in <title> are "_", "|" and a dash with spaces or between non-digits; a bare
# dash between digits is part of the title (规划（2021-2035）).
TITLE_SEPARATOR_RE = re.compile(r"\s*(?:_+|\||｜|\s[-–—]\s|(?<=\D)-(?=\D)|——)\s*")
DIGIT_CJK_SPACE_RE = re.compile(r"(?<=\d) +(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff]) +(?=\d)")
# <title> segments ending so, and short, are the site's own name rather than the article's.
SITE_NAME_ENDINGS = ("网", "网站", "门户", "人民政府", "公报", "官方网站")
MAX_SITE_NAME = 30
# Headings that hold the article title on these CMSs, in page order.
HEADING_XPATH = (
    "//h1 | //h2 | //h3 | //*[contains(@class, 'title') or contains(@id, 'title')"
    " or contains(@class, 'Title') or contains(@id, 'Title')]"
)
# When <title> names only the site, the article heading is picked by rank: sidebars use h2/h3
# for column names (政府信息公开), the article heading is an h1 or a title-classed element.
HEADING_RANK_XPATHS = (
    "//h1",
    "//*[contains(@class, 'title') or contains(@id, 'title') or contains(@class, 'Title')"
    " or contains(@id, 'Title')]",
    "//h2",
    "//h3",
)
# A heading longer than this is a paragraph that happens to sit in a title-classed element.
MAX_TITLE_CHARS = 150
MIN_TITLE_CHARS = 4

# Info-table / inline labels for dates (field_labels), and the bare 时间/日期.
DATE_LABELS = (*NAMED_DATE_LABELS, "时间", "日期")
# Named labels first so 发布时间 wins over 时间; a bare 时间/日期 must not be the tail of another
# word (生成时间, 会议时间, 截止日期…).
DATE_LABEL_RE = re.compile(
    rf"({alternation(NAMED_DATE_LABELS)}|(?<![\u4e00-\u9fff])时\s*间|(?<![\u4e00-\u9fff])日\s*期)"
    r"\s*[:：]\s*"
)
# The byline (date, 来源, 浏览次数) follows the title within a few text nodes.
BYLINE_LINES = 4
PUBLISHER_LABELS = (*NAMED_PUBLISHER_LABELS, "来源")
PUBLISHER_LABEL_RE = re.compile(rf"({alternation(NAMED_PUBLISHER_LABELS)}|来\s*源)\s*[:：]\s*")
# Where a 来源 value stops when the next field follows without a separator (来源: 司法局发布时间:…).
PUBLISHER_STOP_RE = re.compile(
    r"(发布时间|发布日期|更新时间|时间|日期|浏览|作者|编辑|点击|字体|字号|阅读|分享|打印|[【\[|:：])"
)
MAX_PUBLISHER_CHARS = 40
SITE_CODE_RE = re.compile(r"网站标识码\s*[:：]?\s*(bm\d{8}|\d{10})", re.I)
SITE_CODE_VALUE_RE = re.compile(r"^(bm\d{8}|\d{10})$", re.I)


def clean_text(text: str) -> str:
    """Strip markup remnants and collapse whitespace runs to one space."""
    return WHITESPACE_RE.sub(" ", TAG_RE.sub("", text)).strip()


def meta_content(tree: HtmlElement, name: str) -> str | None:
    """Return the first non-empty <meta name=...> content, matching the name case-insensitively."""
    wanted = name.lower()
    for meta in tree.iter("meta"):
        if (meta.get("name") or "").strip().lower() == wanted:
            value = clean_text(meta.get("content") or "")
            if value:
                return value
    return None


def element_text(element: HtmlElement) -> str:
    """Return the element's text content with whitespace collapsed."""
    return clean_text(element.text_content())


def html_title(tree: HtmlElement) -> str | None:
    """Return the text of <title>, if any."""
    found = tree.find(".//title")
    text = clean_text(found.text_content()) if found is not None else ""
    return text or None


def is_site_name(part: str, site_name: str | None) -> bool:
    """True for a <title> segment naming the site (…网, …网站, …人民政府, the SiteName)."""
    return part == site_name or (part.endswith(SITE_NAME_ENDINGS) and len(part) <= MAX_SITE_NAME)


def strip_site_name(title: str, site_name: str | None) -> str:
    """Drop site names glued to either end of a title (保定市人民政府网——…, …_中国政府网).

    Segments that are not site names stay joined as printed, so a subtitle after —— survives.
    """
    spans, start = [], 0
    for match in TITLE_SEPARATOR_RE.finditer(title):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(title)))
    kept = [(a, b) for a, b in spans if b > a and not is_site_name(title[a:b], site_name)]
    if not kept:
        return title
    if len(kept) < len(spans):
        kept = [max(kept, key=lambda span: span[1] - span[0])]
    return title[kept[0][0] : kept[-1][1]].strip()


def heading_titles(tree: HtmlElement) -> Iterator[str]:
    """Yield plausible title texts from headings and title-classed elements, in page order."""
    for element in tree.xpath(HEADING_XPATH):
        if element.tag in ("title", "meta", "head", "html", "body"):
            continue
        text = element_text(element)
        if MIN_TITLE_CHARS <= len(text) <= MAX_TITLE_CHARS:
            yield text


def is_same_title(heading: str, page_title: str) -> bool:
    """True when a heading is the article title named by <title> (ignoring spaces)."""
    squeezed_heading = heading.replace(" ", "")
    squeezed_title = page_title.replace(" ", "")
    return squeezed_title.startswith(squeezed_heading) or squeezed_heading in squeezed_title


def tidy_title(title: str | None) -> str | None:
    """Remove stray spaces between digits and CJK (2007　年末 -> 2007年末), keep others."""
    return DIGIT_CJK_SPACE_RE.sub("", title) if title else None


def extract_title(tree: HtmlElement) -> str | None:
    """Title by trust: meta ArticleTitle, a heading matching <title>, then <title> minus site."""
    return tidy_title(find_title(tree))


def find_title(tree: HtmlElement) -> str | None:
    """The raw title text from the best available source."""
    site_name = meta_content(tree, "SiteName")
    article_title = meta_content(tree, "ArticleTitle")
    if article_title:
        return strip_site_name(article_title, site_name)
    page_title = html_title(tree)
    headings = list(heading_titles(tree))
    if page_title:
        stripped = strip_site_name(page_title, site_name)
        matching = [h for h in headings if is_same_title(h, page_title)]
        if matching:
            return max(matching, key=len)
        if not is_site_name(stripped, site_name):
            return stripped
    return ranked_heading(tree, site_name) or (page_title and strip_site_name(page_title, None))


def ranked_heading(tree: HtmlElement, site_name: str | None) -> str | None:
    """The best-ranked heading that is not itself a site name (see HEADING_RANK_XPATHS)."""
    for xpath in HEADING_RANK_XPATHS:
        for element in tree.xpath(xpath):
            if element.tag in ("title", "meta", "head", "html", "body"):
                continue
            text = element_text(element)
            if MIN_TITLE_CHARS <= len(text) <= MAX_TITLE_CHARS and not is_site_name(
                text, site_name
            ):
                return text
    return None


def page_lines(tree: HtmlElement) -> list[str]:
    """Return the visible text of the page as non-empty lines, one per text node."""
    lines = []
    for node in tree.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]"):
        text = clean_text(str(node))
        if text:
            lines.append(text)
    return lines


def table_fields(tree: HtmlElement) -> Iterator[tuple[str, str]]:
    """Yield (label, value) from info tables: a label cell followed by its value cell."""
    for cell in tree.iter("td", "th"):
        label = re.sub(r"[\s:：\u3000]", "", cell.text_content())
        if not label or len(label) > 6:
            continue
        value_cell = cell.getnext()
        if value_cell is not None and value_cell.tag in ("td", "th"):
            value = element_text(value_cell)
            if value:
                yield label, value


def date_candidates(tree: HtmlElement, url: str, title: str | None) -> list[DateCandidate]:
    """Every labelled date on the page, with its source, plus the byline date under the title."""
    found = [c for c in (meta_date(tree, "PubDate"), meta_date(tree, "firstpublishedtime")) if c]
    for label, value in table_fields(tree):
        if label in DATE_LABELS:
            value_date = parse_date(value)
            if value_date is not None:
                found.append(DateCandidate(value_date, f"table:{label}", value))
    lines = page_lines(tree)
    found.extend(labelled_dates(" ".join(lines)))
    byline = byline_date(lines, title)
    if byline is not None:
        found.append(byline)
    url_date = date_from_url(url)
    if url_date is not None:
        found.append(url_date)
    return found


def byline_date(lines: list[str], title: str | None) -> DateCandidate | None:
    """The first date in the few lines below the title heading (2019-03-22 来源：国新网).

    Only below the title: a header date above it is "today" (今天是2026年12月2日).
    """
    if not title:
        return None
    wanted = title.replace(" ", "")
    for index, line in enumerate(lines):
        if line.replace(" ", "") == wanted:
            for below in lines[index + 1 : index + 1 + BYLINE_LINES]:
                found = next(iter_dates(below), None)
                if found is not None:
                    return DateCandidate(found[0], "byline", found[1])
            return None
    return None


def meta_date(tree: HtmlElement, name: str) -> DateCandidate | None:
    """Return the date of a <meta name=...> tag as a candidate sourced 'meta:<name>'."""
    raw = meta_content(tree, name)
    value = parse_date(raw) if raw else None
    return DateCandidate(value, f"meta:{name}", raw) if value and raw else None


def labelled_dates(text: str) -> Iterator[DateCandidate]:
    """Yield the date right after each label such as 发布时间： in running text."""
    for match in DATE_LABEL_RE.finditer(text):
        label = match.group(1).replace(" ", "")
        after = text[match.end() : match.end() + 24]
        first = next(iter_dates(after), None)
        if first is not None and after.startswith(first[1]):
            yield DateCandidate(first[0], f"label:{label}", first[1])


def first_labelled_value(text: str, label_re: re.Pattern[str]) -> str | None:
    """Return the value after the first label in text that has a non-empty value."""
    for match in label_re.finditer(text):
        value = text[match.end() :].split(" ", 1)[0]
        value = PUBLISHER_STOP_RE.split(value, maxsplit=1)[0].strip()
        if value and len(value) <= MAX_PUBLISHER_CHARS:
            return value
    return None


def extract_publisher(tree: HtmlElement) -> str | None:
    """Source bureau: ContentSource meta, else a 来源/信息来源/发布机构 field on the page.

    A visible value that extends the meta value (meta 浙江, page 浙江监管局) is the fuller name.
    """
    meta = meta_content(tree, "ContentSource")
    visible = table_publisher(tree) or first_labelled_value(
        " ".join(page_lines(tree)), PUBLISHER_LABEL_RE
    )
    if meta and visible and meta in visible:
        return visible
    return meta or visible


def table_publisher(tree: HtmlElement) -> str | None:
    """Return 发布机构/发文机关/来源 from an info table, if present."""
    for label, value in table_fields(tree):
        if label in PUBLISHER_LABELS and len(value) <= MAX_PUBLISHER_CHARS:
            return value
    return None


def extract_site_code(tree: HtmlElement) -> str | None:
    """SiteIDCode meta (validated), else the 网站标识码 printed in the footer."""
    meta = meta_content(tree, "SiteIDCode")
    if meta and SITE_CODE_VALUE_RE.match(meta):
        return meta
    match = SITE_CODE_RE.search(" ".join(page_lines(tree)))
    return match.group(1) if match else None


def extract_host_site(tree: HtmlElement) -> str | None:
    """SiteName meta, else the segment of <title> that names the site (…_中国政府网)."""
    site_name = meta_content(tree, "SiteName")
    if site_name:
        return site_name
    page_title = html_title(tree) or ""
    parts = [p for p in TITLE_SEPARATOR_RE.split(page_title) if p and is_site_name(p, None)]
    return parts[-1] if parts else None


# An issuer named at the head of a title ends in an organisation or an administrative area.
ISSUER_SUFFIX = alternation(ORGANISATION_SUFFIXES + ADMIN_UNIT_SUFFIXES + AMBIGUOUS_UNIT_SUFFIXES)
TITLE_ISSUER_RE = re.compile(rf"^(.{{2,40}}?{ISSUER_SUFFIX})\s*(?:关于|{YEAR_NUMBER}\s*年)")
YEAR_IN_TITLE_RE = re.compile(rf"({YEAR_NUMBER})\s*年")
# The body states the covered year in its opening sentence (2022年，…; 二〇二二年以来…).
BODY_YEAR_RE = re.compile(rf"^({YEAR_NUMBER})\s*年(?:度)?\s*(?:[，,、]|以来|是|我)")
BODY_YEAR_LINES = 5


def extract_issuer(title: str | None) -> str | None:
    """Return the body named at the head of a title (兰州市司法局关于…, 东川区2018年度…)."""
    if not title:
        return None
    match = TITLE_ISSUER_RE.match(title)
    return match.group(1).strip() if match else None


def extract_report_year(title: str | None, body_lines: list[str]) -> int | None:
    """Year the document covers: the first year in the title, else the body's opening year."""
    match = YEAR_IN_TITLE_RE.search(title or "")
    if match:
        return year_value(match.group(1))
    for line in body_lines[:BODY_YEAR_LINES]:
        body_match = BODY_YEAR_RE.match(line)
        if body_match:
            return year_value(body_match.group(1))
    return None
