"""Two clerks on one draft: the second save is refused naming who changed it and when; the editor stays open
with the clerk's text, and the first clerk's version is what is stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from factories import add_members, add_org
from khoi_desktop.core import decisions
from khoi_desktop.core.apply import apply_request
from khoi_desktop.core.auth.current import CurrentUser, Role
from khoi_desktop.core.db import open_database
from khoi_desktop.core.decision_content import DecisionContent
from khoi_desktop.core.models import Decision, Term
from khoi_desktop.core.request_json import parse_request
from khoi_desktop.core.settings import OfficeSettings, save_settings
from khoi_desktop.documents.pdf import render_pdf
from khoi_desktop.gui.worker import DbWorker

TODAY = dt.date.today()
WAIT = 20_000


def test_a_second_save_of_one_draft_is_refused_and_the_editor_keeps_the_text(  # type: ignore[no-untyped-def]
        qtbot, qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from khoi_desktop.gui.main_window import MainWindow
    from khoi_desktop.gui.workflows.draft_editor import DraftEditor

    path = tmp_path / "van-phong.db"
    db = open_database(path, create=True)
    with db.writing() as s:
        save_settings(s, OfficeSettings(configured=True))
        s.add(Term(name="hien-tai", starts_on=TODAY - dt.timedelta(days=400), ends_on=TODAY + dt.timedelta(days=400)))
        first = add_org(s, "CS001", "Đảng bộ Sở Tài chính", "dang_bo_co_so")
        add_members(s, add_org(s, "CB0900", "Chi bộ Văn phòng Sở", "chi_bo_truc_thuoc", parent=first), 30)
        add_members(s, add_org(s, "CB0001", "Chi bộ Phòng 1", "chi_bo_truc_thuoc", parent=first), 3)
        second = add_org(s, "CS002", "Đảng bộ Sở Y tế", "dang_bo_co_so")
        add_members(s, add_org(s, "CB0800", "Chi bộ Văn phòng Sở Y tế", "chi_bo_truc_thuoc", parent=second), 30)
        decision, _ = apply_request(s, parse_request({"action": "transfer", "org": "CB0001", "to": "CS002"}),
                                    actor="x", issue=False, today=TODAY, render=render_pdf)
        draft_id, opened = decision.id, decision.version
        content = DecisionContent.from_json(decision.content)
    db.user = CurrentUser("van_thu_a", "Nguyễn Văn A", Role.CHUYEN_VIEN)
    window = MainWindow(DbWorker(db))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.worker.pending == 0, timeout=WAIT)
    editor = DraftEditor(window, draft_id, content, window, version=opened)
    qtbot.addWidget(editor)
    editor.show()
    # meanwhile clerk B, at another workstation, saves the same draft
    other = open_database(path)
    other.user = CurrentUser("van_thu_b", "Trần Thị B", Role.CHUYEN_VIEN)
    with other.writing() as s:
        theirs = DecisionContent.from_json(s.get(Decision, draft_id).content)
        theirs.subject = "Về việc chuyển Chi bộ Phòng 1 (bản của B)"
        decisions.update_draft(s, s.get(Decision, draft_id), theirs, "b", expected_version=opened)
    other.close()
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *_a, **_k: warnings.append(text))
    editor.subject.setText("Về việc chuyển Chi bộ Phòng 1 (bản của A)")
    save = editor.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(warnings), timeout=WAIT)
    assert "van_thu_b" in warnings[0] and f"{TODAY:%d/%m/%Y}" in warnings[0]
    assert editor.isVisible() and editor.subject.text().endswith("(bản của A)")  # nothing typed is lost
    with db.reading() as s:
        assert s.get(Decision, draft_id).subject.endswith("(bản của B)")
    editor.close()
    window.close()
