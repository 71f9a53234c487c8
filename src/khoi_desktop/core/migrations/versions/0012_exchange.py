"""exchange_peers, exchange_packages, exchange_items, exchange_state: .khoipkg exchange with the grassroots

Revision ID: 0012_exchange
Revises: 0015_signin

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012_exchange'
down_revision: str | Sequence[str] | None = '0015_signin'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'exchange_peers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('code', sa.String(length=32), nullable=True),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('sign_public', sa.String(length=64), nullable=False),
        sa.Column('box_public', sa.String(length=64), nullable=False),
        sa.Column('sign_private', sa.String(length=64), nullable=True),
        sa.Column('box_private', sa.String(length=64), nullable=True),
        sa.Column('is_self', sa.Boolean(), nullable=False),
        sa.Column('enrolled_at', sa.DateTime(), nullable=False),
        sa.Column('enrolled_by', sa.String(length=120), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_peers')),
    )
    op.create_index(op.f('ix_exchange_peers_code'), 'exchange_peers', ['code'], unique=False)
    op.create_table(
        'exchange_packages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('package_id', sa.String(length=32), nullable=False),
        sa.Column('direction', sa.String(length=8), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('peer_code', sa.String(length=32), nullable=True),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('handled_at', sa.DateTime(), nullable=False),
        sa.Column('handled_by', sa.String(length=120), nullable=False),
        sa.Column('records', sa.Integer(), nullable=False),
        sa.Column('attachments', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_packages')),
        sa.UniqueConstraint('package_id', 'direction', name='uq_exchange_packages_package_id'),
    )
    op.create_index(op.f('ix_exchange_packages_peer_code'), 'exchange_packages', ['peer_code'], unique=False)
    op.create_table(
        'exchange_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('package_row_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('ref', sa.String(length=200), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('attachment', sa.LargeBinary(), nullable=True),
        sa.Column('attachment_sha256', sa.String(length=64), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('reviewed_by', sa.String(length=120), nullable=True),
        sa.Column('reviewed_at', sa.DateTime(), nullable=True),
        sa.Column('result', sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(['package_row_id'], ['exchange_packages.id'],
                                name=op.f('fk_exchange_items_package_row_id_exchange_packages')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_items')),
    )
    op.create_index(op.f('ix_exchange_items_package_row_id'), 'exchange_items', ['package_row_id'], unique=False)
    op.create_index(op.f('ix_exchange_items_status'), 'exchange_items', ['status'], unique=False)
    op.create_table(
        'exchange_state',
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('data', sa.Text(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('kind', 'key', name=op.f('pk_exchange_state')),
    )


def downgrade() -> None:
    op.drop_table('exchange_state')
    op.drop_index(op.f('ix_exchange_items_status'), table_name='exchange_items')
    op.drop_index(op.f('ix_exchange_items_package_row_id'), table_name='exchange_items')
    op.drop_table('exchange_items')
    op.drop_index(op.f('ix_exchange_packages_peer_code'), table_name='exchange_packages')
    op.drop_table('exchange_packages')
    op.drop_index(op.f('ix_exchange_peers_code'), table_name='exchange_peers')
    op.drop_table('exchange_peers')
