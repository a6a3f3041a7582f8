"""attachments versions near duplicates warc health

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 12:28:07.473486
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_url", sa.String(length=1000), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("content_type", sa.String(length=200), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=71), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("needs_ocr", sa.Boolean(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
        sa.UniqueConstraint("page_url", "url", name=op.f("uq_attachments_page_url")),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachments_page_url"), ["page_url"], unique=False)

    op.create_table(
        "near_duplicate_bands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_near_duplicate_bands_report_id_reports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_near_duplicate_bands")),
    )
    with op.batch_alter_table("near_duplicate_bands", schema=None) as batch_op:
        batch_op.create_index("ix_near_duplicate_bands_bucket", ["band", "bucket"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_near_duplicate_bands_report_id"), ["report_id"], unique=False
        )

    op.create_table(
        "portal_health",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("crawl_run_id", sa.Integer(), nullable=False),
        sa.Column("portal_id", sa.Integer(), nullable=False),
        sa.Column("pages_fetched", sa.Integer(), nullable=False),
        sa.Column("reports_found", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["crawl_run_id"],
            ["crawl_runs.id"],
            name=op.f("fk_portal_health_crawl_run_id_crawl_runs"),
        ),
        sa.ForeignKeyConstraint(
            ["portal_id"], ["portals.id"], name=op.f("fk_portal_health_portal_id_portals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_health")),
        sa.UniqueConstraint(
            "crawl_run_id", "portal_id", name=op.f("uq_portal_health_crawl_run_id")
        ),
    )
    with op.batch_alter_table("portal_health", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_portal_health_crawl_run_id"), ["crawl_run_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_portal_health_portal_id"), ["portal_id"], unique=False)

    # Plain ADD COLUMNs, not batch copies: copying `reports` would drop its FTS triggers.
    op.add_column("captures", sa.Column("etag", sa.String(length=200), nullable=True))
    op.add_column("captures", sa.Column("last_modified", sa.String(length=100), nullable=True))
    op.add_column("captures", sa.Column("warc_file", sa.String(length=300), nullable=True))
    op.add_column("captures", sa.Column("warc_record_id", sa.String(length=100), nullable=True))
    op.add_column("captures", sa.Column("warc_offset", sa.BigInteger(), nullable=True))
    op.add_column(
        "reports",
        sa.Column("text_source", sa.String(length=20), server_default="page", nullable=False),
    )
    op.add_column(
        "reports", sa.Column("needs_ocr", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column("reports", sa.Column("previous_version_id", sa.Integer(), nullable=True))
    op.add_column("reports", sa.Column("minhash", sa.LargeBinary(), nullable=True))
    op.add_column("sightings", sa.Column("page_dates", sa.Text(), nullable=True))
    op.add_column(
        "sightings", sa.Column("match", sa.String(length=10), server_default="new", nullable=False)
    )
    op.add_column("sightings", sa.Column("similarity", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sightings", schema=None) as batch_op:
        batch_op.drop_column("similarity")
        batch_op.drop_column("match")
        batch_op.drop_column("page_dates")

    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_column("minhash")
        batch_op.drop_column("previous_version_id")
        batch_op.drop_column("needs_ocr")
        batch_op.drop_column("text_source")

    with op.batch_alter_table("captures", schema=None) as batch_op:
        batch_op.drop_column("warc_offset")
        batch_op.drop_column("warc_record_id")
        batch_op.drop_column("warc_file")
        batch_op.drop_column("last_modified")
        batch_op.drop_column("etag")

    with op.batch_alter_table("portal_health", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_portal_health_portal_id"))
        batch_op.drop_index(batch_op.f("ix_portal_health_crawl_run_id"))

    op.drop_table("portal_health")
    with op.batch_alter_table("near_duplicate_bands", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_near_duplicate_bands_report_id"))
        batch_op.drop_index("ix_near_duplicate_bands_bucket")

    op.drop_table("near_duplicate_bands")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachments_page_url"))

    op.drop_table("attachments")
