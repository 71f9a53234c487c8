"""Meetings in the GUI on the demo office: a meeting entered from the tree's context menu with keyboard
attendance and saved with the Lưu button (replacing the month's registration after the question); the month
grid's figures equal core's month status; the year summary's chart and export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from sqlalchemy import select
from test_main_window import wait_idle

from khoi_desktop.core.db import open_database
from khoi_desktop.core.meetings.models import Attendance, AttendanceStatus, Meeting, MeetingKind
from khoi_desktop.core.meetings.status import month_status
from khoi_desktop.core.models import Member, Organization
from khoi_desktop.gui.meetings.attendance_table import COL_MARK, COL_REASON
from khoi_desktop.gui.meetings.grid_dialog import GridDialog, last_finished_month
from khoi_desktop.gui.meetings.meeting_dialog import MeetingDialog
from khoi_desktop.gui.meetings.year_dialog import YearDialog

TIMEOUT = 20_000


def find_node(window, code: str):  # type: ignore[no-untyped-def]
    node = window.tree_model.snapshot.by_code(code)
    assert node is not None
    return node


def trigger(menu, label: str) -> None:  # type: ignore[no-untyped-def]
    action = next(a for a in menu.actions() if a.text().replace("&", "") == label)
    assert action.isVisible() and action.isEnabled()
    action.trigger()


def answer(button_text: str, seen: list[str]) -> None:
    """Click the named button of the next message box, as a clerk would."""
    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, click)
            return
        seen.append(box.text() + "\n" + box.informativeText())
        buttons = [b for b in box.buttons() if b.text().replace("&", "") == button_text]
        seen.append("buttons: " + ", ".join(b.text() for b in box.buttons()))
        button = buttons[0] if buttons else box.buttons()[0]  # never leave a modal box open: the test would hang
        assert isinstance(button, QPushButton)
        button.click()

    QTimer.singleShot(50, click)


def test_enter_a_meeting_from_the_tree(qtbot, main_window, demo_path: Path) -> None:  # type: ignore[no-untyped-def]
    node = find_node(main_window, "CB0002")
    main_window.select_org(node.id)
    wait_idle(qtbot, main_window)
    trigger(main_window.tree_menu(node), "Ghi sinh hoạt chi bộ…")
    dialog = main_window.findChild(MeetingDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.form is not None, timeout=TIMEOUT)
    wait_idle(qtbot, main_window)
    assert dialog.form.stored is not None, "the demo registered this month's meeting"
    assert not dialog.held_check.isChecked()
    qtbot.mouseClick(dialog.held_check, Qt.MouseButton.LeftButton, pos=dialog.held_check.rect().center())
    assert dialog.held_check.isChecked()
    # Ticking «Đã họp» filled in today, a day a clerk recording an earlier meeting could leave unseen: the day is
    # now typed, and Lưu without it is refused in words.
    assert dialog.held.text() == "Chưa nhập" and dialog.held_day() is None
    refused: list[str] = []
    answer("OK", refused)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(refused), timeout=TIMEOUT)
    assert "Chưa nhập ngày họp: gõ ngày chi bộ đã họp" in refused[0] and dialog.isVisible()
    dialog.activateWindow()  # back from the message box
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    today = dt.date.today()
    held_on = today.replace(day=1) if today.day > 1 else today  # not today: the day typed is the one recorded
    line = dialog.held.lineEdit()
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, held_on.strftime("%d/%m/%Y"))
    assert dialog.held_day() == held_on
    wait_idle(qtbot, main_window)
    table = dialog.table
    members = table.rowCount()
    assert members == len(dialog.form.members) >= 3
    table.setFocus()
    table.setCurrentCell(0, COL_MARK)
    qtbot.keyClick(table, Qt.Key.Key_K)  # vắng không lý do, then the next member
    assert table.currentRow() == 1
    qtbot.keyClick(table, Qt.Key.Key_L)  # vắng có lý do: the reason cell opens
    editor = QApplication.focusWidget()
    assert table.currentColumn() == COL_REASON and editor is not table
    qtbot.keyClicks(editor, "Di cong tac")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert "vắng có lý do 1, vắng không lý do 1" in dialog.counts.text()
    dialog.topic.setText("Nhiệm vụ tháng")
    dialog.scores_box.setChecked(True)
    for edit in dialog.score_edits.values():
        edit.setValue(edit.maximum())
    assert dialog.total.text() == "Tổng điểm 100/100: xếp loại Tốt."
    dialog.grab().save("/tmp/meeting_dialog.png")
    seen: list[str] = []
    answer("Ghi đè", seen)
    with qtbot.waitSignal(dialog.saved, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert seen and "đã có cuộc sinh hoạt thường kỳ" in seen[0] and "Ngày họp: (trống) →" in seen[0]
    wait_idle(qtbot, main_window)

    db = open_database(demo_path)
    with db.reading() as s:
        org_id = s.scalar(select(Organization.id).where(Organization.code == "CB0002"))
        meeting = s.scalars(select(Meeting).where(Meeting.org_id == org_id, Meeting.kind == MeetingKind.THUONG_KY,
                                                  Meeting.month == dt.date.today().replace(day=1))).one()
        rows = dict(s.execute(select(Member.code, Attendance.status).join(Member, Member.id == Attendance.member_id)
                              .where(Attendance.meeting_id == meeting.id)).tuples().all())
        reason = s.scalar(select(Attendance.reason).where(Attendance.meeting_id == meeting.id,
                                                          Attendance.reason.is_not(None)))
    db.close()
    assert meeting.held_on == held_on and meeting.points == 100 and meeting.topic == "Nhiệm vụ tháng"
    assert len(rows) == members and list(rows.values()).count(AttendanceStatus.ABSENT) == 2
    assert reason == "Di cong tac" and meeting.absent_unexcused == 1


def test_month_grid_figures_equal_core(qtbot, main_window, demo_path: Path) -> None:  # type: ignore[no-untyped-def]
    trigger(main_window.findChild(type(main_window.menuBar().actions()[0].menu()), "meetings_menu"),
            "Tình hình sinh hoạt chi bộ toàn Đảng bộ…")
    dialog = main_window.findChild(GridDialog)
    assert dialog is not None
    with qtbot.waitSignal(dialog.loaded, timeout=TIMEOUT):
        pass
    wait_idle(qtbot, main_window)
    db = open_database(demo_path)
    with db.reading() as s:
        expected = month_status(s, last_finished_month(dt.date.today()))
    db.close()
    assert dialog.status is not None and dialog.status.as_json() == expected.as_json()
    text = dialog.summary.text()
    assert f"theo dõi {expected.expected} chi bộ" in text and f"{len(expected.missing)} chưa báo cáo" in text
    assert dialog.model.rowCount() == len(expected.rows) and dialog.model.columnCount() == 14
    dialog.grab().save("/tmp/meeting_grid.png")
    with qtbot.waitSignal(dialog.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.only_missing, Qt.MouseButton.LeftButton)
        dialog.reload()
    assert dialog.model.rowCount() == len(expected.missing)


def test_year_summary_chart_and_export(qtbot, main_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.meetings import open_year

    dialog = open_year(main_window)
    assert isinstance(dialog, YearDialog)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=TIMEOUT)
    bars = dict((label, percent) for label, percent, _ in dialog.chart.bars())
    assert 90 < bars["Họp thường kỳ"] <= 100 and 80 < bars["Dự họp"] <= 100
    assert sum(bars[f"Xếp loại {w}"] for w in ("tốt", "khá", "trung bình", "kém")) > 99
    assert dialog.table.rowCount() == len(dialog.summary.lines) + 1
    dialog.grab().save("/tmp/meeting_year.png")
    target = tmp_path / "nam.xlsx"
    seen: list[str] = []
    answer("Đồng ý", seen)
    dialog.export_to(target)
    qtbot.waitUntil(lambda: bool(seen), timeout=TIMEOUT)
    assert target.exists() and "Đã xuất tổng hợp năm" in seen[0]
    assert seen[1] == "buttons: Đồng ý"


def test_return_workbook_from_the_tree_and_back(qtbot, main_window, demo_path: Path,  # type: ignore[no-untyped-def]
                                                tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from khoi_desktop.gui.meetings import returns

    month = last_finished_month(dt.date.today())
    node = find_node(main_window, "CS001")
    path = tmp_path / "bao-cao.xlsx"
    seen: list[str] = []
    answer("Đồng ý", seen)
    returns.make_template(main_window, node, month=month, path=path)
    qtbot.waitUntil(lambda: len(seen) >= 2, timeout=TIMEOUT)
    assert "Đã lập tệp báo cáo sinh hoạt chi bộ" in seen[0] and path.exists()
    wb = load_workbook(path)
    ws = wb["Thường kỳ"]
    code = ws.cell(4, 2).value
    ws.cell(4, 6).value = "Chủ đề sửa trong Excel"
    wb.save(path)

    seen.clear()
    answer("Ghi đè và nhập", seen)
    returns.import_workbook(main_window, path)
    qtbot.waitUntil(lambda: len(seen) >= 2, timeout=TIMEOUT)
    assert "sẽ bị ghi đè" in seen[0] and "Chủ đề sửa trong Excel" in seen[0]
    seen.clear()
    answer("Đồng ý", seen)
    qtbot.waitUntil(lambda: len(seen) >= 2, timeout=TIMEOUT)
    assert "Đã nhập 1 cuộc sinh hoạt" in seen[0]
    wait_idle(qtbot, main_window)
    db = open_database(demo_path)
    with db.reading() as s:
        topic = s.scalar(select(Meeting.topic).join(Organization, Organization.id == Meeting.org_id)
                         .where(Organization.code == code, Meeting.month == month,
                                Meeting.kind == MeetingKind.THUONG_KY))
    db.close()
    assert topic == "Chủ đề sửa trong Excel"


def test_the_administrator_edits_a_criteria_sheet(qtbot, main_window, demo_path: Path) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.meetings.criteria import load_sheets
    from khoi_desktop.gui.meetings.criteria_dialog import CriteriaDialog

    trigger(main_window.findChild(type(main_window.menuBar().actions()[0].menu()), "meetings_menu"),
            "Phiếu chấm điểm…")
    dialog = main_window.findChild(CriteriaDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: bool(dialog.sheets), timeout=TIMEOUT)
    assert dialog.table.rowCount() == 6
    dialog.bands[next(iter(dialog.bands))].setValue(95)  # Tốt from 95 points
    qtbot.mouseClick(dialog.findChild(QPushButton, "add_criterion"), Qt.MouseButton.LeftButton)
    row = dialog.table.rowCount() - 1
    dialog.table.item(row, 0).setText("tac_phong")
    dialog.table.item(row, 1).setText("Tác phong, kỷ luật")
    dialog.grab().save("/tmp/meeting_criteria.png")
    seen: list[str] = []
    answer("Đồng ý", seen)
    with qtbot.waitSignal(dialog.saved, timeout=TIMEOUT) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved.args == ["thuong_ky-2"]
    db = open_database(demo_path)
    with db.reading() as s:
        sheet = load_sheets(s)[MeetingKind.THUONG_KY]
    db.close()
    assert sheet.version == "thuong_ky-2" and sheet.total == 110 and sheet.bands[0].min_points == 95
    assert sheet.criteria[-1].name == "Tác phong, kỷ luật"


def test_a_meeting_finding_opens_its_chi_bo(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    finding = next(f for f in main_window.findings._findings if f.rule == "meeting_missing")
    trigger(main_window.finding_menu(finding), "Ghi sinh hoạt chi bộ…")
    dialog = main_window.findChild(MeetingDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.form is not None, timeout=TIMEOUT)
    assert dialog.form.org_code == finding.org
    wait_idle(qtbot, main_window)


def test_year_summary_names_are_readable_and_chart_labels_fit(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """At the dialog's own size the organizations' names show whole (they were squeezed to «Đảng bộ Văn …»), and
    each chart label fits its column: its longest word within the column, every line above the bottom edge."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QFontMetricsF, QPainter, QPixmap

    from khoi_desktop.gui.meetings import open_year
    from khoi_desktop.gui.percent_chart import LABEL_FLAGS

    dialog = open_year(main_window)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=TIMEOUT)
    qtbot.waitExposed(dialog)
    header = dialog.table.horizontalHeader()
    metrics = dialog.table.fontMetrics()
    name = dialog.table.item(0, 1).text()
    assert header.sectionSize(1) >= metrics.horizontalAdvance(name), name
    assert header.sectionSize(1) >= metrics.horizontalAdvance("Tổ chức cơ sở đảng")

    chart = dialog.chart
    chart.resize(560, chart.height())
    labels = [label for label, _, _ in chart.bars()]
    width = (chart.width() - 20) / len(labels)
    pixmap = QPixmap(chart.size())
    painter = QPainter(pixmap)
    font, room = chart._label_layout(painter, labels, width)
    fitted = QFontMetricsF(font)
    assert max(fitted.horizontalAdvance(word) for label in labels for word in label.split()) <= width
    painter.setFont(font)
    assert all(painter.boundingRect(QRectF(0, 0, width, 1000), LABEL_FLAGS, label).height() <= room
               for label in labels)
    painter.end()
    dialog.close()


def test_month_grid_scope_typed_without_accents(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """«Phạm vi» lists «Toàn Đảng bộ» and the 73 TCCSĐ: a clerk types part of a name without accents, Enter shows
    that organization's grid; a name that matches none changes nothing."""
    from khoi_desktop.gui.meetings import open_grid

    dialog = open_grid(main_window)
    with qtbot.waitSignal(dialog.loaded, timeout=TIMEOUT):
        pass
    qtbot.waitUntil(lambda: dialog.scope.count() > 1, timeout=TIMEOUT)
    wait_idle(qtbot, main_window)
    line = dialog.scope.lineEdit()
    line.selectAll()
    qtbot.keyClicks(line, "hoi nong dan")
    with qtbot.waitSignal(dialog.loaded, timeout=TIMEOUT):
        qtbot.keyClick(line, Qt.Key.Key_Return)
    assert dialog.scope.currentText().startswith("Chi bộ Hội Nông dân tỉnh"), dialog.scope.currentText()
    assert dialog.status is not None and dialog.status.org is not None
    assert dialog.status.org.name == "Chi bộ Hội Nông dân tỉnh"
    wait_idle(qtbot, main_window)
    dialog.close()
