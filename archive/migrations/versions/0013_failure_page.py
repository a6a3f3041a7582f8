"""failures.page_url: the report page that links a failed file, asked again in full by the next
run so that the file is tried again (a stored page is otherwise never parsed again)

Revision ID: 0013_failure_page
Revises: 0012_browse_view
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_failure_page"
down_revision = "0012_browse_view"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("failures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("page_url", sa.String(length=1000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("failures", schema=None) as batch_op:
        batch_op.drop_column("page_url")
