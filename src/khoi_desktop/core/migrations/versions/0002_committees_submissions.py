"""committees and submissions

Revision ID: 0002
Revises: 0001
Appointments: each organization's committee per term (size set by the congress, dates, decision)
and the submissions (tờ trình) that ask for appointments and approvals.

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0002'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('committees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(length=20), nullable=False),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_committees_decision_id_decisions')),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_committees_org_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_committees')),
    sa.UniqueConstraint('org_id', 'term', name='uq_committees_org_term')
    )
    with op.batch_alter_table('committees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_committees_org_id'), ['org_id'], unique=False)

    op.create_table('submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('register_number', sa.String(length=40), nullable=False),
    sa.Column('dated_on', sa.Date(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('member_codes', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('received', 'drafted', 'issued', 'returned', name='submission_status',
                                native_enum=False, length=32), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('returned_on', sa.Date(), nullable=True),
    sa.Column('returned_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_submissions_decision_id_decisions')),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_submissions_org_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submissions'))
    )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submissions_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submissions_register_number'), ['register_number'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submissions_register_number'))
        batch_op.drop_index(batch_op.f('ix_submissions_org_id'))

    op.drop_table('submissions')
    with op.batch_alter_table('committees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_committees_org_id'))

    op.drop_table('committees')
