"""Date boxes that read a date exactly as a clerk types it, and never change it behind the clerk's back.

`DateEdit` is a QDateEdit (calendar pop-up, arrows, `date()`, `dateChanged`) whose text is typed as in a plain
line: «08/03/1996», «8/3/1996», «08-03-1996», «08031996». Qt's own part-by-part editing changed what was typed,
silently: «15/13/2026» became 15/01/2026 and «31/02/2026» 28/02/2026, and such a date reached a decision. Here
a date that does not exist (or is not finished, or is out of the box's range) stays as typed, framed red with
the reason as tooltip; `date()` keeps the last real date, and no button of the dialog but those that leave
(Hủy, Đóng, Quay lại) does anything until it is put right: the click is refused with a message naming the field
(`DateGuard`, installed once for the application by the first date box).

Entering the box by Tab, or a click, selects it all, so what is typed replaces it; a second click selects the part
clicked (day, month or year). One Tab leaves the box (Qt's took three: day, month,
year). On leaving, a real date is shown in full (01/02/2026).

`OptionalDateEdit` is a date box whose minimum means "no date", shown as a prompt («Chưa nhập», «Ngày ban
hành»); emptied (Ctrl+A, Delete) it goes back to the prompt.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QHideEvent,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QShowEvent,
    QValidator,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QWidget,
    QWizard,
)
from shiboken6 import isValid

SEPARATORS = "/-. "
_SEPARATOR = re.compile(r"[/\-. ]")
_TYPED = re.compile(r"^[0-9/\-. ]*$")
INVALID_COLOR = "#c62828"  # the red frame of a box left with a text that is not a date
EXAMPLE = {True: "05/03/2026", False: "03/2026"}
UNSET_DAY = dt.date(1900, 1, 1)  # a date not typed yet (birth, admission, meeting held): an OptionalDateEdit's minimum
UNSET_TEXT = "Chưa nhập"  # ... shown as its prompt


def read_typed_date(text: str, *, with_day: bool = True) -> tuple[dt.date | None, str]:
    """The date `text` names (day/month/year, or month/year without `with_day`) and "", or None and why not,
    in words for the clerk. Nothing is corrected: «31/02/2026» is not the 28th, «15/13/2026» not January."""
    text = text.strip()
    example = EXAMPLE[with_day]
    if not text:
        return None, f"Chưa nhập ngày (gõ dạng {example})."
    parts = _SEPARATOR.split(text)
    if len(parts) == 1 and text.isdigit() and len(text) == (8 if with_day else 6):  # «08031996»
        parts = [text[:2], text[2:4], text[4:]] if with_day else [text[:2], text[2:]]
    wanted = 3 if with_day else 2
    if len(parts) != wanted or not all(p.isdigit() for p in parts) or len(parts[-1]) != 4 \
            or any(len(p) > 2 for p in parts[:-1]):
        return None, f"«{text}» chưa đủ {'ngày/tháng/năm' if with_day else 'tháng/năm'}: gõ dạng {example}."
    numbers = [int(p) for p in parts]
    day, month, year = numbers if with_day else [1, *numbers]
    if not 1 <= month <= 12:
        return None, f"Không có tháng {month} (tháng từ 1 đến 12): «{text}» không phải là một ngày có thật."
    if year < 1:
        return None, f"Không có năm {year}."
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return None, (f"Không có ngày {day:02d}/{month:02d}/{year}: tháng {month} năm {year} chỉ có {last} ngày."
                      if day else f"Không có ngày 0: «{text}» không phải là một ngày có thật.")
    return dt.date(year, month, day), ""


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _show(date: QDate) -> str:
    return date.toString("dd/MM/yyyy")


class DateEdit(QDateEdit):
    # The box was left with a text that is not a date (the reason), or its text became a date again (""): a form
    # checking itself listens (the box's own date does not change while its text is not a date). Not while the
    # clerk is still typing a date.
    problem_changed = Signal(str)

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._problem = ""  # why the text typed is not a date; "" when it is one (or the prompt)
        self._marked = False  # framed red (drawn by paintEvent: a style sheet border lost the drop-down arrow)
        self._clicked_all = False  # the last click selected the whole text (the next one selects a part)
        DateGuard.install()
        self.setKeyboardTracking(True)
        self.setCorrectionMode(QDateEdit.CorrectionMode.CorrectToPreviousValue)
        if (line := self.lineEdit()) is not None:
            line.installEventFilter(self)
            line.textChanged.connect(self._text_changed)
        # Qt writes a date set (or picked in the calendar) with the line's signals blocked: the frame follows it
        self.dateChanged.connect(self._date_set)
        self._plain_tooltip = ""

    def _date_set(self, _date: QDate) -> None:
        line = self.lineEdit()
        self._text_changed(line.text() if line is not None else "")

    # --- what the box says --------------------------------------------------------------------
    def problem(self) -> str:
        """Why the text in the box is not a date it can take ("" when it is). Read from the text itself: Qt
        rewrites it with its signals blocked (a date set, the window deactivated)."""
        line = self.lineEdit()
        return self._read(line.text())[1] if line is not None else ""

    def is_valid(self) -> bool:
        return not self.problem()

    def setToolTip(self, text: str) -> None:  # noqa: N802 - Qt's name
        self._plain_tooltip = text
        super().setToolTip(f"{self._problem}\n{text}".strip() if self._problem else text)

    def _with_day(self) -> bool:
        return "d" in self.displayFormat()

    def _read(self, text: str) -> tuple[QDate | None, str]:
        special = self.specialValueText()
        if special and text in (special, ""):
            return self.minimumDate(), ""  # the prompt: "no date"
        day, problem = read_typed_date(text, with_day=self._with_day())
        if day is None:
            return None, problem
        date = _qdate(day)
        low = self.minimumDate() if not special else self.minimumDate().addDays(1)
        if date < low or date > self.maximumDate():
            return None, f"Ngày {_show(date)} ngoài khoảng cho phép ({_show(low)} – {_show(self.maximumDate())})."
        return date, ""

    def _text_changed(self, text: str) -> None:
        _date, problem = self._read(text)
        if problem != self._problem:
            self._problem = problem
            self.setToolTip(self._plain_tooltip)
            if not problem:
                self._set_marked(False)
                self.problem_changed.emit("")

    def mark(self) -> None:
        """Frame the box red while its text is not a date (on leaving it, or when a button is refused): not
        while the clerk is still typing it."""
        self._problem = self.problem()
        self._set_marked(bool(self._problem))
        if self._problem:  # once the focus has left (a form re-checking now would have Qt rewrite the box)
            QTimer.singleShot(0, lambda: self.problem_changed.emit(self.problem()) if isValid(self) else None)

    def is_marked(self) -> bool:
        """Framed red: left (or refused) with a text that is not a date, and not put right since."""
        return self._marked and bool(self.problem())

    def _set_marked(self, marked: bool) -> None:
        if marked != self._marked:
            self._marked = marked
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        """The red frame is drawn over the box's own: a style sheet border made Qt draw the whole box itself,
        and on Windows the drop-down (calendar) arrow was gone."""
        super().paintEvent(event)
        if self.is_marked():
            painter = QPainter(self)
            painter.setPen(QPen(QColor(INVALID_COLOR), 2))
            painter.drawRect(self.rect().adjusted(1, 1, -1, -1))
            painter.end()

    def changeEvent(self, event: QEvent) -> None:
        """Qt put the last date back when the window lost the activation (the clerk looks at another window):
        what was typed stays."""
        if event.type() == QEvent.Type.ActivationChange and self.problem():
            QWidget.changeEvent(self, event)
            return
        super().changeEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        """Qt puts the box's last date back when it is hidden (a wizard hides and shows its page again when the
        page's completeness changes): what was typed stays."""
        if self.problem():
            QWidget.hideEvent(self, event)
            return
        super().hideEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        """Nor is what was typed written over when the box is shown again."""
        line = self.lineEdit()
        typed = line.text() if line is not None and self.problem() else None
        super().showEvent(event)
        if line is not None and typed is not None and line.text() != typed:
            blocked = line.blockSignals(True)
            line.setText(typed)
            line.blockSignals(blocked)

    def setDate(self, date: QDate) -> None:  # noqa: N802 - Qt's name
        """A date set (Hôm nay, a dialog filling its form) replaces a text that was not a date, and the box says
        so: Qt rewrites the line with its signals blocked, and sends no dateChanged for the same date."""
        super().setDate(date)
        line = self.lineEdit()
        if line is not None:
            self._text_changed(line.text())

    # --- Qt's spin box, reading the text our way ----------------------------------------------------
    def validate(self, text: str, pos: int) -> Any:
        """Anything made of digits and separators may stand while it is typed (Intermediate): the box never
        rewrites it; only a real date in range is Acceptable (and becomes the box's date)."""
        if self.specialValueText() and text == self.specialValueText():
            return QValidator.State.Acceptable, text, pos
        if len(text) > 10 or not _TYPED.match(text):
            return QValidator.State.Invalid, text, pos
        date, _problem = self._read(text)
        return (QValidator.State.Acceptable if date is not None else QValidator.State.Intermediate), text, pos

    def fixup(self, text: str) -> str:  # a date typed is never "fixed" into another one
        return text

    def dateTimeFromText(self, text: str) -> QDateTime:  # noqa: N802 - Qt's name
        date, _problem = self._read(text)
        return QDateTime(date if date is not None else self.date(), self.time())

    # --- typing -------------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, line = event.key(), self.lineEdit()
        self._clicked_all = False
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.problem():
            event.accept()  # not to the dialog's default button: the date is not one
            DateGuard.refuse(self)
            return
        typing = (bool(event.text()) and event.text().isprintable()
                  and not event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier))
        editing = key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete, Qt.Key.Key_Left, Qt.Key.Key_Right,
                          Qt.Key.Key_Home, Qt.Key.Key_End)
        if (typing or editing) and line is not None:
            line.event(event)  # as in a plain line: Qt's part-by-part editing changed what was typed
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown) and line is not None:
            self._step_part_at_cursor(line.text(), line.selectionStart() if line.hasSelectedText()
                                      else line.cursorPosition())
        super().keyPressEvent(event)

    def _step_part_at_cursor(self, text: str, position: int) -> None:
        """Up/Down step the part the cursor is in (the first, day or month, when all is selected), as Qt's own
        parts did: Qt's idea of the current part does not follow text typed as in a plain line."""
        if self.problem() or position < 0:
            return
        index = sum(1 for m in _SEPARATOR.finditer(text) if m.start() < position)
        if 0 <= index < self.sectionCount():
            self.setCurrentSectionIndex(index)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 - Qt's name
        """One Tab leaves the box for the next field (Qt's went day, month, year first)."""
        return QWidget.focusNextPrevChild(self, next)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        reason = event.reason()
        if reason in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason,
                      Qt.FocusReason.ShortcutFocusReason, Qt.FocusReason.OtherFocusReason,
                      Qt.FocusReason.ActiveWindowFocusReason):
            QTimer.singleShot(0, self._select_all)
        self._clicked_all = False

    def focusOutEvent(self, event: QFocusEvent) -> None:
        if self.problem():  # Qt would put the last date back: the text typed stays, framed red
            self.mark()
            line = self.lineEdit()
            if line is not None:
                line.event(event)
            QWidget.focusOutEvent(self, event)
            return
        super().focusOutEvent(event)  # a real date: shown in full (1/2/2026 -> 01/02/2026)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and watched is self.lineEdit():
            # A click selects it all (a whole date typed replaces it); a second click, the part clicked.
            select = self._select_clicked_part if self._clicked_all else self._select_all
            self._clicked_all = not self._clicked_all
            QTimer.singleShot(0, select)  # once the click has placed the cursor
        return super().eventFilter(watched, event)

    def _select_all(self) -> None:
        line = self.lineEdit() if isValid(self) else None  # the box's dialog may have been closed meanwhile
        if line is not None and self.hasFocus():
            line.selectAll()

    def _select_clicked_part(self) -> None:
        """A click in a box that has the focus selects the part clicked (day, month or year): digits typed then
        replace it."""
        line = self.lineEdit() if isValid(self) else None
        if not (line is not None and self.hasFocus()) or line.hasSelectedText():
            return
        text, position = line.text(), line.cursorPosition()
        start = max((m.end() for m in _SEPARATOR.finditer(text) if m.end() <= position), default=0)
        end = next((m.start() for m in _SEPARATOR.finditer(text) if m.start() >= position), len(text))
        line.setSelection(start, end - start)


class OptionalDateEdit(DateEdit):
    def __init__(self, unset: dt.date, prompt: str, start: Callable[[], dt.date], parent: QWidget | None = None
                 ) -> None:
        """`unset` is the minimum, shown as `prompt`; the calendar opens at `start()` while unset."""
        super().__init__(parent)
        self._start = start
        self.setDisplayFormat("dd/MM/yyyy")
        self.setCalendarPopup(True)
        self.setMinimumDate(_qdate(unset))
        self.setSpecialValueText(prompt)
        self.setDate(self.minimumDate())

    def is_unset(self) -> bool:
        return self.date() == self.minimumDate() and not self.problem()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        line = self.lineEdit()
        if line is not None and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and (
                not line.text() or line.selectedText() == line.text()):
            self.setDate(self.minimumDate())  # all of it deleted: back to the prompt
            return
        if (line is not None and line.text() == self.specialValueText() and event.text().isdigit()
                and not line.hasSelectedText()):
            line.selectAll()  # the first digit replaces the prompt
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        line = self.lineEdit()
        if line is not None and not line.text().strip() and self.date() == self.minimumDate():
            line.setText(self.specialValueText())  # emptied: back to the prompt
        super().focusOutEvent(event)


def field_name(widget: QWidget) -> str:
    """The label the form shows for `widget` («Ngày sinh»), else its tooltip's first line, else «Ngày»."""
    parent = widget.parentWidget()
    while parent is not None:
        for form in parent.findChildren(QFormLayout):
            label = form.labelForField(widget)
            if isinstance(label, QLabel) and label.text().strip():
                return label.text().replace("&", "").strip().rstrip(":").strip()
        for label in parent.findChildren(QLabel):
            if label.buddy() is widget and label.text().strip():
                return label.text().replace("&", "").strip().rstrip(":").strip()
        parent = parent.parentWidget()
    return (widget.accessibleName() or "Ngày").strip()


def invalid_dates(window: QWidget) -> list[DateEdit]:
    """The date boxes shown in `window` whose text is not a date they can take."""
    return [edit for edit in window.findChildren(DateEdit)
            if edit.problem() and edit.isVisible() and edit.isEnabled()]


def date_problems(window: QWidget) -> list[str]:
    """What a form says about its date boxes left with a text that is not a date: «Ngày hiệu lực»: Không có …"""
    return [f"«{field_name(edit)}»: {edit.problem()}" for edit in invalid_dates(window) if edit.is_marked()]


_LEAVING_ROLES = (QDialogButtonBox.ButtonRole.RejectRole, QDialogButtonBox.ButtonRole.HelpRole,
                  QDialogButtonBox.ButtonRole.DestructiveRole, QDialogButtonBox.ButtonRole.NoRole)
_LEAVING_WIZARD = (QWizard.WizardButton.BackButton, QWizard.WizardButton.CancelButton,
                   QWizard.WizardButton.HelpButton)


class DateGuard(QObject):
    """Refuses, in a dialog showing a date box whose text is not a date, every button but those that leave:
    the click (or Enter, or Space) is stopped and a message names the field; the box gets the focus."""

    _installed: DateGuard | None = None

    @classmethod
    def install(cls) -> None:
        app = QApplication.instance()
        if cls._installed is None and app is not None:
            cls._installed = DateGuard(app)
            app.installEventFilter(cls._installed)

    @staticmethod
    def refuse(edit: DateEdit) -> None:
        edit.mark()
        window = edit.window()
        QMessageBox.warning(window, window.windowTitle() or "Ngày chưa đúng",
                            f"«{field_name(edit)}»: {edit.problem()}\nHãy sửa lại ngày này trước khi tiếp tục.")
        # once the window has its focus back from the message (it gives it to the widget it had)
        QTimer.singleShot(0, lambda: edit.setFocus(Qt.FocusReason.OtherFocusReason) if isValid(edit) else None)

    @staticmethod
    def _leaves(button: QAbstractButton) -> bool:
        box = button.parentWidget()
        if isinstance(box, QDialogButtonBox) and box.buttonRole(button) in _LEAVING_ROLES:
            return True
        window = button.window()
        return isinstance(window, QWizard) and any(window.button(which) is button for which in _LEAVING_WIZARD)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress) or not isinstance(watched, QWidget):
            return False
        window = watched.window()
        if not isinstance(window, QDialog):
            return False
        if kind == QEvent.Type.MouseButtonPress:  # (a disabled button gets the press too, and ignores it)
            if not isinstance(watched, QPushButton) or not watched.isEnabled() or self._leaves(watched):
                return False
        else:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if isinstance(watched, (QPlainTextEdit, QTextEdit, DateEdit)) or (
                        isinstance(watched, QAbstractButton) and self._leaves(watched)):
                    return False
                if isinstance(watched.parentWidget(), DateEdit):
                    return False  # the date box's own line: DateEdit.keyPressEvent says it
            elif key == Qt.Key.Key_Space and isinstance(watched, QPushButton) and not self._leaves(watched):
                pass
            else:
                return False
        if not (wrong := invalid_dates(window)):
            return False
        QTimer.singleShot(0, lambda: DateGuard.refuse(wrong[0]) if isValid(wrong[0]) else None)
        return True
