"""One chi bộ's year of meetings, and who missed them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from khoi_desktop.core.changes import Area
from khoi_desktop.core.meetings.status import ChiBoYear
from khoi_desktop.core.text import show_date
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.meetings import ops

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow


def _table(parent: QDialog, name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    return table


class HistoryDialog(QDialog):
    loaded = Signal()

    def __init__(self, window: MainWindow, org_code: str, org_id: int) -> None:
        super().__init__(window)
        self.setObjectName("meeting_history")
        self.window_ = window
        self.org_code, self.org_id = org_code, org_id
        self.history: ChiBoYear | None = None
        self.resize(1000, 640)
        self.heading = QLabel("Đang tải…", self)
        self.heading.setStyleSheet("font-weight: bold;")
        self.year = QSpinBox(self)
        self.year.setObjectName("year")
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year)
        self.meetings = _table(self, "meetings", ["Tháng", "Loại", "Ngày dự kiến", "Ngày họp", "Chủ đề", "Dự họp",
                                                  "Vắng không lý do", "Điểm", "Xếp loại"])
        self.meetings.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.meetings.doubleClicked.connect(self._open)
        self.absentees = _table(self, "absentees", ["Mã", "Họ và tên", "Vắng không lý do", "Vắng có lý do"])
        self.absentees.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        bar = QHBoxLayout()
        bar.addWidget(self.heading, 1)
        bar.addWidget(QLabel("Năm:", self))
        bar.addWidget(self.year)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.meetings, 2)
        layout.addWidget(QLabel("Đảng viên vắng sinh hoạt trong năm:", self))
        layout.addWidget(self.absentees, 1)
        self.year.valueChanged.connect(lambda _v: self.reload())
        self._on_change = window.on_change(frozenset({Area.MEETINGS, Area.ORGANIZATIONS}), self.reload)
        self.reload()

    def reload(self) -> None:
        self.window_.worker.submit(ops.load_history(org_code=self.org_code, year=self.year.value()), self._show,
                                   lambda e: present_error(self, e))

    def _show(self, history: ChiBoYear) -> None:
        self.history = history
        self.setWindowTitle(f"Lịch sử sinh hoạt – {history.name}")
        held = sum(1 for m in history.meetings if m.held_on)
        self.heading.setText(f"{history.name} ({history.code}), năm {history.year}: {held} cuộc sinh hoạt đã họp.")
        self.meetings.setRowCount(len(history.meetings))
        for row, m in enumerate(history.meetings):
            values = [f"{m.month.month:02d}/{m.month.year}", m.kind.label, show_date(m.planned_on),
                      show_date(m.held_on) if m.held_on else "chưa họp", m.topic or "",
                      f"{m.present}/{m.expected}" if m.held_on else "", str(m.absent_unexcused) if m.held_on else "",
                      str(m.points) if m.points is not None else "", m.rating.label if m.rating else ""]
            for column, value in enumerate(values):
                self.meetings.setItem(row, column, QTableWidgetItem(value))
        self.meetings.resizeColumnsToContents()
        self.meetings.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.absentees.setRowCount(len(history.absentees))
        for row, a in enumerate(history.absentees):
            for column, value in enumerate((a.code, a.full_name, str(a.unexcused), str(a.with_reason))):
                self.absentees.setItem(row, column, QTableWidgetItem(value))
        self.loaded.emit()

    def _open(self) -> None:
        from khoi_desktop.gui.meetings import open_meeting_dialog

        row = self.meetings.currentRow()
        if self.history is not None and 0 <= row < len(self.history.meetings):
            line = self.history.meetings[row]
            open_meeting_dialog(self.window_, self.org_id, month=line.month, kind=line.kind)

    def done(self, result: int) -> None:
        try:
            self.window_.data_changed.disconnect(self._on_change)
        except (RuntimeError, TypeError):
            pass
        super().done(result)
