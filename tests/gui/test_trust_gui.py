"""What a clerk meets on a tour of the menus (issue 21): previews that answer, sign-out, the past shown as past."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QPushButton
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
    from khoi_desktop.core.request_json import parse_request
    from khoi_desktop.gui.appointments import open_appoint_dialog

    window = main_window
    snapshot = window.tree_model.snapshot
    source = next(n for n in sorted(snapshot.nodes.values(), key=lambda n: n.code)
                  if n.kind is OrgKind.CHI_BO_TRUC_THUOC and n.direct_full >= 20)
    with window.worker.db.reading() as session:
        codes = [r.code for r in members_of(session, [source.id], dt.date.today())
                 if r.status is MemberStatus.CHINH_THUC][:4]
    parent = snapshot.parent_code(source)  # its đảng ủy founds the chi bộ: the clerk records that decision
    request = parse_request({"action": "found", "kind": "chi_bo_truc_thuoc", "name": "Chi bộ Phòng Số hóa",
                             "parent": parent, "members": codes, "issuer": parent,
                             "recorded": {"number": "07-QĐ/ĐU", "signed_on": dt.date.today().isoformat(),
                                          "signer": "Nguyễn Văn Bình"}})
    saved = []
    failed: list[BaseException] = []  # a refusal must fail the test, not open a box nobody answers
    window.worker.submit(jobs.save_request(request=request, issue=True, today=dt.date.today()), saved.append,
                         failed.append)
    qtbot.waitUntil(lambda: bool(saved or failed), timeout=20_000)
    assert not failed, failed
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
    recorded = wizard.decision_page.recorded  # its đảng ủy decides: the clerk records their signed decision
    recorded.setChecked(True)
    recorded.number.setText("09-QĐ/ĐU")
    recorded.signed_on.setDate(QDate.currentDate())  # unset until typed
    with qtbot.waitSignal(wizard.checked, timeout=20_000):
        recorded.signer.setText("Nguyen Van Binh")
    qtbot.waitUntil(wizard.decision_page.isComplete, timeout=20_000)
    with qtbot.waitSignal(window.overview_loaded, timeout=20_000):
        wizard.save(issue=True, confirm=lambda: True)
    wait_idle(qtbot, window)
    for box in QApplication.topLevelWidgets():
        if box.objectName() == "workflow_result" and box.isVisible():
            box.done(0)
    assert window.selected_node().id == into.id, "the chi bộ that took the members is selected"
    assert window.tree.isExpanded(window.tree_model.index_of(other.id)), "the branches the clerk opened stay open"
    assert window.tree.currentIndex().data() == into.name


def test_saving_a_pdf_asks_in_vietnamese_remembers_the_folder_and_confirms(qtbot, main_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QFileDialog, QLabel, QLineEdit, QPushButton
    from test_main_window import type_vietnamese

    from khoi_desktop.gui.documents import open_preview
    from khoi_desktop.gui.file_dialogs import remember_folder

    remember_folder(Path.home() / "khong-con-thu-muc-nay")  # a folder since removed: start in Documents
    saved = issue_a_transfer(qtbot, main_window)
    open_preview(main_window, saved.decision.id)
    qtbot.waitUntil(lambda: bool(main_window.findChildren(PreviewDialog)), timeout=20_000)
    preview = main_window.findChildren(PreviewDialog)[0]
    seen: dict[str, object] = {}

    def answer(name: str) -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible())
        seen["folder"] = Path(dialog.directory().absolutePath())
        seen["labels"] = {label.text() for label in dialog.findChildren(QLabel)}
        seen["buttons"] = {button.text() for button in dialog.findChildren(QPushButton) if button.isVisible()}
        dialog.setDirectory(str(tmp_path))
        name_edit = dialog.findChild(QLineEdit, "fileNameEdit")
        name_edit.clear()
        type_vietnamese(name_edit, name)  # the clerk types a name, maybe without the ending
        dialog.accept()

    QTimer.singleShot(200, lambda: answer("quyet-dinh"))
    click_action(qtbot, preview.toolbar, "save_pdf")
    assert (tmp_path / "quyet-dinh.pdf").read_bytes()[:4] == b"%PDF"
    assert seen["folder"] != Path.cwd()
    assert {"&Tìm trong:", "&Tên tệp:", "&Loại tệp:"} <= seen["labels"], seen
    assert {"&Lưu", "Hủy"} <= seen["buttons"], seen
    notice = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "saved_notice" and w.isVisible())
    assert "quyet-dinh.pdf" in notice.text() and str(tmp_path) in notice.text()
    notice.done(0)

    QTimer.singleShot(200, lambda: answer("lan-hai.pdf"))
    click_action(qtbot, preview.toolbar, "save_pdf")
    assert seen["folder"] == tmp_path, "the next dialog starts in the folder last used"
    preview.close()


def test_found_dialog_gives_the_height_to_the_member_lists(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.workflows.form_wizards import FoundWizard

    snapshot = main_window.tree_model.snapshot
    wizard = FoundWizard(main_window, snapshot.nodes[snapshot.roots[5]])
    qtbot.addWidget(wizard)
    wizard.resize(980, 680)
    wizard.show()
    qtbot.waitUntil(lambda: wizard.last_check is not None, timeout=20_000)
    lists = wizard.members.results
    assert lists.height() >= 250, f"the search results get the room ({lists.height()} px)"
    wizard.reject()


def test_the_committee_view_has_a_close_button(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.appointments import open_committee_dialog

    snapshot = main_window.tree_model.snapshot
    dialog = open_committee_dialog(main_window, snapshot.roots[5])
    close = next(b for b in dialog.findChildren(QPushButton) if b.text().replace("&", "") == "Đóng")
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not isValid(dialog) or not dialog.isVisible()


def test_a_fixed_password_mismatch_leaves_no_message(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    from test_main_window import type_vietnamese

    from khoi_desktop.gui.auth.account_dialogs import NewAccountDialog

    form = NewAccountDialog(main_window.worker.submit, main_window)
    qtbot.addWidget(form)
    form.show()
    form.username.setText("levanc")
    form.role.setCurrentIndex(0)  # chosen by the administrator (no default)
    type_vietnamese(form.full_name, "Lê Văn C")
    type_vietnamese(form.password, "mật khẩu dài")
    type_vietnamese(form.confirm, "mật khẩu dai")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert form.message.isVisible() and "không khớp" in form.message.text()
    form.confirm.clear()
    type_vietnamese(form.confirm, "mật khẩu dài")
    assert not form.message.isVisible()
    form.reject()


def test_the_audit_viewer_speaks_vietnamese(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    import re

    from khoi_desktop.core.audit import record
    from khoi_desktop.core.backup.manifest import Manifest
    from khoi_desktop.gui.auth import open_audit

    issue_a_transfer(qtbot, main_window)
    manifest = Manifest("1.0", "0004", dt.datetime(2026, 3, 2, 8, 0), 400, 5000, 1, "ab" * 32, 1000, "office.db")
    with main_window.worker.db.writing() as session:
        record(session, actor="admin", action="backup", target="/tmp/a.khoibak",
               after={"kind": "manual", "encrypted": False, **manifest.to_json()})
    dialog = open_audit(main_window)
    qtbot.waitUntil(lambda: dialog.model.rowCount() >= 4, timeout=20_000)
    model = dialog.model
    shown = [str(model.index(row, column).data()) for row in range(model.rowCount()) for column in range(2, 7)]
    text = " | ".join(shown)
    assert "Chuyển trực thuộc" in text and "Dự thảo quyết định mã 1" in text
    for internal in ("decision:", "transfer", "compression", "zlib", "sha256", "schema"):
        assert internal not in text, internal
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), re.findall(r"\b[a-z]+_[a-z_]+\b", text)
    dialog.close()


def test_a_draft_is_not_labelled_like_a_number_and_recipients_read_as_a_list(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.requests import HandOver
    from khoi_desktop.gui.documents import open_register
    from khoi_desktop.gui.documents.register_model import RegisterTableModel

    issue_a_transfer(qtbot, main_window)
    snapshot = main_window.tree_model.snapshot
    node = next(n for n in snapshot.active_nodes() if n.kind is OrgKind.CHI_BO_TRUC_THUOC)

    dang_uy = snapshot.nodes[node.parent_id]
    while dang_uy.kind is not OrgKind.DANG_BO_CO_SO:
        dang_uy = snapshot.nodes[dang_uy.parent_id]
    draft = HandOver(action="hand_over", org=node.code, to_body="Đảng ủy Ủy ban nhân dân tỉnh",
                     effective=dt.date.today(), signer=None, issuer=dang_uy.code)  # as the form sends it
    done: list[object] = []
    main_window.worker.submit(jobs.save_request(request=draft, issue=False, today=dt.date.today()), done.append,
                              done.append)  # a refusal fails below instead of opening a box nobody answers
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    assert isinstance(done[0], jobs.Saved), done[0]
    dialog = open_decisions(main_window)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=20_000)
    numbers = {dialog.table.item(row, 0).text() for row in range(2)}
    assert "Chưa cấp số" in numbers and not any("dự thảo" in n for n in numbers), numbers
    dialog.close()

    register = open_register(main_window)
    model = register.findChildren(RegisterTableModel)[0]
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=20_000)
    recipients = model.index(0, model.COL_RECIPIENTS).data()
    assert ",;" not in recipients and ";;" not in recipients, recipients
    register.close()


def test_the_receive_wizard_names_an_impossible_day_and_its_column(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QTableWidgetItem
    from test_main_window import type_vietnamese

    from khoi_desktop.gui.workflows.receive_wizard import ReceiveWizard

    wizard = ReceiveWizard(main_window)
    qtbot.addWidget(wizard)
    wizard.show()
    type_vietnamese(wizard.from_body, "Đảng ủy Khối Doanh nghiệp tỉnh")
    tab = wizard.org_tabs()[0]
    widths = [tab.table.columnWidth(c) for c in range(3)]  # Họ, Tên đệm, Tên before anything is typed
    assert min(widths) >= 80, widths
    type_vietnamese(tab.name, "Chi bộ Công ty Xổ số kiến thiết")
    for column, text in enumerate(["Nguyễn", "Văn", "An", "31/02/1980", "Nam", "03/02/2000", "Chính thức"]):
        tab.table.setItem(0, column, QTableWidgetItem(text))
    qtbot.waitUntil(lambda: wizard.last_check is not None, timeout=20_000)
    reason = wizard.currentPage().reason.toolTip()
    assert "dòng 1, cột «Ngày sinh»: không có ngày 31 tháng 2 năm 1980" in reason, reason
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()
    wizard.reject()


def test_the_import_chooses_no_organization_for_the_clerk(qtbot, main_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QWizard
    from test_main_window import type_vietnamese

    from khoi_desktop.gui.spreadsheets import open_import

    wizard = open_import(main_window)
    page = wizard.currentPage()
    qtbot.waitUntil(lambda: page.org_combo.count() > 1, timeout=20_000)
    assert page.org_combo.currentData() is None, "no đảng bộ picked by default"
    type_vietnamese(page.path_edit, str(tmp_path / "danh-sach.xlsx"))  # not read until Tiếp theo
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert page.reason.text() == "Chưa chọn tổ chức nhận danh sách."
    dang_bo = next(i for i in range(page.org_combo.count()) if page.org_combo.itemText(i).startswith("Đảng bộ"))
    page.org_combo.setCurrentIndex(dang_bo)
    assert "cột «Chi bộ»" in page.reason.text(), "a đảng bộ is said at once, not two steps later"
    wizard.close()


def test_a_request_drafted_twice_is_told_how_to_discard_the_spare_in_the_window(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    # The warning said «chỉ ban hành một trong hai» and nothing of how: the command line's names `discard`, the
    # window's now names its own way (the list of decisions, the draft, «Hủy dự thảo»), and that way works.
    snapshot = main_window.tree_model.snapshot
    dang_bo = [snapshot.nodes[i] for i in snapshot.roots if snapshot.nodes[i].kind is OrgKind.DANG_BO_CO_SO]
    moving = next(snapshot.nodes[c] for c in dang_bo[0].children
                  if snapshot.nodes[c].kind is OrgKind.CHI_BO_TRUC_THUOC)
    request = Transfer(action="transfer", org=moving.code, to=dang_bo[1].code, effective=dt.date.today(),
                       signer=main_window.settings.signers[0].name)
    saved: list[object] = []
    for count in (1, 2):
        main_window.worker.submit(jobs.save_request(request=request, issue=False, today=dt.date.today()),
                                  saved.append, saved.append)
        qtbot.waitUntil(lambda count=count: len(saved) == count, timeout=20_000)
    first, second = saved
    assert isinstance(first, jobs.Saved) and isinstance(second, jobs.Saved), saved
    spare = second.decision.id
    told = " ".join(second.warnings)
    assert f"Hủy bản thừa: Sắp xếp tổ chức › Danh sách quyết định (Ctrl+D), chọn dự thảo {spare}, bấm «Hủy dự thảo»" \
        in told, told
    dialog = open_decisions(main_window)
    qtbot.waitUntil(lambda: dialog.table.rowCount() >= 2, timeout=20_000)
    assert dialog.discard_button.text().replace("&", "") == "Hủy dự thảo"
