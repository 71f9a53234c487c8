"""First start: enter the issuing body's settings for a new database, or open the demo office."""

from __future__ import annotations

import datetime as dt
import enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.office import term_dates
from khoi_desktop.core.settings import OfficeSettings, Signer
from khoi_desktop.gui.buttons import vietnamese_buttons
from khoi_desktop.gui.date_edits import DateEdit

if TYPE_CHECKING:
    from khoi_desktop.core.backup.reader import OfficeUnlock


class FirstStartChoice(enum.Enum):
    NEW = "new"
    DEMO = "demo"
    SERVER = "server"  # the office's data is on its PostgreSQL server (gui/server_dialog.py)
    RESTORE = "restore"  # a new machine: the office's backup restored (gui/backup/restore_dialog.py)


class FirstStartDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, target: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Bắt đầu sử dụng – thông tin cơ quan ban hành")
        self.choice: FirstStartChoice | None = None
        self.server_url: str | None = None
        self.target = target  # the new office file (default: the data folder's)
        self.restore_choice: tuple[Path, str | None, OfficeUnlock] | None = None
        defaults = OfficeSettings()
        intro = QLabel(
            "Chưa có dữ liệu trên máy này. Hãy nhập thông tin của cấp ủy ban hành quyết định "
            "(có thể sửa sau), mở <b>dữ liệu mẫu</b> để làm quen với phần mềm, hoặc <b>khôi phục từ bản sao "
            "lưu</b> của văn phòng (máy mới thay máy cũ).", self)
        intro.setWordWrap(True)
        self.superior = QLineEdit(defaults.superior_body, self)
        self.issuing = QPlainTextEdit(defaults.issuing_body, self)
        self.issuing.setFixedHeight(56)
        self.issuing.setToolTip("Xuống dòng ở chỗ tên được phép ngắt khi in trên quyết định")
        self.short = QLineEdit(defaults.issuing_body_short, self)
        self.standing = QLineEdit(defaults.standing_committee, self)
        self.issuer_code = QLineEdit(defaults.issuer_code, self)
        self.type_code = QLineEdit(defaults.decision_type_code, self)
        self.place = QLineEdit(defaults.place_name, self)
        self.secretary = QLineEdit(self)
        self.secretary.setPlaceholderText("Họ và tên Bí thư")
        self.deputy = QLineEdit(self)
        self.deputy.setPlaceholderText("Họ và tên Phó Bí thư")
        self.term = QLineEdit("2025-2030", self)
        self.term_start = DateEdit(QDate(2025, 10, 1), self)
        self.term_start.setDisplayFormat("dd/MM/yyyy")
        self.term_start.setCalendarPopup(True)

        form = QFormLayout()
        form.addRow("Cấp ủy cấp trên:", self.superior)
        form.addRow("Cơ quan ban hành:", self.issuing)
        form.addRow("Tên ngắn:", self.short)
        form.addRow("Tên Ban Thường vụ:", self.standing)
        form.addRow("Ký hiệu cơ quan (ĐUK):", self.issuer_code)
        form.addRow("Ký hiệu Quyết định (QĐ):", self.type_code)
        form.addRow("Địa danh:", self.place)
        form.addRow("Bí thư:", self.secretary)
        form.addRow("Phó Bí thư:", self.deputy)
        form.addRow("Nhiệm kỳ hiện tại:", self.term)
        form.addRow("Bắt đầu nhiệm kỳ:", self.term_start)

        buttons = vietnamese_buttons(QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self))
        self.new_button = buttons.addButton("Tạo dữ liệu mới", QDialogButtonBox.ButtonRole.AcceptRole)
        self.demo_button = buttons.addButton("Dùng dữ liệu mẫu", QDialogButtonBox.ButtonRole.ActionRole)
        self.server_button = buttons.addButton("Kết nối máy chủ…", QDialogButtonBox.ButtonRole.ActionRole)
        self.server_button.setToolTip("Dữ liệu của văn phòng nằm trên máy chủ PostgreSQL (nhiều máy trạm)")
        self.server_button.clicked.connect(self._accept_server)
        self.restore_button = buttons.addButton("Khôi phục từ bản sao lưu…", QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.setObjectName("first_start_restore")
        self.restore_button.setToolTip("Máy mới: khôi phục bản sao lưu (.khoibak) của văn phòng, kể cả bản đã mã "
                                       "hóa bằng khóa của tệp dữ liệu (cần một tài khoản hoặc mã khôi phục)")
        self.restore_button.clicked.connect(self._accept_restore)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Thoát")
        self.new_button.clicked.connect(self._accept_new)
        self.demo_button.clicked.connect(self._accept_demo)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(620, 520)

    def settings(self) -> OfficeSettings:
        signers = [Signer(name, title) for name, title in
                   ((self.secretary.text(), "BÍ THƯ"), (self.deputy.text(), "PHÓ BÍ THƯ")) if name.strip()]
        return OfficeSettings(
            superior_body=self.superior.text(), issuing_body=self.issuing.toPlainText(),
            issuing_body_short=self.short.text(), standing_committee=self.standing.text(),
            issuer_code=self.issuer_code.text(), decision_type_code=self.type_code.text(),
            place_name=self.place.text(), signers=signers,
        ).normalized()

    def term_start_date(self) -> dt.date:
        date = self.term_start.date()
        return dt.date(date.year(), date.month(), date.day())

    def _accept_new(self) -> None:
        try:
            term_dates(self.term.text(), self.term_start_date())
            if not self.settings().signers:
                raise ValidationError("Cần nhập họ tên ít nhất một người ký (Bí thư hoặc Phó Bí thư).")
        except ValidationError as error:
            QMessageBox.warning(self, "Thiếu thông tin", error.message)
            return
        self.choice = FirstStartChoice.NEW
        self.accept()

    def _accept_demo(self) -> None:
        self.choice = FirstStartChoice.DEMO
        self.accept()

    def _accept_restore(self) -> None:
        from khoi_desktop.core.paths import backups_dir, default_database
        from khoi_desktop.gui.backup.restore_dialog import NewMachineRestoreDialog

        dialog = NewMachineRestoreDialog(self.target or default_database(), self,
                                         backups_dir() if backups_dir().is_dir() else None)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen is not None:
            self.restore_choice = dialog.chosen
            self.choice = FirstStartChoice.RESTORE
            self.accept()

    def _accept_server(self) -> None:
        from khoi_desktop.gui.server_dialog import ServerDialog

        dialog = ServerDialog(self)
        if dialog.exec() == ServerDialog.DialogCode.Accepted:
            self.server_url = dialog.url()
            self.choice = FirstStartChoice.SERVER
            self.accept()
