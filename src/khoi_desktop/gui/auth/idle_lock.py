"""Idle lock: after N minutes without keyboard or mouse input (setting), the window's contents are hidden
and a lock dialog asks the signed-in user's password. The clock and the check interval are injectable, so
tests lock in milliseconds instead of minutes."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from khoi_desktop.gui.auth.login_dialog import LoginDialog

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow

CHECK_INTERVAL_MS = 15_000
_INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
          QEvent.Type.TouchBegin, QEvent.Type.InputMethod}


class IdleLock(QObject):
    """Watches the application's input."""

    locked = Signal()
    unlocked = Signal()

    def __init__(self, window: MainWindow, *, clock: Callable[[], float] = time.monotonic,
                 interval_ms: int = CHECK_INTERVAL_MS) -> None:
        super().__init__(window)
        self.main_window = window
        self.clock = clock
        self.minutes = 0
        self.last_input = clock()
        self.dialog: LoginDialog | None = None
        self._hidden: list[QWidget] = []
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        window.destroyed.connect(lambda *_: app.removeEventFilter(self))

    def set_minutes(self, minutes: int) -> None:
        self.minutes = minutes
        self.last_input = self.clock()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _INPUT:
            self.last_input = self.clock()
        return False

    @property
    def is_locked(self) -> bool:
        return self.dialog is not None

    def check(self) -> None:
        if self.minutes > 0 and not self.is_locked and self.main_window.user is not None and \
                self.clock() - self.last_input >= self.minutes * 60:
            self.lock()

    def lock(self, *, sign_out: bool = False) -> LoginDialog | None:
        """Cover the data and ask for the password (also from the menu: Tài khoản › Khóa màn hình).

        Signing out (Tài khoản › Đăng xuất) closes the user's screens and asks anyone to sign in."""
        user = self.main_window.user
        if user is None or self.is_locked:
            return self.dialog
        self._hidden = [w for w in QApplication.topLevelWidgets()
                        if w is not self.main_window and w.isVisible() and not w.isModal() and isinstance(w, QDialog)]
        if sign_out:
            for widget in self._hidden:
                widget.close()
            self._hidden = []
        central = self.main_window.centralWidget()
        self._hidden += [central] if central is not None else []
        self._hidden += [bar for bar in self.main_window.findChildren(QWidget, "toolbar") if bar.isVisible()]
        for widget in self._hidden:
            widget.hide()
        self.main_window.menuBar().setEnabled(False)
        dialog = self.dialog = LoginDialog(self.main_window.worker.submit, self.main_window, locked_user=user,
                                           signed_out=sign_out)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.accepted.connect(self._unlock)
        dialog.rejected.connect(self._leave)
        dialog.show()
        self.locked.emit()
        return dialog

    def _unlock(self) -> None:
        dialog, self.dialog = self.dialog, None
        previous = dialog.locked_user if dialog is not None else None
        switched = dialog is not None and dialog.user is not None and previous is not None and \
            dialog.user.username != previous.username
        for widget in self._hidden:
            if switched and isinstance(widget, QDialog):
                widget.close()  # another user: what the first one had open is not theirs to see
            else:
                widget.show()
        self._hidden = []
        self.main_window.menuBar().setEnabled(True)
        self.last_input = self.clock()
        if switched:
            self.main_window.reload()  # menus and buttons follow the new user's role once the data is back
        self.unlocked.emit()

    def _leave(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None and dialog.quit_requested:
            self.main_window.close()
