"""The spreadsheet screens driven like a clerk would: import wizard, statistics, export, the menu."""

from __future__ import annotations

import datetime as dt
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox, QWidget, QWizard
from sqlalchemy import func, select

from factories import add_member, add_org
from khoi_desktop.core.auth.current import CurrentUser, Role
from khoi_desktop.core.db import open_database
from khoi_desktop.core.models import Member, Membership, MoveReason, OrgKind, Sex
from khoi_desktop.gui.worker import DbWorker

sys.path.insert(0, str(Path(__file__).parents[1] / "spreadsheets"))
from workbooks import ROWS, member_sheet, with_footer  # noqa: E402

SHOTS = Path("/tmp")


@pytest.fixture
def worker(tmp_path: Path, qapp: QApplication) -> Iterator[DbWorker]:
    from khoi_desktop.gui.app import make_application

    make_application()  # bundled fonts: Vietnamese renders the same everywhere
    path = tmp_path / "office.db"
    db = open_database(path, create=True)
    with db.writing() as s:
        db01 = add_org(s, "DB01", "Đảng bộ Sở Tài chính", OrgKind.DANG_BO_CO_SO)
        cb01 = add_org(s, "CB01", "Chi bộ Văn phòng", OrgKind.CHI_BO_TRUC_THUOC, parent=db01)
        add_org(s, "CB02", "Chi bộ Kế toán", OrgKind.CHI_BO_TRUC_THUOC, parent=db01)
        add_org(s, "CB03", "Chi bộ Thanh tra", OrgKind.CHI_BO_TRUC_THUOC, parent=db01)
        cs01 = add_org(s, "CS01", "Chi bộ Ban Dân tộc", OrgKind.CHI_BO_CO_SO)
        add_org(s, "CS09", "Chi bộ Nhà máy Giấy", OrgKind.CHI_BO_CO_SO, ended_on=dt.date(2024, 3, 15))
        for i, name in enumerate(("Lê Văn Cũ", "Lê Văn Cường", "Lê Văn Chính")):
            add_member(s, name, cb01, code=f"DV00010{i}")
        newcomer = add_member(s, "Đỗ Thị Mới", None, code="DV000200", admitted_on=dt.date(2024, 8, 1),
                              probationary=True, sex=Sex.NU)
        s.add(Membership(member_id=newcomer.id, org_id=cs01.id, valid_from=dt.date(2024, 8, 1),
                         start_reason=MoveReason.KET_NAP.value))
    worker = DbWorker(db)
    yield worker
    worker.close()


def member_count(worker: DbWorker) -> int:
    with worker.db.reading() as s:
        return s.scalar(select(func.count()).select_from(Member)) or 0


def type_text(widget: QWidget, text: str) -> None:
    """What Unikey does: commit the composed text through an input-method event."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def open_wizard(qtbot, worker: DbWorker, path: Path):  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.spreadsheets.import_wizard import ImportWizard

    wizard = ImportWizard(worker, as_of=dt.date(2025, 5, 1))
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.source_page
    qtbot.waitUntil(lambda: page.org_combo.count() > 0)
    type_text(page.path_edit, str(path))
    qtbot.keyClick(page.path_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.sheet_combo.count() == 1)
    page.org_combo.setCurrentIndex(page.org_combo.findData("DB01"))
    return wizard


def go_next(qtbot, wizard, page) -> None:  # type: ignore[no-untyped-def]
    assert wizard.button(wizard.WizardButton.NextButton).isEnabled() or page is wizard.progress_page
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is page, timeout=10_000)


def test_wizard_maps_checks_and_imports(qtbot, worker: DbWorker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "Danh sách Đảng viên"
    folder.mkdir()
    path = member_sheet(folder / "Chi bộ.xlsx", legacy_column=1, nfd_column=7)
    wizard = open_wizard(qtbot, worker, path)
    assert wizard.source_page.path_edit.text() == str(path)
    go_next(qtbot, wizard, wizard.mapping_page)
    page = wizard.mapping_page
    assert "Tiêu đề cột ở dòng 4; 4 dòng dữ liệu" in page.info.text()
    table = page.table
    assert [table.item(r, 1).text() for r in range(table.rowCount())][:3] == ["STT", "Họ và tên", "Ngày sinh"]
    name_field = table.cellWidget(1, page.COL_FIELD)
    name_encoding = table.cellWidget(1, page.COL_ENCODING)
    assert isinstance(name_field, QComboBox) and name_field.currentText() == "Họ và tên"
    assert isinstance(name_encoding, QComboBox) and name_encoding.currentText() == "TCVN3 (.VnTime)"
    assert table.item(1, page.COL_PREVIEW).text().startswith("NguyÔn V¨n An → Nguyễn Văn An")
    wizard.grab().save(str(SHOTS / "import-mapping.png"))
    # A clerk's mistake is caught before the dry run: two columns for one field.
    page.set_field("H", "full_name")
    assert "cùng được gán “Họ và tên”" in page.problems.text()
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()
    page.set_field("H", "job_title")
    assert page.problems.text() == "" and page.isComplete()
    go_next(qtbot, wizard, wizard.report_page)
    report = wizard.report_page
    assert report.summary.text() == "4 dòng đảng viên, 0 lỗi, 0 trùng lặp: có thể nhập 4 đảng viên."
    assert report.isComplete()
    assert member_count(worker) == 4  # a dry run writes nothing
    imported: list[int] = []
    wizard.imported.connect(imported.append)
    go_next(qtbot, wizard, wizard.progress_page)
    qtbot.waitUntil(lambda: wizard.progress_page.finished_ok, timeout=10_000)
    assert imported == [4] and member_count(worker) == 8
    assert "Đã nhập 4 đảng viên (mã DV000201 – DV000204)" in wizard.progress_page.status.text()
    with worker.db.reading() as s:
        assert s.scalars(select(Member).where(Member.code == "DV000201")).one().full_name == "Nguyễn Văn An"


def test_wizard_report_shows_excel_rows_and_blocks_import(qtbot, worker: DbWorker,  # type: ignore[no-untyped-def]
                                                          tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[1][0] = "Lê Văn Cường"
    rows[1][1] = "01/01/1985"  # same name and birth date as DV000101
    rows[2][1] = "31/02/1978"
    path = member_sheet(tmp_path / "loi.xlsx", rows)
    wizard = open_wizard(qtbot, worker, path)
    go_next(qtbot, wizard, wizard.mapping_page)
    go_next(qtbot, wizard, wizard.report_page)
    page = wizard.report_page
    model = page.model
    found = [(model.finding(r).row, model.finding(r).column, model.finding(r).kind) for r in range(model.rowCount())]
    assert found == [(7, "", "Trùng"), (8, "C", "Lỗi")]
    assert "không có ngày 31 trong tháng 2/1978" in model.finding(1).message
    assert not page.isComplete()
    assert not wizard.button(wizard.WizardButton.CommitButton).isEnabled()
    wizard.grab().save(str(SHOTS / "import-report.png"))
    page.accept_names.setChecked(True)  # accept the name duplicate: the date error still blocks
    qtbot.waitUntil(lambda: not page.busy and model.rowCount() == 2 and model.finding(0).kind == "Trùng (chấp nhận)")
    assert not page.isComplete()
    rows[2][1] = "28/02/1978"  # the clerk fixes the file in Excel and checks again
    member_sheet(path, rows)
    page.check_again()
    qtbot.waitUntil(lambda: not page.busy and model.rowCount() == 1)
    assert page.isComplete() and wizard.button(wizard.WizardButton.CommitButton).isEnabled()


def test_wizard_report_lists_the_footer_rows_it_skips(qtbot, worker: DbWorker,  # type: ignore[no-untyped-def]
                                                       tmp_path: Path) -> None:
    wizard = open_wizard(qtbot, worker, with_footer(tmp_path / "chu-ky.xlsx"))
    go_next(qtbot, wizard, wizard.mapping_page)
    go_next(qtbot, wizard, wizard.report_page)
    page = wizard.report_page
    assert page.summary.text() == ("4 dòng đảng viên, 0 lỗi, 0 trùng lặp, bỏ qua 6 dòng không phải đảng viên: "
                                   "có thể nhập 4 đảng viên.")
    model = page.model
    skipped = [(model.finding(r).row, model.finding(r).kind) for r in range(model.rowCount())]
    assert skipped == [(row, "Bỏ qua") for row in (10, 11, 13, 14, 15, 17)]
    assert "Nguyễn Thị Lập" in model.finding(5).message and "phần cuối danh sách" in model.finding(5).message
    assert page.isComplete() and wizard.button(wizard.WizardButton.CommitButton).isEnabled()
    wizard.grab().save(str(SHOTS / "import-footer.png"))
    go_next(qtbot, wizard, wizard.progress_page)
    qtbot.waitUntil(lambda: wizard.progress_page.finished_ok, timeout=10_000)
    assert member_count(worker) == 8


def test_cancel_during_import_leaves_nothing(qtbot, worker: DbWorker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wizard = open_wizard(qtbot, worker, member_sheet(tmp_path / "huy.xlsx"))
    go_next(qtbot, wizard, wizard.mapping_page)
    go_next(qtbot, wizard, wizard.report_page)
    release = threading.Event()
    worker.submit(lambda _db: release.wait(10), lambda _result: None)  # hold the worker busy
    wizard.next()
    assert wizard.currentPage() is wizard.progress_page and wizard.progress_page.running
    wizard.reject()  # the clerk presses Hủy while the import waits
    assert wizard.isVisible() and wizard.progress_page.status.text() == "Đang hủy…"
    release.set()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=10_000)
    assert wizard.result() == wizard.DialogCode.Rejected
    assert member_count(worker) == 4


def test_statistics_view_shows_numbers(qtbot, worker: DbWorker) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.spreadsheets.statistics_view import StatisticsDialog

    dialog = StatisticsDialog(worker, as_of=dt.date(2025, 6, 1))
    qtbot.addWidget(dialog)
    dialog.start.setDate(dialog.start.date().addYears(-1))  # 01/01/2024
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.findChild(QWidget, "show").click()
    dialog.show()
    assert "đầu kỳ 3 đảng viên, tăng 1, giảm 0, cuối kỳ 4" in dialog.summary.text()
    assert "2 tổ chức cơ sở đảng, 4 đảng viên (1 dự bị)" in dialog.summary.text()
    table = dialog.bieu1_table
    rows = {table.item(r, 0).text(): r for r in range(table.rowCount())}
    assert set(rows) == {"Đảng bộ Sở Tài chính", "Chi bộ Ban Dân tộc", "Tổng cộng"}
    assert table.item(rows["Chi bộ Ban Dân tộc"], 3).text() == "1"  # Kết nạp
    assert table.item(rows["Tổng cộng"], 0).font().bold()
    five = dialog.bieu5_table
    assert [five.item(r, 0).text() for r in range(five.rowCount())][-1] == "Tổng cộng (tổ chức cơ sở đảng)"
    assert [five.item(five.rowCount() - 1, c).text() for c in range(1, 5)] == ["2", "4", "1", "1"]
    assert dialog.kind_chart.bars[0] == ("Đảng bộ cơ sở", 3)
    assert dialog.admissions_chart.bars[-2:] == [("2024", 1), ("2025", 0)]
    assert dialog.due_chart.bars[:3] == [("Quá hạn", 0), ("06/2025", 0), ("07/2025", 0)]
    assert ("08/2025", 1) in dialog.due_chart.bars
    dialog.resize(1280, 760)
    dialog.grab().save(str(SHOTS / "statistics-bieu1.png"))
    dialog.tabs.setCurrentIndex(2)
    dialog.grab().save(str(SHOTS / "statistics-charts.png"))


def test_export_dialog_writes_the_file(qtbot, worker: DbWorker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.spreadsheets.export_dialog import ExportDialog
    from khoi_desktop.spreadsheets.exports import ExportKind

    dialog = ExportDialog(worker, as_of=dt.date(2025, 6, 1))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.org.count() > 1)
    dialog.kind.setCurrentIndex(dialog.kind.findData(ExportKind.BIEU5.value))
    assert not dialog.org.isVisible() and not dialog.start.isVisible() and dialog.as_of.isVisible()
    dialog.kind.setCurrentIndex(dialog.kind.findData(ExportKind.MEMBERS.value))
    assert dialog.org.isVisible()
    dialog.org.setCurrentIndex(dialog.org.findData("CB01"))
    target = tmp_path / "Xuất" / "danh sách.xlsx"
    target.parent.mkdir()
    dialog.path.clear()
    type_text(dialog.path, str(target))
    with qtbot.waitSignal(dialog.exported, timeout=10_000) as signal:
        dialog.export_button.click()
    assert signal.args[0].rows == 3 and target.exists()
    assert "Đã xuất danh sách đảng viên" in dialog.result_label.text() and dialog.open_button.isEnabled()
    dialog.kind.setCurrentIndex(dialog.kind.findData(ExportKind.BIEU5.value))
    assert dialog.result_label.text() == "" and not dialog.open_button.isEnabled(), "no result for another kind"


def test_export_organization_typed_without_accents_and_a_name_that_is_not_there(  # type: ignore[no-untyped-def]
        qtbot, worker: DbWorker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """≈ 425 organizations: the clerk types the name (no accents), Enter takes it; a name that names none, or
    one that ended, is refused with a message saying so, and no file is written."""
    from PySide6.QtWidgets import QMessageBox

    from khoi_desktop.gui.spreadsheets.export_dialog import ExportDialog
    from khoi_desktop.spreadsheets.exports import ExportKind

    dialog = ExportDialog(worker, as_of=dt.date(2025, 6, 1))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.org.count() > 1)
    dialog.kind.setCurrentIndex(dialog.kind.findData(ExportKind.MEMBERS.value))
    assert dialog.org.currentText() == "Toàn Đảng bộ"
    target = tmp_path / "ds.xlsx"
    dialog.path.clear()
    type_text(dialog.path, str(target))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a, **k: warnings.append(text))
    for typed, said in (("chi bo nha may giay", "đã giải thể/kết thúc hoạt động ngày 15/03/2024"),
                        ("Chi bộ Không Có", "Không có tổ chức nào tên «Chi bộ Không Có»")):
        dialog.org.lineEdit().selectAll()
        type_text(dialog.org.lineEdit(), typed)  # as Unikey commits it
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        assert warnings and said in warnings[-1] and warnings[-1].startswith("Tổ chức:"), warnings
        assert not target.exists()
    dialog.org.lineEdit().selectAll()
    qtbot.keyClicks(dialog.org.lineEdit(), "chi bo van phong")
    popup = dialog.org.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Return)  # one entry offered: Enter takes it (no Down needed)
    assert dialog.org.code() == "CB01", dialog.org.currentText()
    with qtbot.waitSignal(dialog.exported, timeout=10_000) as signal:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert signal.args[0].rows == 3 and target.exists()


def test_import_target_typed_without_accents(qtbot, worker: DbWorker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.spreadsheets.import_wizard import ImportWizard

    path = tmp_path / "ds.xlsx"
    member_sheet(path, ROWS)
    wizard = ImportWizard(worker, as_of=dt.date(2025, 5, 1))
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.source_page
    qtbot.waitUntil(lambda: page.org_combo.count() > 0)
    type_text(page.path_edit, str(path))
    qtbot.keyClick(page.path_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.sheet_combo.count() == 1)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    type_text(page.org_combo.lineEdit(), "Chi bộ Nhà máy Giấy")
    assert not next_button.isEnabled()
    assert page.reason.text().startswith("Tổ chức «Chi bộ Nhà máy Giấy» (CS09) đã giải thể"), page.reason.text()
    page.org_combo.lineEdit().selectAll()
    qtbot.keyClicks(page.org_combo.lineEdit(), "ban dan toc")
    qtbot.keyClick(page.org_combo.lineEdit(), Qt.Key.Key_Return)
    assert page.org_combo.currentText().startswith("Chi bộ Ban Dân tộc") and next_button.isEnabled()
    assert page.reason.text() == ""


def test_menu_is_installed(qtbot, worker: DbWorker) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.main_window import MainWindow
    from khoi_desktop.gui.spreadsheets.statistics_view import StatisticsDialog

    worker.db.user = CurrentUser("admin", "Quản trị", Role.QUAN_TRI)  # the window works for a signed-in user
    window = MainWindow(worker)
    qtbot.addWidget(window)
    menu = window.spreadsheets_menu
    assert menu.title() == "&Bảng tính"
    assert [a.text() for a in menu.actions()] == ["&Nhập danh sách đảng viên…", "&Xuất Excel…", "&Thống kê…"]
    menu.actions()[2].trigger()
    dialog = window.findChild(StatisticsDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.data is not None, timeout=10_000)
    dialog.close()
    qtbot.waitUntil(lambda: worker.pending == 0, timeout=10_000)
    window.close()


def test_an_import_from_the_menu_announces_new_members_only(qtbot, worker: DbWorker,  # type: ignore[no-untyped-def]
                                                            tmp_path: Path) -> None:
    """The window and the screens that show members reload; a screen of other areas (the register) does not."""
    from khoi_desktop.core.changes import Area
    from khoi_desktop.gui.main_window import MainWindow
    from khoi_desktop.gui.spreadsheets.import_wizard import ImportWizard

    worker.db.user = CurrentUser("admin", "Quản trị", Role.QUAN_TRI)
    window = MainWindow(worker)
    qtbot.addWidget(window)
    window.start()
    qtbot.waitUntil(lambda: window.tree_model.snapshot is not None and worker.pending == 0, timeout=20_000)
    heard: list[object] = []
    window.data_changed.connect(heard.append)
    members_screen, register_screen = [], []
    window.on_change(frozenset({Area.MEMBERS}), lambda: members_screen.append(1))
    window.on_change(frozenset({Area.DECISIONS}), lambda: register_screen.append(1))
    window.spreadsheets_menu.actions()[0].trigger()
    wizard = window.findChild(ImportWizard)
    assert wizard is not None and wizard.isVisible()
    page = wizard.source_page
    qtbot.waitUntil(lambda: page.org_combo.count() > 0)
    type_text(page.path_edit, str(member_sheet(tmp_path / "Chi bộ.xlsx")))
    qtbot.keyClick(page.path_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.sheet_combo.count() == 1)
    page.org_combo.setCurrentIndex(page.org_combo.findData("DB01"))
    go_next(qtbot, wizard, wizard.mapping_page)
    go_next(qtbot, wizard, wizard.report_page)
    assert wizard.report_page.isComplete(), wizard.report_page.summary.text()
    go_next(qtbot, wizard, wizard.progress_page)
    qtbot.waitUntil(lambda: wizard.progress_page.finished_ok, timeout=10_000)
    qtbot.waitUntil(lambda: "8 đảng viên" in window.totals_label.text(), timeout=10_000)
    assert heard == [frozenset({Area.MEMBERS})] and members_screen == [1] and register_screen == []
    wizard.close()
    qtbot.waitUntil(lambda: worker.pending == 0, timeout=10_000)
    window.close()


def test_the_organization_pop_up_shows_whole_entries(qtbot, worker: DbWorker) -> None:  # type: ignore[no-untyped-def]
    """Each entry carries its parents: the pop-up was as narrow as the box and cut them («… – Đảng bộ Sở Tài…»)."""
    from khoi_desktop.gui.spreadsheets.export_dialog import ExportDialog
    from khoi_desktop.spreadsheets.exports import ExportKind

    with worker.db.writing() as s:
        add_org(s, "CS10", "Chi bộ Trung tâm Quan trắc tài nguyên và môi trường, Sở Tài nguyên và Môi trường",
                OrgKind.CHI_BO_CO_SO)
    dialog = ExportDialog(worker, as_of=dt.date(2025, 6, 1))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.org.count() > 1)
    dialog.kind.setCurrentIndex(dialog.kind.findData(ExportKind.MEMBERS.value))
    dialog.resize(420, 300)  # a narrow dialog: the box is narrower than the entries
    dialog.org.lineEdit().selectAll()
    qtbot.keyClicks(dialog.org.lineEdit(), "chi bo")
    popup = dialog.org.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    metrics = popup.fontMetrics()
    widest = max(metrics.horizontalAdvance(popup.model().index(r, 0).data()) for r in range(popup.model().rowCount()))
    assert popup.viewport().width() >= widest, (popup.viewport().width(), widest)
