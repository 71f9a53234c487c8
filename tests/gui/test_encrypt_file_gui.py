"""The administrator encrypts the open plain file from the window: the menu entry, the confirmation with the
password, the conversion on the worker, the recovery key once, then the plain copy deleted (or kept)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QMessageBox, QPushButton
from sqlalchemy import func, select

from khoi_desktop.core.keyslots.convert import plain_copies
from khoi_desktop.core.keyslots.opening import is_encrypted
from khoi_desktop.core.keyslots.registry import forget_key
from khoi_desktop.core.models import Member
from khoi_desktop.gui.auth import encrypt_file
from khoi_desktop.gui.auth.encrypt_file import EncryptDialog
from khoi_desktop.gui.auth.encrypted import RecoveryKeyDialog

WAIT = 60_000
SHOTS = Path("/tmp/encgui")


def type_text(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QInputMethodEvent

    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def open_entry(qtbot, window, name: str) -> None:  # type: ignore[no-untyped-def]
    """Click the entry in the real «Tài khoản» menu (its state is set as the menu shows)."""
    menu: QMenu = window.account_menu
    action = window.findChild(QAction, name)
    menu.popup(window.mapToGlobal(QPoint(40, 40)))
    qtbot.waitUntil(menu.isVisible, timeout=WAIT)
    assert action.isVisible() and action.isEnabled()
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


def modal(kind: type) -> object:  # type: ignore[type-arg]
    widget = QApplication.activeModalWidget()
    return widget if isinstance(widget, kind) else None


def member_facts(db) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    with db.reading() as session:
        count = session.scalar(select(func.count()).select_from(Member))
        name = session.scalars(select(Member.search_key).order_by(Member.id)).first()  # the name, as stored
    return count, name


def test_the_administrator_encrypts_the_open_file(qtbot, main_window,  # type: ignore[no-untyped-def]
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    window = main_window
    path = window.worker.db.path
    errors: list[BaseException] = []
    # Any refusal fails the test at once instead of opening a message box nobody answers.
    monkeypatch.setattr(encrypt_file, "present_error", lambda _parent, error: errors.append(error))
    count, name = member_facts(window.worker.db)
    assert name.encode() in path.read_bytes()
    window.show()
    try:
        open_entry(qtbot, window, "encrypt_file")
        qtbot.waitUntil(lambda: modal(EncryptDialog) is not None, timeout=WAIT)
        confirm = modal(EncryptDialog)
        assert any("để riêng" in label.text() for label in confirm.findChildren(QLabel))
        assert not confirm.ok_button.isEnabled()
        type_text(confirm.password, "khoi-demo")
        shot(confirm, "1-confirm")
        qtbot.mouseClick(confirm.ok_button, Qt.MouseButton.LeftButton)

        qtbot.waitUntil(lambda: errors or modal(RecoveryKeyDialog) is not None, timeout=WAIT)
        assert errors == []
        recovery = modal(RecoveryKeyDialog)
        shot(recovery, "2-recovery-key")
        recovery.reject()  # Escape: not until the box is ticked
        assert recovery.isVisible()
        # The file on disk is encrypted now, the plain copy kept aside; the window works on the new file.
        assert is_encrypted(path) and name.encode() not in path.read_bytes()
        [copy] = plain_copies(path)
        assert name.encode() in copy.read_bytes()
        assert window.worker.db.user is not None and window.worker.db.user.username == "admin"
        assert member_facts(window.worker.db) == (count, name)
        recovery.written.setChecked(True)
        qtbot.mouseClick(recovery.ok_button, Qt.MouseButton.LeftButton)

        qtbot.waitUntil(lambda: modal(QMessageBox) is not None, timeout=WAIT)
        question = modal(QMessageBox)
        assert question.objectName() == "discard_plain_question" and str(copy) in question.text()
        shot(question, "3-discard-question")
        assert copy.exists()
        qtbot.mouseClick(question.findChild(QPushButton, "discard_plain"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: errors or not copy.exists(), timeout=WAIT)
        assert errors == [] and plain_copies(path) == []
        qtbot.waitUntil(lambda: window.worker.pending == 0, timeout=WAIT)
        assert member_facts(window.worker.db) == (count, name)  # still working, on the encrypted file
        assert is_encrypted(path)
        window.account_menu.aboutToShow.emit()
        assert not window.findChild(QAction, "encrypt_file").isEnabled()  # encrypted: not offered again
        shot(window, "4-window")
    finally:
        window.close()
        forget_key(path)


def test_a_wrong_password_leaves_the_file_plain_and_open(qtbot, main_window,  # type: ignore[no-untyped-def]
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    window = main_window
    path = window.worker.db.path
    errors: list[BaseException] = []
    monkeypatch.setattr(encrypt_file, "present_error", lambda _parent, error: errors.append(error))
    count, name = member_facts(window.worker.db)
    window.show()
    try:
        dialog = encrypt_file.start(window)
        assert dialog is not None

        def answer() -> None:
            type_text(dialog.password, "sai mật khẩu")
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

        QTimer.singleShot(0, answer)
        qtbot.waitUntil(lambda: bool(errors), timeout=WAIT)
        assert "mật khẩu" in str(errors[0]).lower() or "đăng nhập" in str(errors[0]).lower()
        assert not is_encrypted(path) and plain_copies(path) == []
        qtbot.waitUntil(lambda: window.worker.pending == 0, timeout=WAIT)
        assert member_facts(window.worker.db) == (count, name)  # reopened as it was
    finally:
        window.close()


def test_an_administrator_on_a_plain_file_is_offered_encryption_once(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """Signed in to a plain file that has accounts, an administrator is asked once whether to encrypt it; the
    answer is remembered for the file; «Mã hóa ngay…» opens the same confirmation as the menu entry."""
    import dataclasses

    from khoi_desktop.core.auth.current import Role

    window = main_window
    path = window.worker.db.path
    admin = window.worker.db.user
    window.show()
    try:
        window.worker.db.user = dataclasses.replace(admin, role=Role.CHUYEN_VIEN)
        assert encrypt_file.offer(window) is None  # not an administrator: not asked
        window.worker.db.user = admin
        box = encrypt_file.offer(window)
        assert box is not None and box.objectName() == "encrypt_offer" and "chưa được mã hóa" in box.text()
        qtbot.waitUntil(lambda: modal(QMessageBox) is box, timeout=WAIT)
        shot(box, "5-offer")
        qtbot.mouseClick(box.findChild(QPushButton, "encrypt_offer_now"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: modal(EncryptDialog) is not None, timeout=WAIT)
        modal(EncryptDialog).reject()  # the clerk changed their mind: the file stays plain
        assert not is_encrypted(path)
        assert encrypt_file.offer(window) is None  # asked once: remembered for this file
    finally:
        window.close()
