"""Tình hình sinh hoạt chi bộ: the month grid (chi bộ × the last twelve months) for the office or one đảng bộ,
with the month's figures in one line; double-click a cell to open that meeting."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.changes import Area
from khoi_desktop.core.meetings.models import Rating
from khoi_desktop.core.meetings.recording import month_label
from khoi_desktop.core.meetings.status import CellStatus, MonthGrid, MonthStatus
from khoi_desktop.core.stats import thousands
from khoi_desktop.gui.alt_letters import row_label
from khoi_desktop.gui.date_edits import DateEdit
from khoi_desktop.gui.dialogs import fit_to_screen
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.gating import tag
from khoi_desktop.gui.meetings import ops
from khoi_desktop.gui.meetings.grid_model import STATUS_COLOURS, MonthGridModel
from khoi_desktop.gui.workflows.pickers import SearchableCombo

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow


def last_finished_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def status_line(status: MonthStatus) -> str:
    """The figure the office quotes: how many chi bộ were followed, how many met, who has not reported."""
    where = status.org.name if status.org else "Toàn Đảng bộ"
    ratings = ", ".join(f"{r.label.lower()} {status.ratings.get(r, 0)}" for r in Rating)
    missing = status.missing
    return (f"{where}, {month_label(status.month)}: theo dõi {thousands(status.expected)} chi bộ; "
            f"{thousands(status.held)} đã sinh hoạt thường kỳ, {thousands(status.thematic_held)} sinh hoạt chuyên "
            f"đề; {len(missing)} chưa báo cáo. Xếp loại: {ratings}.")


class GridDialog(QDialog):
    loaded = Signal()

    def __init__(self, window: MainWindow, org_code: str | None = None) -> None:
        super().__init__(window)
        self.setObjectName("meeting_grid")
        self.setWindowTitle("Tình hình sinh hoạt chi bộ")
        self.window_ = window
        fit_to_screen(self, 1200, 720)  # smaller on an office laptop (1366×768)
        self.status: MonthStatus | None = None
        self._closed = False  # a load answered after the clerk closed the grid finds its widgets deleted
        self._wanted = org_code
        month = last_finished_month(dt.date.today())
        self.scope = SearchableCombo(self)  # typed «hoi nong dan» finds «Chi bộ Hội Nông dân tỉnh»
        self.scope.setObjectName("scope")
        self.scope.addItem("Toàn Đảng bộ", None)
        self.month = DateEdit(QDate(month.year, month.month, 1), self)
        self.month.setObjectName("month")
        self.month.setDisplayFormat("MM/yyyy")
        self.only_missing = QCheckBox("Chỉ chi bộ chưa báo cáo tháng này", self)
        self.only_missing.setObjectName("only_missing")
        self.summary = QLabel("Đang tải…", self)
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold; padding: 4px;")
        self.model = MonthGridModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("grid")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setMinimumSectionSize(44)
        self.table.doubleClicked.connect(self._open_cell)
        legend = QLabel("  ".join(f"<span style='background:{STATUS_COLOURS[s]}'>&nbsp;{s.label}&nbsp;</span>"
                                  for s in CellStatus) + "  CĐ: có sinh hoạt chuyên đề", self)
        bar = QHBoxLayout()
        bar.addWidget(row_label("Phạm vi:", self.scope))
        bar.addWidget(self.scope, 1)
        bar.addWidget(row_label("Đến tháng:", self.month))
        bar.addWidget(self.month)
        bar.addWidget(self.only_missing)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        # «Đóng» as the other meeting windows have it (the grid closed by Esc or the title bar only)
        self.close_button = tag(QPushButton("Đóng", self), Permission.READ)
        self.close_button.setObjectName("close_button")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        foot = QHBoxLayout()
        foot.addWidget(legend, 1)
        foot.addWidget(self.close_button)
        layout.addLayout(foot)
        self.scope.currentIndexChanged.connect(lambda _i: self.reload())
        self.month.dateChanged.connect(lambda _d: self.reload())
        self.only_missing.toggled.connect(lambda _on: self._refilter())
        self._on_change = window.on_change(frozenset({Area.MEETINGS, Area.ORGANIZATIONS}), self.reload)
        window.worker.submit(ops.load_tccsd(month=month), self._scopes, lambda e: present_error(self, e))

    @property
    def current_month(self) -> dt.date:
        date = self.month.date()
        return dt.date(date.year(), date.month(), 1)

    def _scopes(self, choices: list[tuple[str, str]]) -> None:
        if self._closed:
            return
        self.scope.blockSignals(True)
        for code, name in choices:
            self.scope.addItem(f"{name} ({code})", code)
        if self._wanted:
            self.scope.setCurrentIndex(max(0, self.scope.findData(self._wanted)))
        self.scope.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        self.window_.worker.submit(ops.load_grid(last_month=self.current_month, org_code=self.scope.currentData()),
                                   self._show, lambda e: present_error(self, e))

    def _show(self, result: tuple[MonthGrid, MonthStatus]) -> None:
        if self._closed:
            return
        grid, status = result
        self.status = status
        self.summary.setText(status_line(status))
        self.model.set_grid(grid, only_missing=self.only_missing.isChecked())
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(MonthGridModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(MonthGridModel.COL_CODE, 80)
        for column in range(MonthGridModel.FIRST_MONTH, self.model.columnCount()):
            self.table.setColumnWidth(column, 58)
        self.loaded.emit()

    def _refilter(self) -> None:
        if self.model.grid is not None:
            self.model.set_grid(self.model.grid, only_missing=self.only_missing.isChecked())

    def _open_cell(self, index: QModelIndex) -> None:
        from khoi_desktop.gui.meetings import open_meeting_dialog

        month = self.model.month_of(index.column()) or self.current_month
        open_meeting_dialog(self.window_, self.model.row_at(index.row()).chi_bo.id, month=month)

    def done(self, result: int) -> None:
        self._closed = True
        try:
            self.window_.data_changed.disconnect(self._on_change)
        except (RuntimeError, TypeError):
            pass
        super().done(result)
