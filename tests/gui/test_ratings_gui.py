"""The ratings dialog, reached from the main window's menu: the year's findings and figures as in core, a
clerk's choice of a grassroots organization's level written, a return workbook imported through the menu."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from test_main_window import wait_idle
from test_meetings_gui import answer, trigger

from khoi_desktop.core.db import open_database
from khoi_desktop.core.ratings.models import Level
from khoi_desktop.core.ratings.summary import year_summary
from khoi_desktop.gui.ratings import returns
from khoi_desktop.gui.ratings.year_dialog import LEVEL_COLUMN, RatingsYearDialog, level_of

YEAR = dt.date.today().year - 1
TIMEOUT = 90_000  # a loaded 2-core CI writes the 73 returns in 20+ s; waitUntil ends as soon as done


def _menu(window):  # type: ignore[no-untyped-def]
    return next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Xếp loại chất lượng")


def test_the_year_dialog_shows_the_findings_and_writes_a_level(qtbot, main_window, demo_path: Path,
                                                               tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    trigger(_menu(main_window), "Xếp loại chất lượng của năm…")
    dialog = main_window.findChild(RatingsYearDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.view is not None and dialog.view.summary is not None, timeout=TIMEOUT)
    wait_idle(qtbot, main_window)
    db = open_database(demo_path)
    with db.reading() as s:
        expected = year_summary(s, YEAR)
    db.close()
    pct = f"{expected.members.good_or_better_pct:.2f}".replace(".", ",")
    assert f"đảng viên HTTNV trở lên {pct}%" in dialog.heading.text()
    findings = [dialog.findings.item(i).text() for i in range(dialog.findings.count())]
    assert any("HTXSNV trên" in f and "vượt 20%" in f for f in findings)
    assert any("bị kỷ luật trong năm" in f for f in findings)
    assert dialog.trend.points[-1] == (YEAR, expected.orgs.good_or_better_pct, expected.members.good_or_better_pct)
    assert [p[0] for p in dialog.trend.points] == [YEAR - 1, YEAR]  # the demo's two rounds
    dialog.resize(1150, 760)
    dialog.grab().save(str(tmp_path / "ratings.png"))
    # a clerk lowers the first grassroots organization's level by one with the keyboard
    code = dialog.table.item(0, 0).text()
    box = dialog.table.cellWidget(0, LEVEL_COLUMN)
    before = level_of(box)
    assert box.isEnabled() and before is not None and before is not Level.KHT
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: main_window.worker.pending == 0, timeout=TIMEOUT)
    wait_idle(qtbot, main_window)
    db = open_database(demo_path)
    with db.reading() as s:
        line = next(b for b in year_summary(s, YEAR).bodies if b.code == code)
    db.close()
    assert line.level == list(Level)[before.rank + 1].short


def test_a_return_made_and_imported_through_the_gui(qtbot, main_window, demo_path: Path,
                                                    tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    node = main_window.tree_model.snapshot.by_code("CS018")
    assert node is not None
    xlsx = tmp_path / "cs018.xlsx"
    seen: list[str] = []
    answer("OK", seen)
    returns.make_template(main_window, node, YEAR, xlsx)
    qtbot.waitUntil(lambda: bool(seen), timeout=TIMEOUT)
    wait_idle(qtbot, main_window)
    assert xlsx.exists()
    seen.clear()
    answer("Nhập và thay kết quả đã có", seen)
    returns.import_workbook(main_window, xlsx, YEAR)
    qtbot.waitUntil(lambda: len(seen) >= 2, timeout=TIMEOUT)
    answer("OK", seen)
    qtbot.waitUntil(lambda: len(seen) >= 4, timeout=TIMEOUT)
    wait_idle(qtbot, main_window)
    assert "có thể nhập xếp loại" in seen[0] and "0 thay đổi" in seen[0]  # the same ratings read back
    assert "Đã nhập xếp loại" in seen[2]


def test_the_recognition_decision_is_drafted_from_the_dialog(qtbot, main_window,
                                                             demo_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from khoi_desktop.core.models import Decision

    dialog = main_window.findChild(RatingsYearDialog) or RatingsYearDialog(main_window)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.view is not None and dialog.view.summary is not None, timeout=TIMEOUT)
    assert dialog.decision_button.isEnabled() and dialog.decision_button.isVisible()
    seen: list[str] = []
    answer("OK", seen)
    qtbot.mouseClick(dialog.decision_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(seen), timeout=TIMEOUT)
    wait_idle(qtbot, main_window)
    assert "Đã lập dự thảo quyết định công nhận kết quả xếp loại chất lượng năm" in seen[0]
    assert "vượt 20%" in seen[0]  # the demo's body over the cap is pointed out before issuing
    db = open_database(demo_path)
    with db.reading() as s:
        drafts = s.scalars(select(Decision).where(Decision.action == "recognize_ratings")).all()
    db.close()
    assert [d.status.value for d in drafts] == ["draft"]


def test_the_main_window_findings_follow_a_rating_change(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    def rules() -> list[str]:
        return [f.rule for f in main_window.findings._findings]

    wait_idle(qtbot, main_window)
    qtbot.waitUntil(lambda: "rating_cap_exceeded" in rules(), timeout=TIMEOUT)
    assert "rating_missing" not in rules()
    dialog = RatingsYearDialog(main_window)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.view is not None and dialog.view.summary is not None, timeout=TIMEOUT)
    box = dialog.table.cellWidget(0, LEVEL_COLUMN)
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Home)  # "(chưa xếp loại)": the organization's level taken back
    qtbot.waitUntil(lambda: "rating_missing" in rules(), timeout=TIMEOUT)
    dialog.close()


def test_a_clerk_brings_a_body_under_the_cap_member_by_member(qtbot, main_window,
                                                               tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.ratings.members_dialog import LEVEL_COLUMN as MEMBER_LEVEL
    from khoi_desktop.gui.ratings.members_dialog import BodyMembersDialog

    def caps() -> list[str]:
        return [f.org for f in main_window.findings._findings if f.rule == "rating_cap_exceeded"]

    qtbot.waitUntil(lambda: bool(caps()), timeout=TIMEOUT)
    over = caps()[0]
    dialog = RatingsYearDialog(main_window)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.view is not None and dialog.view.summary is not None, timeout=TIMEOUT)
    row = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 0).text() == over)
    dialog.table.scrollToItem(dialog.table.item(row, 1))
    rect = dialog.table.visualItemRect(dialog.table.item(row, 1))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    members = main_window.findChild(BodyMembersDialog)
    assert members is not None
    qtbot.waitUntil(lambda: members.lines is not None, timeout=TIMEOUT)
    members.grab().save(str(tmp_path / "members.png"))
    first = next(r for r, line in enumerate(members.lines) if line.decided == "HTXSNV")
    box = members.table.cellWidget(first, MEMBER_LEVEL)
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Down)  # HTXSNV → HTTNV: 73 on 366 is within 20%
    qtbot.waitUntil(lambda: over not in caps(), timeout=TIMEOUT)
    members.close()
    dialog.close()


def test_returns_for_every_grassroots_organization_from_the_menu(qtbot, main_window, tmp_path: Path,
                                                                 monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

    from khoi_desktop.gui import file_dialogs

    folder = tmp_path / "tra-ve"
    folder.mkdir()
    asked: list[str] = []
    # Qt's own folder dialog is the one piece not driven here (it loads its view asynchronously).
    monkeypatch.setattr(file_dialogs, "ask_folder", lambda _parent, caption: asked.append(caption) or folder)
    seen: list[str] = []

    def answer_dialogs() -> None:  # the year, then the folder, then the confirmation, as a clerk answers them
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QInputDialog):
            widget.setIntValue(YEAR)
            widget.accept()
        elif isinstance(widget, QMessageBox) and widget.objectName() == "ratings_all_done":
            seen.append(widget.text())
            widget.close()
            return
        QTimer.singleShot(50, answer_dialogs)

    QTimer.singleShot(50, answer_dialogs)
    trigger(_menu(main_window), "Lập báo cáo xếp loại (Excel) cho tất cả tổ chức cơ sở đảng…")
    qtbot.waitUntil(lambda: bool(seen), timeout=TIMEOUT)
    tccsd = [n for n in main_window.tree_model.snapshot.nodes.values() if n.active and n.kind.is_tccsd]
    files = sorted(p.name for p in folder.iterdir())
    assert asked and len(files) == len(tccsd) == 73
    assert f"xep-loai-CS018-{YEAR}.xlsx" in files and f"Đã lập 73 tệp báo cáo xếp loại năm {YEAR}" in seen[0]
