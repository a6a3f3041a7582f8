"""attachments remember the OCR confidence of text recognised from page images

Revision ID: 0004_ocr
Revises: 0003_dedupe
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_ocr"
down_revision = "0003_dedupe"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("attachments", sa.Column("ocr_confidence", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_column("ocr_confidence")
