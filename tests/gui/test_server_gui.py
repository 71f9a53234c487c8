"""The window on a server office: Tệp › Kết nối máy chủ dữ liệu…, the office's own sign-in, the tree from the
server; another workstation's issued decision shows without a reload by hand."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from khoi_desktop.core.auth.accounts import create_first_admin
from khoi_desktop.core.db import open_database
from khoi_desktop.gui.auth.login_dialog import LoginDialog
from khoi_desktop.gui.server_dialog import ServerDialog
from pg_support import SKIP_REASON, drop, migrated_database, server_url

WAIT = 20_000
PASSWORD = "mật-khẩu-quản-trị"


@pytest.fixture
def server_office():  # type: ignore[no-untyped-def]
    if server_url() is None:
        if os.environ.get("CI"):
            pytest.fail(SKIP_REASON)
        pytest.skip(SKIP_REASON)
    from factories import add_members, add_org

    url = migrated_database()
    db = open_database(url)
    with db.writing() as s:
        create_first_admin(s, username="quan_tri", full_name="Quản trị máy chủ", password=PASSWORD)
        first = add_org(s, "CS777", "Đảng bộ Sở Máy Chủ", "dang_bo_co_so")
        add_members(s, add_org(s, "CB7771", "Chi bộ Phòng Mạng", "chi_bo_truc_thuoc", parent=first), 30)
    db.close()
    yield url
    drop(url)


def test_the_file_menu_connects_the_window_to_a_server_office(qtbot, main_window, server_office: str,  # type: ignore[no-untyped-def]
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from urllib.parse import urlsplit

    parts = urlsplit(server_office)
    shown: list[str] = []

    def fill_in(dialog: ServerDialog) -> int:
        dialog.host.setText(parts.hostname or "")
        dialog.port.setValue(parts.port or 5432)
        dialog.database.setText(parts.path.lstrip("/"))
        dialog.user.setText(parts.username or "")
        dialog.password.setText(parts.password or "")
        dialog.remember.setChecked(False)  # for this connection only: nothing written to the credential store
        dialog.grab().save(str(Path(os.environ.get("TMPDIR", "/tmp")) / "khoi-server-dialog.png"))
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
        shown.append(dialog.address())
        return dialog.result()

    def log_in(dialog: LoginDialog) -> int:
        dialog.username.setText("quan_tri")
        dialog.password.setText(PASSWORD)
        dialog.ok_button.click()
        return dialog.result()

    monkeypatch.setattr(ServerDialog, "exec", fill_in)
    monkeypatch.setattr(LoginDialog, "exec", log_in)
    action = main_window.findChild(QAction, "connect_server")
    assert action is not None and action.text() == "&Kết nối máy chủ dữ liệu…"
    action.trigger()
    qtbot.waitUntil(lambda: main_window.worker.db.is_server, timeout=WAIT)
    qtbot.waitUntil(lambda: main_window.tree_model.snapshot is not None
                    and main_window.tree_model.snapshot.by_code("CS777") is not None, timeout=WAIT)
    assert main_window.user.username == "quan_tri"
    assert shown and "khoi-test" not in shown[0] and "password" not in shown[0]  # the address shown has none
    # another workstation adds a chi bộ: the window shows it by itself (LISTEN/NOTIFY, polling as fallback)
    from factories import add_members, add_org
    from khoi_desktop.core.models import Organization

    other = open_database(server_office)
    try:
        with other.writing() as s:
            parent = s.query(Organization).filter_by(code="CS777").one()
            add_members(s, add_org(s, "CB7772", "Chi bộ Phòng Hạ tầng số", "chi_bo_truc_thuoc", parent=parent), 3)
    finally:
        other.close()
    qtbot.waitUntil(lambda: main_window.tree_model.snapshot.by_code("CB7772") is not None, timeout=WAIT)
    main_window.grab().save(str(Path(os.environ.get("TMPDIR", "/tmp")) / "khoi-server-window.png"))


def test_the_first_start_can_choose_the_office_server(qtbot, qapp, server_office: str,  # type: ignore[no-untyped-def]
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from urllib.parse import urlsplit

    from khoi_desktop.gui.app import choose_worker
    from khoi_desktop.gui.first_start_dialog import FirstStartChoice, FirstStartDialog

    parts = urlsplit(server_office)

    def fill_in(dialog: ServerDialog) -> int:
        dialog.host.setText(parts.hostname or "")
        dialog.port.setValue(parts.port or 5432)
        dialog.database.setText(parts.path.lstrip("/"))
        dialog.user.setText(parts.username or "")
        dialog.password.setText(parts.password or "")
        dialog.remember.setChecked(False)
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    chosen: list[FirstStartDialog] = []

    def pick_server(dialog: FirstStartDialog) -> int:
        chosen.append(dialog)
        qtbot.mouseClick(dialog.server_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(ServerDialog, "exec", fill_in)
    monkeypatch.setattr(FirstStartDialog, "exec", pick_server)
    worker = choose_worker(None, False)
    try:
        assert chosen[0].choice is FirstStartChoice.SERVER
        assert worker is not None and worker.db.is_server and worker.db.server.database == parts.path.lstrip("/")
    finally:
        if worker is not None:
            worker.close()


def _without_password(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{parts.username}@{parts.hostname}:{parts.port}"))


def test_the_server_last_used_opens_at_the_next_start_its_password_never_written(  # type: ignore[no-untyped-def]
        qtbot, qapp, main_window, server_office: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Connected once from the File menu (password kept in the credential store): the next start without --db
    opens that server office; the settings file holds the address, not the password. A file opened from the
    window afterwards is what the start opens again."""
    from urllib.parse import urlsplit

    from khoi_desktop.core.paths import data_dir
    from khoi_desktop.gui import app as gui_app
    from khoi_desktop.gui.main_window import MainWindow
    from khoi_desktop.gui.remembered_server import remembered_server

    parts = urlsplit(server_office)
    store: dict[tuple[str, str], str] = {}
    monkeypatch.setattr("keyring.set_password", lambda service, name, secret: store.__setitem__((service, name),
                                                                                                secret))
    monkeypatch.setattr("keyring.get_password", lambda service, name: store.get((service, name)))

    def fill_in(dialog: ServerDialog) -> int:
        dialog.host.setText(parts.hostname or "")
        dialog.port.setValue(parts.port or 5432)
        dialog.database.setText(parts.path.lstrip("/"))
        dialog.user.setText(parts.username or "")
        dialog.password.setText(parts.password or "")
        dialog.remember.setChecked(True)
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    def log_in(dialog: LoginDialog) -> int:
        dialog.username.setText("quan_tri")
        dialog.password.setText(PASSWORD)
        dialog.ok_button.click()  # the check runs on the worker (at start) or at once (from the window)
        qtbot.waitUntil(lambda: dialog.result() == LoginDialog.DialogCode.Accepted, timeout=WAIT)
        return dialog.result()

    monkeypatch.setattr(ServerDialog, "exec", fill_in)
    monkeypatch.setattr(LoginDialog, "exec", log_in)
    assert remembered_server() is None
    main_window.findChild(QAction, "connect_server").trigger()
    qtbot.waitUntil(lambda: main_window.worker.db.is_server, timeout=WAIT)
    assert remembered_server() == _without_password(server_office)
    settings_text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in data_dir().rglob("*")
                              if p.is_file() and p.suffix in {".ini", ".conf", ".json"})
    assert parts.path.lstrip("/") in settings_text and (parts.password or "") not in settings_text

    # the next start, no --db: the same server office, signed in, in a window of its own
    opened: list[MainWindow] = []
    original_start = MainWindow.start
    monkeypatch.setattr(MainWindow, "start", lambda self, **kw: (opened.append(self), original_start(self, **kw)))
    monkeypatch.setattr(gui_app, "make_application", lambda **_: type("App", (), {"exec": staticmethod(lambda: 0)})())
    assert gui_app.run_gui() == 0
    window = opened[0]
    qtbot.addWidget(window)
    try:
        assert window.worker.db.is_server and window.worker.db.server.database == parts.path.lstrip("/")
        qtbot.waitUntil(lambda: window.tree_model.snapshot is not None
                        and window.tree_model.snapshot.by_code("CS777") is not None, timeout=WAIT)
        assert window.user.username == "quan_tri"
        # a file chosen from the window instead: the next start opens files again
        other_path = tmp_path / "tep-rieng.db"
        other = open_database(other_path, create=True)
        with other.writing() as s:
            create_first_admin(s, username="quan_tri", full_name="Quản trị tệp", password=PASSWORD)
        other.close()
        window.open_file(other_path)
        qtbot.waitUntil(lambda: not window.worker.db.is_server, timeout=WAIT)
        assert remembered_server() is None
    finally:
        window.close()
