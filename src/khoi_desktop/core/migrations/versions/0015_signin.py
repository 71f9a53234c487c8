"""the operating-system user behind an audit entry

Revision ID: 0015_signin
Revises: 0010_member_more
The command line signs in with an app account like the window: the account is the entry's actor, and the
operating-system user (asked of the OS, not of environment variables) is kept next to it. Older entries
have none (NULL), and their hashes stay as they were: the field enters an entry's hash only when it is set.

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0015_signin'
down_revision: str | Sequence[str] | None = '0010_member_more'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('os_user', sa.String(length=120), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_column('os_user')
