"""clean stored text: control and bidi-override characters, line breaks in one-line fields

Revision ID: 0006_clean_text
Revises: 0004
Until now only NFC and trimming guarded stored text, so a vertical tab pasted from Word (Shift+Enter), NUL,
ESC or a right-to-left override could be issued in a name and then break every export and the decision's
.docx. Every seam now cleans input (core/text.py `clean_text`); this cleans what is already stored, with the
same function (core/text_cleanup.py). Account times (lockouts) move from local clock time to UTC. Data
only: no schema change, nothing to undo.

"""
import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from khoi_desktop.core.text_cleanup import clean_stored_text

# revision identifiers, used by Alembic.
revision: str = '0006_clean_text'
down_revision: str | Sequence[str] | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Clean stored text; account times from local clock time to UTC."""
    bind = op.get_bind()
    clean_stored_text(bind)
    _account_times_to_utc(bind)


def _account_times_to_utc(bind: sa.Connection) -> None:
    """Lockouts were compared in local clock time, so a changed time zone ended them at once; they are kept
    in UTC from now on (core/auth/accounts.py)."""
    columns = ("locked_until", "created_at", "last_login_at")
    rows = bind.execute(sa.text(f"SELECT id, {', '.join(columns)} FROM users")).mappings().all()
    for row in rows:
        values: dict[str, str | None] = {}
        for column in columns:
            text = row[column]
            if text is None:
                values[column] = None
                continue
            local = dt.datetime.fromisoformat(str(text))
            values[column] = local.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        bind.execute(sa.text("UPDATE users SET locked_until = :locked_until, created_at = :created_at, "
                             "last_login_at = :last_login_at WHERE id = :id"), {**values, "id": row["id"]})


def downgrade() -> None:
    """The removed characters are not restored: they were never meant to be there."""
