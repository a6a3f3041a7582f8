"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-12-02 12:16:11.558679
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("finish_reason", sa.String(length=100), nullable=True),
        sa.Column("pages_fetched", sa.Integer(), nullable=False),
        sa.Column("reports_new", sa.Integer(), nullable=False),
        sa.Column("sightings_new", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crawl_runs")),
    )
    op.create_table(
        "portals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("homepage", sa.String(length=500), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portals")),
        sa.UniqueConstraint("homepage", name=op.f("uq_portals_homepage")),
    )
    with op.batch_alter_table("portals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_portals_division_code"), ["division_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_portals_host"), ["host"], unique=False)

    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_key", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("report_year", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.Date(), nullable=True),
        sa.Column("written_at", sa.Date(), nullable=True),
        sa.Column("publisher", sa.String(length=200), nullable=True),
        sa.Column("issuer", sa.String(length=200), nullable=True),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("host_site", sa.String(length=200), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
        sa.UniqueConstraint("content_key", name=op.f("uq_reports_content_key")),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reports_published_at"), ["published_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_reports_publisher"), ["publisher"], unique=False)
        batch_op.create_index(batch_op.f("ix_reports_report_year"), ["report_year"], unique=False)

    op.create_table(
        "captures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("crawl_run_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("content_type", sa.String(length=200), nullable=True),
        sa.Column("charset", sa.String(length=40), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=71), nullable=False),
        sa.ForeignKeyConstraint(
            ["crawl_run_id"], ["crawl_runs.id"], name=op.f("fk_captures_crawl_run_id_crawl_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_captures")),
    )
    with op.batch_alter_table("captures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_captures_crawl_run_id"), ["crawl_run_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_captures_url"), ["url"], unique=False)

    op.create_table(
        "failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("crawl_run_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["crawl_run_id"], ["crawl_runs.id"], name=op.f("fk_failures_crawl_run_id_crawl_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_failures")),
    )
    with op.batch_alter_table("failures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_failures_crawl_run_id"), ["crawl_run_id"], unique=False
        )

    op.create_table(
        "sightings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("portal_id", sa.Integer(), nullable=True),
        sa.Column("page_title", sa.String(length=500), nullable=True),
        sa.Column("page_published_at", sa.Date(), nullable=True),
        sa.Column("page_publisher", sa.String(length=200), nullable=True),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["portal_id"], ["portals.id"], name=op.f("fk_sightings_portal_id_portals")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_sightings_report_id_reports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sightings")),
        sa.UniqueConstraint("report_id", "url", name=op.f("uq_sightings_report_id")),
    )
    with op.batch_alter_table("sightings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sightings_report_id"), ["report_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sightings_url"), ["url"], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        _create_sqlite_fts()


# Full-text search over title and text. The trigram tokenizer matches any CJK substring
# of three or more characters; shorter queries fall back to LIKE (archive.search).
SQLITE_FTS = [
    "CREATE VIRTUAL TABLE reports_fts USING fts5("
    "title, text, content='reports', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER reports_fts_insert AFTER INSERT ON reports BEGIN "
    "INSERT INTO reports_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER reports_fts_delete AFTER DELETE ON reports BEGIN "
    "INSERT INTO reports_fts(reports_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER reports_fts_update AFTER UPDATE ON reports BEGIN "
    "INSERT INTO reports_fts(reports_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO reports_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
]


def _create_sqlite_fts() -> None:
    for statement in SQLITE_FTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE reports_fts")
    with op.batch_alter_table("sightings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sightings_url"))
        batch_op.drop_index(batch_op.f("ix_sightings_report_id"))

    op.drop_table("sightings")
    with op.batch_alter_table("failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_failures_crawl_run_id"))

    op.drop_table("failures")
    with op.batch_alter_table("captures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_captures_url"))
        batch_op.drop_index(batch_op.f("ix_captures_crawl_run_id"))

    op.drop_table("captures")
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reports_report_year"))
        batch_op.drop_index(batch_op.f("ix_reports_publisher"))
        batch_op.drop_index(batch_op.f("ix_reports_published_at"))

    op.drop_table("reports")
    with op.batch_alter_table("portals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_portals_host"))
        batch_op.drop_index(batch_op.f("ix_portals_division_code"))

    op.drop_table("portals")
    op.drop_table("crawl_runs")
