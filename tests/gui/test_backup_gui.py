"""The Sao lưu menu: back up now, the list, USB with encryption, restore, the status-bar note, on close."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from factories import add_member, add_members, add_org
from khoi_desktop.core.audit import record
from khoi_desktop.core.auth import accounts
from khoi_desktop.core.auth.current import CurrentUser, Role
from khoi_desktop.core.backup import storage
from khoi_desktop.core.backup.reader import inspect_backup
from khoi_desktop.core.backup.storage import Drive, StorageKind
from khoi_desktop.core.db import Database, open_database
from khoi_desktop.core.models import Member, OrgKind
from khoi_desktop.core.paths import backups_dir
from khoi_desktop.gui.backup import ops
from khoi_desktop.gui.backup.list_model import BackupListModel
from khoi_desktop.gui.worker import DbWorker

NOW = dt.datetime(2025, 3, 5, 14, 30, 0)
WAIT = 10_000


def add_member_job(db: Database) -> None:
    with db.writing() as s:
        add_member(s, "Lê Thị Mới", None, code="DV-MOI")
        record(s, actor="thư ký", action="member.add", target="DV-MOI")


def member_count(path: Path) -> int:
    db = open_database(path)
    try:
        with db.reading() as s:
            return s.scalar(select(func.count()).select_from(Member)) or 0
    finally:
        db.close()


def idle(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.worker.pending == 0, timeout=WAIT)


@pytest.fixture
def errors_shown(monkeypatch: pytest.MonkeyPatch) -> list[Exception]:
    shown: list[Exception] = []
    for module in ("controller", "list_dialog", "restore_dialog", "settings_dialog"):
        monkeypatch.setattr(f"khoi_desktop.gui.backup.{module}.present_error", lambda _p, e: shown.append(e))
    return shown


@pytest.fixture
def window(qtbot, qapp, tmp_path: Path, errors_shown):  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.app import make_application
    from khoi_desktop.gui.main_window import MainWindow

    path = tmp_path / "office" / "khoi.db"
    db = open_database(path, create=True)
    with db.writing() as s:
        add_members(s, add_org(s, "CB01", "Chi bộ Văn phòng", OrgKind.CHI_BO_CO_SO), 3)
        add_member(s, "Nguyễn Thị Hương", None, code="DV-HUONG")
        # the signed-in administrator goes on working after a restore: the restored data has the account
        accounts.create_first_admin(s, username="admin", full_name="Quản trị", password="mat-khau-1")
    db.close()
    make_application()
    db = open_database(path)
    db.user = CurrentUser("admin", "Quản trị", Role.QUAN_TRI)  # the window works for a signed-in user
    win = MainWindow(DbWorker(db))
    qtbot.addWidget(win)
    controller = win.backup_controller
    controller.clock = lambda: NOW
    qtbot.waitUntil(lambda: controller._baseline is not None, timeout=WAIT)
    controller.refresh_note()
    idle(qtbot, win)
    yield win
    win.close()


def test_menu_and_initial_note(window) -> None:  # type: ignore[no-untyped-def]
    texts = [a.text() for a in window.backup_menu.actions() if not a.isSeparator()]
    assert texts == ["Sao lưu &ngay", "Sao lưu ra &USB…", "&Danh sách bản sao lưu…", "&Khôi phục…",
                     "&Cài đặt sao lưu…"]
    note = window.backup_controller.note
    assert note.text().startswith("⚠ Chưa có bản sao lưu nào") and "color" in note.styleSheet()


def test_backup_now_appears_in_the_list(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton

    controller = window.backup_controller
    with qtbot.waitSignal(controller.backup_finished, timeout=WAIT) as done:
        controller.backup_now()
    path = done.args[0].result.path
    assert path == backups_dir() / "khoi-20250305-143000.khoibak" and path.exists()
    assert controller.note.text() == "Sao lưu gần nhất: 05/03/2025 14:30" and controller.note.styleSheet() == ""
    dialog = controller.open_list_dialog()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=WAIT)
    model = dialog.model

    def cell(column: int) -> str:
        return model.index(0, column).data()

    assert cell(BackupListModel.COL_DATE) == "05/03/2025 14:30"
    assert (cell(BackupListModel.COL_ORGS), cell(BackupListModel.COL_MEMBERS),
            cell(BackupListModel.COL_DECISIONS)) == ("1", "4", "0")
    assert cell(BackupListModel.COL_ENCRYPTED) == "Không" and cell(BackupListModel.COL_SIZE).endswith("KB")
    assert cell(BackupListModel.COL_FILE) == path.name
    controller.clock = lambda: NOW + dt.timedelta(days=1)
    backup_now = dialog.findChild(QPushButton, "backup_now_button")
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT):
        qtbot.mouseClick(backup_now, Qt.MouseButton.LeftButton)  # the open list follows new backups, newest first
    assert model.rowCount() == 2 and cell(BackupListModel.COL_DATE) == "06/03/2025 14:30"
    controller.clock = lambda: NOW + dt.timedelta(days=1, hours=2)
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT):
        controller.backup_now()  # rotation keeps only the newest backup of a day
    assert [r.created_at for r in model.rows()] == [NOW + dt.timedelta(days=1, hours=2), NOW]
    dialog.grab().save("/tmp/backup_list.png")
    dialog.close()


def test_note_turns_to_a_warning_after_seven_days(window) -> None:  # type: ignore[no-untyped-def]
    controller = window.backup_controller
    controller.last_backup_at = dt.datetime(2025, 3, 1, 9, 15)
    controller.clock = lambda: dt.datetime(2025, 3, 8, 9, 0)
    controller.refresh_note()
    assert controller.note.text() == "Sao lưu gần nhất: 01/03/2025 09:15"
    assert controller.note.styleSheet() == ""
    controller.clock = lambda: dt.datetime(2025, 3, 10, 9, 0)
    controller.refresh_note()
    assert controller.note.text() == "⚠ Đã 8 ngày chưa sao lưu (lần cuối 01/03/2025 09:15)"
    assert "color" in controller.note.styleSheet()


def test_periodic_backup_only_when_data_changed(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    controller = window.backup_controller
    assert controller.timer.isActive() and controller.timer.interval() == 30 * 60_000
    controller.run_auto_backup()
    idle(qtbot, window)
    assert not backups_dir().exists() or not list(backups_dir().iterdir())
    window.worker.submit(add_member_job, lambda _r: None)
    with qtbot.waitSignal(controller.backup_finished, timeout=WAIT):
        controller.run_auto_backup()
    assert len(list(backups_dir().iterdir())) == 1
    controller.run_auto_backup()  # nothing new since: no second backup
    idle(qtbot, window)
    assert len(list(backups_dir().iterdir())) == 1


def test_close_backs_up_changed_data_after_quick_check(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.worker.submit(add_member_job, lambda _r: None)
    idle(qtbot, window)
    warnings: list[str] = []
    window.backup_controller.warn = lambda title, text: warnings.append(text)
    window.close()
    files = list(backups_dir().iterdir())
    assert len(files) == 1 and inspect_backup(files[0]).manifest.members == 5  # type: ignore[union-attr]
    assert warnings == []


def test_close_without_changes_makes_no_backup(window) -> None:  # type: ignore[no-untyped-def]
    window.close()
    assert not backups_dir().exists() or not list(backups_dir().iterdir())


def test_close_warns_when_quick_check_fails(qtbot, window, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.backup import writer

    # Changed data: the close's backup checks the state it copies (the checks run once)
    monkeypatch.setattr(writer, "page_problems",
                        lambda _conn, full=False: ["*** in database main *** Page 7: btreeInitPage() error"])
    window.worker.submit(add_member_job, lambda _r: None)
    idle(qtbot, window)
    warnings: list[str] = []
    window.backup_controller.warn = lambda title, text: warnings.append(f"{title}: {text}")
    window.close()
    assert len(warnings) == 1 and "quick_check" in warnings[0] and "Page 7" in warnings[0]
    assert not backups_dir().exists() or not list(backups_dir().iterdir())


def test_close_without_changes_still_checks(qtbot, window, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ops, "health_problems",
                        lambda _path: ["*** in database main *** Page 7: btreeInitPage() error"])
    warnings: list[str] = []
    window.backup_controller.warn = lambda title, text: warnings.append(f"{title}: {text}")
    window.close()
    assert len(warnings) == 1 and "Page 7" in warnings[0]


def test_usb_backup_encrypted_then_safe_to_remove(qtbot, window, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    usb = tmp_path / "USB"
    usb.mkdir()
    real_probe = storage.probe
    monkeypatch.setattr(storage, "drive_lister", lambda: [Drive(usb, "KINGSTON")])
    monkeypatch.setattr(storage, "probe", lambda p: StorageKind.REMOVABLE if usb in Path(p).parents or Path(p) == usb
                        else real_probe(p))
    controller = window.backup_controller
    dialog = controller.open_usb_dialog()
    assert dialog.target.count() == 1 and dialog.folder() == usb and "KINGSTON" in dialog.target.currentText()
    dialog.encrypt.setChecked(True)
    dialog.passphrase.setText("mật khẩu mạnh")
    dialog.repeat.setText("mật khẩu khác")
    dialog.accept()
    assert dialog.isVisible() and "không giống nhau" in dialog.error.text()
    dialog.repeat.setText("mật khẩu mạnh")
    with qtbot.waitSignal(controller.backup_finished, timeout=WAIT) as done:
        dialog.accept()
    path = done.args[0].result.path
    assert path.parent == usb and inspect_backup(path).encrypted
    qtbot.waitUntil(lambda: bool(controller.last_message), timeout=WAIT)
    assert "Có thể rút USB ra an toàn" in controller.last_message


def test_restore_from_the_dialog_reopens_the_restored_file(qtbot, window, answer_box) -> None:  # type: ignore[no-untyped-def]
    controller = window.backup_controller
    with qtbot.waitSignal(controller.backup_finished, timeout=WAIT) as done:
        controller.backup_now()
    made = done.args[0].result.path
    window.worker.submit(add_member_job, lambda _r: None)
    idle(qtbot, window)
    live = window.worker.db.path
    old_worker = window.worker
    dialog = controller.open_restore_dialog(made)
    qtbot.waitUntil(lambda: dialog.restore_button.isEnabled(), timeout=WAIT)
    details = dialog.details.text()
    assert "05/03/2025 14:30" in details and "4 đảng viên trong hồ sơ" in details
    assert "hợp lệ" in dialog.result_label.text()
    answered = answer_box("Khôi phục")
    with qtbot.waitSignal(controller.restored, timeout=WAIT) as restored:
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert answered, "the clerk is asked before the data is replaced"
    result = restored.args[0]
    qtbot.waitUntil(lambda: window.worker is not old_worker and controller._baseline is not None, timeout=WAIT)
    idle(qtbot, window)
    assert window.worker.db.path == live and member_count(live) == 4
    assert result.safety_copy.parent == live.parent and member_count(result.safety_copy) == 5
    assert "Dữ liệu trước khi khôi phục được giữ ở" in controller.last_message


def test_restore_dialog_refuses_a_wrong_passphrase(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    controller = window.backup_controller
    with qtbot.waitSignal(controller.backup_finished, timeout=WAIT) as done:
        controller.back_up_to(tmp_path / "the-nho", "đúng mật khẩu")
    dialog = controller.open_restore_dialog(done.args[0].result.path)
    qtbot.waitUntil(lambda: "mã hóa" in dialog.result_label.text(), timeout=WAIT)
    dialog.passphrase.setText("sai mật khẩu")
    with qtbot.waitSignal(dialog.checked, timeout=WAIT) as checked:
        dialog.check()
    assert checked.args == [False] and "Sai mật khẩu" in dialog.result_label.text()
    assert not dialog.restore_button.isEnabled()


def test_failed_restore_reopens_the_untouched_file(qtbot, window, tmp_path: Path, errors_shown) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "hong.khoibak"
    bad.write_bytes(b"KHOIBAK\x00\x01\x00\x00\x02{}" + b"\x00" * 40)
    live = window.worker.db.path
    old_worker = window.worker
    window.backup_controller.restore(bad, None)
    qtbot.waitUntil(lambda: bool(errors_shown), timeout=WAIT)
    assert window.worker is not old_worker and window.worker.db.path == live
    assert "bị hỏng" in errors_shown[0].message  # type: ignore[attr-defined]
    idle(qtbot, window)
    assert member_count(live) == 4


def test_settings_dialog_saves_rotation_and_interval(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    controller = window.backup_controller
    dialog = controller.open_settings_dialog()
    dialog.daily.setValue(5)
    dialog.interval.setValue(0)
    dialog.accept()
    qtbot.waitUntil(lambda: controller.settings.keep_daily == 5, timeout=WAIT)
    assert not controller.timer.isActive()


def test_after_a_restore_the_note_does_not_go_back_in_time(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Issue 21: restoring an earlier backup keeps "Sao lưu gần nhất" at the latest backup known."""
    controller = window.backup_controller
    with qtbot.waitSignal(controller.backup_finished, timeout=WAIT) as done:
        controller.backup_now()
    first = done.args[0].result.path
    window.worker.submit(add_member_job, lambda _r: None)
    idle(qtbot, window)
    controller.clock = lambda: NOW + dt.timedelta(days=1)  # the next day: rotation keeps both
    with qtbot.waitSignal(controller.backup_finished, timeout=WAIT):
        controller.backup_now()
    idle(qtbot, window)
    before = controller.note.text()
    assert before.startswith("Sao lưu gần nhất")
    dialog = controller.open_restore_dialog(first)
    qtbot.waitUntil(lambda: dialog.restore_button.isEnabled(), timeout=WAIT)
    assert "0 đã ban hành, 0 đã ghi nhận, 0 dự thảo" in dialog.details.text(), "decisions counted as the list does"
    controller.confirm = lambda _title, _text: True
    old_worker = window.worker
    with qtbot.waitSignal(controller.restored, timeout=WAIT):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.worker is not old_worker and controller._baseline is not None, timeout=WAIT)
    idle(qtbot, window)
    controller.refresh_note()
    idle(qtbot, window)
    # The restored data's own trail ends before its backup was made; the note still knows the later backups
    # (recorded at the real time of day, which this test's clock does not follow).
    assert controller.note.text().startswith("Sao lưu gần nhất:"), controller.note.text()


def test_opening_a_file_with_a_broken_foreign_key_reports_it(qtbot, qapp, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from khoi_desktop.gui.app import make_application
    from khoi_desktop.gui.backup.controller import BackupController
    from khoi_desktop.gui.main_window import MainWindow

    path = tmp_path / "office" / "khoi.db"
    db = open_database(path, create=True)
    with db.writing() as s:
        add_members(s, add_org(s, "CB01", "Chi bộ Văn phòng", OrgKind.CHI_BO_CO_SO), 3)
    db.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE memberships SET org_id = 99999 WHERE id = (SELECT min(id) FROM memberships)")
    conn.commit()
    conn.close()
    warnings: list[str] = []
    monkeypatch.setattr(BackupController, "_warn_box", lambda _self, title, text: warnings.append(f"{title}: {text}"))
    make_application()
    win = MainWindow(DbWorker(open_database(path)))
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: bool(warnings), timeout=WAIT)
    assert "memberships" in warnings[0] and "khôi phục" in warnings[0]
    win.backup_controller.warn = lambda _title, _text: None
    win.close()


def _sealed_backup_of_another_office(tmp_path: Path) -> Path:
    """A passphrase-less backup of an encrypted office (account vanthu) made on another machine."""
    from khoi_desktop.core.backup.writer import create_backup
    from khoi_desktop.core.keyslots.opening import close, create_encrypted_office

    new = create_encrypted_office(tmp_path / "may-cu" / "cu.db", username="vanthu", full_name="Lê Văn Thư",
                                  password="mat-khau-van-thu")
    with new.db.writing() as s:
        add_member(s, "Trần Thị Cũ", add_org(s, "CB09", "Chi bộ Máy Cũ", OrgKind.CHI_BO_CO_SO), code="DV-CU")
    made = create_backup(new.db, tmp_path / "usb", actor="vanthu", kind="test", now=NOW).path
    close(new.db)
    return made


def test_restore_dialog_asks_an_account_for_another_offices_sealed_backup(  # type: ignore[no-untyped-def]
        qtbot, window, answer_box, tmp_path: Path) -> None:
    from khoi_desktop.core.keyslots import keyfile
    from khoi_desktop.core.keyslots.opening import is_encrypted

    made = _sealed_backup_of_another_office(tmp_path)
    dialog = controller_dialog = window.backup_controller.open_restore_dialog(made)
    qtbot.waitUntil(lambda: dialog.office_box.isVisible(), timeout=WAIT)
    assert "đăng nhập" in dialog.result_label.text() and not dialog.restore_button.isEnabled()
    dialog.account.setText("vanthu")
    dialog.account_password.setText("mat-khau-sai")
    with qtbot.waitSignal(dialog.checked, timeout=WAIT) as checked:
        qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert checked.args == [False] and "Sai tên đăng nhập hoặc mật khẩu" in dialog.result_label.text()
    dialog.account_password.setText("mat-khau-van-thu")
    with qtbot.waitSignal(dialog.checked, timeout=WAIT) as checked:
        qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert checked.args == [True] and dialog.restore_button.isEnabled()
    qtbot.wait(50)
    controller_dialog.grab().save(str(tmp_path / "restore-account.png"))
    live = window.worker.db.path
    window.sign_in = lambda _db: True  # the restored office's own login follows (tests/gui/test_encrypted_gui.py)
    answer_box("Khôi phục")
    with qtbot.waitSignal(window.backup_controller.restored, timeout=WAIT):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert is_encrypted(live) and set(keyfile.load(live).slots) == {"vanthu"}


def test_first_start_restores_a_sealed_backup_on_a_new_machine(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.keyslots.opening import close, is_encrypted
    from khoi_desktop.gui.app import restore_on_new_machine
    from khoi_desktop.gui.backup.restore_dialog import NewMachineRestoreDialog
    from khoi_desktop.gui.first_start_dialog import FirstStartDialog

    made = _sealed_backup_of_another_office(tmp_path)
    target = tmp_path / "may-moi" / "khoi.db"
    start = FirstStartDialog(target=target)
    qtbot.addWidget(start)
    assert start.restore_button.text() == "Khôi phục từ bản sao lưu…"
    dialog = NewMachineRestoreDialog(target)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_path(made)
    qtbot.waitUntil(lambda: dialog.office_box.isVisible(), timeout=WAIT)
    dialog.recovery_key.setText("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    with qtbot.waitSignal(dialog.checked, timeout=WAIT) as checked:
        dialog.check()
    assert checked.args == [False] and "Mã khôi phục không đúng" in dialog.result_label.text()
    dialog.recovery_key.clear()
    dialog.account.setText("vanthu")
    dialog.account_password.setText("mat-khau-van-thu")
    with qtbot.waitSignal(dialog.checked, timeout=WAIT) as checked:
        dialog.check()
    assert checked.args == [True]
    qtbot.wait(50)
    dialog.grab().save(str(tmp_path / "restore-new-machine.png"))
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.chosen is not None and dialog.chosen[0] == made and not target.exists()
    worker = restore_on_new_machine(target, *dialog.chosen)
    try:
        assert is_encrypted(target) and worker.db.user is not None and worker.db.user.username == "vanthu"
        with worker.db.reading() as s:
            assert s.scalar(select(func.count()).select_from(Member).where(Member.code == "DV-CU")) == 1
    finally:
        worker.close()
        close(worker.db)


def test_the_backup_progress_stays_until_the_backup_is_over(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Escape (or the title bar's ×) hid «Đang sao lưu…» while the backup went on: the clerk took it as stopped,
    or done, and went on working or closed the program. It cannot be stopped half-way: it stays until done."""
    import threading

    from PySide6.QtWidgets import QApplication, QProgressDialog

    controller = window.backup_controller
    gate = threading.Event()
    window.worker.submit(lambda _db: gate.wait(WAIT / 1000), lambda _r: None)  # the database busy a moment
    action = next(a for a in window.backup_menu.actions() if a.text() == "Sao lưu &ngay")
    finished: list[object] = []
    controller.backup_finished.connect(finished.append)
    action.trigger()

    def progress() -> QProgressDialog | None:
        return next((w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()),
                    None)

    qtbot.waitUntil(lambda: progress() is not None, timeout=WAIT)
    dialog = progress()
    assert dialog is not None and dialog.labelText() == "Đang sao lưu…"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    dialog.close()  # the title bar's ×
    qtbot.wait(50)
    assert dialog.isVisible() and not finished
    gate.set()
    qtbot.waitUntil(lambda: bool(finished), timeout=WAIT)
    qtbot.waitUntil(lambda: progress() is None, timeout=WAIT)
    assert controller.note.text() == "Sao lưu gần nhất: 05/03/2025 14:30"


def test_the_list_after_a_usb_backup_says_where_that_copy_is(qtbot, window, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Right after «Sao lưu ra USB…» the list said «chưa có bản sao lưu nào», as if the copy just made had gone
    nowhere: it lists the automatic folder only, and now says so and where the USB's copies are restored from."""
    from PySide6.QtWidgets import QDialogButtonBox

    usb = tmp_path / "USB"
    usb.mkdir()
    real_probe = storage.probe
    monkeypatch.setattr(storage, "drive_lister", lambda: [Drive(usb, "KINGSTON")])
    monkeypatch.setattr(storage, "probe", lambda p: StorageKind.REMOVABLE if usb in Path(p).parents or Path(p) == usb
                        else real_probe(p))
    controller = window.backup_controller
    dialog = controller.open_usb_dialog()
    with qtbot.waitSignal(controller.backup_finished, timeout=WAIT):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    listed = controller.open_list_dialog()
    qtbot.waitUntil(lambda: "—" in listed.folder_label.text(), timeout=WAIT)
    text = listed.folder_label.text()
    assert listed.model.rowCount() == 0
    assert "chưa có bản sao lưu tự động nào" in text and "chưa có bản sao lưu nào" not in text
    assert "Bản sao lưu ra USB nằm trên USB, không liệt kê ở đây" in text and "Khôi phục…" in text
    listed.close()


def test_backup_screens_count_as_the_status_bar_and_say_recorded_decisions(  # type: ignore[no-untyped-def]
        qtbot, window, answer_box, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a USB backup the message said «1 quyết định đã ban hành» for a decision recorded (signed by another
    body), and the check and restore screens gave the backup's rows («Đảng viên: 4», ended organizations and
    departed members included) where the clerk compares with the status bar (3 đảng viên). They now count the
    backup's office as the bar does and say the rows and the decisions as what they are (as the CLI, 7141c41)."""
    from factories import add_decision

    def recorded_decision(db: Database) -> None:
        with db.writing() as s:
            add_decision(s, 7, "về việc chuẩn y kết quả bầu cử").recorded = True

    window.worker.submit(recorded_decision, lambda _r: None)
    idle(qtbot, window)
    usb = tmp_path / "USB"
    usb.mkdir()
    monkeypatch.setattr(storage, "drive_lister", lambda: [Drive(usb, "KINGSTON")])
    controller = window.backup_controller
    dialog = controller.open_usb_dialog()
    with qtbot.waitSignal(controller.backup_finished, timeout=WAIT) as done:
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    made = done.args[0].result.path
    qtbot.waitUntil(lambda: bool(controller.last_message), timeout=WAIT)
    message = controller.last_message
    assert "quyết định: 0 đã ban hành, 1 đã ghi nhận, 0 dự thảo" in message, message
    assert "4 đảng viên trong hồ sơ, kể cả" in message

    bar = "1 TCCSĐ (0 đảng bộ cơ sở, 1 chi bộ cơ sở), 0 đảng bộ bộ phận, 0 chi bộ trực thuộc, 3 đảng viên (0 dự bị)"
    assert "3 đảng viên" in window.totals_label.text()
    check = controller.open_restore_dialog(made)
    qtbot.waitUntil(lambda: check.restore_button.isEnabled(), timeout=WAIT)
    details = check.details.text()
    check.grab().save("/tmp/restore_check.png")
    assert bar in details and "cách đếm của thanh trạng thái" in details, details
    assert "4 đảng viên trong hồ sơ" in details and "0 đã ban hành, 1 đã ghi nhận, 0 dự thảo" in details
    answer_box("Khôi phục")
    with qtbot.waitSignal(controller.restored, timeout=WAIT):
        qtbot.mouseClick(check.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Đã khôi phục" in controller.last_message, timeout=WAIT)
    assert f"(cách đếm của thanh trạng thái): {bar}." in controller.last_message, controller.last_message
    assert "Bản sao lưu có 1 tổ chức và 4 đảng viên trong hồ sơ" in controller.last_message
