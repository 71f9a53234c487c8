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
from khoi_desktop.gui.workflows.request_wizard import pydate

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
    assert birth.text() == "08/03/1996"
    qtbot.mouseClick(wizard.add_button, Qt.MouseButton.LeftButton)
    assert [p.birth_date for p in wizard.people] == [dt.date(1996, 3, 8)]
    assert birth.text() == "Chưa nhập", "the next person starts unset"
    type_vietnamese(wizard.person.family, "Trần")
    type_vietnamese(wizard.person.given, "Nhuận")
    click_into(qtbot, birth)
    qtbot.keyClicks(birth, "29/2/1996")  # a leap day, typed before its year: not cut to 28/02
    qtbot.keyClick(birth, Qt.Key.Key_Tab)
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
    snapshot = main_window.tree_model.snapshot
    node = next(n for n in snapshot.active_nodes() if n.kind.value == "chi_bo_truc_thuoc")
    wizard = TransferWizard(main_window, node)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.target.setCurrentIndex(0)
    qtbot.waitUntil(wizard.button(QWizard.WizardButton.NextButton).isEnabled, timeout=TIMEOUT)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
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
