"""Documents in the GUI: the preview navigates and prints, the register filters and exports, templates edit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

import khoi_desktop.core.workflows  # noqa: F401  (registers its effects before the no-op ones below)
from khoi_desktop.core import decisions
from khoi_desktop.core.auth.current import CurrentUser, Role
from khoi_desktop.core.db import open_database
from khoi_desktop.core.decision_content import PrintInfo
from khoi_desktop.core.models import Decision, Term
from khoi_desktop.core.settings import OfficeSettings, save_settings
from khoi_desktop.core.wording.template_store import template_for
from khoi_desktop.documents.pdf import render_pdf
from khoi_desktop.documents.sample import sample_content
from khoi_desktop.gui.documents import open_preview, open_register, open_templates
from khoi_desktop.gui.documents.preview_dialog import PreviewDialog, print_document
from khoi_desktop.gui.documents.register_dialog import RegisterDialog
from khoi_desktop.gui.documents.template_dialog import TemplateDialog
from khoi_desktop.gui.worker import DbWorker

SUBJECTS = [("split", "về việc chia tách Chi bộ Sở Tài chính", dt.date(2020, 3, 5)),
            ("found", "về việc thành lập Chi bộ Kho bạc Nhà nước tỉnh", dt.date(2021, 6, 1)),
            ("found", "về việc thành lập Chi bộ Sở Xây dựng", dt.date(2022, 9, 9))]


@pytest.fixture
def worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp) -> Iterator[DbWorker]:  # type: ignore[no-untyped-def]
    db = open_database(tmp_path / "office.db", create=True)
    with db.writing() as session:
        save_settings(session, OfficeSettings(configured=True))
        session.add(Term(name="2020-2025", starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2024, 12, 31)))
        session.flush()
        for action, subject, day in SUBJECTS:
            decision = decisions.create_draft(session, action=action, content=sample_content(subject=subject),
                                              request_json=None, effective_on=None, actor="test")
            decisions.issue(session, decision, on=day, actor="test", render=render_pdf, effect=None)
    worker = DbWorker(db)
    yield worker
    worker.close()


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.warning",  # what gui/errors.py shows refusals with
                        lambda _parent, _title, text: shown.append(text))
    return shown


def test_preview_loads_and_navigates_pages(qtbot) -> None:  # type: ignore[no-untyped-def]
    pdf = render_pdf(sample_content(), PrintInfo(12, dt.date(2020, 3, 5), draft=False))
    dialog = PreviewDialog(pdf, "Quyết định số 12-QĐ/ĐUK", "QD-12")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.page_count == 3 and dialog.page_label.text().strip() == "/ 3"
    assert dialog.current_page == 0 and dialog.page_box.value() == 1
    dialog.next_page()
    qtbot.waitUntil(lambda: dialog.current_page == 1)
    assert dialog.page_box.value() == 2
    dialog.page_box.setValue(3)
    qtbot.waitUntil(lambda: dialog.current_page == 2)
    dialog.next_page()  # stays on the last page
    assert dialog.current_page == 2
    dialog.previous_page()
    qtbot.waitUntil(lambda: dialog.current_page == 1)
    dialog.zoom_in()
    zoomed = dialog.view.zoomFactor()
    dialog.zoom_out()
    assert dialog.view.zoomFactor() < zoomed
    dialog.fit_page()
    assert dialog.view.zoomMode() == dialog.view.ZoomMode.FitInView
    assert not dialog.save_docx_action.isEnabled()  # no decision behind a bare PDF


def test_printing_paints_every_page(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pdf = render_pdf(sample_content(), PrintInfo(12, dt.date(2020, 3, 5), draft=False))
    dialog = PreviewDialog(pdf, "In thử", "in-thu")
    qtbot.addWidget(dialog)
    printer = dialog.make_printer()
    printer.setResolution(72)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert print_document(dialog.document, printer) == 3
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == 3
    printer = dialog.make_printer()
    printer.setResolution(72)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "page2.pdf"))
    printer.setFromTo(2, 2)
    assert print_document(dialog.document, printer) == 1


def test_register_filters_and_exports(qtbot, worker: DbWorker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    opened: list[int] = []
    dialog = RegisterDialog(worker, opened.append)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3)
    assert dialog.term_box.findData("2020-2025") > 0
    codes = lambda: [dialog.model.row_at(i).code for i in range(dialog.model.rowCount())]  # noqa: E731
    assert codes() == ["01-QĐ/ĐUK", "02-QĐ/ĐUK", "03-QĐ/ĐUK"]
    assert dialog.model.index(0, dialog.model.COL_TYPE).data() == "Tách"
    assert dialog.model.index(0, dialog.model.COL_DATE).data() == "05/03/2020"
    assert "Lưu Văn phòng Đảng ủy Khối" in dialog.model.index(0, dialog.model.COL_RECIPIENTS).data()

    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        dialog.type_box.setCurrentIndex(dialog.type_box.findData("found"))
    assert codes() == ["02-QĐ/ĐUK", "03-QĐ/ĐUK"]
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        dialog.text_edit.setText("kho bac")  # without marks
    assert codes() == ["02-QĐ/ĐUK"]
    dialog.text_edit.clear()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
    dialog.from_edit.setDate(dialog.from_edit.date().fromString("01/01/2022", "dd/MM/yyyy"))
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        dialog.from_check.setChecked(True)
    assert codes() == ["03-QĐ/ĐUK"]

    with qtbot.waitSignal(dialog.exported, timeout=5000):
        dialog.export_to(tmp_path / "so.xlsx")
    sheet = load_workbook(tmp_path / "so.xlsx").active
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert "03-QĐ/ĐUK" in values and "02-QĐ/ĐUK" not in values and "Tổng số: 1 văn bản" in values

    dialog.table.selectRow(0)
    dialog._preview_selected()
    assert opened == [3]


def test_main_window_menu_and_preview(qtbot, worker: DbWorker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.main_window import MainWindow

    worker.db.user = CurrentUser("admin", "Quản trị", Role.QUAN_TRI)  # the window works for a signed-in user
    window = MainWindow(worker)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: worker.pending == 0)
    titles = [a.text() for a in window.menuBar().actions()]
    assert "&Văn bản" in titles
    register = open_register(window)
    assert isinstance(register, RegisterDialog) and open_register(window) is register  # one at a time
    register.close()
    open_preview(window, 2)
    qtbot.waitUntil(lambda: bool(window.findChildren(PreviewDialog)))
    preview = window.findChildren(PreviewDialog)[0]
    assert preview.windowTitle().startswith("Quyết định số 02-QĐ/ĐUK")
    with worker.db.reading() as session:
        assert preview.pdf == session.get(Decision, 2).pdf
    assert preview.save_docx_action.isEnabled()
    written: list[bytes] = []
    preview._docx_loader(written.append, lambda error: pytest.fail(str(error)))
    qtbot.waitUntil(lambda: bool(written))
    assert written[0][:2] == b"PK"
    preview.close()
    window.close()


def test_template_editor_refuses_unknown_placeholders(qtbot, worker: DbWorker, warnings: list[str]) -> None:  # type: ignore[no-untyped-def]
    shown: list[bytes] = []
    dialog = TemplateDialog(worker, lambda copy: shown.append(copy.pdf))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.action is not None)
    dialog.select_action("dissolve")
    assert dialog.action == "dissolve" and "{ten_to_chuc_nhan}" in dialog.placeholders.text()
    assert "Giải thể Chi bộ Sở Tài chính" in dialog.preview.toPlainText()

    dialog.editor.setPlainText("về việc giải thể {ten_to_chuc}\nĐiều 1. Giải thể {ten_chi_bo}.")
    assert "{ten_chi_bo}" in dialog.status.text() and dialog.preview.toPlainText() == ""
    dialog.save_current()
    qtbot.waitUntil(lambda: bool(warnings))
    assert "{ten_chi_bo}" in warnings[0]
    with worker.db.reading() as session:
        assert "{ten_chi_bo}" not in template_for(session, "dissolve")

    text = "về việc giải thể {ten_to_chuc}\nĐiều 1. Giải thể {ten_to_chuc} từ {ngay_hieu_luc}.\nĐiều 2. Thi hành."
    dialog.editor.setPlainText(text)
    assert dialog.status.text() == "Mẫu hợp lệ."
    assert "Điều 1. Giải thể Chi bộ Sở Tài chính từ 05/03/2020." in dialog.preview.toPlainText()
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save_current()
    with worker.db.reading() as session:
        assert template_for(session, "dissolve") == text

    dialog.show_sample_pdf()
    qtbot.waitUntil(lambda: bool(shown))
    assert shown[0].startswith(b"%PDF")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.reset_current()
    assert "{chuyen_dang_vien}" in dialog.editor.toPlainText()


def test_templates_menu_opens_the_editor(qtbot, worker: DbWorker) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.main_window import MainWindow

    worker.db.user = CurrentUser("admin", "Quản trị", Role.QUAN_TRI)  # the window works for a signed-in user
    window = MainWindow(worker)
    qtbot.addWidget(window)
    editor = open_templates(window)
    assert isinstance(editor, TemplateDialog)
    qtbot.waitUntil(lambda: editor.action is not None)
    editor.close()
    qtbot.waitUntil(lambda: worker.pending == 0)
    window.close()


def test_the_administrator_edits_the_compounds_kept_whole(qtbot, worker: DbWorker) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    from khoi_desktop.core.wording.compounds import load_compounds
    from khoi_desktop.gui.documents.compounds_dialog import CompoundsDialog

    editor = TemplateDialog(worker, lambda copy: None)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.mouseClick(editor.compounds_button, Qt.MouseButton.LeftButton)
    dialog = editor.findChild(CompoundsDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: "Bệnh viện" in dialog.editor.toPlainText())
    cursor = dialog.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    dialog.editor.setTextCursor(cursor)
    event = QInputMethodEvent()
    event.setCommitString("\nHùng Vương")
    QApplication.sendEvent(dialog.editor, event)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Đã lưu"))
    with worker.db.reading() as session:
        saved = load_compounds(session)
    assert saved[-1] == "Hùng Vương" and "Bệnh viện" in saved
    dialog.grab().save("/tmp/compounds-dialog.png")
    dialog.close()
    editor.close()
    qtbot.waitUntil(lambda: worker.pending == 0)
