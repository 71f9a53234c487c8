"""Table models of the account and audit screens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from khoi_desktop.core.audit_log import AuditRow
from khoi_desktop.core.auth.accounts import Account

_Index = QModelIndex | QPersistentModelIndex


def show_time(when: dt.datetime | None) -> str:
    return when.strftime("%d/%m/%Y %H:%M") if when else ""


class _Rows(QAbstractTableModel):
    HEADERS: list[str] = []

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    @property
    def rows(self) -> list[Any]:
        return list(self._rows)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt API)
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


class AccountTableModel(_Rows):
    COL_USERNAME, COL_NAME, COL_ROLE, COL_STATE, COL_LAST_LOGIN = range(5)
    HEADERS = ["Tên đăng nhập", "Họ và tên", "Vai trò", "Trạng thái", "Đăng nhập gần nhất"]

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.now = dt.datetime.now

    def row_at(self, row: int) -> Account:
        return self._rows[row]  # type: ignore[no-any-return]

    def state(self, account: Account) -> str:
        if not account.active:
            return "Đã vô hiệu hóa"
        if account.locked(self.now()) and account.locked_until is not None:
            return f"Bị khóa đến {account.locked_until.astimezone():%H:%M}"
        return "Đang dùng"

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        account = self.row_at(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return {self.COL_USERNAME: account.username, self.COL_NAME: account.full_name,
                    self.COL_ROLE: account.role.label, self.COL_STATE: self.state(account),
                    self.COL_LAST_LOGIN: show_time(account.last_login_at)}[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == self.COL_STATE and \
                self.state(account) != "Đang dùng":
            return QColor("#b00020")
        return None


class AuditTableModel(_Rows):
    COL_ID, COL_AT, COL_ACTOR, COL_ACTION, COL_TARGET, COL_BEFORE, COL_AFTER = range(7)
    HEADERS = ["Mục", "Thời gian", "Người thực hiện", "Thao tác", "Đối tượng", "Trước", "Sau"]

    def row_at(self, row: int) -> AuditRow:
        return self._rows[row]  # type: ignore[no-any-return]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return {self.COL_ID: str(row.id), self.COL_AT: row.at_text,
                    self.COL_ACTOR: row.actor, self.COL_ACTION: row.action_label, self.COL_TARGET: row.target_label,
                    self.COL_BEFORE: row.before, self.COL_AFTER: row.after}[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.COL_ID, self.COL_AT):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None
