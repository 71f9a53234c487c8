"""The dry run's findings as a table: errors, duplicates and warnings, each with its Excel row and column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from khoi_desktop.spreadsheets.member_import import ImportReport

ERROR_COLOR = QColor("#fde2e1")
DUPLICATE_COLOR = QColor("#fff1cc")
WARNING_COLOR = QColor("#eef4ff")
SKIPPED_COLOR = QColor("#f1f1f1")


@dataclass(frozen=True)
class Finding:
    row: int
    column: str
    kind: str  # "Lỗi", "Trùng", "Lưu ý", "Bỏ qua"
    message: str
    color: QColor


def findings_of(report: ImportReport) -> list[Finding]:
    found = [Finding(p.row, p.column, "Lỗi", p.message, ERROR_COLOR) for p in report.errors]
    found += [Finding(d.row, "", "Trùng" if d.blocking else "Trùng (chấp nhận)", d.message,
                      DUPLICATE_COLOR if d.blocking else WARNING_COLOR) for d in report.duplicates]
    found += [Finding(p.row, p.column, "Lưu ý", p.message, WARNING_COLOR) for p in report.warnings]
    found += [Finding(r.number, "", "Bỏ qua", f"Không phải đảng viên, {r.reason}: «{r.text}»", SKIPPED_COLOR)
              for r in report.skipped]
    return sorted(found, key=lambda f: (f.row, f.column))


class ReportTableModel(QAbstractTableModel):
    COL_ROW, COL_COLUMN, COL_KIND, COL_MESSAGE = range(4)
    HEADERS = ("Dòng", "Cột", "Loại", "Vấn đề")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Finding] = []

    def set_report(self, report: ImportReport | None) -> None:
        self.beginResetModel()
        self._rows = findings_of(report) if report else []
        self.endResetModel()

    def finding(self, row: int) -> Finding:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        finding = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (finding.row, finding.column, finding.kind, finding.message)[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(finding.color)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (self.COL_ROW, self.COL_COLUMN):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return finding.message
        return None
