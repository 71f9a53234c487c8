"""Base of the restructuring wizards: the action's own pages, then the decision page.

The decision page checks the request in core (read-only) and shows the decision's words, its
warnings or the reasons it is refused; "Lưu dự thảo" drafts it, "Ban hành" issues it after a
confirmation. Every check the wizard shows comes from the same core code the CLI runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from shiboken6 import isValid

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.changes import DRAFTED, ISSUED
from khoi_desktop.core.errors import KhoiError
from khoi_desktop.core.requests import Recorded, Request
from khoi_desktop.core.text import nfc, show_date
from khoi_desktop.gui.date_edits import UNSET_DAY, UNSET_TEXT, DateEdit, OptionalDateEdit, date_problems
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.escape_guard import confirm_discard
from khoi_desktop.gui.gating import tag
from khoi_desktop.gui.workflows import jobs

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow

# Alt + the underlined letter presses the button, as in Qt's own wizard (its «&Next >»): a clerk goes through a
# wizard from the keyboard; «Hủy» is Esc.
WIZARD_BUTTONS = {
    QWizard.WizardButton.BackButton: "< &Quay lại",
    QWizard.WizardButton.NextButton: "&Tiếp >",
    QWizard.WizardButton.CommitButton: "&Ghi",
    QWizard.WizardButton.FinishButton: "&Ban hành…",
    QWizard.WizardButton.CancelButton: "Hủy",
    QWizard.WizardButton.HelpButton: "Trợ &giúp",
    QWizard.WizardButton.CustomButton1: "Lưu &dự thảo",
}


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(date: QDate) -> dt.date:
    return dt.date(date.year(), date.month(), date.day())


# Problems the decision page's own fields fix (date, signer, consent): they do not hold up the first pages.
DECISION_PAGE_CODES = frozenset({"consent_required", "no_signer", "unknown_signer", "later_change"})
CHECK_DELAY_MS = 250
ISSUE_DAY = QDate(2000, 1, 1)  # the effective date's "Ngày ban hành" value (no explicit date)
REASON_STYLE = "color: #c62828;"
PENDING_STYLE = "color: #666;"


def signer_title(title: str) -> str:
    """'PHÓ BÍ THƯ' -> 'Phó Bí thư' (str.capitalize() wrote 'Phó bí thư')."""
    text = " ".join(title.lower().split()).replace("bí thư", "Bí thư")
    return text[:1].upper() + text[1:]


def watch(callback: Callable[[], None], *widgets: QWidget) -> None:
    """Call back on every edit of these widgets (typing, choosing, ticking), not only on leaving them."""
    for widget in widgets:
        if isinstance(widget, DateEdit):  # a date typed that is not one: its own date stays, its text does not
            widget.problem_changed.connect(lambda *_: callback())
        for name in ("choice_changed", "changed", "textChanged", "dateChanged", "toggled", "itemChanged"):
            signal = getattr(widget, name, None)
            if isinstance(signal, SignalInstance):
                signal.connect(lambda *_: callback())
                break
        else:
            if isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(lambda *_: callback())


class CheckedPage(QWizardPage):
    """A wizard page whose "Tiếp" (or "Ban hành") is enabled exactly when the request is valid so far;
    the reason it is not shows at the foot of the page, next to the buttons."""

    def __init__(self, wizard: RequestWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.reason = QLabel(self)
        self.reason.setObjectName("reason")
        self.reason.setWordWrap(True)
        self.reason.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def local_problems(self) -> list[str]:
        """Problems this page finds without asking core (a hook; none by default)."""
        return []

    def problems(self) -> list[str]:
        return self._wizard.page_problems(self)

    def isComplete(self) -> bool:
        return not self.problems()

    def show_reason(self) -> None:
        problems = self.problems()
        pending = problems == [CHECKING]
        # Grey until the clerk changes something: what is still missing on a page just opened is no error yet.
        calm = pending or not self._wizard.touched
        self.reason.setStyleSheet(PENDING_STYLE if calm else REASON_STYLE)
        self.reason.setText("" if not problems else problems[0] if pending or len(problems) == 1
                            else f"{problems[0]} (và {len(problems) - 1} điều khác)")
        self.reason.setToolTip("\n".join(problems))


CHECKING = "Đang kiểm tra…"


class RecordedBox(QGroupBox):
    """A đảng ủy cơ sở's decision already signed: its number, date, signer and scan, to record it here
    (no number of this office). Shown only when that committee decides."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__("Ghi nhận quyết định đã ký", parent)
        self.setObjectName("recorded")
        self.setCheckable(True)
        self.setChecked(False)
        self.number = QLineEdit(self)
        self.number.setPlaceholderText("Ví dụ: 05-QĐ/ĐU")
        # Unset until typed, as the day of admission (4953ba4): it opened on today, and a decision signed last week
        # recorded by a clerk who never looked at the box said it was signed today.
        self.signed_on = OptionalDateEdit(UNSET_DAY, UNSET_TEXT, dt.date.today, self)
        self.signed_on.setObjectName("signed_on")
        self.signer = QLineEdit(self)
        self.signer.setPlaceholderText("Họ và tên người ký")
        self.scan = QLineEdit(self)
        self.scan.setPlaceholderText("Bản chụp quyết định đã ký (tệp PDF, không bắt buộc)")
        self.browse = tag(QPushButton("Chọn tệp…", self), Permission.DRAFT_ISSUE)
        self.browse.clicked.connect(self.choose_scan)
        scan_row = QHBoxLayout()
        scan_row.addWidget(self.scan, 1)
        scan_row.addWidget(self.browse)
        # Two fields a row: four rows stood the box 150 px tall, and under an appointment's text at 1366×768 the
        # dialog outgrew the screen (the text squeezed to two lines, the issuer's name against its edge).
        grid = QGridLayout(self)
        for row, column, text, field in ((0, 0, "Số quyết định:", self.number), (0, 2, "Ngày ký:", self.signed_on),
                                         (1, 0, "Người ký:", self.signer), (1, 2, "Bản chụp:", scan_row)):
            label = QLabel(text, self)
            grid.addWidget(label, row, column)
            if isinstance(field, QWidget):
                label.setBuddy(field)
                grid.addWidget(field, row, column + 1)
            else:
                label.setBuddy(self.scan)
                grid.addLayout(field, row, column + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 2)

    def choose_scan(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Chọn bản chụp quyết định đã ký", "", "Tệp PDF (*.pdf)")
        if path:
            self.scan.setText(path)

    def value(self) -> Recorded | None:
        if not self.isChecked():
            return None
        return Recorded(number=nfc(self.number.text().strip()), signed_on=pydate(self.signed_on.date()),
                        signer=nfc(self.signer.text().strip()), scan=self.scan.text().strip() or None)

    def local_problems(self) -> list[str]:
        if not self.isChecked():
            return []
        missing = [label for label, empty in (("số quyết định", not self.number.text().strip()),
                                              ("ngày ký", self.signed_on.is_unset()),
                                              ("người ký", not self.signer.text().strip())) if empty]
        said = ", ".join(missing[:-1]) + " và " + missing[-1] if len(missing) > 1 else "".join(missing)
        problems = [f"Chưa ghi {said} của quyết định đã ký."] if missing else []
        signed_on = pydate(self.signed_on.date())
        if signed_on > dt.date.today():
            problems.append(f"Ngày ký {show_date(signed_on)} còn ở sau hôm nay: chỉ ghi nhận quyết định đã ký.")
        return problems


class DecisionPage(CheckedPage):
    """Effective date, basis, consent reason and signer; who decides; the decision previewed from core."""

    def __init__(self, wizard: RequestWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Nội dung quyết định")
        self.setSubTitle("Kiểm tra nội dung trước khi lưu dự thảo hoặc ban hành.")
        # Left at its first value the date reads "Ngày ban hành": the decision takes effect, and says so,
        # on the day it is issued (a draft issued a week later prints that later day).
        self.effective = OptionalDateEdit(pydate(ISSUE_DAY), "Ngày ban hành", dt.date.today, self)
        self.basis = QLineEdit(self)
        self.basis.setPlaceholderText("Ví dụ: Xét Tờ trình số 12-TTr/ĐU ngày 05/3/2026 của Đảng ủy Sở Y tế,")
        self.consent = QLineEdit(self)
        self.consent.setObjectName("consent_reason")
        self.consent.setPlaceholderText("Chỉ khi có ngoại lệ cần cấp ủy cấp trên đồng ý "
                                        "(ví dụ chi bộ trên 30 đảng viên)")
        self.signer = QComboBox(self)
        for signer in wizard.main_window.settings.signers:
            self.signer.addItem(f"{signer.name} ({signer_title(signer.title)})", signer.name)
        # Who decides (Điều lệ Đảng, Điều 10.3): found by core from the organizations concerned.
        self.issuer = QLabel(self)
        self.issuer.setObjectName("issuer")
        self.issuer.setWordWrap(True)
        self.recorded = RecordedBox(self)
        self.recorded.setVisible(False)
        self.status = QLabel(self)
        self.status.setObjectName("decision_status")
        self.status.setWordWrap(True)
        self.preview = QPlainTextEdit(self)
        self.preview.setObjectName("decision_preview")
        self.preview.setReadOnly(True)
        self.form = QFormLayout()
        self.form.addRow("Ngày hiệu lực:", self.effective)
        self.form.addRow("Căn cứ đề nghị:", self.basis)
        self.form.addRow("Lý do đồng ý:", self.consent)
        self.form.addRow("Người ký:", self.signer)
        self.form.addRow("Cơ quan ban hành:", self.issuer)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.recorded)
        layout.addWidget(self.status)
        layout.addWidget(self.preview, 1)
        watch(wizard.schedule_check, self.effective, self.basis, self.consent, self.signer, self.recorded,
              self.recorded.number, self.recorded.signed_on, self.recorded.signer, self.recorded.scan)
        self.show_issuer(None)

    def initializePage(self) -> None:
        self.refresh()

    def local_problems(self) -> list[str]:
        return self.recorded.local_problems() if not self.recorded.isHidden() else []

    def common_fields(self) -> dict[str, object]:
        lower = self._wizard.issuer is not None
        return {
            "effective": None if self.effective.date() == ISSUE_DAY else pydate(self.effective.date()),
            "basis": self.basis.text().strip() or None,
            "consent_reason": self.consent.text().strip() or None,
            "signer": None if lower else self.signer.currentData(),
            "issuer": self._wizard.issuer[0] if lower else None,  # type: ignore[index]
            "recorded": self.recorded.value() if lower else None,
        }

    def show_issuer(self, issuer: tuple[str, str] | None) -> None:
        """This office's Ban Thường vụ, or the đảng ủy cơ sở whose decision is drafted for it or recorded."""
        if issuer is None:
            self.issuer.setText(f"Ban Thường vụ {self._wizard.main_window.settings.issuing_body_short} "
                                "(cấp số quyết định khi ban hành)")
        else:
            self.issuer.setText(f"{issuer[1]} ({self._wizard.issuer_role}): lưu dự thảo để gửi {issuer[1]}, hoặc "
                                f"ghi nhận quyết định đã ký với số của {issuer[1]}.")
        self.form.setRowVisible(self.signer, issuer is None)  # their signer is written when recording
        self.recorded.setVisible(issuer is not None)

    def refresh(self) -> None:
        """Check the request now (entering the page, or a test that does not want to wait)."""
        self._wizard.run_check()

    def show_check(self, preview: jobs.Preview | None) -> None:
        if preview is None:
            self.status.setText(CHECKING)
        elif preview.problems:
            self.status.setText("<b style='color:#c62828'>Chưa thể lập quyết định:</b><br>"
                                + "<br>".join(preview.problems))
            self.preview.setPlainText("")
        else:
            self.show_issuer(preview.issuer)
            notes = "".join(f"<br><span style='color:#ef6c00'>Lưu ý: {w}</span>" for w in preview.warnings)
            self.status.setText("<b style='color:#2e7d32'>Yêu cầu hợp lệ.</b>" + notes)
            self.preview.setPlainText(preview.text)
        if dates := date_problems(self):  # the preview shows the box's last real date, not what was typed
            self.status.setText("<b style='color:#c62828'>Chưa thể lập quyết định:</b><br>" + "<br>".join(dates))
            self.preview.setPlainText("")


class RequestWizard(QWizard):
    """Subclasses add their pages in __init__ and implement `action_fields()`."""

    checked = Signal(bool)  # the decision page finished checking: valid or not
    saved = Signal(object)  # jobs.Saved
    # Why a đảng ủy cơ sở decides instead of this office (DOMAIN.md §2): over its chi bộ trực thuộc it is the
    # directly superior committee; the member wizards say it was authorized to admit members.
    issuer_role = "cấp ủy cấp trên trực tiếp"

    def __init__(self, window: MainWindow, title: str) -> None:
        super().__init__(window)
        self.main_window = window
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
        self.issuer: tuple[str, str] | None = None  # the đảng ủy cơ sở that decides (code, name); None: this office
        self.last_check: jobs.Preview | None = None  # None while a check is due or running
        self._touched = False  # the clerk changed a field since the wizard showed
        self._filling = False  # the wizard fills itself in (members read after it showed): not the clerk's edit
        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.run_check)
        self.resize(980, 680)
        self.setMinimumSize(760, 520)

    def addPage(self, page: QWizardPage) -> int:
        if isinstance(page, CheckedPage) and (layout := page.layout()) is not None:
            layout.addWidget(page.reason)  # last: just above the wizard's buttons
        index = super().addPage(page)
        if self.last_check is None:
            self.schedule_check()
        return index

    def add_decision_page(self) -> None:
        self.decision_page = DecisionPage(self)
        self.addPage(self.decision_page)
        self._update_buttons()

    def _update_buttons(self, *_: object) -> None:
        draft = self.button(QWizard.WizardButton.CustomButton1)
        on_decision = self.currentPage() is self.decision_page
        draft.setVisible(on_decision)
        draft.setEnabled(on_decision and self.decision_page is not None and self.decision_page.isComplete())

    def next_generation(self) -> int:
        self.generation += 1
        return self.generation

    # --- live check --------------------------------------------------------------------------
    def watch(self, *widgets: QWidget) -> None:
        watch(self.schedule_check, *widgets)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc closes a wizard the clerk has typed into only once they say so: a stray Esc (the second one, after
        leaving a table cell) threw away a whole handover list."""
        if (event.key() == Qt.Key.Key_Escape and self._touched
                and not confirm_discard(self, "Đóng trình hướng dẫn", "trình hướng dẫn này")):
            event.accept()
            return
        super().keyPressEvent(event)

    @property
    def touched(self) -> bool:
        """The clerk changed a field since the wizard showed."""
        return self._touched

    def fill(self, callback: Callable[[], None]) -> None:
        """Fill fields in (an answer of the worker after the wizard showed) without counting as the clerk's edit."""
        self._filling = True
        try:
            callback()
        finally:
            self._filling = False

    def schedule_check(self) -> None:
        """A field changed: the request is unchecked until the check a moment later answers."""
        if self.isVisible() and not self._filling:  # the clerk's edit, not the wizard filling itself in
            self._touched = True
        self.next_generation()  # an answer for the old fields no longer counts
        self._set_check(None)
        self._check_timer.start()

    def run_check(self) -> None:
        self._check_timer.stop()
        generation = self.next_generation()
        self._set_check(None)
        try:
            request = self.request()
        except KhoiError as error:  # a field the form could not read (no organization chosen …)
            self._answer(generation, jobs.Preview("", [], [error.message], (error.code,)))
            return
        self.main_window.worker.submit(
            jobs.preview_request(request=request, today=dt.date.today()),
            lambda preview: self._answer(generation, preview),
            lambda error: present_error(self, error),
        )

    def _answer(self, generation: int, preview: jobs.Preview) -> None:
        if generation != self.generation or not isValid(self):  # a newer check, or closed meanwhile
            return
        if not preview.problems and preview.issuer != self.issuer:
            self.issuer = preview.issuer  # the request is made again for the body that decides
            self.setButtonText(QWizard.WizardButton.FinishButton, "&Ghi nhận…" if self.issuer else "&Ban hành…")
        self._set_check(preview)
        self.checked.emit(not preview.problems)

    def _set_check(self, preview: jobs.Preview | None) -> None:
        self.last_check = preview
        if self.decision_page is not None:
            self.decision_page.show_check(preview)
        for page_id in self.pageIds():
            page = self.page(page_id)
            if isinstance(page, CheckedPage):
                page.show_reason()
                page.completeChanged.emit()
        self._update_buttons()

    def page_problems(self, page: CheckedPage) -> list[str]:
        """What keeps this page's "Tiếp" (or the decision page's "Lưu dự thảo" and "Ban hành") disabled."""
        local = date_problems(page) + page.local_problems()
        if local:
            return local
        if self.last_check is None:
            return [CHECKING]
        if page is self.decision_page:
            return list(self.last_check.problems)
        codes = self.last_check.codes or ("",) * len(self.last_check.problems)
        return [message for message, code in zip(self.last_check.problems, codes, strict=False)
                if code not in DECISION_PAGE_CODES]

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
    def accept(self) -> None:  # Finish = "Ban hành…" (or "Ghi nhận…" for a đảng ủy cơ sở's signed decision)
        if self.issuer is not None and (self.decision_page is None or not self.decision_page.recorded.isChecked()):
            QMessageBox.information(self, "Quyết định của cấp ủy cơ sở",
                                    f"Quyết định này do {self.issuer[1]} ban hành: hãy lưu dự thảo để gửi, hoặc "
                                    "đánh dấu «Ghi nhận quyết định đã ký» và ghi số, ngày ký, người ký.")
            return
        self.save(issue=True)

    def confirm_issue(self) -> bool:
        if self.issuer is not None:
            title, text, verb = ("Ghi nhận quyết định", f"Ghi nhận quyết định đã ký của {self.issuer[1]}? Các thay "
                                 "đổi được áp dụng ngay, không dùng số quyết định của cơ quan.", "Ghi nhận")
        else:
            title, text, verb = ("Ban hành quyết định", "Ban hành quyết định này? Quyết định sẽ được cấp số và các "
                                 "thay đổi được áp dụng ngay; sau khi ban hành không thể sửa.", "Ban hành")
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self)
        issue = box.addButton(verb, QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Hủy", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is issue

    def save(self, *, issue: bool, confirm: Callable[[], bool] | None = None) -> None:
        if self.decision_page is None or not self.decision_page.isComplete():
            return
        if issue and not (confirm or self.confirm_issue)():
            return
        self.main_window.worker.submit(jobs.save_request(request=self.request(), issue=issue, today=dt.date.today()),
                                  self._saved, lambda error: present_error(self, error))

    def successor(self, saved: jobs.Saved) -> int | None:
        """The organization the tree shows after saving: a new one, or where the members went (a hook)."""
        if not saved.decision.code:
            return None  # a draft changes nothing
        return saved.created_org_ids[0] if saved.created_org_ids else None

    def _saved(self, saved: jobs.Saved) -> None:
        self.main_window.notify_changed(ISSUED if saved.decision.code else DRAFTED, follow=self.successor(saved))
        self.saved.emit(saved)
        super().accept()
        from khoi_desktop.gui.workflows.result import show_result

        show_result(self.main_window, saved)
