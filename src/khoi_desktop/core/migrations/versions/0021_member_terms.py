"""member_terms: member search on a server from a prefix index in name order (PostgreSQL)

Revision ID: 0021_member_terms
Revises: 0020_member_fts
A server office searched its members with several statements (a capped count per word typed, then the
members through member_words, then their rows), each a round trip and a plan, and sorted every match:
1,8× (p50) and 2,7× (p95) the SQLite file's at scale 20 before the file got its FTS5 index (0020).
member_terms (core/engines/postgres_search.py) holds every prefix of every word of each folded name with
the member's rough name-order rank, so the first 500 matches are read in name order without sorting the
rest, in one statement. Triggers on members keep it in step with every write; this migration fills it
from the members already there. SQLite: no change (member_fts, 0020).

"""
from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0021_member_terms'
down_revision: str | Sequence[str] | None = '0020_member_fts'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from khoi_desktop.core.engines.postgres_search import CREATE, FILL

    for statement in [*CREATE, *FILL, "ANALYZE member_terms", "ANALYZE member_term_counts"]:
        bind.exec_driver_sql(statement)


def downgrade() -> None:
    """Downgrade schema."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from khoi_desktop.core.engines.postgres_search import DROP

    for statement in DROP:
        bind.exec_driver_sql(statement)
