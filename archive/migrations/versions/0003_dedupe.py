"""sightings remember the content key of the text their page showed

Revision ID: 0003_dedupe
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_dedupe"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: SQLite keeps the table (no batch copy).
    op.add_column("sightings", sa.Column("page_content_key", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sightings", schema=None) as batch_op:
        batch_op.drop_column("page_content_key")
