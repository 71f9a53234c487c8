"""What a clerk sees at an office laptop's 1366×768: the date boxes, the main window's «Xem tại ngày», the
appointment dialog's header, the split wizard's name boxes. Typed and clicked as a clerk does."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QColor, QTextDocument
from PySide6.QtWidgets import QApplication, QPushButton
from test_main_window import wait_idle

from khoi_desktop.core.models import OrgKind

TIMEOUT = 20_000
SCREEN = QSize(1366, 768 - 40)  # less Windows' taskbar


@pytest.fixture
def laptop(monkeypatch):  # type: ignore[no-untyped-def]
    from khoi_desktop.gui import dialogs

    monkeypatch.setattr(dialogs, "screen_room", lambda _widget: SCREEN)


def type_into_as_of(qtbot, window, typed: str) -> None:  # type: ignore[no-untyped-def]
    window.resize(1366, 768 - 70)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    edit = window.as_of_edit
    qtbot.mouseClick(edit.lineEdit(), Qt.MouseButton.LeftButton, pos=QPoint(4, edit.lineEdit().height() // 2))
    qtbot.waitUntil(edit.hasFocus, timeout=5_000)
    qtbot.wait(20)
    qtbot.keyClicks(edit, typed)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    qtbot.wait(50)


def arrow_part(edit):  # type: ignore[no-untyped-def]
    """The drop-down (calendar) arrow's part of the box's picture, inside its frame."""
    image = edit.grab().toImage()
    return image.copy(image.width() - 22, 4, 18, image.height() - 8)


def test_a_date_box_framed_red_keeps_its_calendar_arrow(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """The red frame was a style sheet border: Qt then drew the whole box itself, and the drop-down arrow that
    opens the calendar was gone (on Windows) or drawn another way."""
    edit = main_window.as_of_edit
    main_window.resize(1366, 768 - 70)
    main_window.show()
    qtbot.waitExposed(main_window)
    before = arrow_part(edit)
    type_into_as_of(qtbot, main_window, "31/02/2026")
    assert edit.is_marked() and edit.text() == "31/02/2026"
    image = edit.grab().toImage()
    assert QColor(image.pixel(0, image.height() // 2)).name() == "#c62828", "the box is framed red"
    assert arrow_part(edit) == before, "the calendar arrow is drawn as in a box that is not red"
    assert edit.calendarPopup()


def test_a_wrong_as_of_date_is_said_and_nothing_is_changed_on_the_day_shown(  # type: ignore[no-untyped-def]
        qtbot, main_window) -> None:
    """«Xem tại ngày» left with «31/02/2026» only turned red: the tree kept today's figures with nothing saying so,
    and every change (Tách chi bộ…) was offered on that day as if it had been typed. Now the status bar says why
    and which day is shown, and no change is offered until the date is put right (or «Hôm nay»)."""
    window = main_window
    today = window.as_of
    changes = window.today_only_actions
    assert changes and all(a.isEnabled() for a in changes)
    type_into_as_of(qtbot, window, "31/02/2026")
    wait_idle(qtbot, window)
    notice = window.past_label
    assert notice.isVisible()
    assert "tháng 2 năm 2026 chỉ có 28 ngày" in notice.text() and today.strftime("%d/%m/%Y") in notice.text()
    assert "31/02/2026" in notice.shown_text(), notice.shown_text()
    assert "chưa đúng" in window.windowTitle()
    assert not any(a.isEnabled() for a in changes), "a change offered on a day the clerk did not mean"
    assert not window.viewing_today()

    today_button = next(b for b in window.findChildren(QPushButton) if b.text().replace("&", "") == "Hôm nay")
    qtbot.mouseClick(today_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert window.as_of_edit.text() == today.strftime("%d/%m/%Y") and not window.as_of_edit.is_marked()
    assert not notice.isVisible() and "chưa đúng" not in window.windowTitle()
    assert all(a.isEnabled() for a in changes)

    type_into_as_of(qtbot, window, "15/13/2025")
    assert "Không có tháng 13" in notice.text()
    edit = window.as_of_edit
    edit.lineEdit().selectAll()
    qtbot.keyClicks(edit, "01/02/2025")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    wait_idle(qtbot, window)
    assert window.as_of.isoformat() == "2025-02-01"
    assert notice.isVisible() and "chưa đúng" not in notice.text() and "01/02/2025" in notice.text()


def plain_lines(html: str) -> list[str]:
    document = QTextDocument()
    document.setHtml(html)
    return document.toPlainText().splitlines()


def open_appoint_dialog_from_the_committee_tab(qtbot, window):  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.appointments.appoint_dialog import AppointDialog

    node = next(n for n in sorted(window.tree_model.snapshot.active_nodes(), key=lambda n: n.code)
                if n.kind is OrgKind.CHI_BO_TRUC_THUOC and n.direct_full >= 9)
    window.select_org(node.id)
    window.bottom_tabs.setCurrentIndex(next(i for i in range(window.bottom_tabs.count())
                                            if window.bottom_tabs.tabText(i) == "Cấp ủy"))
    panel = window.bottom_tabs.currentWidget()
    qtbot.waitUntil(lambda: panel.view is not None and panel.org_id == node.id, timeout=TIMEOUT)
    qtbot.mouseClick(panel.appoint_button, Qt.MouseButton.LeftButton)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, AppointDialog) and w.isVisible())
    qtbot.waitUntil(lambda: dialog.loaded, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    return dialog


def test_the_appointment_dialog_header_does_not_wrap_at_1366(qtbot, main_window, laptop) -> None:  # type: ignore[no-untyped-def]
    """«…, một / Phó Bí thư»: the chi bộ's committee rule wrapped onto a second line mid-phrase."""
    dialog = open_appoint_dialog_from_the_committee_tab(qtbot, main_window)
    assert dialog.width() <= SCREEN.width()
    info = dialog.info
    lines = plain_lines(info.text())
    assert any("Phó Bí thư" in line for line in lines)
    room = info.contentsRect().width()
    too_long = [line for line in lines if info.fontMetrics().horizontalAdvance(line) > room]
    assert too_long == [], f"wraps at {room} px"
    dialog.close()


def test_the_split_wizard_name_boxes_show_their_whole_prompt(qtbot, main_window, laptop) -> None:  # type: ignore[no-untyped-def]
    from test_workflows_gui import start_split_from_findings

    _finding, wizard = start_split_from_findings(qtbot, main_window)
    qtbot.waitExposed(wizard)
    for panel in wizard.assignment.targets:
        edit = panel.name_edit
        assert edit.text() == "" and edit.placeholderText()
        room = edit.contentsRect().width() - 8  # the line's own margins
        assert edit.fontMetrics().horizontalAdvance(edit.placeholderText()) <= room, edit.placeholderText()
        assert "ví dụ" in edit.toolTip()
    wizard.reject()


def mnemonic(text: str) -> str | None:
    """The letter underlined in a menu title («&Tệp» -> t), None without one."""
    match = re.search(r"&([^&])", text.replace("&&", ""))
    return match.group(1).lower() if match else None


def test_alt_and_each_menus_underlined_letter_opens_that_menu(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """«&Tệp» and «&Trao đổi», «&Sắp xếp tổ chức» and «&Sao lưu» shared their letter: Alt+T opened «Tệp» only,
    and «Trao đổi», «Sao lưu» could not be opened from the keyboard; «Tài khoản» had two entries on K."""
    window = main_window
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    for action in window.menuBar().actions():
        letter = mnemonic(action.text())
        assert letter is not None, action.text()
        qtbot.keyClick(window, letter, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=5_000)
        popup = QApplication.activePopupWidget()
        assert popup is action.menu(), f"Alt+{letter.upper()} opened «{popup.title()}», not «{action.text()}»"
        qtbot.keyClick(popup, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None, timeout=5_000)
        items = [mnemonic(a.text()) for a in action.menu().actions() if not a.isSeparator()]
        letters = [x for x in items if x]
        assert len(letters) == len(set(letters)), f"{action.text()}: two entries on one letter {items}"


def test_escape_asks_before_throwing_away_what_was_typed(qtbot, main_window, answer_box) -> None:  # type: ignore[no-untyped-def]
    """A stray Esc closed the appointment dialog and the meeting record with what was typed in them, without a
    word (the restructuring wizards already asked). Untouched, Esc still closes at once."""
    from khoi_desktop.gui.meetings.meeting_dialog import MeetingDialog

    window = main_window
    dialog = open_appoint_dialog_from_the_committee_tab(qtbot, window)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    qtbot.keyClick(dialog.override, Qt.Key.Key_Escape)  # nothing typed yet
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)

    dialog = open_appoint_dialog_from_the_committee_tab(qtbot, window)
    qtbot.keyClicks(dialog.override, "Can bo chu chot")
    answered = answer_box("Tiếp tục nhập")
    qtbot.keyClick(dialog.override, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: bool(answered), timeout=5_000)
    assert answered[0].startswith("Đóng mà không lưu?")
    assert dialog.isVisible() and dialog.override.text() == "Can bo chu chot"
    answered = answer_box("Đóng, bỏ nội dung đã nhập")
    qtbot.keyClick(dialog.override, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: bool(answered), timeout=5_000)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)

    chi_bo = next(n for n in sorted(window.tree_model.snapshot.active_nodes(), key=lambda n: n.code)
                  if n.kind is OrgKind.CHI_BO_TRUC_THUOC and n.direct_members >= 9)
    window.select_org(chi_bo.id)
    menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Sinh hoạt chi bộ")
    next(a for a in menu.actions() if a.text() == "Ghi sinh hoạt của chi bộ đang chọn…").trigger()
    meeting = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MeetingDialog) and w.isVisible())
    wait_idle(qtbot, window)
    meeting.activateWindow()
    qtbot.waitUntil(meeting.isActiveWindow, timeout=5_000)
    meeting.summary.setFocus()
    qtbot.keyClicks(meeting.summary, "Hop chi bo thang")
    answered = answer_box("Tiếp tục nhập")
    qtbot.keyClick(meeting.summary, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: bool(answered), timeout=5_000)
    assert meeting.isVisible() and "Hop chi bo thang" in meeting.summary.toPlainText()
    meeting.escape_guard.forget()
    meeting.close()


def test_a_member_search_that_finds_nobody_says_so(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """The founding wizard's «Kết quả tìm» stayed an empty list for a name that matches nobody: the clerk could
    not tell «nobody» from «still searching»."""
    from khoi_desktop.gui.workflows.form_wizards import FoundWizard
    from khoi_desktop.gui.workflows.member_picker import MemberPicker

    window = main_window
    snapshot = window.tree_model.snapshot
    node = next(snapshot.nodes[i] for i in snapshot.roots if snapshot.nodes[i].kind is OrgKind.DANG_BO_CO_SO)
    window.select_org(node.id)
    wizard = FoundWizard(window, node)
    qtbot.addWidget(wizard)
    wizard.show()
    picker = wizard.findChild(MemberPicker)
    with qtbot.waitSignal(picker.results_shown, timeout=TIMEOUT):
        qtbot.keyClicks(picker.search, "zzqx")
    assert picker.results.count() == 0
    assert "không có đảng viên nào" in picker.results_label.text() and "«zzqx»" in picker.results_label.text()
    picker.search.selectAll()
    with qtbot.waitSignal(picker.results_shown, timeout=TIMEOUT):
        qtbot.keyClicks(picker.search, "nguyen van")
    assert picker.results_label.text() == f"Kết quả tìm: {picker.results.count()} đảng viên"
    assert picker.results.count() > 1
    items = [picker.results.item(i) for i in range(picker.results.count())]
    assert all(item.toolTip() == item.text() for item in items), "namesakes told apart by the whole entry"
    wizard.reject()


def test_the_decisions_list_says_why_it_is_empty(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+D on an office with no decision showed an empty table and nothing else."""
    from khoi_desktop.gui.workflows.decisions_dialog import DecisionsDialog

    window = main_window
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any(isinstance(w, DecisionsDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=5_000)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, DecisionsDialog) and w.isVisible())
    wait_idle(qtbot, window)
    assert dialog.table.rowCount() == 0
    assert dialog.count_label.text().startswith("Chưa có quyết định nào.")
    dialog.close()


def test_tab_goes_through_the_appointment_dialog_in_the_order_shown(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """Tab from «Lý do vượt số lượng» jumped to the member search, past «Ngày hiệu lực» and «Người ký» (made first
    by the dialogs' common part, they came first in Qt's order, with the text and «Đóng»)."""
    dialog = open_appoint_dialog_from_the_committee_tab(qtbot, main_window)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    dialog.mode.setFocus()
    qtbot.waitUntil(dialog.mode.hasFocus, timeout=5_000)
    seen = [dialog.mode]
    for _ in range(12):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        seen.append(widget.parentWidget() if widget is dialog.effective.lineEdit() else widget)
    wanted = [dialog.mode, dialog.term, dialog.submission, dialog.override, dialog.effective, dialog.signer,
              dialog.picker.search, dialog.picker.results, dialog.picker.pick_button, dialog.chosen]
    shown = [w for w in wanted if w.isVisibleTo(dialog) and w.isEnabled()]
    assert seen[:len(shown)] == shown, [w.objectName() or type(w).__name__ for w in seen]
    dialog.close()
