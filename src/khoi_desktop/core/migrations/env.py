"""Alembic environment: always driven from core.db with an open connection."""

from alembic import context

from khoi_desktop.core.engines.sqlite_search import is_index_table
from khoi_desktop.core.schema import METADATA

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=METADATA,
    render_as_batch=True,  # SQLite cannot ALTER most things: copy-and-move tables
    compare_type=True,
    include_name=lambda name, kind, _parent: not (kind == "table" and is_index_table(name)),  # SQLite's FTS5
)
with context.begin_transaction():
    context.run_migrations()
