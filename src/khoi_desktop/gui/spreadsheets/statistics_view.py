"""Statistics: the figures of Biểu 1 (over a period) and Biểu 5 (as of its end), and three charts."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.reports import DECREASE_KEYS, INCREASE_KEYS, REASON_LABELS, Bieu1Row
from khoi_desktop.core.stats import thousands
from khoi_desktop.core.text import show_date
from khoi_desktop.gui.buttons import vietnamese_buttons
from khoi_desktop.gui.date_edits import DateEdit
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.gating import tag
from khoi_desktop.gui.qt_values import python_date
from khoi_desktop.gui.spreadsheets import ops
from khoi_desktop.gui.spreadsheets.bar_chart import BarChart
from khoi_desktop.gui.worker import DbWorker

SHORT_REASONS = {**{k: v.lower() for k, v in REASON_LABELS.items()}, "chuyen_sinh_hoat": "chuyển SH\nnội bộ"}
BIEU1_HEADERS = (["Tổ chức cơ sở đảng", "Đầu kỳ", "Tăng\n(cộng)"]
                 + [f"Tăng:\n{SHORT_REASONS[k]}" for k in INCREASE_KEYS] + ["Giảm\n(cộng)"]
                 + [f"Giảm:\n{SHORT_REASONS[k]}" for k in DECREASE_KEYS]
                 + ["Công nhận\nchính thức", "Cuối kỳ", "Dự bị\ncuối kỳ"])
BIEU5_HEADERS = ["Loại tổ chức", "Số tổ chức", "Đảng viên", "Dự bị", "Nữ"]


def _bieu1_values(row: Bieu1Row) -> list[object]:
    return ([row.name, row.opening, row.increase_total] + [row.increases[k] for k in INCREASE_KEYS]
            + [row.decrease_total] + [row.decreases[k] for k in DECREASE_KEYS]
            + [row.made_full, row.closing, row.closing_probationary])


def _fill(table: QTableWidget, rows: list[list[object]], bold_last: bool = True) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(thousands(value) if isinstance(value, int) else str(value))
            if isinstance(value, int):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if bold_last and r == len(rows) - 1:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            table.setItem(r, c, item)


def _table(parent: QWidget, headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    table.setColumnWidth(0, 260)
    table.horizontalHeader().setDefaultSectionSize(78)
    table.horizontalHeader().setMinimumSectionSize(60)
    table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
    table.setWordWrap(True)
    return table


class StatisticsDialog(QDialog):
    loaded = Signal()

    def __init__(self, worker: DbWorker, parent: QWidget | None = None, *, as_of: dt.date | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.setWindowTitle("Thống kê đảng viên và tổ chức đảng")
        self.resize(1280, 680)
        end = as_of or dt.date.today()
        self.start = DateEdit(QDate(end.year, 1, 1), self)
        self.end = DateEdit(QDate(end.year, end.month, end.day), self)
        for edit, name in ((self.start, "start"), (self.end, "end")):
            edit.setObjectName(name)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setCalendarPopup(True)
        show = tag(QPushButton("Xem", self), Permission.READ)
        show.setObjectName("show")
        show.clicked.connect(self.reload)
        top = QHBoxLayout()
        for widget in (QLabel("Từ ngày:", self), self.start, QLabel("đến ngày:", self), self.end, show):
            top.addWidget(widget)
        top.addStretch(1)
        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold; padding: 4px 0;")

        self.bieu1_table = _table(self, BIEU1_HEADERS, "bieu1_table")
        self.bieu5_table = _table(self, BIEU5_HEADERS, "bieu5_table")
        self.bieu5_table.horizontalHeader().setDefaultSectionSize(110)
        self.kind_chart = BarChart("Đảng viên theo loại tổ chức cơ sở đảng", self)
        self.admissions_chart = BarChart("Kết nạp đảng viên theo năm", self)
        self.due_chart = BarChart("Đảng viên dự bị đến hạn xét chính thức (theo tháng)", self)
        charts = QWidget(self)
        grid = QGridLayout(charts)
        grid.addWidget(self.kind_chart, 0, 0)
        grid.addWidget(self.admissions_chart, 0, 1)
        grid.addWidget(self.due_chart, 1, 0, 1, 2)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.bieu1_table, "Biểu 1: Tăng, giảm đảng viên")
        self.tabs.addTab(self.bieu5_table, "Biểu 5: Theo loại tổ chức")
        self.tabs.addTab(charts, "Biểu đồ")
        buttons = vietnamese_buttons(QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.data: ops.Statistics | None = None
        self._generation = 0
        self.finished.connect(self._supersede)
        self.reload()

    def _supersede(self) -> None:
        self._generation += 1  # answers arriving after closing touch no widget

    def reload(self) -> None:
        start, end = python_date(self.start.date()), python_date(self.end.date())
        if start > end:
            present_error(self, ValidationError("Ngày bắt đầu phải trước ngày kết thúc."))
            return
        self._generation += 1
        generation = self._generation
        self.summary.setText("Đang tính…")
        self.worker.submit(ops.load_statistics(start=start, end=end),  # type: ignore[arg-type]
                           lambda data: self._show(generation, data), lambda error: present_error(self, error))

    def _show(self, generation: int, data: ops.Statistics) -> None:
        if generation != self._generation:
            return
        self.data = data
        total = data.bieu1.total
        form5 = data.bieu5.total
        self.summary.setText(
            f"Từ {show_date(data.start)} đến {show_date(data.end)}: đầu kỳ {thousands(total.opening)} đảng viên, "
            f"tăng {thousands(total.increase_total)}, giảm {thousands(total.decrease_total)}, cuối kỳ "
            f"{thousands(total.closing)}. Tính đến {show_date(data.end)}: {form5.organizations} tổ chức cơ sở "
            f"đảng, {thousands(form5.members)} đảng viên ({thousands(form5.probationary)} dự bị).")
        _fill(self.bieu1_table, [_bieu1_values(r) for r in data.bieu1.rows] + [_bieu1_values(total)])
        self.bieu1_table.resizeRowsToContents()
        rows5 = [[r.label, r.organizations, r.members, r.probationary, r.women] for r in data.bieu5.rows]
        rows5.append([form5.label, form5.organizations, form5.members, form5.probationary, form5.women])
        _fill(self.bieu5_table, rows5)
        # Chi bộ trực thuộc and đảng bộ bộ phận are inside the đảng bộ cơ sở: only the TCCSĐ kinds add up.
        self.kind_chart.set_bars([(r.label, r.members) for r in data.bieu5.rows if not r.detail])
        self.admissions_chart.set_bars([(str(year), count) for year, count in data.admissions])
        self.due_chart.set_bars(data.due)
        self.loaded.emit()
