"""Pick members from anywhere in the office by typing their name (accents optional)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
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
    item.setToolTip(item.text())  # a long chi bộ name is cut at the list's edge: two namesakes told apart by it
    item.setData(CODE_ROLE, row.code)
    return item


class MemberPicker(QWidget):
    changed = Signal()
    results_shown = Signal()

    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.main_window = window
        self._generation = 0
        self._shown_generation = 0
        self._rows: dict[str, MemberRow] = {}  # every member a search showed, by code (rows() of the chosen)
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
        self._enter_pending = False  # Enter pressed before the list showed what was typed
        self.search.installEventFilter(self)
        self.results.installEventFilter(self)
        grid = QGridLayout(self)
        grid.addWidget(self.search, 0, 0, 1, 3)
        self.results_label = QLabel("Kết quả tìm:", self)  # says when nothing was found (an empty list said nothing)
        self.results_label.setObjectName("results_label")
        grid.addWidget(self.results_label, 1, 0)
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
        self._timer.stop()
        self._generation += 1
        generation = self._generation
        self.main_window.worker.submit(ops.find_members(text=self.search.text(), as_of=dt.date.today()),
                                  lambda rows: self._show(generation, rows), lambda e: present_error(self, e))

    def _show(self, generation: int, rows: list[MemberRow]) -> None:
        if generation != self._generation:
            return
        self._shown_generation = generation
        self.results.clear()
        chosen = set(self.codes())
        self._rows.update((row.code, row) for row in rows)
        for row in rows:
            if row.org_code and row.code not in chosen:
                self.results.addItem(_item(row))
        typed = self.search.text().strip()
        if not typed:
            self.results_label.setText("Kết quả tìm:")
        elif self.results.count():
            self.results_label.setText(f"Kết quả tìm: {self.results.count()} đảng viên")
        else:
            self.results_label.setText(f"Kết quả tìm: không có đảng viên nào đang sinh hoạt khớp «{typed}»"
                                       + (" (ngoài những người đã chọn)" if rows else ""))
        if self._enter_pending:
            self._enter_pending = False
            self._enter_in_search()
        self.results_shown.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the search box chooses the one member found (or moves to the list when several are); Enter
        in the list chooses its rows. Enter never reaches the window's default button from here: it saved the
        form, or went to the next page, without the person just typed."""
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            if watched is self.search:
                if self._timer.isActive() or self.search.text().strip() and not self._searched_current:
                    self._enter_pending = True
                    self._timer.stop()
                    self._search()
                else:
                    self._enter_in_search()
                return True
            if watched is self.results:
                self.add_selected()
                self.search.setFocus()
                self.search.selectAll()
                return True
        return super().eventFilter(watched, event)

    @property
    def _searched_current(self) -> bool:
        return self._generation == self._shown_generation

    def _enter_in_search(self) -> None:
        if self.results.count() == 1:
            self.results.setCurrentRow(0)
            self.add_selected()
            self.search.selectAll()
        elif self.results.count() > 1:  # several: the clerk chooses (arrows, then Enter)
            self.results.setFocus()
            if self.results.currentItem() is None:
                self.results.setCurrentRow(0)

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

    def rows(self) -> list[MemberRow]:
        """The chosen members as the search found them (name, birth date, status: what AssignmentWidget shows)."""
        return [self._rows[code] for code in self.codes()]
