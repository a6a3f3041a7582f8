"""reports keep the issuer's parts (place, kind of body, department) for coverage

Revision ID: 0008_issuer
Revises: 0007_charset
"""

import sqlalchemy as sa
from alembic import op

from archive.issuer import parse_issuer

revision = "0008_issuer"
down_revision = "0007_charset"
branch_labels = None
depends_on = None

COLUMNS = (
    ("issuer_place", 100),
    ("issuer_kind", 20),
    ("issuer_department", 100),
)


def upgrade() -> None:
    # Plain added columns: SQLite need not rebuild the table (and its search triggers).
    for name, length in COLUMNS:
        op.add_column("reports", sa.Column(name, sa.String(length=length), nullable=True))
    connection = op.get_bind()
    reports = connection.execute(sa.text("SELECT id, issuer, title FROM reports")).all()
    for report_id, issuer_name, title in reports:
        issuer = parse_issuer(issuer_name or title)
        if issuer is None:
            continue
        connection.execute(
            sa.text(
                "UPDATE reports SET issuer_place = :place, issuer_kind = :kind,"
                " issuer_department = :department WHERE id = :id"
            ),
            {
                "place": issuer.place,
                "kind": issuer.kind.value,
                "department": issuer.department,
                "id": report_id,
            },
        )


def downgrade() -> None:
    with op.batch_alter_table("reports", schema=None) as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
