"""decode_html: BOM, UTF-16 pattern, WHATWG labels, detection; GB labels decode as GB18030."""

from pathlib import Path

import opencc
import pytest

from crawler.extraction.charset import decode_html, normalize_charset

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
GBK_PAGE = '<html><head><meta charset="gb2312"></head><body>硚口区法治政府建设</body></html>'


def report_page(text: str) -> str:
    title = text.splitlines()[0]
    return f"<html><head><title>{title}</title></head><body><p>{text}</p></body></html>"


@pytest.fixture(scope="module")
def seed_page() -> str:
    """A real report's opening as a page (simplified characters)."""
    return report_page((SEEDS / "seed_003_lanzhou.txt").read_text(encoding="utf-8")[:3000])


def test_gb2312_label_decodes_as_gb18030() -> None:
    decoded = decode_html(GBK_PAGE.encode("gb18030"))
    assert "硚口区" in decoded.text
    assert (decoded.charset, decoded.source, decoded.confident) == ("gb18030", "meta", True)


def test_http_header_wins_over_meta() -> None:
    body = '<meta charset="gbk"><p>兰州</p>'.encode()
    decoded = decode_html(body, "utf-8")
    assert (decoded.text, decoded.charset) == ('<meta charset="gbk"><p>兰州</p>', "utf-8")


def test_bom_wins_over_header() -> None:
    decoded = decode_html("东川".encode("utf-8-sig"), "gbk")
    assert (decoded.text, decoded.charset) == ("东川", "utf-8")


def test_wrong_declared_charset_falls_back_to_detection(seed_page: str) -> None:
    decoded = decode_html(seed_page.encode("gb18030"), "utf-8")
    assert decoded.text == seed_page
    assert (decoded.charset, decoded.source, decoded.confident) == ("gb18030", "detected", True)


def test_latin1_header_yields_to_meta() -> None:
    assert "硚口区" in decode_html(GBK_PAGE.encode("gb18030"), "iso-8859-1").text


def test_latin1_header_without_meta_yields_to_detection(seed_page: str) -> None:
    decoded = decode_html(seed_page.encode("gbk"), "iso-8859-1")
    assert (decoded.text, decoded.charset) == (seed_page, "gb18030")


def test_undeclared_utf8_is_detected() -> None:
    decoded = decode_html("<p>法治</p>".encode())
    assert (decoded.text, decoded.charset, decoded.confident) == ("<p>法治</p>", "utf-8", True)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read_from_its_byte_pattern(seed_page: str, codec: str) -> None:
    decoded = decode_html(seed_page.encode(codec))
    assert (decoded.text, decoded.charset, decoded.source) == (seed_page, codec, "utf-16 pattern")


def test_utf16_pattern_outranks_a_wrong_label(seed_page: str) -> None:
    assert decode_html(seed_page.encode("utf-16-le"), "gbk").text == seed_page


def test_unlabelled_big5_is_told_from_gb18030(seed_page: str) -> None:
    traditional = opencc.OpenCC("s2t").convert(seed_page)
    decoded = decode_html(traditional.encode("big5", errors="ignore"))
    assert decoded.charset == "big5hkscs"
    assert decoded.confident
    assert "法治政府建設" in decoded.text


@pytest.mark.parametrize("label", ["unicode-escape", "rot13", "base64", "utf-7", "hz-gb-2312"])
def test_labels_outside_the_whatwg_list_are_ignored(label: str) -> None:
    body = f'<meta charset="{label}"><p>法治\\u0041</p>'.encode()
    decoded = decode_html(body, label)
    assert decoded.text == f'<meta charset="{label}"><p>法治\\u0041</p>'
    assert decoded.source == "utf-8"


def test_whatwg_aliases_resolve() -> None:
    assert [normalize_charset(x) for x in ("GBK", "x-gbk", "big5", "latin1", "rot13")] == [
        "gb18030",
        "gb18030",
        "big5hkscs",
        "cp1252",
        None,
    ]


def test_meta_claiming_utf16_is_read_as_utf8() -> None:
    decoded = decode_html('<meta charset="utf-16"><p>法治</p>'.encode())
    assert (decoded.charset, decoded.source) == ("utf-8", "meta")


def test_mixed_encodings_are_flagged_not_trusted(seed_page: str) -> None:
    traditional = opencc.OpenCC("s2t").convert(seed_page)
    body = seed_page[:800].encode("gb18030") + traditional[:800].encode("big5", errors="ignore")
    decoded = decode_html(body)
    assert not decoded.confident
    assert decoded.text  # still decoded, never dropped


def test_random_bytes_are_flagged_not_trusted() -> None:
    body = bytes((i * 7919 + 13) % 251 + 5 for i in range(4000))
    assert not decode_html(body).confident
