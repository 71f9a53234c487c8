"""submission_files, exchange_item_files, exchange_peers.sealed_keys: a submission's attached scans (kept in
the database with their SHA-256, like a recorded decision's scan) travelling up with it, and the grassroots
body's private keys kept wrapped with a passphrase

Revision ID: 0017_exchange_more
Revises: 0013_audit_seal

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017_exchange_more'
down_revision: str | Sequence[str] | None = '0013_audit_seal'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'submission_files',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('added_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'],
                                name=op.f('fk_submission_files_submission_id_submissions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_submission_files')),
    )
    op.create_index(op.f('ix_submission_files_submission_id'), 'submission_files', ['submission_id'], unique=False)
    op.create_table(
        'exchange_item_files',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['item_id'], ['exchange_items.id'],
                                name=op.f('fk_exchange_item_files_item_id_exchange_items')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_item_files')),
    )
    op.create_index(op.f('ix_exchange_item_files_item_id'), 'exchange_item_files', ['item_id'], unique=False)
    with op.batch_alter_table('exchange_peers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sealed_keys', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('exchange_peers', schema=None) as batch_op:
        batch_op.drop_column('sealed_keys')
    op.drop_index(op.f('ix_exchange_item_files_item_id'), table_name='exchange_item_files')
    op.drop_table('exchange_item_files')
    op.drop_index(op.f('ix_submission_files_submission_id'), table_name='submission_files')
    op.drop_table('submission_files')
