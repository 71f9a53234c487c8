"""What a clerk meets on a tour of the menus (issue 21): previews that answer, sign-out, the past shown as past."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid
from test_main_window import wait_idle

from khoi_desktop.core.models import OrgKind
from khoi_desktop.core.requests import Transfer
from khoi_desktop.gui.documents.preview_dialog import PreviewDialog
from khoi_desktop.gui.workflows import jobs, open_decisions


def issue_a_transfer(qtbot, window):  # type: ignore[no-untyped-def]
    """One issued decision in the list: a chi bộ trực thuộc moved to another đảng bộ."""
    snapshot = window.tree_model.snapshot
    dang_bo = [snapshot.nodes[i] for i in snapshot.roots if snapshot.nodes[i].kind is OrgKind.DANG_BO_CO_SO]
    moving = next(snapshot.nodes[c] for c in dang_bo[0].children
                  if snapshot.nodes[c].kind is OrgKind.CHI_BO_TRUC_THUOC)
    request = Transfer(action="transfer", org=moving.code, to=dang_bo[1].code, effective=dt.date.today(),
                       signer=window.settings.signers[0].name)
    saved = []
    window.worker.submit(jobs.save_request(request=request, issue=True, today=dt.date.today()), saved.append,
                         lambda error: saved.append(error))
    qtbot.waitUntil(lambda: bool(saved), timeout=20_000)
    assert isinstance(saved[0], jobs.Saved), saved[0]
    return saved[0]


def owners(widget):  # type: ignore[no-untyped-def]
    chain = []
    while widget is not None:
        chain.append(widget)
        widget = widget.parentWidget()
    return chain


def click_action(qtbot, toolbar, name: str) -> None:  # type: ignore[no-untyped-def]
    action = next(a for a in toolbar.actions() if a.objectName() == name)
    qtbot.mouseClick(toolbar.widgetForAction(action), Qt.MouseButton.LeftButton)


def test_preview_from_the_decisions_list_answers_its_buttons(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    issue_a_transfer(qtbot, main_window)
    dialog = open_decisions(main_window)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=20_000)
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(isinstance(w, PreviewDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=20_000)
    preview = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PreviewDialog) and w.isVisible())
    modal = QApplication.activeModalWidget()
    assert modal is None or modal in owners(preview), "the list must not block its preview"
    click_action(qtbot, preview.toolbar, "zoom_out")
    assert preview.view.zoomMode() == preview.view.ZoomMode.Custom
    click_action(qtbot, preview.toolbar, "close")
    assert not preview.isVisible()
    dialog.close()


def account_action(window, name: str):  # type: ignore[no-untyped-def]
    return next(a for a in window.account_menu.actions() if a.objectName() == name)


def test_a_colleague_takes_over_at_the_lock_screen_and_signs_out(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select
    from test_main_window import type_vietnamese

    from khoi_desktop.core.auth.accounts import create_account
    from khoi_desktop.core.auth.current import Role
    from khoi_desktop.core.auth.models import User
    from khoi_desktop.gui.documents import open_register

    window = main_window
    with window.worker.db.writing() as session:
        create_account(session, username="tranthib", full_name="Trần Thị B", role=Role.CHI_XEM,
                       password="mat-khau-cua-B")
    window.show()
    register = open_register(window)
    account_action(window, "lock_screen").trigger()
    lock = window.idle_lock.dialog
    assert lock is not None and not lock.username.isReadOnly(), "the user name can be changed"
    lock.username.clear()
    type_vietnamese(lock.username, "tranthib")
    type_vietnamese(lock.password, "mat-khau-cua-B")
    qtbot.mouseClick(lock.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.idle_lock.is_locked, timeout=20_000)
    wait_idle(qtbot, window)
    assert window.user.username == "tranthib" and "Trần Thị B" in window.user_label.text()
    assert not isValid(register) or not register.isVisible(), "the first user's screens close for the second"
    with window.worker.db.reading() as session:
        admin = session.scalars(select(User).where(User.username == "admin")).one()
        assert admin.failed_attempts == 0, "a colleague's own password is not a failed login of the locked account"

    account_action(window, "sign_out").trigger()
    login = window.idle_lock.dialog
    assert login.username.text() == "" and "đã đăng xuất" in login.findChild(type(window.user_label)).text()
    assert not window.centralWidget().isVisible()
    type_vietnamese(login.username, "admin")
    type_vietnamese(login.password, "sai")
    qtbot.mouseClick(login.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: login.message.text().strip() != "", timeout=20_000)
    height = login.password.height()
    type_vietnamese(login.password, "khoi-demo")
    assert login.message.text().strip() == "", "an old refusal goes once the clerk types again"
    assert login.password.height() == height
    qtbot.mouseClick(login.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.idle_lock.is_locked, timeout=20_000)
    assert window.user.username == "admin" and window.centralWidget().isVisible()


def test_the_second_person_added_is_not_made_bi_thu_too(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.members import members_of
    from khoi_desktop.core.models import MemberStatus
    from khoi_desktop.core.requests import parse_request
    from khoi_desktop.gui.appointments import open_appoint_dialog

    window = main_window
    snapshot = window.tree_model.snapshot
    source = next(n for n in sorted(snapshot.nodes.values(), key=lambda n: n.code)
                  if n.kind is OrgKind.CHI_BO_TRUC_THUOC and n.direct_full >= 20)
    with window.worker.db.reading() as session:
        codes = [r.code for r in members_of(session, [source.id], dt.date.today())
                 if r.status is MemberStatus.CHINH_THUC][:4]
    request = parse_request({"action": "found", "kind": "chi_bo_truc_thuoc", "name": "Chi bộ Phòng Số hóa",
                             "parent": snapshot.parent_code(source), "members": codes})
    saved = []
    window.worker.submit(jobs.save_request(request=request, issue=True, today=dt.date.today()), saved.append)
    qtbot.waitUntil(lambda: bool(saved), timeout=20_000)
    dialog = open_appoint_dialog(window, saved[0].created_org_ids[0])
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.picker.searching, timeout=20_000)
    for row in range(3):
        dialog.picker.results.setCurrentRow(row)
        qtbot.mouseClick(dialog.picker.pick_button, Qt.MouseButton.LeftButton)
    roles = [s.role for s in dialog.seats()]
    assert roles == ["bi_thu", "pho_bi_thu"], "one Bí thư, one Phó Bí thư, the third left for the clerk to tick"
    with qtbot.waitSignal(dialog.checked, timeout=20_000) as checked:
        dialog.refresh()
    assert checked.args == [True], dialog.status.text()
    dialog.close()


def test_a_past_day_is_shown_as_past_and_offers_no_changes(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication as App

    from khoi_desktop.core.appointments.committees import committee_view
    from khoi_desktop.core.models import CommitteeSeat

    window = main_window
    assert not window.past_label.isVisible() and "xem tại ngày" not in window.windowTitle()
    name = App.applicationDisplayName()
    assert name and name not in window.windowTitle(), "Qt adds the program's name to the title once"
    past = dt.date(2024, 6, 1)
    with qtbot.waitSignal(window.overview_loaded, timeout=20_000):
        window.set_as_of(past)
    window.show()
    assert window.past_label.isVisible() and "01/06/2024" in window.past_label.text()
    assert "xem tại ngày 01/06/2024" in window.windowTitle()
    restructure = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Sắp xếp tổ chức")
    found = next(a for a in restructure.actions() if a.text() == "Thành lập tổ chức…")
    assert not found.isEnabled()
    node = window.tree_model.snapshot.nodes[window.tree_model.snapshot.roots[0]]
    entries = [a for a in window.tree_menu(node).actions() if not a.isSeparator()]
    assert not any(a.isEnabled() and a.menu() is not None for a in entries), [a.text() for a in entries]

    with window.worker.db.reading() as session:
        from sqlalchemy import select

        seat = session.scalars(select(CommitteeSeat).where(CommitteeSeat.valid_from > past)).first()
        view = committee_view(session, seat.org_id, past)
    assert seat.term not in [t.label for t in view.past_terms], "a term that had not begun is not a past term"
    with qtbot.waitSignal(window.overview_loaded, timeout=20_000):
        window.set_as_of(dt.date.today())
    assert found.isEnabled() and not window.past_label.isVisible()


def test_a_member_code_typed_in_the_search_finds_the_member(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    from test_main_window import type_vietnamese

    from khoi_desktop.gui.member_model import MemberTableModel

    window = main_window
    window.resize(1366, 768)
    window.show()
    wait_idle(qtbot, window)
    member = window.member_model.row_at(0)
    for typed in (member.code, member.code.lower()):
        window.search_edit.clear()
        with qtbot.waitSignal(window.members_loaded, timeout=20_000):
            type_vietnamese(window.search_edit, typed)
        assert [r.code for r in window.member_model.rows()] == [member.code], typed
    header = window.member_table.horizontalHeader()
    right = header.sectionViewportPosition(MemberTableModel.COL_CODE) + header.sectionSize(MemberTableModel.COL_CODE)
    assert right <= window.member_table.viewport().width(), "the code column is in sight at 1366×768"


def test_after_a_merge_the_tree_shows_where_the_members_went(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.workflows.form_wizards import AbsorbWizard

    window = main_window
    snapshot = window.tree_model.snapshot
    parent = next(n for n in snapshot.active_nodes() if n.kind is OrgKind.DANG_BO_CO_SO and len(n.children) >= 3
                  and snapshot.roots.index(n.id) > 2)
    small = sorted((snapshot.nodes[c] for c in parent.children), key=lambda n: n.members)
    source, into = small[0], small[1]
    window.select_org(source.id)
    wait_idle(qtbot, window)
    other = snapshot.nodes[snapshot.roots[1]]
    window.tree.expand(window.tree_model.index_of(other.id))
    wizard = AbsorbWizard(window, source)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.target.setCurrentIndex(wizard.target.findData(into.code))
    qtbot.waitUntil(wizard.button(wizard.WizardButton.NextButton).isEnabled, timeout=20_000)
    with qtbot.waitSignal(wizard.checked, timeout=20_000):
        qtbot.mouseClick(wizard.button(wizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.overview_loaded, timeout=20_000):
        wizard.save(issue=True, confirm=lambda: True)
    wait_idle(qtbot, window)
    for box in QApplication.topLevelWidgets():
        if box.objectName() == "workflow_result" and box.isVisible():
            box.done(0)
    assert window.selected_node().id == into.id, "the chi bộ that took the members is selected"
    assert window.tree.isExpanded(window.tree_model.index_of(other.id)), "the branches the clerk opened stay open"
    assert window.tree.currentIndex().data() == into.name
