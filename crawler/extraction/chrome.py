"""Recognise the page chrome of Chinese government sites (toolbars, breadcrumbs, footers)."""

from __future__ import annotations

import re

from archive.issuer import alternation
from crawler.extraction.field_labels import NAMED_DATE_LABELS, NAMED_PUBLISHER_LABELS

# The info fields that date the page and name its publisher.
FIELD_LABELS = alternation(NAMED_DATE_LABELS + NAMED_PUBLISHER_LABELS)

# Body paragraphs of reports are long; chrome lines are short. Above this length a line is
# kept even if it mentions a chrome word (报告 paragraphs talk about 无障碍环境, 技术支持…).
MAX_CHROME_LINE_CHARS = 200

# Each pattern names one widget family seen on the corpus and seed pages.
CHROME_PATTERNS = tuple(
    re.compile(p)
    for p in (
        r"扫一扫",  # QR code: 扫一扫在手机打开当前页 / 手机扫一扫打开此页
        r"^[\[【(（]?\s*(字体|字号|字大|字小)",  # font-size toolbar
        r"打印本页|关闭窗口|[\[【]\s*(打印|关闭)\s*[\]】]|^(打印|关闭|收藏)$|收藏\s*打印",
        r"分享到",
        r"当前位置|您的位置|当前的位置|所在位置|现在位置",  # breadcrumb
        r"^[^\s>»›]{1,12}(?:\s*[>»›]\s*[^\s>»›]{1,12}){2,}$",  # unlabelled breadcrumb: a > b > c
        r"(浏览次数|浏览量|点击数|阅读次数|访问量)\s*[:：]",
        r"网站标识码",
        r"ICP备|公网安备",
        r"^主办单位|^主办\s*[:：]|（主办）|^承办单位|^技术支持\s*[:：]|运行维护单位",
        r"版权所有|版权与免责声明|(?i:copyright\s*(©|\(c\))|all\s+rights\s+reserved)",
        r"无障碍浏览|无障碍阅读|^无障碍$|长者模式|长者版|关怀版",
        r"^(上一篇|下一篇)",
        r"责任编辑|信息发布人",
        r"^附件下载$|^相关(阅读|链接|文章)|友情链接|网站地图|^(微信|微博|QQ空间)$",
        r"文章类型\s*[:：]|下载(文字|图片)版",
        r"仅提供信息存储服务",  # self-media platforms' disclaimer under each post
        r"^(查看更多|展开全文|阅读全文)$|查看更多$",  # document-sharing "read more" links
        rf"^(索\s*引\s*号|主题分类|分\s*类|{FIELD_LABELS}"
        r"|来\s*源(于)?|作\s*者|编\s*辑|热词|文\s*号|关\s*键\s*字|名\s*称)\s*[:：]",
        r"^(发布)?时\s*间\s*[:：]\s*\d{4}-\d{1,2}-\d{1,2}(\s+\d{1,2}:\d{2})?",
    )
)


def is_chrome_line(line: str) -> bool:
    """True when a text line is page furniture rather than document content."""
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_CHROME_LINE_CHARS:
        return False
    return any(pattern.search(stripped) for pattern in CHROME_PATTERNS)


def remove_chrome(lines: list[str]) -> list[str]:
    """Return the lines that are not chrome."""
    return [line for line in lines if not is_chrome_line(line)]
