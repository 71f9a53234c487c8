"""Restore: pick a backup, see and check its manifest, then restore over the open file — or, at the first start
on a new machine, into a new file (NewMachineRestoreDialog).

A backup sealed with an encrypted office's key (taken without a passphrase) opens with the key of the office
open here when it is that office's; otherwise the dialog asks for an account of the office in the backup (its
user name and password, checked against the key slots the backup carries) or its recovery key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.backup.describe import decisions_text, rows_text, show_time
from khoi_desktop.core.backup.errors import PASSPHRASE_REQUIRED
from khoi_desktop.core.backup.office_key import SIGN_IN_REQUIRED, WRONG_ACCOUNT
from khoi_desktop.core.backup.reader import OfficeUnlock, OpenedBackup, office_counts, verify_backup
from khoi_desktop.core.backup.rotation import SUFFIX
from khoi_desktop.core.errors import KhoiError
from khoi_desktop.core.keyslots.registry import key_for
from khoi_desktop.core.stats import Counts
from khoi_desktop.core.text import show_date
from khoi_desktop.gui.alt_letters import row_label
from khoi_desktop.gui.backup.progress import BackgroundTask
from khoi_desktop.gui.buttons import vietnamese_buttons
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.file_dialogs import ask_open_path
from khoi_desktop.gui.gating import tag


def _verified(path: Path, passphrase: str | None, unlock: OfficeUnlock | None
              ) -> tuple[OpenedBackup, Counts | None]:
    opened = verify_backup(path, passphrase, unlock)
    return opened, office_counts(opened, dt.date.today())


class RestoreDialog(QDialog):
    checked = Signal(bool)  # the chosen backup was checked: valid or not

    def __init__(self, controller: Any, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restore_dialog")
        self.controller = controller
        self.opened: OpenedBackup | None = None
        self._task: BackgroundTask | None = None
        self.setWindowTitle("Khôi phục dữ liệu từ bản sao lưu")
        self.setMinimumWidth(620)
        self.path_edit = QLineEdit(self)
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("Chưa chọn bản sao lưu")
        choose = tag(QPushButton("Chọn tệp…", self), Permission.RESTORE)
        choose.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(choose)
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText("chỉ cần khi bản sao lưu được mã hóa bằng mật khẩu riêng")
        self.check_button = tag(QPushButton("Kiểm tra", self), Permission.RESTORE)
        self.check_button.clicked.connect(self.check)
        pass_row = QHBoxLayout()
        pass_row.addWidget(self.passphrase, 1)
        pass_row.addWidget(self.check_button)
        form = QFormLayout()
        form.addRow(row_label("Bản sao lưu:", self.path_edit), row)
        form.addRow(row_label("Mật khẩu bản sao lưu:", self.passphrase), pass_row)
        self.details = QLabel(self)
        self.details.setObjectName("restore_details")
        self.details.setWordWrap(True)
        self.result_label = QLabel(self)
        self.result_label.setObjectName("restore_result")
        self.result_label.setWordWrap(True)
        note = QLabel(self._note_text(), self)
        note.setWordWrap(True)
        self.office_box = self._office_fields()
        self.buttons = vietnamese_buttons(QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self))
        self.restore_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.restore_button.setText("Khôi phục")
        self.restore_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.office_box)
        layout.addWidget(self.details)
        layout.addWidget(self.result_label)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        if path is not None:
            self.set_path(path)

    def _note_text(self) -> str:
        return (f"Dữ liệu đang mở ({self.controller.main_window.worker.db.path.name}) sẽ được giữ lại nguyên vẹn "
                "thành một bản an toàn cùng thư mục trước khi bị thay thế.")

    def _office_fields(self) -> QGroupBox:
        """An account of the office in the backup, or its recovery key: shown when the backup is sealed with
        the key of an office not open here."""
        box = QGroupBox("Bản sao lưu được mã hóa bằng khóa của tệp dữ liệu đã mã hóa", self)
        box.setObjectName("office_unlock")
        intro = QLabel("Nhập một tài khoản của văn phòng trong bản sao lưu (tên đăng nhập và mật khẩu của tài "
                       "khoản đó), hoặc mã khôi phục của quản trị (in khi mã hóa tệp), rồi bấm «Kiểm tra».", box)
        intro.setWordWrap(True)
        self.account = QLineEdit(box)
        self.account.setObjectName("backup_account")
        self.account_password = QLineEdit(box)
        self.account_password.setObjectName("backup_account_password")
        self.account_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.recovery_key = QLineEdit(box)
        self.recovery_key.setObjectName("backup_recovery_key")
        self.recovery_key.setPlaceholderText("ABCD-EFGH-… (chỉ khi không còn nhớ mật khẩu nào)")
        for edit in (self.account, self.account_password, self.recovery_key):
            edit.returnPressed.connect(self.check)
        fields = QFormLayout()
        fields.addRow("Tên đăng nhập:", self.account)
        fields.addRow("Mật khẩu tài khoản:", self.account_password)
        fields.addRow("Hoặc mã khôi phục:", self.recovery_key)
        inner = QVBoxLayout(box)
        inner.addWidget(intro)
        inner.addLayout(fields)
        box.setVisible(False)
        return box

    def _live_key(self) -> bytes | None:
        """The key of the office open here: a backup sealed with it opens without asking anything."""
        return key_for(self.controller.main_window.worker.db.path)

    def office_unlock(self) -> OfficeUnlock:
        return OfficeUnlock(database_key=self._live_key(), username=self.account.text().strip() or None,
                            password=self.account_password.text() or None,
                            recovery_key=self.recovery_key.text().strip() or None)

    def path(self) -> Path | None:
        return Path(self.path_edit.text()) if self.path_edit.text() else None

    def _choose(self) -> None:
        path = ask_open_path(self, "Chọn bản sao lưu", f"Bản sao lưu (*{SUFFIX});;Mọi tệp (*)",
                             Path(self.controller.folder))
        if path is not None:
            self.set_path(path)

    def set_path(self, path: Path) -> None:
        self.path_edit.setText(str(path))
        self.check()

    def check(self) -> None:
        path = self.path()
        if path is None:
            return
        self.opened = None
        self.restore_button.setEnabled(False)
        self.check_button.setEnabled(False)
        self.details.clear()
        self._show_result("Đang kiểm tra bản sao lưu…", None)
        passphrase = self.passphrase.text() or None
        # A backup sealed with this office's own key (taken without a passphrase) opens with the key held for it;
        # another office's with an account of that office or its recovery key (office_unlock).
        unlock = self.office_unlock()
        self._task = BackgroundTask(lambda _report: _verified(path, passphrase, unlock),
                                    on_done=self._checked, on_error=self._check_failed, parent=self).start()

    def _show_result(self, text: str, ok: bool | None) -> None:
        self.result_label.setText(text)
        self.result_label.setStyleSheet({True: "color: #1b5e20; font-weight: bold;", False: "color: #b3261e;",
                                   None: ""}[ok])

    def _checked(self, verified: tuple[OpenedBackup, Counts | None]) -> None:
        opened, counts = verified
        self.opened = opened
        m = opened.manifest
        # The office as the status bar counts the open one (what a clerk compares), then the backup's rows said as
        # what they are: «Tổ chức đảng: 80» beside the bar's 73 TCCSĐ read as a loss or a gain.
        counted = [(f"Tính đến {show_date(counts.as_of)}", f"{counts.summary()} (cách đếm của thanh trạng thái)")
                   ] if counts is not None else []
        rows = [("Thời điểm sao lưu", show_time(m.created_at)), ("Tệp dữ liệu gốc", m.source_name),
                ("Phiên bản phần mềm", f"{m.app_version} (lược đồ {m.schema_revision})"), *counted,
                ("Bản sao lưu có", rows_text(m)), ("Quyết định", decisions_text(m)),
                ("Mã hóa", "Có" if opened.encrypted else "Không")]
        self.details.setText("<table>" + "".join(f"<tr><td>{k}:&nbsp;&nbsp;</td><td><b>{v}</b></td></tr>"
                                                 for k, v in rows) + "</table>")
        self._show_result("Bản sao lưu hợp lệ (đã kiểm tra toàn vẹn trong một tệp tạm).", True)
        self.adjustSize()  # the details table and the account fields fit
        self.check_button.setEnabled(True)
        self.restore_button.setEnabled(True)
        self.checked.emit(True)

    def _check_failed(self, error: Exception) -> None:
        self.check_button.setEnabled(True)
        if not isinstance(error, KhoiError):
            self._show_result("Không kiểm tra được bản sao lưu.", False)
            present_error(self, error)
        elif error.code == PASSPHRASE_REQUIRED:
            self._show_result(error.message, None)  # not a fault: it only needs the passphrase
            self.passphrase.setFocus()
        elif error.code in (SIGN_IN_REQUIRED, WRONG_ACCOUNT):  # an account of the backup's office is asked
            first = not self.office_box.isVisible()
            self.office_box.setVisible(True)
            self._show_result(error.message, None if first else False)
            if first:
                self.adjustSize()
            (self.account if not self.account.text() else self.account_password).setFocus()
        else:
            self._show_result(error.message, False)
        self.checked.emit(False)

    def accept(self) -> None:
        path = self.path()
        if self.opened is None or path is None:
            return
        when = show_time(self.opened.manifest.created_at)
        if not self.controller.confirm(
                "Khôi phục dữ liệu",
                f"Thay dữ liệu đang mở bằng bản sao lưu lúc {when}?\n\nDữ liệu hiện tại được giữ lại thành bản "
                "an toàn cùng thư mục; cửa sổ sẽ mở lại sau khi khôi phục."):
            return
        self.controller.restore(path, self.passphrase.text() or None, self.office_unlock())
        super().accept()


class NewMachineRestoreDialog(RestoreDialog):
    """The first start on a new machine: a backup restored into the new office file `target` (nothing is
    replaced). `choice()` gives (backup, passphrase, unlock) once accepted; the caller restores."""

    def __init__(self, target: Path, parent: QWidget | None = None, folder: Path | None = None) -> None:
        self.target, self.folder = target, folder or Path.home()
        self.chosen: tuple[Path, str | None, OfficeUnlock] | None = None
        super().__init__(self, parent)  # no window yet: the dialog is its own controller

    def _note_text(self) -> str:
        return (f"Dữ liệu được khôi phục vào tệp mới {self.target}. Bản sao lưu của tệp dữ liệu đã mã hóa được "
                "khôi phục thành tệp đã mã hóa cùng tệp khóa của nó: các tài khoản trong bản sao lưu đăng nhập "
                "bằng mật khẩu của mình.")

    def _live_key(self) -> bytes | None:
        return None

    def accept(self) -> None:
        path = self.path()
        if self.opened is None or path is None:
            return
        self.chosen = (path, self.passphrase.text() or None, self.office_unlock())
        QDialog.accept(self)
