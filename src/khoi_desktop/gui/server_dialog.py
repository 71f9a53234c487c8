"""Connect to the office's server (PostgreSQL): its address, the office's database role and password (kept in
the operating system's credential store when asked), the office's CA file for TLS (sslmode=verify-full)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.text import nfc
from khoi_desktop.gui.buttons import vietnamese_buttons
from khoi_desktop.gui.file_dialogs import ask_open_path
from khoi_desktop.gui.gating import tag


class ServerDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, address: str | None = None) -> None:
        """`address`: a server's address to start from (the last one this workstation used)."""
        super().__init__(parent)
        self.setWindowTitle("Kết nối máy chủ dữ liệu của văn phòng")
        intro = QLabel("Nhiều máy trạm cùng làm việc trên một máy chủ PostgreSQL của văn phòng. Hãy nhập thông tin "
                       "do kỹ thuật viên cung cấp.", self)
        intro.setWordWrap(True)
        self.host = QLineEdit(self)
        self.host.setObjectName("host")
        self.host.setPlaceholderText("ví dụ: may-chu.vanphong.local")
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("khoi_vanphong", self)
        self.user = QLineEdit("khoi_app", self)
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("để trống nếu đã lưu trong kho mật khẩu")
        self.remember = QCheckBox("Lưu mật khẩu trong kho mật khẩu của hệ điều hành (không lưu ra tệp)", self)
        self.remember.setChecked(True)
        tag(self.remember, Permission.READ)  # connecting needs no right of the office: its sign-in follows
        self.ca_file = QLineEdit(self)
        self.ca_file.setPlaceholderText("tệp chứng chỉ CA của văn phòng (.pem): kết nối mã hóa, kiểm tra máy chủ")
        choose = tag(QPushButton("Chọn…", self), Permission.READ)
        choose.clicked.connect(self._choose_ca)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(choose)

        form = QFormLayout()
        form.addRow("Máy chủ:", self.host)
        form.addRow("Cổng:", self.port)
        form.addRow("Cơ sở dữ liệu:", self.database)
        form.addRow("Tài khoản:", self.user)
        form.addRow("Mật khẩu:", self.password)
        form.addRow("", self.remember)
        form.addRow("Chứng chỉ CA:", ca_row)
        # An address to another computer without the office's CA: said before connecting, never refused.
        self.tls_warning = QLabel(self)
        self.tls_warning.setObjectName("tls_warning")
        self.tls_warning.setWordWrap(True)
        self.tls_warning.setStyleSheet("color: #8a4b00;")
        self.tls_warning.hide()
        for field in (self.host, self.ca_file):
            field.textChanged.connect(self._show_tls_warning)

        buttons = vietnamese_buttons(QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self))
        self.connect_button = tag(buttons.addButton("Kết nối", QDialogButtonBox.ButtonRole.AcceptRole),
                                  Permission.READ)
        self.connect_button.setObjectName("connect")
        self.connect_button.clicked.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.tls_warning)
        layout.addWidget(buttons)
        self.resize(620, 320)
        if address:
            self._fill_in(address)

    def _fill_in(self, url: str) -> None:
        from khoi_desktop.core.engines.postgres import ServerAddress
        from khoi_desktop.core.errors import KhoiError

        try:
            address = ServerAddress.parse(url)
        except KhoiError:
            return
        self.host.setText(address.host)
        self.port.setValue(address.port)
        self.database.setText(address.database)
        self.user.setText(address.user)
        self.ca_file.setText(dict(address.query).get("sslrootcert", ""))

    def _show_tls_warning(self) -> None:
        from khoi_desktop.core.engines.postgres import ServerAddress
        from khoi_desktop.core.errors import KhoiError

        warning = None
        if self.host.text().strip():
            try:
                warning = ServerAddress.parse(self.address()).tls_warning_text(ca_field="Chứng chỉ CA")
            except KhoiError:  # half typed: the connection says what is wrong
                warning = None
        self.tls_warning.setText(warning or "")
        self.tls_warning.setVisible(warning is not None)
        layout = self.layout()
        if warning is not None and layout is not None:  # its lines below the form, not cut by the first size
            layout.activate()
            self.resize(self.width(), max(self.height(), layout.totalHeightForWidth(self.width())))

    def _choose_ca(self) -> None:
        path = ask_open_path(self, "Chọn chứng chỉ CA", "Chứng chỉ (*.pem *.crt *.cer);;Mọi tệp (*)", Path.home())
        if path is not None:
            self.ca_file.setText(str(path))

    def address(self) -> str:
        """The server's address without the password (what is remembered and shown)."""
        user = quote(nfc(self.user.text()).strip(), safe="")
        database = quote(nfc(self.database.text()).strip(), safe="")
        url = f"postgresql://{user}@{self.host.text().strip()}:{self.port.value()}/{database}"
        ca = self.ca_file.text().strip()
        if ca:
            url += f"?sslmode=verify-full&sslrootcert={quote(Path(ca).as_posix(), safe='/:')}"
        return url

    def url(self) -> str:
        """The address to open: with the password typed in (kept in memory only) when it is not remembered."""
        password = self.password.text()
        if not password or self.remember.isChecked():
            return self.address()
        head, tail = self.address().split("@", 1)
        return f"{head}:{quote(password, safe='')}@{tail}"

    def _accept(self) -> None:
        if not self.host.text().strip() or not self.database.text().strip() or not self.user.text().strip():
            QMessageBox.warning(self, "Thiếu thông tin", "Cần nhập máy chủ, cơ sở dữ liệu và tài khoản.")
            return
        if self.password.text() and self.remember.isChecked():
            from khoi_desktop.core.engines.postgres import ServerAddress, remember_password

            try:
                remember_password(ServerAddress.parse(self.address()), self.password.text())
            except Exception as error:  # no credential store on this machine: say so, keep the dialog open
                QMessageBox.warning(self, "Không lưu được mật khẩu",
                                    f"Kho mật khẩu của hệ điều hành không dùng được ({error}). Hãy bỏ chọn «Lưu "
                                    "mật khẩu» để chỉ dùng mật khẩu cho lần kết nối này.")
                return
        self.accept()
