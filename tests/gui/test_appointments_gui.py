"""Appointments on the demo office: register a submission, end a Bí thư's seat, approve a new Bí thư picked by
typing an accent-free name, appoint an additional committee member, and watch the committee view and the term
summary change; ineligible picks are refused with their reasons."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget
from test_main_window import type_vietnamese, wait_idle

from khoi_desktop.core.appointments.committees import committee_view
from khoi_desktop.core.db import open_database
from khoi_desktop.core.members import members_of
from khoi_desktop.core.models import MemberStatus, SeatRole
from khoi_desktop.core.text import fold
from khoi_desktop.core.tree import load_snapshot
from khoi_desktop.gui.appointments import (
    open_appoint_dialog,
    open_end_seat_dialog,
    open_submissions,
    open_summary,
)

TIMEOUT = 20_000


def close_message_boxes() -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            widget.done(0)


@pytest.fixture
def chi_bo(demo_path):  # type: ignore[no-untyped-def]
    """A chi bộ cơ sở of the demo with a chi ủy (9+ full members), its Bí thư, a plain chi ủy viên, an eligible
    member outside the committee and, if any, a probationary member."""
    db = open_database(demo_path)
    today = dt.date.today()
    with db.reading() as session:
        snapshot = load_snapshot(session, today)
        for node in sorted(snapshot.nodes.values(), key=lambda n: n.code):
            if node.kind.value != "chi_bo_co_so" or node.direct_full < 9:
                continue
            view = committee_view(session, node.id, today, snapshot)
            bi_thu = [h for h in view.holders if SeatRole.BI_THU in h.roles]
            plain = [h for h in view.holders if h.roles == [SeatRole.CAP_UY_VIEN]]
            rows = members_of(session, [node.id], today)
            held = {h.member_code for h in view.holders}
            outside = [r for r in rows if r.code not in held and r.status is MemberStatus.CHINH_THUC]
            probationary = [r for r in rows if r.status is MemberStatus.DU_BI]
            if bi_thu and plain and outside and probationary and not view.vacancies:
                db.close()
                return {"node": node, "bi_thu": bi_thu[0], "plain": plain[0], "outside": outside[0],
                        "probationary": probationary[0]}
    db.close()
    pytest.fail("the demo has no chi bộ cơ sở fit for this test")


def pick(qtbot, dialog, full_name: str) -> None:  # type: ignore[no-untyped-def]
    """Type the name without accents, the way a clerk in a hurry does, and pick the exact person."""
    dialog.picker.search.clear()
    with qtbot.waitSignal(dialog.picker.results_shown, timeout=TIMEOUT):
        type_vietnamese(dialog.picker.search, fold(full_name))
    names = [c.full_name for c in dialog.picker.candidates()]
    assert full_name in names
    dialog.picker.results.setCurrentRow(names.index(full_name))
    dialog.picker.pick_current()


def wait_checked(qtbot, dialog) -> bool:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(dialog.checked, timeout=TIMEOUT) as checked:
        dialog.refresh()
    return checked.args[0]


def issue(qtbot, window, dialog) -> None:  # type: ignore[no-untyped-def]
    """Click "Ban hành…" and answer the confirmation as a clerk does."""
    answered: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        answered.append(box.text())
        qtbot.mouseClick(next(b for b in box.buttons() if b.text() == "Ban hành"), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    with qtbot.waitSignal(dialog.saved, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    assert answered, "the clerk is asked before a decision is issued"
    wait_idle(qtbot, window)
    close_message_boxes()


def test_submission_new_bi_thu_additional_member_and_summary(qtbot, main_window, chi_bo) -> None:  # type: ignore[no-untyped-def]
    window, node = main_window, chi_bo["node"]
    summary = open_summary(window)
    qtbot.waitUntil(lambda: summary.summary is not None, timeout=TIMEOUT)
    assert summary.summary.total.decisions == 0
    assert summary.sentence.text().startswith("Nhiệm kỳ 2025 - 2030: 0 quyết định")

    window.select_org(node.id)
    window.bottom_tabs.setCurrentWidget(window.committee_panel)
    panel = window.committee_panel
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.org_id == node.id, timeout=TIMEOUT)
    assert "Cấp ủy đủ chức danh" in panel.notes.text()

    # 1. The submission arrives and is registered.
    register = open_submissions(window)
    qtbot.waitUntil(lambda: register.summary.text() != "", timeout=TIMEOUT)
    form = register.open_form()
    assert form.org.currentData() == node.code, "the form starts on the selected organization"
    form.number.setText("12-TTr/CB")
    type_vietnamese(form.subject, "đề nghị chuẩn y Bí thư Chi bộ")
    with qtbot.waitSignal(register.loaded, timeout=TIMEOUT):
        form.save()
    rows = register.model.rows()
    assert [(r.register_number, r.status.label, r.age_days) for r in rows] == [("12-TTr/CB", "Đã nhận", 0)]
    register.close()

    # 2. The Bí thư retires: the whole seat ends, leaving a vacancy.
    bi_thu = chi_bo["bi_thu"]
    ending = open_end_seat_dialog(window, node.id, bi_thu.member_code)
    qtbot.waitUntil(lambda: ending.loaded, timeout=TIMEOUT)
    ending.role.setCurrentIndex(ending.role.findData("cap_uy_vien"))
    assert ending.reason.currentText() == "nghỉ hưu theo chế độ"
    assert wait_checked(qtbot, ending)
    assert "thôi tham gia Chi ủy và thôi giữ chức Bí thư" in ending.preview.toPlainText()
    issue(qtbot, window, ending)
    qtbot.waitUntil(lambda: panel.view is not None and bi_thu.member_code not in
                    {h.member_code for h in panel.view.holders}, timeout=TIMEOUT)
    assert f"Khuyết Bí thư {node.name}." in panel.notes.text()

    # 3. A chi ủy viên is approved as Bí thư, citing the submission.
    dialog = open_appoint_dialog(window, node.id)
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.picker.searching, timeout=TIMEOUT)
    assert dialog.mode.currentData() is None and dialog.submission.currentData() == "12-TTr/CB"
    dialog.mode.setCurrentIndex(dialog.mode.findData("chuan_y"))
    plain = chi_bo["plain"]
    pick(qtbot, dialog, plain.full_name)
    assert dialog.seats() == [], "already a chi ủy viên: no role ticked by default"
    dialog.set_role(plain.member_code, SeatRole.BI_THU)
    assert wait_checked(qtbot, dialog)
    text = dialog.preview.toPlainText()
    assert f"về việc chuẩn y Bí thư {node.name} nhiệm kỳ 2025 - 2030" in text
    assert "Xét Tờ trình số 12-TTr/CB" in text
    issue(qtbot, window, dialog)
    qtbot.waitUntil(lambda: any(h.member_code == plain.member_code and SeatRole.BI_THU in h.roles
                                for h in panel.view.holders), timeout=TIMEOUT)
    assert "Bí thư" in panel.holders.cells(panel.holders.rows()[0])[1]

    # 4. An additional chi ủy viên fills the seat the retired Bí thư left.
    dialog = open_appoint_dialog(window, node.id)
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.picker.searching, timeout=TIMEOUT)
    dialog.mode.setCurrentIndex(dialog.mode.findData("chi_dinh"))
    outside = chi_bo["outside"]
    pick(qtbot, dialog, outside.full_name)
    assert [(s.member, s.role) for s in dialog.seats()] == [(outside.code, "cap_uy_vien")]
    assert wait_checked(qtbot, dialog)
    assert "về việc chỉ định bổ sung Chi ủy viên" in dialog.preview.toPlainText()
    issue(qtbot, window, dialog)
    qtbot.waitUntil(lambda: outside.code in {h.member_code for h in panel.view.holders}, timeout=TIMEOUT)

    # 5. The term summary follows: two appointing decisions (ending a seat is not one).
    qtbot.waitUntil(lambda: summary.summary.total.decisions == 2, timeout=TIMEOUT)
    assert summary.summary.total.as_dict() == {"decisions": 2, "cap_uy_vien": 1, "uy_vien_btv": 0, "bi_thu": 1,
                                               "pho_bi_thu": 0}
    assert [(o.org_code, o.decisions) for o in summary.summary.orgs] == [(node.code, 2)]
    register = open_submissions(window)
    register.pending_only.setChecked(False)
    qtbot.waitUntil(lambda: register.model.rowCount() == 1 and register.model.rows()[0].status.label ==
                    "Đã ban hành", timeout=TIMEOUT)
    assert register.model.rows()[0].decision_code == "02-QĐ/ĐUK"
    register.close()
    summary.close()


def test_ineligible_picks_are_refused_with_reasons(qtbot, main_window, chi_bo) -> None:  # type: ignore[no-untyped-def]
    node = chi_bo["node"]
    dialog = open_appoint_dialog(main_window, node.id)
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.picker.searching, timeout=TIMEOUT)
    dialog.mode.setCurrentIndex(dialog.mode.findData("chuan_y"))
    probationary = chi_bo["probationary"]
    pick(qtbot, dialog, probationary.full_name)
    item = dialog.picker.results.currentItem()
    assert "đảng viên dự bị: không đủ điều kiện" in item.text()
    assert not wait_checked(qtbot, dialog)
    status = dialog.status.text()
    assert f"Đồng chí {probationary.full_name} ({probationary.code}) là đảng viên dự bị" in status
    assert not dialog.issue_button.isEnabled() and not dialog.draft_button.isEnabled()

    dialog.chosen.selectRow(0)
    dialog.remove_selected()
    assert dialog.chosen.rowCount() == 0
    pick(qtbot, dialog, chi_bo["plain"].full_name)
    dialog.set_role(chi_bo["plain"].member_code, SeatRole.BI_THU)
    assert not wait_checked(qtbot, dialog)
    assert f"nhưng đồng chí {chi_bo['bi_thu'].full_name} đang giữ chức này" in dialog.status.text()
    dialog.close()


def test_tree_context_menu_offers_the_committee(qtbot, main_window, chi_bo) -> None:  # type: ignore[no-untyped-def]
    node = main_window.tree_model.snapshot.nodes[chi_bo["node"].id]
    labels = [a.text() for a in main_window.tree_menu(node).actions()]
    assert "Cấp ủy…" in labels and "Chỉ định, chuẩn y…" in labels
    menu = next(a for a in main_window.menuBar().actions() if a.text() == "Cấ&p ủy").menu()
    assert [a.text() for a in menu.actions() if a.text()][:2] == ["Cấp ủy của tổ chức đang chọn…",
                                                                  "Chỉ định, chuẩn y…"]



def test_first_congress_of_a_dang_bo_bo_phan_is_approved(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    window = main_window
    node = next(n for n in window.tree_model.snapshot.nodes.values() if n.kind.value == "dang_bo_bo_phan")
    window.select_org(node.id)
    window.bottom_tabs.setCurrentWidget(window.committee_panel)
    panel = window.committee_panel
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.org_id == node.id, timeout=TIMEOUT)
    assert panel.view.vacancies == ["Chưa có cấp ủy: cần chỉ định hoặc chuẩn y kết quả bầu cử."]

    dialog = open_appoint_dialog(window, node.id, election=True)
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.picker.searching, timeout=TIMEOUT)
    assert dialog.term.text() == "2025-2030" and dialog.committee_size.isVisible()
    dialog.committee_size.setValue(5)
    eligible = [i for i, c in enumerate(dialog.picker.candidates()) if not c.problem][:5]
    for row in eligible:
        dialog.picker.results.setCurrentRow(row)
        dialog.picker.pick_current()
    first, second = dialog.codes()[:2]
    dialog.set_role(first, SeatRole.BI_THU)
    dialog.set_role(second, SeatRole.PHO_BI_THU)
    dialog.set_role(second, SeatRole.UY_VIEN_BTV)
    assert not wait_checked(qtbot, dialog)
    assert f"{node.name} là đảng bộ bộ phận: không có Ban Thường vụ." in dialog.status.text()
    dialog.set_role(second, SeatRole.UY_VIEN_BTV, on=False)
    assert wait_checked(qtbot, dialog)
    assert (f"về việc chuẩn y kết quả bầu cử Ban Chấp hành, Bí thư, Phó Bí thư {node.name} nhiệm kỳ 2025 - 2030"
            in dialog.preview.toPlainText())
    # A đảng bộ bộ phận's committee is approved by the đảng ủy cơ sở above it: its decision is recorded.
    assert dialog.issuer is not None and not dialog.recorded.isHidden()
    assert dialog.issue_button.text() == "&Ghi nhận…"
    dialog.recorded.setChecked(True)
    dialog.recorded.number.setText("11-QĐ/ĐU")
    dialog.recorded.signed_on.setDate(QDate.currentDate())  # unset until typed
    dialog.recorded.signer.setText("Lê Văn Bình")
    assert wait_checked(qtbot, dialog)
    issue(qtbot, window, dialog)
    qtbot.waitUntil(lambda: panel.view is not None and len(panel.view.holders) == 5, timeout=TIMEOUT)
    assert panel.view.term.label == "2025-2030" and panel.view.term.size == 5 and panel.view.term.size_recorded
    assert panel.view.vacancies == []
    assert panel.view.term.decision == "11-QĐ/ĐU"


def test_appointing_the_committee_is_offered_right_after_founding(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.request_json import parse_request
    from khoi_desktop.gui.appointments.appoint_dialog import AppointDialog
    from khoi_desktop.gui.workflows import jobs
    from khoi_desktop.gui.workflows.result import show_result

    window = main_window
    snapshot = window.tree_model.snapshot
    source = next(n for n in sorted(snapshot.nodes.values(), key=lambda n: n.code)
                  if n.kind.value == "chi_bo_truc_thuoc" and n.direct_full >= 20)
    db = open_database(window.worker.db.path)
    with db.reading() as session:
        codes = [r.code for r in members_of(session, [source.id], dt.date.today())
                 if r.status is MemberStatus.CHINH_THUC][:4]
    db.close()
    dang_uy = snapshot.nodes[source.parent_id]
    while dang_uy.kind.value != "dang_bo_co_so":
        dang_uy = snapshot.nodes[dang_uy.parent_id]
    # Founded by the đảng ủy cơ sở above it (issue 13): its signed decision is recorded.
    request = parse_request({"action": "found", "kind": "chi_bo_truc_thuoc", "name": "Chi bộ Phòng Số hóa",
                             "parent": snapshot.parent_code(source), "members": codes, "issuer": dang_uy.code,
                             "recorded": {"number": "21-QĐ/ĐU", "signed_on": dt.date.today().isoformat(),
                                          "signer": "Lê Văn Bình"}})
    saved = []
    window.worker.submit(jobs.save_request(request=request, issue=True, today=dt.date.today()), saved.append)
    qtbot.waitUntil(lambda: bool(saved), timeout=TIMEOUT)
    box = show_result(window, saved[0])
    button = next(b for b in box.buttons() if b.text() == "Chỉ định cấp ủy")
    button.click()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, AppointDialog) and w.isVisible())
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.picker.searching, timeout=TIMEOUT)
    assert dialog.mode.currentData() == "chi_dinh" and dialog.term.text() == "2025-2030"
    assert sorted(c.code for c in dialog.picker.candidates()) == sorted(codes)
    dialog.picker.results.setCurrentRow(0)
    dialog.picker.pick_current()
    assert [s.role for s in dialog.seats()] == ["bi_thu"], "4 members: no chi ủy, a Bí thư"
    assert wait_checked(qtbot, dialog)
    assert "về việc chỉ định Bí thư Chi bộ Phòng Số hóa nhiệm kỳ 2025 - 2030" in dialog.preview.toPlainText()
    assert dialog.issuer == (dang_uy.code, dang_uy.name.replace("Đảng bộ", "Đảng ủy", 1))
    dialog.close()
    close_message_boxes()


def test_submission_form_finds_the_people_proposed_by_name(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.appointments.submissions_dialog import SubmissionForm
    from khoi_desktop.gui.workflows.member_picker import CODE_ROLE

    snapshot = main_window.tree_model.snapshot
    org = next(n for n in snapshot.active_nodes() if n.kind.value == "chi_bo_co_so")
    with qtbot.waitSignal(main_window.members_loaded, timeout=20_000):
        main_window.select_org(org.id)
    target = main_window.member_model.rows()[0]
    form = SubmissionForm(main_window, org.id)
    qtbot.addWidget(form)
    form.number.setText("15-TTr/CB")
    form.subject.setText("đề nghị chuẩn y Bí thư")
    with qtbot.waitSignal(form.members.results_shown, timeout=20_000):
        form.members.search.setText(fold(target.full_name))
    results = form.members.results
    next(results.item(i) for i in range(results.count()) if results.item(i).data(CODE_ROLE) == target.code
         ).setSelected(True)
    form.members.add_selected()
    with qtbot.waitSignal(form.registered, timeout=20_000) as registered:
        form.save()
    row = registered.args[0]
    assert (row.register_number, row.org_code) == ("15-TTr/CB", org.code)
    assert row.members == [(target.code, target.full_name)]


def test_the_committee_size_recorded_is_announced_to_every_screen(qtbot, main_window, chi_bo) -> None:  # type: ignore[no-untyped-def]
    """Recorded from the panel: the panel, the term summary and the findings hear it as a change of committees."""
    from PySide6.QtWidgets import QInputDialog

    from khoi_desktop.core.changes import Area

    window, node = main_window, chi_bo["node"]
    window.select_org(node.id)
    window.bottom_tabs.setCurrentWidget(window.committee_panel)
    panel = window.committee_panel
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.org_id == node.id, timeout=TIMEOUT)
    assert panel.view.term is not None and not panel.size_button.isHidden()
    heard: list[object] = []
    window.data_changed.connect(heard.append)
    summary_screen: list[int] = []
    window.on_change(frozenset({Area.COMMITTEES}), lambda: summary_screen.append(1))

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QInputDialog):
            QTimer.singleShot(20, answer)
            return
        box.setIntValue(11)
        box.accept()

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(panel.size_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.view.term.size == 11 and panel.view.term.size_recorded, timeout=TIMEOUT)
    assert heard == [frozenset({Area.COMMITTEES})] and summary_screen == [1]
    wait_idle(qtbot, window)


def test_enter_right_after_typing_picks_the_typed_member_not_the_first_row(qtbot, main_window, chi_bo) -> None:  # type: ignore[no-untyped-def]
    """A quick clerk types a name and presses Enter before the list has caught up: the member typed is added,
    never the first row of the list as it stood before (it added «the first member of the chi bộ»)."""
    dialog = open_appoint_dialog(main_window, chi_bo["node"].id)
    qtbot.waitUntil(lambda: dialog.loaded and bool(dialog.picker.candidates()) and not dialog.picker.searching,
                    timeout=TIMEOUT)
    wanted = chi_bo["outside"]
    first = dialog.picker.candidates()[0]
    assert first.code != wanted.code
    dialog.picker.search.setFocus()
    qtbot.keyClicks(dialog.picker.search, fold(wanted.full_name) + " ")
    qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.codes() != [] or not dialog.picker.searching, timeout=TIMEOUT)
    matches = [c for c in dialog.picker.candidates() if fold(c.full_name) == fold(wanted.full_name)]
    if len(dialog.picker.candidates()) == 1:
        assert dialog.codes() == [wanted.code]
    else:  # a name two members share: nobody is guessed, the clerk chooses in the list
        assert dialog.codes() == [] and len(matches) >= 1
        assert "chọn một người" in dialog.picker.count.text()
        dialog.picker.results.setCurrentRow([c.code for c in dialog.picker.candidates()].index(wanted.code))
        qtbot.keyClick(dialog.picker.results, Qt.Key.Key_Return)
        assert dialog.codes() == [wanted.code]
    dialog.reject()


def test_submission_form_typed_without_accents_and_enter_in_the_person_search(qtbot, main_window, chi_bo) -> None:  # type: ignore[no-untyped-def]
    """A clerk without a Vietnamese keyboard registers a tờ trình: types the sending organization's name without
    accents and takes it from the pop-up; types the person's name and presses Enter: the person is added and
    the form stays open (Enter saved the form, without the person)."""
    from khoi_desktop.gui.workflows.pickers import PATH_SEPARATOR

    node, wanted = chi_bo["node"], chi_bo["outside"]
    register = open_submissions(main_window)
    qtbot.waitUntil(lambda: register.summary.text() != "", timeout=TIMEOUT)
    form = register.open_form()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow, timeout=5_000)
    form.number.setText("07-TTr/CB")
    type_vietnamese(form.subject, "đề nghị chuẩn y Bí thư")
    line = form.org.lineEdit()
    line.clear()
    line.setFocus()
    qtbot.keyClicks(line, fold(node.name))
    completer = form.org.completer()
    offered = [completer.completionModel().index(i, 0).data() for i in range(completer.completionCount())]
    exact = [i for i, text in enumerate(offered) if text.split(PATH_SEPARATOR)[0] == node.name]
    assert exact, offered
    qtbot.waitUntil(completer.popup().isVisible, timeout=5_000)
    for _ in range(exact[0] + 1):
        qtbot.keyClick(completer.popup(), Qt.Key.Key_Down)
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
    assert form.org.code() == node.code

    form.members.search.setFocus()
    qtbot.keyClicks(form.members.search, " ".join([fold(wanted.full_name), ""]).strip())
    qtbot.keyClick(form.members.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.members.codes() != [] or form.members.results.hasFocus(), timeout=TIMEOUT)
    assert form.isVisible(), "Enter in the person search does not save the form"
    if not form.members.codes():  # a name two members share: the clerk chooses in the list
        rows = [form.members.results.item(i) for i in range(form.members.results.count())]
        form.members.results.setCurrentItem(next(r for r in rows if r.data(Qt.ItemDataRole.UserRole + 1)
                                                 == wanted.code))
        qtbot.keyClick(form.members.results, Qt.Key.Key_Return)
    assert form.members.codes() == [wanted.code]
    assert form.isVisible()
    with qtbot.waitSignal(register.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(next(b for b in form.findChildren(QPushButton) if b.text().replace("&", "") == "Lưu"),
                         Qt.MouseButton.LeftButton)
    assert [(r.register_number, r.org_code) for r in register.model.rows()] == [("07-TTr/CB", node.code)]
    register.close()


def type_date(qtbot, edit, typed: str) -> None:  # type: ignore[no-untyped-def]
    """Select the box's text by keyboard (Ctrl+A), type over it and Tab out, as a clerk does."""
    edit.setFocus(Qt.FocusReason.TabFocusReason)
    edit.lineEdit().selectAll()
    if typed:
        qtbot.keyClicks(edit, typed)
    else:
        qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)


def test_the_congress_day_typed_is_printed_and_one_after_the_decision_refused(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """«Ngày Đại hội» (congress_on, optional): printed «tại Đại hội … (ngày …)»; after the decision's day the
    core's refusal (congress_after_decision) is shown and nothing can be saved."""
    window = main_window
    node = next(n for n in window.tree_model.snapshot.nodes.values() if n.kind.value == "dang_bo_bo_phan")
    dialog = open_appoint_dialog(window, node.id, election=True)
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.picker.searching, timeout=TIMEOUT)
    congress = dialog.findChild(QWidget, "congress_on")
    assert congress is dialog.congress_on and congress.isVisible() and congress.text() == "Chưa nhập"
    dialog.committee_size.setValue(5)
    for row in [i for i, c in enumerate(dialog.picker.candidates()) if not c.problem][:5]:
        dialog.picker.results.setCurrentRow(row)
        dialog.picker.pick_current()
    first, second = dialog.codes()[:2]
    dialog.set_role(first, SeatRole.BI_THU)
    dialog.set_role(second, SeatRole.PHO_BI_THU)
    assert wait_checked(qtbot, dialog)
    assert dialog.request().congress_on is None  # left empty: optional
    held = dt.date.today() - dt.timedelta(days=10)
    type_date(qtbot, congress, held.strftime("%d/%m/%Y"))
    assert congress.text() == held.strftime("%d/%m/%Y")
    assert dialog.request().congress_on == held
    assert wait_checked(qtbot, dialog)
    assert f"(ngày {held.strftime('%d/%m/%Y')})" in dialog.preview.toPlainText()
    later = dt.date.today() + dt.timedelta(days=3)
    type_date(qtbot, congress, later.strftime("%d/%m/%Y"))
    assert not wait_checked(qtbot, dialog)
    assert (f"Ngày Đại hội {later.strftime('%d/%m/%Y')} sau ngày hiệu lực {dt.date.today().strftime('%d/%m/%Y')}"
            in dialog.status.text())
    assert not dialog.draft_button.isEnabled() and not dialog.issue_button.isEnabled()
    type_date(qtbot, congress, "")  # emptied: back to the prompt, no congress day asked
    assert congress.text() == "Chưa nhập" and dialog.request().congress_on is None
    dialog.mode.setCurrentIndex(dialog.mode.findData("chuan_y"))
    assert not congress.isVisible(), "only an election has a congress"
    dialog.reject()
