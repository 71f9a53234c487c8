"""which key slot an account's password last wrapped

Revision ID: 0019_key_copy
Revises: 0016_members_more
An encrypted file's sign-in proves the password once, with the account's key slot (Argon2id): the account
row records a digest of the slot written with its current password, so the slot that opened is known to be
that one (a copy of an older key file, with an older password's slot, does not match and falls back to the
password hash). NULL until the account's password is set or it signs in once.

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0019_key_copy'
down_revision: str | Sequence[str] | None = '0016_members_more'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_slot', sa.String(length=64), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('key_slot')
