"""member_events: admissions, recognitions, transfers, leavings and exemptions of members

Revision ID: 0009_member_events
Revises: 0008_ratings

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009_member_events'
down_revision: str | Sequence[str] | None = '0008_ratings'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'member_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('on', sa.Date(), nullable=False),
        sa.Column('decision_id', sa.Integer(), nullable=True),
        sa.Column('to_org_id', sa.Integer(), nullable=True),
        sa.Column('body', sa.String(length=300), nullable=True),
        sa.Column('until', sa.Date(), nullable=True),
        sa.Column('basis', sa.Text(), nullable=True),
        sa.Column('letter_number', sa.Integer(), nullable=True),
        sa.Column('letter_code', sa.String(length=40), nullable=True),
        sa.Column('slip_returned_on', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_member_events_decision_id_decisions')),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_member_events_member_id_members')),
        sa.ForeignKeyConstraint(['to_org_id'], ['organizations.id'],
                                name=op.f('fk_member_events_to_org_id_organizations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_member_events')),
    )
    with op.batch_alter_table('member_events', schema=None) as batch_op:
        batch_op.create_index('ix_member_events_member_on', ['member_id', 'on'], unique=False)
        batch_op.create_index(batch_op.f('ix_member_events_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_member_events_on'), ['on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('member_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_events_on'))
        batch_op.drop_index(batch_op.f('ix_member_events_kind'))
        batch_op.drop_index('ix_member_events_member_on')
    op.drop_table('member_events')
