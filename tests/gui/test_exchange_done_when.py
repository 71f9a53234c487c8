"""Issue 20's done-when in the windows: the office enrols a đảng bộ cơ sở; in grassroots mode its clerk records
a split and this month's meetings and registers a submission with its scan, then sends the package from the
Trao đổi window (the key passphrase asked); the office's clerk imports it, opens the scan, accepts every item
with the real buttons and sees the tree and the meeting grid change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog
from sqlalchemy import select
from test_main_window import wait_idle
from test_meetings_gui import answer, trigger

from khoi_desktop.core.apply import apply_request
from khoi_desktop.core.appointments.submission_files import AttachedFile
from khoi_desktop.core.appointments.submissions import list_submissions, register_submission
from khoi_desktop.core.auth.current import CurrentUser, Role
from khoi_desktop.core.db import open_database
from khoi_desktop.core.exchange.enroll import enroll
from khoi_desktop.core.exchange.starter import init_grassroots
from khoi_desktop.core.meetings.models import AttendanceStatus, MeetingKind
from khoi_desktop.core.meetings.recording import AttendanceInput, MeetingInput, record_meeting
from khoi_desktop.core.meetings.status import month_status
from khoi_desktop.core.members import members_of
from khoi_desktop.core.models import Organization, OrgKind
from khoi_desktop.core.request_json import parse_request
from khoi_desktop.core.tree import load_snapshot
from khoi_desktop.documents.pdf import render_pdf
from khoi_desktop.gui.exchange import exchange_dialog
from khoi_desktop.gui.exchange.exchange_dialog import ExchangeDialog
from khoi_desktop.gui.meetings.grid_dialog import GridDialog

TIMEOUT = 30_000
KEY = "mật khẩu khóa của cơ sở"
SCAN = "%PDF-1.4 Tờ trình số 03-TTr/ĐU đã ký, bản quét".encode()
SHOTS = Path("/tmp/exchange-shots")


def _type_passphrase(text: str, seen: list[str]) -> None:
    """Answer the next key passphrase prompt, as the clerk would."""
    def fill() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QInputDialog):
            QTimer.singleShot(50, fill)
            return
        seen.append(box.labelText())
        box.setTextValue(text)
        box.accept()

    QTimer.singleShot(50, fill)


def _grassroots(office: Path, tmp_path: Path) -> tuple[Path, str, str, list[str]]:
    """Enrol the demo's first đảng bộ cơ sở with a chi bộ of 4 or more; at the grassroots split that chi bộ
    from the first of this month, record this month's meeting of both halves, and register a submission with
    its scan."""
    today = dt.date.today()
    db = open_database(office)
    with db.writing() as s:
        snapshot = load_snapshot(s, today)
        body, chi_bo = next((n, c) for n in sorted(snapshot.active_nodes(), key=lambda n: n.code)
                            if n.kind is OrgKind.DANG_BO_CO_SO and n.parent_id is None
                            for c in (snapshot.nodes[i] for i in snapshot.subtree_ids(n.id))
                            if c.kind is OrgKind.CHI_BO_TRUC_THUOC and len(members_of(s, [c.id], today)) >= 4)
        members = sorted(m.code for m in members_of(s, [chi_bo.id], today))
        starter, _ = enroll(s, body.code, passphrase="mật khẩu gói khởi tạo", actor="vanphong", today=today)
        from khoi_desktop.core.exchange.downward import export_down

        down, _ = export_down(s, body.code, actor="vanphong", today=today)  # the office's first package down
    (tmp_path / "gui-xuong.khoipkg").write_bytes(down)
    db.close()
    base_path = tmp_path / "co-so.db"
    base = open_database(base_path, create=True)
    half = len(members) // 2
    first = today.replace(day=1)  # the new chi bộ exist for the whole month: they owe this month's meeting
    with base.writing() as s:
        init_grassroots(s, starter, passphrase="mật khẩu gói khởi tạo", key_passphrase=KEY, actor="coso",
                        file_name="khoi-tao.khoipkg")
    with base.writing() as s:
        split = {"action": "split", "org": chi_bo.code, "effective": first.isoformat(),
                 "into": [{"name": "Chi bộ Phòng Dược", "members": members[:half]},
                          {"name": "Chi bộ Phòng Nghiệp vụ", "members": members[half:]}]}
        apply_request(s, parse_request(split), actor="coso", issue=True, today=today, render=render_pdf)
    with base.writing() as s:
        new = {n: c for n, c in s.execute(select(Organization.name, Organization.code).where(
            Organization.founded_on == first))}
        for name, codes in (("Chi bộ Phòng Dược", members[:half]), ("Chi bộ Phòng Nghiệp vụ", members[half:])):
            record_meeting(s, MeetingInput(org=new[name], kind=MeetingKind.THUONG_KY, held_on=today,
                                           topic="Sinh hoạt thường kỳ", attendance=tuple(
                                               AttendanceInput(c, AttendanceStatus.PRESENT, None) for c in codes)),
                           actor="coso", today=today)
        register_submission(s, register_number="03-TTr/ĐU", received_on=today, org_code=body.code,
                            subject="đề nghị chuẩn y Bí thư Chi bộ Phòng Dược", members=[members[0]], actor="coso",
                            dated_on=today, files=[AttachedFile("To trinh 03.pdf", SCAN)])
    base.close()
    return base_path, body.code, chi_bo.code, sorted(new.values())


def _send_up(qtbot, base_path: Path, tmp_path: Path, monkeypatch) -> Path:  # type: ignore[no-untyped-def]
    """The grassroots clerk's window: Trao đổi → Gửi báo cáo lên…, the key passphrase, the file on the USB."""
    from khoi_desktop.gui.main_window import MainWindow
    from khoi_desktop.gui.worker import DbWorker

    db = open_database(base_path)
    db.user = CurrentUser("coso", "Văn phòng Đảng ủy cơ sở", Role.QUAN_TRI)
    window = MainWindow(DbWorker(db))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "(chế độ cơ sở)" in window.windowTitle(), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Trao đổi")
    trigger(menu, "Trao đổi với tổ chức cơ sở…")
    dialog = window.findChild(ExchangeDialog)
    with qtbot.waitSignal(dialog.loaded, timeout=TIMEOUT):
        pass
    assert dialog.export_button.isVisible() and "4 mục chờ gửi lên" in dialog.heading.text(), dialog.heading.text()
    # The office's package down, taken in with the key passphrase: its subtree compared with the split here.
    monkeypatch.setattr(exchange_dialog, "ask_open_path", lambda *args: tmp_path / "gui-xuong.khoipkg")
    asked: list[str] = []
    _type_passphrase(KEY, asked)
    with qtbot.waitSignal(dialog.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    kinds = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
    assert asked and "Đối chiếu số liệu" in kinds, kinds
    assert dialog.table.item(kinds.index("Đối chiếu số liệu"), 4).text() == "có", "the split is not the office's yet"
    usb = tmp_path / "usb" / "bao-cao-len.khoipkg"
    usb.parent.mkdir()
    monkeypatch.setattr(exchange_dialog, "ask_save_path", lambda *args: usb)
    seen: list[str] = []
    _type_passphrase("không phải mật khẩu", seen)
    shown: list[str] = []
    answer("OK", shown)  # the wrong passphrase is refused in a message box
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    assert "không đúng" in shown[0] and not usb.exists()
    _type_passphrase(KEY, seen)
    with qtbot.waitSignal(dialog.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert seen[0].startswith("Mật khẩu bảo vệ khóa riêng") and usb.exists()
    assert "0 mục chờ gửi lên" in dialog.heading.text()
    notice = dialog.findChild(exchange_dialog.QMessageBox, "exported_notice")
    assert notice is not None and "số 1" in notice.text()
    notice.close()
    dialog.close()
    window.close()
    return usb


def test_the_office_reviews_a_grassroots_package_and_sees_tree_and_grid_change(  # type: ignore[no-untyped-def]
        qtbot, main_window, demo_path: Path, tmp_path: Path, monkeypatch) -> None:
    SHOTS.mkdir(exist_ok=True)
    today = dt.date.today()
    base_path, body, split_code, new_codes = _grassroots(demo_path, tmp_path)
    package = _send_up(qtbot, base_path, tmp_path, monkeypatch)
    assert all(main_window.tree_model.snapshot.by_code(c) is None for c in new_codes)

    menu = next(a.menu() for a in main_window.menuBar().actions() if a.text().replace("&", "") == "Trao đổi")
    trigger(menu, "Trao đổi với tổ chức cơ sở…")
    dialog = main_window.findChild(ExchangeDialog)
    with qtbot.waitSignal(dialog.loaded, timeout=TIMEOUT):
        pass
    with qtbot.waitSignal(dialog.loaded, timeout=TIMEOUT):
        dialog.import_path(package)  # the file chosen on the USB stick
    wait_idle(qtbot, main_window)
    kinds = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
    assert sorted(kinds) == ["Quyết định", "Sinh hoạt chi bộ", "Sinh hoạt chi bộ", "Tờ trình"], kinds
    assert "chữ ký và mã băm" not in dialog.heading.text()  # the window reports the status, not the check
    row = kinds.index("Tờ trình")
    dialog.table.selectRow(row)
    assert dialog.files.count() == 1 and dialog.files.item(0).text().startswith("To trinh 03.pdf")
    opened: list[Path] = []
    monkeypatch.setattr(exchange_dialog, "open_with_system", opened.append)
    dialog.files.setCurrentRow(0)
    qtbot.mouseClick(dialog.open_file_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=TIMEOUT)
    assert opened[0].read_bytes() == SCAN
    dialog.table.selectRow(kinds.index("Quyết định"))
    dialog.resize(1200, 720)
    dialog.grab().save(str(SHOTS / "office-review.png"))

    # The decision first: the new chi bộ's meetings need it.
    for kind in ("Quyết định", "Sinh hoạt chi bộ", "Sinh hoạt chi bộ", "Tờ trình"):
        row = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 1).text() == kind
                   and dialog.table.item(r, 3).text() == "Chờ xét")
        dialog.table.selectRow(row)
        assert dialog.accept_button.isEnabled()
        with qtbot.waitSignal(dialog.loaded, timeout=TIMEOUT):
            qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
        wait_idle(qtbot, main_window)
    statuses = [dialog.table.item(r, 3).text() for r in range(dialog.table.rowCount())]
    assert statuses == ["Đã chấp nhận"] * 4, statuses
    body_row = next(r for r in range(dialog.bodies.rowCount()) if dialog.bodies.item(r, 0).text() == body)
    assert dialog.bodies.item(body_row, 5).text() == "đã báo cáo"
    dialog.grab().save(str(SHOTS / "office-accepted.png"))

    qtbot.waitUntil(lambda: all(main_window.tree_model.snapshot.by_code(c) is not None for c in new_codes),
                    timeout=TIMEOUT)
    assert main_window.tree_model.snapshot.by_code(split_code) is None, "the split chi bộ ended"
    main_window.select_org(main_window.tree_model.snapshot.by_code(new_codes[0]).id)
    wait_idle(qtbot, main_window)
    main_window.grab().save(str(SHOTS / "office-tree.png"))

    trigger(main_window.findChild(type(menu), "meetings_menu"), "Tình hình sinh hoạt chi bộ toàn Đảng bộ…")
    grid = main_window.findChild(GridDialog)
    qtbot.waitUntil(lambda: grid.scope.findData(body) >= 0, timeout=TIMEOUT)
    wait_idle(qtbot, main_window)
    with qtbot.waitSignal(grid.loaded, timeout=TIMEOUT):
        grid.scope.setCurrentIndex(grid.scope.findData(body))
    with qtbot.waitSignal(grid.loaded, timeout=TIMEOUT):
        grid.month.setDate(grid.month.date().addMonths(1) if grid.current_month < today.replace(day=1)
                           else grid.month.date())
        grid.reload()
    assert grid.current_month == today.replace(day=1)
    names = [grid.model.row_at(r).chi_bo.code for r in range(grid.model.rowCount())]
    assert set(new_codes) <= set(names) and split_code in names, "the split chi bộ kept for the months before"
    new_rows = [r for r in range(grid.model.rowCount()) if grid.model.row_at(r).chi_bo.code in new_codes]
    last = grid.model.columnCount() - 1
    assert all(grid.model.index(r, last).data() for r in new_rows), "this month's meetings shown"
    base = open_database(base_path)
    with base.reading() as s:
        at_grassroots = month_status(s, today.replace(day=1), body).as_json()
    base.close()
    assert grid.status is not None and grid.status.as_json() == at_grassroots, "the grid agrees with the body's"
    assert grid.status.held >= 2 and {r.code for r in grid.status.rows if r.status.value == "held"} >= set(new_codes)
    grid.resize(1400, 420)
    grid.table.horizontalScrollBar().setValue(grid.table.horizontalScrollBar().maximum())
    grid.grab().save(str(SHOTS / "office-grid.png"))
    db = open_database(demo_path)
    with db.reading() as s:
        (submission,) = [r for r in list_submissions(s, today=today) if r.register_number == "03-TTr/ĐU"]
        assert [name for _, name, _ in submission.files] == ["To trinh 03.pdf"]
    db.close()


def test_a_submission_is_registered_with_its_scan_and_the_scan_opens_from_the_register(  # type: ignore[no-untyped-def]
        qtbot, main_window, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtWidgets import QDialogButtonBox, QPushButton
    from test_main_window import type_vietnamese

    from khoi_desktop.gui.appointments import open_submissions, submissions_dialog

    scan = tmp_path / "Tờ trình 05.pdf"
    scan.write_bytes(SCAN)
    register = open_submissions(main_window)
    qtbot.waitUntil(lambda: register.summary.text() != "", timeout=TIMEOUT)
    form = register.open_form()
    form.org.setCurrentIndex(1)
    form.number.setText("05-TTr/ĐU")
    type_vietnamese(form.subject, "đề nghị chuẩn y Phó Bí thư Đảng ủy")
    adding = form.findChild(QPushButton, "add_submission_file")
    assert adding.isVisible() and adding.isEnabled()
    monkeypatch.setattr(submissions_dialog, "ask_open_path", lambda *args: scan)  # the file dialog's answer
    qtbot.mouseClick(adding, Qt.MouseButton.LeftButton)
    assert form.file_paths() == [scan]
    SHOTS.mkdir(exist_ok=True)
    form.grab().save(str(SHOTS / "submission-form.png"))
    save = form.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    with qtbot.waitSignal(register.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    (row,) = [r for r in register.model.rows() if r.register_number == "05-TTr/ĐU"]
    assert [name for _, name, _ in row.files] == ["Tờ trình 05.pdf"]
    register.table.selectRow(register.model.rows().index(row))
    assert register.files_button.isEnabled() and register.files_button.text() == "Mở tệp &kèm theo (1)"
    opened: list[Path] = []
    monkeypatch.setattr(exchange_dialog, "open_with_system", opened.append)
    qtbot.mouseClick(register.files_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=TIMEOUT)
    assert opened[0].name == "Tờ trình 05.pdf" and opened[0].read_bytes() == SCAN
    register.close()
