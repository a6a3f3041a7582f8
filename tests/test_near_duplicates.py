"""Near-duplicate detection: the labelled pairs, the guard, and the index in the archive."""

from __future__ import annotations

import dataclasses

import pytest
from scrapy.settings import Settings
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from archive.models import NearDuplicateBand, Report, Sighting
from archive.near_duplicates import (
    DEFAULT_NEAR_DUPLICATES,
    ReportIdentity,
    estimate_similarity,
    is_mergeable,
    is_near_duplicate,
    sign_text,
)
from archive.store import store_report
from bench.near_duplicate_curve import precision_recall
from crawler import settings as crawler_settings
from tests.fixtures.pairs.labelled import LabelledPair, labelled_pairs
from tests.test_archive import record


def decide(pair: LabelledPair) -> bool:
    config = DEFAULT_NEAR_DUPLICATES
    similarity = estimate_similarity(sign_text(pair.a.text, config), sign_text(pair.b.text, config))
    return is_near_duplicate(
        similarity,
        ReportIdentity(pair.a.report_year, pair.a.issuer),
        ReportIdentity(pair.b.report_year, pair.b.issuer),
        config,
    )


def test_labelled_set_has_hard_cases() -> None:
    kinds = {pair.kind for pair in labelled_pairs()}
    assert len(labelled_pairs()) >= 40
    assert {"same_issuer_next_year", "neighbour_county_template_opening"} <= kinds
    assert {"repost_other_chrome", "traditional_mirror", "paragraph_added"} <= kinds


def test_labelled_pairs_are_decided_without_a_wrong_merge() -> None:
    decisions = [(decide(pair), pair.is_same_report) for pair in labelled_pairs()]
    precision, recall = precision_recall(decisions)
    assert precision == 1.0 and recall >= 0.95


def test_crawler_settings_match_the_archive_defaults() -> None:
    settings = Settings()
    settings.setmodule(crawler_settings)
    from_settings = dataclasses.replace(
        DEFAULT_NEAR_DUPLICATES,
        shingle_chars=settings.getint("NIANBAO_SHINGLE_CHARS"),
        permutations=settings.getint("NIANBAO_MINHASH_PERMUTATIONS"),
        bands=settings.getint("NIANBAO_LSH_BANDS"),
        threshold=settings.getfloat("NIANBAO_NEAR_DUPLICATE_THRESHOLD"),
    )
    assert from_settings == DEFAULT_NEAR_DUPLICATES


@pytest.mark.parametrize(
    ("other", "mergeable"),
    [
        (ReportIdentity(2023, "安州区人民政府"), False),
        (ReportIdentity(2022, "江油市人民政府"), False),
        (ReportIdentity(2022, "安州区人民政府"), True),
        (ReportIdentity(None, None), True),
    ],
)
def test_guard_keeps_years_and_issuers_apart(other: ReportIdentity, mergeable: bool) -> None:
    assert is_mergeable(ReportIdentity(2022, "安州区人民政府"), other) is mergeable


def stored_pair(engine: Engine, pair: LabelledPair) -> tuple[int, int]:
    first = record("http://a.gov.cn/1.html", pair.a.text, pair.a.report_year, issuer=pair.a.issuer)
    second = record("http://b.gov.cn/2.html", pair.b.text, pair.b.report_year, issuer=pair.b.issuer)
    with Session(engine) as session, session.begin():
        store_report(session, first)
    # A second session, as a later run or another process would open.
    with Session(engine) as session, session.begin():
        store_report(session, second)
    with Session(engine) as session:
        reports = session.scalar(select(func.count()).select_from(Report)) or 0
        sightings = session.scalar(select(func.count()).select_from(Sighting)) or 0
    return reports, sightings


def pair_of(kind: str) -> LabelledPair:
    return next(pair for pair in labelled_pairs() if pair.kind == kind)


def test_repost_with_a_paragraph_added_is_a_near_sighting(engine: Engine) -> None:
    assert stored_pair(engine, pair_of("paragraph_added")) == (1, 2)
    with Session(engine) as session:
        sighting = session.scalars(select(Sighting).order_by(Sighting.id.desc())).first()
    assert sighting is not None and sighting.match == "near" and sighting.similarity


def test_next_year_report_of_the_same_issuer_stays_separate(engine: Engine) -> None:
    pair = max(
        (p for p in labelled_pairs() if p.kind == "same_issuer_next_year"),
        key=lambda p: estimate_similarity(
            sign_text(p.a.text, DEFAULT_NEAR_DUPLICATES),
            sign_text(p.b.text, DEFAULT_NEAR_DUPLICATES),
        ),
    )
    assert stored_pair(engine, pair) == (2, 2)


def test_every_new_report_is_indexed_in_bands(engine: Engine) -> None:
    stored_pair(engine, pair_of("neighbour_county_template_opening"))
    with Session(engine) as session:
        bands = session.scalar(select(func.count()).select_from(NearDuplicateBand))
    assert bands == 2 * DEFAULT_NEAR_DUPLICATES.bands
