"""members: the end of an exemption, and the party age of a member whose membership was interrupted

Revision ID: 0010_member_more
Revises: 0005_issuers

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010_member_more'
down_revision: str | Sequence[str] | None = '0005_issuers'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('exempt_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('party_age_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('party_age_gap_days', sa.Integer(), nullable=True))


def downgrade() -> None:
    # ALTER TABLE … DROP COLUMN in place (SQLite 3.35+, PostgreSQL): a batch copy of `members` would drop the
    # table every other one refers to, which the foreign keys refuse.
    for column in ('party_age_gap_days', 'party_age_from', 'exempt_until'):
        op.drop_column('members', column)
