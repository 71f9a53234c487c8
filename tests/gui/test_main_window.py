"""The main window on the demo office: tree, totals, search typed in Vietnamese, findings, as-of date."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from khoi_desktop.core.db import open_database
from khoi_desktop.core.meetings.findings import meeting_findings
from khoi_desktop.core.member_events.findings import member_findings
from khoi_desktop.core.ratings.findings import rating_findings
from khoi_desktop.core.rules import check
from khoi_desktop.core.settings import load_settings
from khoi_desktop.core.text import fold
from khoi_desktop.core.tree import load_snapshot
from khoi_desktop.gui.tree_model import OrgTreeModel


def type_vietnamese(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Commit text the way Unikey does (keyClicks aborts on non-ASCII)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def wait_idle(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.worker.pending == 0 and not window._search_timer.isActive(), timeout=20_000)


def test_status_bar_shows_exact_demo_totals(main_window) -> None:  # type: ignore[no-untyped-def]
    text = main_window.totals_label.text()
    assert "73 TCCSĐ (42 đảng bộ cơ sở, 31 chi bộ cơ sở)" in text
    assert "350 chi bộ trực thuộc" in text
    assert "5.356 đảng viên" in text
    assert main_window.tree_model.rowCount() == 73


def test_selecting_an_organization_lists_its_members_in_vietnamese_order(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    model = main_window.tree_model
    snapshot = model.snapshot
    biggest = max((snapshot.nodes[i] for i in snapshot.roots), key=lambda n: n.members)
    with qtbot.waitSignal(main_window.members_loaded, timeout=20_000):
        main_window.select_org(biggest.id)
    wait_idle(qtbot, main_window)
    rows = main_window.member_model.rows()
    assert len(rows) == biggest.members
    keys = [r.sort_key for r in rows]
    assert keys == sorted(keys)
    assert f"{biggest.name}" in main_window.members_title.text()
    assert "Cấp ủy hiện tại" in main_window.details.toPlainText()


def test_search_is_accent_and_case_insensitive_with_typed_vietnamese(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    type_vietnamese(main_window.search_edit, "NGUYỄN VĂN")
    assert main_window.search_edit.text() == "NGUYỄN VĂN"
    wait_idle(qtbot, main_window)
    accented = [r.code for r in main_window.member_model.rows()]
    assert accented, "the demo has members named Nguyễn Văn …"
    folded = [fold(r.full_name) for r in main_window.member_model.rows()]
    assert all("nguyen" in name and "van" in name for name in folded)
    main_window.search_edit.clear()
    type_vietnamese(main_window.search_edit, "nguyen van")
    wait_idle(qtbot, main_window)
    assert [r.code for r in main_window.member_model.rows()] == accented
    assert "Kết quả tìm «nguyen van»" in main_window.members_title.text()


def test_finding_jumps_to_its_organization(qtbot, main_window, demo_path) -> None:  # type: ignore[no-untyped-def]
    db = open_database(demo_path)
    with db.reading() as session:
        snapshot = load_snapshot(session, dt.date.today())
        expected = (check(snapshot, load_settings(session).thresholds) + meeting_findings(session, snapshot)
                    + rating_findings(session, snapshot.as_of) + member_findings(session, snapshot))
    db.close()
    panel = main_window.findings
    assert panel.topLevelItemCount() == len(expected)
    over_30 = [f for f in expected if f.rule == "chi_bo_over_30"]
    assert over_30
    row = expected.index(over_30[0])
    item = panel.topLevelItem(row)
    panel.itemActivated.emit(item, 0)
    current = main_window.tree.currentIndex()
    assert current.data(OrgTreeModel.OrgIdRole) == over_30[0].org_id
    assert current.parent().isValid(), "a chi bộ trực thuộc sits under its đảng bộ, which was expanded"
    wait_idle(qtbot, main_window)
    assert len(main_window.member_model.rows()) == over_30[0].members


def test_as_of_date_shows_the_past_tree(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(main_window.overview_loaded, timeout=20_000):
        main_window.set_as_of(dt.date(2018, 1, 1))
    wait_idle(qtbot, main_window)
    text = main_window.totals_label.text()
    assert "01/01/2018" in main_window.totals_label.toolTip()
    assert "354 chi bộ trực thuộc" in text
    with qtbot.waitSignal(main_window.overview_loaded, timeout=20_000):
        main_window.set_as_of(dt.date.today())
    assert "350 chi bộ trực thuộc" in main_window.totals_label.text()


def test_tree_model_is_lazy(main_window) -> None:  # type: ignore[no-untyped-def]
    model = OrgTreeModel()
    model.set_snapshot(main_window.tree_model.snapshot)
    first = model.index(0, 0, QModelIndex())
    assert model.hasChildren(first)
    assert model.rowCount(first) == 0 and model.canFetchMore(first)
    model.fetchMore(first)
    node = first.internalPointer()
    assert model.rowCount(first) == len(node.children)
    child = model.index(0, 0, first)
    assert model.parent(child) == first
    assert child.data(OrgTreeModel.OrgIdRole) == node.children[0]
    assert first.siblingAtColumn(1).data(Qt.ItemDataRole.DisplayRole) == f"{node.members:,}".replace(",", ".")


def test_menus_in_order_with_help_last(main_window) -> None:  # type: ignore[no-untyped-def]
    titles = [a.text().replace("&", "") for a in main_window.menuBar().actions()]
    assert titles == ["Tệp", "Xem", "Sắp xếp tổ chức", "Đảng viên", "Cấp ủy", "Văn bản", "Bảng tính",
                      "Sinh hoạt chi bộ", "Xếp loại chất lượng", "Trao đổi", "Sao lưu", "Tài khoản", "Trợ giúp"]


def test_members_column_fits_its_widest_number_as_qt_would(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    # Measured on the text instead of asking the model for every row (provincial scale): the same width.
    column = OrgTreeModel.COL_MEMBERS
    fitted = main_window.tree.columnWidth(column)
    main_window.tree.resizeColumnToContents(column)
    assert main_window.tree.columnWidth(column) == fitted > 0
    expanded = main_window.tree_model.index(0, 0)
    main_window.tree.expand(expanded)  # a branch open: its rows count less than their tổ chức cơ sở đảng
    main_window.tree.resizeColumnToContents(column)
    assert main_window.tree.columnWidth(column) == fitted
    main_window.tree.header().hide()  # the numbers alone decide (the header's title is wider than them)
    main_window._fit_members_column()
    by_numbers = main_window.tree.columnWidth(column)
    main_window.tree.resizeColumnToContents(column)
    assert main_window.tree.columnWidth(column) == by_numbers < fitted


def test_status_bar_fits_a_1366_screen_when_a_past_day_is_viewed(qtbot, main_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """An office laptop (1366×768), a past day chosen: the notice, the totals, the backup note and the user all
    show whole (the notice pushed the rest off the bar)."""
    from PySide6.QtWidgets import QLabel

    from khoi_desktop.gui.fitting_label import FittingLabel

    main_window.resize(1366, 768)
    main_window.show()
    with qtbot.waitSignal(main_window.overview_loaded, timeout=20_000):
        main_window.set_as_of(dt.date(2018, 1, 1))
    wait_idle(qtbot, main_window)
    qtbot.wait(100)
    main_window.grab().save(str(tmp_path / "status_1366.png"))
    bar = main_window.statusBar()
    labels = [label for label in bar.findChildren(QLabel) if label.isVisible() and label.text()]
    assert {label.objectName() for label in labels} >= {"past_notice", "totals", "backup_note", "user_label"}
    for label in labels:
        shown = label.shown_text() if isinstance(label, FittingLabel) else label.text()
        assert not shown.endswith("…"), (label.objectName(), shown)
        assert label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width(), label.objectName()
        assert label.geometry().right() <= bar.width(), label.objectName()
    assert main_window.past_label.shown_text() == "Xem ngày 01/01/2018: chỉ xem"
    assert "01/01/2018" in main_window.past_label.toolTip() and "Hôm nay" in main_window.past_label.toolTip()
    assert "đảng viên (" in main_window.totals_label.shown_text()


def test_a_search_cut_at_its_limit_says_there_are_more(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """«hoa» finds more members than the search lists: the title says these are the first ones, not the total
    («500 đảng viên» read as «500 members match»); a narrower search gives its true count."""
    from khoi_desktop.core.members import SEARCH_LIMIT

    main_window.search_edit.setFocus()
    qtbot.keyClicks(main_window.search_edit, "hoa")
    qtbot.waitUntil(lambda: "«hoa»" in main_window.members_title.text(), timeout=20_000)
    wait_idle(qtbot, main_window)
    assert len(main_window.member_model.rows()) == SEARCH_LIMIT
    assert "đầu tiên (còn nữa" in main_window.members_title.text()
    main_window.search_edit.clear()
    qtbot.keyClicks(main_window.search_edit, "DV000640")
    qtbot.waitUntil(lambda: "«DV000640»" in main_window.members_title.text(), timeout=20_000)
    wait_idle(qtbot, main_window)
    assert main_window.members_title.text().endswith(": 1 đảng viên")
