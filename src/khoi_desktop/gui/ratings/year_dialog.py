"""Xếp loại chất lượng của một năm: the grassroots organizations with their decided level (chosen here by a
clerk), member counts per level, the findings of the year (cap, consistency, missing), the chart with the two
headline figures, the print-ready xlsx and the draft of the office's recognition decision."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.changes import Area
from khoi_desktop.core.ratings.models import LEVEL_SHORT, Level
from khoi_desktop.core.stats import thousands
from khoi_desktop.gui.dialogs import fit_to_screen
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.gating import may, tag
from khoi_desktop.gui.ratings import ops
from khoi_desktop.gui.ratings.chart import RatingsChart, TrendChart

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow

HEADERS = ["Mã", "Tổ chức cơ sở đảng", "Xếp loại"] + [f"ĐV {level.short}" for level in Level] + [
    "ĐV chưa/\nkhông xếp loại", "ĐV HTTNV\ntrở lên"]
LEVEL_COLUMN = 2
NO_LEVEL = "(chưa xếp loại)"


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}".replace(".", ",") + "%"


def level_of(box: QComboBox) -> Level | None:
    data = box.currentData()
    return Level(data) if data else None


class RatingsYearDialog(QDialog):
    loaded = Signal()

    def __init__(self, window: MainWindow, year: int | None = None) -> None:
        super().__init__(window)
        self.setObjectName("ratings_year")
        self.setWindowTitle("Xếp loại chất lượng tổ chức đảng và đảng viên")
        self.window_ = window
        self.view: ops.YearView | None = None
        fit_to_screen(self, 1150, 760)
        today = dt.date.today()
        self.year = QSpinBox(self)
        self.year.setObjectName("year")
        self.year.setRange(2000, 2100)
        self.year.setValue(year or today.year - 1)
        self.open_button = tag(QPushButton("Mở đợt xếp loại năm này", self), Permission.RATINGS)
        self.open_button.setObjectName("open_round")
        self.open_button.clicked.connect(self._open_round)
        self.decision_button = tag(QPushButton("Lập dự thảo quyết định công nhận…", self), Permission.DRAFT_ISSUE)
        self.decision_button.setObjectName("draft_decision")
        self.decision_button.clicked.connect(self._draft_decision)
        export = tag(QPushButton("Xuất Excel để in…", self), Permission.READ)
        export.setObjectName("export_summary")
        export.clicked.connect(self._export)
        self.heading = QLabel("Đang tải…", self)
        self.heading.setObjectName("heading")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold;")
        self.chart = RatingsChart(self)
        self.trend = TrendChart(self)
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setObjectName("bodies")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setToolTip("Nhấn đúp một dòng để xem và xếp loại từng đảng viên của tổ chức đó.")
        self.table.cellDoubleClicked.connect(lambda row, _column: self.open_members(row))
        self.findings = QListWidget(self)
        self.findings.setObjectName("findings")
        self.findings.setWordWrap(True)
        self.findings.setSpacing(3)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Năm:", self))
        bar.addWidget(self.year)
        bar.addStretch(1)
        for button in (self.open_button, self.decision_button, export):
            bar.addWidget(button)
        lower = QSplitter(self)
        lower.addWidget(self.table)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(QLabel("Phát hiện khi kiểm tra:", side))
        side_layout.addWidget(self.findings)
        lower.addWidget(side)
        lower.setSizes([800, 330])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.heading)
        charts = QHBoxLayout()
        charts.addWidget(self.chart, 3)
        charts.addWidget(self.trend, 1)
        layout.addLayout(charts)
        layout.addWidget(lower, 1)
        self.year.valueChanged.connect(lambda _v: self.reload())
        self.reload()

    @property
    def may_rate(self) -> bool:
        return may(self.window_.user, Permission.RATINGS)

    def reload(self) -> None:
        self.window_.worker.submit(ops.load_year(year=self.year.value()), self._show,
                                   lambda e: present_error(self, e))

    def _show(self, view: ops.YearView) -> None:
        focused = self.focusWidget()  # a level chosen from the keyboard reloads the table: keep the box's focus
        keep = focused.objectName() if isinstance(focused, QComboBox) else None
        self.view = view
        summary = view.summary
        self.open_button.setEnabled(summary is None)
        self.decision_button.setEnabled(summary is not None and view.decision is None)
        self.chart.set_summary(summary)
        self.trend.set_points(view.trend)
        self.findings.clear()
        if summary is None:
            self.heading.setText(f"Chưa có đợt xếp loại chất lượng năm {view.year}. Mở đợt xếp loại, lập báo cáo "
                                 "Excel cho từng tổ chức cơ sở đảng rồi nhập lại, hoặc xếp loại ngay tại đây.")
            self.table.setRowCount(0)
            self.loaded.emit()
            return
        orgs, members = summary.orgs, summary.members
        decided = f" Quyết định công nhận: {view.decision}." if view.decision else ""
        self.heading.setText(
            f"Năm {view.year}: {orgs.rated}/{orgs.total} tổ chức cơ sở đảng và {thousands(members.rated)}/"
            f"{thousands(members.total)} đảng viên đã xếp loại. Tổ chức cơ sở đảng HTTNV trở lên "
            f"{pct(orgs.good_or_better_pct)}; đảng viên HTTNV trở lên {pct(members.good_or_better_pct)} (trên số đã "
            f"xếp loại).{decided}")
        self.table.setRowCount(len(summary.bodies))
        for row, line in enumerate(summary.bodies):
            values = [line.code, line.name, ""] + [thousands(line.members.levels[level]) for level in Level] + [
                thousands(line.members.unrated), pct(line.members.good_or_better_pct)]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, column, item)
            box = self._level_box(line.code, line.level)
            self.table.setCellWidget(row, LEVEL_COLUMN, box)
            if box.objectName() == keep:
                box.setFocus()
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(1, min(self.table.columnWidth(1), 300))  # long names wrap in the tooltip
        self.table.horizontalHeader().setSectionResizeMode(len(HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        for finding in view.findings:
            self.findings.addItem(finding.message)
        if not view.findings:
            self.findings.addItem("Không có phát hiện nào.")
        self.loaded.emit()

    def open_members(self, row: int) -> QDialog:
        from khoi_desktop.gui.ratings.members_dialog import BodyMembersDialog

        code_item, name_item = self.table.item(row, 0), self.table.item(row, 1)
        assert code_item is not None and name_item is not None
        code, name = code_item.text(), name_item.text()
        dialog = BodyMembersDialog(self.window_, self.year.value(), code, name)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self.reload())
        dialog.show()
        return dialog

    def _level_box(self, code: str, current: str | None) -> QComboBox:
        box = QComboBox(self.table)
        box.setObjectName(f"level_{code}")
        box.addItem(NO_LEVEL, None)
        for level in Level:
            box.addItem(LEVEL_SHORT[level], level.value)  # Qt keeps a plain str
            box.setItemData(box.count() - 1, level.label, Qt.ItemDataRole.ToolTipRole)
        box.setCurrentIndex(next((i for i in range(1, box.count()) if LEVEL_SHORT[Level(box.itemData(i))] == current),
                                 0))
        box.setEnabled(self.may_rate and (self.view is None or self.view.decision is None))
        box.currentIndexChanged.connect(lambda _i: self.set_level(code, level_of(box)))
        return box

    def set_level(self, code: str, level: Level | None) -> None:
        self.window_.worker.submit(ops.set_org_level(year=self.year.value(), org_code=code, level=level),
                                   lambda _change: self._changed(), lambda e: present_error(self, e))

    def _changed(self) -> None:
        self.window_.notify_changed(frozenset({Area.RATINGS}))
        self.reload()

    def _open_round(self) -> None:
        self.window_.worker.submit(ops.open_round(year=self.year.value()), lambda _id: self._changed(),
                                   lambda e: present_error(self, e))

    def _draft_decision(self) -> None:
        from khoi_desktop.core.ratings.requests import RecognizeRatings
        from khoi_desktop.gui.workflows import jobs

        request = RecognizeRatings(action="recognize_ratings", year=self.year.value())

        def done(saved: jobs.Saved) -> None:
            warnings = "\n".join(saved.warnings)
            QMessageBox.information(self, "Đã lập dự thảo",
                                    "Đã lập dự thảo quyết định công nhận kết quả xếp loại chất lượng năm "
                                    f"{self.year.value()}; xem và ban hành trong danh sách văn bản."
                                    + (f"\nLưu ý:\n{warnings}" if warnings else ""))
            self._changed()

        self.window_.worker.submit(jobs.save_request(request=request, issue=False, today=dt.date.today()), done,
                                   lambda e: present_error(self, e))

    def _export(self) -> None:
        default = Path.home() / f"xep-loai-chat-luong-{self.year.value()}.xlsx"
        name, _ = QFileDialog.getSaveFileName(self, "Xuất kết quả xếp loại", str(default), "Excel (*.xlsx)")
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> None:
        def done(written: Path) -> None:
            QMessageBox.information(self, "Đã xuất", f"Đã xuất kết quả xếp loại ra tệp {written}.")

        self.window_.worker.submit(ops.export_summary(year=self.year.value(), path=path), done,
                                   lambda e: present_error(self, e))
