"""The rows of a Core query as the driver's own tuples, for readers of many thousand rows.

SQLAlchemy makes a Row object per row and runs each column's result processor; for a query whose columns
are already plain (numbers, text, dates and enums cast to text) that was a third of a month's status at
provincial scale. The statement is still compiled and its parameters bound by SQLAlchemy, on either engine.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Executable
from sqlalchemy.orm import Session


def plain_rows(session: Session, query: Executable) -> list[tuple[Any, ...]]:
    """Every row of `query` as a plain tuple: select only columns that need no conversion when read."""
    result = session.connection().execute(query)
    try:
        return result.cursor.fetchall()  # type: ignore[return-value]
    finally:
        result.close()
