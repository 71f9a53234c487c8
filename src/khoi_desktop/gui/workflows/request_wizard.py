"""Base of the restructuring wizards: the action's own pages, then the decision page.

The decision page checks the request in core (read-only) and shows the decision's words, its
warnings or the reasons it is refused; "Lưu dự thảo" drafts it, "Ban hành" issues it after a
confirmation. Every check the wizard shows comes from the same core code the CLI runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from khoi_desktop.core.errors import KhoiError
from khoi_desktop.core.requests import Request
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.workflows import jobs

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow

WIZARD_BUTTONS = {
    QWizard.WizardButton.BackButton: "< Quay lại",
    QWizard.WizardButton.NextButton: "Tiếp >",
    QWizard.WizardButton.CommitButton: "Ghi",
    QWizard.WizardButton.FinishButton: "Ban hành…",
    QWizard.WizardButton.CancelButton: "Hủy",
    QWizard.WizardButton.HelpButton: "Trợ giúp",
    QWizard.WizardButton.CustomButton1: "Lưu dự thảo",
}


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(date: QDate) -> dt.date:
    return dt.date(date.year(), date.month(), date.day())


class DecisionPage(QWizardPage):
    """Effective date, basis, consent reason and signer; the decision previewed from core."""

    def __init__(self, wizard: RequestWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Nội dung quyết định")
        self.setSubTitle("Kiểm tra nội dung trước khi lưu dự thảo hoặc ban hành.")
        self._wizard = wizard
        self.effective = QDateEdit(qdate(dt.date.today()), self)
        self.effective.setDisplayFormat("dd/MM/yyyy")
        self.effective.setCalendarPopup(True)
        self.basis = QLineEdit(self)
        self.basis.setPlaceholderText("Ví dụ: Xét Tờ trình số 12-TTr/ĐU ngày 05/3/2026 của Đảng ủy Sở Y tế,")
        self.consent = QLineEdit(self)
        self.consent.setObjectName("consent_reason")
        self.consent.setPlaceholderText("Chỉ khi có ngoại lệ cần cấp ủy cấp trên đồng ý "
                                        "(ví dụ chi bộ trên 30 đảng viên)")
        self.signer = QComboBox(self)
        for signer in wizard.window.settings.signers:
            self.signer.addItem(f"{signer.name} ({signer.title.capitalize()})", signer.name)
        self.status = QLabel(self)
        self.status.setObjectName("decision_status")
        self.status.setWordWrap(True)
        self.preview = QPlainTextEdit(self)
        self.preview.setObjectName("decision_preview")
        self.preview.setReadOnly(True)
        form = QFormLayout()
        form.addRow("Ngày hiệu lực:", self.effective)
        form.addRow("Căn cứ đề nghị:", self.basis)
        form.addRow("Lý do đồng ý:", self.consent)
        form.addRow("Người ký:", self.signer)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.preview, 1)
        for edit in (self.basis, self.consent):
            edit.editingFinished.connect(self.refresh)
        self.effective.dateChanged.connect(lambda _d: self.refresh())
        self.signer.currentIndexChanged.connect(lambda _i: self.refresh())
        self._ok = False

    def initializePage(self) -> None:
        self.refresh()

    def common_fields(self) -> dict[str, object]:
        return {
            "effective": pydate(self.effective.date()),
            "basis": self.basis.text().strip() or None,
            "consent_reason": self.consent.text().strip() or None,
            "signer": self.signer.currentData(),
        }

    def refresh(self) -> None:
        self._ok = False
        self.completeChanged.emit()
        self.status.setText("Đang kiểm tra…")
        generation = self._wizard.next_generation()
        try:
            request = self._wizard.request()
        except KhoiError as error:  # a field the form could not read (a date typed wrongly …)
            self._show(generation, jobs.Preview("", [], [error.message]))
            return
        self._wizard.window.worker.submit(
            jobs.preview_request(request=request, today=dt.date.today()),
            lambda preview: self._show(generation, preview),
            lambda error: present_error(self, error),
        )

    def _show(self, generation: int, preview: jobs.Preview) -> None:
        if generation != self._wizard.generation:
            return
        if preview.problems:
            self.status.setText("<b style='color:#c62828'>Chưa thể lập quyết định:</b><br>"
                                + "<br>".join(preview.problems))
            self.preview.setPlainText("")
        else:
            notes = "".join(f"<br><span style='color:#ef6c00'>Lưu ý: {w}</span>" for w in preview.warnings)
            self.status.setText("<b style='color:#2e7d32'>Yêu cầu hợp lệ.</b>" + notes)
            self.preview.setPlainText(preview.text)
        self._ok = not preview.problems
        self.completeChanged.emit()
        self._wizard.checked.emit(self._ok)

    def isComplete(self) -> bool:
        return self._ok


class RequestWizard(QWizard):
    """Subclasses add their pages in __init__ and implement `action_fields()`."""

    checked = Signal(bool)  # the decision page finished checking: valid or not
    saved = Signal(object)  # jobs.Saved

    def __init__(self, window: MainWindow, title: str) -> None:
        super().__init__(window)
        self.window = window
        self.generation = 0
        self.setWindowTitle(title)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        for which, text in WIZARD_BUTTONS.items():
            self.setButtonText(which, text)
        self.customButtonClicked.connect(lambda which: self.save(issue=False))
        self.currentIdChanged.connect(self._update_buttons)
        self.decision_page: DecisionPage | None = None
        self.resize(980, 680)

    def add_decision_page(self) -> None:
        self.decision_page = DecisionPage(self)
        self.addPage(self.decision_page)
        self._update_buttons()

    def _update_buttons(self, *_: object) -> None:
        self.button(QWizard.WizardButton.CustomButton1).setVisible(self.currentPage() is self.decision_page)

    def next_generation(self) -> int:
        self.generation += 1
        return self.generation

    def action_fields(self) -> Request:
        """Each wizard builds its own request from its pages (an abstract hook, always overridden)."""
        raise NotImplementedError

    def request(self) -> Request:
        request = self.action_fields()
        if self.decision_page is not None:
            for name, value in self.decision_page.common_fields().items():
                setattr(request, name, value)
        return request

    # --- saving ----------------------------------------------------------------------------
    def accept(self) -> None:  # Finish = "Ban hành…"
        self.save(issue=True)

    def confirm_issue(self) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "Ban hành quyết định",
                          "Ban hành quyết định này? Quyết định sẽ được cấp số và các thay đổi được áp dụng ngay; "
                          "sau khi ban hành không thể sửa.", parent=self)
        issue = box.addButton("Ban hành", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Hủy", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is issue

    def save(self, *, issue: bool, confirm: Callable[[], bool] | None = None) -> None:
        if self.decision_page is None or not self.decision_page.isComplete():
            return
        if issue and not (confirm or self.confirm_issue)():
            return
        self.window.worker.submit(jobs.save_request(request=self.request(), issue=issue, today=dt.date.today()),
                                  self._saved, lambda error: present_error(self, error))

    def _saved(self, saved: jobs.Saved) -> None:
        self.window.notify_changed()
        self.saved.emit(saved)
        super().accept()
        from khoi_desktop.gui.workflows.result import show_result

        show_result(self.window, saved)
