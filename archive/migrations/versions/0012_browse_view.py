"""browse_reports: one row per report with the level and region of the portal it was found on,
for facets in `nianbao serve` (Datasette facets a table or a view, never a join)

Revision ID: 0012_browse_view
Revises: 0011_visits

A view over reports, sightings and portals: a later migration that rebuilds one of those
tables on SQLite (batch_alter_table) must drop the view first and create it again after, as
SQLite refuses to rename a table while a view names a missing one.
"""

from alembic import op

revision = "0012_browse_view"
down_revision = "0011_visits"
branch_labels = None
depends_on = None

# The portal of a report's first sighting on a registry portal: where the crawl found it.
# Region codes are GB/T 2260 prefixes: 2 digits the province, 4 the prefecture; the province's
# name is its provincial portal's (a registry may list one portal twice: min keeps one row).
BROWSE_REPORTS = """
CREATE VIEW browse_reports AS
SELECT
    r.id,
    r.title,
    r.report_year,
    r.published_at,
    r.written_at,
    r.issuer,
    r.publisher,
    p.level,
    substr(p.division_code, 1, 2) AS province_code,
    (
        SELECT min(q.name) FROM portals q
        WHERE q.level = 'province' AND q.division_code = substr(p.division_code, 1, 2) || '0000'
    ) AS province,
    substr(p.division_code, 1, 4) AS prefecture_code,
    p.division_code,
    p.name AS portal,
    r.host,
    r.issuer_kind,
    r.text_source,
    r.needs_ocr,
    (SELECT count(*) FROM sightings s WHERE s.report_id = r.id) AS sightings
FROM reports r
LEFT JOIN portals p ON p.id = (
    SELECT s.portal_id FROM sightings s
    WHERE s.report_id = r.id AND s.portal_id IS NOT NULL
    ORDER BY s.id LIMIT 1
)
"""


def upgrade() -> None:
    op.execute(BROWSE_REPORTS)


def downgrade() -> None:
    op.execute("DROP VIEW browse_reports")
