"""Whether a page only introduces its report file: what the text says, once header lines go."""

from crawler.extraction.introduction import is_introduction, own_body

REPORT_LINE = "2023年，我区深入推进法治政府建设，取得明显成效。"
FILE_TEXT = REPORT_LINE * 60
SHARE = 0.3


def test_pointer_alone_is_an_introduction() -> None:
    assert is_introduction("详见附件。", FILE_TEXT, SHARE)


def test_header_lines_are_not_body() -> None:
    page = (
        "时间：2024-03-20\n来源：区司法局\n作者：张三\n浏览次数：12\n附件下载：\n报告.pdf\n正文。"
    )
    assert own_body(page) == "正文。"


def test_tool_rows_are_not_body_but_prose_after_a_label_word_is() -> None:
    page = "【字体：大 中 小】\n【打印本页】【关闭窗口】\n时间紧、任务重，我局按期完成。"
    assert own_body(page) == "时间紧、任务重，我局按期完成。"


def test_long_cover_note_pointing_to_the_file_is_an_introduction() -> None:
    cover = "根据有关要求，现将《XX区2023年度法治政府建设情况报告》予以公开，接受社会监督。" * 4
    page = f"时间：2024-03-20 来源：区司法局\n{cover}\n附件下载：\n报告.pdf"
    assert is_introduction(page, FILE_TEXT, SHARE)


def test_report_page_with_its_file_attached_is_not_an_introduction() -> None:
    page = "\n".join([REPORT_LINE] * 50 + ["附件下载：报告.pdf"])
    assert not is_introduction(page, FILE_TEXT, SHARE)


def test_prose_without_pointer_is_not_an_introduction() -> None:
    page = "一、主要举措。开展普法宣传。二、存在问题。人员不足。"
    assert not is_introduction(page, FILE_TEXT, SHARE)


def test_page_with_only_a_caption_is_an_introduction() -> None:
    assert is_introduction("XX区2023年度法治政府建设情况报告\n报告.pdf", FILE_TEXT, SHARE)


def test_cover_of_a_scan_is_an_introduction() -> None:
    page = "现将我区2023年法治政府建设情况予以公开。详见附件。"
    assert is_introduction(page, None, SHARE)


def test_report_page_with_a_scan_attached_is_not_an_introduction() -> None:
    page = (
        "一、主要举措和成效。开展普法。二、存在的问题和不足。人员不足。"
        "三、下一步工作安排。继续推进。详见附件扫描件。"
    )
    assert not is_introduction(page, None, SHARE)
