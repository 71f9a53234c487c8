"""Dates typed as a clerk types them, into the real date boxes: "08/03/1996", "1/2/2026", "01-02-2025", after
a click into the box or a Tab; a box showing a prompt («Chưa nhập», «Ngày ban hành») takes typed digits too."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWizard
from test_main_window import type_vietnamese, wait_idle
from test_members_gui import open_from_menu, open_members_of_a_chi_bo

from khoi_desktop.gui.members.admit_wizards import AdmitWizard
from khoi_desktop.gui.workflows.form_wizards import TransferWizard
from khoi_desktop.gui.workflows.request_wizard import CHECKING, pydate

TIMEOUT = 20_000


def click_into(qtbot, edit) -> None:  # type: ignore[no-untyped-def]
    """Click near the left end of the box (its day), as a clerk does before typing."""
    window = edit.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    qtbot.mouseClick(edit.lineEdit(), Qt.MouseButton.LeftButton, pos=QPoint(4, edit.lineEdit().height() // 2))
    qtbot.waitUntil(edit.hasFocus, timeout=5_000)
    qtbot.wait(20)  # the click's part is selected once the click has placed the cursor


def test_birth_date_typed_into_the_admission_form(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    open_members_of_a_chi_bo(qtbot, main_window)
    wizard = open_from_menu(main_window, "Kết nạp đảng viên…", AdmitWizard)
    birth = wizard.person.birth
    assert birth.text() == "Chưa nhập"
    type_vietnamese(wizard.person.family, "Lê")
    type_vietnamese(wizard.person.given, "Hoà")
    click_into(qtbot, birth)
    qtbot.keyClicks(birth, "08/03/1996")
    qtbot.keyClick(birth, Qt.Key.Key_Tab)
    wizard.person.sex.setCurrentIndex(0)  # chosen by the clerk (no default)
    assert birth.text() == "08/03/1996"
    qtbot.mouseClick(wizard.add_button, Qt.MouseButton.LeftButton)
    assert [p.birth_date for p in wizard.people] == [dt.date(1996, 3, 8)]
    assert birth.text() == "Chưa nhập", "the next person starts unset"
    type_vietnamese(wizard.person.family, "Trần")
    type_vietnamese(wizard.person.given, "Nhuận")
    click_into(qtbot, birth)
    qtbot.keyClicks(birth, "29/2/1996")  # a leap day, typed before its year: not cut to 28/02
    qtbot.keyClick(birth, Qt.Key.Key_Tab)
    wizard.person.sex.setCurrentIndex(0)  # chosen by the clerk (no default)
    qtbot.mouseClick(wizard.add_button, Qt.MouseButton.LeftButton)
    assert [p.birth_date for p in wizard.people] == [dt.date(1996, 3, 8), dt.date(1996, 2, 29)]
    wizard.reject()


@pytest.mark.parametrize("typed", ["01/02/2025", "1/2/2025", "01-02-2025", "01022025"])
def test_the_as_of_date_reads_what_was_typed(qtbot, main_window, typed: str) -> None:  # type: ignore[no-untyped-def]
    main_window.show()
    qtbot.waitExposed(main_window)
    edit = main_window.as_of_edit
    click_into(qtbot, edit)
    qtbot.keyClicks(edit, typed)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert pydate(edit.date()) == dt.date(2025, 2, 1), edit.text()
    wait_idle(qtbot, main_window)


def test_effective_date_typed_over_the_issue_day_prompt(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    wizard = decision_page_of_a_transfer(qtbot, main_window)
    effective = wizard.decision_page.effective
    assert effective.text() == "Ngày ban hành"
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow, timeout=5_000)
    effective.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(effective, Qt.Key.Key_Tab)  # keyboard only: Tab leaves the prompt for «Căn cứ đề nghị»
    assert wizard.decision_page.basis.hasFocus(), "Tab stayed in «Ngày ban hành»"
    click_into(qtbot, effective)
    qtbot.keyClicks(effective, "1/2/2026")
    qtbot.keyClick(effective, Qt.Key.Key_Tab)
    assert effective.text() == "01/02/2026"
    assert wizard.request().effective == dt.date(2026, 2, 1)
    effective.setFocus()
    effective.selectAll()
    qtbot.keyClick(effective, Qt.Key.Key_Delete)  # back to "on the day it is issued"
    assert effective.text() == "Ngày ban hành" and wizard.request().effective is None
    wizard.reject()


def decision_page_of_a_transfer(qtbot, main_window):  # type: ignore[no-untyped-def]
    snapshot = main_window.tree_model.snapshot
    node = next(n for n in snapshot.active_nodes() if n.kind.value == "chi_bo_truc_thuoc")
    wizard = TransferWizard(main_window, node)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.target.setCurrentIndex(0)
    qtbot.waitUntil(wizard.button(QWizard.WizardButton.NextButton).isEnabled, timeout=TIMEOUT)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.decision_page, timeout=TIMEOUT)
    return wizard


def decisions(main_window) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from khoi_desktop.core.models import Decision

    with main_window.worker.db.reading() as session:
        return session.scalar(select(func.count()).select_from(Decision)) or 0


@pytest.mark.parametrize(("typed", "said"), [("31/02/2026", "tháng 2 năm 2026 chỉ có 28 ngày"),
                                             ("15/13/2026", "Không có tháng 13")])
def test_a_date_that_does_not_exist_stays_as_typed_and_is_refused(  # type: ignore[no-untyped-def]
        qtbot, main_window, typed: str, said: str) -> None:
    """«31/02/2026» read 28/02/2026 and «15/13/2026» 15/01/2026, silently, into a decision. Now the box keeps what
    was typed, framed red, one Tab still leaves it, and the page says it instead of «Yêu cầu hợp lệ.», its buttons
    disabled."""
    wizard = decision_page_of_a_transfer(qtbot, main_window)
    effective, draft = wizard.decision_page.effective, wizard.button(QWizard.WizardButton.CustomButton1)
    qtbot.waitUntil(draft.isEnabled, timeout=TIMEOUT)
    before = decisions(main_window)
    click_into(qtbot, effective)
    qtbot.keyClicks(effective, typed)
    qtbot.keyClick(effective, Qt.Key.Key_Tab)
    assert wizard.decision_page.basis.hasFocus(), "one Tab leaves the date box"
    assert effective.text() == typed, "the date typed was changed into another one"
    assert effective.is_marked() and said in effective.toolTip()
    main_window.show()
    main_window.activateWindow()  # the clerk looks at the main window: Qt put the last date back then
    qtbot.waitUntil(lambda: not wizard.isActiveWindow(), timeout=5_000)
    assert effective.text() == typed
    wizard.activateWindow()
    # The page says it where «Yêu cầu hợp lệ.» stood (the preview showed the box's last real date), and neither
    # «Lưu dự thảo» nor «Ban hành» can be clicked.
    status = wizard.decision_page.status
    qtbot.waitUntil(lambda: "«Ngày hiệu lực»" in status.text(), timeout=TIMEOUT)
    wait_idle(qtbot, main_window)
    assert said in status.text() and "hợp lệ" not in status.text(), status.text()
    assert not draft.isEnabled() and not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    qtbot.mouseClick(draft, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, main_window)
    assert decisions(main_window) == before, "a draft was saved with a date that does not exist"
    assert effective.text() == typed

    effective.lineEdit().selectAll()
    qtbot.keyClicks(effective, "28/2/2026")
    qtbot.keyClick(effective, Qt.Key.Key_Tab)
    assert effective.text() == "28/02/2026" and not effective.is_marked()
    assert wizard.request().effective == dt.date(2026, 2, 28)
    qtbot.waitUntil(lambda: "«Ngày hiệu lực»" not in status.text() and CHECKING not in status.text(), timeout=TIMEOUT)
    assert "Yêu cầu hợp lệ" in status.text() or "Chưa thể lập" in status.text(), status.text()
    wizard.reject()


def test_one_tab_leaves_a_date_box_that_shows_a_date(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """A plain date box took three Tabs to leave (day, month, year): a clerk who only passes by, or has typed the
    whole date, goes on with one; the date is kept."""
    wizard = decision_page_of_a_transfer(qtbot, main_window)
    effective = wizard.decision_page.effective
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow, timeout=5_000)
    click_into(qtbot, effective)
    qtbot.keyClicks(effective, "05032026")
    wizard.decision_page.basis.setFocus()
    effective.setFocus(Qt.FocusReason.TabFocusReason)  # as from the field before it
    qtbot.keyClick(effective, Qt.Key.Key_Tab)
    assert wizard.decision_page.basis.hasFocus(), "Tab stayed in the date box"
    assert effective.text() == "05/03/2026" and wizard.request().effective == dt.date(2026, 3, 5)
    wizard.reject()


def test_up_steps_the_month_of_the_meeting_grid_month_box(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """«Đến tháng» (MM/yyyy): Tab into it, Up shows the next month, Down the one before, as the box's arrows do
    (once the box took typing as a plain line, Up stepped the year)."""
    from khoi_desktop.gui import meetings

    dialog = meetings.open_grid(main_window)
    month = dialog.month
    start = month.date()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    month.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.wait(20)  # the box selects its text once focused
    qtbot.keyClick(month, Qt.Key.Key_Up)
    assert month.date() == start.addMonths(1), month.text()
    qtbot.keyClick(month, Qt.Key.Key_Down)
    qtbot.keyClick(month, Qt.Key.Key_Down)
    assert month.date() == start.addMonths(-1), month.text()
    wait_idle(qtbot, main_window)
    dialog.close()


def test_a_dialog_button_is_refused_while_a_date_box_holds_no_date(qtbot, answer_box) -> None:  # type: ignore[no-untyped-def]
    """A dialog that does not check itself (a plain form): its OK is refused by a click, the message naming the
    field; the dialog's own slot never runs with the box's old date."""
    from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QFormLayout

    from khoi_desktop.gui.date_edits import DateEdit
    from khoi_desktop.gui.translator import install_translator
    from khoi_desktop.gui.workflows.request_wizard import qdate

    install_translator(QApplication.instance())  # as the app does: the message's button reads «Đồng ý»
    dialog = QDialog()
    qtbot.addWidget(dialog)
    birth = DateEdit(qdate(dt.date(1990, 1, 1)), dialog)
    birth.setDisplayFormat("dd/MM/yyyy")
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    form = QFormLayout(dialog)
    form.addRow("Ngày sinh:", birth)
    form.addRow(buttons)
    saved: list[dt.date] = []
    buttons.accepted.connect(lambda: saved.append(pydate(birth.date())))
    dialog.show()
    click_into(qtbot, birth)
    qtbot.keyClicks(birth, "30/02/1990")
    answered = answer_box("Đồng ý")
    qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(answered), timeout=5_000)
    assert answered[0].startswith("«Ngày sinh»:") and birth.text() == "30/02/1990", answered
    assert saved == [] and birth.is_marked()
    birth.lineEdit().selectAll()
    qtbot.keyClicks(birth, "28/02/1990")
    assert not birth.is_marked()
    qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert saved == [dt.date(1990, 2, 28)]
