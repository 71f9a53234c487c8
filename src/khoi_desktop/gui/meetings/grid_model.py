"""Item model of the month grid: one row per chi bộ, one column per month, coloured by status."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from khoi_desktop.core.meetings.status import CellStatus, GridRow, MonthGrid

STATUS_COLOURS = {
    CellStatus.MISSING: "#f4b6b6", CellStatus.PLANNED: "#fde9a9", CellStatus.HELD: "#bfe0f7",
    CellStatus.RATED: "#b9e4b9", CellStatus.NOT_DUE: "#ffffff", CellStatus.NONE: "#e6e6e6",
}
STATUS_MARKS = {CellStatus.MISSING: "✗", CellStatus.PLANNED: "…", CellStatus.HELD: "✓", CellStatus.RATED: "✓",
                CellStatus.NOT_DUE: "", CellStatus.NONE: "–"}
Index = QModelIndex | QPersistentModelIndex


class MonthGridModel(QAbstractTableModel):
    COL_CODE, COL_NAME, FIRST_MONTH = 0, 1, 2
    OrgIdRole = Qt.ItemDataRole.UserRole + 1
    MonthRole = Qt.ItemDataRole.UserRole + 2
    StatusRole = Qt.ItemDataRole.UserRole + 3

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.grid: MonthGrid | None = None
        self._rows: list[GridRow] = []

    def set_grid(self, grid: MonthGrid, *, only_missing: bool = False) -> None:
        self.beginResetModel()
        self.grid = grid
        self._rows = [r for r in grid.rows if not only_missing or r.cells[-1] is CellStatus.MISSING
                      or (r.cells[-1] is CellStatus.PLANNED)]
        self.endResetModel()

    def row_at(self, row: int) -> GridRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.grid is None else self.FIRST_MONTH + len(self.grid.months)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole or self.grid is None:
            return None
        if section == self.COL_CODE:
            return "Mã"
        if section == self.COL_NAME:
            return "Chi bộ"
        month = self.grid.months[section - self.FIRST_MONTH]
        return f"{month.month:02d}/{month.year % 100:02d}"

    def month_of(self, column: int) -> dt.date | None:
        if self.grid is None or column < self.FIRST_MONTH:
            return None
        return self.grid.months[column - self.FIRST_MONTH]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if role == self.OrgIdRole:
            return row.chi_bo.id
        if column == self.COL_CODE:
            return row.chi_bo.code if role == Qt.ItemDataRole.DisplayRole else None
        if column == self.COL_NAME:
            if role == Qt.ItemDataRole.DisplayRole:
                return row.chi_bo.name
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{row.chi_bo.name} – {row.group.name}"
            return None
        status = row.cells[column - self.FIRST_MONTH]
        thematic = row.thematic[column - self.FIRST_MONTH]
        if role == self.StatusRole:
            return status
        if role == self.MonthRole:
            return self.month_of(column)
        if role == Qt.ItemDataRole.DisplayRole:
            return STATUS_MARKS[status] + (" CĐ" if thematic else "")
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(STATUS_COLOURS[status]))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            month = self.month_of(column)
            assert month is not None
            extra = "; có sinh hoạt chuyên đề" if thematic else ""
            return f"{row.chi_bo.name}, tháng {month.month:02d}/{month.year}: {status.label.lower()}{extra}"
        return None
