"""Main body text: the CMS content container or trafilatura, then chrome and title cleanup."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from lxml.html import HtmlElement

from crawler.extraction.chrome import remove_chrome
from crawler.file_kinds import DOCUMENT_KINDS, is_file_of

# Content containers of the CMS families on government portals (TRS, Hanweb, gov.cn, avalon
# templates), best first. The generic #content comes last: on some sites it wraps the sidebar.
CONTAINER_XPATHS = (
    "//div[contains(@class, 'TRS_Editor')]",
    "//div[contains(@class, 'TRS_UEDITOR')]",
    "//*[@id='zoom' or @id='Zoom']",
    "//*[@id='UCAP-CONTENT']",
    "//*[contains(@class, 'pages_content')]",
    "//*[contains(@class, 'article_content') or contains(@class, 'article-content')]",
    "//*[@id='content']",
)
ZJEG_RE = re.compile(r"<!--ZJEG_RSS\.content\.begin-->(.*?)<!--ZJEG_RSS\.content\.end-->", re.S)
# trafilatura sometimes drops most of a container it deems boilerplate (short news items,
# table-only bodies); below this share of the container's own text we use the container text.
MIN_TRAFILATURA_SHARE = 0.6
BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "section"}
)
CELL_TAGS = frozenset({"td", "th"})
# A repeated title is only stripped near the top: later repetitions are content (附件 names).
TITLE_SCAN_LINES = 5
TABLE_RULE_RE = re.compile(r"^\|?[\s|:\-]+\|?$")
# Inside a container, a block holding at least this many links whose anchor text makes up at
# least this share of its text is a link list (related news, rankings, "more" boxes) that
# CMS templates put next to the article; attachment links never count towards it.
LINK_LIST_MIN_LINKS = 3
LINK_LIST_MIN_LINK_SHARE = 0.6
LINK_LIST_TAGS = frozenset({"ul", "ol", "dl", "div", "table", "section", "nav", "aside"})
# Anywhere on the page, a list whose items are nearly all links ("- 2021-01-19 <a>…</a>") is
# a link list; the test looks at items, not at the whole list, so it is safe on a whole page.
LINK_ITEM_SHARE = 0.5
LINK_ITEMS_SHARE_OF_LIST = 0.8
# Comment threads and share bars sit inside some article containers; their class or id says so.
WIDGET_NAME_RE = re.compile(r"comment|share", re.IGNORECASE)


def has_content(element: HtmlElement) -> bool:
    """True when an element shows text or images (a script-filled shell shows neither)."""
    return bool(squeeze(element.text_content())) or element.find(".//img") is not None


def find_container(html_text: str, tree: HtmlElement) -> HtmlElement | None:
    """Return the CMS content container with the most text, or None if the page has none.

    A container that shows nothing (filled by script at view time, or a hidden twin) is
    passed over, so the next family's container or trafilatura gets the page.
    """
    zjeg = ZJEG_RE.search(html_text)
    if zjeg and squeeze(zjeg.group(1)):
        fragment = lxml_html.fragment_fromstring(zjeg.group(1), create_parent="div")
        if has_content(fragment):
            return fragment
    for xpath in CONTAINER_XPATHS:
        found = [element for element in tree.xpath(xpath) if has_content(element)]
        if found:
            return max(found, key=lambda el: len(el.text_content().strip()))
    return None


def is_document_link(anchor: HtmlElement) -> bool:
    return is_file_of(urlsplit((anchor.get("href") or "").strip()).path, DOCUMENT_KINDS)


def link_share(element: HtmlElement) -> float:
    """Share of an element's text that sits in links to other pages (not to documents)."""
    text = len(squeeze(element.text_content()))
    anchors = [a for a in element.iter("a") if not is_document_link(a)]
    linked = sum(len(squeeze(anchor.text_content())) for anchor in anchors)
    return linked / text if text else 0.0


def is_link_list(element: HtmlElement) -> bool:
    """True for a block that is mostly links to other pages (see LINK_LIST_MIN_LINKS)."""
    anchors = [a for a in element.iter("a") if not is_document_link(a)]
    return len(anchors) >= LINK_LIST_MIN_LINKS and link_share(element) >= LINK_LIST_MIN_LINK_SHARE


def is_link_item_list(element: HtmlElement) -> bool:
    """True for a ul/ol whose items are nearly all links (see LINK_ITEM_SHARE)."""
    items = [item for item in element.iterchildren("li") if squeeze(item.text_content())]
    if len(items) < LINK_LIST_MIN_LINKS:
        return False
    linked = sum(link_share(item) >= LINK_ITEM_SHARE for item in items)
    return linked >= LINK_ITEMS_SHARE_OF_LIST * len(items)


def is_widget(element: HtmlElement) -> bool:
    return bool(WIDGET_NAME_RE.search(f"{element.get('class', '')} {element.get('id', '')}"))


def drop_elements(
    root: HtmlElement, tags: frozenset[str], is_furniture: Callable[..., bool]
) -> None:
    """Remove, below root, every element of the given tags that is_furniture accepts.

    Innermost elements go first, so a wrapper that holds the article next to a link list is
    judged after the list is gone, on what remains.
    """
    for element in reversed(list(root.iter(*tags))):
        if element is not root and element.getparent() is not None and is_furniture(element):
            element.drop_tree()


def without_furniture(container: HtmlElement) -> HtmlElement:
    """A copy of the container without link lists and comment or share widgets."""
    pruned = copy.deepcopy(container)
    drop_elements(pruned, LINK_LIST_TAGS, lambda el: is_widget(el) or is_link_list(el))
    return pruned


def page_text(html_text: str, tree: HtmlElement) -> str:
    """trafilatura on the page without its link-item lists; on the untouched page if that fails."""
    pruned = copy.deepcopy(tree)
    drop_elements(pruned, frozenset({"ul", "ol"}), is_link_item_list)
    text = run_trafilatura(etree.tostring(pruned, encoding="unicode", method="html"))
    return text or run_trafilatura(html_text)


def run_trafilatura(html_text: str) -> str:
    """Extract text with trafilatura; deduplicate stays off (its cache is process-wide)."""
    text = trafilatura.extract(
        html_text, include_comments=False, include_tables=True, deduplicate=False
    )
    return text or ""


def block_text(element: HtmlElement) -> str:
    """Text of an element with a line break around each block element and spaces between cells."""
    parts: list[str] = []
    walk_blocks(element, parts)
    return "".join(parts)


def walk_blocks(element: HtmlElement, parts: list[str]) -> None:
    """Append element's text to parts, marking block boundaries with newlines."""
    if not isinstance(element.tag, str) or element.tag in ("script", "style"):
        return
    separator = "\n" if element.tag in BLOCK_TAGS else " " if element.tag in CELL_TAGS else ""
    parts.append(separator + (element.text or ""))
    for child in element:
        walk_blocks(child, parts)
        parts.append(child.tail or "")
    parts.append(separator)


def container_text(container: HtmlElement) -> str:
    """Body text of a container: trafilatura's when it keeps most of it, else the raw blocks.

    Furniture is removed first, unless that would leave no text at all.
    """
    pruned = without_furniture(container)
    if squeeze(pruned.text_content()):
        container = pruned
    raw = block_text(container)
    fragment = etree.tostring(container, encoding="unicode", method="html")
    extracted = run_trafilatura(f"<html><body>{fragment}</body></html>")
    if len(squeeze(extracted)) >= MIN_TRAFILATURA_SHARE * len(squeeze(raw)):
        return extracted
    return raw


def squeeze(text: str) -> str:
    """Text without any whitespace, for comparisons and length measures."""
    return re.sub(r"[\s\u3000\xa0]+", "", text)


def table_row_to_line(line: str) -> str:
    """Turn a trafilatura table row '| a | b |' into 'a b'; other lines pass unchanged."""
    if not line.startswith("|"):
        return line
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    return " ".join(cell for cell in cells if cell)


def clean_lines(text: str, title: str | None) -> list[str]:
    """Split into lines, flatten table rows, drop chrome and a leading repeated title."""
    lines = []
    for raw_line in text.splitlines():
        if TABLE_RULE_RE.match(raw_line.strip()):
            continue
        line = re.sub(r"[ \t\u3000\xa0]+", " ", table_row_to_line(raw_line)).strip()
        if line:
            lines.append(line)
    return drop_title_lines(remove_chrome(lines), title)


def drop_title_lines(lines: list[str], title: str | None) -> list[str]:
    """Remove copies of the title among the first lines (seed 002 repeats it three times)."""
    if not title:
        return lines
    wanted = squeeze(title)
    head = [line for line in lines[:TITLE_SCAN_LINES] if squeeze(line) != wanted]
    return head + lines[TITLE_SCAN_LINES:]


def extract_body(
    html_text: str, tree: HtmlElement, title: str | None, container: HtmlElement | None
) -> str:
    """Clean body text, paragraphs separated by newlines ('' for image-only bodies), from the
    page's content container (find_container, found once by the caller) or the whole page.

    When the container's text cleans away to nothing, the container was the wrong one (a
    wrapper of widgets) and the whole page goes to trafilatura; only a container that shows
    images and no text at all is an image-only body.
    """
    if container is not None:
        lines = clean_lines(container_text(container), title)
        if lines or not squeeze(container.text_content()):
            return "\n".join(lines)
    return "\n".join(clean_lines(page_text(html_text, tree), title))


def extract_attachments(tree: HtmlElement, url: str) -> tuple[str, ...]:
    """Absolute URLs of linked document files, in page order.

    The whole page is scanned: 附件 blocks usually sit outside the content container, and
    headers and footers do not link documents.
    """
    links: dict[str, None] = {}  # ordered and linear: a page may link thousands of files
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if href and is_file_of(urlsplit(href).path, DOCUMENT_KINDS):
            links.setdefault(urljoin(url, href))
    return tuple(links)
