"""full-text search over character bigrams, on SQLite and PostgreSQL alike

Revision ID: 0005_search
Revises: 0004_ocr
"""

import sqlalchemy as sa
from alembic import op

from archive.search_index import (
    POSTGRES_SCHEMA,
    SQLITE_SCHEMA,
    index_reports,
)

revision = "0005_search"
down_revision = "0004_ocr"
branch_labels = None
depends_on = None

# The trigram table of 0001 could not answer 1-2 character terms; the bigram index replaces it.
TRIGRAM_OBJECTS = ("reports_fts_insert", "reports_fts_delete", "reports_fts_update")


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        for trigger in TRIGRAM_OBJECTS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS reports_fts")
        op.execute(SQLITE_SCHEMA)
    else:
        for statement in POSTGRES_SCHEMA:
            op.execute(statement)
    reports = connection.execute(sa.text("SELECT id, title, text FROM reports"))
    index_reports(connection, ((i, title, body) for i, title, body in reports))


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        op.execute("DROP TABLE report_search")
    else:
        op.execute("DROP TABLE report_search_chunks")
