"""What the role may see: every menu entry, context-menu entry and button says, where it is created, which
core Permission it needs (`tag`, `add_entry`); the gate shows it only when the signed-in user's role holds it.

Fail closed: an entry or a button without a tag is hidden, and so is everything when no user is signed in.
Only Qt's own buttons are left alone (the standard buttons of a button box, a wizard's navigation, the answers
of a message box, the buttons of Qt's file and input dialogs): the entry that opened their dialog was gated.
Core refuses what the role may not do in any case; this decides only what a clerk is offered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QMenu,
    QMenuBar,
    QPushButton,
    QToolBar,
    QWidget,
    QWidgetAction,
)

from khoi_desktop.core.auth.current import CurrentUser
from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.auth.permissions import allowed as role_allows

PROPERTY = "permission"
Tagged = TypeVar("Tagged", bound=QObject)


def tag(item: Tagged, permission: Permission) -> Tagged:
    """Say which permission `item` (an action or a button) needs; returns it, to tag where it is created."""
    item.setProperty(PROPERTY, permission.value)
    return item


def permission_of(item: QObject) -> Permission | None:
    value = item.property(PROPERTY)
    return Permission(str(value)) if value else None


def may(user: CurrentUser | None, permission: Permission | None) -> bool:
    """Fail closed: nothing without a permission, nothing without a signed-in user."""
    return permission is not None and user is not None and role_allows(user, permission)


def add_entry(menu: QMenu, text: str, permission: Permission, run: Callable[[], object]) -> QAction:
    """A menu entry tagged with what it needs."""
    action = tag(QAction(text, menu), permission)
    action.triggered.connect(lambda _checked=False: run())
    menu.addAction(action)
    return action


def gate_actions(actions: Iterable[QAction], user: CurrentUser | None) -> bool:
    """Show the actions `user` may use, hide the others and the submenus left empty; True if any shows."""
    shown = False
    for action in actions:
        if action.isSeparator() or isinstance(action, QWidgetAction):
            continue
        submenu = action.menu()
        if isinstance(submenu, QMenu) and permission_of(action) is None:
            visible = gate_menu(submenu, user)  # a plain submenu shows when something in it does
        else:
            visible = may(user, permission_of(action))
            if visible and isinstance(submenu, QMenu):
                visible = gate_menu(submenu, user)
        action.setVisible(visible)
        shown = shown or visible
    return shown


def gate_menu(menu: QMenu | QMenuBar, user: CurrentUser | None) -> bool:
    return gate_actions(menu.actions(), user)


def gate_toolbar(toolbar: QToolBar, user: CurrentUser | None) -> None:
    gate_actions(toolbar.actions(), user)


def is_qt_own(button: QAbstractButton) -> bool:
    """Buttons Qt makes for a dialog's frame, which carry no action of their own."""
    # Imported here: these dialogs' classes are no part of the main window's first frame.
    from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QInputDialog, QMessageBox, QWizard, QWizardPage

    if not isinstance(button, QPushButton):
        return True  # check boxes, radio buttons, tool buttons of calendars and tab bars: view controls
    owner = button.parentWidget()
    while owner is not None:
        if isinstance(owner, QMessageBox | QFileDialog | QInputDialog):
            return True
        owner = owner.parentWidget()
    parent = button.parentWidget()
    frame = parent.parentWidget() if parent is not None else None
    if isinstance(parent, QWizard) or isinstance(frame, QWizard) and not isinstance(parent, QWizardPage):
        return True  # a wizard's navigation sits in its frame, next to (not inside) the pages
    if isinstance(parent, QDialogButtonBox):
        return parent.standardButton(button) != QDialogButtonBox.StandardButton.NoButton
    return False


def may_use_button(button: QAbstractButton, user: CurrentUser | None) -> bool:
    permission = permission_of(button)
    if permission is None:
        return is_qt_own(button)
    return may(user, permission)


def refuse_button(button: QAbstractButton, user: CurrentUser | None) -> bool:
    """True when the button must not be offered to `user` (the caller hides it)."""
    return not may_use_button(button, user)


class WindowGate(QObject):
    """Gates, as they appear, the buttons, toolbars and context menus of a window and of the dialogs it owns
    (a dialog's buttons are created long after the role was applied to the menus)."""

    def __init__(self, window: QWidget, user: Callable[[], CurrentUser | None]) -> None:
        super().__init__(window)
        self.main_window = window
        self.user = user
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        window.destroyed.connect(lambda *_: app.removeEventFilter(self))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Show or not isinstance(watched, QAbstractButton | QMenu | QToolBar) or \
                not self._mine(watched):
            return False
        if isinstance(watched, QAbstractButton) and refuse_button(watched, self.user()):
            watched.setVisible(False)
        elif isinstance(watched, QMenu):
            gate_menu(watched, self.user())
        elif isinstance(watched, QToolBar):
            gate_toolbar(watched, self.user())
        return False

    def _mine(self, widget: QWidget) -> bool:
        """A widget of this window or of a dialog it owns (another window has its own user)."""
        owner: QWidget | None = QWidget.window(widget)  # many screens keep the main window as `self.main_window`
        while owner is not None and owner is not self.main_window:
            owner = owner.parentWidget()
        return owner is self.main_window
