"""Metadata from seeds-like pages built inline: titles, dates, publisher, issuer, year."""

import datetime

from crawler.extraction.page import ExtractedPage, extract_page

URL = "https://www.example.gov.cn/zwgk/art_1.html"
PARAGRAPH = "<p>" + "推进依法行政，加强行政执法监督，完善行政复议体制。" * 4 + "</p>"


def page(head: str, body: str, url: str = URL, **kwargs: str) -> ExtractedPage:
    html = f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"
    return extract_page(html.encode(), url, **kwargs)


def test_header_today_date_is_ignored_in_favour_of_pubdate() -> None:
    result = page(
        '<meta name="PubDate" content="2023-01-30 15:42">',
        "<div>今天是2026年12月2日 星期三</div>"
        "<h1>绵阳市安州区人民政府2022年法治政府建设年度报告</h1>"
        f"<div class='TRS_Editor'>{PARAGRAPH}</div>",
    )
    assert result.published_at == datetime.date(2023, 1, 30)


def test_header_today_date_alone_gives_no_date() -> None:
    result = page("", f"<div>今天是2026年12月2日</div><div id='zoom'>{PARAGRAPH}</div>")
    assert result.published_at is None


def test_page_without_dates_has_no_published_at() -> None:
    body = "<table><tr><td>兰州市司法局关于2023年法治政府建设情况的报告</td></tr>"
    result = page("<title>兰州市司法局关于2023年法治政府建设情况的报告</title>", body + "</table>")
    assert result.published_at is None


def test_info_table_publish_date_and_index_number() -> None:
    table = (
        "<table><tr><td>索引号:</td><td>052224292-201902-125711</td>"
        "<td>发布机构:</td><td>昆明市东川区人民政府办公室</td></tr>"
        "<tr><td>发布日期:</td><td>2019-02-13 15:13</td></tr></table>"
    )
    result = page("", table + f"<div id='zoom'>{PARAGRAPH}</div>")
    assert result.published_at == datetime.date(2019, 2, 13)
    assert result.publisher == "昆明市东川区人民政府办公室"


def test_disclosure_platform_labels_date_the_page_and_the_document() -> None:
    """政府信息公开 tables word their dates in other ways: 发文日期 (the only date some give),
    公开日期; 成文日期 and 签发日期 date the document, not the page."""
    table = (
        "<table><tr><th>索引号:</th><td>11370104/2024-00012</td><th>文号:</th><td>无</td></tr>"
        "<tr><th>发文日期:</th><td>2024-02-05</td><th>发布机构:</th><td>槐荫区司法局</td></tr>"
        "</table>"
    )
    alone = page("", table + f"<div id='zoom'>{PARAGRAPH}</div>")
    assert (alone.published_at, alone.publisher) == (datetime.date(2024, 2, 5), "槐荫区司法局")
    assert "发文日期" not in alone.text
    both = page(
        "",
        f"<div>签发日期：2024年3月1日 公开日期：2024年3月8日</div><div id='zoom'>{PARAGRAPH}</div>",
    )
    assert (both.published_at, both.written_at) == (
        datetime.date(2024, 3, 8),
        datetime.date(2024, 3, 1),
    )
    # A platform's filing date yields to a page's own 发布日期.
    ranked = page(
        "", f"<p>发文日期：2024-02-05 发布日期：2024-02-20</p><div id='zoom'>{PARAGRAPH}</div>"
    )
    assert ranked.published_at == datetime.date(2024, 2, 20)


def test_publisher_under_the_other_labels_sites_give_it() -> None:
    for label in ("发布单位", "发文单位", "供稿单位"):
        line = f"<div>{label}：安州区司法局 发布时间：2024-03-05</div>"
        result = page("", line + f"<div id='zoom'>{PARAGRAPH}</div>")
        assert result.publisher == "安州区司法局", label
        assert label not in result.text


def test_publish_time_beats_update_time() -> None:
    line = "<div>更新时间:2025-03-06 11:37 发布时间:2025-03-05 11:31 来源:硚口区司法局</div>"
    result = page("", line + f"<div id='zoom'>{PARAGRAPH}</div>")
    assert result.published_at == datetime.date(2025, 3, 5)
    assert result.publisher == "硚口区司法局"


def test_inline_source_stops_at_next_label() -> None:
    result = page(
        "", f"<p>来源: 司法局发布时间:2023-01-30 15:42浏览次数:</p><div id='zoom'>{PARAGRAPH}</div>"
    )
    assert result.publisher == "司法局"


def test_signature_date_in_chinese_numerals_is_written_at() -> None:
    body = f"<div id='zoom'>{PARAGRAPH}<p>兰州市司法局</p><p>二〇二四年一月二十九日</p></div>"
    result = page("", body)
    assert result.written_at == datetime.date(2024, 1, 29)


def test_url_date_used_when_page_has_none() -> None:
    result = page("", f"<div id='zoom'>{PARAGRAPH}</div>", url=URL.replace("art_1", "t20230130_5"))
    assert result.published_at == datetime.date(2023, 1, 30)


def test_last_modified_is_kept_but_never_the_publish_date() -> None:
    result = page(
        "", f"<div id='zoom'>{PARAGRAPH}</div>", last_modified="Mon, 30 Jan 2023 07:42:00 GMT"
    )
    assert result.published_at is None
    assert [d.source for d in result.dates] == ["http:last-modified"]


def test_title_minus_site_name() -> None:
    result = page(
        "<title>东川区2018年度法治政府建设情况报告_昆明市东川区人民政府</title>", PARAGRAPH
    )
    assert result.title == "东川区2018年度法治政府建设情况报告"
    assert result.host_site == "昆明市东川区人民政府"


def test_issuer_and_report_year_from_title() -> None:
    result = page(
        '<meta name="ArticleTitle" content="兰州市司法局关于2023年法治政府建设情况的报告">',
        PARAGRAPH,
    )
    assert (result.issuer, result.report_year) == ("兰州市司法局", 2023)


def test_report_year_from_body_opening() -> None:
    body = f"<div id='zoom'><p>2022年，我区坚持依法行政。</p>{PARAGRAPH}</div>"
    assert page("<title>法治政府建设年度报告</title>", body).report_year == 2022


def test_repeated_title_lines_are_dropped_from_text() -> None:
    title = "东川区2018年度法治政府建设情况报告"
    body = f"<div id='zoom'><p>{title}</p><p>{title}</p>{PARAGRAPH}</div>"
    assert title not in page(f"<title>{title}</title>", body).text


def test_chrome_lines_are_dropped_from_text() -> None:
    body = f"<div id='zoom'><p>字体：【大 中 小】</p>{PARAGRAPH}<p>扫一扫在手机打开当前页</p></div>"
    text = page("", body).text
    assert "扫一扫" not in text and "字体" not in text


def test_attachments_are_absolute() -> None:
    links = "<a href='./P020230130.pdf'>附件</a><a href='/x.html'>x</a>"
    body = f"<div id='zoom'>{PARAGRAPH}{links}</div>"
    assert page("", body).attachments == ("https://www.example.gov.cn/zwgk/P020230130.pdf",)


def test_site_code_from_meta() -> None:
    assert (
        page('<meta name="SiteIDCode" content="3590000001">', PARAGRAPH).site_code == "3590000001"
    )


def test_gbk_page_keeps_rare_character() -> None:
    title = "硚口区2024年度法治政府建设情况报告"
    html = f"<html><head><meta charset='gb2312'><title>{title}</title></head><body></body></html>"
    result = extract_page(html.encode("gb18030"), URL, declared_charset="gb2312")
    assert result.title == title


def test_empty_body_yields_empty_page() -> None:
    result = extract_page(b"", URL)
    assert (result.title, result.text, result.published_at) == (None, "", None)


def test_xhtml_with_xml_declaration_parses() -> None:
    html = (
        '<?xml version="1.0" encoding="utf-8"?><html><body><div id="zoom">法治</div></body></html>'
    )
    assert extract_page(html.encode(), URL).text == "法治"


def test_report_year_from_a_body_opening_in_chinese_numerals() -> None:
    opening = "<p>二〇二二年，我区深入推进法治政府建设。</p>"
    assert page("<title>法治政府建设情况</title>", opening + PARAGRAPH).report_year == 2022


def test_issuer_from_a_title_headed_by_a_province() -> None:
    result = page("", "<h1>福建省2022年法治政府建设年度报告</h1>" + PARAGRAPH)
    assert result.issuer == "福建省"
