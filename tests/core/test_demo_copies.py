"""The demo's copies planned in a child process (core/demo.py _plan): the same office as planned here alone."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from khoi_desktop.core import demo

TODAY = dt.date(2026, 5, 15)
SCALE = 3


def plan_rows(office: demo._Office) -> tuple[list[Any], ...]:
    """Everything the plan holds, with ids instead of objects."""
    members = [(m.values(), [(s.org.id, s.start, s.end, s.start_reason, s.end_reason, s.note) for s in m.spans])
               for m in office.members]
    orgs = [(o.row(), o.spec.name, [(p.id if p else None, a, b) for p, a, b in o.placements],
             [c.id for c in o.children], o.size, [m.id for m in o.people]) for o in office.orgs]
    return members, orgs, list(office.seats)


def alone() -> demo._Office:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(demo._Helper, "start", classmethod(lambda cls, **_: None))
        return demo._plan(scale=SCALE, seed=5, today=TODAY)


START_METHODS = ["spawn", pytest.param("fork", marks=pytest.mark.skipif(not sys.platform.startswith("linux"),
                                                                       reason="forked on Linux only"))]


def with_child(monkeypatch: pytest.MonkeyPatch, *, kill: bool = False,
               method: str = "spawn") -> tuple[demo._Office, list[int]]:
    """The plan, this process waiting for the child to claim a copy before it claims any (the child's start
    takes longer than planning three copies); kill: the child killed once it claimed it. method: the child
    forked (as from a process of one thread on Linux) or spawned."""
    monkeypatch.setattr(demo, "HELPER_FROM_SCALE", 2)
    monkeypatch.setattr(demo, "_idle_core", lambda: True)  # the machine may be busy
    monkeypatch.setattr(demo, "_single_threaded_linux", lambda: method == "fork")
    claim_first, collect = demo._Helper.claim_first, demo._Helper.collect
    sent: list[int] = []

    def after_the_child(self: demo._Helper) -> int | None:
        assert self._process._start_method == method
        deadline = time.monotonic() + 120
        while self._claims[1] == SCALE - 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        if kill:
            self._process.kill()
            self._process.join()
        return claim_first(self)

    def collected(self: demo._Helper, wanted: set[int]) -> dict[int, demo._Office]:
        parts = collect(self, wanted)
        sent.extend(parts)
        return parts

    monkeypatch.setattr(demo._Helper, "claim_first", after_the_child)
    monkeypatch.setattr(demo._Helper, "collect", collected)
    return demo._plan(scale=SCALE, seed=5, today=TODAY), sent


@pytest.mark.parametrize("method", START_METHODS)
def test_copies_planned_by_the_child_are_the_ones_planned_here(monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    office, sent = with_child(monkeypatch, method=method)
    # The child plans the last copy first; on a busy machine it may also take copy 1 before this process
    # claims it (CI saw [2, 1]): the office must be the same either way.
    assert sent[:1] == [SCALE - 1] and set(sent) <= {1, SCALE - 1}, "the child planned the last copy"
    expected = alone()
    assert plan_rows(office) == plan_rows(expected)
    assert [m.id for m in office.members] == list(range(1, len(office.members) + 1))
    assert len({m.national_id for m in office.members}) == len({m.card_number for m in office.members}) == len(
        office.members)


@pytest.mark.parametrize("method", START_METHODS)
def test_a_child_that_dies_leaves_its_copies_to_this_process(monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    office, sent = with_child(monkeypatch, kill=True, method=method)
    assert sent == []
    assert plan_rows(office) == plan_rows(alone())


def test_no_child_below_its_scale_nor_without_an_idle_core(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    monkeypatch.setattr(demo._Helper, "start", classmethod(lambda cls, **kw: started.append(kw["scale"])))
    monkeypatch.setattr(demo, "_idle_core", lambda: True)
    demo._plan(scale=demo.HELPER_FROM_SCALE - 1, seed=5, today=TODAY)
    assert started == []
    monkeypatch.setattr(demo, "HELPER_FROM_SCALE", 2)
    demo._plan(scale=2, seed=5, today=TODAY)
    assert started == [2]
    monkeypatch.undo()
    monkeypatch.setattr(demo, "_others_running", lambda: None)  # not Linux: the load average
    for cores, load, idle in ((1, 0.0, False), (2, 0.2, True), (2, 1.8, False), (4, 2.0, True)):
        monkeypatch.setattr(os, "cpu_count", lambda cores=cores: cores)
        monkeypatch.setattr(os, "getloadavg", lambda load=load: (load, load, load))
        assert demo._idle_core() is idle


def test_an_idle_core_is_one_nobody_else_runs_on_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """The load average lagged: after this process's own 20 s of reads (bench.run) it said busy (1.8 on two
    cores) with nobody else running, and the demo ran without its children."""
    monkeypatch.setattr(os, "getloadavg", lambda: (1.8, 1.8, 1.8))
    for cores, others, idle in ((1, 0, False), (2, 0, True), (2, 1, False), (4, 2, True), (4, 3, False)):
        monkeypatch.setattr(os, "cpu_count", lambda cores=cores: cores)
        monkeypatch.setattr(demo, "_others_running", lambda others=others: others)
        assert demo._idle_core() is idle
    if sys.platform.startswith("linux"):
        assert isinstance(demo._others_running(), int)


def test_the_first_copy_is_the_office_of_scale_1() -> None:
    one = demo._plan(scale=1, seed=5, today=TODAY)
    members, orgs, seats = plan_rows(alone())
    first = plan_rows(one)
    assert members[:len(one.members)] == first[0]
    assert orgs[:len(one.orgs)] == first[1]
    assert seats[:len(one.seats)] == first[2]
    assert members[len(one.members)][0][2:] != first[0][0][2:], "the next copy draws its own people"


CHILD_AT_THE_ENTRY_POINT = """
import runpy, sys, time
from khoi_desktop.core import demo

claim_first, collect = demo._Helper.claim_first, demo._Helper.collect

def after_the_child(self):
    print("child started by", self._process._start_method, file=sys.stderr)
    deadline = time.monotonic() + 120
    while self._claims[1] == 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    return claim_first(self)

def collected(self, wanted):
    parts = collect(self, wanted)
    print("child planned", sorted(parts), file=sys.stderr)
    return parts

demo._Helper.claim_first, demo._Helper.collect = after_the_child, collected
demo.HELPER_FROM_SCALE, demo._idle_core = 2, lambda: True
if sys.argv[2] == "spawn":
    demo._single_threaded_linux = lambda: False
else:
    assert demo._single_threaded_linux()
sys.argv = ["khoi-desktop", "demo", sys.argv[1], "--scale", "2", "--json"]
runpy.run_module("khoi_desktop", run_name="__main__", alter_sys=True)
"""


@pytest.mark.parametrize("method", START_METHODS)
def test_demo_scale_2_from_python_dash_m(tmp_path: Path, method: str) -> None:
    """The real entry point (`python -m khoi_desktop`, run as __main__): a spawned child imports
    khoi_desktop.__main__ again and must plan a copy, not run the command line; the command, one thread on
    Linux, forks it; the file is the scale-2 demo either way."""
    path = tmp_path / "demo.db"
    env = {**os.environ, "KHOI_DESKTOP_HOME": str(tmp_path / "home")}
    result = subprocess.run([sys.executable, "-c", CHILD_AT_THE_ENTRY_POINT, str(path), method],
                            capture_output=True, env=env, timeout=600, check=False)
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, err
    out = json.loads(result.stdout.decode("utf-8"))
    assert (out["tccsd"], out["members"]) == (146, 10712)
    assert "child planned [1]" in err
    assert f"child started by {method}" in err
    plain = subprocess.run([sys.executable, "-m", "khoi_desktop", "stats", str(path), "--json"],
                           capture_output=True, env=env, timeout=600, check=False)
    assert json.loads(plain.stdout.decode("utf-8"))["members"] == 10712


def digested_demo(path: Path, monkeypatch: pytest.MonkeyPatch, *,
                  child_dies: bool = False) -> tuple[list[int], int, list[int]]:
    """A scale-1 demo with the digests' child forced (the machine may be busy, pytest may have threads): (the
    pids that made the plan's digests as seen here, tables the audit had to digest itself after all, the large
    entries whose text the audit made itself)."""
    from khoi_desktop.core import audit
    from khoi_desktop.core.db import open_database

    monkeypatch.setattr(demo, "DIGESTER_FROM_MEMBERS", 1)
    monkeypatch.setattr(demo, "_idle_core", lambda: True)
    monkeypatch.setattr(demo, "_single_threaded_linux", lambda: True)
    if child_dies:
        monkeypatch.setattr(demo, "_digest_in_child", lambda *_: os._exit(1))
    here: list[int] = []
    digests, fallback = demo._plan_digests, audit.all_digests
    redone: list[str] = []

    def watched(office: demo._Office, may_go: Any) -> dict[str, dict[int, str]]:
        here.append(os.getpid())  # a forked child appends to its own copy of the list
        return digests(office, may_go)

    def digested_again(connection: Any, table: str) -> Any:
        redone.append(table)
        return fallback(connection, table)

    monkeypatch.setattr(demo, "_plan_digests", watched)
    monkeypatch.setattr(audit, "all_digests", digested_again)
    encoded, texts = audit.sorted_rows_text, []

    def text_made_here(rows: Any) -> Any:
        texts.append(len(rows))
        return encoded(rows)

    monkeypatch.setattr(audit, "sorted_rows_text", text_made_here)
    db = open_database(path, create=True)
    try:
        demo.generate_demo(db, scale=1, seed=5, today=TODAY)
        from khoi_desktop.core.audit_deep import deep_check

        with db.reading() as session:
            check = deep_check(session)
            assert check.ok and check.rows > 16_000, check.problems[:3]
            assert audit.first_broken_entry(session) is None
    finally:
        db.close()
    return here, len(redone), [n for n in texts if n > 1000]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked on Linux only")
def test_the_audit_digests_made_by_a_forked_child_are_those_of_the_stored_rows(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here, redone, texts = digested_demo(tmp_path / "child.db", monkeypatch)
    assert here == [], "the digests were made in the child, not here"
    assert redone == 0, "every table's digests were taken as the child made them"
    assert texts == [], "the entry's text was joined from the child's parts"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked on Linux only")
def test_a_digests_child_that_dies_leaves_them_to_this_process(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    here, redone, texts = digested_demo(tmp_path / "died.db", monkeypatch, child_dies=True)
    assert here == [os.getpid()] and redone == 0 and len(texts) == 1


MEETING_TABLES = ("meetings", "meeting_attendance", "rating_rounds", "org_ratings", "member_ratings")


def meetings_demo(path: Path, monkeypatch: pytest.MonkeyPatch, *, children: bool,
                  child_dies: bool = False) -> tuple[int, dict[str, list[tuple[Any, ...]]]]:
    """A scale-1 demo with the children forced (or none): (meetings written by this process's write_meetings, the
    rows of the meetings' and ratings' tables); its keys and its audit trail checked."""
    from khoi_desktop.core.audit_deep import deep_check
    from khoi_desktop.core.db import open_database

    monkeypatch.setattr(demo, "DIGESTER_FROM_MEMBERS", 1)
    monkeypatch.setattr(demo, "_idle_core", lambda: children)
    monkeypatch.setattr(demo, "_single_threaded_linux", lambda: children)
    if child_dies:
        monkeypatch.setattr(demo, "_meetings_in_child", lambda *_: os._exit(1))
    written = demo.write_meetings
    here: list[int] = []

    def watched(session: Any, plan: Any, *args: Any) -> int:
        here.append(len(plan[0]))
        return written(session, plan, *args)

    monkeypatch.setattr(demo, "write_meetings", watched)
    db = open_database(path, create=True)
    try:
        demo.generate_demo(db, scale=1, seed=5, today=TODAY)
        with db.reading() as session:
            connection = session.connection()
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert "demo_meetings" not in [name for _, name, _ in connection.exec_driver_sql("PRAGMA database_list")]
            rows = {table: connection.exec_driver_sql(f"SELECT * FROM {table} ORDER BY 1, 2").all()
                    for table in MEETING_TABLES}
            check = deep_check(session)
            assert check.ok, check.problems[:3]
    finally:
        db.close()
    return sum(here), {table: [tuple(row) for row in table_rows] for table, table_rows in rows.items()}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked on Linux only")
def test_the_meetings_written_by_a_forked_child_are_the_ones_written_here(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    in_child, by_child = meetings_demo(tmp_path / "child.db", monkeypatch, children=True)
    here, by_here = meetings_demo(tmp_path / "here.db", monkeypatch, children=False)
    assert in_child == 0, "the child wrote the meetings; this process copied them"
    assert here > 4000 and len(by_here["meeting_attendance"]) > 50_000
    assert by_child == by_here


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked on Linux only")
def test_a_meetings_child_that_dies_leaves_them_to_this_process(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    here, by_here = meetings_demo(tmp_path / "died.db", monkeypatch, children=True, child_dies=True)
    _, planned_here = meetings_demo(tmp_path / "here.db", monkeypatch, children=False)
    assert here > 4000 and by_here == planned_here


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked on Linux only")
def test_the_ratings_are_written_here_when_this_process_reaches_them_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This process reaches the meetings before the child has sent them (held back here): it claims the ratings and
    writes them itself, the child leaves them out; the same rows."""
    written, planned = demo.write_planned_meetings, demo.write_ratings
    here: list[int] = []
    claimed_here = tmp_path / "claimed-here"  # the child waits for it (forked: a file), a minute at most

    def slow(*args: Any) -> int:
        waited = time.monotonic()
        while not claimed_here.exists() and time.monotonic() - waited < 60:
            time.sleep(0.02)
        return written(*args)

    def ratings(session: Any, plan: Any) -> int:
        here.append(os.getpid())
        claimed_here.touch()
        return planned(session, plan)

    monkeypatch.setattr(demo, "write_planned_meetings", slow)
    monkeypatch.setattr(demo, "write_ratings", ratings)
    in_child, by_child = meetings_demo(tmp_path / "child.db", monkeypatch, children=True)
    assert in_child == 0 and here == [os.getpid()], "the meetings from the child, the ratings written here"
    monkeypatch.setattr(demo, "write_planned_meetings", written)
    _, by_here = meetings_demo(tmp_path / "here.db", monkeypatch, children=False)
    assert by_child == by_here


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked on Linux only")
@pytest.mark.parametrize("slow", ["meetings", "digests"])
def test_the_audit_entries_and_the_meetings_copy_come_in_the_order_the_children_finish(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slow: str) -> None:
    """The audit entries need the digests' child, the copy the meetings' child: whichever child finishes first has its
    part done first (the entries while the meetings' child still works: the other core is not left idle); the same
    rows and trail either way."""
    order: list[str] = []
    # The held child goes on once this process has done the other child's part (a file: the children are forked),
    # not after a fixed sleep, which a loaded machine can outlast; a minute at most, then the order tells.
    done_here = tmp_path / "done-here"

    def noted(step: str) -> None:
        order.append(step)
        done_here.touch()

    admin, copy_into = demo.create_demo_admin, demo._MeetingsWriter.copy_into
    monkeypatch.setattr(demo, "create_demo_admin", lambda *args: (noted("entries"), admin(*args))[1])
    monkeypatch.setattr(demo._MeetingsWriter, "copy_into", lambda *args: (noted("copy"), copy_into(*args))[1])
    held = demo.write_planned_meetings if slow == "meetings" else demo._plan_digests

    def later(*args: Any) -> Any:
        waited = time.monotonic()
        while not done_here.exists() and time.monotonic() - waited < 60:
            time.sleep(0.02)
        return held(*args)

    monkeypatch.setattr(demo, "write_planned_meetings" if slow == "meetings" else "_plan_digests", later)
    in_child, by_child = meetings_demo(tmp_path / "child.db", monkeypatch, children=True)
    assert in_child == 0
    assert order == (["entries", "copy"] if slow == "meetings" else ["copy", "entries"])
    monkeypatch.setattr(demo, "write_planned_meetings" if slow == "meetings" else "_plan_digests", held)
    _, by_here = meetings_demo(tmp_path / "here.db", monkeypatch, children=False)
    assert by_child == by_here


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked on Linux only")
def test_the_digests_child_takes_the_values_as_stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The digests' child is forked once the members' and memberships' values are made for _insert, and digests
    those (not made again from the plan): the same rows as made from the plan, the digests those of the stored
    rows (digested_demo's deep check)."""
    forked: list[tuple[int, int]] = []
    start = demo._Digester.start

    def watched(cls: Any, office: demo._Office) -> Any:
        forked.append((len(office.member_rows), len(office.membership_rows)))
        from_values = [(table, list(rows)) for table, rows in demo._stored_rows(office)]
        made = demo._Office(office.rng, office.today, 1)
        made.orgs, made.members, made.seats = office.orgs, office.members, office.seats
        assert from_values == [(table, list(rows)) for table, rows in demo._stored_rows(made)]
        return start(office)

    monkeypatch.setattr(demo._Digester, "start", classmethod(watched))
    here, redone, texts = digested_demo(tmp_path / "child.db", monkeypatch)
    assert len(forked) == 1 and forked[0][0] > 5000 and forked[0][1] > forked[0][0]
    assert here == [] and redone == 0 and texts == []
