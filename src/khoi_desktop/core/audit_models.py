"""The digests of the rows each audit entry changed (core/audit_rows.py)."""

from __future__ import annotations

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from khoi_desktop.core.models import Base


class AuditRowDigest(Base):
    """One row changed by an entry: its digest just after the change (None: the row was deleted)."""

    __tablename__ = "audit_rows"
    __table_args__ = (Index("ix_audit_rows_row", "table_name", "row_id"),)
    # No foreign key: on a server the app's role may not lock audit entries, which a key's check does; the
    # entry's rows_digest (in its hash) vouches for these rows instead.
    entry_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    table_name: Mapped[str] = mapped_column(String(32), primary_key=True)
    row_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    digest: Mapped[str | None] = mapped_column(String(32))
