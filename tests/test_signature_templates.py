"""Signature blocks in every article template of the test portal (TRS, Hanweb, gkmlpt,
generic): the same closing lines give the same written_at and issuer in each."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from crawler.extraction.page import extract_page
from tests.portal.generic_site import GenericStyle, build_generic_site
from tests.portal.gkmlpt_site import GkmlptStyle, build_gkmlpt_site
from tests.portal.hanweb_site import HanwebStyle, build_hanweb_site
from tests.portal.site import Article, Column, Site, SiteInfo
from tests.portal.trs_site import TrsStyle, build_trs_site

INFO = SiteInfo("www.xq.gov.cn", "某县人民政府", "某县人民政府办公室", "5101010001", "蜀ICP备1号")
MARKER = "某县深入推进法治政府建设，依法全面履行政府职能，取得明显成效。"
CLOSINGS = {
    "arabic": ("某县人民政府", "2024年1月29日"),
    "chinese": ("某县人民政府", "\u3000", "二〇二四年一月二十九日", "附件：1.某县行政执法统计表"),
    "joint": ("中共某县委员会", "某县人民政府", "二○二四年一月二十九日", "（此件公开发布）"),
}
SIGNERS = {
    "arabic": "某县人民政府",
    "chinese": "某县人民政府",
    "joint": "中共某县委员会某县人民政府",
}
BUILDERS: dict[str, Callable[[Article], Site]] = {
    "trs": lambda article: build_trs_site(
        INFO, (Column("fzzf", "法治政府", (article,)),), TrsStyle()
    ),
    "hanweb": lambda article: build_hanweb_site(
        INFO, (Column("1", "法治政府", (article,)),), HanwebStyle(webid=1)
    ),
    "gkmlpt": lambda article: build_gkmlpt_site(INFO, (article,), GkmlptStyle(sid="510101")),
    "generic": lambda article: build_generic_site(
        INFO, (Column("fzzf", "法治政府", (article,)),), GenericStyle()
    ),
}


def article_page(family: str, closing: tuple[str, ...]) -> bytes:
    article = Article(
        9001,
        "法治政府建设情况",  # no issuer in the title: the signature names it
        datetime.datetime(2024, 2, 1, 9, 0),
        "某县司法局",
        (f"2023年，{MARKER}", MARKER * 3, *closing),
    )
    site = BUILDERS[family](article)
    (body,) = [page.body for page in site.pages.values() if MARKER.encode() in page.body]
    return body


@pytest.mark.parametrize("family", BUILDERS)
@pytest.mark.parametrize("closing", CLOSINGS)
def test_signature_is_read_in_every_template(family: str, closing: str) -> None:
    page = extract_page(article_page(family, CLOSINGS[closing]), f"http://{INFO.host}/a/1.html")
    assert page.written_at == datetime.date(2024, 1, 29)
    assert page.issuer == SIGNERS[closing]
