"""Table model of the backups in a folder: date, size, counts, encrypted or not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from khoi_desktop.core.backup.describe import show_size, show_time
from khoi_desktop.core.stats import thousands
from khoi_desktop.gui.backup.ops import BackupRow

Index = QModelIndex | QPersistentModelIndex


class BackupListModel(QAbstractTableModel):
    COL_DATE, COL_SIZE, COL_ORGS, COL_MEMBERS, COL_DECISIONS, COL_ENCRYPTED, COL_FILE = range(7)
    HEADERS = ("Ngày giờ sao lưu", "Dung lượng", "Tổ chức", "Đảng viên", "Quyết định", "Mã hóa", "Tệp")
    PathRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[BackupRow] = []

    def set_rows(self, rows: list[BackupRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[BackupRow]:
        return list(self._rows)

    def row_at(self, row: int) -> BackupRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def _text(self, row: BackupRow, column: int) -> str:
        manifest = row.info.manifest if row.info else None
        if column == self.COL_DATE:
            return show_time(row.created_at) if row.created_at else ""
        if column == self.COL_SIZE:
            return show_size(row.size)
        if column in (self.COL_ORGS, self.COL_MEMBERS, self.COL_DECISIONS):
            if manifest is None:
                return "—"
            listed = manifest.decisions if manifest.issued is None else manifest.issued + (manifest.drafts or 0)
            return thousands({self.COL_ORGS: manifest.organizations, self.COL_MEMBERS: manifest.members,
                              self.COL_DECISIONS: listed}[column])  # decisions: as the decisions list holds
        if column == self.COL_ENCRYPTED:
            return "Hỏng" if row.problem else ("Có" if row.encrypted else "Không")
        return row.path.name

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.problem:
                return row.problem
            if row.encrypted:
                return "Bản sao lưu được mã hóa: cần mật khẩu để xem số liệu và khôi phục."
            return str(row.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (
                self.COL_SIZE, self.COL_ORGS, self.COL_MEMBERS, self.COL_DECISIONS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.PathRole:
            return Path(row.path)
        return None
