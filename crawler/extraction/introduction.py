"""Whether a page only introduces the report file it links, judged by what its text says.

Pages that publish the report as a PDF/DOCX carry a short cover text (按照…要求，现将…予以公开，
详见附件) and header lines (时间/来源/作者/附件下载). Such a page's report is the file's text.
"""

from __future__ import annotations

import re

from crawler.classify import count_required_sections
from crawler.file_kinds import DOWNLOAD_KINDS

# Lines of page chrome that sit above or below a cover text: labelled fields (时间：…), tool
# rows (【打印】【关闭】, 字号 大 中 小), file names. They say nothing about the report, so they do
# not count as its body. A label needs its colon: 时间紧、任务重 is prose.
FIELD_LABEL_RE = re.compile(
    r"^[【\[]?\s*(?:时\s*间|日\s*期|来\s*源|作\s*者|发布日期|发布时间|发布机构|信息来源|文章来源|"
    r"浏览次数|访问量|阅读次数|点击(?:数|量|率)?|责任编辑|编辑|审核|索引号|发文字号|成文日期|"
    r"发文日期|公开日期|公开时间|签发日期|印发日期|发布单位|发文单位|供稿单位|"
    r"主题分类|相关附件|附件下载|附\s*件)\s*[:：]"
)
TOOL_WORDS = (
    r"(?:打印本页|打印|关闭窗口|关闭|分享到|分享|收藏|返回顶部|字号|字体|附件下载|下载|[大中小])"
)
TOOL_ROW_RE = re.compile(rf"^[\s【】\[\]|:：]*(?:{TOOL_WORDS}[\s【】\[\]|:：]*)+$")
FILE_NAME_RE = re.compile(rf"\.(?:{'|'.join(DOWNLOAD_KINDS)})\s*(?:[(（].{{0,20}}[)）])?$", re.I)
BARE_DATE_RE = re.compile(r"^[\d\s\-/.:：年月日]+$")
# The page says its content is in the file.
POINTS_TO_FILE_RE = re.compile(
    r"予以公开|详见附件|全文见附件|见附件|附件下载|点击下载|下载附件|请下载|(?:全文|报告)详见|"
    r"予以报送|随文报送|附后|^\s*附\s*件\s*[:：\d]",
    re.M,
)
SENTENCE_END_RE = re.compile(r"[。！？!?；;]")
# Fewer full sentences than this and the page holds no prose of its own: a caption.
MIN_PROSE_SENTENCES = 2
# A page holding at least this many of the four required sections is the report itself.
MIN_REPORT_SECTIONS = 2
WHITESPACE_RE = re.compile(r"[\s\u3000\xa0]+")


def is_header_line(line: str) -> bool:
    """A labelled field, a tool row, a file name or a bare date: page chrome, not body."""
    return any(
        pattern.search(line)
        for pattern in (FIELD_LABEL_RE, TOOL_ROW_RE, FILE_NAME_RE, BARE_DATE_RE)
    )


def own_body(page_text: str) -> str:
    """The page's text without its header lines."""
    lines = (line.strip() for line in page_text.splitlines())
    return "\n".join(line for line in lines if line and not is_header_line(line))


def body_chars(text: str) -> int:
    return len(WHITESPACE_RE.sub("", text))


def is_introduction(page_text: str, file_text: str | None, max_share: float) -> bool:
    """True when the page only introduces its file: it holds no prose once header lines are
    removed, or it points to the file (详见附件) and its own body is a small share of the
    file's text. For a scan (file_text None, its length unknown) a page that points to the
    file is an introduction unless it shows the report's required sections itself."""
    body = own_body(page_text)
    if len(SENTENCE_END_RE.findall(body)) < MIN_PROSE_SENTENCES:
        return True
    if POINTS_TO_FILE_RE.search(page_text) is None:
        return False
    if file_text is None:
        return count_required_sections(body) < MIN_REPORT_SECTIONS
    return body_chars(body) <= max_share * body_chars(file_text)
