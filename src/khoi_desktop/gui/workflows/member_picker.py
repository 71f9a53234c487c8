"""Pick members from anywhere in the office by typing their name (accents optional)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.members import MemberRow
from khoi_desktop.core.models import MemberStatus
from khoi_desktop.core.text import show_date
from khoi_desktop.gui import ops
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.gating import tag

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow

CODE_ROLE = Qt.ItemDataRole.UserRole + 1


def _item(row: MemberRow) -> QListWidgetItem:
    status = ", dự bị" if row.status is MemberStatus.DU_BI else ""
    where = row.org_name or "không sinh hoạt"
    item = QListWidgetItem(f"{row.full_name} ({show_date(row.birth_date)}{status}) – {where}")
    item.setData(CODE_ROLE, row.code)
    return item


class MemberPicker(QWidget):
    changed = Signal()
    results_shown = Signal()

    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.main_window = window
        self._generation = 0
        self.search = QLineEdit(self)
        self.search.setObjectName("member_search")
        self.search.setPlaceholderText("Gõ tên đảng viên cần chuyển đến (không cần dấu)")
        self.results = QListWidget(self)
        self.chosen = QListWidget(self)
        self.chosen.setObjectName("chosen_members")
        add = tag(QPushButton("Chọn →", self), Permission.DRAFT_ISSUE)
        remove = tag(QPushButton("← Bỏ chọn", self), Permission.DRAFT_ISSUE)
        add.clicked.connect(self.add_selected)
        remove.clicked.connect(self.remove_selected)
        self.results.itemDoubleClicked.connect(lambda _item: self.add_selected())
        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self._search)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        grid = QGridLayout(self)
        grid.addWidget(self.search, 0, 0, 1, 3)
        grid.addWidget(QLabel("Kết quả tìm:"), 1, 0)
        grid.addWidget(QLabel("Đảng viên được chọn:"), 1, 2)
        buttons = QVBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        grid.addWidget(self.results, 2, 0)
        grid.addLayout(buttons, 2, 1)
        grid.addWidget(self.chosen, 2, 2)
        grid.setRowStretch(2, 1)  # the lists take the height, not the gaps between the rows

    def _search(self) -> None:
        self._generation += 1
        generation = self._generation
        self.main_window.worker.submit(ops.find_members(text=self.search.text(), as_of=dt.date.today()),
                                  lambda rows: self._show(generation, rows), lambda e: present_error(self, e))

    def _show(self, generation: int, rows: list[MemberRow]) -> None:
        if generation != self._generation:
            return
        self.results.clear()
        chosen = set(self.codes())
        for row in rows:
            if row.org_code and row.code not in chosen:
                self.results.addItem(_item(row))
        self.results_shown.emit()

    def add_selected(self) -> None:
        for item in self.results.selectedItems():
            self.chosen.addItem(self.results.takeItem(self.results.row(item)))
        self.changed.emit()

    def remove_selected(self) -> None:
        for item in self.chosen.selectedItems():
            self.chosen.takeItem(self.chosen.row(item))
        self.changed.emit()

    def codes(self) -> list[str]:
        return [self.chosen.item(i).data(CODE_ROLE) for i in range(self.chosen.count())]
