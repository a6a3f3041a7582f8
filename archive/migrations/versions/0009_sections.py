"""reports keep their outline (report_sections) and the four required parts they hold or lack
(report_parts, with the evidence; reports.parts_found and parts_complete for filtering)

Revision ID: 0009_sections
Revises: 0008_issuer
"""

import sqlalchemy as sa
from alembic import op

from archive.report_structure import part_rows, read_structure, section_rows

revision = "0009_sections"
down_revision = "0008_issuer"
branch_labels = None
depends_on = None

# Reports are read back this many at a time, so a big archive is not held in memory.
BACKFILL_BATCH = 200

sections = sa.table(
    "report_sections",
    sa.column("report_id", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("level", sa.SmallInteger),
    sa.column("number", sa.SmallInteger),
    sa.column("label", sa.String),
    sa.column("heading", sa.String),
    sa.column("char_start", sa.Integer),
    sa.column("heading_end", sa.Integer),
    sa.column("char_end", sa.Integer),
)
parts = sa.table(
    "report_parts",
    sa.column("report_id", sa.Integer),
    sa.column("part", sa.String),
    sa.column("found", sa.Boolean),
    sa.column("source", sa.String),
    sa.column("evidence", sa.String),
    sa.column("char_start", sa.Integer),
)
reports = sa.table(
    "reports",
    sa.column("id", sa.Integer),
    sa.column("text", sa.Text),
    sa.column("report_year", sa.Integer),
    sa.column("parts_found", sa.SmallInteger),
    sa.column("parts_complete", sa.Boolean),
)


def upgrade() -> None:
    op.create_table(
        "report_sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("number", sa.SmallInteger(), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=False),
        sa.Column("heading", sa.String(length=200), nullable=False),
        sa.Column("char_start", sa.Integer(), nullable=False),
        sa.Column("heading_end", sa.Integer(), nullable=False),
        sa.Column("char_end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_report_sections_report_id_reports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_sections")),
    )
    op.create_index(
        op.f("ix_report_sections_report_id"), "report_sections", ["report_id"], unique=False
    )
    op.create_table(
        "report_parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.String(length=20), nullable=False),
        sa.Column("found", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=True),
        sa.Column("evidence", sa.String(length=200), nullable=True),
        sa.Column("char_start", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_report_parts_report_id_reports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_parts")),
        sa.UniqueConstraint("report_id", "part", name=op.f("uq_report_parts_report_id")),
    )
    op.create_index(op.f("ix_report_parts_report_id"), "report_parts", ["report_id"], unique=False)
    # Plain added columns: SQLite need not rebuild the table (and its search triggers).
    op.add_column("reports", sa.Column("parts_found", sa.SmallInteger(), nullable=True))
    op.add_column("reports", sa.Column("parts_complete", sa.Boolean(), nullable=True))
    op.create_index(op.f("ix_reports_parts_complete"), "reports", ["parts_complete"], unique=False)
    _backfill(op.get_bind())


def _backfill(connection: sa.Connection) -> None:
    """Read the structure of every report stored before this revision, a batch at a time
    (one statement per table and batch)."""
    judged = (
        reports.update()
        .where(reports.c.id == sa.bindparam("report_id"))
        .values(parts_found=sa.bindparam("found"), parts_complete=sa.bindparam("complete"))
    )
    ids = connection.scalars(sa.select(reports.c.id).order_by(reports.c.id)).all()
    for first in range(0, len(ids), BACKFILL_BATCH):
        rows = connection.execute(
            sa.select(reports.c.id, reports.c.text, reports.c.report_year).where(
                reports.c.id.in_(ids[first : first + BACKFILL_BATCH])
            )
        ).all()
        verdicts, outlines, checks = [], [], []
        for report_id, text, report_year in rows:
            structure = read_structure(text or "", report_year)
            verdicts.append(
                {
                    "report_id": report_id,
                    "found": structure.parts_found,
                    "complete": structure.parts_complete,
                }
            )
            outlines += section_rows(report_id, structure.sections)
            checks += part_rows(report_id, structure.parts)
        writes = ((judged, verdicts), (sections.insert(), outlines), (parts.insert(), checks))
        for statement, values in writes:
            if values:
                connection.execute(statement, values)


def downgrade() -> None:
    op.drop_index(op.f("ix_reports_parts_complete"), table_name="reports")
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_column("parts_complete")
        batch_op.drop_column("parts_found")
    op.drop_index(op.f("ix_report_parts_report_id"), table_name="report_parts")
    op.drop_table("report_parts")
    op.drop_index(op.f("ix_report_sections_report_id"), table_name="report_sections")
    op.drop_table("report_sections")
