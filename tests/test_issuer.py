"""The issuer's parts: read from a name or title, kept on the report, filled in by migration."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from archive.db import _alembic_config, create_archive_engine, migrate
from archive.issuer import Issuer, parse_issuer
from archive.models import Report
from archive.vocabulary import IssuerKind
from tests.test_archive import record, store

GOVERNMENT, JOINT, DEPARTMENT = IssuerKind.GOVERNMENT, IssuerKind.JOINT, IssuerKind.DEPARTMENT


@pytest.mark.parametrize(
    ("name", "issuer"),
    [
        ("绵阳市安州区人民政府", Issuer("安州区", GOVERNMENT)),
        ("绵阳市安州区人民政府2022年法治政府建设年度报告", Issuer("安州区", GOVERNMENT)),
        ("东川区二〇二二年法治政府建设年度报告", Issuer("东川区", GOVERNMENT)),
        ("东川区二0二二年法治政府建设年度报告", Issuer("东川区", GOVERNMENT)),
        (
            "中共绵阳市安州区委 绵阳市安州区人民政府关于2024年法治政府建设情况的报告",
            Issuer("安州区", JOINT),
        ),
        ("兰州市司法局关于2023年法治政府建设情况的报告", Issuer("兰州市", DEPARTMENT, "司法局")),
        ("兰州市住房和城乡建设局", Issuer("兰州市", DEPARTMENT, "住房和城乡建设局")),
        ("东川区", Issuer("东川区", GOVERNMENT)),
        ("平潭综合实验区党工委管委会", Issuer("平潭综合实验区", GOVERNMENT)),
    ],
)
def test_parse_issuer(name: str, issuer: Issuer) -> None:
    assert parse_issuer(name) == issuer


def test_a_name_without_a_place_has_no_issuer() -> None:
    assert parse_issuer("法治政府建设年度报告") is None


def test_joint_and_sole_government_share_an_organ() -> None:
    assert Issuer("安州区", JOINT).organ == Issuer("安州区", GOVERNMENT).organ == "government"


def test_a_stored_report_keeps_its_issuer_parts(engine: Engine) -> None:
    store(engine, record("http://a.gov.cn/1.html", issuer="兰州市司法局"))
    with Session(engine) as session:
        row = session.execute(
            select(Report.issuer_place, Report.issuer_kind, Report.issuer_department)
        ).one()
    assert tuple(row) == ("兰州市", "department", "司法局")


def test_without_an_issuer_the_title_names_it(engine: Engine) -> None:
    store(engine, record("http://a.gov.cn/1.html", issuer=None))
    with Session(engine) as session:
        assert session.scalar(select(Report.issuer_place)) == "安州区"


def test_a_changed_issuer_changes_its_parts() -> None:
    report = Report(title="安州区2022年法治政府建设年度报告", issuer="兰州市司法局")
    report.issuer = "昆明市东川区人民政府"
    assert (report.issuer_place, report.issuer_kind) == ("东川区", "government")


@pytest.mark.parametrize("database", ["sqlite_url", "postgres_url"])
def test_migration_fills_the_parts_of_existing_reports(
    database: str, request: pytest.FixtureRequest
) -> None:
    engine = create_archive_engine(request.getfixturevalue(database))
    command.upgrade(_alembic_config(engine), "0007_charset")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO reports (content_key, title, issuer, host, text, created_at)"
                " VALUES ('k', '兰州市司法局关于2023年法治政府建设情况的报告', NULL,"
                " 'a.gov.cn', '正文', '2024-01-01 00:00:00')"
            )
        )
    migrate(engine)
    with Session(engine) as session:
        row = session.execute(
            select(Report.issuer_place, Report.issuer_kind, Report.issuer_department)
        ).one()
    engine.dispose()
    assert tuple(row) == ("兰州市", "department", "司法局")
