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
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('party_age_gap_days')
        batch_op.drop_column('party_age_from')
        batch_op.drop_column('exempt_until')
