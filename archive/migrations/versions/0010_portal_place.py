"""portals keep the place whose government runs them, to place reports seen on uncoded sites

Revision ID: 0010_portal_place
Revises: 0009_sections
"""

import sqlalchemy as sa
from alembic import op

from archive.issuer import parse_issuer
from archive.vocabulary import IssuerKind

revision = "0010_portal_place"
down_revision = "0009_sections"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("portals", sa.Column("government_place", sa.String(length=100), nullable=True))
    connection = op.get_bind()
    for portal_id, name in connection.execute(sa.text("SELECT id, name FROM portals")).all():
        body = parse_issuer(name)
        if body is None or body.kind == IssuerKind.DEPARTMENT:
            continue
        connection.execute(
            sa.text("UPDATE portals SET government_place = :place WHERE id = :id"),
            {"place": body.place, "id": portal_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("portals", schema=None) as batch_op:
        batch_op.drop_column("government_place")
