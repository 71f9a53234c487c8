"""Encrypting the open plain office file from the window (the administrator's «Mã hóa tệp dữ liệu…»), as the
command line's `encrypt FILE` does: a confirmation that asks the administrator's password, the conversion on
the worker thread (the open database closed around it, then reopened encrypted, signed in as the same account),
the recovery key shown once, then the choice to delete the plain copy kept aside or keep it for now."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.changes import EVERYTHING
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.gating import tag

if TYPE_CHECKING:
    from khoi_desktop.core.db import Database
    from khoi_desktop.core.keyslots.convert import Conversion
    from khoi_desktop.gui.main_window import MainWindow
    from khoi_desktop.gui.worker import DbWorker


def can_encrypt(window: MainWindow) -> bool:
    """A plain file is open (not a server office, not already encrypted)."""
    from khoi_desktop.core.keyslots.opening import is_encrypted

    db = window.worker.db
    if db is None or db.is_server:
        return False
    try:
        return not is_encrypted(db.path)
    except OSError:
        return False


def plain_copies_of(window: MainWindow) -> list[Path]:
    from khoi_desktop.core.keyslots.convert import plain_copies

    db = window.worker.db
    if db is None or db.is_server:
        return []
    return plain_copies(db.path)


class EncryptDialog(QDialog):
    """What encrypting does, in plain words, and the administrator's password to confirm it."""

    def __init__(self, file_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("encrypt_dialog")
        self.setWindowTitle("Mã hóa tệp dữ liệu")
        intro = QLabel(
            f"<p>Sau khi mã hóa, tệp <b>{file_name}</b> chỉ mở được khi đăng nhập bằng mật khẩu của một tài khoản: "
            "ai lấy được tệp mà không có mật khẩu thì không đọc được dữ liệu. Mọi tài khoản vẫn đăng nhập bằng "
            "mật khẩu hiện có.</p>"
            "<p>Phần mềm sẽ:</p><ul>"
            "<li>tạm đóng tệp, chép toàn bộ dữ liệu sang một tệp mã hóa và kiểm tra đủ từng bảng;</li>"
            "<li>đặt tệp mã hóa vào chỗ của tệp cũ; tệp cũ (chưa mã hóa) được <b>để riêng</b> bên cạnh cho đến khi "
            "đồng chí xác nhận xóa;</li>"
            "<li>hiện <b>mã khôi phục</b> một lần duy nhất: hãy chép ra giấy và cất trong két của văn phòng.</li></ul>"
            f"<p>Tệp khóa <b>{file_name}.keys</b> phải luôn nằm cạnh tệp dữ liệu và được sao lưu cùng.</p>"
            "<p>Nhập mật khẩu của đồng chí để xác nhận:</p>", self)
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        self.password = QLineEdit(self)
        self.password.setObjectName("encrypt_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        buttons = QDialogButtonBox(self)
        self.ok_button = tag(buttons.addButton("Mã hóa", QDialogButtonBox.ButtonRole.AcceptRole),
                             Permission.MANAGE_USERS)
        self.ok_button.setObjectName("encrypt_ok")
        self.ok_button.setEnabled(False)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("Hủy")
        self.password.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text)))
        self.ok_button.clicked.connect(self.accept)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.password)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)


def encrypt_job(worker: DbWorker, password: str):  # type: ignore[no-untyped-def]
    """On the worker thread: close the open plain database, convert the file (the key kept by this process),
    reopen it encrypted for the same account. A refusal reopens the plain file as it was, then is raised."""
    from khoi_desktop.core.auth.accounts import account_user
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.keyslots.convert import encrypt_file

    def job(db: Database) -> Conversion:
        user, path = db.user, db.path
        if user is None:
            from khoi_desktop.core.errors import ValidationError

            raise ValidationError("Cần đăng nhập bằng tài khoản quản trị để mã hóa tệp dữ liệu.",
                                  code="not_signed_in")
        db.close()
        try:
            done = encrypt_file(path, user.username, password, keep_key=True)
        except BaseException:
            again = open_database(path)
            again.user = user
            worker.attach(again)
            raise
        encrypted = open_database(path)
        with encrypted.reading() as session:
            encrypted.user = account_user(session, user.username) or user
        worker.attach(encrypted)
        return done

    return job


def start(window: MainWindow) -> EncryptDialog | None:
    """The menu entry: the confirmation, opened window-modal; accepting it starts the conversion."""
    if not can_encrypt(window):
        return None
    dialog = EncryptDialog(window.worker.db.path.name, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(lambda: run(window, dialog.password.text()))
    dialog.open()
    return dialog


def run(window: MainWindow, password: str) -> None:
    window.statusBar().showMessage("Đang mã hóa tệp dữ liệu… Xin chờ, không tắt máy.")

    def failed(error: Exception) -> None:
        window.statusBar().clearMessage()
        present_error(window, error)
        window.notify_changed(EVERYTHING)

    window.worker.submit(encrypt_job(window.worker, password), lambda done: converted(window, done), failed)


def converted(window: MainWindow, done: Conversion) -> QDialog:
    """The file is encrypted and open again: the recovery key once, then the plain copy."""
    from khoi_desktop.gui.auth.encrypted import RecoveryKeyDialog

    window.statusBar().showMessage(f"Đã mã hóa {done.path.name}.", 10_000)
    window.notify_changed(EVERYTHING)
    dialog = RecoveryKeyDialog(done.recovery_key, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.finished.connect(lambda _result: ask_discard(window, [done.plain_copy]))
    dialog.open()
    return dialog


def ask_discard(window: MainWindow, copies: list[Path]) -> QMessageBox | None:
    """Delete the plain copies kept aside (overwritten, then removed), or keep them for now."""
    copies = [copy for copy in copies if copy.exists()]
    if not copies:
        return None
    names = "\n".join(f"    {copy}" for copy in copies)
    box = QMessageBox(QMessageBox.Icon.Question, "Bản chưa mã hóa để riêng",
                      "Tệp dữ liệu đã được mã hóa và đang mở bình thường. Bản cũ chưa mã hóa vẫn được để riêng:\n\n"
                      f"{names}\n\nAi chép được bản này thì đọc được toàn bộ dữ liệu cũ. Nếu phần mềm đã làm việc "
                      "bình thường với tệp mã hóa, hãy xóa bản này: nội dung được ghi đè trước khi xóa để không "
                      "khôi phục được. Nếu muốn kiểm tra thêm, hãy giữ lại và xóa sau ở mục «Tài khoản › Xóa bản "
                      "chưa mã hóa để riêng…».", QMessageBox.StandardButton.NoButton, window)
    box.setObjectName("discard_plain_question")
    delete = box.addButton("Xóa bản chưa mã hóa", QMessageBox.ButtonRole.DestructiveRole)
    delete.setObjectName("discard_plain")
    keep = box.addButton("Giữ lại để kiểm tra", QMessageBox.ButtonRole.RejectRole)
    keep.setObjectName("keep_plain")
    box.setDefaultButton(keep)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def answered() -> None:
        if box.clickedButton() is delete:
            discard(window, copies)

    box.finished.connect(lambda _result: answered())
    box.open()
    return box


def discard(window: MainWindow, copies: list[Path]) -> None:
    from khoi_desktop.core.keyslots.convert import discard_plain_copy

    def job(_db: object) -> list[Path]:
        for copy in copies:
            discard_plain_copy(copy)
        return copies

    def done(_copies: list[Path]) -> None:
        window.statusBar().showMessage("Đã ghi đè và xóa bản chưa mã hóa.", 10_000)

    window.worker.submit(job, done, lambda error: present_error(window, error))


def start_discard(window: MainWindow) -> QMessageBox | None:
    """The menu entry for a plain copy kept earlier."""
    return ask_discard(window, plain_copies_of(window))


OFFER = "encrypt_offer"


def offer(window: MainWindow) -> QMessageBox | None:
    """An administrator signed in to a plain file that has accounts: offered once to encrypt it (the same
    conversion as the menu entry and `encrypt FILE`). Whatever the answer, it is not asked again for this file
    (core/auth/prompts.py): the menu entry stays."""
    from khoi_desktop.core.auth.permissions import allowed
    from khoi_desktop.core.auth.prompts import answered, remember_answered

    user = window.user
    if user is None or not allowed(user, Permission.MANAGE_USERS) or not can_encrypt(window):
        return None
    from khoi_desktop.core.paths import demo_database

    path = window.worker.db.path
    if answered(OFFER, path) or path == demo_database():  # the demo's documented password: nothing to hide
        return None
    box = QMessageBox(QMessageBox.Icon.Warning, "Tệp dữ liệu chưa được mã hóa",
                      f"Tệp {path.name} có tài khoản đăng nhập nhưng chưa được mã hóa: ai chép được tệp này thì đọc "
                      "được toàn bộ hồ sơ đảng viên và có thể sửa, xóa cả tài khoản lẫn nhật ký bằng công cụ khác; "
                      "mốc kiểm tra của nhật ký cũng không được niêm phong.\n\nMã hóa tệp: mọi tài khoản vẫn đăng "
                      "nhập bằng mật khẩu hiện có; phần mềm hiện mã khôi phục một lần để cất trong két.\n\nLời nhắc "
                      "này chỉ hiện một lần; lúc khác vẫn mã hóa được ở «Tài khoản › Mã hóa tệp dữ liệu…».",
                      QMessageBox.StandardButton.NoButton, window)
    box.setObjectName("encrypt_offer")
    now = box.addButton("Mã hóa ngay…", QMessageBox.ButtonRole.AcceptRole)
    now.setObjectName("encrypt_offer_now")
    later = box.addButton("Để sau", QMessageBox.ButtonRole.RejectRole)
    later.setObjectName("encrypt_offer_later")
    box.setDefaultButton(now)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def answer() -> None:
        remember_answered(OFFER, path)
        if box.clickedButton() is now:
            start(window)

    box.finished.connect(lambda _result: answer())
    box.open()
    return box


def update_entries(window: MainWindow, encrypt: QAction, discard_entry: QAction) -> None:
    """Offered only where it applies: a plain file to encrypt, a plain copy still kept aside."""
    encrypt.setEnabled(can_encrypt(window))
    discard_entry.setEnabled(bool(plain_copies_of(window)))
