"""Migration 0013_audit_seal on a file an older version wrote: entries stamped in local time become UTC with their
offset kept (their hashes still check), and one baseline entry records the digests of the rows already there."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from khoi_desktop.core.audit import GENESIS, _entry_hash, verify_trail
from khoi_desktop.core.audit_deep import deep_check
from khoi_desktop.core.db import _alembic_config, make_engine, open_database

pytestmark = pytest.mark.skipif(os.name == "nt", reason="time.tzset")


@pytest.fixture
def hanoi(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def older_file(path: Path) -> list[dt.datetime]:
    """A file at the revision before 0013, with three entries in local time and one organization."""
    from alembic import command

    engine = make_engine(path)
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0012_exchange")
    stamps = [dt.datetime(2025, 3, day, 9, 30) for day in (1, 2, 3)]
    with engine.begin() as connection:
        previous = GENESIS
        for at in stamps:
            digest = _entry_hash(previous, at, "vanthu", "decision.issue", None, None, None)
            connection.execute(text("INSERT INTO audit_entries (at, actor, action, prev_hash, hash) "
                                    "VALUES (:at, 'vanthu', 'decision.issue', :p, :h)"),
                               {"at": at, "p": previous, "h": digest})
            previous = digest
        connection.execute(text("INSERT INTO settings (key, value) VALUES ('audit_anchor', :v)"),
                           {"v": json.dumps({"last_id": 3, "last_hash": previous, "count": 3})})
        connection.execute(text("INSERT INTO organizations (code, name, name_key, kind, founded_on) VALUES "
                                "('CB01', 'Chi bộ Văn phòng', 'chi bo van phong', 'chi_bo_co_so', '2020-01-01')"))
    engine.dispose()
    return stamps


def test_old_entries_become_utc_with_their_offset_and_still_check(tmp_path: Path, hanoi: None) -> None:
    path = tmp_path / "cu.db"
    stamps = older_file(path)
    db = open_database(path)
    try:
        with db.reading() as session:
            check = verify_trail(session)
            assert check.ok and check.entries == 4  # three old entries and the baseline
            assert deep_check(session).ok
    finally:
        db.close()
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT at, at_offset, format FROM audit_entries ORDER BY id").fetchall()
    baseline = conn.execute("SELECT table_name, row_id FROM audit_rows").fetchall()
    conn.close()
    assert [(dt.datetime.fromisoformat(at), offset, form) for at, offset, form in rows[:3]] == [
        (stamp - dt.timedelta(hours=7), 420, 1) for stamp in stamps]
    assert rows[3][2] == 2 and baseline == [("organizations", 1)]


def test_an_old_entry_shows_the_local_time_it_was_written_in(tmp_path: Path, hanoi: None,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    from khoi_desktop.__main__ import main

    path = tmp_path / "cu.db"
    older_file(path)
    open_database(path).close()
    monkeypatch.setenv("TZ", "Europe/Paris")  # read on a workstation elsewhere: the time as it was written
    time.tzset()
    assert main(["audit", str(path), "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)["entries"]
    assert entries[-1]["at"] == "2025-03-01T09:30:00+07:00"
    assert main(["audit", str(path)]) == 0
    assert "01/03/2025 09:30:00 (UTC+07:00)" in capsys.readouterr().out
