"""Exact dedupe keys and what storing a page again or a changed page does."""

from __future__ import annotations

import opencc
from scrapy.settings import Settings
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from archive.dedupe import content_key
from archive.models import NearDuplicateBand, Report, Sighting
from archive.store import store_report
from crawler import settings as project_settings
from crawler.extraction.page import extract_page
from crawler.items import ReportPage
from crawler.pipelines.dedupe import DedupePipeline, near_duplicate_config
from tests.test_archive import TEXT_2022, TEXT_2023, record


def counts(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Report, Sighting, NearDuplicateBand)
        )


def store(engine: Engine, *records: object) -> None:
    for item in records:
        with Session(engine) as session, session.begin():
            store_report(session, item)  # type: ignore[arg-type]


def test_traditional_characters_give_the_same_key() -> None:
    assert content_key(opencc.OpenCC("s2t").convert(TEXT_2022)) == content_key(TEXT_2022)


def test_reingesting_the_same_pages_changes_nothing(engine: Engine) -> None:
    pages = [record("http://a.gov.cn/1.html"), record("http://b.gov.cn/2.html", TEXT_2023, 2023)]
    store(engine, *pages)
    before = counts(engine)
    store(engine, *pages)
    assert counts(engine) == before == (2, 2, 2 * 32)


def test_changed_text_at_the_same_url_is_a_new_version(engine: Engine) -> None:
    url = "http://a.gov.cn/1.html"
    store(engine, record(url), record(url, TEXT_2022 + "二、存在的不足和原因。"))
    with Session(engine) as session:
        old, new = session.scalars(select(Report).order_by(Report.id)).all()
        urls = session.scalars(select(Sighting.report_id).where(Sighting.url == url)).all()
    assert new.previous_version_id == old.id and old.text == TEXT_2022
    assert sorted(urls) == [old.id, new.id]


def test_a_near_duplicate_seen_again_is_not_a_new_version(engine: Engine) -> None:
    long_text = TEXT_2022 * 40
    store(engine, record("http://a.gov.cn/1.html", long_text))
    repost = record("http://b.gov.cn/2.html", long_text + "来源：区司法局。")
    store(engine, repost, repost)
    assert counts(engine)[:2] == (1, 2)


def test_dedupe_pipeline_keys_a_mirror_like_its_original() -> None:
    pipeline = DedupePipeline(near_duplicate_config(Settings(vars(project_settings))))
    pages = []
    for text in (TEXT_2022, opencc.OpenCC("s2t").convert(TEXT_2022)):
        page = ReportPage(url="http://a.gov.cn/1.html", status=200, body=b"", portal_homepage="")
        html = f"<html><body><article><p>{text}</p></article></body></html>"
        page.extracted = extract_page(html.encode(), page.url)
        pages.append(pipeline.process_item(page))
    assert isinstance(pages[0], ReportPage) and isinstance(pages[1], ReportPage)
    assert pages[0].extracted is not None and "行政复议" in pages[0].extracted.text
    assert pages[0].content_key == pages[1].content_key and pages[0].signature
