"""Alembic environment: runs migrations on the engine handed over by archive.db."""

from alembic import context

from archive.db import include_object
from archive.models import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite can only ALTER through table copies
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()
