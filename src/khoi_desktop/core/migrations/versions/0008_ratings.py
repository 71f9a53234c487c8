"""rating_rounds, org_ratings, member_ratings: the yearly quality rating of organizations and members

Revision ID: 0008_ratings
Revises: 0007_meetings

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008_ratings'
down_revision: str | Sequence[str] | None = '0007_meetings'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEVELS = ('htxs', 'htt', 'ht', 'kht')


def _level() -> sa.Enum:
    return sa.Enum(*LEVELS, name='rating_level', native_enum=False, length=32)


def _decided() -> list[sa.Column]:
    return [sa.Column('proposed', _level(), nullable=True), sa.Column('decided', _level(), nullable=True),
            sa.Column('decided_by', sa.String(length=120), nullable=True),
            sa.Column('decided_at', sa.DateTime(), nullable=True),
            sa.Column('note', sa.String(length=500), nullable=True)]


def upgrade() -> None:
    op.create_table(
        'rating_rounds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('reference_date', sa.Date(), nullable=False),
        sa.Column('decision_id', sa.Integer(), nullable=True),
        sa.Column('opened_by', sa.String(length=120), nullable=False),
        sa.Column('opened_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'],
                                name=op.f('fk_rating_rounds_decision_id_decisions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_rounds')),
        sa.UniqueConstraint('year', name=op.f('uq_rating_rounds_year')),
    )
    op.create_table(
        'org_ratings',
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('org_id', sa.Integer(), nullable=False),
        *_decided(),
        sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_org_ratings_org_id_organizations')),
        sa.ForeignKeyConstraint(['round_id'], ['rating_rounds.id'],
                                name=op.f('fk_org_ratings_round_id_rating_rounds'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('round_id', 'org_id', name=op.f('pk_org_ratings')),
        sqlite_with_rowid=False,
    )
    op.create_table(
        'member_ratings',
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('org_id', sa.Integer(), nullable=False),
        sa.Column('disciplined', sa.Boolean(), nullable=False),
        *_decided(),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_member_ratings_member_id_members')),
        sa.ForeignKeyConstraint(['org_id'], ['organizations.id'],
                                name=op.f('fk_member_ratings_org_id_organizations')),
        sa.ForeignKeyConstraint(['round_id'], ['rating_rounds.id'],
                                name=op.f('fk_member_ratings_round_id_rating_rounds'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('round_id', 'member_id', name=op.f('pk_member_ratings')),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table('member_ratings', schema=None) as batch_op:
        batch_op.create_index('ix_member_ratings_round_org', ['round_id', 'org_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('member_ratings', schema=None) as batch_op:
        batch_op.drop_index('ix_member_ratings_round_org')
    op.drop_table('member_ratings')
    op.drop_table('org_ratings')
    op.drop_table('rating_rounds')
