"""Organization pickers resolve to exactly what their box shows or refuse; every wizard checks as the clerk
types, with Tiếp and Lưu dự thảo enabled exactly when the request is valid (issue 21, points 1, 2, 10)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from test_main_window import type_vietnamese

from khoi_desktop.core.models import OrgKind
from khoi_desktop.gui.workflows.form_wizards import AbsorbWizard, HandOverWizard, TransferWizard
from khoi_desktop.gui.workflows.pickers import PATH_SEPARATOR

NEXT = QWizard.WizardButton.NextButton
DRAFT = QWizard.WizardButton.CustomButton1


def open_wizard(qtbot, wizard):  # type: ignore[no-untyped-def]
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(lambda: wizard.last_check is not None, timeout=20_000)
    return wizard


def retype(qtbot, wizard, picker, text: str) -> None:  # type: ignore[no-untyped-def]
    picker.lineEdit().clear()
    type_vietnamese(picker.lineEdit(), text)
    qtbot.waitUntil(lambda: wizard.last_check is not None, timeout=20_000)


def a_chi_bo_truc_thuoc(window, exclude_parent: str = ""):  # type: ignore[no-untyped-def]
    snapshot = window.tree_model.snapshot
    return next(n for n in snapshot.active_nodes() if n.kind is OrgKind.CHI_BO_TRUC_THUOC
                and snapshot.nodes[n.parent_id].name != exclude_parent)


def test_typed_text_not_chosen_from_the_list_is_refused_not_replaced(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    moving = a_chi_bo_truc_thuoc(main_window, exclude_parent="Đảng bộ Báo Thái Nguyên")
    wizard = open_wizard(qtbot, TransferWizard(main_window, moving))
    next_button = wizard.button(NEXT)
    assert wizard.target.currentText() == "" and not next_button.isEnabled(), "nothing is chosen for the clerk"
    assert "Chưa chọn" in wizard.currentPage().reason.text()

    retype(qtbot, wizard, wizard.target, "Đảng bộ XYZ")
    assert not next_button.isEnabled()
    assert "Không có" in wizard.currentPage().reason.text() and "Đảng bộ XYZ" in wizard.currentPage().reason.text()
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is not wizard.decision_page

    retype(qtbot, wizard, wizard.target, "dang bo bao thai nguyen")  # one organization, but without accents
    assert not next_button.isEnabled()
    reason = wizard.currentPage().reason.text()
    assert "Không có" not in reason and "hãy chọn «Đảng bộ Báo Thái Nguyên» trong danh sách" in reason

    retype(qtbot, wizard, wizard.target, "Đảng bộ Báo Thái Nguyên")
    qtbot.waitUntil(next_button.isEnabled, timeout=20_000)
    assert wizard.currentPage().reason.text() == ""
    with qtbot.waitSignal(wizard.checked, timeout=20_000):
        qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    preview = wizard.decision_page.preview.toPlainText()
    assert "Đảng bộ Báo Thái Nguyên" in preview
    assert "Đảng bộ Ban Quản lý các khu công nghiệp tỉnh" not in preview
    target = main_window.tree_model.snapshot.by_code(wizard.request().to)
    assert target.name == "Đảng bộ Báo Thái Nguyên"
    wizard.reject()


def test_a_name_shared_by_several_organizations_is_not_guessed(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    snapshot = main_window.tree_model.snapshot
    source = next(n for n in snapshot.active_nodes() if n.name == "Chi bộ Văn phòng" and n.parent_id is not None)
    wizard = open_wizard(qtbot, AbsorbWizard(main_window, source))
    picker = wizard.target
    parent = snapshot.nodes[source.parent_id]
    siblings = [snapshot.nodes[c] for c in parent.children if c != source.id and snapshot.nodes[c].kind.is_chi_bo]
    assert siblings
    first_rows = [picker.itemText(i) for i in range(len(siblings))]
    assert all(text.endswith(PATH_SEPARATOR + parent.name) for text in first_rows), first_rows
    same_name = [picker.itemText(i) for i in range(picker.count())
                 if picker.itemText(i).startswith("Chi bộ Văn phòng" + PATH_SEPARATOR)]
    assert len(same_name) == len(set(same_name)) >= 2, "each same-named chi bộ shows its own parent"

    retype(qtbot, wizard, picker, "Chi bộ Văn phòng")
    assert not wizard.button(NEXT).isEnabled()
    assert "tổ chức tên «Chi bộ Văn phòng»" in wizard.currentPage().reason.text()

    chosen = siblings[0]
    picker.setCurrentIndex(0)  # the clerk picks a row of the pop-up
    qtbot.waitUntil(lambda: wizard.last_check is not None, timeout=20_000)
    assert wizard.request().into == chosen.code or picker.itemText(0).startswith(chosen.name)
    wizard.reject()


def test_hand_over_without_a_receiving_body_cannot_go_on(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    node = a_chi_bo_truc_thuoc(main_window)
    wizard = open_wizard(qtbot, HandOverWizard(main_window, node))
    next_button = wizard.button(NEXT)
    assert not next_button.isEnabled()
    assert "nhận bàn giao" in wizard.currentPage().reason.text()
    type_vietnamese(wizard.to_body, "Đảng ủy Ủy ban nhân dân tỉnh")
    qtbot.waitUntil(next_button.isEnabled, timeout=20_000)
    wizard.reject()


def test_consent_reason_counts_while_typing_and_draft_follows_validity(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    snapshot = main_window.tree_model.snapshot
    parent = next(n for n in snapshot.active_nodes() if n.kind is OrgKind.DANG_BO_CO_SO
                  and sum(snapshot.nodes[c].kind.is_chi_bo for c in n.children) >= 2
                  and sum(snapshot.nodes[c].members for c in n.children if snapshot.nodes[c].kind.is_chi_bo) > 40)
    chi_bo = sorted((snapshot.nodes[c] for c in parent.children if snapshot.nodes[c].kind.is_chi_bo),
                    key=lambda n: -n.members)
    source, into = chi_bo[0], chi_bo[1]
    wizard = open_wizard(qtbot, AbsorbWizard(main_window, source))
    wizard.target.select_code(into.code)
    qtbot.waitUntil(wizard.button(NEXT).isEnabled, timeout=20_000)  # consent is asked on the next page
    with qtbot.waitSignal(wizard.checked, timeout=20_000) as checked:
        qtbot.mouseClick(wizard.button(NEXT), Qt.MouseButton.LeftButton)
    assert checked.args == [False]
    draft = wizard.button(DRAFT)
    assert draft.isVisible() and not draft.isEnabled(), "an invalid request cannot be saved as a draft"
    assert "Lý do đồng ý" in wizard.decision_page.reason.text()
    assert "consent_reason" not in wizard.decision_page.status.text()
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()

    type_vietnamese(wizard.decision_page.consent, "Ban Thường vụ đồng ý duy trì, sinh hoạt theo tổ đảng")
    assert wizard.decision_page.consent.hasFocus(), "still typing: the field was not left"
    qtbot.waitUntil(draft.isEnabled, timeout=20_000)
    assert finish.isEnabled()
    assert wizard.decision_page.reason.text() == ""
    wizard.reject()


def test_merging_into_a_chi_bo_of_another_dang_bo_is_pointed_out(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    snapshot = main_window.tree_model.snapshot
    small = sorted((n for n in snapshot.active_nodes() if n.kind is OrgKind.CHI_BO_TRUC_THUOC), key=lambda n: n.members)
    source = small[0]
    into = next(n for n in small[1:] if n.parent_id != source.parent_id and n.members + source.members <= 30)
    wizard = open_wizard(qtbot, AbsorbWizard(main_window, source))
    index = wizard.target.findData(into.code)
    wizard.target.setCurrentIndex(index)
    assert wizard.target.currentText().endswith(PATH_SEPARATOR + snapshot.nodes[into.parent_id].name)
    qtbot.waitUntil(wizard.button(NEXT).isEnabled, timeout=20_000)
    with qtbot.waitSignal(wizard.checked, timeout=20_000) as checked:
        qtbot.mouseClick(wizard.button(NEXT), Qt.MouseButton.LeftButton)
    assert checked.args == [True]
    status = wizard.decision_page.status.text()
    assert f"từ {snapshot.nodes[source.parent_id].name} sang {snapshot.nodes[into.parent_id].name}" in status
    wizard.reject()


def test_closing_a_wizard_while_it_checks_is_harmless(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.workflows import show

    node = a_chi_bo_truc_thuoc(main_window)
    wizard = show(HandOverWizard(main_window, node))
    type_vietnamese(wizard.to_body, "Đảng ủy Ủy ban nhân dân tỉnh")
    wizard.run_check()  # an answer on its way …
    wizard.close()  # … to a wizard deleted on close
    qtbot.waitUntil(lambda: main_window.worker.pending == 0, timeout=20_000)


def test_typing_a_name_without_accents_offers_it_and_enter_chooses_it(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """A clerk types 'bao thai' (no Vietnamese keyboard): the pop-up offers «Đảng bộ Báo Thái Nguyên», and
    Down, Enter puts that organization, with its accents, in the box and in the request."""
    moving = a_chi_bo_truc_thuoc(main_window, exclude_parent="Đảng bộ Báo Thái Nguyên")
    wizard = open_wizard(qtbot, TransferWizard(main_window, moving))
    wizard.activateWindow()
    picker = wizard.target
    line = picker.lineEdit()
    line.setFocus()
    qtbot.keyClicks(line, "bao thai")
    completer = picker.completer()
    assert completer.completionCount() >= 1, "the pop-up offers nothing for a name typed without accents"
    offered = [completer.completionModel().index(i, 0).data() for i in range(completer.completionCount())]
    assert all("Báo Thái" in text for text in offered), offered
    qtbot.waitUntil(completer.popup().isVisible, timeout=5_000)
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Down)
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.button(NEXT).isEnabled(), timeout=20_000)
    assert picker.currentText() == offered[0]
    target = main_window.tree_model.snapshot.by_code(wizard.request().to)
    assert target.name == "Đảng bộ Báo Thái Nguyên"
    wizard.reject()


def test_tab_goes_down_the_founding_form_to_the_parent_box(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """Keyboard only: Tab from «Cơ quan, đơn vị» reaches «Trực thuộc» (the row below), then the member search;
    the box is made again when the kind changes and still sits in its place (it came after every other field)."""
    from PySide6.QtWidgets import QApplication

    from khoi_desktop.gui.workflows.form_wizards import FoundWizard

    wizard = open_wizard(qtbot, FoundWizard(main_window))
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow, timeout=5_000)
    for kind_index in (1, 2, 1):
        wizard.kind.setCurrentIndex(kind_index)
        qtbot.waitUntil(wizard.parent_org.isVisible, timeout=5_000)  # the new box shows with the next events
        wizard.agency.setFocus()
        qtbot.waitUntil(wizard.agency.hasFocus, timeout=5_000)
        qtbot.keyClick(wizard.agency, Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        assert focused in (wizard.parent_org, wizard.parent_org.lineEdit()), focused
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        if wizard.members.isEnabled():
            assert QApplication.focusWidget() is wizard.members.search
    wizard.reject()


def test_signers_are_offered_with_their_titles_written_right(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """«Trần Thị Lan (Phó Bí thư)», not «(Phó bí thư)»: the title as the clerk writes it."""
    wizard = open_wizard(qtbot, TransferWizard(main_window, a_chi_bo_truc_thuoc(main_window)))
    signer = wizard.decision_page.signer
    texts = [signer.itemText(i) for i in range(signer.count())]
    assert texts == ["Nguyễn Văn Hùng (Bí thư)", "Trần Thị Lan (Phó Bí thư)"], texts
    wizard.reject()


def test_esc_after_typing_asks_before_the_input_is_thrown_away(qtbot, main_window, answer_box) -> None:  # type: ignore[no-untyped-def]
    """An untouched wizard closes on Esc; one the clerk typed into asks first, and «Tiếp tục nhập» keeps
    every field as it was."""
    node = a_chi_bo_truc_thuoc(main_window)
    untouched = open_wizard(qtbot, HandOverWizard(main_window, node))
    qtbot.keyClick(untouched, Qt.Key.Key_Escape)
    assert not untouched.isVisible()

    wizard = open_wizard(qtbot, HandOverWizard(main_window, node))
    type_vietnamese(wizard.to_body, "Đảng ủy Ủy ban nhân dân tỉnh")
    asked = answer_box("Tiếp tục nhập")
    qtbot.keyClick(wizard.to_body, Qt.Key.Key_Escape)
    assert asked and "sẽ mất" in asked[0]
    assert wizard.isVisible() and wizard.to_body.text() == "Đảng ủy Ủy ban nhân dân tỉnh"
    answer_box("Đóng, bỏ nội dung đã nhập")
    qtbot.keyClick(wizard.to_body, Qt.Key.Key_Escape)
    assert not wizard.isVisible()


def test_an_organization_that_ended_is_named_as_ended_not_as_missing(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """A clerk types the name of a chi bộ dissolved last year (from an old paper): the picker says it ended and
    when, rather than «not in the list» as if the name were misspelt."""
    from khoi_desktop.core.text import fold, show_date

    snapshot = main_window.tree_model.snapshot
    active = {fold(n.name) for n in snapshot.active_nodes()}
    ended = next(o for o in main_window.ended_orgs if fold(o.name) not in active)
    moving = next(n for n in snapshot.active_nodes() if n.kind is OrgKind.CHI_BO_TRUC_THUOC)
    wizard = open_wizard(qtbot, AbsorbWizard(main_window, moving))
    retype(qtbot, wizard, wizard.target, ended.name)
    reason = wizard.currentPage().reason.text()
    assert f"«{ended.name}» ({ended.code}) đã giải thể/kết thúc hoạt động ngày {show_date(ended.ended_on)}" in reason
    assert not wizard.button(NEXT).isEnabled()
    wizard.reject()
