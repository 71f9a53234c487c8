"""The outgoing register (sổ văn bản đi): filter by words, type, term and dates; export to Excel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate, QModelIndex, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.actions import ACTION_LABELS
from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.gui.buttons import vietnamese_buttons
from khoi_desktop.gui.date_edits import DateEdit
from khoi_desktop.gui.dialogs import ask_xlsx_path, write_file
from khoi_desktop.gui.documents import ops
from khoi_desktop.gui.documents.register_model import RegisterTableModel
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.gating import tag
from khoi_desktop.gui.worker import DbWorker

FILTER_DELAY_MS = 250


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(date: QDate) -> dt.date:
    return dt.date(date.year(), date.month(), date.day())


class RegisterDialog(QDialog):
    loaded = Signal()
    exported = Signal(str)

    def __init__(self, worker: DbWorker, open_preview: Callable[[int], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sổ đăng ký văn bản đi")
        self.resize(1200, 660)
        self.worker = worker
        self._open_preview = open_preview
        self._generation = 0
        self._terms: list[str] = []
        self._closed = False
        self._build()
        self.finished.connect(self._supersede)  # answers arriving after closing touch no widget
        self.reload()

    def _supersede(self) -> None:
        self._closed = True
        self._generation += 1
        self._filter_timer.stop()

    def _build(self) -> None:
        self.text_edit = QLineEdit(self)
        self.text_edit.setObjectName("text")
        self.text_edit.setPlaceholderText("Tìm theo trích yếu, số ký hiệu, người ký, nơi nhận (có dấu hoặc không)")
        self.text_edit.setClearButtonEnabled(True)
        self.type_box = QComboBox(self)
        self.type_box.setObjectName("type")
        self.type_box.addItem("Mọi loại", None)
        for action, label in ACTION_LABELS.items():
            self.type_box.addItem(label, action)
        self.term_box = QComboBox(self)
        self.term_box.setObjectName("term")
        self.term_box.addItem("Mọi nhiệm kỳ", None)
        today = dt.date.today()
        self.from_check = QCheckBox("Từ ngày", self)
        self.from_edit = DateEdit(_qdate(today.replace(month=1, day=1)), self)
        self.to_check = QCheckBox("đến ngày", self)
        self.to_edit = DateEdit(_qdate(today), self)
        for edit in (self.from_edit, self.to_edit):
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setCalendarPopup(True)
        self._filter_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.reload)
        self.text_edit.textChanged.connect(lambda _text: self._filter_timer.start())
        for box in (self.type_box, self.term_box):
            box.currentIndexChanged.connect(lambda _index: self.reload())
        for check in (self.from_check, self.to_check):
            check.toggled.connect(lambda _on: self.reload())
        for edit in (self.from_edit, self.to_edit):
            edit.dateChanged.connect(lambda _date: self.reload())

        filters = QHBoxLayout()
        filters.addWidget(self.text_edit, 3)
        filters.addWidget(self.type_box, 1)
        filters.addWidget(self.term_box, 1)
        for widget in (self.from_check, self.from_edit, self.to_check, self.to_edit):
            filters.addWidget(widget)

        self.model = RegisterTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("register_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in ((0, 50), (1, 110), (2, 100), (3, 140), (4, 380), (5, 150)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(self._on_double_click)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("count")

        buttons = vietnamese_buttons(QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self))
        buttons.rejected.connect(self.reject)
        self.preview_button = tag(QPushButton("Xem, in…", self), Permission.READ)
        self.preview_button.clicked.connect(self._preview_selected)
        self.export_button = tag(QPushButton("Xuất Excel…", self), Permission.READ)
        self.export_button.setObjectName("export")
        self.export_button.clicked.connect(self._ask_export)
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        layout.addWidget(self.count_label)
        layout.addWidget(buttons)

    # --- loading -------------------------------------------------------------------------------
    def filters(self) -> dict[str, object]:
        return {
            "text": self.text_edit.text().strip() or None,
            "action": self.type_box.currentData(),
            "term": self.term_box.currentData(),
            "date_from": _pydate(self.from_edit.date()) if self.from_check.isChecked() else None,
            "date_to": _pydate(self.to_edit.date()) if self.to_check.isChecked() else None,
        }

    def reload(self) -> None:
        if self._closed:
            return
        self._generation += 1
        generation = self._generation
        self.worker.submit(ops.load_register(**self.filters()),  # type: ignore[arg-type]
                           lambda data: self._show(generation, data), self._present)

    def _show(self, generation: int, data: ops.RegisterData) -> None:
        if generation != self._generation:
            return  # a newer filter superseded this answer
        if data.terms != self._terms:
            self._terms = data.terms
            current = self.term_box.currentData()
            self.term_box.blockSignals(True)
            while self.term_box.count() > 1:
                self.term_box.removeItem(1)
            for name in data.terms:
                self.term_box.addItem(name.replace("-", " - "), name)
            index = self.term_box.findData(current)
            self.term_box.setCurrentIndex(max(0, index))
            self.term_box.blockSignals(False)
        self.model.set_rows(data.rows)
        self.count_label.setText(f"{len(data.rows)} văn bản")
        self.loaded.emit()

    # --- actions -------------------------------------------------------------------------------
    def _on_double_click(self, index: QModelIndex) -> None:
        self._open_preview(self.model.row_at(index.row()).id)

    def _preview_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._open_preview(self.model.row_at(rows[0].row()).id)

    def _ask_export(self) -> None:
        path = ask_xlsx_path(self, "Xuất sổ văn bản đi", "So-van-ban-di.xlsx")
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        def write(data: bytes) -> None:
            if not self._closed and write_file(self, path, data):
                self.exported.emit(str(path))

        self.worker.submit(ops.export_register(rows=self.model.rows), write, self._present)

    def _present(self, error: Exception) -> None:
        if not self._closed:
            present_error(self, error)
