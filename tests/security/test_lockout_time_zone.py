"""A locked account stays locked whatever time zone the next attempt runs in (TZ=Etc/GMT-12 used to log in
at once)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from khoi_desktop.core.auth.accounts import MAX_FAILED_ATTEMPTS, create_first_admin
from khoi_desktop.core.db import Database

ATTEMPT = """
import sys
from khoi_desktop.core.auth.accounts import authenticate, LoginRefused
from khoi_desktop.core.db import open_database
db = open_database(sys.argv[1])
try:
    for password in sys.argv[2:]:
        try:
            authenticate(db, "quantri", password)
            print("ok")
        except LoginRefused as exc:
            print("refused", exc.message)
finally:
    db.close()
"""


def _attempts(path: Path, zone: str, *passwords: str) -> list[str]:
    env = {**os.environ, "TZ": zone}
    result = subprocess.run([sys.executable, "-c", ATTEMPT, str(path), *passwords], capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-800:]
    return result.stdout.splitlines()


@pytest.mark.sqlite_only  # the SQLite file itself (its path, bytes or sqlite3)
def test_changing_the_time_zone_does_not_end_a_lockout(db: Database) -> None:
    with db.writing() as session:
        create_first_admin(session, username="quantri", full_name="Quản trị", password="dung-mat-khau")
    db.close()
    lines = _attempts(db.path, "Etc/GMT+12", *["sai-mat-khau"] * MAX_FAILED_ATTEMPTS)
    assert "bị khóa" in lines[-1]
    for zone in ("Etc/GMT-12", "Etc/GMT-14", "UTC"):
        (line,) = _attempts(db.path, zone, "dung-mat-khau")
        assert line.startswith("refused") and "đang bị khóa" in line, (zone, line)
