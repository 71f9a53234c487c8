"""Alembic environment: always driven from core.db with an open connection."""

from alembic import context

from khoi_desktop.core.engines import postgres_search, sqlite_search
from khoi_desktop.core.schema import METADATA

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=METADATA,
    render_as_batch=True,  # SQLite cannot ALTER most things: copy-and-move tables
    compare_type=True,
    # The search indexes made by migrations alone: SQLite's FTS5 (0020), the server's prefix tables (0021).
    include_name=lambda name, kind, _parent: not (kind == "table" and (
        sqlite_search.is_index_table(name) or postgres_search.is_index_table(name))),
)
with context.begin_transaction():
    context.run_migrations()
