"""Term summary of appointments and approvals, per organization and in total."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from khoi_desktop.core.appointments.summary import TermSummary
from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.changes import Area
from khoi_desktop.gui.appointments import ops
from khoi_desktop.gui.appointments.models import SummaryModel
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.gating import tag

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow


class SummaryDialog(QDialog):
    loaded = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("summary_dialog")
        self.setWindowTitle("Tổng hợp chỉ định, chuẩn y cấp ủy theo nhiệm kỳ")
        self.main_window = window
        self.summary: TermSummary | None = None
        self.term = QComboBox(self)
        self.term.setObjectName("summary_term")
        self.term.setMinimumContentsLength(12)
        self.term.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.sentence = QLabel(self)
        self.sentence.setObjectName("summary_sentence")
        self.sentence.setWordWrap(True)
        self.sentence.setStyleSheet("font-weight: bold; padding: 4px 0;")
        self.model = SummaryModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("summary_table")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        close = tag(QPushButton("Đóng", self), Permission.READ)
        close.clicked.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel(f"Nhiệm kỳ của {window.settings.issuing_body_short}:"))
        top.addWidget(self.term)
        top.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.sentence)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.resize(900, 560)
        self.term.currentIndexChanged.connect(lambda _i: self.reload())
        self._on_change = window.on_change(frozenset({Area.DECISIONS, Area.COMMITTEES}), self.reload)
        window.worker.submit(ops.load_terms(today=dt.date.today()), self._terms, lambda e: present_error(self, e))

    def _terms(self, terms: ops.Terms) -> None:
        self.term.blockSignals(True)
        for name in terms.names:
            self.term.addItem(name.replace("-", " - "), name)
        if terms.current:
            self.term.setCurrentIndex(self.term.findData(terms.current))
        self.term.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        term = self.term.currentData()
        if term is None:
            self.sentence.setText("Chưa khai báo nhiệm kỳ nào.")
            return
        self.main_window.worker.submit(ops.load_summary(term=term), self._show, lambda e: present_error(self, e))

    def _show(self, summary: TermSummary) -> None:
        if summary.term != self.term.currentData():
            return
        self.summary = summary
        self.sentence.setText(summary.sentence())
        self.model.set_summary(summary)
        self.loaded.emit()

    def done(self, result: int) -> None:
        try:
            self.main_window.data_changed.disconnect(self._on_change)
        except (RuntimeError, TypeError):
            pass
        super().done(result)
