"""Main body text: the CMS content container or trafilatura, then chrome and title cleanup."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from lxml.html import HtmlElement

from crawler.extraction.chrome import remove_chrome

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
ATTACHMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".wps", ".ofd")
TABLE_RULE_RE = re.compile(r"^\|?[\s|:\-]+\|?$")


def find_container(html_text: str, tree: HtmlElement) -> HtmlElement | None:
    """Return the CMS content container with the most text, or None if the page has none."""
    zjeg = ZJEG_RE.search(html_text)
    if zjeg:
        return lxml_html.fragment_fromstring(zjeg.group(1), create_parent="div")
    for xpath in CONTAINER_XPATHS:
        found = tree.xpath(xpath)
        if found:
            return max(found, key=lambda el: len(el.text_content().strip()))
    return None


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
    """Body text of a container: trafilatura's when it keeps most of it, else the raw blocks."""
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


def extract_body(html_text: str, tree: HtmlElement, title: str | None) -> str:
    """Clean body text, paragraphs separated by newlines ('' for image-only bodies)."""
    container = find_container(html_text, tree)
    text = container_text(container) if container is not None else run_trafilatura(html_text)
    return "\n".join(clean_lines(text, title))


def extract_attachments(tree: HtmlElement, url: str) -> tuple[str, ...]:
    """Absolute URLs of linked document files, in page order.

    The whole page is scanned: 附件 blocks usually sit outside the content container, and
    headers and footers do not link documents.
    """
    links: dict[str, None] = {}  # ordered and linear: a page may link thousands of files
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if href and urlsplit(href).path.lower().endswith(ATTACHMENT_EXTENSIONS):
            links.setdefault(urljoin(url, href))
    return tuple(links)
