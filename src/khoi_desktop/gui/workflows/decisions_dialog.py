"""Decisions view: drafts and issued decisions; open, edit or discard a draft, issue it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from khoi_desktop.core.actions import action_label
from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.changes import DRAFTED, ISSUED, Area
from khoi_desktop.core.decisions import DecisionSummary
from khoi_desktop.core.text import show_date
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.gating import tag
from khoi_desktop.gui.workflows import jobs
from khoi_desktop.gui.workflows.draft_editor import DraftEditor

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow

COLUMNS = ["Số", "Ngày ban hành", "Loại", "Trích yếu", "Trạng thái", "Người ký"]
FILTERS = [("Tất cả", None), ("Dự thảo", "draft"), ("Đã ban hành", "issued")]



def _status_label(row: DecisionSummary) -> str:
    if row.status != "issued":
        return "Dự thảo"
    return "Đã ghi nhận" if row.recorded else "Đã ban hành"

class DecisionsDialog(QDialog):
    loaded = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.main_window = window
        self.setWindowTitle("Danh sách quyết định")
        self._rows: list[DecisionSummary] = []
        self._chosen_id: int | None = None  # the decision the clerk chose, kept across a refill
        self._filling = False
        self.filter = QComboBox(self)
        for label, value in FILTERS:
            self.filter.addItem(label, value)
        self.filter.currentIndexChanged.connect(lambda _i: self._fill())
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("decisions_table")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.itemDoubleClicked.connect(lambda _item: self.open_selected())
        self.table.itemSelectionChanged.connect(self._remember_choice)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.open_button = tag(QPushButton("Xem", self), Permission.VIEW_DRAFTS)
        self.edit_button = tag(QPushButton("Sửa dự thảo…", self), Permission.DRAFT_ISSUE)
        self.issue_button = tag(QPushButton("Ban hành…", self), Permission.DRAFT_ISSUE)
        self.discard_button = tag(QPushButton("Hủy dự thảo", self), Permission.DRAFT_ISSUE)
        close = tag(QPushButton("Đóng", self), Permission.READ)
        self.open_button.clicked.connect(self.open_selected)
        self.edit_button.clicked.connect(self.edit_selected)
        self.issue_button.clicked.connect(lambda: self.issue_selected())
        self.discard_button.clicked.connect(lambda: self.discard_selected())
        close.clicked.connect(self.accept)
        # How many are listed, or why none is (an empty table said nothing)
        self.count_label = QLabel("Đang tải danh sách quyết định…", self)
        self.count_label.setObjectName("decisions_count")
        self.count_label.setWordWrap(True)  # a long reason never widens the dialog
        top = QHBoxLayout()
        top.addWidget(QLabel("Hiển thị:"))
        top.addWidget(self.filter)
        top.addSpacing(12)
        top.addWidget(self.count_label, 1)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.edit_button, self.issue_button, self.discard_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(1000, 560)
        self._on_change = window.on_change(frozenset({Area.DECISIONS}), self.reload)
        self.reload()

    def done(self, result: int) -> None:
        try:  # the window outlives this dialog: stop redrawing it
            self.main_window.data_changed.disconnect(self._on_change)
        except (RuntimeError, TypeError):  # already dropped by an earlier close
            pass
        super().done(result)

    def reload(self) -> None:
        self.main_window.worker.submit(jobs.list_decisions(), self._loaded, lambda e: present_error(self, e))

    def _loaded(self, rows: list[DecisionSummary]) -> None:
        self._rows = rows
        self._fill()
        self.loaded.emit()

    def visible_rows(self) -> list[DecisionSummary]:
        wanted = self.filter.currentData()
        return [r for r in self._rows if wanted is None or r.status == wanted]

    def _fill(self) -> None:
        # The chosen decision is chosen again by its id: the selection kept its row number, and after another
        # workstation's change moved the rows it pointed at another draft, which «Ban hành…» would have issued.
        chosen = self._chosen_id
        rows = self.visible_rows()
        self._filling = True
        self.table.clearSelection()
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            values = [row.code or "Chưa cấp số", show_date(row.issued_on), action_label(row.action),
                      row.subject, _status_label(row), row.signer or ""]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, row.id)
                self.table.setItem(index, column, item)
        self._filling = False
        if chosen is not None:
            self.select_id(chosen)
        if rows:
            self.count_label.setText(f"{len(rows)} quyết định")
        elif not self._rows:
            self.count_label.setText("Chưa có quyết định nào. Quyết định được lập từ các menu «Sắp xếp tổ chức», "
                                     "«Đảng viên» và «Cấp ủy».")
        else:
            self.count_label.setText(f"Không có quyết định nào ở mục «{self.filter.currentText()}» "
                                     f"(tất cả: {len(self._rows)}).")
        self._update_buttons()

    def _remember_choice(self) -> None:
        if not self._filling:
            row = self.selected()
            self._chosen_id = row.id if row is not None else None

    def selected(self) -> DecisionSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return self.visible_rows()[rows[0].row()] if rows else None

    def select_id(self, decision_id: int) -> None:
        for index, row in enumerate(self.visible_rows()):
            if row.id == decision_id:
                self.table.selectRow(index)

    def _update_buttons(self) -> None:
        row = self.selected()
        is_draft = row is not None and row.status == "draft"
        self.open_button.setEnabled(row is not None)
        for button in (self.edit_button, self.issue_button, self.discard_button):
            button.setEnabled(is_draft)

    # --- actions ---------------------------------------------------------------------------
    def open_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        from khoi_desktop.gui.documents import open_preview  # the documents area imports this one

        open_preview(self.main_window, row.id, self)  # owned by this list: its modality must not block the preview

    def edit_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.main_window.worker.submit(
                jobs.load_draft(decision_id=row.id),
                lambda loaded: DraftEditor(self.main_window, row.id, loaded[0], self, version=loaded[1]).open(),
                lambda e: present_error(self, e))

    def _confirm(self, title: str, text: str, yes: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self)
        ok = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Không", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is ok

    def issue_selected(self, confirm: bool = True) -> None:
        row = self.selected()
        if row is None or (confirm and not self._confirm(
                "Ban hành quyết định", f"Ban hành quyết định {row.subject}? Quyết định được cấp số và các thay đổi "
                                       "được áp dụng ngay; sau đó không thể sửa.", "Ban hành")):
            return
        self.main_window.worker.submit(jobs.issue_draft(decision_id=row.id, today=dt.date.today()),
                                       lambda _summary: self.main_window.notify_changed(ISSUED),
                                       lambda e: present_error(self, e))

    def discard_selected(self, confirm: bool = True) -> None:
        row = self.selected()
        if row is None or (confirm and not self._confirm("Hủy dự thảo", f"Hủy dự thảo {row.subject}?", "Hủy dự thảo")):
            return
        self.main_window.worker.submit(jobs.discard_draft(decision_id=row.id),
                                       lambda _none: self.main_window.notify_changed(DRAFTED),
                                       lambda e: present_error(self, e))
