"""A clerk's walk at an office laptop's 1366×768 (session 11): closing over typed work, the wizards' first
look, the status bar. Typed and clicked as a clerk does; the title bar's × is the window system's close
(a close event sent to its QWindow reaches the widget as a spontaneous one, as when Windows sends it)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication
from test_main_window import wait_idle

from khoi_desktop.core.models import OrgKind

TIMEOUT = 20_000


def title_bar_close(widget) -> None:  # type: ignore[no-untyped-def]
    """What the title bar's × does (QWindow.close() is the program's close: not spontaneous)."""
    QApplication.sendEvent(widget.windowHandle(), QCloseEvent())


def answer_if_asked(qtbot, text: str, *, within_ms: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Like conftest's answer_box for a box that must not come: answers it if it does (the test then fails on what
    is returned, instead of hanging), and stops looking after `within_ms` (no poller left for later tests)."""
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QMessageBox

    answered: list[str] = []
    clock = QElapsedTimer()
    clock.start()

    def look() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            answered.append(box.text())
            qtbot.mouseClick(next(b for b in box.buttons() if b.text().replace("&", "") == text),
                             Qt.MouseButton.LeftButton)
        elif clock.elapsed() < within_ms:
            QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)
    return answered


def open_meeting_record(qtbot, window):  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.meetings.meeting_dialog import MeetingDialog

    chi_bo = next(n for n in sorted(window.tree_model.snapshot.active_nodes(), key=lambda n: n.code)
                  if n.kind is OrgKind.CHI_BO_TRUC_THUOC and n.direct_members >= 9)
    window.select_org(chi_bo.id)
    menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Sinh hoạt chi bộ")
    next(a for a in menu.actions() if a.text() == "Ghi sinh hoạt của chi bộ đang chọn…").trigger()
    meeting = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MeetingDialog) and w.isVisible())
    qtbot.waitUntil(lambda: meeting.table.rowCount() > 0, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    meeting.activateWindow()
    qtbot.waitUntil(meeting.isActiveWindow, timeout=5_000)
    return meeting


def mark_absent_by_keyboard(qtbot, meeting) -> str:  # type: ignore[no-untyped-def]
    """K on the first member's row: «Vắng không lý do» (the attendance table's own keys), right after ticking
    «Đã họp» (that reads the roster of the day: its answer showed the marks as they were when it was asked)."""
    from khoi_desktop.gui.meetings.attendance_table import COL_MARK, WITHOUT_REASON

    if not meeting.held_check.isChecked():  # attendance is marked for a meeting held
        qtbot.mouseClick(meeting.held_check, Qt.MouseButton.LeftButton, pos=meeting.held_check.rect().center())
        meeting.escape_guard.forget()  # from here on only the marks count
    table = meeting.table
    table.setFocus()
    table.setCurrentCell(0, COL_MARK)
    qtbot.keyClick(table, Qt.Key.Key_K)  # at once, while the roster of the day ticked is still being read
    assert table.item(0, COL_MARK).text() == WITHOUT_REASON
    wait_idle(qtbot, meeting.window_)
    assert table.item(0, COL_MARK).text() == WITHOUT_REASON, "the roster read put back the marks of before"
    return WITHOUT_REASON


def test_attendance_marked_in_the_table_is_not_lost_to_esc_or_the_title_bar_close(  # type: ignore[no-untyped-def]
        qtbot, main_window, answer_box) -> None:
    """Only typed text, picked choices and ticks counted: attendance marked member by member (the table's C/L/K
    keys) went with a stray Esc, and the title bar's × closed any dialog without asking."""
    from khoi_desktop.gui.meetings.attendance_table import COL_MARK

    meeting = open_meeting_record(qtbot, main_window)
    assert not meeting.escape_guard.typed(), "filled by the program: nothing typed yet"
    mark = mark_absent_by_keyboard(qtbot, meeting)
    answered = answer_box("Tiếp tục nhập")
    qtbot.keyClick(meeting.table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: len(answered) == 1, timeout=5_000)
    assert answered[-1].startswith("Đóng mà không lưu?")
    assert meeting.isVisible()

    answer_box("Tiếp tục nhập")
    title_bar_close(meeting)
    qtbot.waitUntil(lambda: len(answered) == 2, timeout=5_000)
    assert answered[-1].startswith("Đóng mà không lưu?")
    assert meeting.isVisible() and meeting.table.item(0, COL_MARK).text() == mark

    answer_box("Đóng, bỏ nội dung đã nhập")
    title_bar_close(meeting)
    qtbot.waitUntil(lambda: len(answered) == 3, timeout=5_000)
    qtbot.waitUntil(lambda: not meeting.isVisible(), timeout=5_000)


def test_closing_the_main_window_asks_before_losing_a_dialogs_typed_text(  # type: ignore[no-untyped-def]
        qtbot, main_window, answer_box) -> None:
    """The meeting record and the appointment dialog are not modal: the main window's × (or Tệp › Thoát) closed the
    program over them and what was typed was gone without a word."""
    window = main_window
    window.show()
    qtbot.waitExposed(window)
    meeting = open_meeting_record(qtbot, window)
    meeting.summary.setFocus()
    qtbot.keyClicks(meeting.summary, "Hop chi bo thang")

    answered = answer_box("Quay lại để lưu")
    title_bar_close(window)
    qtbot.waitUntil(lambda: len(answered) == 1, timeout=5_000)
    assert "Sinh hoạt chi bộ" in answered[-1]
    assert window.isVisible() and meeting.isVisible()
    assert "Hop chi bo thang" in meeting.summary.toPlainText()
    assert not window.backup_controller._closing, "no backup-before-close started for a close not done"

    answer_box("Quay lại để lưu")
    quit_action = next(a for a in window.file_menu.actions() if a.text().replace("&", "") == "Thoát")
    quit_action.trigger()
    qtbot.waitUntil(lambda: len(answered) == 2, timeout=5_000)
    assert window.isVisible() and meeting.isVisible()

    answer_box("Thoát, bỏ nội dung đã nhập")
    title_bar_close(window)
    qtbot.waitUntil(lambda: len(answered) == 3, timeout=5_000)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=TIMEOUT)
    qtbot.wait(200)
    assert len(answered) == 3, "asked once, not again by the dialog"


def test_the_split_wizard_opens_with_a_hint_not_five_errors(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """Opened from the findings, the split wizard said «Lỗi: Chi bộ mới 1 chưa có tên…» five times in red (and the
    first once more by the buttons) before the clerk did anything; and the members it read after it showed counted
    as the clerk's edit (Esc asked «Đóng mà không lưu?» over an untouched wizard)."""
    from test_workflows_gui import start_split_from_findings

    from khoi_desktop.gui.workflows.request_wizard import PENDING_STYLE, REASON_STYLE

    window = main_window
    _finding, wizard = start_split_from_findings(qtbot, window)
    qtbot.waitExposed(wizard)
    wait_idle(qtbot, window)
    page = wizard.currentPage()
    messages = wizard.assignment.messages
    qtbot.waitUntil(lambda: page.reason.text() not in ("", "Đang kiểm tra…"), timeout=TIMEOUT)
    assert "Lỗi" not in messages.text() and "Đặt tên cho từng chi bộ mới" in messages.text()
    assert page.reason.styleSheet() == PENDING_STYLE, "grey: nothing done yet"
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()

    answered = answer_if_asked(qtbot, "Đóng, bỏ nội dung đã nhập", within_ms=3_000)
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow, timeout=5_000)
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=5_000)
    assert answered == [], "nothing typed: Esc closes at once"

    _finding, wizard = start_split_from_findings(qtbot, window)
    qtbot.waitExposed(wizard)
    wait_idle(qtbot, window)
    first = wizard.assignment.targets[0]
    first.name_edit.setFocus()
    qtbot.keyClicks(first.name_edit, "Chi bo Mot")
    page = wizard.currentPage()
    qtbot.waitUntil(lambda: page.reason.styleSheet() == REASON_STYLE and page.reason.text() != "Đang kiểm tra…",
                    timeout=TIMEOUT)
    messages = wizard.assignment.messages.text()
    assert "Lỗi: Chi bộ mới 2 chưa có tên." in messages and "Chi bộ mới 1 chưa có tên" not in messages
    wizard.reject()


def test_the_status_bar_cuts_no_text_at_1366_with_a_wrong_as_of_date(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """«31/02/2026» left in «Xem tại ngày» on an office laptop: the red notice took its short form and the backup
    note was cut to «⚠ Chưa có bản sao lưu nào: hãy chọ…»; it now has a short form of its own."""
    from PySide6.QtWidgets import QLabel
    from test_clerk_screen_gui import type_into_as_of

    from khoi_desktop.gui.fitting_label import FittingLabel

    window = main_window
    type_into_as_of(qtbot, window, "31/02/2026")
    wait_idle(qtbot, window)
    window.resize(1366, 768 - 70)
    qtbot.wait(100)
    bar = window.statusBar()
    labels = [label for label in bar.findChildren(QLabel) if label.isVisible() and label.text()]
    assert {label.objectName() for label in labels} >= {"past_notice", "totals", "backup_note", "user_label"}
    for label in labels:
        shown = label.shown_text() if isinstance(label, FittingLabel) else label.text()
        assert not shown.endswith("…"), (label.objectName(), shown)
        assert label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width(), label.objectName()
    note = window.backup_controller.note
    assert note.shown_text() == "⚠ Chưa có bản sao lưu nào"
    assert "Sao lưu ngay" in note.toolTip(), "the tooltip says what to do"


def label_of(wizard, picker) -> str:  # type: ignore[no-untyped-def]
    """The text of the form row's label beside `picker` (alone in its row, or in the row's box)."""
    from PySide6.QtWidgets import QFormLayout

    for form in wizard.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            inside = field is not None and field.layout() is not None and field.layout().indexOf(picker) >= 0
            if field is not None and (field.widget() is picker or inside):
                return form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget().text().replace("&", "")
    raise AssertionError("no form row holds the picker")


def test_the_top_level_choice_does_not_say_truc_thuoc_twice(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """«Về trực thuộc: Trực thuộc Đảng ủy Khối các cơ quan tỉnh» (receive) and «Trực thuộc: Trực thuộc Đảng ủy
    Khối…» (a new chi bộ cơ sở): the label beside the choice says it already."""
    from khoi_desktop.gui.workflows.form_wizards import FoundWizard
    from khoi_desktop.gui.workflows.receive_wizard import ReceiveWizard

    window = main_window
    body = window.settings.issuing_body_short
    receive = ReceiveWizard(window)
    qtbot.addWidget(receive)
    receive.show()
    found = FoundWizard(window, None)
    qtbot.addWidget(found)
    found.show()
    found.kind.setCurrentIndex(found.kind.findData(OrgKind.CHI_BO_CO_SO.value))
    for wizard, picker in ((receive, receive.parent_org), (found, found.parent_org)):
        label = label_of(wizard, picker)
        assert picker.currentText() == body, picker.currentText()
        assert "trực thuộc" in label.lower() and "trực thuộc" not in picker.currentText().lower(), (label,
                                                                                                   picker.currentText())
        wizard.reject()


def test_alt_letters_move_through_a_wizard(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """«Tiếp >», «< Quay lại», «Lưu dự thảo», «Ban hành…» had no underlined letter: from the keyboard a clerk had to
    Tab round every field of the page to reach them (Qt's own wizard buttons have «&Next >»)."""
    from PySide6.QtWidgets import QWizard
    from test_main_window import type_vietnamese
    from test_workflows_gui import start_split_from_findings

    window = main_window
    _finding, wizard = start_split_from_findings(qtbot, window)
    qtbot.waitExposed(wizard)
    assignment = wizard.assignment
    first, second = assignment.targets
    type_vietnamese(first.name_edit, "Chi bộ Phòng Một")
    type_vietnamese(second.name_edit, "Chi bộ Phòng Hai")
    qtbot.mouseClick(next(b for b in assignment.findChildren(type(first.add_button))
                          if b.text().replace("&", "") == "Chia đều số còn lại"), Qt.MouseButton.LeftButton)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.waitUntil(next_button.isEnabled, timeout=TIMEOUT)
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow, timeout=5_000)
    start = wizard.currentId()
    qtbot.keyClick(wizard, "t", Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.decision_page, timeout=5_000)
    letters = {}
    for which in (QWizard.WizardButton.BackButton, QWizard.WizardButton.CustomButton1,
                  QWizard.WizardButton.FinishButton, QWizard.WizardButton.NextButton):
        text = wizard.buttonText(which)
        assert "&" in text, text
        letters[text] = text[text.index("&") + 1].lower()
    assert len(set(letters.values())) == len(letters), letters
    qtbot.keyClick(wizard, "q", Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: wizard.currentId() == start, timeout=5_000)
    wizard.reject()


def test_the_unexpected_error_box_breaks_no_sentence(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """«Đã xảy ra lỗi không mong đợi. Dữ liệu không bị thay / đổi.»: the box's width cut the reassurance mid-word."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QLabel, QMessageBox

    from khoi_desktop.gui.errors import present_error

    seen: list[tuple[list[str], int, object]] = []

    def look() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, look)
            return
        label = box.findChild(QLabel, "qt_msgbox_label")
        seen.append((label.text().splitlines(), label.contentsRect().width(), label.fontMetrics()))
        box.done(0)

    QTimer.singleShot(0, look)
    try:
        raise ValueError("thử")
    except ValueError as error:
        present_error(main_window, error)
    lines, room, metrics = seen[0]
    assert "Dữ liệu không bị thay đổi." in lines
    too_long = [line for line in lines if metrics.horizontalAdvance(line) > room]  # type: ignore[attr-defined]
    assert too_long == [], (room, too_long)


def test_the_end_of_seat_header_wraps_between_its_parts(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """«… · Ban Chấp / hành 9/9 (số đã bầu đầu nhiệm kỳ)»: the end-of-seat dialog's header broke a part in two."""
    from PySide6.QtGui import QTextDocument

    from khoi_desktop.gui import appointments

    window = main_window
    snapshot = window.tree_model.snapshot
    dang_bo = next(snapshot.nodes[i] for i in snapshot.roots if snapshot.nodes[i].kind is OrgKind.DANG_BO_CO_SO)
    dialog = appointments.open_end_seat_dialog(window, dang_bo.id)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    qtbot.wait(50)
    info = dialog.info
    document = QTextDocument()
    document.setDefaultFont(info.font())
    document.setDocumentMargin(0)
    document.setHtml(info.text())
    document.setTextWidth(info.contentsRect().width())
    document.size()  # lays the text out
    block = document.firstBlock()
    text = block.text()
    layout = block.layout()
    lines = [(layout.lineAt(i).textStart(), layout.lineAt(i).textStart() + layout.lineAt(i).textLength())
             for i in range(layout.lineCount())]
    parts = text.split(" · ")[1:]
    assert any("9" in part or "/" in part for part in parts), parts
    for part in parts:
        start = text.index(part)
        end = start + len(part) - 1
        assert any(a <= start and end < b for a, b in lines), (part, [text[a:b] for a, b in lines])
    dialog.close()


def test_enter_on_a_whole_name_typed_without_accents_chooses_that_organization(  # type: ignore[no-untyped-def]
        qtbot, main_window) -> None:
    """«chi bo phong kinh te», Enter: the box said «hãy chọn «Chi bộ Phòng Kinh tế» trong danh sách» and chose
    nothing, because the pop-up also offered longer names starting so; a name of several organizations still
    chooses nothing."""
    from dialog_catalogue import _member

    from khoi_desktop.core.text import fold
    from khoi_desktop.gui.members.wizards import TransferMemberWizard

    window = main_window
    wizard = TransferMemberWizard(window, _member(window))
    qtbot.addWidget(wizard)
    wizard.show()
    wait_idle(qtbot, window)
    picker = wizard.target
    completer = picker.completer()

    def offered(text: str) -> int:
        completer.setCompletionPrefix(text)
        return completer.completionCount()

    name, index = next((window.tree_model.snapshot.by_code(picker.itemData(ix[0])).name, ix[0])
                       for folded, ix in sorted(picker._names.items()) if len(ix) == 1 and offered(folded) > 1)
    many = next(folded for folded, ix in sorted(picker._names.items()) if len(ix) > 1)
    line = picker.lineEdit()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow, timeout=5_000)
    for typed, wanted in ((many, -1), (fold(name), index)):
        line.setFocus()
        line.selectAll()
        qtbot.keyClicks(line, typed)
        qtbot.keyClick(line, Qt.Key.Key_Return)
        assert picker.resolved_index() == wanted, (typed, picker.currentText(), picker.problem())
    assert picker.currentText().startswith(name) and picker.problem() is None
    assert wizard.currentPage() is not wizard.decision_page, "Enter chose; it did not go on as well"
    wizard.reject()


def test_a_received_members_date_of_admission_is_not_made_up(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """«Tiếp nhận sinh hoạt đảng» opened with «Ngày vào Đảng: 01/01/2010»: a clerk who filled the rest got a member
    admitted on a made-up day. It starts «Chưa nhập» (as the birth date) and holds «Tiếp >» until typed."""
    from dialog_catalogue import _chi_bo
    from PySide6.QtWidgets import QWizard
    from test_main_window import type_vietnamese
    from test_members_gui import open_from_menu

    from khoi_desktop.gui.members.admit_wizards import ReceiveWizard

    window = main_window
    wizard = open_from_menu(window, "Tiếp nhận đảng viên từ ngoài Đảng bộ…", ReceiveWizard)
    wait_idle(qtbot, window)
    wizard.org.select_code(_chi_bo(window).code)
    edit = wizard.admitted_on
    assert edit.text() == "Chưa nhập", edit.text()
    type_vietnamese(wizard.from_body, "Đảng bộ tỉnh Bắc Ninh")
    type_vietnamese(wizard.person.family, "Phùng")
    type_vietnamese(wizard.person.given, "Ngọc")
    birth = wizard.person.birth.lineEdit()
    birth.setFocus()
    birth.selectAll()
    qtbot.keyClicks(birth, "02/05/1988")
    wizard.person.sex.setCurrentIndex(0)  # chosen by the clerk (no default)
    qtbot.waitUntil(lambda: "Chưa nhập ngày vào Đảng" in wizard.form_page.reason.text(), timeout=TIMEOUT)
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    line = edit.lineEdit()
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, "02/09/2015")
    qtbot.waitUntil(lambda: "ngày vào Đảng" not in wizard.form_page.reason.text(), timeout=TIMEOUT)
    assert wizard.request().person.admitted_on.isoformat() == "2015-09-02"
    wizard.reject()


def test_leaving_the_party_starts_with_no_reason_chosen(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """«Ra khỏi danh sách đảng viên» opened on «Lý do: Từ trần»: a member to be struck off (xóa tên) or leaving at
    their request was recorded as deceased when the clerk left the box as it was."""
    from PySide6.QtWidgets import QWizard
    from test_members_gui import open_members_of_a_chi_bo, start

    from khoi_desktop.gui.members.wizards import LeaveWizard

    window = main_window
    open_members_of_a_chi_bo(qtbot, window)
    member = next(r for r in window.member_model.rows() if r.status.value == "chinh_thuc")
    wizard = start(qtbot, window, member, "Ra khỏi danh sách đảng viên…", LeaveWizard)
    page = wizard.form_page
    assert wizard.reason.currentIndex() == -1 and wizard.reason.currentText() == ""
    qtbot.waitUntil(lambda: "Chưa chọn lý do" in page.reason.text(), timeout=TIMEOUT)
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.reason.setFocus()
    qtbot.keyClick(wizard.reason, Qt.Key.Key_Down)  # the first reason, chosen by the clerk
    qtbot.waitUntil(wizard.button(QWizard.WizardButton.NextButton).isEnabled, timeout=TIMEOUT)
    assert wizard.request().reason.value == wizard.reason.currentData()
    wizard.reject()


def test_a_new_members_sex_is_chosen_not_assumed(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """«Giới tính: Nam» was chosen before the clerk chose (and stayed the last person's after «Thêm vào danh sách»):
    a woman left as it was went into the records as a man. Now it asks, as the birth date does."""
    from test_main_window import type_vietnamese
    from test_members_gui import open_from_menu

    from khoi_desktop.gui.members.admit_wizards import AdmitWizard

    window = main_window
    wizard = open_from_menu(window, "Kết nạp đảng viên…", AdmitWizard)
    wait_idle(qtbot, window)
    sex = wizard.person.sex
    assert sex.currentIndex() == -1 and sex.currentText() == ""
    type_vietnamese(wizard.person.family, "Lê")
    type_vietnamese(wizard.person.given, "Hoà")
    birth = wizard.person.birth.lineEdit()
    birth.setFocus()
    birth.selectAll()
    qtbot.keyClicks(birth, "08/03/1996")
    qtbot.mouseClick(wizard.add_button, Qt.MouseButton.LeftButton)
    assert wizard.people == [] and "Chưa chọn giới tính" in wizard.form_page.reason.text()
    sex.setFocus()
    qtbot.keyClick(sex, Qt.Key.Key_Down)
    chosen = sex.currentData()
    assert chosen is not None
    qtbot.mouseClick(wizard.add_button, Qt.MouseButton.LeftButton)
    assert [p.sex.value for p in wizard.people] == [chosen]
    assert sex.currentIndex() == -1, "the next person's sex is chosen again"
    wizard.reject()


def test_alt_d_saves_the_end_of_seat_draft(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """The appointment and end-of-seat dialogs' «Lưu dự thảo» and «Ban hành…» had no Alt letter (the wizards' have)."""
    from khoi_desktop.gui import appointments

    window = main_window
    snapshot = window.tree_model.snapshot
    dang_bo = next(snapshot.nodes[i] for i in snapshot.roots if snapshot.nodes[i].kind is OrgKind.DANG_BO_CO_SO)
    dialog = appointments.open_end_seat_dialog(window, dang_bo.id)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=TIMEOUT)
    qtbot.waitUntil(dialog.draft_button.isEnabled, timeout=TIMEOUT)
    assert "&" in dialog.draft_button.text() and "&" in dialog.issue_button.text()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    with qtbot.waitSignal(dialog.saved, timeout=TIMEOUT) as saved:
        qtbot.keyClick(dialog, "d", Qt.KeyboardModifier.AltModifier)
    assert saved.args[0].decision.code is None or saved.args[0].decision.code == "", "a draft, not issued"
    wait_idle(qtbot, window)
    for widget in QApplication.topLevelWidgets():  # the «Đã ghi» box (open(), not modal-blocking)
        if widget.isVisible() and widget is not window and widget.windowTitle() == "Đã ghi":
            widget.close()


def test_other_data_opened_over_typed_text_asks_and_closes_the_old_offices_dialogs(  # type: ignore[no-untyped-def]
        qtbot, main_window, answer_box, tmp_path, monkeypatch) -> None:
    """A meeting record or an appointment left open saves through the window's worker: after Tệp › Mở tệp dữ liệu
    it stayed open over the new file and would have saved the old office's record into it (offices made alike share
    their codes), and what was typed was dropped without a word if it did not."""
    import sqlite3

    window = main_window
    window.show()
    qtbot.waitExposed(window)
    first = window.worker.db.path
    other = tmp_path / "khac" / "van-phong.db"
    other.parent.mkdir()
    with sqlite3.connect(first) as source, sqlite3.connect(other) as copy:
        source.backup(copy)  # the same office, the same codes
    copy.close()
    monkeypatch.setattr(window, "sign_in", lambda _db: True)
    meeting = open_meeting_record(qtbot, window)
    meeting.summary.setFocus()
    qtbot.keyClicks(meeting.summary, "Hop chi bo thang")

    answered = answer_box("Quay lại để lưu")
    window.open_file(other)
    assert len(answered) == 1 and "Sinh hoạt chi bộ" in answered[0] and "Mở dữ liệu khác thì" in answered[0]
    assert window.worker.db.path == first and meeting.isVisible()
    assert "Hop chi bo thang" in meeting.summary.toPlainText()

    answer_box("Mở dữ liệu khác, bỏ nội dung đã nhập")
    window.open_file(other)
    qtbot.waitUntil(lambda: window.worker.pending == 0, timeout=TIMEOUT)
    assert len(answered) == 2
    assert window.worker.db.path == other
    from khoi_desktop.gui.meetings.meeting_dialog import MeetingDialog

    left_open = [w for w in QApplication.topLevelWidgets() if isinstance(w, MeetingDialog) and w.isVisible()]
    assert left_open == [], "the old office's meeting record left open over the new file"
