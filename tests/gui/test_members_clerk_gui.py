"""Issue 17's done-when, walked through the real widgets: a clerk admits three people in one decision,
recognizes last year's admissions due this month in one step, issues a giấy giới thiệu for a member leaving for
another province and records the slip's return, and Biểu 1 for the year shows exactly those movements.

One test for the whole walk (four decisions, a letter, a slip, Biểu 1: some seconds): its steps depend on each
other, as a clerk's day does; a small office of its own keeps Biểu 1 exact."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWizard
from sqlalchemy import select
from test_main_window import type_vietnamese, wait_idle
from test_workflows_gui import close_result_boxes

from factories import add_members, add_org
from khoi_desktop.core.auth.current import CurrentUser, Role
from khoi_desktop.core.dates import add_months
from khoi_desktop.core.db import open_database
from khoi_desktop.core.member_events.models import MemberEvent
from khoi_desktop.core.models import Decision, Member, Term
from khoi_desktop.core.settings import OfficeSettings, save_settings

TODAY = dt.date.today()
LAST_YEAR = add_months(TODAY.replace(day=1), -12)  # admitted then: their 12 months end this month, by today
PROVINCE = "Đảng bộ tỉnh Bắc Ninh"


@pytest.fixture
def clerk_window(qtbot, qapp, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A quiet office: Chi bộ Văn phòng (CB0001, chi bộ cơ sở) with 10 full members and 2 admitted last year."""
    from khoi_desktop.gui.app import make_application
    from khoi_desktop.gui.main_window import MainWindow
    from khoi_desktop.gui.worker import DbWorker

    db = open_database(tmp_path / "office.db", create=True)
    with db.writing() as s:
        save_settings(s, OfficeSettings(configured=True))
        s.add(Term(name="2025-2030", starts_on=dt.date(2025, 10, 1), ends_on=dt.date(2030, 9, 30)))
        chi_bo = add_org(s, "CB0001", "Chi bộ Văn phòng Sở Tài chính", "chi_bo_co_so")
        add_members(s, chi_bo, 12, probationary=2)
        for member in s.scalars(select(Member).where(Member.code.in_(["CB0001-011", "CB0001-012"]))):
            member.admitted_on = LAST_YEAR
    make_application()
    db.user = CurrentUser("admin", "Quản trị", Role.QUAN_TRI)
    window = MainWindow(DbWorker(db))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.tree_model.snapshot is not None, timeout=20_000)
    wait_idle(qtbot, window)
    yield window
    window.close()


def _menu_entry(window, label: str, kind):  # type: ignore[no-untyped-def]
    menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Đảng viên")
    next(a for a in menu.actions() if a.text() == label).trigger()
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible())


def _issue(qtbot, window, wizard, answer_box) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: wizard.button(QWizard.WizardButton.NextButton).isEnabled(), timeout=20_000)
    with qtbot.waitSignal(wizard.checked, timeout=20_000) as checked:  # the decision page checks on entering
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert checked.args == [True], wizard.last_check.problems
    answered = answer_box("Ban hành")
    with qtbot.waitSignal(window.overview_loaded, timeout=20_000):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert answered
    wait_idle(qtbot, window)
    close_result_boxes()


def _answer_slip(qtbot, returned_on: dt.date) -> list[str]:  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.members.letters_dialog import SlipDialog
    from khoi_desktop.gui.workflows.request_wizard import qdate

    seen: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SlipDialog):
            QTimer.singleShot(20, answer)
            return
        dialog.returned_on.setDate(qdate(returned_on))
        dialog.grab().save("/tmp/members_slip_dialog.png")
        seen.append(dialog.windowTitle())
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    return seen


def test_the_clerk_scenario_of_issue_17(qtbot, clerk_window, answer_box, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.documents.preview_dialog import PreviewDialog
    from khoi_desktop.gui.members import member_menu
    from khoi_desktop.gui.members.admit_wizards import AdmitWizard
    from khoi_desktop.gui.members.letters_dialog import LettersDialog
    from khoi_desktop.gui.members.lists_dialog import ProbationDialog
    from khoi_desktop.gui.members.wizards import ConfirmFullWizard, TransferMemberWizard
    from khoi_desktop.gui.spreadsheets.statistics_view import StatisticsDialog
    from khoi_desktop.gui.workflows.request_wizard import qdate

    window = clerk_window
    node = window.tree_model.snapshot.by_code("CB0001")
    window.select_org(node.id)
    qtbot.waitUntil(lambda: len(window.member_model.rows()) == 12, timeout=20_000)

    # 1. Three people admitted in one decision.
    wizard = _menu_entry(window, "Kết nạp đảng viên…", AdmitWizard)
    assert wizard.org.code() == "CB0001"
    for family, middle, given, born in (("Lê", "Thị", "Hoà", "1996-03-08"), ("Nguyễn", "Đức", "Anh", "1990-12-31"),
                                        ("Đặng", "Thu", "Hương", "2001-07-15")):
        type_vietnamese(wizard.person.family, family)
        type_vietnamese(wizard.person.middle, middle)
        type_vietnamese(wizard.person.given, given)
        wizard.person.birth.setDate(qdate(dt.date.fromisoformat(born)))
        wizard.person.sex.setCurrentIndex(0)  # chosen by the clerk (no default)
        qtbot.mouseClick(wizard.add_button, Qt.MouseButton.LeftButton)
    type_vietnamese(wizard.introducers, "CB0001-001")
    wizard.admitted_on.setDate(qdate(dt.date.today()))  # chosen by the clerk (no default)
    _issue(qtbot, window, wizard, answer_box)

    # 2. Last year's admissions due this month, recognized in one step from the probation list.
    probation = _menu_entry(window, "Đảng viên dự bị đến hạn xét chính thức…", ProbationDialog)
    qtbot.waitUntil(lambda: probation.table.rowCount() == 2, timeout=20_000)
    assert {m.code for m in probation.rows} == {"CB0001-011", "CB0001-012"}, "the three just admitted are not due"
    assert "2 người đã đủ 12 tháng" in probation.summary.text()
    qtbot.mouseClick(probation.recognize, Qt.MouseButton.LeftButton)
    recognition = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ConfirmFullWizard) and w.isVisible())
    _issue(qtbot, window, recognition, answer_box)
    probation.close()

    # 3. A member leaves for another province: the transfer, then its giấy giới thiệu and the slip's return.
    window.select_org(node.id)
    qtbot.waitUntil(lambda: len(window.member_model.rows()) == 15, timeout=20_000)
    leaving = next(r for r in window.member_model.rows() if r.code == "CB0001-005")
    next(a for a in member_menu(window, leaving).actions() if a.text() == "Chuyển sinh hoạt đảng…").trigger()
    transfer = next(w for w in QApplication.topLevelWidgets() if isinstance(w, TransferMemberWizard)
                    and w.isVisible())
    type_vietnamese(transfer.to_body, PROVINCE)
    _issue(qtbot, window, transfer, answer_box)
    letters = next(w for w in QApplication.topLevelWidgets() if isinstance(w, LettersDialog) and w.isVisible())
    qtbot.waitUntil(lambda: letters.table.rowCount() == 1 and letters.chosen() is not None, timeout=20_000)
    assert letters.chosen().member_code == "CB0001-005" and letters.chosen().letter_code is None
    assert letters.issue_button.isEnabled() and not letters.slip_button.isEnabled()
    letters.grab().save("/tmp/members_letters_before.png")
    answered = answer_box("Cấp giấy")
    with qtbot.waitSignal(letters.letter_issued, timeout=20_000) as issued:
        qtbot.mouseClick(letters.issue_button, Qt.MouseButton.LeftButton)
    assert PROVINCE in answered[-1]
    qtbot.waitUntil(lambda: any(isinstance(w, PreviewDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=20_000)
    preview = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PreviewDialog) and w.isVisible())
    assert preview.windowTitle().startswith("Giấy giới thiệu sinh hoạt đảng số 01-GTSH/"), "no «Quyết định»"
    preview.grab().save("/tmp/members_letter_preview.png")
    preview.close()
    qtbot.waitUntil(lambda: letters.chosen() is not None and letters.chosen().letter_code is not None,
                    timeout=20_000)
    code = letters.chosen().letter_code
    assert code.startswith("01-GTSH/") and letters.table.item(0, 5).text() == code
    assert letters.table.item(0, 6).text() == "Chờ phiếu báo"
    assert "Đã cấp giấy giới thiệu sinh hoạt đảng số" in letters.result_label.text()
    letters.grab().save("/tmp/members_letters_issued.png")
    letters.close()
    # Weeks later the slip comes back: the clerk finds the member (no longer in the chi bộ) by the search and
    # opens their letter from the member's menu.
    type_vietnamese(window.search_edit, "CB0001-005")
    wait_idle(qtbot, window)
    found = next(r for r in window.member_model.rows() if r.code == "CB0001-005")
    assert found.org_code is None, "transferred out: no chi bộ here any more"
    entry = "Giấy giới thiệu sinh hoạt đảng, phiếu báo…"
    next(a for a in member_menu(window, found).actions() if a.text() == entry).trigger()
    letters = next(w for w in QApplication.topLevelWidgets() if isinstance(w, LettersDialog) and w.isVisible())
    qtbot.waitUntil(lambda: letters.chosen() is not None, timeout=20_000)
    assert letters.chosen().member_code == "CB0001-005" and letters.slip_button.isEnabled()
    seen = _answer_slip(qtbot, TODAY)
    with qtbot.waitSignal(letters.slip_recorded, timeout=20_000):
        qtbot.mouseClick(letters.slip_button, Qt.MouseButton.LeftButton)
    assert seen
    qtbot.waitUntil(lambda: letters.table.rowCount() == 0, timeout=20_000)
    assert f"số {code}" in letters.result_label.text()
    letters.grab().save("/tmp/members_letters_after.png")
    letters.close()
    # The member's Diễn biến tells the whole move: the transfer, the letter, the slip.
    wait_idle(qtbot, window)
    window.search_edit.clear()
    type_vietnamese(window.search_edit, "CB0001-005")
    wait_idle(qtbot, window)
    row = next(i for i, r in enumerate(window.member_model.rows()) if r.code == "CB0001-005")
    table = window.member_table
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(window.member_model.index(row, 1)).center())
    qtbot.waitUntil(lambda: "Nhận phiếu báo" in window.details.toPlainText(), timeout=20_000)
    timeline = window.details.toPlainText()
    assert f"Chuyển sinh hoạt đảng chính thức đến {PROVINCE}" in timeline
    assert f"Giấy giới thiệu sinh hoạt đảng số {code}" in timeline
    window.search_edit.clear()

    # 4. Biểu 1 of the year: exactly these movements.
    qtbot.waitUntil(lambda: window.worker.pending == 0, timeout=20_000)
    menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Bảng tính")
    stats_action = next(a for a in menu.actions() if a.text().replace("&", "") == "Thống kê…")
    stats_action.trigger()
    stats = next(w for w in QApplication.topLevelWidgets() if isinstance(w, StatisticsDialog) and w.isVisible())
    qtbot.waitUntil(lambda: stats.data is not None, timeout=20_000)
    assert (stats.data.start, stats.data.end) == (dt.date(TODAY.year, 1, 1), TODAY)
    total = stats.data.bieu1.total
    assert (total.opening, total.closing, total.made_full) == (12, 14, 2)
    assert {k: v for k, v in total.increases.items() if v} == {"ket_nap": 3}
    assert {k: v for k, v in total.decreases.items() if v} == {"chuyen_di": 1}
    assert (total.opening_probationary, total.closing_probationary) == (2, 3)
    table = stats.bieu1_table
    last = table.rowCount() - 1
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    shown = dict(zip(headers, (table.item(last, c).text() for c in range(table.columnCount())), strict=True))
    assert (shown["Đầu kỳ"], shown["Tăng:\nkết nạp"], shown["Giảm:\nchuyển đi"], shown["Công nhận\nchính thức"],
            shown["Cuối kỳ"]) == ("12", "3", "1", "2", "14")
    stats.grab().save("/tmp/members_bieu1_year.png")
    stats.close()

    # The records behind them: three decisions of this office in one sequence, the letter, the slip.
    db = open_database(tmp_path / "office.db")
    with db.reading() as s:
        numbers = [d.code for d in s.scalars(select(Decision).where(Decision.code.is_not(None))
                                             .order_by(Decision.id))]
        assert numbers[:3] == [f"{n:02d}-QĐ/ĐUK" for n in (1, 2, 3)] and numbers[3] == code
        event = s.scalars(select(MemberEvent).where(MemberEvent.kind == "chuyen_di")).one()
        assert (event.body, event.letter_code, event.slip_returned_on) == (PROVINCE, code, TODAY)
        letter = s.scalars(select(Decision).where(Decision.code == code)).one()
        assert letter.pdf and issued.args == [letter.id]
    db.close()


def test_the_probation_and_the_admission_target_are_edited_in_the_settings(qtbot, clerk_window) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.members.lists_dialog import ProbationDialog
    from khoi_desktop.gui.members.target_dialog import AdmissionTargetDialog
    from khoi_desktop.gui.members.thresholds_dialog import ThresholdsDialog

    window = clerk_window
    dialog = _menu_entry(window, "Ngưỡng theo quy định và chỉ tiêu…", ThresholdsDialog)
    assert (dialog.edits["probation_months"].value(), dialog.edits["admission_target_percent"].value()) == (12, 3.0)
    dialog.edits["probation_months"].setValue(18)
    dialog.edits["admission_target_percent"].setValue(5.0)
    dialog.grab().save("/tmp/members_thresholds.png")
    with qtbot.waitSignal(dialog.saved, timeout=20_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.settings.thresholds.probation_months == 18, timeout=20_000)
    wait_idle(qtbot, window)
    # Admitted last year: with 18 months of probation they are due next half-year, not this month.
    probation = _menu_entry(window, "Đảng viên dự bị đến hạn xét chính thức…", ProbationDialog)
    wait_idle(qtbot, window)
    assert probation.table.rowCount() == 0 and not probation.recognize.isEnabled()
    probation.due_by.setDate(probation.due_by.date().addMonths(7))
    qtbot.waitUntil(lambda: probation.table.rowCount() == 2, timeout=20_000)
    assert {m.due_on for m in probation.rows} == {add_months(LAST_YEAR, 18)}
    probation.close()
    target = _menu_entry(window, "Kết nạp đảng viên so với chỉ tiêu…", AdmissionTargetDialog)
    qtbot.waitUntil(lambda: target.found is not None, timeout=20_000)
    assert target.found.percent == 5.0
    target.close()
    db = open_database(Path(window.worker.db.path))
    with db.reading() as s:
        from khoi_desktop.core.settings import load_settings

        saved = load_settings(s).thresholds
    db.close()
    assert (saved.probation_months, saved.admission_target_percent) == (18, 5.0)


def test_the_letter_is_signed_by_the_transfer_signer_or_the_one_chosen_in_the_dialog(  # type: ignore[no-untyped-def]
        qtbot, clerk_window, answer_box, tmp_path: Path) -> None:
    """«Người ký» of the letters dialog: the Phó Bí thư who signed the transfer decision is offered (and signs,
    K/T BÍ THƯ); the clerk may pick the Bí thư instead with the keyboard, and the letter is signed by them."""
    import io

    from pypdf import PdfReader

    from khoi_desktop.core.apply import apply_request
    from khoi_desktop.core.request_json import parse_request
    from khoi_desktop.documents.pdf import render_pdf
    from khoi_desktop.gui.members import open_letters

    window = clerk_window
    db = open_database(tmp_path / "office.db")
    for code in ("CB0001-004", "CB0001-005"):
        request = {"action": "transfer_member", "member": code, "on": TODAY.isoformat(), "to_body": PROVINCE,
                   "signer": "Trần Thị Lan", "consent_reason": "Cấp ủy cấp trên đồng ý"}
        with db.writing() as s:
            apply_request(s, parse_request(request), actor="test", issue=True, today=TODAY, render=render_pdf)

    def signed(member: str) -> tuple[str, str]:
        with db.reading() as s:
            letter_code = s.scalar(select(MemberEvent.letter_code).join(Member, Member.id == MemberEvent.member_id)
                                   .where(Member.code == member, MemberEvent.letter_code.is_not(None)))
            letter = s.scalars(select(Decision).where(Decision.code == letter_code)).one()
            text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(letter.pdf or b"")).pages)
            return letter.signer or "", text

    letters = open_letters(window, "CB0001-004")
    qtbot.waitUntil(lambda: letters.table.rowCount() == 2 and letters.chosen() is not None, timeout=20_000)
    assert letters.chosen().member_code == "CB0001-004"
    assert letters.signer.currentData() == "Trần Thị Lan", "the transfer decision's signer is offered"
    answered = answer_box("Cấp giấy")
    with qtbot.waitSignal(letters.letter_issued, timeout=20_000):
        qtbot.mouseClick(letters.issue_button, Qt.MouseButton.LeftButton)
    assert "Người ký: Trần Thị Lan" in answered[-1]
    close_previews()
    signer, text = signed("CB0001-004")
    assert signer == "Trần Thị Lan" and "K/T BÍ THƯ" in text and "Nguyễn Văn Hùng" not in text

    qtbot.waitUntil(lambda: letters.chosen() is not None and letters.chosen().letter_code is not None,
                    timeout=20_000)
    letters.table.selectRow(1)
    assert letters.chosen().member_code == "CB0001-005" and letters.signer.isEnabled()
    assert letters.signer.currentData() == "Trần Thị Lan"
    letters.signer.setFocus()
    qtbot.keyClick(letters.signer, Qt.Key.Key_Up)  # the clerk picks the Bí thư, the first configured signer
    assert letters.signer.currentData() == "Nguyễn Văn Hùng"
    answer_box("Cấp giấy")
    with qtbot.waitSignal(letters.letter_issued, timeout=20_000):
        qtbot.mouseClick(letters.issue_button, Qt.MouseButton.LeftButton)
    close_previews()
    signer, text = signed("CB0001-005")
    assert signer == "Nguyễn Văn Hùng" and "Nguyễn Văn Hùng" in text and "Trần Thị Lan" not in text
    wait_idle(qtbot, window)
    letters.close()
    db.close()


def close_previews() -> None:
    from khoi_desktop.gui.documents.preview_dialog import PreviewDialog

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, PreviewDialog) and widget.isVisible():
            widget.close()
