"""The split wizard end to end on the demo office, started from the findings panel; the decisions view."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWizard
from test_main_window import type_vietnamese, wait_idle

from khoi_desktop.core.changes import DRAFTED, ISSUED, Area
from khoi_desktop.gui.workflows import open_decisions
from khoi_desktop.gui.workflows.decisions_dialog import DecisionsDialog
from khoi_desktop.gui.workflows.split_wizard import SplitWizard

FIRST, SECOND = "Chi bộ Phòng Kỹ thuật số 1", "Chi bộ Phòng Kỹ thuật số 2"


def pick_members(qtbot, picker, rows) -> None:  # type: ignore[no-untyped-def]
    """Each member found by name in a MemberPicker's search, selected and moved over with «Chọn →»."""
    from khoi_desktop.gui.workflows.member_picker import CODE_ROLE

    button = next(b for b in picker.findChildren(QPushButton) if b.text().replace("&", "") == "Chọn →")
    for row in rows:
        with qtbot.waitSignal(picker.results_shown, timeout=20_000):
            picker.search.setText(row.full_name)
        results = picker.results
        item = next(results.item(i) for i in range(results.count()) if results.item(i).data(CODE_ROLE) == row.code)
        item.setSelected(True)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def start_split_from_findings(qtbot, window):  # type: ignore[no-untyped-def]
    finding = next(f for f in window.findings._findings if f.rule == "chi_bo_over_30" and f.severity == "warning")
    menu = window.finding_menu(finding)
    action = next(a for a in menu.actions() if a.text() == "Tách chi bộ…")
    action.trigger()
    wizard = next(w for w in QApplication.topLevelWidgets() if isinstance(w, SplitWizard) and w.isVisible())
    qtbot.waitUntil(lambda: wizard.assignment.source.count() == finding.members, timeout=20_000)
    return finding, wizard


def close_result_boxes() -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            widget.done(0)


def test_split_a_chi_bo_over_30_from_the_findings_panel(qtbot, main_window, answer_box) -> None:  # type: ignore[no-untyped-def]
    finding, wizard = start_split_from_findings(qtbot, main_window)
    assignment = wizard.assignment
    first, second = assignment.targets
    type_vietnamese(first.name_edit, FIRST)
    type_vietnamese(second.name_edit, SECOND)
    for row in range(3):
        assignment.source.item(row).setSelected(True)
    first.add_button.click()
    assert first.list.count() == 3 and assignment.source.count() == finding.members - 3
    assert first.tally_label.text().startswith("3 đảng viên:")
    assert not wizard.currentPage().isComplete(), "members left unassigned block the next step"
    assert "Còn" in assignment.messages.text() and "chưa được phân công" in assignment.messages.text()

    assignment.share_remaining()
    assert assignment.source.count() == 0
    assert first.list.count() + second.list.count() == finding.members
    qtbot.waitUntil(lambda: wizard.currentPage().isComplete(), timeout=20_000)

    with qtbot.waitSignal(wizard.checked, timeout=20_000) as checked:
        wizard.next()
    assert checked.args == [True]
    preview = wizard.decision_page.preview.toPlainText()
    assert f"về việc tách {finding.name}" in preview
    assert FIRST in preview and SECOND in preview
    # A chi bộ trực thuộc: its đảng ủy cơ sở decides; the clerk records the decision it signed.
    page = wizard.decision_page
    assert wizard.issuer is not None and page.issuer.text().startswith(wizard.issuer[1])
    assert not page.recorded.isHidden() and page.signer.isHidden()
    assert page.effective.text() == "Ngày ban hành" and page.common_fields()["effective"] is None
    assert wizard.buttonText(QWizard.WizardButton.FinishButton) == "&Ghi nhận…"
    record(qtbot, wizard, "07-QĐ/ĐU")

    sizes = sorted([first.list.count(), second.list.count()])
    answered = answer_box("Ghi nhận")
    with qtbot.waitSignal(main_window.overview_loaded, timeout=20_000):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert answered and "Ghi nhận quyết định đã ký của Đảng ủy" in answered[0]
    wait_idle(qtbot, main_window)
    close_result_boxes()
    snapshot = main_window.tree_model.snapshot
    assert snapshot.by_code(finding.org) is None, "the split chi bộ has ended"
    new = [n for n in snapshot.nodes.values() if n.name in (FIRST, SECOND)]
    assert sorted(n.members for n in new) == sizes
    assert "351 chi bộ trực thuộc" in main_window.totals_label.text()
    assert all(f.org != finding.org for f in main_window.findings._findings)

    dialog = open_decisions(main_window)
    qtbot.waitUntil(lambda: dialog.table.rowCount() >= 1, timeout=20_000)
    assert dialog.table.item(0, 0).text() == "07-QĐ/ĐU", "no number of this office used"
    assert dialog.table.item(0, 3).text() == f"về việc tách {finding.name}"
    dialog.close()


def test_a_chi_bo_left_with_too_few_full_members_is_refused_in_place(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    finding, wizard = start_split_from_findings(qtbot, main_window)
    assignment = wizard.assignment
    first, second = assignment.targets
    first.name_edit.setText("Chi bộ A")
    second.name_edit.setText("Chi bộ B")
    codes = assignment.source.codes()
    assignment.move_codes(codes[:-2], first.list)
    assignment.move_codes(codes[-2:], second.list)
    assert "Chi bộ B mới có" in assignment.messages.text() and "cần ít nhất 3" in assignment.messages.text()
    assert not wizard.currentPage().isComplete()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled() is False
    wizard.reject()


def test_two_new_chi_bo_of_one_name_are_refused_in_place(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    finding, wizard = start_split_from_findings(qtbot, main_window)
    assignment = wizard.assignment
    first, second = assignment.targets
    first.name_edit.setText("Chi bộ Phòng A")
    second.name_edit.setText("chi bộ phòng a")
    assignment.share_remaining()
    assert "Chi bộ mới 1 và 2 cùng tên «chi bộ phòng a»: hãy đặt tên khác nhau." in assignment.messages.text()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled() is False
    second.name_edit.setText("Chi bộ Phòng B")
    assert "cùng tên" not in assignment.messages.text()
    wizard.reject()


def record(qtbot, wizard, number: str) -> None:  # type: ignore[no-untyped-def]
    """Tick «Ghi nhận quyết định đã ký» and fill its number and signer, then wait for the check."""
    box = wizard.decision_page.recorded
    box.setChecked(True)
    box.number.setText(number)
    box.signed_on.setDate(QDate.currentDate())  # unset until typed
    with qtbot.waitSignal(wizard.checked, timeout=20_000) as checked:
        type_vietnamese(box.signer, "Lê Văn Bình")
    assert checked.args == [True], wizard.decision_page.status.text()


def draft_a_split(qtbot, main_window):  # type: ignore[no-untyped-def]
    """A split saved as a draft of the recording (the Đảng ủy's decision) with the wizard's "Lưu dự thảo"
    button, and the decisions view on it."""
    finding, wizard = start_split_from_findings(qtbot, main_window)
    wizard.assignment.targets[0].name_edit.setText("Chi bộ A")
    wizard.assignment.targets[1].name_edit.setText("Chi bộ B")
    wizard.assignment.share_remaining()
    with qtbot.waitSignal(wizard.checked, timeout=20_000):
        wizard.next()
    record(qtbot, wizard, "05-QĐ/ĐU")
    with qtbot.waitSignal(main_window.data_changed, timeout=20_000) as changed:
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.CustomButton1), Qt.MouseButton.LeftButton)
    assert changed.args == [DRAFTED]  # a draft: only the decisions views reload
    close_result_boxes()
    assert main_window.tree_model.snapshot.by_code(finding.org) is not None, "a draft changes nothing"
    dialog: DecisionsDialog = open_decisions(main_window)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=20_000)
    assert dialog.table.item(0, 4).text() == "Dự thảo"
    dialog.table.selectRow(0)
    return finding, dialog


def test_draft_then_issue_from_the_decisions_view(qtbot, main_window, answer_box) -> None:  # type: ignore[no-untyped-def]
    finding, dialog = draft_a_split(qtbot, main_window)
    assert dialog.issue_button.isEnabled()
    answered = answer_box("Ban hành")
    with qtbot.waitSignal(dialog.loaded, timeout=20_000):
        qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    assert answered and answered[0].startswith("Ban hành quyết định")
    wait_idle(qtbot, main_window)
    assert dialog.table.item(0, 0).text() == "05-QĐ/ĐU", "recorded with the đảng ủy's number, none of this office"
    assert main_window.tree_model.snapshot.by_code(finding.org) is None
    dialog.close()


def test_draft_discarded_from_the_decisions_view(qtbot, main_window, answer_box) -> None:  # type: ignore[no-untyped-def]
    finding, dialog = draft_a_split(qtbot, main_window)
    answered = answer_box("Hủy dự thảo")
    with qtbot.waitSignal(dialog.loaded, timeout=20_000):
        qtbot.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
    assert answered and answered[0].startswith("Hủy dự thảo")
    wait_idle(qtbot, main_window)
    assert dialog.table.rowCount() == 0 or dialog.table.item(0, 4).text() != "Dự thảo"
    assert main_window.tree_model.snapshot.by_code(finding.org) is not None
    dialog.close()


def test_found_a_chi_bo_with_members_picked_by_name(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.models import OrgKind
    from khoi_desktop.gui.workflows.form_wizards import FoundWizard

    snapshot = main_window.tree_model.snapshot
    parent = max((snapshot.nodes[i] for i in snapshot.roots if snapshot.nodes[i].kind is OrgKind.DANG_BO_CO_SO),
                 key=lambda n: n.members)
    donor = max((snapshot.nodes[c] for c in parent.children if snapshot.nodes[c].kind.is_chi_bo),
                key=lambda n: n.members)
    main_window.select_org(donor.id)
    qtbot.waitUntil(lambda: len(main_window.member_model.rows()) == donor.members, timeout=20_000)
    picked = [r for r in main_window.member_model.rows() if r.status.value == "chinh_thuc"][:3]

    wizard = FoundWizard(main_window, parent)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.kind.currentData() == "chi_bo_truc_thuoc" and wizard.parent_org.code() == parent.code
    type_vietnamese(wizard.name, "Chi bộ Phòng Quản lý chất lượng")
    pick_members(qtbot, wizard.members, picked)
    assert wizard.members.codes() == [r.code for r in picked]
    with qtbot.waitSignal(wizard.checked, timeout=20_000) as checked:
        wizard.next()
    assert checked.args == [True], wizard.decision_page.status.text()
    record(qtbot, wizard, "09-QĐ/ĐU")
    with qtbot.waitSignal(main_window.overview_loaded, timeout=20_000):
        wizard.save(issue=True, confirm=lambda: True)
    close_result_boxes()
    new = main_window.tree_model.snapshot.by_code(max(n.code for n in main_window.tree_model.snapshot.nodes.values()
                                                      if n.name == "Chi bộ Phòng Quản lý chất lượng"))
    assert new.members == 3 and new.parent_id == parent.id
    assert main_window.tree_model.snapshot.nodes[donor.id].members == donor.members - 3


def test_transfer_a_chi_bo_to_another_dang_bo(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.models import OrgKind
    from khoi_desktop.gui.workflows.form_wizards import TransferWizard

    snapshot = main_window.tree_model.snapshot
    dang_bo = [snapshot.nodes[i] for i in snapshot.roots if snapshot.nodes[i].kind is OrgKind.DANG_BO_CO_SO]
    source_parent, target = dang_bo[0], dang_bo[1]
    moving = next(snapshot.nodes[c] for c in source_parent.children
                  if snapshot.nodes[c].kind is OrgKind.CHI_BO_TRUC_THUOC)
    wizard = TransferWizard(main_window, moving)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.target.select_code(target.code)
    assert wizard.target.findData(source_parent.code) == -1, "the current parent is not offered"
    with qtbot.waitSignal(wizard.checked, timeout=20_000):
        wizard.next()
    assert "về việc chuyển " + moving.name in wizard.decision_page.preview.toPlainText()
    with qtbot.waitSignal(main_window.overview_loaded, timeout=20_000):
        wizard.save(issue=True, confirm=lambda: True)
    close_result_boxes()
    after = main_window.tree_model.snapshot
    assert after.nodes[moving.id].parent_id == target.id
    assert after.nodes[target.id].members == target.members + moving.members


def test_a_closed_decisions_view_stops_listening(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import SIGNAL

    def listeners() -> int:
        return main_window.receivers(SIGNAL("data_changed(PyObject)"))

    before = listeners()
    dialog = open_decisions(main_window)
    assert listeners() == before + 1
    qtbot.waitUntil(lambda: main_window.worker.pending == 0, timeout=20_000)
    dialog.close()
    assert listeners() == before


def test_each_screen_reloads_only_what_a_write_touched(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """A typed change set: the decisions view follows drafts; the main window only what issuing changes."""
    dialog = open_decisions(main_window)
    qtbot.waitUntil(lambda: main_window.worker.pending == 0, timeout=20_000)
    overviews: list[object] = []
    main_window.overview_loaded.connect(lambda: overviews.append(True))
    with qtbot.waitSignal(dialog.loaded, timeout=20_000):
        main_window.notify_changed(DRAFTED)
    qtbot.waitUntil(lambda: main_window.worker.pending == 0, timeout=20_000)
    assert overviews == [], "a draft changes nothing the main window shows"
    with qtbot.assertNotEmitted(dialog.loaded, wait=200):
        main_window.notify_changed(frozenset({Area.MEETINGS}))
    with qtbot.waitSignal(main_window.overview_loaded, timeout=20_000):
        main_window.notify_changed(ISSUED)
    qtbot.waitUntil(lambda: main_window.worker.pending == 0, timeout=20_000)
    dialog.close()


def test_found_a_dang_bo_co_so_with_its_chi_bo_truc_thuoc(qtbot, main_window, answer_box) -> None:  # type: ignore[no-untyped-def]
    """«Đảng bộ cơ sở» in the founding wizard: the members picked on the first page, two chi bộ trực thuộc named
    and the members shared out on «Chi bộ trực thuộc», one decision issued. It could only be refused
    (dang_bo_needs_branches): the member picker was disabled for a đảng bộ and there was no way to list its chi bộ."""

    from sqlalchemy import select

    from khoi_desktop.core.models import Decision, DecisionStatus, Organization, OrgKind
    from khoi_desktop.gui.workflows.form_wizards import FoundWizard

    snapshot = main_window.tree_model.snapshot
    donor = max((n for n in snapshot.active_nodes() if n.kind is OrgKind.CHI_BO_TRUC_THUOC), key=lambda n: n.members)
    main_window.select_org(donor.id)
    qtbot.waitUntil(lambda: len(main_window.member_model.rows()) == donor.members, timeout=20_000)
    picked = [r for r in main_window.member_model.rows() if r.status.value == "chinh_thuc"][:6]
    assert len(picked) == 6

    def issued() -> list[int]:
        with main_window.worker.db.reading() as s:
            return list(s.scalars(select(Decision.id).where(Decision.status == DecisionStatus.ISSUED)))

    before = issued()
    wizard = FoundWizard(main_window)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.kind.setCurrentIndex(wizard.kind.findText("Đảng bộ cơ sở"))
    assert wizard.members.isEnabled()
    type_vietnamese(wizard.name, "Đảng bộ Trung tâm Chuyển đổi số tỉnh")
    wizard.parent_org.setCurrentIndex(0)  # «Trực thuộc Đảng ủy Khối …»
    pick_members(qtbot, wizard.members, picked)
    assert wizard.members.codes() == [r.code for r in picked]
    qtbot.waitUntil(lambda: wizard.page_.isComplete(), timeout=20_000)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.branches_page

    assignment = wizard.assignment
    assert assignment.source.count() == 6 and len(assignment.targets) == 2
    first, second = assignment.targets
    names = ["Chi bộ Văn phòng Sở", "Chi bộ Phòng Quản lý công nghệ"]
    type_vietnamese(first.name_edit, names[0])
    type_vietnamese(second.name_edit, names[1])
    for panel in (first, second):
        for row in range(3):
            assignment.source.item(row).setSelected(True)
        qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    groups = {name: codes for name, codes in assignment.groups()}
    assert assignment.source.count() == 0 and [len(c) for c in groups.values()] == [3, 3]
    assert "Phân công hợp lệ." in assignment.messages.text()
    qtbot.waitUntil(lambda: wizard.last_check is not None, timeout=20_000)
    assert wizard.branches_page.isComplete(), wizard.branches_page.problems()
    with qtbot.waitSignal(wizard.checked, timeout=20_000):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.decision_page
    with qtbot.waitSignal(wizard.checked, timeout=20_000) as checked:  # under 30 members: the superior consents
        type_vietnamese(wizard.decision_page.consent, "Sở có 6 đảng viên, sẽ tăng sau khi hợp nhất")
    assert checked.args == [True], wizard.decision_page.status.text()
    preview = wizard.decision_page.preview.toPlainText()
    assert "Đảng bộ Trung tâm Chuyển đổi số tỉnh gồm 02 chi bộ trực thuộc" in preview, preview

    answered = answer_box("Ban hành")
    with qtbot.waitSignal(main_window.overview_loaded, timeout=20_000):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert answered
    wait_idle(qtbot, main_window)
    close_result_boxes()
    founded = sorted(set(issued()) - set(before))
    assert len(founded) == 1, "one decision"
    with main_window.worker.db.reading() as s:
        new = {o.name: o for o in s.scalars(select(Organization).where(Organization.founded_by_id == founded[0]))}
        assert sorted(new) == sorted(["Đảng bộ Trung tâm Chuyển đổi số tỉnh", *names])
        dang_bo = new["Đảng bộ Trung tâm Chuyển đổi số tỉnh"]
        assert dang_bo.kind is OrgKind.DANG_BO_CO_SO
        assert all(new[n].kind is OrgKind.CHI_BO_TRUC_THUOC for n in names)
    after = main_window.tree_model.snapshot
    assert after.by_code(dang_bo.code).parent_id is None and after.by_code(dang_bo.code).members == 6
    for name in names:
        node = after.by_code(new[name].code)
        assert node.members == 3 and node.parent_id == dang_bo.id
        main_window.select_org(node.id)
        qtbot.waitUntil(lambda name=name: sorted(r.code for r in main_window.member_model.rows())
                        == sorted(groups[name]), timeout=20_000)
    assert after.nodes[donor.id].members == donor.members - 6


def test_found_a_dang_bo_under_a_name_taken_is_told_on_the_first_page(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """A đảng bộ typed with the name of one already under the same parent: the first page says so and keeps
    «Tiếp» disabled (it was said only on the «Chi bộ trực thuộc» page, once the chi bộ had names)."""
    from khoi_desktop.core.models import OrgKind
    from khoi_desktop.gui.workflows.form_wizards import FoundWizard

    snapshot = main_window.tree_model.snapshot
    taken = next(n for n in snapshot.active_nodes() if n.kind is OrgKind.DANG_BO_CO_SO and n.parent_id is None)
    wizard = FoundWizard(main_window)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.kind.setCurrentIndex(wizard.kind.findText("Đảng bộ cơ sở"))
    type_vietnamese(wizard.name, taken.name)
    wizard.parent_org.setCurrentIndex(0)  # «Trực thuộc Đảng ủy Khối …»
    qtbot.waitUntil(lambda: "Đã có" in wizard.page_.reason.toolTip(), timeout=20_000)
    assert f"mã {taken.code}" in wizard.page_.reason.toolTip()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.reject()
