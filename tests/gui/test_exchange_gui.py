"""The exchange window on the demo office: a package from an enrolled đảng bộ imported through the window,
its items listed with their changes, a conflict's two sides next to each other, and the reviewer's buttons."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import select
from test_main_window import wait_idle
from test_meetings_gui import answer, trigger

from khoi_desktop.core.auth.current import CurrentUser, Role
from khoi_desktop.core.db import open_database
from khoi_desktop.core.exchange.enroll import enroll
from khoi_desktop.core.exchange.starter import init_grassroots
from khoi_desktop.core.exchange.upward import export_up
from khoi_desktop.core.members import members_of
from khoi_desktop.core.models import Member, Organization, OrgKind
from khoi_desktop.core.tree import load_snapshot
from khoi_desktop.gui.exchange.exchange_dialog import ExchangeDialog

TIMEOUT = 20_000
KEY = "mật khẩu khóa của cơ sở"


def _package(office: Path, tmp_path: Path) -> tuple[Path, str, str]:
    """An upward package of the demo's first đảng bộ cơ sở: one member's post changed on both sides (a
    conflict), another member's education changed at the grassroots only."""
    db = open_database(office)
    today = dt.date.today()
    with db.writing() as s:
        snapshot = load_snapshot(s, today)
        body = next(n for n in sorted(snapshot.active_nodes(), key=lambda n: n.code)
                    if n.kind is OrgKind.DANG_BO_CO_SO and n.parent_id is None)
        first, second = (m.code for m in members_of(s, snapshot.subtree_ids(body.id), today)[:2])
        starter, _ = enroll(s, body.code, passphrase="mật khẩu gói", actor="vanphong", today=today)
    base = open_database(tmp_path / "co-so.db", create=True)
    with base.writing() as s:
        init_grassroots(s, starter, passphrase="mật khẩu gói", key_passphrase=KEY, actor="coso",
                        file_name="khoi-tao.khoipkg")
        s.scalar(select(Member).where(Member.code == first)).job_title = "Chánh Văn phòng"
        s.scalar(select(Member).where(Member.code == second)).education = "Thạc sĩ"
    with db.writing() as s:
        s.scalar(select(Member).where(Member.code == first)).job_title = "Phó Chánh Văn phòng"
    with base.writing() as s:
        data, _ = export_up(s, body.code, actor="coso", key_passphrase=KEY)
    base.close()
    db.close()
    path = tmp_path / "len.khoipkg"
    path.write_bytes(data)
    return path, first, second


def _type(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def test_review_window_imports_shows_both_sides_and_reviews(qtbot, main_window, demo_path: Path,
                                                            tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    package, clashing, clean = _package(demo_path, tmp_path)
    menu = next(a.menu() for a in main_window.menuBar().actions() if a.text().replace("&", "") == "Trao đổi")
    trigger(menu, "Trao đổi với tổ chức cơ sở…")
    dialog = main_window.findChild(ExchangeDialog)
    assert dialog is not None
    with qtbot.waitSignal(dialog.loaded, timeout=TIMEOUT):
        pass
    assert dialog.bodies.rowCount() == 1 and dialog.bodies.item(0, 5).text() == "chưa báo cáo"
    with qtbot.waitSignal(dialog.loaded, timeout=TIMEOUT):
        dialog.import_path(package)
    wait_idle(qtbot, main_window)
    titles = [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]
    conflict_row = next(r for r, t in enumerate(titles) if clashing in t)
    clean_row = next(r for r, t in enumerate(titles) if clean in t)
    assert dialog.table.item(conflict_row, 4).text() == "có" and dialog.table.item(clean_row, 4).text() == ""
    dialog.table.selectRow(conflict_row)
    assert [dialog.sides.item(0, c).text() for c in range(3)] == ["Chức vụ", "Phó Chánh Văn phòng", "Chánh Văn phòng"]
    assert "XUNG ĐỘT" in dialog.detail.toPlainText()
    dialog.resize(1200, 720)
    dialog.grab().save(str(tmp_path / "exchange.png"))
    seen: list[str] = []
    answer("OK", seen)  # accepting a conflict without a reason is refused in a message box
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(seen), timeout=TIMEOUT)
    wait_idle(qtbot, main_window)
    assert "xung đột" in seen[0]
    dialog.table.selectRow(conflict_row)
    _type(dialog.reason, "Văn phòng đã có quyết định bổ nhiệm mới")
    with qtbot.waitSignal(dialog.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.return_button, Qt.MouseButton.LeftButton)
    dialog.table.selectRow(next(r for r in range(dialog.table.rowCount()) if clean in dialog.table.item(r, 2).text()))
    with qtbot.waitSignal(dialog.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, main_window)
    statuses = {dialog.table.item(r, 2).text(): dialog.table.item(r, 3).text() for r in range(dialog.table.rowCount())}
    assert sorted(statuses.values()) == ["Đã chấp nhận", "Đã trả lại"]
    assert dialog.bodies.item(0, 5).text() == "đã báo cáo"
    db = open_database(demo_path)
    with db.reading() as s:
        assert s.scalar(select(Member.education).where(Member.code == clean)) == "Thạc sĩ"
        assert s.scalar(select(Member.job_title).where(Member.code == clashing)) == "Phó Chánh Văn phòng"
        assert s.scalar(select(Organization.id).limit(1)) is not None
    db.close()


def test_a_grassroots_database_opens_in_grassroots_mode(qtbot, qapp, demo_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.app import make_application
    from khoi_desktop.gui.main_window import MainWindow
    from khoi_desktop.gui.worker import DbWorker

    _package(demo_path, tmp_path)  # enrols the first đảng bộ cơ sở and makes tmp_path/co-so.db
    make_application()
    db = open_database(tmp_path / "co-so.db")
    db.user = CurrentUser("admin", "Quản trị", Role.QUAN_TRI)
    window = MainWindow(DbWorker(db))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "(chế độ cơ sở)" in window.windowTitle(), timeout=TIMEOUT)
    assert window.windowTitle().startswith("Đảng ủy ")
    snapshot = window.tree_model.snapshot
    assert snapshot is not None and len(snapshot.roots) == 1, "only its own subtree"
    wait_idle(qtbot, window)
    window.close()
