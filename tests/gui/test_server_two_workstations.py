"""Issue 19's "done when" on one server office: a window and the command line (two workstations) at once.
Each sees the decision the other issued within seconds, and their numbers are one sequence without a gap.
(Concurrent issuing by many processes: tests/core/test_server.py::test_n_processes_issuing_at_once…; the move
to the server and back: …::test_an_office_moves_to_the_server_and_back_with_nothing_lost.)"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from factories import add_members, add_org
from khoi_desktop.core.auth.accounts import create_first_admin
from khoi_desktop.core.auth.current import CurrentUser, Role
from khoi_desktop.core.db import open_database
from khoi_desktop.core.models import Term
from khoi_desktop.core.request_json import parse_request
from khoi_desktop.core.settings import OfficeSettings, save_settings
from khoi_desktop.gui.worker import DbWorker
from pg_support import SKIP_REASON, drop, migrated_database, server_url

TODAY = dt.date.today()
WAIT = 20_000
PASSWORD = "mật-khẩu-văn-thư"
SRC = str(Path(__file__).resolve().parents[2] / "src")


def _cli(*args: str, password_file: Path) -> dict:  # type: ignore[type-arg]
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-m", "khoi_desktop", "--user", "van_thu", "--password-file",
                           str(password_file), *args, "--json"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr + done.stdout
    return json.loads(done.stdout)


def test_a_window_and_the_command_line_see_each_others_decisions_numbered_as_one(  # type: ignore[no-untyped-def]
        qtbot, qapp, tmp_path: Path) -> None:
    from khoi_desktop.gui.main_window import MainWindow
    from khoi_desktop.gui.workflows import jobs

    if server_url() is None:
        if os.environ.get("CI"):
            pytest.fail(SKIP_REASON)
        pytest.skip(SKIP_REASON)
    url = migrated_database()
    db = open_database(url)
    window = None
    secret = tmp_path / "mat-khau.txt"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    try:
        with db.writing() as s:
            create_first_admin(s, username="van_thu", full_name="Văn thư máy chủ", password=PASSWORD)
            save_settings(s, OfficeSettings(configured=True))
            s.add(Term(name="hien-tai", starts_on=TODAY - dt.timedelta(days=400),
                       ends_on=TODAY + dt.timedelta(days=400)))
            first = add_org(s, "CS001", "Đảng bộ Sở Tài chính", "dang_bo_co_so")
            add_members(s, add_org(s, "CB0900", "Chi bộ Văn phòng Sở", "chi_bo_truc_thuoc", parent=first), 30)
            for i in (1, 2):
                add_members(s, add_org(s, f"CB000{i}", f"Chi bộ Phòng {i}", "chi_bo_truc_thuoc", parent=first), 3)
            second = add_org(s, "CS002", "Đảng bộ Sở Y tế", "dang_bo_co_so")
            add_members(s, add_org(s, "CB0800", "Chi bộ Văn phòng Sở Y tế", "chi_bo_truc_thuoc", parent=second), 30)
        db.user = CurrentUser("van_thu", "Văn thư máy chủ", Role.QUAN_TRI)
        window = MainWindow(DbWorker(db))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.tree_model.snapshot is not None and window.worker.pending == 0, timeout=WAIT)

        def parent_code(code: str) -> str | None:
            snapshot = window.tree_model.snapshot
            node = snapshot.by_code(code)
            parent = snapshot.nodes.get(node.parent_id) if node and node.parent_id is not None else None
            return parent.code if parent else None

        assert parent_code("CB0001") == "CS001"
        # the other workstation (the command line) issues a transfer: the window shows it by itself
        request = tmp_path / "chuyen.json"
        request.write_text(json.dumps({"action": "transfer", "org": "CB0001", "to": "CS002"}), encoding="utf-8")
        issued = _cli("apply", url, str(request), "--issue", password_file=secret)
        assert issued["decision"]["number"] == 1 and issued["decision"]["status"] == "issued"
        qtbot.waitUntil(lambda: parent_code("CB0001") == "CS002", timeout=WAIT)

        # the window issues the next one (the request wizard's own job): the command line lists both
        saved: list[object] = []
        errors: list[BaseException] = []
        window.worker.submit(jobs.save_request(request=parse_request({"action": "transfer", "org": "CB0002",
                                                                      "to": "CS002"}), issue=True, today=TODAY),
                             saved.append, errors.append)
        qtbot.waitUntil(lambda: bool(saved or errors), timeout=WAIT)
        assert not errors, errors
        listed = _cli("decisions", url, password_file=secret)["decisions"]
        assert sorted(d["number"] for d in listed if d["status"] == "issued") == [1, 2]
    finally:
        if window is not None:
            window.close()
        db.close()
        drop(url)
