"""Tổng hợp sinh hoạt chi bộ cả năm: a chart for the office (or one đảng bộ), a line per đảng bộ, print-ready xlsx."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.meetings.models import Rating
from khoi_desktop.core.meetings.status import YearLine, YearSummary, percent_text
from khoi_desktop.core.stats import thousands
from khoi_desktop.gui.dialogs import fit_to_screen
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.gating import tag
from khoi_desktop.gui.meetings import ops
from khoi_desktop.gui.meetings.year_chart import YearChart
from khoi_desktop.gui.workflows.pickers import SearchableCombo

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow

NAME_WIDTH = 340  # pixels for the organization's name, at most
HEADERS = ["Mã", "Tổ chức cơ sở đảng", "Chi bộ", "Phải họp", "Đã họp", "Tỷ lệ", "Chuyên đề (quý)", "Dự họp"] + [
    r.label for r in Rating]


def line_values(line: YearLine) -> list[str]:
    quarters = " ".join(f"{h}/{e}" for h, e in line.thematic_quarters if e)
    return [line.group.code if line.group else "", line.group.name if line.group else "Toàn Đảng bộ",
            thousands(line.chi_bo), thousands(line.expected), thousands(line.held), percent_text(line.held_percent),
            quarters, percent_text(line.attendance_percent)] + [thousands(line.ratings.get(r, 0)) for r in Rating]


class YearDialog(QDialog):
    loaded = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("meeting_year")
        self.setWindowTitle("Tổng hợp sinh hoạt chi bộ cả năm")
        self.window_ = window
        self.summary: YearSummary | None = None
        fit_to_screen(self, 1150, 720)  # smaller on an office laptop (1366×768)
        today = dt.date.today()
        self.year = QSpinBox(self)
        self.year.setObjectName("year")
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year if today.month > 1 else today.year - 1)
        self.scope = SearchableCombo(self)  # typed «hoi nong dan» finds «Chi bộ Hội Nông dân tỉnh»
        self.scope.setObjectName("scope")
        self.scope.addItem("Toàn Đảng bộ", None)
        self.heading = QLabel("Đang tải…", self)
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold;")
        self.chart = YearChart(self)
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setObjectName("lines")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        export = tag(QPushButton("Xuất Excel để in…", self), Permission.READ)
        export.setObjectName("export_year")
        export.clicked.connect(self._export)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Năm:", self))
        bar.addWidget(self.year)
        bar.addWidget(QLabel("Phạm vi:", self))
        bar.addWidget(self.scope, 1)
        bar.addWidget(export)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.heading)
        layout.addWidget(self.chart)
        layout.addWidget(self.table, 1)
        self.year.valueChanged.connect(lambda _v: self.reload())
        self.scope.currentIndexChanged.connect(lambda _i: self.reload())
        window.worker.submit(ops.load_tccsd(month=today.replace(day=1)), self._scopes,
                             lambda e: present_error(self, e))

    def _scopes(self, choices: list[tuple[str, str]]) -> None:
        self.scope.blockSignals(True)
        for code, name in choices:
            self.scope.addItem(f"{name} ({code})", code)
        self.scope.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        self.window_.worker.submit(ops.load_year(year=self.year.value(), org_code=self.scope.currentData()),
                                   self._show, lambda e: present_error(self, e))

    def _show(self, summary: YearSummary) -> None:
        self.summary = summary
        total = summary.total
        where = summary.org.name if summary.org else "Toàn Đảng bộ"
        self.heading.setText(f"{where}, năm {summary.year} (các tháng đã qua): {thousands(total.chi_bo)} chi bộ, "
                             f"họp thường kỳ {thousands(total.held)}/{thousands(total.expected)} "
                             f"({percent_text(total.held_percent)}), tỷ lệ dự họp "
                             f"{percent_text(total.attendance_percent)}.")
        self.chart.set_line(total)
        lines = [*summary.lines, total]
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            for column, value in enumerate(line_values(line)):
                item = QTableWidgetItem(value)
                if column == 1:
                    item.setToolTip(value)
                self.table.setItem(row, column, item)
        # The names keep a readable width and the table scrolls sideways when the dialog is narrow: stretched,
        # the name column got what the figures left (≈ 100 px: «Đảng bộ Văn …», its header «ổ chức cơ sở đản»).
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.resizeColumnsToContents()
        header.resizeSection(1, min(header.sectionSize(1), NAME_WIDTH))
        header.setStretchLastSection(True)
        self.loaded.emit()

    def _export(self) -> None:
        default = Path.home() / f"tong-hop-sinh-hoat-chi-bo-{self.year.value()}.xlsx"
        name, _ = QFileDialog.getSaveFileName(self, "Xuất tổng hợp năm", str(default), "Excel (*.xlsx)")
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> None:
        self.window_.worker.submit(
            ops.export_year(year=self.year.value(), org_code=self.scope.currentData(), path=path),
            lambda p: QMessageBox.information(self, "Đã xuất", f"Đã xuất tổng hợp năm ra tệp {p}."),
            lambda e: present_error(self, e))
