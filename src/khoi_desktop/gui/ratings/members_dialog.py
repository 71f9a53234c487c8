"""The members of one grassroots organization in a year's round, each with a drop-down of the decided level:
where a clerk brings a body back under the cap, or corrects a level after the return was imported."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.changes import Area
from khoi_desktop.core.ratings.models import LEVEL_SHORT, Level
from khoi_desktop.gui.dialogs import fit_to_screen
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.gating import may
from khoi_desktop.gui.ratings import ops

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow

HEADERS = ["Mã", "Họ và tên", "Chi bộ", "Diện", "Kỷ luật trong năm", "Xếp loại"]
LEVEL_COLUMN = 5
NOT_RATED = "Không xếp loại"


class BodyMembersDialog(QDialog):
    loaded = Signal()

    def __init__(self, window: MainWindow, year: int, org_code: str, org_name: str) -> None:
        super().__init__(window)
        self.setObjectName("ratings_members")
        self.setWindowTitle(f"Xếp loại đảng viên năm {year} – {org_name}")
        self.window_, self.year, self.org_code = window, year, org_code
        self.lines: list | None = None
        fit_to_screen(self, 900, 640)
        self.heading = QLabel("Đang tải…", self)
        self.heading.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setObjectName("members")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        self.reload()

    def reload(self) -> None:
        self.window_.worker.submit(ops.load_body_members(year=self.year, org_code=self.org_code), self._show,
                                   lambda e: present_error(self, e))

    def _show(self, lines: list) -> None:
        # Each choice saves and reloads the list: the rebuilt table went back to its top and the focus was lost,
        # so a clerk rating member by member from the keyboard started over from the first after each one.
        focused = self.focusWidget()
        keep = focused.objectName() if isinstance(focused, QComboBox) else None
        scroll = self.table.verticalScrollBar().value()
        self.lines = lines
        counts = {short: sum(1 for line in lines if line.decided == short) for short in LEVEL_SHORT.values()}
        self.heading.setText(f"{len(lines)} đảng viên (danh sách đến ngày chốt): "
                             + ", ".join(f"{short} {count}" for short, count in counts.items()) + ".")
        editable = may(self.window_.user, Permission.RATINGS)
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            values = [line.code, line.name, line.chi_bo, line.kind, "Có" if line.disciplined else ""]
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
            if not line.rated:
                self.table.setItem(row, LEVEL_COLUMN, QTableWidgetItem(NOT_RATED))
                continue
            box = QComboBox(self.table)
            box.setObjectName(f"level_{line.code}")
            box.addItem("(chưa xếp loại)", "")
            for level in Level:
                box.addItem(LEVEL_SHORT[level], level.value)
                box.setItemData(box.count() - 1, level.label, Qt.ItemDataRole.ToolTipRole)
            box.setCurrentIndex(next((i for i in range(1, box.count())
                                      if LEVEL_SHORT[Level(box.itemData(i))] == line.decided), 0))
            box.setEnabled(editable)
            box.currentIndexChanged.connect(lambda _i, code=line.code, b=box: self._set(code, b.currentData()))
            self.table.setCellWidget(row, LEVEL_COLUMN, box)
            if box.objectName() == keep:
                box.setFocus()
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(2, min(self.table.columnWidth(2), 220))
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalScrollBar().setValue(scroll)
        self.loaded.emit()

    def _set(self, code: str, value: str) -> None:
        def done(_change: str) -> None:
            self.window_.notify_changed(frozenset({Area.RATINGS}))
            self.reload()

        self.window_.worker.submit(ops.set_member_level(year=self.year, member_code=code,
                                                        level=Level(value) if value else None),
                                   done, lambda e: present_error(self, e))
