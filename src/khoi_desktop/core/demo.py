"""Demo office: fills a new, empty database with a realistic Đảng ủy Khối and years of its history.

As of `today`, scale 1 has exactly the figures of DOMAIN.md §6: 73 TCCSĐ (42 đảng bộ cơ sở and 31 chi
bộ cơ sở), 2 đảng bộ bộ phận, 350 chi bộ trực thuộc and 5,356 members, 268 of them probationary.
Scale N repeats the office N times ("Đảng bộ Sở Tài chính (cụm 2)" …). Everything is drawn from
random.Random(seed) (demo_committees.Dice), each copy after the first from a stream of its own (seed/copy):
the same seed, scale and date give the same data, whichever process planned which copy.
"""

from __future__ import annotations

import bisect
import concurrent.futures
import datetime as dt
import functools
import gc
import itertools
import operator
import os
import pickle
import random
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from sqlalchemy import Table, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from khoi_desktop.core import demo_data as data
from khoi_desktop.core.audit import bulk_digested, os_user, record
from khoi_desktop.core.audit_rows import COLUMNS, plain_row_digests, table_rows_text
from khoi_desktop.core.auth.accounts import create_demo_admin, demo_admin_hash
from khoi_desktop.core.bulk_load import indexes_deferred, insert_rows, insert_values
from khoi_desktop.core.codes import CODE_WIDTH
from khoi_desktop.core.collector import collector_paused
from khoi_desktop.core.db import Database
from khoi_desktop.core.demo_committees import TERMS, Dice, Elections, random_day
from khoi_desktop.core.engines.sqlite_search import insert_trigger_deferred
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.meetings.demo import (
    plan_meetings,
    write_attendance_spans,
    write_meetings,
    write_planned_meetings,
)
from khoi_desktop.core.member_events.demo import add_leavers, insert_member_events
from khoi_desktop.core.member_words import WORDS_SQL
from khoi_desktop.core.models import (
    Base,
    CommitteeSeat,
    Member,
    Membership,
    MoveReason,
    Organization,
    OrgKind,
    Placement,
    Sex,
    Term,
)
from khoi_desktop.core.ratings.demo import plan_ratings, write_planned_ratings, write_ratings
from khoi_desktop.core.settings import load_settings, save_settings
from khoi_desktop.core.text import fold, name_sort_key

MAX_SCALE = 50

# Figures of one copy of the office, as of today.
CHI_BO_TRUC_THUOC = 350
MEMBERS = 5356
PROBATIONARY = 268  # about 5%
PROBATION_WINDOW_DAYS = 395  # newest full members were admitted 400 days ago
EXEMPT = 54  # about 1%, miễn sinh hoạt
ENDED_CHI_BO = 4  # dissolved in 2019–2022, their members moved to sister chi bộ
HOST_OVER_30 = 3  # chi bộ over 30 in the largest đảng bộ (kept with consent, as tổ đảng) …
OTHER_OVER_30 = 2  # … and elsewhere (flagged, no consent yet)
MOVER_SHARE = 0.13  # of the members who could have moved: about 12% of all

CHI_BO_SIZE = (8, 24)
HOST_CHI_BO_SIZE = (16, 24)  # large hospital departments: keeps the host the largest đảng bộ
SMALL_CHI_BO_SIZE = (7, 9)  # the đảng bộ under 30
OVER_30_SIZE = (31, 42)
CHI_BO_PER_DANG_BO = (4, 16)  # 4 × 8 members: every other đảng bộ has at least 30

FIRST_BIRTH, LAST_BIRTH = dt.date(1962, 1, 1), dt.date(2001, 12, 31)
TCCSD_FOUNDED = (dt.date(1976, 1, 1), dt.date(2008, 12, 31))
LAST_FOUNDING = dt.date(2015, 12, 31)
ENDINGS = (dt.date(2019, 1, 1), dt.date(2022, 12, 31))
MOVES = (dt.date(2016, 1, 1), dt.date(2023, 12, 31))
EARLIEST_TODAY = dt.date(2024, 1, 1)  # after every planned ending and move

BO_PHAN_CONSENT = "Ban Thường vụ Đảng ủy Khối đồng ý thành lập đảng bộ bộ phận."
OVER_30_CONSENT = "Cấp ủy cấp trên đồng ý duy trì chi bộ trên 30 đảng viên, chia thành các tổ đảng."
DAY = dt.timedelta(days=1)
# Loaded in bulk, their secondary indexes built once after (core/bulk_load.py).
BULK_TABLES = ("organizations", "placements", "members", "member_words", "memberships", "committee_seats",
               "member_events")
MEETING_TABLES = ("meetings", "meeting_attendance", "org_ratings", "member_ratings")
DEMO_CACHE_KIB = 512 * 1024  # SQLite's page cache while the demo office is written
# From this scale on, a child process plans part of the copies: it takes about as long to start (a new
# interpreter importing this module, ≈ 0.6 s) as this process takes to plan six or seven copies.
HELPER_FROM_SCALE = 8
DIGESTER_FROM_MEMBERS = 20_000  # scale 4: below, the fork and the pickling cost more than they save


_bisect_right = bisect.bisect_right  # a module global, not an attribute look-up: 750.000 picks at scale 20


class _Table:
    """Weighted choice over (value, weight) pairs."""

    def __init__(self, pairs: Sequence[tuple[str, int]]) -> None:
        self.values = [value for value, _ in pairs]
        self.cumulative = list(itertools.accumulate(weight for _, weight in pairs))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> str:
        return self.values[_bisect_right(self.cumulative, rng.random() * self.total)]


_ETHNICITIES = _Table(data.ETHNICITIES)
_FAMILY_NAMES = {ethnicity: _Table(pairs) for ethnicity, pairs in data.FAMILY_NAMES.items()}
_MIDDLE_NAMES = {sex: _Table(pairs) for sex, pairs in data.MIDDLE_NAMES.items()}
_JOB_TITLES = {staff: _Table(pairs) for staff, pairs in data.JOB_TITLES.items()}
_EDUCATION = _Table(data.EDUCATION)
_THEORY_LEVELS = _Table(data.THEORY_LEVELS)
_RELIGIONS = _Table(data.RELIGIONS)


@dataclass(eq=False, slots=True)
class _Org:
    id: int
    code: str
    name: str
    kind: OrgKind
    agency: str
    spec: data.Agency  # the agency of its TCCSĐ
    founded_on: dt.date
    ended_on: dt.date | None = None
    consent_note: str | None = None
    placements: list[tuple[_Org | None, dt.date, dt.date | None]] = field(default_factory=list)
    children: list[_Org] = field(default_factory=list)  # a đảng bộ cơ sở's chi bộ, ended ones included
    size: int = 0  # members today (chi bộ)
    people: list[_Member] = field(default_factory=list)  # members today (chi bộ)

    @property
    def parent(self) -> _Org | None:
        return self.placements[-1][0]

    def row(self) -> dict[str, Any]:
        return {"id": self.id, "code": self.code, "name": self.name, "name_key": fold(self.name),
                "kind": self.kind, "agency": self.agency, "founded_on": self.founded_on,
                "ended_on": self.ended_on, "consent_note": self.consent_note}


@dataclass(eq=False, slots=True)
class _Span:
    """One membership of a member in a chi bộ."""

    org: _Org
    start: dt.date
    end: dt.date | None
    start_reason: MoveReason
    end_reason: MoveReason | None = None
    note: str | None = None


@dataclass(eq=False, slots=True)
class _Member:
    id: int
    code: str
    family_name: str
    middle_name: str
    given_name: str
    search_key: str
    sort_key: str
    sex: Sex
    birth_date: dt.date
    admitted_on: dt.date
    full_member_on: dt.date | None
    exempt_since: dt.date | None
    hometown: str
    ethnicity: str
    religion: str
    national_id: str
    card_number: str
    education: str
    theory_level: str
    job_title: str
    agency: str
    spans: list[_Span]

    def org_on(self, day: dt.date) -> _Org | None:
        for span in self.spans:
            if span.start <= day and (span.end is None or day < span.end):
                return span.org
        return None

    def values(self) -> tuple[Any, ...]:
        """Its row of the members table as stored, in the order of _MEMBER_COLUMNS."""
        return (self.id, self.code, self.family_name, self.middle_name, self.given_name, self.search_key,
                self.sort_key, self.sex._value_, self.birth_date.isoformat(), self.admitted_on.isoformat(),
                self.full_member_on.isoformat() if self.full_member_on else None,
                self.exempt_since.isoformat() if self.exempt_since else None, self.hometown, self.ethnicity,
                self.religion, self.national_id, self.card_number, self.education, self.theory_level,
                self.job_title, self.agency)


_MEMBER_COLUMNS = [name for name in _Member.__dataclass_fields__ if name != "spans"]


def generate_demo(db: Database, *, scale: int = 1, seed: int = 1, today: dt.date | None = None) -> None:
    """Fill an empty database with the demo office (scale copies of it), all in one transaction."""
    if not 1 <= scale <= MAX_SCALE:
        raise ValidationError(f"Hệ số quy mô của dữ liệu mẫu phải từ 1 đến {MAX_SCALE} (đã nhập {scale}).",
                              code="invalid_scale")
    today = today or dt.date.today()
    if today < EARLIEST_TODAY:
        raise ValidationError(f"Dữ liệu mẫu có lịch sử đến hết năm 2023: ngày lập phải từ "
                              f"{EARLIEST_TODAY:%d/%m/%Y} trở đi.", code="invalid_date")
    if db.server is not None:
        _generate_on_server(db, scale=scale, seed=seed, today=today)
        return
    # The collector off while the plan's half a million objects are alive: its full passes over them were a
    # fifth of the CPU time at scale 20, and the plan is freed when it ends.
    with collector_paused(), _keys_unchecked(db), db.writing() as session:
        _refuse_unless_empty(session)
        with _large_cache(session):
            _generate(session, scale=scale, seed=seed, today=today)


def _generate_on_server(db: Database, *, scale: int, seed: int, today: dt.date) -> None:
    """A server office: the demo is made in a temporary SQLite file (the meetings and ratings are written through
    SQLite's own driver, its placeholders and pragmas), then every row is copied into the server database in one
    transaction, its id sequences set after the copied ids (core/transfer.py, as `demo` on a server does)."""
    import tempfile
    from pathlib import Path

    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.transfer import copy_office, is_empty

    with db.reading() as session:
        _refuse_unless_empty(session)
    with tempfile.TemporaryDirectory(prefix="khoi-demo-") as folder:
        local = open_database(Path(folder) / "demo.db", create=True)
        try:
            generate_demo(local, scale=scale, seed=seed, today=today)
            with local.engine.connect() as source, db.engine.begin() as target:
                if not is_empty(target):
                    _refuse_unless_empty(Session(bind=target))
                    raise ValidationError("Cơ sở dữ liệu đã có dữ liệu. Chỉ tạo dữ liệu mẫu trong một cơ sở dữ liệu "
                                          "mới, còn trống.", code="not_empty")
                copy_office(source, target)
        finally:
            local.close()


@contextmanager
def _keys_unchecked(db: Database) -> Iterator[None]:
    """SQLite's foreign-key checks off for the demo's transaction (they were about a tenth of its time: two
    lookups per attendance row), and no fsync at its commit (a file nobody has yet: a power cut loses the
    demo, never an office's change). Its rows refer to rows it made itself (tests/core/test_demo.py checks
    them with PRAGMA foreign_key_check), into a database that must be empty. Neither pragma can change inside
    a transaction: they are set on the pooled connection before the transaction takes it, and set back after,
    the journal mode first (its switch is a commit of its own, which with synchronous back would fsync the whole
    new file: the system writes it out on its own, and the office's first change through the WAL syncs it at
    its checkpoint). The rollback journal is kept in memory instead of
    the WAL for that transaction (pages of a new file have nothing to roll back to on disk; a failure still
    rolls back): the 250 MB of scale 20 go once into the file, not through the WAL (its frame checksums, its
    index) and again at the checkpoint; WAL again after."""
    if db.server is not None:
        yield
        return
    pooled = db.engine.raw_connection()
    raw = pooled.driver_connection
    assert raw is not None
    try:
        synchronous = int(raw.execute("PRAGMA synchronous").fetchone()[0])
        raw.execute("PRAGMA foreign_keys = OFF")
        raw.execute("PRAGMA synchronous = OFF")
        journal = str(raw.execute("PRAGMA journal_mode").fetchone()[0])
        if journal == "wal":
            raw.execute("PRAGMA journal_mode = MEMORY").fetchone()  # stays WAL if another connection has the file
        if isinstance(raw, sqlite3.Connection):  # not SQLCipher's: its attached database would take the file's key
            raw.execute(f"ATTACH ':memory:' AS {_AUX}")  # for _MeetingsWriter: no ATTACH inside a transaction
    finally:
        pooled.close()  # back to the pool, for the transaction (a busier pool's other connection keeps its checks)
    try:
        yield
    finally:
        with suppress(Exception):  # not attached, or a connection closed after a failure
            raw.execute(f"DETACH {_AUX}")
        with suppress(Exception):  # a connection closed after a failure (sqlite3's or SQLCipher's error)
            # WAL before synchronous is back: no fsync of 250 MB at scale 20 (0.2 s and more of waiting on the disk)
            raw.execute(f"PRAGMA journal_mode = {journal}").fetchone()
            raw.execute("PRAGMA foreign_keys = ON")
            raw.execute(f"PRAGMA synchronous = {synchronous}")


@contextmanager
def _large_cache(session: Session) -> Iterator[None]:
    """SQLite's page cache large enough for the whole new office (250 MB at scale 20) while it is written,
    instead of spilling pages to the journal mid-transaction; the connection's own size back after."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    connection = session.connection()
    size = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = {-DEMO_CACHE_KIB}")
    try:
        yield
    finally:
        with suppress(SQLAlchemyError):  # after a failure: never hide it behind this one
            connection.exec_driver_sql(f"PRAGMA cache_size = {int(size or -2000)}")


def _generate(session: Session, *, scale: int, seed: int, today: dt.date) -> None:
    helper = _start_helper(scale=scale, seed=seed, today=today)  # before this module's threads: see _Helper.start
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="demo-admin") as hashing:
        admin_hash = hashing.submit(demo_admin_hash)  # Argon2 without the GIL, on the idle core meanwhile
        office = _plan(scale=scale, seed=seed, today=today, helper=helper)
    try:
        _write(session, office, scale=scale, seed=seed, today=today, admin_hash=admin_hash.result())
    finally:
        office.untie()


def _plan(*, scale: int, seed: int, today: dt.date, helper: _Helper | None | Literal["start"] = "start") -> _Office:
    """The office's copies, each drawn on its own (its own random stream, ids and codes), then joined in copy
    order. Past one copy a spawned child process plans copies from the last down while this one plans them from
    the first up (pure Python: the GIL keeps a thread from helping); without it (one core, a child that does
    not start or dies) this process plans them all: the same office either way."""
    if helper == "start":
        helper = _start_helper(scale=scale, seed=seed, today=today)
    first = _plan_copy(scale=scale, seed=seed, today=today, copy=0)  # here: its random stream goes on (leavers)
    parts = {0: first}
    try:
        while (copy := helper.claim_first() if helper else len(parts)) is not None and copy < scale:
            parts[copy] = _plan_copy(scale=scale, seed=seed, today=today, copy=copy)
        if helper:
            parts.update(helper.collect(set(range(scale)) - parts.keys()))
    finally:
        if helper:
            helper.stop()
    office = _Office(first.rng, today, scale)
    for copy in range(scale):
        part = parts.pop(copy, None) or _plan_copy(scale=scale, seed=seed, today=today, copy=copy)
        office.adopt(part, seed=seed, copy=copy)
    return office


def _start_helper(*, scale: int, seed: int, today: dt.date) -> _Helper | None:
    return _Helper.start(scale=scale, seed=seed, today=today) if scale >= HELPER_FROM_SCALE and _idle_core() else None


def _idle_core() -> bool:
    """A core for the child: more than one, and nobody else running on the one this process leaves. On a busy
    machine the child only takes CPU from this process and adds its own start (measured: the plan 1-1.5 s slower
    at load 2-4 on two cores, 0.3-0.5 s faster at load 1)."""
    cores = os.cpu_count() or 1
    if cores < 2:
        return False
    others = _others_running()
    if others is not None:
        return others <= cores - 2
    try:
        return os.getloadavg()[0] < cores - 0.5
    except (AttributeError, OSError):  # Windows
        return True


def _others_running() -> int | None:
    """Threads running now beside this one (Linux: /proc/stat's procs_running, which counts this one); None
    where the system does not say. Not the one-minute load average: it lags, and after this process's own work
    (a benchmark's reads before its demo) it said the machine was busy when only this process ran."""
    try:
        with open("/proc/stat", "rb") as stat:
            for line in stat:
                if line.startswith(b"procs_running "):
                    return max(int(line.split()[1]) - 1, 0)
    except (OSError, ValueError, IndexError):
        pass
    return None


def _plan_copy(*, scale: int, seed: int, today: dt.date, copy: int) -> _Office:
    part = _Office(Dice(seed) if copy == 0 else Dice(f"{seed}/{copy}"), today, scale, first_copy=copy)
    part.build_copy(copy)
    return part


_AGENCIES = (*data.DANG_BO_CO_SO, *data.CHI_BO_CO_SO)
_AGENCY_INDEX = {id(agency): n for n, agency in enumerate(_AGENCIES)}
_SEXES = {sex._value_: sex for sex in Sex}
_KINDS = {kind._value_: kind for kind in OrgKind}
_REASONS = {reason._value_: reason for reason in MoveReason}


def _copy_payload(part: _Office) -> tuple[Any, ...]:
    """One copy's plan as plain tuples (pickled from the child process: no objects of this module)."""
    orgs = [(o.id, o.code, o.name, o.kind._value_, o.agency, _AGENCY_INDEX[id(o.spec)], o.founded_on, o.ended_on,
             o.consent_note, [(p.id if p else None, start, end) for p, start, end in o.placements],
             [c.id for c in o.children], o.size, [m.id for m in o.people]) for o in part.orgs]
    members = [(m.id, m.code, m.family_name, m.middle_name, m.given_name, m.search_key, m.sort_key, m.sex._value_,
                m.birth_date, m.admitted_on, m.full_member_on, m.exempt_since, m.hometown, m.ethnicity, m.religion,
                m.national_id, m.card_number, m.education, m.theory_level, m.job_title, m.agency,
                [(s.org.id, s.start, s.end, s.start_reason._value_, s.end_reason._value_ if s.end_reason else None,
                  s.note) for s in m.spans]) for m in part.members]
    return orgs, members, part.seats


def _copy_from_payload(payload: tuple[Any, ...], *, scale: int, today: dt.date) -> _Office:
    org_rows, member_rows, seats = payload
    part = _Office(Dice(0), today, scale)
    orgs = {row[0]: _Org(row[0], row[1], row[2], _KINDS[row[3]], row[4], _AGENCIES[row[5]], row[6], row[7], row[8])
            for row in org_rows}
    members: dict[int, _Member] = {}
    for row in member_rows:
        spans = [_Span(orgs[org_id], start, end, _REASONS[first], _REASONS[last] if last else None, note)
                 for org_id, start, end, first, last, note in row[21]]
        members[row[0]] = _Member(row[0], row[1], row[2], row[3], row[4], row[5], row[6], _SEXES[row[7]], row[8],
                                  row[9], row[10], row[11], row[12], row[13], row[14], row[15], row[16], row[17],
                                  row[18], row[19], row[20], spans)
    for row in org_rows:
        org = orgs[row[0]]
        org.placements = [(orgs[p] if p is not None else None, start, end) for p, start, end in row[9]]
        org.children = [orgs[c] for c in row[10]]
        org.size = row[11]
        org.people = [members[m] for m in row[12]]
    part.orgs, part.members, part.seats = list(orgs.values()), list(members.values()), seats
    return part


class _Helper:
    """The child process planning copies of the office: it claims the last unclaimed copy while this process
    claims the first (a shared pair of counters), and sends each planned copy back pickled as plain tuples.
    Forked only from a process of one thread on Linux (started before the demo's own threads), else spawned
    (Windows has only spawn; the frozen app calls freeze_support)."""

    def __init__(self, process: Any, connection: Any, claims: Any, scale: int, today: dt.date) -> None:
        self._process, self._connection, self._claims = process, connection, claims
        self._scale, self._today = scale, today

    @classmethod
    def start(cls, *, scale: int, seed: int, today: dt.date) -> _Helper | None:
        import multiprocessing

        try:
            context = (multiprocessing.get_context("fork") if _single_threaded_linux()
                       else multiprocessing.get_context("spawn"))
            claims = context.Array("i", [1, scale - 1])  # copy 0 is planned here
            receiving, sending = context.Pipe(duplex=False)
            process = context.Process(target=_plan_in_child, args=(sending, claims, scale, seed, today),
                                      name="khoi-demo-plan", daemon=True)
            process.start()
            sending.close()
        except Exception:  # no child: this process plans every copy
            return None
        return cls(process, receiving, claims, scale, today)

    def claim_first(self) -> int | None:
        with self._claims.get_lock():
            first, last = self._claims[0], self._claims[1]
            if first > last:
                return None
            self._claims[0] = first + 1
            return cast(int, first)

    def collect(self, wanted: set[int]) -> dict[int, _Office]:
        """The copies the child claimed, as they come; those it could not send are left out (planned here)."""
        parts: dict[int, _Office] = {}
        if not wanted:
            return parts
        try:
            while len(parts) < len(wanted):
                sent = self._connection.recv_bytes()
                if not sent:
                    break
                copy, payload = pickle.loads(sent)
                parts[copy] = _copy_from_payload(payload, scale=self._scale, today=self._today)
        except (EOFError, OSError):  # the child died: the copies it did not send are planned here
            pass
        return parts

    def stop(self) -> None:
        """Nothing more is wanted from the child: ended now (it may still be starting up)."""
        self._connection.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def _single_threaded_linux() -> bool:
    """Forking is safe here: Linux, and this process has no other thread (counted by the system: Qt's and the
    drivers' too), so no lock can be held by a thread the child would not have. The forked child starts at once
    instead of importing this module and SQLAlchemy anew (≈ 0.6 s, six copies of the plan); elsewhere (Windows,
    macOS, the GUI's worker thread) it is spawned."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def _plan_in_child(connection: Any, claims: Any, scale: int, seed: int, today: dt.date) -> None:
    """The child process's work: plan the last unclaimed copy until none is left. A thread sends the planned
    copies (the parent reads them only once it has planned its own; the pipe holds 64 KiB), so the planning
    goes on meanwhile: the write waits without the GIL."""
    import queue

    gc.disable()  # as in generate_demo: the plan's objects live until sent
    planned: queue.SimpleQueue[bytes] = queue.SimpleQueue()

    def send() -> None:
        with suppress(OSError):  # the parent went on without it (BrokenPipeError is one)
            while sent := planned.get():
                connection.send_bytes(sent)
            connection.send_bytes(b"")

    sender = threading.Thread(target=send, name="demo-plan-sender")
    sender.start()
    try:
        while True:
            with claims.get_lock():
                first, last = claims[0], claims[1]
                if first > last:
                    break
                claims[1] = last - 1
            part = _plan_copy(scale=scale, seed=seed, today=today, copy=last)
            planned.put(pickle.dumps((last, _copy_payload(part)), pickle.HIGHEST_PROTOCOL))
    finally:
        planned.put(b"")
        sender.join()
        connection.close()


def _write(session: Session, office: _Office, *, scale: int, seed: int, today: dt.date, admin_hash: str) -> None:
    leavers = add_leavers(office, seed=seed, today=today)
    # The plan is final: the children forked from now on, before this module's thread; the core found idle once
    # (the first child runs by the time the second would look).
    idle = len(office.members) >= DIGESTER_FROM_MEMBERS and _idle_core() and _single_threaded_linux()
    meetings = _MeetingsWriter.start(session, office, seed=seed, today=today) if idle else None
    digesting: _Digester | None = None  # forked once the rows it digests are made (_insert)
    jobs: dict[str, Callable[[Callable[[], bool]], Any]] = {}
    if meetings is None:
        jobs["meetings"] = lambda _may_go: plan_meetings(office.orgs, office.members, seed=seed, today=today)
        jobs["ratings"] = lambda _may_go: plan_ratings(office.orgs, office.members, seed=seed, today=today)
    jobs["digests"] = lambda may_go: _digests(digesting, office, may_go)
    job = {name: n for n, name in enumerate(jobs)}
    work: _Alongside | None = None

    def records() -> None:
        """The audit entries and what they come with: the plan's rows are written (their digests are checked against
        them), the meetings' and ratings' need not be (tables the audit does not track)."""
        assert work is not None
        digests, texts = work.result(job["digests"])
        for table, table_digests in digests.items():
            bulk_digested(session, table, table_digests, texts.get(table))
        _add_terms(session)
        settings = load_settings(session)
        settings.configured = True
        save_settings(session, settings)
        create_demo_admin(session, admin_hash)  # admin / khoi-demo (README)
        record(session, actor=os_user(), action="demo.generate", target="Dữ liệu mẫu",
               after={"scale": scale, "seed": seed, "today": today.isoformat(),
                      "organizations": len(office.orgs), "members": len(office.members) - len(leavers)})

    try:
        with ExitStack() as built:
            built.enter_context(indexes_deferred(session, BULK_TABLES))
            built.enter_context(_search_index_deferred(session))
            _store_values(office)
            # The digests' child forked now: it takes the members' and memberships' values as stored instead of
            # making them again (0,5 s of its CPU at scale 20), and nothing is written yet (this process's pages
            # that SQLite's cache then fills are not copied on write). Still from this one thread: the thread is
            # started after it.
            digesting = _Digester.start(office) if idle and _single_threaded_linux() else None
            work = _Alongside(list(jobs.values()))
            _insert(session, office)
            insert_member_events(session, office, leavers, today=today)
            with work.alongside():
                _fill_words(session)
                built.close()  # the search index filled, the indexes built: SQLite alone, no GIL held
        with ExitStack() as built:
            built.enter_context(indexes_deferred(session, MEETING_TABLES))
            ratings_here = meetings is not None and meetings.claim_ratings()
            if ratings_here:  # drawn here while the child is still at the meetings
                write_ratings(session, plan_ratings(office.orgs, office.members, seed=seed, today=today))
            # The audit entries first if the digests came before the meetings' rows: made while the meetings' child
            # is still at work instead of after the copy, while the other core idles.
            recorded = meetings is not None and meetings.wait_first(work, job["digests"]) == "digests"
            if recorded:
                records()
            if meetings is None or not meetings.copy_into(session, work.alongside):
                # the memberships' indexes are back: the meetings read them
                write_meetings(session, work.result(job["meetings"]) if "meetings" in job else
                               plan_meetings(office.orgs, office.members, seed=seed, today=today), work.alongside)
                if not ratings_here:  # none written yet (no child, or the child's lost with it)
                    write_ratings(session, work.result(job["ratings"]) if "ratings" in job else
                                  plan_ratings(office.orgs, office.members, seed=seed, today=today))
            with work.alongside():
                built.close()
        if not recorded:
            records()
    finally:
        if meetings:
            meetings.end()
        if digesting:
            digesting.end()  # first: a thread still waiting on its pipe gets the end of it
        if work is not None:
            work.stop()
        if digesting:
            digesting.close()


class _Alongside:
    """Pure-Python work on the office's plan (the meetings' draws, the audit digests), done in order on a thread
    of its own while SQLite builds the indexes after the bulk loads (long C calls that let go of the GIL for
    seconds): the second core works instead of idling. Outside those stretches the thread waits (the digests
    look every 2000 rows), so its Python does not slow the executemany loops, which take the GIL back row by
    row; a result wanted before it is ready is finished then, the caller waiting."""

    def __init__(self, jobs: Sequence[Callable[[Callable[[], bool]], Any]]) -> None:
        self._go = threading.Event()
        self._stopped = False
        self._results: list[Any] = [None] * len(jobs)
        self._done = [threading.Event() for _ in jobs]
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(jobs,), name="demo-alongside", daemon=True)
        self._thread.start()

    def _may_go(self) -> bool:
        """Wait while SQLite is not busy on its own; False: stop (the demo failed)."""
        self._go.wait()
        return not self._stopped

    def _run(self, jobs: Sequence[Callable[[Callable[[], bool]], Any]]) -> None:
        try:
            for n, job in enumerate(jobs):
                if not self._may_go():
                    return
                self._results[n] = job(self._may_go)
                self._done[n].set()
        except BaseException as error:  # raised by result()
            self._error = error
        finally:
            for done in self._done:
                done.set()

    @contextmanager
    def alongside(self) -> Iterator[None]:
        self._go.set()
        try:
            yield
        finally:
            self._go.clear()

    def finished(self, n: int, timeout: float) -> bool:
        """Job n done (or the thread ended), waiting up to timeout seconds."""
        return self._done[n].wait(timeout)

    def result(self, n: int) -> Any:
        """Job n's result, finished now if need be."""
        self._go.set()
        try:
            self._done[n].wait()
        finally:
            self._go.clear()
        if self._error is not None:
            raise self._error
        if self._stopped or not self._done[n].is_set():
            raise RuntimeError("stopped")
        return self._results[n]

    def stop(self) -> None:
        self._stopped = True
        self._go.set()
        self._thread.join()


def _plan_digests(office: _Office, may_go: Callable[[], bool]) -> dict[str, dict[int, str]]:
    """The audit digests (core/audit_rows.py) of the plan's rows of the tracked tables, as they are stored:
    instead of reading the 340.000 rows back and digesting them after (2.6 s of CPU at scale 20). The audit
    record checks them against the stored rows (core/audit.py, bulk_digested) and digests a table itself if
    they differ."""
    result: dict[str, dict[int, str]] = {}
    for table, rows in _stored_rows(office):
        digests: dict[int, str] = {}
        while chunk := list(itertools.islice(rows, 2000)):
            if not may_go():
                return result
            # The values are as stored (str, int or None): tests/core/test_demo.py checks every digest.
            digests.update(plain_row_digests(table, chunk))
        result[table] = digests
    return result


Digests = tuple[dict[str, dict[int, str]], dict[str, str]]  # per table: {id: digest}, its table_rows_text


def _digests(digesting: _Digester | None, office: _Office, may_go: Callable[[], bool]) -> Digests:
    """The plan's digests from the forked child if there is one and it sent them (with each table's part of the
    audit entry's text, core/audit.py), else made here (the text then made by the audit record)."""
    if digesting is not None and (sent := digesting.result(may_go)) is not None:
        return sent
    return _plan_digests(office, may_go), {}


class _Digester:
    """A child process forked once the plan's rows are inserted (their stored values made: _insert), making the
    audit digests of those rows (_plan_digests: 1,5 s of CPU at scale 20) on the idle core while this process
    writes the others, instead of on this process's
    thread, which has the meetings and ratings to draw in the same SQLite stretches; with them each table's part
    of the audit entry's text (audit_rows.table_rows_text: the entry's 340.000 rows not sorted and encoded again
    by the main thread, 0.3 s). Only where forking is safe
    and cheap (_single_threaded_linux: the child has the plan without pickling it) and a core is idle; the child
    never touches the database (the transaction's connection is this process's alone). Without it, or if it
    dies or sends nothing, the thread makes them as before: the same digests."""

    def __init__(self, process: Any, connection: Any) -> None:
        self._process, self._connection = process, connection

    @classmethod
    def start(cls, office: _Office) -> _Digester | None:
        """Only where the caller found forking safe and a core idle (_write)."""
        import multiprocessing

        try:
            context = multiprocessing.get_context("fork")
            receiving, sending = context.Pipe(duplex=False)
            process = context.Process(target=_digest_in_child, args=(sending, office), name="khoi-demo-digests",
                                      daemon=True)
            process.start()
            sending.close()
        except Exception:  # no child: the thread digests
            return None
        return cls(process, receiving)

    def result(self, may_go: Callable[[], bool]) -> Digests | None:
        """The child's digests (received without the GIL: the thread waits on the pipe); None: none came."""
        try:
            sent = self._connection.recv_bytes()
        except (EOFError, OSError):  # the child died
            return None
        if not sent or not may_go():
            return None
        digests: Digests = pickle.loads(sent)
        return digests

    def end(self) -> None:
        """The child ended (now, if it is still at work: the demo failed)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()

    def close(self) -> None:
        """Once nothing reads the pipe any more (the thread stopped)."""
        self._connection.close()


def _digest_in_child(connection: Any, office: _Office) -> None:
    gc.disable()  # as in generate_demo
    with suppress(OSError):  # the meetings' child first on the core they share: its rows are wanted first
        os.nice(5)
    try:
        digests = _plan_digests(office, lambda: True)
        texts = {table: table_rows_text(table, table_digests) for table, table_digests in digests.items()}
        sent = pickle.dumps((digests, texts), pickle.HIGHEST_PROTOCOL)
        with suppress(OSError):  # the parent went on without it
            connection.send_bytes(sent)
    finally:
        connection.close()


_AUX = "demo_meetings"  # the in-memory database attached for the copy (_keys_unchecked, _MeetingsWriter)
# Written by _MeetingsWriter's child, copied whole (in this order: the keys' targets first).
_CHILD_TABLES = ("meetings", "meeting_attendance", "rating_rounds", "org_ratings", "member_ratings")


class _MeetingsWriter:
    """A child process forked once the plan is final, drawing the meetings and the ratings (plan_meetings,
    plan_ratings) and writing them into an in-memory SQLite database of its own, with the memberships the
    attendance is read from, while this process writes the office's rows and builds its indexes: at scale 20
    the 1,7 million attendance rows and the draws were 2,5 s of this process's critical path. It sends the
    database serialized; this process loads it into the in-memory database attached before the transaction
    (_keys_unchecked: SQLite attaches nothing inside one) and copies each table whole in one INSERT … SELECT
    (SQLite copies the records as they are: the tables' columns and keys are the same, taken from this file).
    The same rows as written here (the same plan, the same statements); without the child (no fork, no idle
    core, SQLCipher's driver) or if it dies, this process draws and writes them as before. The ratings go to
    whichever process comes to them first (a shared claim): this one takes them when it reaches the meetings
    before the child has sent anything, instead of waiting idle for the child to draw and write them too."""

    # The ratings' claim: nobody's yet, the child's, this process's.
    UNCLAIMED, CHILD, HERE = 0, 1, 2

    def __init__(self, process: Any, connection: Any, claim: Any) -> None:
        self._process, self._connection, self._claim = process, connection, claim

    @classmethod
    def start(cls, session: Session, office: _Office, *, seed: int, today: dt.date) -> _MeetingsWriter | None:
        driver = session.connection().connection.driver_connection
        if not isinstance(driver, sqlite3.Connection) or not any(
                name == _AUX for _, name, _ in driver.execute("PRAGMA database_list")):
            return None
        marks = ", ".join(f"'{name}'" for name in _CHILD_TABLES)  # our own table names
        schema = driver.execute(f"SELECT tbl_name, sql FROM sqlite_master WHERE tbl_name IN ({marks}) "
                                "AND type = 'table' ORDER BY name").fetchall()
        import multiprocessing

        try:
            context = multiprocessing.get_context("fork")
            receiving, sending = context.Pipe(duplex=False)
            claim = context.Value("i", cls.UNCLAIMED)
            process = context.Process(target=_meetings_in_child, args=(sending, office, seed, today, schema, claim),
                                      name="khoi-demo-meetings", daemon=True)
            process.start()
            sending.close()
        except Exception:  # no child: this process draws and writes them
            return None
        return cls(process, receiving, claim)

    def claim_ratings(self) -> bool:
        """True: the ratings are this process's to write (the child has sent nothing and not started them)."""
        if self._connection.poll():
            return False
        with self._claim.get_lock():
            if self._claim.value == self.UNCLAIMED:
                self._claim.value = self.HERE
            return cast(bool, self._claim.value == self.HERE)

    def copy_into(self, session: Session, alongside: Callable[[], AbstractContextManager[object]]) -> bool:
        """The child's rows copied into this file's (empty) tables, the ratings too unless claimed here; False:
        none came (nothing copied)."""
        with alongside():  # waiting on the pipe, then SQLite alone: no GIL held
            try:
                sent = self._connection.recv_bytes()
            except (EOFError, OSError):  # the child died
                return False
            if not sent:
                return False
            driver = cast(sqlite3.Connection, session.connection().connection.driver_connection)
            driver.deserialize(sent, name=_AUX)
            del sent
            for table in _CHILD_TABLES:  # our own table names, never user text
                driver.execute(f'INSERT INTO main."{table}" SELECT * FROM {_AUX}."{table}"')
        return True

    def wait_first(self, work: _Alongside, n: int) -> Literal["meetings", "digests"]:
        """Which comes first: the child's rows (or its end), or the result of the thread's job n (the digests)."""
        with work.alongside():  # the thread receives them meanwhile
            while not work.finished(n, 0.005):
                if self._connection.poll():
                    return "meetings"
        return "digests"

    def end(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._connection.close()


def _meetings_in_child(connection: Any, office: _Office, seed: int, today: dt.date,
                       schema: list[tuple[str, str]], claim: Any) -> None:
    gc.disable()  # as in generate_demo
    try:
        database = sqlite3.connect(":memory:", isolation_level=None)
        database.execute("PRAGMA cache_size = -1000000")
        database.execute("BEGIN")
        for _table, sql in schema:
            database.execute(sql)
        write_attendance_spans(database, office.members)  # a temporary table: not sent back
        write_planned_meetings(database, plan_meetings(office.orgs, office.members, seed=seed, today=today))
        with claim.get_lock():
            ratings = claim.value == _MeetingsWriter.UNCLAIMED
            if ratings:
                claim.value = _MeetingsWriter.CHILD
        if ratings:  # else this process writes them (its tables here stay empty)
            write_planned_ratings(database, plan_ratings(office.orgs, office.members, seed=seed, today=today))
        database.execute("COMMIT")
        sent = database.serialize()
        database.close()
        with suppress(OSError):  # the parent went on without it
            connection.send_bytes(sent)
    finally:
        connection.close()


def _stored_rows(office: _Office) -> Iterator[tuple[str, Iterator[tuple[int, tuple[Any, ...]]]]]:
    """(table, (id, values of its audit_rows.COLUMNS as _insert stores them)) of the tracked tables; the ids
    of placements, memberships and seats are those SQLite gives in _insert's order (the tables are empty)."""
    def day(value: dt.date | None) -> str | None:
        return value.isoformat() if value else None

    yield "organizations", ((o.id, (o.code, o.name, fold(o.name), o.kind.value, o.agency, day(o.founded_on),
                                    day(o.ended_on), None, None, o.consent_note, None)) for o in office.orgs)
    yield "placements", enumerate(((o.id, parent.id if parent else None, day(start), day(end), None, None)
                                   for o in office.orgs for parent, start, end in o.placements), start=1)
    # The audit's columns of a member out of its stored values, a None past their end for the columns not stored.
    pick = operator.itemgetter(*(_MEMBER_COLUMNS.index(c) if c in _MEMBER_COLUMNS else len(_MEMBER_COLUMNS)
                                 for c in COLUMNS["members"]))
    stored = office.member_rows if len(office.member_rows) == len(office.members) else [
        m.values() for m in office.members]  # as _insert stores them (_store_values)
    yield "members", ((m.id, pick((*values, None))) for m, values in zip(office.members, stored, strict=True))
    if office.membership_rows:  # as _insert stored them (_MEMBERSHIP_COLUMNS), decision_id between
        yield "memberships", enumerate(((member_id, org_id, start, end, None, first, last, note)
                                        for member_id, org_id, start, end, first, last, note in office.membership_rows),
                                       start=1)
    else:
        yield "memberships", enumerate((
            (member.id, span.org.id, day(span.start), day(span.end), None, span.start_reason._value_,
             span.end_reason._value_ if span.end_reason else None, span.note)
            for member in office.members for span in member.spans), start=1)
    yield "committee_seats", enumerate((
        (seat["org_id"], seat["member_id"], seat["role"].value, seat["term"], day(seat["valid_from"]),
         day(seat["valid_to"]), None, seat["end_reason"]) for seat in office.seats), start=1)


@contextmanager
def _search_index_deferred(session: Session) -> Iterator[None]:
    """SQLite's member search index (core/engines/sqlite_search.py) filled once, in its rowid order, after the
    members are in, instead of by its insert trigger member by member: FTS5 writes a new segment whenever a
    rowid comes lower than the one before, which name-ordered rowids of members inserted by id nearly always
    do (about 5 s of CPU at scale 20). The same index entries; the trigger is back for what follows."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    with insert_trigger_deferred(session.connection().exec_driver_sql):
        yield


def _refuse_unless_empty(session: Session) -> None:
    for model in (Organization, Member):
        if session.scalar(select(func.count()).select_from(model)):
            raise ValidationError(
                "Cơ sở dữ liệu đã có tổ chức đảng hoặc đảng viên. Chỉ tạo dữ liệu mẫu trong một cơ sở dữ liệu "
                "mới, còn trống.", code="not_empty")


def _add_terms(session: Session) -> None:
    existing = set(session.scalars(select(Term.name)))
    session.add_all(Term(name=name, starts_on=starts, ends_on=ends)
                    for name, starts, ends in TERMS if name not in existing)


def _store_values(office: _Office) -> None:
    """The members' and memberships' values as _insert stores them, kept on the final plan: the digests take them
    again (_stored_rows)."""
    office.member_rows = [m.values() for m in office.members]
    office.membership_rows = _membership_values(office)


def _insert(session: Session, office: _Office) -> None:
    """Core bulk inserts of the plan (its values stored first: _store_values); ids were assigned in the plan (the
    tables are empty)."""
    _bulk(session, Organization, [org.row() for org in office.orgs])
    _bulk(session, Placement, [
        {"org_id": org.id, "parent_id": parent.id if parent else None, "valid_from": start, "valid_to": end}
        for org in office.orgs for parent, start, end in org.placements
    ])
    # The big ones as tuples of stored values (ISO dates, enum values): no dict per row to convert.
    insert_values(session, cast(Table, Member.__table__), _MEMBER_COLUMNS, office.member_rows)
    insert_values(session, cast(Table, Membership.__table__), _MEMBERSHIP_COLUMNS, office.membership_rows)
    insert_values(session, cast(Table, CommitteeSeat.__table__), _SEAT_COLUMNS, [
        (seat["org_id"], seat["member_id"], seat["role"].value, seat["term"], seat["valid_from"].isoformat(),
         seat["valid_to"].isoformat() if seat["valid_to"] else None, seat["end_reason"])
        for seat in office.seats
    ])


def _membership_values(office: _Office) -> list[tuple[Any, ...]]:
    return [(member.id, span.org.id, span.start.isoformat(), span.end.isoformat() if span.end else None,
             span.start_reason._value_, span.end_reason._value_ if span.end_reason else None, span.note)
            for member in office.members for span in member.spans]


def _fill_words(session: Session) -> None:
    """The member_words rows of every member, made by SQLite from the stored search keys in one statement, in
    the order of the table's primary key (word, member_id): no 340.000 tuples through executemany at scale 20,
    its key's b-tree appended to instead of inserted all over, and no GIL held (the thread works meanwhile)."""
    session.connection().exec_driver_sql(WORDS_SQL)


_MEMBERSHIP_COLUMNS = ("member_id", "org_id", "valid_from", "valid_to", "start_reason", "end_reason", "note")
_SEAT_COLUMNS = ("org_id", "member_id", "role", "term", "valid_from", "valid_to", "end_reason")


def _bulk(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    table = model.__table__
    assert isinstance(table, Table)
    insert_rows(session, table, rows)


def _fit_total(values: list[int], bounds: Sequence[tuple[int, int]], total: int, rng: random.Random) -> None:
    """Nudge values by one at random, each within its bounds, until they add up to total."""
    if not sum(low for low, _ in bounds) <= total <= sum(high for _, high in bounds):
        raise ValueError(f"{total} cannot be reached within the bounds")
    missing = total - sum(values)
    while missing:
        step = 1 if missing > 0 else -1
        i = rng.randrange(len(values))
        low, high = bounds[i]
        if low <= values[i] + step <= high:
            values[i] += step
            missing -= step


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# fold of one part of a name: fold(" ".join(parts)) is the folded parts joined by one space, the empty ones left
# out (fold maps and drops character by character, then splits on whitespace). A few hundred distinct parts make
# the 40.000 distinct names of scale 20.
_fold_part = functools.lru_cache(maxsize=4096)(fold)


_NAME_KEYS: dict[tuple[str, str, str], tuple[str, str]] = {}  # (search_key, sort_key) of each name, every copy


def _with_parent(org: _Org) -> str:
    parent = org.parent
    return f"{org.name}, {parent.name}" if parent else org.name


class _Office:
    """The plan of the whole office, built copy by copy, then inserted in one go."""

    def __init__(self, rng: random.Random, today: dt.date, scale: int, first_copy: int = 0) -> None:
        self.rng = rng
        self.today = today
        self.orgs: list[_Org] = []
        self.members: list[_Member] = []
        self.seats: list[dict[str, Any]] = []
        self.member_rows: list[tuple[Any, ...]] = []  # the members' stored values, once inserted
        self.membership_rows: list[tuple[Any, ...]] = []  # the memberships' (_MEMBERSHIP_COLUMNS), once inserted
        per_copy = {"CS": len(data.DANG_BO_CO_SO) + len(data.CHI_BO_CO_SO), "BP": len(data.BO_PHAN),
                    "CB": CHI_BO_TRUC_THUOC + ENDED_CHI_BO, "DV": MEMBERS}
        # Every copy has these counts: copy n's ids and codes follow those of the copies before it.
        self._org_ids = itertools.count(1 + first_copy * (per_copy["CS"] + per_copy["BP"] + per_copy["CB"]))
        self._member_ids = itertools.count(1 + first_copy * MEMBERS)
        self._widths = {p: max(CODE_WIDTH[p], len(str(n * scale))) for p, n in per_copy.items()}
        self._serials = {prefix: itertools.count(1 + first_copy * n) for prefix, n in per_copy.items()}
        self._per_copy = per_copy
        self._national_ids: set[str] = set()
        self._card_numbers: set[str] = set()

    def untie(self) -> None:
        """The plan's reference cycles cut (a chi bộ's people and a member's spans name each other, a đảng bộ and
        its chi bộ too), so that it is freed as soon as it is dropped: the cyclic collector, paused meanwhile,
        would otherwise walk its half a million objects once more (0.4 s at scale 20) to find them garbage."""
        for org in self.orgs:
            org.people = []
            org.children = []
            org.placements = []

    # --- one copy ------------------------------------------------------------------------------

    def adopt(self, part: _Office, *, seed: int, copy: int) -> None:
        """Copy `copy` (planned on its own) appended; a CCCD or card number an earlier copy already has is drawn
        again from a stream of the copy's own (the first copy keeps all of its)."""
        if len(self.orgs) + 1 != (part.orgs[0].id if part.orgs else 1) or (
                part.members and part.members[0].id != len(self.members) + 1):
            raise RuntimeError(f"copy {copy} of the demo is not where it belongs")
        if self.members:
            taken_ids, taken_cards = self._national_ids, self._card_numbers
            own_ids = {m.national_id for m in part.members}
            own_cards = {m.card_number for m in part.members}
            redraw = Dice(f"{seed}/{copy}/numbers")
            for member in part.members:
                number = member.national_id
                while number in taken_ids or (number in own_ids and number != member.national_id):
                    number = f"{member.national_id[:6]}{redraw.randint(0, 999_999):06d}"
                if number != member.national_id:
                    own_ids.add(number)
                    member.national_id = number
                card = member.card_number
                while card in taken_cards or (card in own_cards and card != member.card_number):
                    card = str(redraw.randint(10_000_000, 99_999_999))
                if card != member.card_number:
                    own_cards.add(card)
                    member.card_number = card
        self._national_ids.update(m.national_id for m in part.members)
        self._card_numbers.update(m.card_number for m in part.members)
        self.orgs.extend(part.orgs)
        self.members.extend(part.members)
        self.seats.extend(part.seats)
        # Ids and codes go on after this copy's (the leavers are drawn after the last).
        self._org_ids = itertools.count(len(self.orgs) + 1)
        self._member_ids = itertools.count(len(self.members) + 1)
        self._serials = {prefix: itertools.count(1 + (copy + 1) * n) for prefix, n in self._per_copy.items()}

    def build_copy(self, copy: int) -> None:
        suffix = f" (cụm {copy + 1})" if copy else ""
        counts = self._chi_bo_counts()
        others = [a.name for a in data.DANG_BO_CO_SO if a not in (data.HOST, data.SMALL)]
        with_ended = set(self.rng.sample(others, ENDED_CHI_BO))
        dang_bo = [self._dang_bo(spec, suffix, counts[spec.name], spec.name in with_ended)
                   for spec in data.DANG_BO_CO_SO]
        chi_bo_co_so = [self._tccsd(spec, suffix, OrgKind.CHI_BO_CO_SO) for spec in data.CHI_BO_CO_SO]
        truc_thuoc = [c for d in dang_bo for c in d.children if c.ended_on is None]
        self._plan_sizes(dang_bo, chi_bo_co_so)
        members = [self._member(org, probationary, exempt)
                   for org, probationary, exempt in self._slots(truc_thuoc + chi_bo_co_so)]
        for org in dang_bo:
            for ended in (c for c in org.children if c.ended_on is not None):
                self._dissolve(org, ended)
        self._add_moves(members, truc_thuoc + chi_bo_co_so)
        Elections(self.rng, self.today, self.seats).hold(truc_thuoc + dang_bo + chi_bo_co_so, members)
        self.members.extend(members)

    def _chi_bo_counts(self) -> dict[str, int]:
        """Chi bộ trực thuộc of each đảng bộ cơ sở, adding up to CHI_BO_TRUC_THUOC."""
        others = [a for a in data.DANG_BO_CO_SO if a not in (data.HOST, data.SMALL)]
        bounds = [(CHI_BO_PER_DANG_BO[0], min(CHI_BO_PER_DANG_BO[1], len(a.units) - 1)) for a in others]
        counts = [min(max(a.typical + self.rng.randint(-1, 1), low), high)
                  for a, (low, high) in zip(others, bounds, strict=True)]
        _fit_total(counts, bounds, CHI_BO_TRUC_THUOC - data.HOST.typical - data.SMALL.typical, self.rng)
        return {data.HOST.name: data.HOST.typical, data.SMALL.name: data.SMALL.typical,
                **{a.name: n for a, n in zip(others, counts, strict=True)}}

    # --- organizations -------------------------------------------------------------------------

    def _org(self, prefix: str, kind: OrgKind, name: str, agency: str, spec: data.Agency,
             founded_on: dt.date, parent: _Org | None, consent_note: str | None = None) -> _Org:
        code = f"{prefix}{next(self._serials[prefix]):0{self._widths[prefix]}d}"
        org = _Org(next(self._org_ids), code, name, kind, agency, spec, founded_on, consent_note=consent_note)
        org.placements.append((parent, founded_on, None))
        self.orgs.append(org)
        return org

    def _tccsd(self, spec: data.Agency, suffix: str, kind: OrgKind) -> _Org:
        prefix = "Đảng bộ" if kind is OrgKind.DANG_BO_CO_SO else "Chi bộ"
        return self._org("CS", kind, f"{prefix} {spec.name}{suffix}", f"{spec.name}{suffix}", spec,
                         self._date(*TCCSD_FOUNDED), None)

    def _dang_bo(self, spec: data.Agency, suffix: str, count: int, with_ended: bool) -> _Org:
        org = self._tccsd(spec, suffix, OrgKind.DANG_BO_CO_SO)
        bo_phan = self._bo_phan(org) if spec is data.HOST else {}
        for unit in spec.units[:count]:
            self._chi_bo(org, unit, bo_phan.get(unit))
        if with_ended:
            ended = self._chi_bo(org, spec.units[count], None)
            ended.ended_on = self._date(*ENDINGS)
            ended.placements = [(org, ended.founded_on, ended.ended_on)]
        return org

    def _bo_phan(self, host: _Org) -> dict[str, _Org]:
        """The two đảng bộ bộ phận of the host, by the units of the chi bộ they group."""
        groups: dict[str, _Org] = {}
        for name, units in data.BO_PHAN:
            founded = self._date(host.founded_on + dt.timedelta(days=365), dt.date(2014, 12, 31))
            bo_phan = self._org("BP", OrgKind.DANG_BO_BO_PHAN, f"Đảng bộ bộ phận {name}", host.agency,
                                host.spec, founded, host, BO_PHAN_CONSENT)
            groups.update(dict.fromkeys(units, bo_phan))
        return groups

    def _chi_bo(self, dang_bo: _Org, unit: str, bo_phan: _Org | None) -> _Org:
        founded = self._date(dang_bo.founded_on + 30 * DAY, LAST_FOUNDING)
        chi_bo = self._org("CB", OrgKind.CHI_BO_TRUC_THUOC, f"Chi bộ {unit}", dang_bo.agency, dang_bo.spec,
                           founded, dang_bo)
        if bo_phan is not None and founded < bo_phan.founded_on:  # grouped when the bộ phận was founded
            chi_bo.placements = [(dang_bo, founded, bo_phan.founded_on), (bo_phan, bo_phan.founded_on, None)]
        elif bo_phan is not None:
            chi_bo.placements = [(bo_phan, founded, None)]
        dang_bo.children.append(chi_bo)
        return chi_bo

    def _plan_sizes(self, dang_bo: list[_Org], chi_bo_co_so: list[_Org]) -> None:
        """Members of each chi bộ today: the planned exceptions, the rest fitted to MEMBERS."""
        rng = self.rng
        host, small = (next(d for d in dang_bo if d.spec is spec) for spec in (data.HOST, data.SMALL))
        others = [d for d in dang_bo if d is not host and d is not small]

        def active(org: _Org) -> list[_Org]:
            return [c for c in org.children if c.ended_on is None]

        # Its đảng bộ keeps 30 members or more despite it: at least 5 sister chi bộ of 8.
        rng.choice([c for d in others if len(active(d)) >= 6 for c in active(d)]).size = 2
        over_30 = rng.sample([c for c in active(host) if c.parent is host], HOST_OVER_30)
        for chi_bo in over_30:
            chi_bo.consent_note = OVER_30_CONSENT
        over_30 += rng.sample([c for d in others for c in active(d) if c.size == 0], OTHER_OVER_30)
        for chi_bo in over_30:
            chi_bo.size = rng.randint(*OVER_30_SIZE)
        for chi_bo in active(small):
            chi_bo.size = rng.randint(*SMALL_CHI_BO_SIZE)
        flexible = [(c, HOST_CHI_BO_SIZE if d is host else CHI_BO_SIZE)
                    for d in dang_bo for c in active(d) if c.size == 0]
        flexible += [(c, CHI_BO_SIZE) for c in chi_bo_co_so]
        fixed = sum(c.size for d in dang_bo for c in active(d))
        bounds = [b for _, b in flexible]
        sizes = [int(rng.triangular(low, high, low + (high - low) // 4)) for low, high in bounds]
        _fit_total(sizes, bounds, MEMBERS - fixed, rng)
        for (chi_bo, _), size in zip(flexible, sizes, strict=True):
            chi_bo.size = size

    # --- members -------------------------------------------------------------------------------

    def _slots(self, chi_bo: list[_Org]) -> list[tuple[_Org, bool, bool]]:
        """(chi bộ, probationary, exempt) per member. The first three of every chi bộ are plain full
        members, so each keeps three (the planned one two)."""
        slots = [(org, i) for org in chi_bo for i in range(org.size)]
        open_slots = [n for n, (_, i) in enumerate(slots) if i >= 3]
        chosen = self.rng.sample(open_slots, PROBATIONARY + EXEMPT)
        probationary, exempt = set(chosen[:PROBATIONARY]), set(chosen[PROBATIONARY:])
        return [(org, n in probationary, n in exempt) for n, (org, _) in enumerate(slots)]

    def _member(self, org: _Org, probationary: bool, exempt: bool) -> _Member:
        rng, today = self.rng, self.today
        sex = Sex.NU if rng.random() < 0.45 else Sex.NAM
        ethnicity = _ETHNICITIES.pick(rng)
        family, middle, given = self._name(sex, ethnicity)
        full_member_on: dt.date | None
        if probationary:
            # Admitted over the last 13 months, as a year's kết nạp are: some come due this month and a
            # few are overdue (their chi bộ has not yet recognized them), so the probation list has people.
            admitted = today - dt.timedelta(days=rng.randint(20, PROBATION_WINDOW_DAYS))
            youngest = min(LAST_BIRTH, _add_years(admitted, -22))
            birth = self._date(min(youngest, _add_years(admitted, -35)), youngest)
            full_member_on = None
        else:
            birth = self._date(FIRST_BIRTH, min(LAST_BIRTH, dt.date(today.year - 25, 12, 31)))
            latest = today - dt.timedelta(days=400)  # a full member for at least a month
            admitted = _add_years(birth, rng.randint(22, 40)) + dt.timedelta(days=rng.randint(0, 364))
            if admitted > latest:
                admitted = self._date(_add_years(birth, 22), latest)
            full_member_on = _add_years(admitted, 1)
        exempt_since = None
        if exempt and full_member_on is not None:
            last = today - 30 * DAY
            exempt_since = self._date(min(max(_add_years(full_member_on, 1), dt.date(2015, 1, 1)), last), last)
        search_key, sort_key = self._keys(family, middle, given)
        reason = MoveReason.KET_NAP if admitted >= org.founded_on else MoveReason.CHUYEN_DEN
        # Positional, in the order of the fields (and of the draws): 22 keywords matched by name were a third of
        # this function's time (110.000 members at scale 20).
        member = _Member(
            next(self._member_ids), f"DV{next(self._serials['DV']):0{self._widths['DV']}d}",  # id, code
            family, middle, given, search_key, sort_key, sex, birth, admitted, full_member_on, exempt_since,
            rng.choice(data.HOMETOWNS), ethnicity, _RELIGIONS.pick(rng), self._national_id(sex, birth),
            self._card_number(), _EDUCATION.pick(rng), "Sơ cấp" if probationary else _THEORY_LEVELS.pick(rng),
            _JOB_TITLES[org.spec.staff].pick(rng), org.agency,
            [_Span(org, max(admitted, org.founded_on), None, reason)],
        )
        org.people.append(member)
        return member

    def _name(self, sex: Sex, ethnicity: str) -> tuple[str, str, str]:
        rng = self.rng
        family = _FAMILY_NAMES[ethnicity].pick(rng)
        if ethnicity == "H'Mông":
            return family, data.HMONG_MIDDLE[sex], rng.choice(data.HMONG_GIVEN[sex])
        if rng.random() < data.DOUBLE_MIDDLE_SHARE[sex]:
            middle = rng.choice(data.DOUBLE_MIDDLE_NAMES[sex])
        else:
            middle = _MIDDLE_NAMES[sex].pick(rng)
        given = rng.choice(data.GIVEN_NAMES[sex])
        while given in middle.split():  # no "Nguyễn Thị Thu Thu"
            given = rng.choice(data.GIVEN_NAMES[sex])
        return family, middle, given

    def _keys(self, family: str, middle: str, given: str) -> tuple[str, str]:
        """(search_key, sort_key); names repeat a lot, so they are computed once each."""
        parts = (family, middle, given)
        keys = _NAME_KEYS.get(parts)
        if keys is None:
            keys = _NAME_KEYS[parts] = (" ".join(filter(None, map(_fold_part, parts))), name_sort_key(*parts))
        return keys

    def _national_id(self, sex: Sex, birth: dt.date) -> str:
        """CCCD: province 019, century-and-sex digit, year of birth, six random digits."""
        prefix = f"019{(0 if birth.year < 2000 else 2) + (sex is Sex.NU)}{birth.year % 100:02d}"
        while True:
            number = f"{prefix}{self.rng.randint(0, 999_999):06d}"
            if number not in self._national_ids:
                self._national_ids.add(number)
                return number

    def _card_number(self) -> str:
        while True:
            number = str(self.rng.randint(10_000_000, 99_999_999))
            if number not in self._card_numbers:
                self._card_numbers.add(number)
                return number

    # --- history -------------------------------------------------------------------------------

    def _dissolve(self, dang_bo: _Org, ended: _Org) -> None:
        """The members of a chi bộ that ended were moved to its sister chi bộ on that day."""
        day = ended.ended_on
        assert day is not None
        pool = [m for c in dang_bo.children if c.ended_on is None for m in c.people
                if len(m.spans) == 1 and m.full_member_on is not None and m.admitted_on < day - 60 * DAY]
        for member in self.rng.sample(pool, min(len(pool), self.rng.randint(5, 12))):
            current = member.spans[0].org
            start = max(member.admitted_on, ended.founded_on)
            reason = MoveReason.KET_NAP if start == member.admitted_on else MoveReason.CHUYEN_DEN
            member.spans = [
                _Span(ended, start, day, reason, MoveReason.CHUYEN_SINH_HOAT),
                _Span(current, day, None, MoveReason.CHUYEN_SINH_HOAT,
                      note=f"Chuyển từ {_with_parent(ended)} khi giải thể chi bộ"),
            ]

    def _add_moves(self, members: list[_Member], chi_bo: list[_Org]) -> None:
        """Some members moved between chi bộ of the office in 2016–2023."""
        rng = self.rng
        for member in members:
            if len(member.spans) > 1 or member.full_member_on is None or rng.random() >= MOVER_SHARE:
                continue
            low = max(MOVES[0], member.admitted_on + 60 * DAY)
            high = min(MOVES[1], self.today - DAY)
            if low > high:
                continue
            day = self._date(low, high)
            current = member.spans[0].org
            previous = rng.choice(chi_bo)
            while previous is current:
                previous = rng.choice(chi_bo)
            start = max(member.admitted_on, previous.founded_on)
            reason = MoveReason.KET_NAP if start == member.admitted_on else MoveReason.CHUYEN_DEN
            member.spans = [
                _Span(previous, start, day, reason, MoveReason.CHUYEN_SINH_HOAT),
                _Span(current, day, None, MoveReason.CHUYEN_SINH_HOAT, note=f"Chuyển từ {_with_parent(previous)}"),
            ]

    def _date(self, low: dt.date, high: dt.date) -> dt.date:
        return random_day(self.rng, low, high)
