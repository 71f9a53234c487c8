"""Typed access to what Qt's stubs type loosely: a table cell this screen filled, a date edit's date."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem


def item_at(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """The item of a cell this screen filled itself (a missing one is a programming error, not user input)."""
    item = table.item(row, column)
    if item is None:
        raise LookupError(f"no item at row {row}, column {column} of {table.objectName() or table!r}")
    return item


def python_date(date: QDate) -> dt.date:
    """QDate.toPython() is typed `object` in PySide6's stubs."""
    value = date.toPython()
    assert isinstance(value, dt.date)
    return value
