"""A clerk's day at an office laptop's 1366×768 (session 12's walk): what they saw, clicked and typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_appointments_gui import chi_bo, pick, wait_checked  # noqa: F401  (chi_bo is a fixture)

from khoi_desktop.core.models import OrgKind, SeatRole

TIMEOUT = 20_000


def _election_with_three_picked(qtbot, window):  # type: ignore[no-untyped-def]
    """«Chỉ định, chuẩn y cấp ủy» for the election of the first chi bộ trực thuộc with nine full members (its đảng ủy
    decides), three of them picked with the real button, the signed decision's box ticked."""
    from khoi_desktop.gui import appointments

    node = next(n for n in sorted(window.tree_model.snapshot.active_nodes(), key=lambda n: n.code)
                if n.kind is OrgKind.CHI_BO_TRUC_THUOC and n.direct_full >= 9)
    dialog = appointments.open_appoint_dialog(window, node.id, election=True)
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.picker.searching, timeout=TIMEOUT)
    dialog.term.setText("2027-2030")
    for row in range(3):
        dialog.picker.results.setCurrentRow(row)
        qtbot.mouseClick(dialog.picker.pick_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.issuer is not None, timeout=TIMEOUT)
    dialog.recorded.setChecked(True)  # «Ghi nhận quyết định đã ký»: its box opens below the text
    return node, dialog


def test_the_appointment_mode_is_chosen_not_assumed(qtbot, main_window, chi_bo) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """«Hình thức» opened on «Chuẩn y (bổ sung)»: a clerk who meant a chỉ định and never looked at the box issued a
    chuẩn y. Now nothing is chosen and the decision cannot be drafted until the clerk chooses."""
    from khoi_desktop.gui.appointments import open_appoint_dialog

    node = chi_bo["node"]
    dialog = open_appoint_dialog(main_window, node.id)
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.picker.searching, timeout=TIMEOUT)
    assert dialog.mode.currentIndex() == -1 and dialog.mode.currentText() == ""
    assert "Chọn hình thức, đồng chí và chức danh" in dialog.status.text()
    outside = chi_bo["outside"]
    pick(qtbot, dialog, outside.full_name)
    assert [(s.member, s.role) for s in dialog.seats()] == [(outside.code, SeatRole.CAP_UY_VIEN)]
    assert not wait_checked(qtbot, dialog)
    assert "Chưa chọn hình thức: chỉ định hay chuẩn y (bổ sung)." in dialog.status.text()
    qtbot.mouseClick(dialog.draft_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and not dialog.draft_button.isEnabled()

    dialog.mode.setCurrentIndex(dialog.mode.findData("chi_dinh"))
    qtbot.keyClicks(dialog.override, "Bo sung can bo tre")  # the demo's chi ủy is full
    assert wait_checked(qtbot, dialog), dialog.status.text()
    assert "về việc chỉ định bổ sung Chi ủy viên" in dialog.preview.toPlainText()
    with qtbot.waitSignal(dialog.saved, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.draft_button, Qt.MouseButton.LeftButton)


def test_the_election_approval_for_a_lower_issuer_fits_a_laptop(qtbot, main_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Chuẩn y kết quả bầu cử of a chi bộ trực thuộc (its đảng ủy decides) at 1366×768: the issuer's sentence wrapped
    in half the button row and the signed decision's box stood four rows tall, so the dialog grew past the screen
    (714 px) and «Cơ quan ban hành» sat against the decision text's edge. Now it keeps its 680 px, the sentence on
    one line clear of the text."""
    from PySide6.QtCore import QSize

    from khoi_desktop.gui import dialogs

    monkeypatch.setattr(dialogs, "screen_room", lambda _widget: QSize(1366, 768 - 40))
    _, dialog = _election_with_three_picked(qtbot, main_window)
    qtbot.waitSignal(dialog.checked, timeout=TIMEOUT).wait()
    qtbot.wait(50)
    assert dialog.height() <= 768 - 70, dialog.height()  # less the taskbar and the title bar
    label = dialog.issuer_label
    assert label.text().startswith("Cơ quan ban hành: ")
    assert label.height() < 2 * label.fontMetrics().lineSpacing(), "one line"
    preview_bottom = dialog.preview.mapTo(dialog, dialog.preview.rect().bottomLeft()).y()
    assert label.mapTo(dialog, label.rect().topLeft()).y() - preview_bottom >= 4
    assert dialog.preview.height() >= 3 * dialog.preview.fontMetrics().lineSpacing()
    dialog.done(0)



def test_every_dialogs_buttons_and_fields_have_their_own_alt_letter(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """Most dialogs' buttons («Đóng», «Hủy», «Sao lưu», «Xem, in…») and fields had no Alt letter: a clerk at the
    keyboard tabbed round every field to reach them. Every button a dialog shows now has a letter of its own, and
    the form's fields take the letters left (a few short labels find none free)."""
    from dialog_catalogue import close_all, dialog_makers
    from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QToolButton

    from khoi_desktop.gui.alt_letters import letter_of

    missing: dict[str, list[str]] = {}
    shared: dict[str, dict[str, list[str]]] = {}
    labelled = 0
    for name, make in dialog_makers(main_window).items():
        dialog = make()
        qtbot.waitUntil(lambda: main_window.worker.pending == 0, timeout=TIMEOUT)
        QApplication.processEvents()
        letters: dict[str, list[str]] = {}
        for button in dialog.findChildren(QAbstractButton):
            if isinstance(button, QToolButton) or not button.text().strip() or not button.isVisibleTo(dialog):
                continue
            letter = letter_of(button.text())
            if letter is None:
                missing.setdefault(name, []).append(button.text())
            else:
                letters.setdefault(letter, []).append(button.text())
        for label in dialog.findChildren(QLabel):
            if label.buddy() is not None and label.isVisibleTo(dialog) and (letter := letter_of(label.text())):
                letters.setdefault(letter, []).append(label.text())
                labelled += 1
        if twice := {letter: texts for letter, texts in letters.items() if len(texts) > 1}:
            shared[name] = twice
        close_all(main_window)
    assert missing == {}
    assert shared == {}
    assert labelled > 100


def test_alt_letter_presses_the_backup_dialogs_button(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """«Chọn thư mục khác…» of Sao lưu ra USB, reached with Alt and its letter instead of tabbing round the form."""
    from PySide6.QtWidgets import QPushButton

    from khoi_desktop.gui.alt_letters import letter_of

    dialog = main_window.backup_controller.open_usb_dialog()
    qtbot.waitExposed(dialog)
    button = next(b for b in dialog.findChildren(QPushButton) if b.text().replace("&", "") == "Chọn thư mục khác…")
    letter = letter_of(button.text())
    assert letter is not None
    clicked = []
    button.clicked.disconnect()
    button.clicked.connect(lambda: clicked.append(True))
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    qtbot.keyClick(dialog, letter, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: clicked == [True], timeout=5_000)  # Qt animates the press a moment
    dialog.reject()


def test_the_chosen_draft_stays_chosen_when_another_workstation_changes_the_list(  # type: ignore[no-untyped-def]
        qtbot, main_window, demo_path) -> None:
    """Văn bản › Quyết định reloads when another workstation writes: the table was refilled row by row and the
    selection kept its row number, so after a colleague discarded a draft listed above it the clerk's chosen draft
    became the next one, and «Ban hành…» would have issued that. The chosen decision is chosen again by its id."""
    import datetime as dt

    from khoi_desktop.core import decisions
    from khoi_desktop.core.apply import apply_request
    from khoi_desktop.core.changes import EVERYTHING
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.request_json import parse_request
    from khoi_desktop.documents.pdf import render_pdf
    from khoi_desktop.gui import workflows

    window = main_window
    snapshot = window.tree_model.snapshot
    dang_bo = [snapshot.nodes[i] for i in snapshot.roots if snapshot.nodes[i].kind is OrgKind.DANG_BO_CO_SO]
    first, other_body = dang_bo[0], dang_bo[1]
    branches = [n for n in snapshot.active_nodes() if n.parent_id == first.id and n.kind is OrgKind.CHI_BO_TRUC_THUOC]
    colleague = open_database(demo_path)  # another workstation on the same office
    with colleague.writing() as session:
        ids = [apply_request(session, parse_request({"action": "transfer", "org": node.code, "to": other_body.code}),
                             actor="dong_nghiep", issue=False, today=dt.date.today(), render=render_pdf)[0].id
               for node in branches[:3]]

    dialog = workflows.open_decisions(window)
    qtbot.waitUntil(lambda: len(dialog.visible_rows()) == 3, timeout=TIMEOUT)
    dialog.filter.setCurrentIndex(dialog.filter.findText("Dự thảo"))  # the drafts waiting to be issued
    qtbot.waitUntil(lambda: window.worker.pending == 0, timeout=TIMEOUT)
    table = dialog.table
    row = [r.id for r in dialog.visible_rows()].index(ids[1])
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(table.model().index(row, 0))
                     .center())
    assert dialog.selected().id == ids[1]

    with colleague.writing() as session:
        decisions.discard_draft(session, decisions.find_decision(session, ids[0]), "dong_nghiep")
    colleague.close()
    window.notify_changed(EVERYTHING)  # what the window does when it sees another workstation's write
    qtbot.waitUntil(lambda: window.worker.pending == 0, timeout=TIMEOUT)
    assert [r.id for r in dialog.visible_rows()] == ids[1:]
    assert dialog.selected() is not None and dialog.selected().id == ids[1]
    assert dialog.issue_button.isEnabled()
    dialog.done(0)


def test_rating_members_from_the_keyboard_keeps_the_place_in_the_list(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """Xếp loại đảng viên of a body: each level chosen is saved and the list reloaded, and the reload rebuilt the
    table at its top with the focus gone: a clerk rating the 60th member from the keyboard was thrown back to the
    first, and the next arrow key went nowhere. The list keeps its place and the member's box the focus."""
    from PySide6.QtWidgets import QApplication

    from khoi_desktop.gui.ratings.members_dialog import LEVEL_COLUMN, BodyMembersDialog
    from khoi_desktop.gui.ratings.year_dialog import LEVEL_COLUMN as YEAR_LEVEL
    from khoi_desktop.gui.ratings.year_dialog import RatingsYearDialog

    year = RatingsYearDialog(main_window)
    year.show()
    qtbot.waitUntil(lambda: year.view is not None and year.view.summary is not None, timeout=TIMEOUT)
    year.activateWindow()
    qtbot.waitUntil(year.isActiveWindow, timeout=5_000)
    org_box = year.table.cellWidget(3, YEAR_LEVEL)  # the organization's own level, the same way
    org_box.setFocus()
    with qtbot.waitSignal(year.loaded, timeout=TIMEOUT):
        qtbot.keyClick(org_box, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: main_window.worker.pending == 0, timeout=TIMEOUT)
    assert QApplication.focusWidget() is year.table.cellWidget(3, YEAR_LEVEL)
    sizes = [(year.view.summary.bodies[r].members.total, r) for r in range(year.table.rowCount())]
    row = max(sizes)[1]
    year.table.scrollToItem(year.table.item(row, 1))
    rect = year.table.visualItemRect(year.table.item(row, 1))
    qtbot.mouseClick(year.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(year.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    members = main_window.findChild(BodyMembersDialog)
    assert members is not None, sizes[:3]
    qtbot.waitUntil(lambda: members.lines is not None, timeout=TIMEOUT)
    members.activateWindow()
    qtbot.waitUntil(members.isActiveWindow, timeout=5_000)
    last = max(r for r, line in enumerate(members.lines) if line.rated and line.decided != "KHTNV")
    code = members.lines[last].code
    members.table.scrollToItem(members.table.item(last, 0))
    scrolled = members.table.verticalScrollBar().value()
    assert scrolled > 0
    box = members.table.cellWidget(last, LEVEL_COLUMN)
    box.setFocus()
    before = box.currentIndex()
    with qtbot.waitSignal(members.loaded, timeout=TIMEOUT):
        qtbot.keyClick(box, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: main_window.worker.pending == 0, timeout=TIMEOUT)
    now = members.table.cellWidget(last, LEVEL_COLUMN)
    assert members.lines[last].code == code and now.currentIndex() == before + 1
    assert members.table.verticalScrollBar().value() == scrolled
    assert QApplication.focusWidget() is now
    members.close()
    year.close()


def test_every_field_of_the_admission_form_is_reached_by_its_alt_letter(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """The letters were handed out first come, first served: «Người giới thiệu» took a letter «Giới tính» and «Số
    CCCD» needed, and they had none. Now a field takes a letter an earlier one can do without."""
    from PySide6.QtWidgets import QApplication, QLabel

    from khoi_desktop.gui.alt_letters import letter_of
    from khoi_desktop.gui.members.admit_wizards import AdmitWizard

    wizard = AdmitWizard(main_window)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow, timeout=5_000)
    labels = {label.text().replace("&", ""): label for label in wizard.currentPage().findChildren(QLabel)
              if label.buddy() is not None and label.isVisibleTo(wizard)}
    for text in ("Giới tính:", "Số CCCD:", "Ngày sinh:", "Người giới thiệu:"):
        letter = letter_of(labels[text].text())
        assert letter is not None, text
        qtbot.keyClick(wizard, letter, Qt.KeyboardModifier.AltModifier)
        assert QApplication.focusWidget() is labels[text].buddy() or \
            QApplication.focusWidget().parentWidget() is labels[text].buddy(), text
    wizard.reject()


def test_the_day_of_admission_is_typed_not_assumed(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """«Ngày kết nạp» opened on today: a clerk recording last week's admission who never looked at the box issued
    a decision admitting the people today. It asks now, as the birth date does, and the decision waits for it."""
    import datetime as dt

    from PySide6.QtWidgets import QWizard
    from test_main_window import type_vietnamese
    from test_members_gui import open_from_menu, open_members_of_a_chi_bo

    from khoi_desktop.gui.members.admit_wizards import AdmitWizard
    from khoi_desktop.gui.workflows.request_wizard import qdate

    open_members_of_a_chi_bo(qtbot, main_window)
    wizard = open_from_menu(main_window, "Kết nạp đảng viên…", AdmitWizard)
    assert wizard.admitted_on.text() == "Chưa nhập"
    type_vietnamese(wizard.person.family, "Lê")
    type_vietnamese(wizard.person.given, "Hoà")
    wizard.person.birth.setDate(qdate(dt.date(1996, 3, 8)))
    wizard.person.sex.setCurrentIndex(0)
    qtbot.mouseClick(wizard.add_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(wizard.checked, timeout=TIMEOUT) as checked:
        wizard.run_check()
    assert checked.args == [False]
    assert "Chưa nhập ngày kết nạp." in wizard.form_page.reason.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    day = dt.date.today() - dt.timedelta(days=7)
    line = wizard.admitted_on.lineEdit()
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, day.strftime("%d/%m/%Y"))
    with qtbot.waitSignal(wizard.checked, timeout=TIMEOUT) as checked:
        wizard.run_check()
    assert checked.args == [True], wizard.last_check.problems
    assert wizard.action_fields().admitted_on == day
    wizard.reject()


def test_labels_of_a_row_of_fields_take_an_alt_letter_and_the_date_box_still_works(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """«Họ, tên đệm, tên», «Tệp Excel», «Lưu vào», «Bản sao lưu», «Sinh hoạt» name a row of widgets, which QFormLayout
    buddies to nothing: they had no Alt letter, nor had the main window's «Hôm nay». Each now reaches its row's first
    input; the meeting's «Ngày dự kiến» box, buddied the same way, still reads a typed date."""
    import datetime as dt

    from dialog_catalogue import close_all, dialog_makers
    from PySide6.QtWidgets import QApplication, QLabel, QPushButton

    from khoi_desktop.gui.alt_letters import letter_of

    makers = dialog_makers(main_window)
    for name, text in (("admit", "Họ, tên đệm, tên:"), ("import", "Tệp Excel:"), ("backup_usb", "Lưu vào:"),
                       ("restore", "Bản sao lưu:"), ("restore", "Mật khẩu bản sao lưu:"),
                       ("export", "Lưu vào tệp:"), ("meeting", "Sinh hoạt:"), ("meeting", "Ngày dự kiến:"),
                       ("meeting_grid", "Phạm vi:"), ("meeting_grid", "Đến tháng:")):
        dialog = makers[name]()
        qtbot.waitUntil(lambda: main_window.worker.pending == 0, timeout=TIMEOUT)
        QApplication.processEvents()
        label = next(lb for lb in dialog.findChildren(QLabel) if lb.text().replace("&", "") == text
                     and lb.isVisibleTo(dialog))
        letter = letter_of(label.text())
        assert label.buddy() is not None and letter is not None, (name, text)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
        qtbot.keyClick(dialog, letter, Qt.KeyboardModifier.AltModifier)
        focus = QApplication.focusWidget()
        assert focus is label.buddy() or focus.parentWidget() is label.buddy(), (name, text, focus)
        if text == "Ngày dự kiến:":
            planned = label.buddy()
            planned.lineEdit().selectAll()
            qtbot.keyClicks(planned.lineEdit(), "15/01/2026")
            assert planned.text() == "15/01/2026" and planned.date().toPython() == dt.date(2026, 1, 15)
        if text == "Đến tháng:":
            month = label.buddy()
            month.lineEdit().selectAll()
            qtbot.keyClicks(month.lineEdit(), "10/2026")
            assert month.text() == "10/2026" and month.date().toPython() == dt.date(2026, 10, 1)
        close_all(main_window)

    main_window.set_as_of(dt.date(2020, 1, 1))
    today = next(b for b in main_window.findChildren(QPushButton) if b.text().replace("&", "") == "Hôm nay")
    letter = letter_of(today.text())
    assert letter is not None
    main_window.show()
    qtbot.waitExposed(main_window)
    main_window.activateWindow()
    qtbot.waitUntil(main_window.isActiveWindow, timeout=5_000)
    qtbot.keyClick(main_window, letter, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: main_window.as_of_edit.date().toPython() == dt.date.today(), timeout=5_000)


def test_closing_the_month_grid_while_it_loads_raises_nothing(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """Tình hình sinh hoạt chi bộ closed while a month was loading (a month typed, then Esc): the answer came to a
    deleted dialog and raised «Internal C++ object (QLabel) already deleted» in the event loop."""
    from PySide6.QtWidgets import QApplication

    from khoi_desktop.gui import meetings

    grid = meetings.open_grid(main_window)
    qtbot.waitUntil(lambda: grid.status is not None, timeout=TIMEOUT)
    grid.month.lineEdit().selectAll()
    qtbot.keyClicks(grid.month.lineEdit(), "10/2026")
    assert main_window.worker.pending >= 1
    grid.close()
    qtbot.waitUntil(lambda: main_window.worker.pending == 0, timeout=TIMEOUT)
    QApplication.processEvents()


def test_the_month_grid_closes_with_its_dong_button(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """Tình hình sinh hoạt chi bộ had no «Đóng» (Esc or the title bar only), unlike the other meeting windows."""
    from khoi_desktop.gui import meetings
    from khoi_desktop.gui.alt_letters import letter_of

    grid = meetings.open_grid(main_window)
    qtbot.waitUntil(lambda: grid.status is not None, timeout=TIMEOUT)
    button = grid.close_button
    assert button.text().replace("&", "") == "Đóng" and button.isVisible() and letter_of(button.text()) is not None
    grid.grab().save("/tmp/meeting_grid_close.png")
    with qtbot.waitSignal(grid.finished, timeout=5_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not grid.isVisible()


def test_the_appointment_dialog_gives_the_candidate_list_room_on_a_laptop(qtbot, main_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """At 1366×768 (less the taskbar) «Chỉ định, chuẩn y cấp ủy» showed about four members in «Tìm đảng viên» for
    an election with a lower issuer's recorded-decision box (nine for a plain chỉ định): one field a form row took
    the room. Two fields a row now; the dialog still fits the screen."""
    from PySide6.QtCore import QSize

    from khoi_desktop.gui import appointments, dialogs

    monkeypatch.setattr(dialogs, "screen_room", lambda _widget: QSize(1366, 768 - 40))

    def rows_shown(dialog) -> float:  # type: ignore[no-untyped-def]
        results = dialog.picker.results
        return results.viewport().height() / results.sizeHintForRow(0)

    node, dialog = _election_with_three_picked(qtbot, main_window)
    qtbot.waitUntil(lambda: main_window.worker.pending == 0, timeout=TIMEOUT)
    assert dialog.recorded.isChecked() and dialog.height() <= 768 - 40 - 40 and dialog.width() <= 1366
    dialog.grab().save("/tmp/appoint_election_laptop.png")
    assert rows_shown(dialog) >= 7, rows_shown(dialog)
    dialog.close()

    dialog = appointments.open_appoint_dialog(main_window, node.id)
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.picker.searching, timeout=TIMEOUT)
    assert rows_shown(dialog) >= 12, rows_shown(dialog)
    dialog.close()


def test_the_signing_day_of_a_recorded_decision_is_typed_not_assumed(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """«Ghi nhận quyết định đã ký»: «Ngày ký» opened on today, so a decision signed last week recorded by a clerk who
    never looked at the box said it was signed today. It is unset now, and the decision waits for it."""
    import datetime as dt

    from khoi_desktop.core.models import OrgKind
    from khoi_desktop.gui import appointments

    node = next(n for n in sorted(main_window.tree_model.snapshot.active_nodes(), key=lambda n: n.code)
                if n.kind is OrgKind.CHI_BO_TRUC_THUOC and n.direct_full >= 9)
    dialog = appointments.open_appoint_dialog(main_window, node.id, election=True)
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.picker.searching, timeout=TIMEOUT)
    dialog.term.setText("2027-2030")
    for row in range(3):
        dialog.picker.results.setCurrentRow(row)
        qtbot.mouseClick(dialog.picker.pick_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.issuer is not None, timeout=TIMEOUT)
    box = dialog.recorded
    box.setChecked(True)
    assert box.signed_on.text() == "Chưa nhập"
    box.number.setText("11-QD/DU")
    with qtbot.waitSignal(dialog.checked, timeout=TIMEOUT) as checked:
        qtbot.keyClicks(box.signer, "Le Van Binh")
    qtbot.waitUntil(lambda: "Chưa ghi ngày ký của quyết định đã ký." in dialog.status.text(), timeout=TIMEOUT)
    assert not dialog.issue_button.isEnabled()
    day = dt.date.today() - dt.timedelta(days=6)
    line = box.signed_on.lineEdit()
    line.setFocus()
    line.selectAll()
    with qtbot.waitSignal(dialog.checked, timeout=TIMEOUT) as checked:
        qtbot.keyClicks(line, day.strftime("%d/%m/%Y"))
    qtbot.waitUntil(lambda: dialog.issue_button.isEnabled(), timeout=TIMEOUT)
    assert checked.args == [True] or dialog.issue_button.isEnabled()
    recorded = box.value()
    assert recorded is not None and recorded.signed_on == day
    dialog.done(0)


def test_the_meeting_dialog_shows_a_chi_bo_of_twelve_without_scrolling(qtbot, main_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Ghi sinh hoạt chi bộ at 1366×768: the criteria sheet stood greyed out six rows tall under the attendance list,
    which showed 8 of a chi bộ's 12 members. The criteria show once «Chấm điểm theo phiếu» is ticked."""
    from dialog_catalogue import _chi_bo
    from PySide6.QtCore import QPoint, QSize

    from khoi_desktop.gui import dialogs, meetings

    monkeypatch.setattr(dialogs, "screen_room", lambda _widget: QSize(1366, 768 - 40))
    dialog = meetings.open_meeting_dialog(main_window, _chi_bo(main_window).id)
    qtbot.waitUntil(lambda: dialog.form is not None, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: main_window.worker.pending == 0, timeout=TIMEOUT)
    table = dialog.table
    assert table.rowCount() >= 12 and dialog.height() <= 768 - 40 - 40
    last = table.rowCount() - 1
    assert table.rowViewportPosition(last) + table.rowHeight(last) <= table.viewport().height(), "all rows shown"
    assert not dialog.scores_panel.isVisible()
    dialog.grab().save("/tmp/meeting_laptop.png")
    qtbot.mouseClick(dialog.scores_box, Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
    if not dialog.scores_box.isChecked():  # the click missed the title's box on this style
        dialog.scores_box.setChecked(True)
    assert dialog.scores_panel.isVisible() and all(e.isVisible() for e in dialog.score_edits.values())
    dialog.grab().save("/tmp/meeting_scores_laptop.png")
    dialog.done(0)


def test_a_meeting_not_held_does_not_count_everyone_present(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """With «Đã họp» unticked the greyed list's line said «Có mặt 12, vắng có lý do 0, …», an attendance that is
    not saved (a meeting not held has none). It says so until the box is ticked."""
    from dialog_catalogue import _chi_bo

    from khoi_desktop.gui import meetings

    dialog = meetings.open_meeting_dialog(main_window, _chi_bo(main_window).id)
    qtbot.waitUntil(lambda: dialog.form is not None, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: main_window.worker.pending == 0, timeout=TIMEOUT)
    assert not dialog.held_check.isChecked(), "the demo only registered this month's meeting"
    assert dialog.counts.text().startswith("Chưa họp: chưa điểm danh.") and "Có mặt" not in dialog.counts.text()
    qtbot.mouseClick(dialog.held_check, Qt.MouseButton.LeftButton, pos=dialog.held_check.rect().center())
    assert dialog.counts.text().startswith(f"Có mặt {dialog.table.rowCount()}, vắng có lý do 0")
    qtbot.mouseClick(dialog.held_check, Qt.MouseButton.LeftButton, pos=dialog.held_check.rect().center())
    assert dialog.counts.text().startswith("Chưa họp")
    dialog.done(0)
