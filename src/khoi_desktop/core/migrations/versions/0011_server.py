"""server: a version on decisions (two clerks saving one draft), who changed it and when

Revision ID: 0011_server
Revises: 0012_exchange

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011_server'
down_revision: str | Sequence[str] | None = '0012_exchange'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('changed_by', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('changed_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('changed_at')
        batch_op.drop_column('changed_by')
        batch_op.drop_column('version')
