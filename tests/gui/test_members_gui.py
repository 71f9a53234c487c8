"""Member actions from the member table's context menu: a small wizard, checked live, issued for real."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QWizard
from test_main_window import wait_idle
from test_workflows_gui import close_result_boxes

from khoi_desktop.gui.members import member_menu
from khoi_desktop.gui.members.wizards import ConfirmFullWizard, LeaveWizard


def open_members_of_a_chi_bo(qtbot, window):  # type: ignore[no-untyped-def]
    snapshot = window.tree_model.snapshot
    node = next(n for n in sorted(snapshot.nodes.values(), key=lambda n: n.code)
                if n.kind.is_chi_bo and n.members >= 8 and n.full_members >= 6 and n.members > n.full_members)
    window.select_org(node.id)
    qtbot.waitUntil(lambda: len(window.member_model.rows()) == node.members, timeout=20_000)
    wait_idle(qtbot, window)
    return node


def start(qtbot, window, member, label: str, kind):  # type: ignore[no-untyped-def]
    menu = member_menu(window, member)
    next(a for a in menu.actions() if a.text() == label).trigger()
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible())


def test_a_member_leaves_from_the_context_menu(qtbot, main_window, answer_box) -> None:  # type: ignore[no-untyped-def]
    node = open_members_of_a_chi_bo(qtbot, main_window)
    member = next(r for r in main_window.member_model.rows() if r.status.value == "chinh_thuc")
    wizard = start(qtbot, main_window, member, "Ra khỏi danh sách đảng viên…", LeaveWizard)
    wizard.reason.setCurrentIndex(wizard.reason.findData("tu_tran"))
    with qtbot.waitSignal(wizard.checked, timeout=20_000) as checked:
        wizard.next()
    assert checked.args == [True]
    preview = wizard.decision_page.preview.toPlainText()
    assert member.full_name in preview and "lý do: từ trần" in preview
    wizard.grab().save("/tmp/members_leave_wizard.png")
    answered = answer_box("Ban hành")
    with qtbot.waitSignal(main_window.overview_loaded, timeout=20_000):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert answered
    wait_idle(qtbot, main_window)
    close_result_boxes()
    main_window.select_org(node.id)
    qtbot.waitUntil(lambda: len(main_window.member_model.rows()) == node.members - 1, timeout=20_000)
    assert member.code not in {r.code for r in main_window.member_model.rows()}


def test_recognition_before_twelve_months_is_refused_in_place(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    open_members_of_a_chi_bo(qtbot, main_window)
    member = next(r for r in main_window.member_model.rows() if r.status.value == "du_bi")
    wizard = start(qtbot, main_window, member, "Công nhận đảng viên chính thức…", ConfirmFullWizard)
    qtbot.waitUntil(lambda: wizard.last_check is not None, timeout=20_000)
    assert not wizard.currentPage().isComplete()
    assert "mới đủ 12 tháng dự bị" in wizard.currentPage().reason.toolTip()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled() is False
    wizard.reject()


def test_probation_list_from_the_menu_and_recognition_in_one_decision(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from khoi_desktop.gui.members.lists_dialog import ProbationDialog
    from khoi_desktop.gui.workflows.request_wizard import qdate

    menu = next(a.menu() for a in main_window.menuBar().actions() if a.text().replace("&", "") == "Đảng viên")
    next(a for a in menu.actions() if a.text() == "Đảng viên dự bị đến hạn xét chính thức…").trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ProbationDialog) and w.isVisible())
    wait_idle(qtbot, main_window)
    today = dt.date.today()
    dialog.due_by.setDate(qdate(today + dt.timedelta(days=200)))
    qtbot.waitUntil(lambda: any(m.due_on > today + dt.timedelta(days=60) for m in dialog.rows), timeout=20_000)
    dues = [dialog.rows[r].due_on for r in range(dialog.table.rowCount())]
    assert dues == sorted(dues) and all(d <= today + dt.timedelta(days=200) for d in dues)
    served = sum(d <= today for d in dues)  # the demo admits over 13 months: a few are overdue
    assert served > 0 and f"{served} người đã đủ 12 tháng" in dialog.summary.text()
    assert dialog.recognize.isEnabled()
    dialog.grab().save("/tmp/members_probation.png")
    wizard = ConfirmFullWizard(main_window, codes=[m.code for m in dialog.rows if m.due_on > today][:3])
    wizard.show()
    qtbot.waitUntil(lambda: wizard.last_check is not None, timeout=20_000)
    assert "mới đủ 12 tháng dự bị" in wizard.currentPage().reason.toolTip()
    wizard.reject()
    dialog.close()


def test_badge_list_for_an_occasion_and_its_export(qtbot, main_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.members.lists_dialog import BadgeDialog
    from khoi_desktop.gui.spreadsheets.export_dialog import ExportDialog

    menu = next(a.menu() for a in main_window.menuBar().actions() if a.text().replace("&", "") == "Đảng viên")
    next(a for a in menu.actions() if a.text() == "Đảng viên đề nghị tặng Huy hiệu Đảng…").trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, BadgeDialog) and w.isVisible())
    wait_idle(qtbot, main_window)
    for index in range(dialog.occasion.count()):  # the first occasion with members reaching a milestone
        dialog.occasion.setCurrentIndex(index)
        wait_idle(qtbot, main_window)
        if dialog.table.rowCount():
            break
    assert dialog.table.rowCount() > 0
    years = [m.party_years for m in dialog.rows]
    assert years == sorted(years, reverse=True) and set(years) <= {30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90}
    assert dialog.summary.text().startswith(f"Đợt {dialog.occasion.currentText()}: {len(dialog.rows)} đảng viên")
    dialog.grab().save("/tmp/members_badges.png")
    qtbot.mouseClick(dialog.export, Qt.MouseButton.LeftButton)
    export = dialog.export_dialog
    assert isinstance(export, ExportDialog) and export.isVisible()
    assert export.kind.currentData() == "badges"
    assert export.as_of.date().toPython() == dialog.chosen()
    export.path.setText(str(tmp_path / "huy-hieu.xlsx"))
    export.grab().save("/tmp/members_badges_export.png")
    qtbot.mouseClick(export.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: export.open_button.isEnabled(), timeout=20_000)
    assert f"{len(dialog.rows)} đảng viên" in export.result_label.text()
    assert (tmp_path / "huy-hieu.xlsx").stat().st_size > 0
    export.close()
    dialog.close()


def test_member_view_shows_the_timeline(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    open_members_of_a_chi_bo(qtbot, main_window)
    table = main_window.member_table
    row = next(i for i, r in enumerate(main_window.member_model.rows()) if r.status.value == "du_bi")
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(main_window.member_model.index(row, 1)).center())
    qtbot.waitUntil(lambda: "Diễn biến" in main_window.details.toPlainText(), timeout=20_000)
    wait_idle(qtbot, main_window)
    text = main_window.details.toPlainText()
    timeline = text[text.index("Diễn biến"):]
    assert "Kết nạp vào Đảng, sinh hoạt tại" in timeline or "Vào Đảng" in timeline
    from PySide6.QtWidgets import QTextBrowser

    whole = QTextBrowser()  # the panel at full height, to look at
    whole.setHtml(main_window.details.toHtml())
    whole.resize(700, 1100)
    whole.grab().save("/tmp/members_timeline.png")


def test_admission_target_of_the_term_in_one_click(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.members.target_dialog import AdmissionTargetDialog

    menu = next(a.menu() for a in main_window.menuBar().actions() if a.text().replace("&", "") == "Đảng viên")
    next(a for a in menu.actions() if a.text() == "Kết nạp đảng viên so với chỉ tiêu…").trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, AdmissionTargetDialog) and w.isVisible())
    qtbot.waitUntil(lambda: dialog.found is not None, timeout=20_000)
    found = dialog.found
    assert dialog.sentence.text().startswith(f"Nhiệm kỳ {found.term} (từ ")
    assert f"kết nạp {found.total} đảng viên" in dialog.sentence.text() and found.total > 0
    assert dialog.table.item(0, 0).text() == "Toàn Đảng bộ"
    assert dialog.table.rowCount() == 1 + len(found.bodies)
    assert sum(int(dialog.table.item(r, dialog.table.columnCount() - 1).text()) for r in
               range(1, dialog.table.rowCount())) == found.total, "the bodies add up to the office"
    qtbot.wait(100)  # the wrapped sentence laid out
    dialog.grab().save("/tmp/members_target.png")
    dialog.close()


def open_from_menu(main_window, label: str, kind):  # type: ignore[no-untyped-def]
    menu = next(a.menu() for a in main_window.menuBar().actions() if a.text().replace("&", "") == "Đảng viên")
    next(a for a in menu.actions() if a.text() == label).trigger()
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible())


def test_three_people_admitted_in_one_decision_from_the_wizard(qtbot, main_window, answer_box) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from test_main_window import type_vietnamese

    from khoi_desktop.gui.members.admit_wizards import AdmitWizard
    from khoi_desktop.gui.workflows.request_wizard import qdate

    node = open_members_of_a_chi_bo(qtbot, main_window)  # selected in the tree: the wizard proposes it
    introducer = next(r for r in main_window.member_model.rows() if r.status.value == "chinh_thuc")
    wizard = open_from_menu(main_window, "Kết nạp đảng viên…", AdmitWizard)
    assert wizard.org.code() == node.code
    qtbot.waitUntil(lambda: wizard.last_check is not None, timeout=20_000)
    assert "Chưa có người nào trong danh sách" in wizard.form_page.reason.text()
    qtbot.mouseClick(wizard.add_button, Qt.MouseButton.LeftButton)
    assert wizard.form_page.reason.text().startswith("Chưa ghi đủ họ và tên"), "an empty person is not added"
    for family, middle, given, born in (("Lê", "Thị", "Hoà", "1996-03-08"), ("Nguyễn", "Đức", "Anh", "1990-12-31"),
                                        ("Đặng", "Thu", "Hương", "2001-07-15")):
        type_vietnamese(wizard.person.family, family)
        type_vietnamese(wizard.person.middle, middle)
        type_vietnamese(wizard.person.given, given)
        wizard.person.birth.setDate(qdate(dt.date.fromisoformat(born)))
        wizard.person.sex.setCurrentIndex(0)  # chosen by the clerk (no default)
        qtbot.mouseClick(wizard.add_button, Qt.MouseButton.LeftButton)
    assert [p.full_name for p in wizard.people] == ["Lê Thị Hoà", "Nguyễn Đức Anh", "Đặng Thu Hương"]
    type_vietnamese(wizard.introducers, introducer.code)
    wizard.admitted_on.setDate(qdate(dt.date.today()))  # chosen by the clerk (no default)
    with qtbot.waitSignal(wizard.checked, timeout=20_000) as checked:
        wizard.run_check()
    assert checked.args == [True], wizard.last_check.problems
    wizard.grab().save("/tmp/members_admit_wizard.png")
    with qtbot.waitSignal(wizard.checked, timeout=20_000):  # the decision page checks again on entering
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    preview = wizard.decision_page.preview.toPlainText()
    assert "Kết nạp 03 đồng chí (có danh sách kèm theo)" in preview
    wizard.grab().save("/tmp/members_admit_decision.png")
    answered = answer_box("Ban hành")
    with qtbot.waitSignal(main_window.overview_loaded, timeout=20_000):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert answered
    wait_idle(qtbot, main_window)
    close_result_boxes()
    main_window.select_org(node.id)
    qtbot.waitUntil(lambda: len(main_window.member_model.rows()) == node.members + 3, timeout=20_000)
    names = {r.full_name: r.status.value for r in main_window.member_model.rows()}
    assert names["Lê Thị Hoà"] == names["Đặng Thu Hương"] == "du_bi"


def test_an_under_age_person_is_refused_in_place(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from test_main_window import type_vietnamese

    from khoi_desktop.gui.members.admit_wizards import AdmitWizard
    from khoi_desktop.gui.workflows.request_wizard import qdate

    open_members_of_a_chi_bo(qtbot, main_window)
    wizard = open_from_menu(main_window, "Kết nạp đảng viên…", AdmitWizard)
    type_vietnamese(wizard.person.family, "Trần")
    type_vietnamese(wizard.person.given, "Bình")
    wizard.person.birth.setDate(qdate(dt.date.today() - dt.timedelta(days=365 * 17)))
    wizard.person.sex.setCurrentIndex(0)  # chosen by the clerk (no default)
    wizard.admitted_on.setDate(qdate(dt.date.today()))  # chosen by the clerk (no default)
    qtbot.mouseClick(wizard.add_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(wizard.checked, timeout=20_000) as checked:
        wizard.run_check()
    assert checked.args == [False]
    assert "chưa đủ 18 tuổi" in wizard.form_page.reason.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.reject()


def test_a_member_received_from_another_province(qtbot, main_window, answer_box, demo_path) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from test_main_window import type_vietnamese

    from khoi_desktop.gui.members.admit_wizards import ReceiveWizard
    from khoi_desktop.gui.workflows.request_wizard import qdate

    node = open_members_of_a_chi_bo(qtbot, main_window)
    wizard = open_from_menu(main_window, "Tiếp nhận đảng viên từ ngoài Đảng bộ…", ReceiveWizard)
    wizard.org.setCurrentIndex(-1)
    type_vietnamese(wizard.org.lineEdit(), node.name[:-1])  # a name cut short names no chi bộ
    qtbot.waitUntil(lambda: wizard.last_check is not None, timeout=20_000)
    with qtbot.waitSignal(wizard.checked, timeout=20_000):
        wizard.run_check()
    assert "Chưa ghi tổ chức đảng chuyển đi" in wizard.form_page.reason.text()
    type_vietnamese(wizard.from_body, "Đảng bộ tỉnh Bắc Ninh")
    type_vietnamese(wizard.person.family, "Phùng")
    type_vietnamese(wizard.person.middle, "Thị")
    type_vietnamese(wizard.person.given, "Ngọc")
    wizard.person.birth.setDate(qdate(dt.date(1988, 5, 2)))
    wizard.person.sex.setCurrentIndex(0)  # chosen by the clerk (no default)
    wizard.admitted_on.setDate(qdate(dt.date(2015, 9, 2)))
    wizard.first_admitted.setDate(qdate(dt.date(2001, 3, 15)))  # re-admitted in 2015, out of the Party 2009-2015
    wizard.gap_days.selectAll()
    qtbot.keyClicks(wizard.gap_days, "9999")
    assert wizard.gap_days.value() == 9999
    with qtbot.waitSignal(wizard.checked, timeout=20_000) as checked:
        wizard.run_check()
    assert checked.args == [False] and "tên «" in wizard.form_page.reason.text()
    wizard.org.select_code(node.code)
    with qtbot.waitSignal(wizard.checked, timeout=20_000) as checked:
        wizard.run_check()
    assert checked.args == [False] and "Số ngày gián đoạn (9999)" in wizard.form_page.reason.text()
    wizard.gap_days.setValue(2200)
    with qtbot.waitSignal(wizard.checked, timeout=20_000) as checked:
        wizard.run_check()
    assert checked.args == [True], wizard.last_check.problems
    wizard.grab().save("/tmp/members_receive_wizard.png")
    with qtbot.waitSignal(wizard.checked, timeout=20_000):  # the decision page checks again on entering
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert "Phùng Thị Ngọc" in wizard.decision_page.preview.toPlainText()
    answered = answer_box("Ban hành")
    with qtbot.waitSignal(main_window.overview_loaded, timeout=20_000):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert answered
    wait_idle(qtbot, main_window)
    close_result_boxes()
    main_window.select_org(node.id)
    qtbot.waitUntil(lambda: len(main_window.member_model.rows()) == node.members + 1, timeout=20_000)
    assert "Phùng Thị Ngọc" in {r.full_name for r in main_window.member_model.rows()}
    from sqlalchemy import select

    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.models import Member

    db = open_database(demo_path)
    with db.reading() as s:
        received = s.execute(select(Member.party_age_from, Member.party_age_gap_days)
                             .where(Member.given_name == "Ngọc", Member.family_name == "Phùng")).one()
    db.close()
    assert tuple(received) == (dt.date(2001, 3, 15), 2200), "the interruption the record declares is kept"


def test_a_dang_bo_authorized_from_the_tree_then_decides_its_admissions(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    from test_main_window import type_vietnamese

    from khoi_desktop.gui.members.admit_wizards import AdmitWizard

    snapshot = main_window.tree_model.snapshot
    dang_bo = next(n for n in sorted(snapshot.nodes.values(), key=lambda n: n.code)
                   if n.kind.value == "dang_bo_co_so" and n.active and n.children)
    chi_bo = next(snapshot.nodes[c] for c in dang_bo.children if snapshot.nodes[c].kind.is_chi_bo)
    menu = main_window.tree_menu(dang_bo)
    with qtbot.waitSignal(main_window.overview_loaded, timeout=20_000):
        next(a for a in menu.actions() if a.text() == "Ủy quyền kết nạp đảng viên cho đảng ủy này").trigger()
    assert dang_bo.code in main_window.settings.admitting_bodies
    assert "Thôi ủy quyền kết nạp đảng viên" in [a.text() for a in main_window.tree_menu(dang_bo).actions()]
    main_window.select_org(chi_bo.id)
    wait_idle(qtbot, main_window)
    wizard = open_from_menu(main_window, "Kết nạp đảng viên…", AdmitWizard)
    assert wizard.org.code() == chi_bo.code
    type_vietnamese(wizard.person.family, "Lò")
    type_vietnamese(wizard.person.given, "Sương")
    wizard.person.birth.setDate(QDate(1994, 6, 1))  # typed: the form has no default birth date
    wizard.person.sex.setCurrentIndex(0)  # chosen by the clerk (no default)
    wizard.admitted_on.setDate(QDate.currentDate())  # chosen by the clerk (no default)
    qtbot.mouseClick(wizard.add_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(wizard.checked, timeout=20_000) as checked:
        wizard.run_check()
    assert checked.args == [True], wizard.last_check.problems
    assert wizard.issuer is not None and wizard.issuer[0] == dang_bo.code, "proposed: the đảng ủy decides"
    assert wizard.button(QWizard.WizardButton.FinishButton).text() == "&Ghi nhận…"
    with qtbot.waitSignal(wizard.checked, timeout=20_000):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    committee = "ĐẢNG ỦY" + dang_bo.name.upper()[len("ĐẢNG BỘ"):]
    assert f"{committee} QUYẾT ĐỊNH" in wizard.decision_page.preview.toPlainText()
    issuer = wizard.decision_page.issuer.text()
    assert "(đảng ủy cơ sở được ủy quyền kết nạp đảng viên)" in issuer and "cấp trên trực tiếp" not in issuer
    assert "Căn cứ sự ủy quyền của Ban Thường vụ" in wizard.decision_page.preview.toPlainText()
    wizard.grab().save("/tmp/members_admit_by_dang_uy.png")
    wizard.reject()


def test_admit_form_has_no_made_up_birth_date_and_whole_headers(qtbot, main_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A new clerk's look at the admission form: the birth date asks to be typed (no 01/01/1995 to leave by
    mistake) and every column of the list shows its whole header."""
    import datetime as dt

    from test_main_window import type_vietnamese

    from khoi_desktop.gui.members.admit_wizards import AdmitWizard
    from khoi_desktop.gui.workflows.request_wizard import qdate

    open_members_of_a_chi_bo(qtbot, main_window)
    wizard = open_from_menu(main_window, "Kết nạp đảng viên…", AdmitWizard)
    birth = wizard.person.birth
    assert birth.text() == "Chưa nhập"
    type_vietnamese(wizard.person.family, "Lê")
    type_vietnamese(wizard.person.given, "Hoà")
    qtbot.mouseClick(wizard.add_button, Qt.MouseButton.LeftButton)
    assert wizard.people == [] and wizard.form_page.reason.text().startswith("Chưa ghi ngày sinh")
    birth.setDate(qdate(dt.date(1996, 3, 8)))
    wizard.person.sex.setCurrentIndex(0)  # chosen by the clerk (no default)
    qtbot.mouseClick(wizard.add_button, Qt.MouseButton.LeftButton)
    assert [p.birth_date for p in wizard.people] == [dt.date(1996, 3, 8)]
    assert birth.text() == "Chưa nhập", "the next person starts unset too"
    wizard.grab().save(str(tmp_path / "admit.png"))
    header = wizard.table.horizontalHeader()
    metrics = header.fontMetrics()
    for column in range(wizard.table.columnCount()):
        title = wizard.table.horizontalHeaderItem(column).text()
        assert header.sectionSize(column) >= metrics.horizontalAdvance(title), title
    assert sum(header.sectionSize(c) for c in range(wizard.table.columnCount())) <= wizard.table.viewport().width()
    wizard.reject()


def test_transfer_with_a_chi_bo_chosen_and_a_body_typed_is_not_silently_sent_outside(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """The clerk chose a chi bộ, then also typed a body outside the office: the wizard does not drop the chi bộ
    and send the member outside; it says to keep one place. Emptying the body leaves the chi bộ chosen."""
    from test_main_window import type_vietnamese

    from khoi_desktop.gui.members.wizards import TransferMemberWizard

    open_members_of_a_chi_bo(qtbot, main_window)
    member = main_window.member_model.rows()[0]
    wizard = start(qtbot, main_window, member, "Chuyển sinh hoạt đảng…", TransferMemberWizard)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    wizard.target.setCurrentIndex(0)  # the clerk picks the first chi bộ offered
    chosen = wizard.target.itemData(0)
    type_vietnamese(wizard.to_body, "Đảng bộ tỉnh Bắc Ninh")
    qtbot.waitUntil(lambda: wizard.last_check is not None, timeout=20_000)
    assert not next_button.isEnabled()
    assert "Nêu một nơi đến" in wizard.form_page.reason.text()
    wizard.to_body.clear()
    qtbot.waitUntil(lambda: wizard.last_check is not None and next_button.isEnabled(), timeout=20_000)
    request = wizard.request()
    assert request.to == chosen and request.to_body is None
    wizard.reject()
