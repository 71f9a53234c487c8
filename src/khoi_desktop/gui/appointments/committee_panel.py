"""An organization's committee: term, who holds which role, vacancies, term end, history; and the actions."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from khoi_desktop.core.appointments.committees import CommitteeView, Holder, show_term
from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.changes import Area
from khoi_desktop.core.text import show_date
from khoi_desktop.gui.appointments import ops
from khoi_desktop.gui.appointments.models import HistoryModel, HoldersModel
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.gating import tag

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow


def _table(model: HoldersModel | HistoryModel, parent: QWidget, name: str) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setDefaultSectionSize(24)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def header_html(view: CommitteeView) -> str:
    term = view.term
    parts = [f"<b>{escape(view.org_name)}</b> ({escape(view.kind.label.lower())})"]
    if term is None:
        parts.append("chưa có cấp ủy")
    else:
        line = f"nhiệm kỳ {escape(show_term(term.label))}"
        if term.starts_on:
            line += f" (từ {show_date(term.starts_on)}" + (f" đến {show_date(term.ends_on)})" if term.ends_on else ")")
        parts.append(line)
        if view.structure.has_committee and term.size:
            basis = "Đại hội quyết định" if term.size_recorded else "số đã bầu đầu nhiệm kỳ"
            parts.append(f"{escape(view.names.committee_word)} {view.committee_count}/{term.size} ({basis})")
        if term.decision:
            parts.append(f"quyết định {escape(term.decision)}")
    shape = view.structure
    rule = ""
    if view.names.is_chi_bo:
        rule = (f"{shape.full_members} đảng viên chính thức: "
                + (f"có chi ủy (tối đa {shape.max_size}), một Phó Bí thư" if shape.has_committee
                   else "không lập chi ủy, chỉ Bí thư và một Phó Bí thư"))
    # The short parts after the name wrap whole, at the « · » between them («Ban Chấp / hành 9/9» in the end-of-seat
    # dialog); the name may wrap as it must.
    parts[1:] = [part.replace(" ", "&nbsp;") for part in parts[1:]]
    # The chi bộ's rule on a line of its own: at 1366 px it wrapped in the middle («…, một / Phó Bí thư»).
    return " · ".join(parts) + (f"<br>{rule}" if rule else "")


def notes_html(view: CommitteeView) -> str:
    lines = [f"<span style='color:#ef6c00'>● {escape(v)}</span>" for v in view.vacancies]
    if view.term_end_note:
        lines.append(f"<span style='color:#c62828'>● {escape(view.term_end_note)}</span>")
    return "<br>".join(lines) or "<span style='color:#2e7d32'>● Cấp ủy đủ chức danh.</span>"


class CommitteePanel(QWidget):
    """Shows one organization's committee; loads through the window's database worker."""

    loaded = Signal()

    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("committee_panel")
        self.main_window = window
        self.view: CommitteeView | None = None
        self.org_id: int | None = None
        self._generation = 0
        self.header = QLabel(self)
        self.header.setObjectName("committee_header")
        self.header.setWordWrap(True)
        self.notes = QLabel(self)
        self.notes.setObjectName("committee_notes")
        self.notes.setWordWrap(True)
        self.holders = HoldersModel(self)
        self.history = HistoryModel(self)
        self.holders_table = _table(self.holders, self, "committee_holders")
        self.history_table = _table(self.history, self, "committee_history")
        tabs = QTabWidget(self)
        tabs.addTab(self.holders_table, "Cấp ủy hiện tại")
        tabs.addTab(self.history_table, "Lịch sử")
        self.tabs = tabs
        self.appoint_button = tag(QPushButton("Chỉ định, chuẩn y…", self), Permission.DRAFT_ISSUE)
        self.appoint_button.setObjectName("appoint_button")
        self.election_button = tag(QPushButton("Chuẩn y kết quả bầu cử…", self), Permission.DRAFT_ISSUE)
        self.end_button = tag(QPushButton("Cho thôi giữ chức…", self), Permission.DRAFT_ISSUE)
        self.end_button.setObjectName("end_seat_button")
        self.size_button = tag(QPushButton("Ghi số lượng Đại hội quyết định…", self), Permission.DRAFT_ISSUE)
        buttons = self.button_row = QHBoxLayout()  # a dialog showing this panel adds its "Đóng" at the end
        for button in (self.appoint_button, self.election_button, self.end_button, self.size_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.header)
        layout.addWidget(self.notes)
        layout.addWidget(tabs, 1)
        layout.addLayout(buttons)
        self.appoint_button.clicked.connect(lambda: self._open("appoint"))
        self.election_button.clicked.connect(lambda: self._open("election"))
        self.end_button.clicked.connect(self._end_selected)
        self.size_button.clicked.connect(self._record_size)
        self.holders_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()

    # --- loading ---------------------------------------------------------------------------
    def as_of(self) -> dt.date:
        date = self.main_window.as_of_edit.date()
        return dt.date(date.year(), date.month(), date.day())

    def show_org(self, org_id: int | None) -> None:
        self.org_id = org_id
        self._generation += 1
        generation = self._generation
        if org_id is None:
            self.view = None
            self.header.setText("Chọn một tổ chức để xem cấp ủy.")
            self.notes.setText("")
            self.holders.set_rows([])
            self.history.set_rows([])
            self._update_buttons()
            return
        self.main_window.worker.submit(ops.load_committee(org_id=org_id, as_of=self.as_of()),
                                  lambda view: self._show(generation, view), lambda e: present_error(self, e))

    def reload(self) -> None:
        self.show_org(self.org_id)

    def _show(self, generation: int, view: CommitteeView) -> None:
        if generation != self._generation or not isValid(self.header):  # closed while the answer came
            return
        self.view = view
        self.header.setText(header_html(view))
        self.notes.setText(notes_html(view))
        self.holders.names = view.names
        self.holders.set_rows(view.holders)
        self.history.set_rows(view.history)
        self._update_buttons()
        self.loaded.emit()

    # --- actions ---------------------------------------------------------------------------
    def selected_holder(self) -> Holder | None:
        rows = self.holders_table.selectionModel().selectedRows()
        return self.holders.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        active = self.view is not None and self.view.org_id == self.org_id
        for button in (self.appoint_button, self.election_button):
            button.setEnabled(active)
        self.end_button.setEnabled(bool(active and self.view and self.view.holders))
        term = self.view.term if self.view else None
        self.size_button.setVisible(bool(active and term and not term.size_recorded
                                         and self.view and self.view.structure.has_committee))

    def _open(self, kind: str) -> None:
        from khoi_desktop.gui.appointments import open_appoint_dialog

        if self.org_id is not None:
            open_appoint_dialog(self.main_window, self.org_id, election=kind == "election")

    def _end_selected(self) -> None:
        from khoi_desktop.gui.appointments import open_end_seat_dialog

        holder = self.selected_holder()
        if self.org_id is not None:
            open_end_seat_dialog(self.main_window, self.org_id, holder.member_code if holder else None)

    def _record_size(self) -> None:
        if self.view is None or self.view.term is None or self.org_id is None:
            return
        term = self.view.term
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Số lượng cấp ủy viên")
        dialog.setLabelText(f"Số lượng {self.view.names.member_word.lower()} do Đại hội quyết định (nhiệm kỳ "
                            f"{show_term(term.label)}):")
        dialog.setInputMode(QInputDialog.InputMode.IntInput)
        dialog.setIntRange(1, 99)
        dialog.setIntValue(term.size or 1)
        dialog.setOkButtonText("Ghi")
        dialog.setCancelButtonText("Hủy")
        if dialog.exec():
            # Every screen of committees hears it (this panel too): the size findings, the term summary.
            self.main_window.worker.submit(ops.save_size(org_id=self.org_id, term=term.label, size=dialog.intValue()),
                                           lambda _none: self.main_window.notify_changed(frozenset({Area.COMMITTEES})),
                                           lambda e: present_error(self, e))
