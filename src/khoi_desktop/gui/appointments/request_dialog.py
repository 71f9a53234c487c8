"""Base of the appointment dialogs: the request is checked in core as the clerk edits it, the decision's
words or the reasons it is refused are shown, then "Lưu dự thảo" drafts it and "Ban hành…" issues it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.changes import DRAFTED, ISSUED
from khoi_desktop.core.errors import KhoiError
from khoi_desktop.core.requests import Request
from khoi_desktop.gui.date_edits import DateEdit, date_problems
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.escape_guard import guard_escape
from khoi_desktop.gui.gating import tag
from khoi_desktop.gui.workflows import jobs
from khoi_desktop.gui.workflows.request_wizard import RecordedBox, signer_title

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow

CHECK_DELAY_MS = 300


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(date: QDate) -> dt.date:
    return dt.date(date.year(), date.month(), date.day())


def date_edit(parent: QWidget, day: dt.date) -> DateEdit:
    edit = DateEdit(qdate(day), parent)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setCalendarPopup(True)
    return edit


class RequestDialog(QDialog):
    """Subclasses build their fields, call `finish_layout()` and implement `build_request()`."""

    checked = Signal(bool)  # a check finished: valid or not
    saved = Signal(object)  # jobs.Saved

    def __init__(self, window: MainWindow, title: str) -> None:
        super().__init__(window)
        self.main_window = window
        self.setWindowTitle(title)
        self._generation = 0
        self._ok = False
        self.effective = date_edit(self, dt.date.today())
        self.signer = QComboBox(self)
        for signer in window.settings.signers:
            self.signer.addItem(f"{signer.name} ({signer_title(signer.title)})", signer.name)
        self.status = QLabel(self)
        self.status.setObjectName("decision_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview = QPlainTextEdit(self)
        self.preview.setObjectName("decision_preview")
        self.preview.setReadOnly(True)
        self.draft_button = tag(QPushButton("Lưu &dự thảo", self), Permission.DRAFT_ISSUE)
        self.draft_button.setObjectName("draft_button")
        self.issue_button = tag(QPushButton("&Ban hành…", self), Permission.DRAFT_ISSUE)
        self.issue_button.setObjectName("issue_button")
        self.issue_button.setDefault(True)
        close = self.close_button = tag(QPushButton("Đón&g", self), Permission.READ)
        close.clicked.connect(self.reject)
        self.draft_button.clicked.connect(lambda: self.save(issue=False))
        self.issue_button.clicked.connect(lambda: self.save(issue=True))
        # Who decides (Điều lệ Đảng, Điều 10.3), found by core; a đảng ủy cơ sở's signed decision is recorded.
        self.issuer: tuple[str, str] | None = None
        self.issuer_label = QLabel(self)
        self.issuer_label.setObjectName("issuer")
        self.issuer_label.setWordWrap(True)
        self.recorded = RecordedBox(self)
        self.recorded.setVisible(False)
        self.recorded.toggled.connect(lambda _on: self.schedule_check())
        for edit in (self.recorded.number, self.recorded.signer, self.recorded.scan):
            edit.textChanged.connect(lambda _t: self.schedule_check())
        self.recorded.signed_on.dateChanged.connect(lambda _d: self.schedule_check())
        # The issuer's sentence on a line of its own, the full width (in half of the button row it wrapped onto
        # two lines and took the text's room at 1366×768); the signed decision's box beside the buttons.
        buttons = QHBoxLayout()
        buttons.addWidget(self.recorded, 1)
        buttons.addStretch(0)
        for button in (self.draft_button, self.issue_button, close):
            buttons.addWidget(button, 0, Qt.AlignmentFlag.AlignBottom)
        self.button_row = QVBoxLayout()
        self.button_row.addWidget(self.issuer_label)
        self.button_row.addLayout(buttons)
        self._timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.effective.dateChanged.connect(lambda _d: self.schedule_check())
        for box in (self.effective, self.recorded.signed_on):  # a date typed that is not one says so at once
            box.problem_changed.connect(lambda _p: self.schedule_check())
        self.signer.currentIndexChanged.connect(lambda _i: self.schedule_check())
        self._set_ok(False)
        self.escape_guard = guard_escape(self)  # Esc asks before throwing away what was typed or picked

    def order_tabs(self, *fields: QWidget) -> None:
        """Tab goes through the subclass's fields as they are laid out, then the decision's own (date, signer),
        the text, the signed decision's fields and the buttons: Qt's order is the order of making, and the base's
        date and signer (made first) came before the form, the buttons in the middle of it."""
        recorded = self.recorded
        chain = [*fields, self.preview, recorded, recorded.number, recorded.signed_on, recorded.signer, recorded.scan,
                 recorded.browse, self.draft_button, self.issue_button, self.close_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # --- checking --------------------------------------------------------------------------
    def build_request(self) -> Request:
        """Each dialog builds its own request (an abstract hook, always overridden)."""
        raise NotImplementedError

    def request(self) -> Request:
        request = self.build_request()
        effective = pydate(self.effective.date())
        request.effective = effective if effective != dt.date.today() else None
        lower = self.issuer is not None
        request.signer = None if lower else self.signer.currentData()
        request.issuer = self.issuer[0] if self.issuer is not None else None
        request.recorded = self.recorded.value() if lower else None
        return request

    def schedule_check(self) -> None:
        self._set_ok(False)
        self._timer.start()

    def refresh(self) -> None:
        self._timer.stop()
        self._generation += 1
        generation = self._generation
        self._set_ok(False)
        self.status.setText("Đang kiểm tra…")
        try:
            request = self.request()
        except KhoiError as error:
            self._show(generation, jobs.Preview("", [], [error.message]))
            return
        self.main_window.worker.submit(jobs.preview_request(request=request, today=dt.date.today()),
                                  lambda preview: self._show(generation, preview), lambda e: present_error(self, e))

    def _show(self, generation: int, preview: jobs.Preview) -> None:
        if not isValid(self) or generation != self._generation:  # closed while the check ran
            return
        if preview.problems:
            self.status.setText("<b style='color:#c62828'>Chưa thể lập quyết định:</b><br>"
                                + "<br>".join(f"• {p}" for p in preview.problems))
            self.preview.setPlainText("")
        else:
            notes = "".join(f"<br><span style='color:#ef6c00'>Lưu ý: {w}</span>" for w in preview.warnings)
            self.status.setText("<b style='color:#2e7d32'>Yêu cầu hợp lệ.</b>" + notes)
            self.preview.setPlainText(preview.text)
            self._show_issuer(preview.issuer)
        local = date_problems(self) + (self.recorded.local_problems() if self.issuer is not None else [])
        if local:
            self.status.setText(f"<b style='color:#c62828'>{local[0]}</b>")
        self._set_ok(not preview.problems and not local)
        self.checked.emit(self._ok)

    def _show_issuer(self, issuer: tuple[str, str] | None) -> None:
        self.issuer = issuer
        self.recorded.setVisible(issuer is not None)
        self.signer.setEnabled(issuer is None)
        self.issue_button.setText("&Ghi nhận…" if issuer else "&Ban hành…")  # Alt letters as in the wizards
        self.issuer_label.setText("" if issuer is None else
                                  f"Cơ quan ban hành: {issuer[1]} (cấp ủy cấp trên trực tiếp). Lưu dự thảo để gửi, "
                                  "hoặc ghi nhận quyết định đã ký.")

    def _set_ok(self, ok: bool) -> None:
        self._ok = ok
        self.draft_button.setEnabled(ok)
        self.issue_button.setEnabled(ok)

    @property
    def is_valid(self) -> bool:
        return self._ok

    # --- saving ----------------------------------------------------------------------------
    def confirm_issue(self) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "Ban hành quyết định",
                          "Ban hành quyết định này? Quyết định sẽ được cấp số và các thay đổi về cấp ủy được áp "
                          "dụng ngay; sau khi ban hành không thể sửa.", parent=self)
        issue = box.addButton("Ban hành", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Hủy", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is issue

    def save(self, *, issue: bool, confirm: Callable[[], bool] | None = None) -> None:
        if not self._ok:
            return
        if issue and self.issuer is not None and not self.recorded.isChecked():
            QMessageBox.information(self, "Quyết định của cấp ủy cơ sở",
                                    f"Quyết định này do {self.issuer[1]} ban hành: hãy lưu dự thảo để gửi, hoặc "
                                    "đánh dấu «Ghi nhận quyết định đã ký» và ghi số, ngày ký, người ký.")
            return
        if issue and not (confirm or self.confirm_issue)():
            return
        self._set_ok(False)
        self.main_window.worker.submit(jobs.save_request(request=self.request(), issue=issue, today=dt.date.today()),
                                  self._saved, self._failed)

    def _failed(self, error: Exception) -> None:
        present_error(self, error)
        self.refresh()

    def _saved(self, saved: jobs.Saved) -> None:
        self.main_window.notify_changed(ISSUED if saved.decision.code else DRAFTED)
        self.saved.emit(saved)
        self.accept()
        from khoi_desktop.gui.workflows.result import show_result

        show_result(self.main_window, saved)
