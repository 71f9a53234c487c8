"""The server restarted under a running window (issue 19, item 4): the real main window on a server office of
the tests' own cluster, a clerk typing in a draft when the server goes away. The window says so in
Vietnamese, the save is refused with nothing written and the editor keeps the clerk's text; the window
reconnects by itself when the server is back, and the same save then goes through."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from factories import add_members, add_org
from khoi_desktop.core.apply import apply_request
from khoi_desktop.core.auth.current import CurrentUser, Role
from khoi_desktop.core.db import open_database
from khoi_desktop.core.decision_content import DecisionContent
from khoi_desktop.core.models import Decision, Term
from khoi_desktop.core.request_json import parse_request
from khoi_desktop.core.settings import OfficeSettings, save_settings
from khoi_desktop.documents.pdf import render_pdf
from khoi_desktop.gui.worker import DbWorker
from pg_support import CLUSTER_SCRIPT, drop, migrated_database

TODAY = dt.date.today()
WAIT = 20_000
SCRIPT = str(CLUSTER_SCRIPT)


@pytest.mark.xdist_group("own_cluster")  # a cluster of the test process's own (tests/conftest.py)
def test_the_window_rides_out_a_server_restart_keeping_the_clerks_text(  # type: ignore[no-untyped-def]
        qtbot, qapp, stoppable_pg: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from khoi_desktop.gui.main_window import MainWindow
    from khoi_desktop.gui.workflows.draft_editor import DraftEditor

    url = migrated_database()
    db = open_database(url)
    window = None
    try:
        with db.writing() as s:
            save_settings(s, OfficeSettings(configured=True))
            s.add(Term(name="hien-tai", starts_on=TODAY - dt.timedelta(days=400),
                       ends_on=TODAY + dt.timedelta(days=400)))
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
        window.show()
        qtbot.waitUntil(lambda: window.tree_model.snapshot is not None and window.worker.pending == 0, timeout=WAIT)
        editor = DraftEditor(window, draft_id, content, window, version=opened)
        qtbot.addWidget(editor)
        editor.show()
        editor.subject.setText("Về việc chuyển Chi bộ Phòng 1 sang Đảng bộ Sở Y tế (đã sửa)")
        warnings: list[str] = []
        monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *_a, **_k: warnings.append(text))
        save = editor.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
        status = window.statusBar()

        subprocess.run(["sh", SCRIPT, "pause", stoppable_pg], check=True, timeout=120)
        try:
            qtbot.waitUntil(window.server_banner.isVisible, timeout=WAIT)
            assert window.server_banner.text().startswith("Mất kết nối tới máy chủ dữ liệu")
            qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: bool(warnings), timeout=WAIT)
            assert warnings[0].startswith("Mất kết nối tới") and "Không có gì bị ghi dở" in warnings[0]
            assert editor.isVisible() and editor.subject.text().endswith("(đã sửa)")  # nothing typed is lost
            window.grab().save(str(Path(os.environ.get("TMPDIR", "/tmp")) / "khoi-server-lost.png"))
        finally:
            subprocess.run(["sh", SCRIPT, "resume", stoppable_pg], check=True, timeout=120)
        qtbot.waitUntil(lambda: not window.server_banner.isVisible(), timeout=WAIT)
        assert status.currentMessage() == "Đã kết nối lại máy chủ dữ liệu."
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)  # the same text, saved once the server is back
        qtbot.waitUntil(lambda: not editor.isVisible(), timeout=WAIT)
        assert len(warnings) == 1
        with db.reading() as s:
            stored = s.get(Decision, draft_id)
            assert stored.subject.endswith("(đã sửa)") and stored.version == opened + 1
    finally:
        if window is not None:
            window.close()
        db.close()
        drop(url)
