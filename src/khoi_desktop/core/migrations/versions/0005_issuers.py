"""issuing bodies: a decision's issuer and recorded decisions of a đảng ủy cơ sở

Revision ID: 0005_issuers
Revises: 0009_member_events
A decision is this office's (issuer NULL, numbered in its sequence) or a decision of the đảng bộ cơ sở
whose committee is the directly superior committee of the organizations it concerns (Điều lệ Đảng,
Điều 10 khoản 3). Such a decision is recorded with its own number (recorded = true) or drafted for it.
A placement keeps the organization's kind while placed there (a chi bộ cơ sở moved under a đảng bộ cơ sở
becomes a chi bộ trực thuộc; earlier dates show the old kind).

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0005_issuers'
down_revision: str | Sequence[str] | None = '0009_member_events'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('dang_bo_co_so', 'chi_bo_co_so', 'dang_bo_bo_phan',
                                                      'chi_bo_truc_thuoc', name='org_kind', native_enum=False,
                                                      length=32), nullable=True))
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issuer_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('recorded', sa.Boolean(), server_default='0', nullable=False))
        batch_op.create_index(batch_op.f('ix_decisions_issuer_id'), ['issuer_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_decisions_issuer_id_organizations'), 'organizations',
                                    ['issuer_id'], ['id'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_decisions_issuer_id_organizations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_decisions_issuer_id'))
        batch_op.drop_column('recorded')
        batch_op.drop_column('issuer_id')
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.drop_column('kind')
