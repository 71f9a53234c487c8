"""clean stored text: control and bidi-override characters, line breaks in one-line fields

Revision ID: 0006_clean_text
Revises: 0004
Until now only NFC and trimming guarded stored text, so a vertical tab pasted from Word (Shift+Enter), NUL,
ESC or a right-to-left override could be issued in a name and then break every export and the decision's
.docx. Every seam now cleans input (core/text.py `clean_text`); this cleans what is already stored, with the
same function (core/text_cleanup.py). Data only: no schema change, nothing to undo.

"""
from collections.abc import Sequence

from alembic import op

from khoi_desktop.core.text_cleanup import clean_stored_text

# revision identifiers, used by Alembic.
revision: str = '0006_clean_text'
down_revision: str | Sequence[str] | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Clean stored text."""
    clean_stored_text(op.get_bind())


def downgrade() -> None:
    """The removed characters are not restored: they were never meant to be there."""
