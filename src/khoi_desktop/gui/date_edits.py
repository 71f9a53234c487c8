"""Date boxes that read a date the way a clerk types it.

`DateEdit` is QDateEdit where a click selects the part clicked, and separators are typed as written: Qt
moves to the next part by itself once a part is full ("01" or "8" of the day), so the "/" typed next skipped
the month: "01/02/2026" became 01/12/2026 and "8/3/1996" 08/12/3199, silently. Here a separator right after
such a move is the move itself; "-", "." and a space count as "/" (01-02-2026, 1.2.2026).

`OptionalDateEdit` is a date box whose minimum means "no date", shown as a prompt («Chưa nhập», «Ngày ban
hành»). Qt kept the prompt and never parsed digits typed over it («Chưa nhập08031996», date still unset); here
the first digit typed over the prompt starts a real date at its day part. Select all (Ctrl+A) and Delete
goes back to the prompt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QDateEdit, QWidget
from shiboken6 import isValid

SEPARATORS = "/-. "


class DateEdit(QDateEdit):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._moved_on = False  # the last digit filled a part and Qt moved to the next one
        self._typed_day = 0  # the day as typed, before Qt cut it to fit the month
        if (line := self.lineEdit()) is not None:
            line.installEventFilter(self)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._moved_on = False
        self._typed_day = 0
        super().focusInEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and watched is self.lineEdit():
            self._moved_on = False
            QTimer.singleShot(0, self._select_clicked_part)  # once the click has placed the cursor
        return super().eventFilter(watched, event)

    def _select_clicked_part(self) -> None:
        """A click into the box selects the part clicked, as Windows date boxes do: the digits typed then
        replace it (Qt put the cursor there and the first digits typed made an invalid day and were lost)."""
        line = self.lineEdit()
        if isValid(self) and self.hasFocus() and line is not None and not line.hasSelectedText():
            self.setSelectedSection(self.currentSection())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text and text in SEPARATORS:
            moved_on, self._moved_on = self._moved_on, False
            if moved_on:  # Qt already went to the next part: this separator asks for nothing more
                event.accept()
                return
            if text != "/":
                event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Slash, event.modifiers(), "/")
            super().keyPressEvent(event)
            return
        before = self.currentSectionIndex()
        section = self.currentSection()
        super().keyPressEvent(event)
        self._moved_on = text.isdigit() and self.currentSectionIndex() != before
        if text.isdigit() and section == QDateEdit.Section.DaySection:
            typed = self.sectionText(QDateEdit.Section.DaySection).strip()
            self._typed_day = int(typed) if typed.isdigit() else 0
        elif text.isdigit() and section in (QDateEdit.Section.MonthSection, QDateEdit.Section.YearSection):
            self._keep_typed_day()

    def _keep_typed_day(self) -> None:
        """Qt cut a day typed before its month and year to fit the month of the date the box held: "29/2/1996"
        typed over 03/12/2026 read 28/02/1996. Once the month and year make the typed day valid, it is put back."""
        date, line = self.date(), self.lineEdit()
        typed = self._typed_day
        if typed and date.day() < typed and QDate(date.year(), date.month(), typed).isValid() and line is not None:
            position = line.cursorPosition()
            self.setDate(QDate(date.year(), date.month(), typed))
            line.setCursorPosition(position)


class OptionalDateEdit(DateEdit):
    def __init__(self, unset: dt.date, prompt: str, start: Callable[[], dt.date], parent: QWidget | None = None
                 ) -> None:
        """`unset` is the minimum, shown as `prompt`; typing over the prompt starts from `start()`."""
        super().__init__(parent)
        self._start = start
        self.setDisplayFormat("dd/MM/yyyy")
        self.setCalendarPopup(True)
        self.setMinimumDate(QDate(unset.year, unset.month, unset.day))
        self.setSpecialValueText(prompt)
        self.setDate(self.minimumDate())

    def is_unset(self) -> bool:
        return self.date() == self.minimumDate()

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 - Qt's name
        """Tab over the prompt goes to the next field: Qt looked for a next part in «Chưa nhập» and kept the
        focus there for ever (no keyboard way out of the birth date or «Ngày hiệu lực»)."""
        if self.is_unset():
            return QWidget.focusNextPrevChild(self, next)
        return super().focusNextPrevChild(next)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        line = self.lineEdit()
        if self.is_unset() and event.text().isdigit():
            day = self._start()
            self.setDate(QDate(day.year, day.month, day.day))
            self.setSelectedSection(QDateEdit.Section.DaySection)  # the digit replaces the day
        elif (not self.is_unset() and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
              and line is not None and line.hasSelectedText() and line.selectedText() == line.text()):
            self.setDate(self.minimumDate())
            return
        super().keyPressEvent(event)
