"""users and the audit anchor

Revision ID: 0003
Revises: 0002
Accounts (Argon2id password hashes, roles quan_tri / chuyen_vien / chi_xem, lockout state), and the audit
trail's anchor (settings key `audit_anchor`: last id, last hash, number of entries) written for the
entries already there, so a deletion of the last rows is detected from now on (core/audit.py).

"""
import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: str | Sequence[str] | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=60), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.Enum('quan_tri', 'chuyen_vien', 'chi_xem', name='user_role', native_enum=False,
                              length=32), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    bind = op.get_bind()
    count = bind.execute(sa.text("SELECT count(*) FROM audit_entries")).scalar() or 0
    if count:
        last_id, last_hash = bind.execute(
            sa.text("SELECT id, hash FROM audit_entries ORDER BY id DESC LIMIT 1")).one()
        value = json.dumps({"last_id": last_id, "last_hash": last_hash, "count": count})
        bind.execute(sa.text("DELETE FROM settings WHERE key = 'audit_anchor'"))
        bind.execute(sa.text("INSERT INTO settings (key, value) VALUES ('audit_anchor', :value)"), {"value": value})


def downgrade() -> None:
    """Downgrade schema."""
    op.execute("DELETE FROM settings WHERE key = 'audit_anchor'")
    op.drop_table('users')
