"""reports.text compressed with lz4 on PostgreSQL (where the server has it): ranking, snippets,
`show` and exports read whole texts, and lz4 unpacks them about twice as fast as the default
pglz for 5% more space. Texts already stored keep their compression until they are rewritten.

Revision ID: 0014_text_lz4
Revises: 0013_failure_page
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_text_lz4"
down_revision = "0013_failure_page"
branch_labels = None
depends_on = None

# The compression methods the server was built with (PostgreSQL 14 and later).
METHODS = "SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'"


def _has_lz4() -> bool:
    bind = op.get_bind()
    return bind.dialect.name == "postgresql" and "lz4" in (bind.scalar(sa.text(METHODS)) or [])


def upgrade() -> None:
    if _has_lz4():
        op.execute("ALTER TABLE reports ALTER COLUMN text SET COMPRESSION lz4")


def downgrade() -> None:
    if _has_lz4():
        op.execute("ALTER TABLE reports ALTER COLUMN text SET COMPRESSION default")
