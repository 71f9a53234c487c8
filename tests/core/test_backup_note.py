"""The backup note a clerk reads: decisions counted as the list shows them, and "Sao lưu gần nhất" that does
not go back in time after a restore (issue 21, point 17)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from backup_support import FAST_KDF, seed
from sqlalchemy import select

from factories import add_member
from khoi_desktop.core.backup.describe import counts_text
from khoi_desktop.core.backup.restore import restore_backup
from khoi_desktop.core.backup.status import last_backup_at
from khoi_desktop.core.backup.writer import create_backup
from khoi_desktop.core.db import Database, open_database
from khoi_desktop.core.models import Decision, DecisionStatus

EARLY, LATE = dt.datetime(2025, 3, 5, 9, 0), dt.datetime(2025, 3, 6, 16, 30)


def test_decisions_are_counted_as_the_list_shows_them(db: Database, tmp_path: Path) -> None:
    seed(db)
    with db.writing() as s:
        decision = s.scalars(select(Decision)).one()
        s.add(Decision(doc_type=decision.doc_type, action=decision.action, status=DecisionStatus.DISCARDED,
                       subject="về việc bỏ",
                       content=decision.content, created_at=decision.created_at))
    made = create_backup(db, tmp_path, actor="thư ký", kind="test", now=EARLY, kdf_n=FAST_KDF)
    assert made.manifest.decisions == 2  # rows, as the integrity check counts them
    assert counts_text(made.manifest).endswith("1 quyết định đã ban hành, 0 đã ghi nhận, 0 dự thảo")


def test_a_recorded_decision_is_counted_as_recorded_not_issued(db: Database, tmp_path: Path) -> None:
    """The USB backup's message said «1 quyết định đã ban hành» for a decision recorded (another body's, «Đã ghi
    nhận» in the list): the manifest counts the recorded apart, verify checks the count, and a backup that did not
    count them says both in one."""
    import dataclasses

    from khoi_desktop.core.backup.describe import decisions_text
    from khoi_desktop.core.backup.reader import verify_backup

    seed(db)
    with db.writing() as s:
        s.scalars(select(Decision)).one().recorded = True
    made = create_backup(db, tmp_path, actor="thư ký", kind="test", now=EARLY, kdf_n=FAST_KDF)
    assert (made.manifest.issued, made.manifest.recorded, made.manifest.drafts) == (1, 1, 0)
    assert counts_text(made.manifest).endswith("0 quyết định đã ban hành, 1 đã ghi nhận, 0 dự thảo")
    assert verify_backup(made.path).manifest.recorded == 1
    older = dataclasses.replace(made.manifest, recorded=None)
    assert decisions_text(older) == "1 đã ban hành hoặc ghi nhận, 0 dự thảo"


@pytest.mark.sqlite_only  # the SQLite file itself (its path, bytes or sqlite3)
def test_after_a_restore_the_last_backup_does_not_go_back(db: Database, tmp_path: Path) -> None:
    seed(db)
    old = create_backup(db, tmp_path / "a", actor="thư ký", kind="test", now=EARLY, kdf_n=FAST_KDF).path
    with db.writing() as s:
        add_member(s, "Lê Văn Mới", None, code="DV-MOI")
    create_backup(db, tmp_path / "b", actor="thư ký", kind="test", now=LATE, kdf_n=FAST_KDF)
    with db.reading() as s:
        before = last_backup_at(s)
    db.close()
    restore_backup(old, db.path, actor="thư ký", now=LATE + dt.timedelta(hours=1))
    restored = open_database(db.path)
    try:
        with restored.reading() as s:
            assert last_backup_at(s) >= before
    finally:
        restored.close()
