"""Signature blocks: signer and date at the end of a body, in every shape templates leave."""

import datetime

import pytest

from crawler.extraction.page import extract_page
from crawler.extraction.signature import read_signature

PROSE = "2019年，我区深入推进法治政府建设，依法全面履行政府职能，取得明显成效。"
SIGNED = datetime.date(2020, 2, 20)


@pytest.mark.parametrize(
    "closing",
    [
        "武汉市硚口区司法局\n2020年2月20日",
        "武汉市硚口区司法局\n\n\n2020年2月20日",
        "武汉市硚口区司法局 2020年2月20日",  # one table cell run into one line (DedeCMS)
        "武汉市硚口区司法局2020年2月20日",
        "武汉市硚口区司法局\n2020 年 2 月 20 日",
        "武汉市硚口区司法局\n二〇二〇年二月二十日",
        "武汉市硚口区司法局\n二○二○年二月二十日",
        "武汉市硚口区司法局\n二零二零年二月二十日",
        "武汉市硚口区司法局\n二0二0年二月二十日",
        "武汉市硚口区司法局\n（2020年2月20日）",
        "武汉市硚口区司法局\n2020年2月20日\n（此件公开发布）",
        "武汉市硚口区司法局\n2020年2月20日\n附件：1.统计表\n2.案件清单",
        "武汉市硚口区司法局\n2020年2月20日\n上一篇：关于开展普法宣传的通知 下一篇：没有了 打印",
    ],
)
def test_signer_and_date_are_read(closing: str) -> None:
    found = read_signature(f"{PROSE}\n{closing}")
    assert found is not None
    assert (found.signer, found.date.value) == ("武汉市硚口区司法局", SIGNED)


def test_joint_signers_are_read_together() -> None:
    found = read_signature(f"{PROSE}\n中共XX区委 XX区人民政府\n2024年3月1日")
    assert found is not None and found.signer == "中共XX区委XX区人民政府"


def test_date_below_prose_without_signer_is_read() -> None:
    found = read_signature(f"{PROSE}\n2020年2月20日")
    assert found is not None and (found.signer, found.date.value) == (None, SIGNED)


def test_date_inside_the_last_sentence_is_no_signature() -> None:
    assert read_signature(f"{PROSE}\n该报告于2020年2月20日经区政府常务会议审议通过。") is None


def test_labelled_date_is_no_signature() -> None:
    assert read_signature("详见附件 时间： 2020年2月20日") is None


def test_signature_above_the_last_sentence_is_not_taken() -> None:
    assert read_signature(f"武汉市硚口区司法局\n2020年2月20日\n{PROSE}") is None


def dedecms_article(content: str) -> bytes:
    """A DedeCMS article page (default template: viewbox, info line, a table in the content
    div, pager and context links after it); the content holds the closing under test."""
    paragraphs = "".join(f"<p>　　{PROSE}</p>" for _ in range(8))
    return f"""<html><head><meta charset="utf-8">
<title>硚口区2019年度法治政府建设情况报告_武汉市硚口区司法局</title></head><body>
<div class="header">武汉市硚口区司法局</div>
<div class="viewbox"><div class="title"><h2>硚口区2019年度法治政府建设情况报告</h2></div>
<div class="info"><small>时间:</small>2020-02-21 10:12<small>来源:</small>硚口区司法局
<small>作者:</small>admin<small>点击:</small>123次</div>
<div class="content"><table width="100%"><tr><td>{paragraphs}{content}</td></tr></table></div>
<div class="dede_pages"><ul class="pagelist"></ul></div>
<div class="context"><ul><li>上一篇：<a href="/a/1.html">关于开展普法宣传的通知</a></li>
<li>下一篇：没有了 </li></ul></div></div>
<div class="footer">Copyright 武汉市硚口区司法局 版权所有</div></body></html>""".encode()


@pytest.mark.parametrize(
    "closing",
    [
        '<p align="right">武汉市硚口区司法局</p><p align="right">2020年2月20日</p>',
        '<p style="text-align: right;">武汉市硚口区司法局<br/>2020年2月20日</p>',
        '<p align="right">武汉市硚口区司法局</p><p>&nbsp;</p>'
        '<p align="right">二〇二〇年二月二十日</p><p>附件：1.统计表</p>',
        '<div align="right">武汉市硚口区司法局</div><div align="right">2020年2月20日</div>',
        '<p align="right">武汉市硚口区司法局　　2020年2月20日</p>',
    ],
)
def test_dedecms_article_end_gives_written_at(closing: str) -> None:
    page = extract_page(dedecms_article(closing), "http://www.qiaokou.gov.cn/a/zwgk/12.html")
    assert page.written_at == SIGNED
    assert page.published_at == datetime.date(2020, 2, 21)


def test_issuer_falls_back_to_the_signer() -> None:
    closing = '<p align="right">武汉市硚口区司法局</p><p align="right">2020年2月20日</p>'
    body = dedecms_article(closing).replace(
        "硚口区2019年度法治政府建设情况报告".encode(), "法治政府建设情况报告".encode()
    )
    page = extract_page(body, "http://www.qiaokou.gov.cn/a/zwgk/12.html")
    assert page.issuer == "武汉市硚口区司法局"
