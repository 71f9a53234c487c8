"""The technician's server on a server office: the connection dialog says, before connecting, what an address to
another computer without the office's CA file risks (it connected silently with libpq's `prefer`), and still
connects (never blocking this computer's or a test address); the login dialog names the server, not only the
database («… dữ liệu khoi_vanphong»)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel

from khoi_desktop.core.db import Database
from khoi_desktop.core.engines.postgres import ServerAddress
from khoi_desktop.gui.server_dialog import ServerDialog

SHOTS = Path("/tmp/srv6")


def _shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / name))


def test_the_connection_dialog_warns_of_a_remote_server_without_the_ca_and_still_connects(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ServerDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.tls_warning.isHidden()  # nothing typed yet
    qtbot.keyClicks(dialog.host, "may-chu.vanphong.local")
    assert dialog.tls_warning.isVisible()
    said = dialog.tls_warning.text()
    assert said.startswith("Cảnh báo: Chưa chọn chứng chỉ CA") and "giả làm máy chủ" in said, said
    assert "«Chứng chỉ CA»" in said and "sslmode=verify-full&sslrootcert=" in said, said
    # its lines shown whole, not cut by the first size
    assert dialog.height() >= dialog.layout().totalHeightForWidth(dialog.width())
    _shot(dialog, "server-dialog-warning.png")
    dialog.ca_file.setText("C:/khoi/ca-van-phong.pem")
    assert dialog.tls_warning.isHidden()
    dialog.ca_file.setText("")
    assert dialog.tls_warning.isVisible()
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)  # said, not refused
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert "sslmode" not in dialog.address()


def test_the_connection_dialog_says_nothing_for_this_computer(qtbot) -> None:  # type: ignore[no-untyped-def]
    for host in ("127.0.0.1", "localhost", "::1"):
        dialog = ServerDialog(None, address=f"postgresql://khoi_app@{'[::1]' if host == '::1' else host}:55608/x")
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.host.text() == host and dialog.tls_warning.isHidden(), host
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
        assert dialog.result() == QDialog.DialogCode.Accepted


def test_the_login_dialog_names_the_server_and_the_database(qtbot) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.auth import make_login_dialog

    for url, server in (("postgresql://khoi_app:bi-mat@may-chu.vanphong.local:5433/khoi_vanphong",
                         "may-chu.vanphong.local:5433"),
                        ("postgresql://khoi_app@may-chu/khoi_vanphong", "may-chu")):
        address = ServerAddress.parse(url)
        db = Database(Path(address.database), server=address)
        dialog = make_login_dialog(lambda *_a, **_k: None, db, any_accounts=True)
        qtbot.addWidget(dialog)
        dialog.show()
        texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
        assert (f"Đăng nhập để làm việc với cơ sở dữ liệu <b>khoi_vanphong</b> trên máy chủ <b>{server}</b>."
                in texts), texts
        assert "bi-mat" not in texts and "khoi_app" not in texts and ":5432" not in texts
        _shot(dialog, f"login-{server.replace(':', '-')}.png")
