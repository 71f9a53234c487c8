"""An encrypted office file in the window: the login unlocks it before it opens (wrong passwords counted), and
the first start makes an encrypted office whose recovery key is shown once."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel
from sqlalchemy import func, select

from khoi_desktop.core.auth import accounts
from khoi_desktop.core.auth.current import Role
from khoi_desktop.core.keyslots import keyfile
from khoi_desktop.core.keyslots.opening import (
    close,
    create_encrypted_office,
    is_encrypted,
    open_signed_in,
    open_with_recovery,
)
from khoi_desktop.core.keyslots.registry import forget_key, key_for
from khoi_desktop.core.models import Organization
from khoi_desktop.core.paths import data_dir
from khoi_desktop.gui.app import finish_first_start, open_new_office
from khoi_desktop.gui.auth import sign_in
from khoi_desktop.gui.auth.encrypted import RecoveryKeyDialog, login_before_opening
from khoi_desktop.gui.auth.first_admin_dialog import FirstAdminDialog
from khoi_desktop.gui.first_start_dialog import FirstStartChoice, FirstStartDialog
from khoi_desktop.gui.worker import DbWorker

WAIT = 20_000
PASSWORD = "Mật khẩu Văn thư"


def type_text(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QInputMethodEvent

    widget.setFocus()
    widget.clear()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def test_the_login_unlocks_the_file_before_it_opens(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "vanphong.db"
    new = create_encrypted_office(path, username="quantri", full_name="Quản Trị", password="mat-khau-quan-tri")
    with new.db.writing() as session:
        accounts.create_account(session, username="vanthu", full_name="Lê Văn Thư", role=Role.CHUYEN_VIEN,
                                password=PASSWORD)
    close(new.db)
    worker = DbWorker(None, path=path)
    try:
        dialog = login_before_opening(worker)
        qtbot.addWidget(dialog)
        dialog.show()
        hint = dialog.findChild(QLabel, "login_hint")
        assert hint is not None and "mã hóa" in hint.text()
        dialog.username.setText("vanthu")
        type_text(dialog.password, "Mật khẩu sai")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Còn 4 lần thử" in dialog.message.text(), timeout=WAIT)
        assert worker.db is None and key_for(path) is None and dialog.isVisible()
        assert keyfile.load(path).failures["vanthu"].count == 1
        type_text(dialog.password, PASSWORD)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.user is not None, timeout=WAIT)
        assert dialog.result() == QDialog.DialogCode.Accepted
        assert worker.db is not None and worker.db.user == dialog.user and dialog.user.username == "vanthu"
        answers: list[int] = []
        worker.submit(lambda db: _count_orgs(db), answers.append, lambda error: answers.append(-1))
        qtbot.waitUntil(lambda: bool(answers), timeout=WAIT)
        assert answers == [0]  # the worker reads the encrypted file
        dialog.grab().save(str(tmp_path / "login.png"))
    finally:
        worker.close()
        forget_key(path)
    # The second start: the name last signed in on this file is filled in, the cursor on the password.
    again = DbWorker(None, path=path)
    try:
        second = login_before_opening(again)
        qtbot.addWidget(second)
        second.show()
        qtbot.waitExposed(second)
        second.activateWindow()
        assert second.username.text() == "vanthu" and second.password.text() == ""
        qtbot.waitUntil(lambda: second.focusWidget() is second.password, timeout=WAIT)
        second.grab().save(str(tmp_path / "login-again.png"))
        second.reject()
    finally:
        again.close()
    assert "Mật khẩu" not in (Path(str(data_dir())) / "dang-nhap-gan-nhat.json").read_text(encoding="utf-8")


def _count_orgs(db) -> int:  # type: ignore[no-untyped-def]
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(Organization)) or 0)


def test_the_first_start_makes_an_encrypted_office_and_shows_its_recovery_key_once(  # type: ignore[no-untyped-def]
        qtbot, tmp_path: Path, monkeypatch) -> None:
    start = FirstStartDialog()
    qtbot.addWidget(start)
    start.place.setText(unicodedata.normalize("NFD", "Bắc Kạn"))
    start.secretary.setText("Hoàng Văn Thụ")
    start.term.setText("2025 – 2030")
    qtbot.mouseClick(start.new_button, Qt.MouseButton.LeftButton)
    assert start.choice is FirstStartChoice.NEW
    path = tmp_path / "khoi.db"
    worker = open_new_office(path, start)
    assert is_encrypted(path) and "Bắc Kạn".encode() not in path.read_bytes()

    def create(dialog: FirstAdminDialog) -> int:
        type_text(dialog.full_name, "Nguyễn Quản Trị")
        type_text(dialog.password, "mat-khau-dau-tien")
        type_text(dialog.confirm, "mat-khau-dau-tien")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.user is not None, timeout=WAIT)
        return dialog.result()

    shown: list[str] = []

    def confirm(dialog: RecoveryKeyDialog) -> int:
        shown.append(dialog.key_label.text())
        assert not dialog.ok_button.isEnabled()  # the key must be written down first
        ended: list[int] = []
        dialog.finished.connect(ended.append)
        dialog.reject()  # Escape or the close box does not end it
        assert ended == []
        qtbot.mouseClick(dialog.written, Qt.MouseButton.LeftButton)
        assert dialog.ok_button.isEnabled()
        dialog.grab().save(str(tmp_path / "recovery.png"))
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert ended == [QDialog.DialogCode.Accepted]
        return dialog.result()

    monkeypatch.setattr(FirstAdminDialog, "exec", create)
    monkeypatch.setattr(RecoveryKeyDialog, "exec", confirm)
    try:
        user = sign_in(worker)
        assert user is not None and user.role is Role.QUAN_TRI
        finish_first_start(worker, signed_in=True)
    finally:
        worker.close()
        forget_key(path)
    assert len(shown) == 1 and len(shown[0]) == 39
    assert set(keyfile.load(path).slots) == {"admin"}
    close(open_signed_in(path, "admin", "mat-khau-dau-tien"))
    close(open_with_recovery(path, shown[0]))


def test_a_new_office_left_before_its_administrator_is_removed(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    start = FirstStartDialog()
    qtbot.addWidget(start)
    start.secretary.setText("Hoàng Văn Thụ")
    start.term.setText("2025 – 2030")
    qtbot.mouseClick(start.new_button, Qt.MouseButton.LeftButton)
    path = tmp_path / "khoi.db"
    worker = open_new_office(path, start)
    monkeypatch.setattr(FirstAdminDialog, "exec", lambda _dialog: QDialog.DialogCode.Rejected)
    assert sign_in(worker) is None
    finish_first_start(worker, signed_in=False)
    assert not path.exists() and not keyfile.keyfile_path(path).exists()
