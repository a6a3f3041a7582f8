"""portal health records the recall safety net: why it ran, pages spent, found and tried

Revision ID: 0006_paging
Revises: 0005_search
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_paging"
down_revision = "0005_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs with defaults: SQLite keeps the table (no batch copy).
    op.add_column(
        "portal_health",
        sa.Column("safety_net", sa.String(length=300), nullable=False, server_default=""),
    )
    op.add_column(
        "portal_health",
        sa.Column("safety_net_pages", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column(
        "portal_health",
        sa.Column("safety_net_found", sa.Text(), nullable=False, server_default=""),
    )
    op.add_column(
        "portal_health",
        sa.Column("safety_net_tried", sa.Text(), nullable=False, server_default=""),
    )


def downgrade() -> None:
    with op.batch_alter_table("portal_health", schema=None) as batch_op:
        batch_op.drop_column("safety_net_tried")
        batch_op.drop_column("safety_net_found")
        batch_op.drop_column("safety_net_pages")
        batch_op.drop_column("safety_net")
