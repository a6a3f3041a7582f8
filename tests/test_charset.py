"""decode_html: BOM, header, meta, detection; GB labels decode as GB18030."""

from crawler.extraction.charset import decode_html

GBK_PAGE = '<html><head><meta charset="gb2312"></head><body>硚口区法治政府建设</body></html>'


def test_gb2312_label_decodes_as_gb18030() -> None:
    text, charset = decode_html(GBK_PAGE.encode("gb18030"))
    assert "硚口区" in text
    assert charset == "gb18030"


def test_http_header_wins_over_meta() -> None:
    body = '<meta charset="gbk"><p>兰州</p>'.encode()
    assert decode_html(body, "utf-8") == ('<meta charset="gbk"><p>兰州</p>', "utf-8")


def test_bom_wins_over_header() -> None:
    text, charset = decode_html("东川".encode("utf-8-sig"), "gbk")
    assert (text, charset) == ("东川", "utf-8")


def test_wrong_declared_charset_falls_back_to_detection() -> None:
    text, charset = decode_html("<p>绵阳市安州区</p>".encode("gb18030"), "utf-8")
    assert "绵阳市安州区" in text
    assert charset == "gb18030"


def test_latin1_header_yields_to_meta() -> None:
    text, _ = decode_html(GBK_PAGE.encode("gb18030"), "iso-8859-1")
    assert "硚口区" in text


def test_undeclared_utf8_is_detected() -> None:
    assert decode_html("<p>法治</p>".encode()) == ("<p>法治</p>", "utf-8")
