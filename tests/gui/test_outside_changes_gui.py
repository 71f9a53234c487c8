"""A window open while the command line issues a decision shows it without F5 (PRAGMA data_version)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from khoi_desktop.core.tree import load_snapshot
from signin_support import signed_in


def test_a_decision_issued_by_another_program_appears_by_itself(qtbot, main_window, demo_path: Path,  # type: ignore[no-untyped-def]
                                                               tmp_path: Path) -> None:
    from khoi_desktop.core.db import open_database

    db = open_database(demo_path)
    try:
        with db.reading() as session:
            snapshot = load_snapshot(session, main_window._as_of)
    finally:
        db.close()
    parent = next(n for n in snapshot.nodes.values() if n.kind.value == "dang_bo_co_so" and n.active)
    other = next(n for n in snapshot.nodes.values() if n.kind.value == "dang_bo_co_so" and n.active and n is not parent)
    chi_bo = next(snapshot.nodes[c] for c in parent.children if snapshot.nodes[c].members >= 5)
    request = tmp_path / "r.json"
    request.write_text(json.dumps({"action": "transfer", "org": chi_bo.code, "to": other.code}), encoding="utf-8")
    before = main_window.tree_model.snapshot.nodes[chi_bo.id].parent_id
    assert before == parent.id
    result = subprocess.run([sys.executable, "-m", "khoi_desktop", *signed_in(demo_path), "apply", str(demo_path),
                             str(request), "--issue", "--json"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    qtbot.waitUntil(lambda: main_window.tree_model.snapshot.nodes[chi_bo.id].parent_id == other.id, timeout=15_000)
