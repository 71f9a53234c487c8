"""Table model of members, sortable in Vietnamese name order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from khoi_desktop.core.text import show_date, word_sort_key

if TYPE_CHECKING:  # the window shows before the ORM loads
    from khoi_desktop.core.members import MemberRow

Index = QModelIndex | QPersistentModelIndex
PROBATIONARY_COLOR = QColor("#1565c0")


class MemberTableModel(QAbstractTableModel):
    COL_NAME, COL_BIRTH, COL_SEX, COL_STATUS, COL_JOB, COL_ORG, COL_CODE = range(7)
    HEADERS = ("Họ và tên", "Ngày sinh", "Giới tính", "Trạng thái", "Chức vụ", "Chi bộ", "Mã")
    CodeRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[MemberRow] = []
        self._sort: tuple[int, Qt.SortOrder] = (self.COL_NAME, Qt.SortOrder.AscendingOrder)

    def set_rows(self, rows: list[MemberRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._apply_sort()
        self.endResetModel()

    def row_at(self, row: int) -> MemberRow:
        return self._rows[row]

    def rows(self) -> list[MemberRow]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.full_name, show_date(row.birth_date), row.sex.label, row.status.label,
                    row.job_title or "", row.org_name or "", row.code)[column]
        if role == Qt.ItemDataRole.ForegroundRole and row.status == "du_bi":  # MemberStatus.DU_BI (a StrEnum)
            return PROBATIONARY_COLOR
        if role == self.CodeRole:
            return row.code
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return str(section + 1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._apply_sort()
        self.layoutChanged.emit()

    def _apply_sort(self) -> None:
        column, order = self._sort
        keys = {
            self.COL_NAME: lambda r: (r.sort_key, r.code),
            self.COL_BIRTH: lambda r: (r.birth_date.isoformat() if r.birth_date else "", r.sort_key),
            self.COL_SEX: lambda r: (r.sex.value, r.sort_key),
            self.COL_STATUS: lambda r: (r.status.value, r.sort_key),
            self.COL_JOB: lambda r: (word_sort_key(r.job_title), r.sort_key),
            self.COL_ORG: lambda r: (word_sort_key(r.org_name), r.sort_key),
            self.COL_CODE: lambda r: (r.code,),
        }
        self._rows.sort(key=keys[column], reverse=order == Qt.SortOrder.DescendingOrder)
