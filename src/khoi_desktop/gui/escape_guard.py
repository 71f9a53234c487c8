"""Esc closes a dialog the clerk has typed into only once they say so.

A stray Esc (a second one, after closing a pop-up list or a calendar) closed the appointment dialog, the meeting
record, a submission being registered or a template being edited, and what was typed was gone without a word.
The restructuring wizards ask already (RequestWizard.keyPressEvent); `guard_escape` does the same for a dialog.

What counts as typed: a text typed into a line (QLineEdit.textEdited, also the line of an editable list or a date
box), a choice picked in a list (QComboBox.activated), a box ticked by the clerk (clicked), a text typed into a
larger box (its document modified: a text set by the program does not count), a cell of a table changed while the
clerk's key or click was being handled (an attendance mark, a reason typed, a role ticked), or `touch()` called by
the dialog (members picked, rows moved). None of these fire when the program fills a field.

The title bar's × asks the same as Esc (a close the window system sends: spontaneous; the dialog's own buttons
and the program close without asking), and so does closing the main window over such a dialog
(`unsaved_dialogs`, asked by MainWindow.may_close).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QTextEdit,
    QWidget,
)

INPUT_EVENTS = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
                QEvent.Type.MouseButtonDblClick)


def confirm_discard(parent: QDialog, title: str, where: str = "cửa sổ này") -> bool:
    """Asks whether to close and lose what was typed; «Tiếp tục nhập» is the default (and Esc's) answer. The
    restructuring wizards ask the same (where: «trình hướng dẫn này»)."""
    box = QMessageBox(QMessageBox.Icon.Question, title or "Đóng cửa sổ",
                      f"Đóng mà không lưu? Những gì đã nhập trong {where} sẽ mất.", parent=parent)
    discard = box.addButton("Đóng, bỏ nội dung đã nhập", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Tiếp tục nhập", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard


class EscapeGuard(QObject):
    def __init__(self, dialog: QDialog, unsaved: Callable[[], bool] | None = None) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self._unsaved = unsaved  # the dialog's own idea of what is not saved yet (a list of edited templates)
        self.touched = False
        self.released = False  # the clerk chose to throw it away (closing the main window): ask no more
        self._connected = False
        self._input_in: QAbstractItemView | None = None  # the table handling the clerk's key or click now
        self._views: dict[QObject, QAbstractItemView] = {}  # a table, and its viewport (clicks land there)
        dialog.installEventFilter(self)

    def _connect(self) -> None:
        """On the first show: the dialog's fields are all built then (a subclass adds its own after the base's)."""
        self._connected = True
        dialog = self.dialog
        for line in dialog.findChildren(QLineEdit):
            if not line.isReadOnly():
                line.textEdited.connect(self.touch)
        for combo in dialog.findChildren(QComboBox):
            combo.activated.connect(self.touch)
        for button in dialog.findChildren(QAbstractButton):
            if isinstance(button, (QCheckBox, QRadioButton)):
                button.clicked.connect(self.touch)
        for view in dialog.findChildren(QAbstractItemView):
            self.watch_table(view)

    def watch_table(self, view: QAbstractItemView) -> None:
        """A cell changed while the clerk's key or click on this table is handled counts as typed (the program's
        own fills happen outside the clerk's input). Dialogs call it for a table made after the first show."""
        if view in self._views.values():
            return
        self._views[view] = self._views[view.viewport()] = view
        view.installEventFilter(self)
        view.viewport().installEventFilter(self)
        delegate = view.itemDelegate()
        if delegate is not None:
            delegate.commitData.connect(self.touch)  # a cell's text typed (the reason of an absence)
        model = view.model()
        if model is not None:
            model.dataChanged.connect(lambda *_args, v=view: self._cell_changed(v))

    def _cell_changed(self, view: QAbstractItemView) -> None:
        if self._input_in is view:
            self.touch()

    def _input_over(self) -> None:
        self._input_in = None

    def touch(self, *_args: object) -> None:
        self.touched = True

    def forget(self) -> None:
        """What was typed is saved: Esc closes at once again."""
        self.touched = False
        for editor in self._text_boxes():
            editor.document().setModified(False)

    def _text_boxes(self) -> list[QPlainTextEdit | QTextEdit]:
        boxes: list[QPlainTextEdit | QTextEdit] = []
        boxes += self.dialog.findChildren(QPlainTextEdit)
        boxes += self.dialog.findChildren(QTextEdit)
        return [box for box in boxes if not box.isReadOnly()]

    def typed(self) -> bool:
        if self.released:
            return False
        if self._unsaved is not None and self._unsaved():
            return True
        return self.touched or any(box.document().isModified() for box in self._text_boxes())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.dialog and event.type() == QEvent.Type.Show and not self._connected:
            self._connect()
        if event.type() in INPUT_EVENTS and watched in self._views:
            # The table handles the event after this filter; the change it makes comes before the next turn.
            self._input_in = self._views[watched]
            QTimer.singleShot(0, self._input_over)
            return False
        # The title bar's × (the window system's close, «spontaneous»), not the dialog's buttons or the program.
        if (watched is self.dialog and event.type() == QEvent.Type.Close and event.spontaneous()
                and self.dialog.isVisible() and self.typed()
                and not confirm_discard(self.dialog, self.dialog.windowTitle())):
            event.ignore()
            return True
        # An Esc no field took (a pop-up list or a calendar takes its own) reaches the dialog.
        if (watched is self.dialog and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Escape and self.typed()
                and not confirm_discard(self.dialog, self.dialog.windowTitle())):
            event.accept()
            return True
        return False


def guard_escape(dialog: QDialog, unsaved: Callable[[], bool] | None = None) -> EscapeGuard:
    """The fields are watched from the dialog's first show; `unsaved` says what else is not saved yet."""
    return EscapeGuard(dialog, unsaved)


def unsaved_dialogs(window: QWidget) -> list[EscapeGuard]:
    """The guards of the window's open dialogs holding something typed and not saved."""
    return [guard for guard in window.findChildren(EscapeGuard) if guard.dialog.isVisible() and guard.typed()]
