"""Date parsing: Arabic and Chinese numerals, URLs, HTTP headers, trust order."""

import datetime

from crawler.extraction.dates import (
    PUBLISHED_SOURCES,
    DateCandidate,
    date_from_http,
    date_from_url,
    parse_date,
    pick_date,
)


def test_chinese_numeral_date() -> None:
    assert parse_date("二〇二三年一月二十九日") == datetime.date(2023, 1, 29)


def test_circle_zero_and_thirty_one() -> None:
    assert parse_date("二○一九年十二月三十一日") == datetime.date(2019, 12, 31)


def test_arabic_chinese_date() -> None:
    assert parse_date("2023年1月29日") == datetime.date(2023, 1, 29)


def test_dash_date_with_time() -> None:
    assert parse_date("发布时间:2023-01-30 15:42") == datetime.date(2023, 1, 30)


def test_index_number_is_not_a_date() -> None:
    assert parse_date("索引号: 052224292-201902-125711") is None


def test_short_index_number_is_not_a_date() -> None:
    assert parse_date("2025-48086") is None


def test_trs_url_date() -> None:
    found = date_from_url("https://www.mee.gov.cn/ywdt/202204/t20220417_974894.shtml")
    assert found == DateCandidate(datetime.date(2022, 4, 17), "url", "/t20220417_974894")


def test_hanweb_url_date() -> None:
    found = date_from_url("https://fgw.zj.gov.cn/art/2016/11/22/art_1621004_30332664.html")
    assert found is not None and found.value == datetime.date(2016, 11, 22)


def test_http_last_modified() -> None:
    found = date_from_http("Wed, 06 Mar 2025 03:31:00 GMT")
    assert found is not None and found.value == datetime.date(2025, 3, 6)


def test_malformed_last_modified_is_ignored() -> None:
    assert date_from_http("yesterday") is None


def test_update_time_ranks_last() -> None:
    update = DateCandidate(datetime.date(2025, 3, 7), "label:更新时间", "2025-03-07")
    url = DateCandidate(datetime.date(2025, 3, 6), "url", "/t20250306_1")
    assert pick_date([update, url], PUBLISHED_SOURCES) == datetime.date(2025, 3, 6)
