"""A process applying and issuing requests, killed with SIGKILL at random moments: nothing half-done, ever."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest
from fault_checks import problems

from khoi_desktop.core.audit import first_broken_entry
from khoi_desktop.core.db import open_database

FILES = 3
KILLS_PER_FILE = 10  # 30 kills in all


def _issued_in(path: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM decisions WHERE status = 'issued'").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("round_", range(FILES))
def test_sigkill_at_random_moments_leaves_a_sound_office(zygote, office: Path, round_: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(7919 * (round_ + 1))
    assert problems(office) == []
    reported = 0
    longest = 0.5  # seconds; doubled while no kill has come after a commit (a slow machine)
    for kill in range(KILLS_PER_FILE):
        pid = zygote.start(office, seed=rng.randrange(1_000_000))
        time.sleep(rng.uniform(0.02, longest))
        os.kill(pid, signal.SIGKILL)
        status, lines = zygote.wait(pid)
        assert not [line for line in lines if line.startswith("crashed")], lines
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (status, lines)
        reported += sum(line.startswith("issued") for line in lines)
        if not reported:
            longest = min(2 * longest, 4.0)
        found = problems(office)
        assert found == [], f"after kill {kill + 1}: {found[:10]}"
        # A decision the worker reported as issued was committed: nothing it confirmed is lost.
        assert _issued_in(office) >= reported
    assert reported > 0, "no kill landed after a committed decision: the delays are too short"
    db = open_database(office)
    try:
        with db.reading() as session:
            assert first_broken_entry(session) is None
    finally:
        db.close()
