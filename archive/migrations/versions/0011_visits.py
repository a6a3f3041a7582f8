"""portal_visits: how far each crawl run got on each portal (completed, partial, not visited)

Revision ID: 0011_visits
Revises: 0010_portal_place
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_visits"
down_revision = "0010_portal_place"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "portal_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("crawl_run_id", sa.Integer(), nullable=False),
        sa.Column("portal_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["crawl_run_id"],
            ["crawl_runs.id"],
            name=op.f("fk_portal_visits_crawl_run_id_crawl_runs"),
        ),
        sa.ForeignKeyConstraint(
            ["portal_id"], ["portals.id"], name=op.f("fk_portal_visits_portal_id_portals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_visits")),
        sa.UniqueConstraint(
            "crawl_run_id", "portal_id", name=op.f("uq_portal_visits_crawl_run_id")
        ),
    )
    with op.batch_alter_table("portal_visits", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_portal_visits_crawl_run_id"), ["crawl_run_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_portal_visits_portal_id"), ["portal_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("portal_visits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_portal_visits_portal_id"))
        batch_op.drop_index(batch_op.f("ix_portal_visits_crawl_run_id"))
    op.drop_table("portal_visits")
