"""member_readmissions: a re-admitted member's new record linked to the one it continues

Revision ID: 0016_members_more
Revises: 0017_exchange_more

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016_members_more'
down_revision: str | Sequence[str] | None = '0017_exchange_more'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'member_readmissions',
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('previous_member_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_member_readmissions_member_id_members')),
        sa.ForeignKeyConstraint(['previous_member_id'], ['members.id'],
                                name=op.f('fk_member_readmissions_previous_member_id_members')),
        sa.PrimaryKeyConstraint('member_id', name=op.f('pk_member_readmissions')),
    )
    with op.batch_alter_table('member_readmissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_readmissions_previous_member_id'), ['previous_member_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('member_readmissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_readmissions_previous_member_id'))
    op.drop_table('member_readmissions')
