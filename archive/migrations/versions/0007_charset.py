"""captures remember how extraction chose the charset and whether the choice is certain

Revision ID: 0007_charset
Revises: 0006_paging
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_charset"
down_revision = "0006_paging"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs: SQLite keeps the table (no batch copy).
    op.add_column("captures", sa.Column("charset_source", sa.String(length=20), nullable=True))
    op.add_column("captures", sa.Column("charset_confident", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("captures", schema=None) as batch_op:
        batch_op.drop_column("charset_confident")
        batch_op.drop_column("charset_source")
