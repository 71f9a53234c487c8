"""member_fts: member search from an FTS5 index in name order (SQLite)

Revision ID: 0020_member_fts
Revises: 0019_key_copy
At provincial scale (107.000 members) a search for a common name read and sorted thousands of members:
p95 115 ms. The FTS5 index (core/engines/sqlite_search.py) finds the members having every word typed and
gives them in name order, so the first 500 are read without sorting the rest. Triggers on members keep it
in step with every write; this migration fills it from the members already there. PostgreSQL keeps
member_words (no change there).

"""
from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0020_member_fts'
down_revision: str | Sequence[str] | None = '0019_key_copy'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    from khoi_desktop.core.engines.sqlite_search import CREATE, FILL

    for statement in CREATE:
        bind.exec_driver_sql(statement)
    bind.exec_driver_sql(FILL)


def downgrade() -> None:
    """Downgrade schema."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    from khoi_desktop.core.engines.sqlite_search import DROP

    for statement in DROP:
        bind.exec_driver_sql(statement)
