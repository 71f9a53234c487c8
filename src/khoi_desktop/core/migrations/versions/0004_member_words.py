"""member_words, and indexes for name order and full members: search and counts at provincial scale

Revision ID: 0004
Revises: 0003
At provincial scale (over 100.000 members) a LIKE over every folded name took most of the 30 ms a
search may take; the search now starts from the members having a word with the rarest prefix typed, or
reads the first names in name order from one index. Counting full members per chi bộ now starts from
the few members not yet full (an index on full_member_on) instead of joining every membership.

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: str | Sequence[str] | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    member_words = op.create_table('member_words',
    sa.Column('word', sa.String(length=250), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_member_words_member_id_members'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('word', 'member_id', name=op.f('pk_member_words'))
    )
    with op.batch_alter_table('member_words', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_words_member_id'), ['member_id'], unique=False)

    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.create_index('ix_members_name_order', ['sort_key', 'code', 'search_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_members_full_member_on'), ['full_member_on'], unique=False)

    bind = op.get_bind()
    rows = [{"word": word, "member_id": member_id}
            for member_id, key in bind.execute(sa.text("SELECT id, search_key FROM members"))
            for word in sorted(set((key or "").split()))]
    if rows:
        bind.execute(member_words.insert(), rows)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_members_full_member_on'))
        batch_op.drop_index('ix_members_name_order')

    with op.batch_alter_table('member_words', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_words_member_id'))

    op.drop_table('member_words')
