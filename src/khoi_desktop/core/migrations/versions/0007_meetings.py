"""meetings and meeting_attendance: chi bộ meetings, their attendance and rating

Revision ID: 0007_meetings
Revises: 0006_clean_text

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007_meetings'
down_revision: str | Sequence[str] | None = '0006_clean_text'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32)


def upgrade() -> None:
    op.create_table(
        'meetings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('org_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('kind', _enum('meeting_kind', 'thuong_ky', 'chuyen_de'), nullable=False),
        sa.Column('planned_on', sa.Date(), nullable=True),
        sa.Column('held_on', sa.Date(), nullable=True),
        sa.Column('topic', sa.String(length=500), nullable=True),
        sa.Column('chair_id', sa.Integer(), nullable=True),
        sa.Column('summary', sa.Text(), nullable=True),
        sa.Column('resolutions', sa.Text(), nullable=True),
        sa.Column('scores', sa.Text(), nullable=True),
        sa.Column('points', sa.Integer(), nullable=True),
        sa.Column('rating', _enum('meeting_rating', 'tot', 'kha', 'trung_binh', 'kem'), nullable=True),
        sa.Column('sheet', sa.String(length=40), nullable=True),
        sa.Column('expected', sa.Integer(), nullable=False),
        sa.Column('present', sa.Integer(), nullable=False),
        sa.Column('absent', sa.Integer(), nullable=False),
        sa.Column('absent_unexcused', sa.Integer(), nullable=False),
        sa.Column('excused', sa.Integer(), nullable=False),
        sa.Column('entered_by', sa.String(length=120), nullable=False),
        sa.Column('entered_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['chair_id'], ['members.id'], name=op.f('fk_meetings_chair_id_members')),
        sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_meetings_org_id_organizations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings')),
        sa.UniqueConstraint('org_id', 'month', 'kind', name='uq_meetings_org_month_kind'),
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index('ix_meetings_month_cover',
                              ['month', 'org_id', 'kind', 'held_on', 'rating', 'expected', 'present'], unique=False)
    op.create_table(
        'meeting_attendance',
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('status', _enum('attendance_status', 'present', 'absent', 'excused'), nullable=False),
        sa.Column('reason', sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'],
                                name=op.f('fk_meeting_attendance_meeting_id_meetings'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_meeting_attendance_member_id_members')),
        sa.PrimaryKeyConstraint('meeting_id', 'member_id', name=op.f('pk_meeting_attendance')),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table('meeting_attendance', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_attendance_absent', ['member_id'], unique=False,
                              sqlite_where=sa.text("status = 'absent'"), postgresql_where=sa.text("status = 'absent'"))


def downgrade() -> None:
    with op.batch_alter_table('meeting_attendance', schema=None) as batch_op:
        batch_op.drop_index('ix_meeting_attendance_absent')
    op.drop_table('meeting_attendance')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index('ix_meetings_month_cover')
    op.drop_table('meetings')
