"""Rows of the outgoing register for a table view."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from khoi_desktop.core.register import RegisterRow
from khoi_desktop.core.text import show_date

_Index = QModelIndex | QPersistentModelIndex


class RegisterTableModel(QAbstractTableModel):
    COL_NUMBER, COL_CODE, COL_DATE, COL_TYPE, COL_SUBJECT, COL_SIGNER, COL_RECIPIENTS = range(7)
    HEADERS = ["Số", "Ký hiệu", "Ngày ban hành", "Loại", "Trích yếu", "Người ký", "Nơi nhận"]
    DecisionIdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[RegisterRow] = []

    def set_rows(self, rows: list[RegisterRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    @property
    def rows(self) -> list[RegisterRow]:
        return list(self._rows)

    def row_at(self, row: int) -> RegisterRow:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt API)
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == self.DecisionIdRole:
            return row.id
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                self.COL_NUMBER: str(row.number or ""),
                self.COL_CODE: row.code or "",
                self.COL_DATE: show_date(row.issued_on),
                self.COL_TYPE: row.action_label,
                self.COL_SUBJECT: row.subject,
                self.COL_SIGNER: row.signer,
                # "Như Điều 3," + "Lưu VP." read as a list: the document's own punctuation goes
                self.COL_RECIPIENTS: "; ".join(r.rstrip(",;. ") for r in row.recipients if r.strip(",;. ")),
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_RECIPIENTS:
            return "\n".join(f"- {r}" for r in row.recipients)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.COL_NUMBER, self.COL_DATE):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None
