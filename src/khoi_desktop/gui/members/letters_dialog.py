"""Giấy giới thiệu sinh hoạt đảng and its return slip: the transfers out of the office waiting for their slip;
issue a transfer's letter (numbered in the outgoing register, shown to print or save as PDF), record the slip's
return with its date. A transfer whose slip has not come back after 30 days is flagged, as `check` does. The letter
is signed by whoever signed the transfer decision (as core picks it), or by another configured signer chosen in
«Người ký»."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.changes import Area
from khoi_desktop.core.text import show_date
from khoi_desktop.gui.buttons import vietnamese_buttons
from khoi_desktop.gui.date_edits import DateEdit
from khoi_desktop.gui.dialogs import fit_to_screen
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.gating import tag
from khoi_desktop.gui.workflows.request_wizard import pydate, qdate, signer_title

if TYPE_CHECKING:
    from khoi_desktop.core.db import Database
    from khoi_desktop.core.member_events.letters import TransferOut
    from khoi_desktop.gui.main_window import MainWindow

COLUMNS = ["Mã", "Họ và tên", "Chuyển đến", "Hình thức", "Ngày chuyển", "Giấy giới thiệu", "Tình trạng"]
LATE_COLOR = Qt.GlobalColor.darkRed


def load_awaiting(today: dt.date):  # type: ignore[no-untyped-def]
    def job(db: Database) -> list[TransferOut]:
        from khoi_desktop.core.member_events.letters import awaiting_slips

        with db.reading() as session:
            return awaiting_slips(session, today)

    return job


def issue_letter_job(member_code: str, today: dt.date, signer: str | None = None):  # type: ignore[no-untyped-def]
    def job(db: Database) -> tuple[int, str]:
        from khoi_desktop.core.audit import os_user
        from khoi_desktop.core.member_events.letters import issue_letter
        from khoi_desktop.documents import render_pdf

        with db.writing() as session:
            letter = issue_letter(session, member_code, on=today, actor=os_user(), render=render_pdf, signer=signer)
            return letter.id, letter.code or ""

    return job


def record_slip_job(member_code: str, returned_on: dt.date):  # type: ignore[no-untyped-def]
    def job(db: Database) -> str:
        from khoi_desktop.core.audit import os_user
        from khoi_desktop.core.member_events.letters import record_slip

        with db.writing() as session:
            return record_slip(session, member_code, returned_on=returned_on, actor=os_user()).letter_code or ""

    return job


def _status(row: TransferOut) -> str:
    if row.letter_code is None:
        return "Chưa cấp giấy giới thiệu" + (" (đã quá 30 ngày)" if row.late else "")
    return "Quá 30 ngày chưa nhận phiếu báo" if row.late else "Chờ phiếu báo"


class SlipDialog(QDialog):
    """The day the receiving body's slip (phiếu báo đã tiếp nhận) came back."""

    def __init__(self, row: TransferOut, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Ghi nhận phiếu báo đã tiếp nhận sinh hoạt đảng")
        text = QLabel(f"Phiếu báo của {row.body} đã tiếp nhận đồng chí {row.full_name} ({row.member_code}), "
                      f"theo giấy giới thiệu số {row.letter_code} (chuyển ngày {show_date(row.on)}).", self)
        text.setWordWrap(True)
        self.returned_on = DateEdit(qdate(dt.date.today()), self)
        self.returned_on.setObjectName("returned_on")
        self.returned_on.setCalendarPopup(True)
        self.returned_on.setDisplayFormat("dd/MM/yyyy")
        self.returned_on.setMinimumDate(qdate(row.on))
        self.returned_on.setMaximumDate(qdate(dt.date.today()))
        form = QFormLayout()
        form.addRow("Ngày nhận phiếu báo:", self.returned_on)
        self.buttons = vietnamese_buttons(QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self))
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Ghi nhận")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(560, 170)

    def day(self) -> dt.date:
        return pydate(self.returned_on.date())


class LettersDialog(QDialog):
    """Transfers out waiting for their slip, the oldest first; `member` (a code) is selected when shown."""

    loaded = Signal()
    letter_issued = Signal(int)  # the letter's decision id
    slip_recorded = Signal(str)  # the member's code

    def __init__(self, window: MainWindow, member: str | None = None) -> None:
        super().__init__(window)
        self.main_window = window
        self.focus_code = member
        self.setWindowTitle("Giấy giới thiệu sinh hoạt đảng và phiếu báo")
        fit_to_screen(self, 1060, 520)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("letters_table")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column in (1, 2)
                                        else QHeaderView.ResizeMode.ResizeToContents)
        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.result_label = QLabel(self)
        self.result_label.setObjectName("result")
        self.result_label.setWordWrap(True)
        self.issue_button = tag(QPushButton("Cấp giấy giới thiệu…", self), Permission.DRAFT_ISSUE)
        self.issue_button.setObjectName("issue_letter")
        self.view_button = tag(QPushButton("Xem, in giấy giới thiệu", self), Permission.READ)
        self.view_button.setObjectName("view_letter")
        self.slip_button = tag(QPushButton("Ghi nhận phiếu báo…", self), Permission.DRAFT_ISSUE)
        self.slip_button.setObjectName("record_slip")
        # Who signs the letter: the transfer decision's signer, as core picks it, unless another is chosen.
        self.signer = QComboBox(self)
        self.signer.setObjectName("letter_signer")
        for signer in window.settings.signers:
            self.signer.addItem(f"{signer.name} ({signer_title(signer.title)})", signer.name)
        self.signer.setToolTip("Người ký giấy giới thiệu: mặc định người đã ký quyết định chuyển sinh hoạt đảng.")
        signer_label = QLabel("Người &ký:", self)
        signer_label.setBuddy(self.signer)
        close = tag(QPushButton("Đóng", self), Permission.READ)
        close.clicked.connect(self.close)
        self.issue_button.clicked.connect(self.issue_letter)
        self.view_button.clicked.connect(self.view_letter)
        self.slip_button.clicked.connect(self.record_slip)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        buttons = QHBoxLayout()
        buttons.addWidget(signer_label)
        buttons.addWidget(self.signer)
        for button in (self.issue_button, self.view_button, self.slip_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Đảng viên chuyển sinh hoạt đảng ra ngoài Đảng bộ chưa có phiếu báo đã tiếp nhận "
                                "(sau 30 ngày được tô đỏ):", self))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.result_label)
        layout.addLayout(buttons)
        chain = [self.table, self.signer, self.issue_button, self.view_button, self.slip_button, close]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self.table.itemSelectionChanged.connect(self._default_signer)
        self.rows: list[TransferOut] = []
        self.reload()

    # --- the list ---------------------------------------------------------------------------
    def reload(self) -> None:
        self._update_buttons()
        self.main_window.worker.submit(load_awaiting(dt.date.today()), self.show_rows,
                                       lambda error: present_error(self, error))

    def show_rows(self, rows: Any) -> None:
        chosen = self.chosen()
        keep = self.focus_code or (chosen.member_code if chosen else None)
        self.rows = list(rows)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            values = [row.member_code, row.full_name, row.body, "Tạm thời" if row.temporary else "Chính thức",
                      show_date(row.on), row.letter_code or "", _status(row)]
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if row.late:
                    item.setForeground(LATE_COLOR)
                self.table.setItem(r, c, item)
        late = sum(1 for row in self.rows if row.late)
        without = sum(1 for row in self.rows if row.letter_code is None)
        self.summary.setText(f"{len(self.rows)} đảng viên chuyển đi chưa có phiếu báo, trong đó {without} chưa cấp "
                             f"giấy giới thiệu và {late} đã quá 30 ngày.")
        index = next((i for i, row in enumerate(self.rows) if row.member_code == keep), None)
        if index is not None:
            self.table.selectRow(index)
        self.focus_code = None
        self._update_buttons()
        self.loaded.emit()

    def chosen(self) -> TransferOut | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def _default_signer(self) -> None:
        """The chosen transfer's decision signer (core's default), else the first configured signer."""
        row = self.chosen()
        index = self.signer.findData(row.decision_signer) if row is not None and row.decision_signer else -1
        self.signer.setCurrentIndex(max(index, 0))

    def _update_buttons(self) -> None:
        row = self.chosen()
        self.signer.setEnabled(row is not None and row.letter_code is None)
        self.issue_button.setEnabled(row is not None and row.letter_code is None)
        self.view_button.setEnabled(row is not None and row.letter_id is not None)
        self.slip_button.setEnabled(row is not None and row.letter_code is not None)

    # --- the actions ------------------------------------------------------------------------
    def issue_letter(self) -> None:
        row = self.chosen()
        if row is None or row.letter_code is not None:
            return
        signer = self.signer.currentData()
        signed_by = f" Người ký: {self.signer.currentText()}." if signer else ""
        box = QMessageBox(QMessageBox.Icon.Question, "Cấp giấy giới thiệu sinh hoạt đảng",
                          f"Cấp giấy giới thiệu sinh hoạt đảng cho đồng chí {row.full_name} ({row.member_code}) "
                          f"đến {row.body}? Giấy được cấp số tiếp theo trong sổ văn bản đi.{signed_by}", parent=self)
        issue = box.addButton("Cấp giấy", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Hủy", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is not issue:
            return
        self.main_window.worker.submit(issue_letter_job(row.member_code, dt.date.today(), signer),
                                       lambda issued: self._issued(row, *issued),
                                       lambda error: present_error(self, error))

    def _issued(self, row: TransferOut, letter_id: int, code: str) -> None:
        self.result_label.setText(f"Đã cấp giấy giới thiệu sinh hoạt đảng số {code} cho đồng chí {row.full_name}. "
                            "Bản PDF mở để in hoặc lưu; khi nhận được phiếu báo, chọn «Ghi nhận phiếu báo…».")
        self.main_window.notify_changed(frozenset({Area.DECISIONS, Area.MEMBERS}))
        self.focus_code = row.member_code
        self.reload()
        from khoi_desktop.gui.documents import open_preview

        open_preview(self.main_window, letter_id, over=self)
        self.letter_issued.emit(letter_id)

    def view_letter(self) -> None:
        row = self.chosen()
        if row is not None and row.letter_id is not None:
            from khoi_desktop.gui.documents import open_preview

            open_preview(self.main_window, row.letter_id, over=self)

    def record_slip(self) -> None:
        row = self.chosen()
        if row is None or row.letter_code is None:
            return
        dialog = SlipDialog(row, self)
        self.slip_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        returned_on = dialog.day()
        self.main_window.worker.submit(record_slip_job(row.member_code, returned_on),
                                       lambda code: self._slip_recorded(row, code, returned_on),
                                       lambda error: present_error(self, error))

    def _slip_recorded(self, row: TransferOut, code: str, returned_on: dt.date) -> None:
        self.result_label.setText(f"Đã ghi nhận phiếu báo của giấy giới thiệu số {code} (đồng chí {row.full_name}), "
                            f"nhận ngày {show_date(returned_on)}.")
        self.main_window.notify_changed(frozenset({Area.MEMBERS}))
        self.reload()
        self.slip_recorded.emit(row.member_code)
