"""Table models of the appointment screens: committee holders, seat history, submissions, term summary."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from khoi_desktop.core.appointments.committees import BodyNames, Holder, PastSeat
from khoi_desktop.core.appointments.submissions import SubmissionRow
from khoi_desktop.core.appointments.summary import OrgTally, TermSummary
from khoi_desktop.core.models import SubmissionStatus
from khoi_desktop.core.stats import thousands
from khoi_desktop.core.text import show_date

Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")
WARNING_COLOR = QColor("#c62828")
PENDING_COLOR = QColor("#ef6c00")


class RowsModel(QAbstractTableModel, Generic[Row]):
    """Rows of plain data shown through `cells(row)`; subclasses name their columns."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def cells(self, row: Row) -> tuple[str, ...]:
        """Each table model says what its columns show (an abstract hook, always overridden)."""
        raise NotImplementedError

    def foreground(self, row: Row) -> QColor | None:
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cells(row)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(row)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.HEADERS[section] if orientation == Qt.Orientation.Horizontal else str(section + 1)


class HoldersModel(RowsModel[Holder]):
    COL_NAME, COL_ROLES, COL_SINCE, COL_DECISION, COL_JOB = range(5)
    HEADERS = ("Họ và tên", "Chức danh", "Từ ngày", "Quyết định", "Chức vụ, đơn vị")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.names: BodyNames | None = None

    def cells(self, row: Holder) -> tuple[str, ...]:
        roles = self.names.roles_text(row.roles) if self.names else row.roles_label
        if not row.still_member:
            roles += " (đã chuyển khỏi tổ chức)"
        return (row.full_name, roles, show_date(row.since), ", ".join(row.decisions), row.job)

    def foreground(self, row: Holder) -> QColor | None:
        return None if row.still_member else WARNING_COLOR


class HistoryModel(RowsModel[PastSeat]):
    HEADERS = ("Họ và tên", "Chức danh", "Nhiệm kỳ", "Thời gian", "Lý do thôi", "Quyết định")

    def cells(self, row: PastSeat) -> tuple[str, ...]:
        period = f"{show_date(row.valid_from)} – {show_date(row.valid_to) if row.valid_to else 'nay'}"
        return (row.full_name, row.role.label, row.term, period, row.end_reason or "", row.decision or "")


class SubmissionsModel(RowsModel[SubmissionRow]):
    COL_NUMBER, COL_RECEIVED, COL_ORG, COL_SUBJECT, COL_FOR, COL_STATUS, COL_AGE, COL_DECISION = range(8)
    HEADERS = ("Số tờ trình", "Ngày nhận", "Tổ chức", "Nội dung đề nghị", "Đề nghị cho", "Trạng thái", "Số ngày",
               "Quyết định")

    def cells(self, row: SubmissionRow) -> tuple[str, ...]:
        status = row.status.label + (f": {row.returned_reason}" if row.returned_reason else "")
        decision = row.decision_code or ("dự thảo, chưa cấp số" if row.decision_id else "")
        subject = row.subject + (f" (kèm {len(row.files)} tệp)" if row.files else "")
        return (row.register_number, show_date(row.received_on), row.org_name, subject, row.for_whom, status,
                str(row.age_days), decision)

    def foreground(self, row: SubmissionRow) -> QColor | None:
        if row.status is SubmissionStatus.RETURNED:
            return WARNING_COLOR
        return PENDING_COLOR if row.pending else None


class SummaryModel(RowsModel[OrgTally]):
    HEADERS = ("Tổ chức đảng", "Số quyết định", "Cấp ủy viên", "Ủy viên BTV", "Bí thư", "Phó Bí thư")

    def set_summary(self, summary: TermSummary) -> None:
        total = OrgTally(org_code="", org_name="Tổng cộng", **summary.total.as_dict())
        self.set_rows([*summary.orgs, total] if summary.orgs else [total])

    def cells(self, row: OrgTally) -> tuple[str, ...]:
        numbers: tuple[Callable[[OrgTally], int], ...] = (
            lambda t: t.decisions, lambda t: t.cap_uy_vien, lambda t: t.uy_vien_btv, lambda t: t.bi_thu,
            lambda t: t.pho_bi_thu)
        return (row.org_name, *(thousands(f(row)) for f in numbers))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole and index.isValid() and not self.row_at(index.row()).org_code:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().data(index, role)
