"""Meetings of the demo office: the last twelve finished months and the current month's registrations.

Realistic gaps: a few chi bộ miss months, some skip a quarter's thematic meeting, a few members are
absent again and again without a reason, ratings are mixed. Drawn from its own random stream (seeded from
the demo's seed), so the rest of the demo office is the same with or without meetings. At scale 20 this is
about 1,7 million attendance rows: one INSERT … SELECT writes them, an executemany marks the absent and the
excused (the ORM would take minutes).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import random
from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from khoi_desktop.core.demo_committees import Dice
from khoi_desktop.core.meetings.criteria import DEFAULT_SHEETS
from khoi_desktop.core.meetings.models import MeetingKind, Rating
from khoi_desktop.core.meetings.scope import add_months, month_end

if TYPE_CHECKING:
    from khoi_desktop.core.demo import _Member, _Org

MONTHS = 12
LAGGARD_SHARE = 0.04  # chi bộ that miss one to four months
RANDOM_MISS = 0.01  # any chi bộ, any month
REGISTERED_ONLY = 0.01  # registered (planned), never reported as held
NO_THEMATIC = 0.06  # a quarter without a thematic meeting
UNRATED = 0.12  # held, not yet rated by the superior
REPEAT_ABSENTEE_SHARE = 0.004  # members often absent without a reason
ABSENT_WITH_REASON, ABSENT_UNEXCUSED, REPEAT_UNEXCUSED = 0.05, 0.004, 0.35
RATING_WEIGHTS = ((Rating.TOT, 45), (Rating.KHA, 40), (Rating.TRUNG_BINH, 12), (Rating.KEM, 3))
RATING_POINTS = {Rating.TOT: (90, 100), Rating.KHA: (70, 89), Rating.TRUNG_BINH: (50, 69), Rating.KEM: (30, 49)}
REASONS = ("Đi công tác", "Ốm, có giấy nghỉ ốm", "Nghỉ phép", "Đi học tập trung", "Việc gia đình, đã báo chi ủy")
REGULAR_TOPICS = ("Đánh giá kết quả thực hiện nhiệm vụ tháng {m}, triển khai nhiệm vụ tháng {n}",)
THEMATIC_TOPICS = (
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Nâng cao chất lượng sinh hoạt chi bộ",
    "Phòng, chống tham nhũng, tiêu cực trong cơ quan",
    "Chuyển đổi số trong cơ quan, đơn vị",
    "Trách nhiệm nêu gương của cán bộ, đảng viên",
    "Cải cách hành chính, nâng cao chất lượng phục vụ người dân",
    "Bảo vệ nền tảng tư tưởng của Đảng",
)
DEMO_CLERK = "demo"
NEVER = dt.date.max.toordinal()


@functools.cache
def _scores_for(kind: MeetingKind, target: int) -> str:
    """Criterion points adding up to `target`, as stored (JSON)."""
    sheet = DEFAULT_SHEETS[kind]
    maxima = [c.max_points for c in sheet.criteria]
    points = [m * target // sheet.total for m in maxima]
    left = target - sum(points)
    i = 0
    while left > 0:
        if points[i % len(points)] < maxima[i % len(points)]:
            points[i % len(points)] += 1
            left -= 1
        i += 1
    return json.dumps({c.code: p for c, p in zip(sheet.criteria, points, strict=True)}, ensure_ascii=False,
                      sort_keys=True)


def _scores(rng: random.Random, kind: MeetingKind, rating: Rating) -> tuple[str, int]:
    """Scores with a total inside the rating's band."""
    low, high = RATING_POINTS[rating]
    target = low + int(rng.random() * (high - low + 1))
    return _scores_for(kind, target), target


# The meetings' rows (their columns but summary, resolutions and entered_by, the same for all: see
# write_planned_meetings), and (status, reason, meeting, member) of the absent and the excused (plan_meetings).
MeetingsPlan = tuple[list[tuple[object, ...]], list[tuple[str, str | None, int, int]]]


def generate_meetings(session: Session, orgs: list[_Org], members: list[_Member], *, seed: int,
                      today: dt.date) -> int:
    """Insert the demo's meetings and attendance; returns the number of meetings."""
    return write_meetings(session, plan_meetings(orgs, members, seed=seed, today=today))


def plan_meetings(orgs: list[_Org], members: list[_Member], *, seed: int, today: dt.date) -> MeetingsPlan:
    """The demo's meetings, drawn from the office's plan alone (no database: the demo draws them on a thread
    while SQLite builds the indexes of the office's tables)."""
    rng = Dice(f"meetings-{seed}")
    this_month = today.replace(day=1)
    months = [add_months(this_month, -MONTHS + i) for i in range(MONTHS)]
    first, last = months[0], month_end(months[-1])
    quarters: dict[tuple[int, int], list[dt.date]] = defaultdict(list)  # calendar quarters, the current one too
    for month in months + [this_month]:
        quarters[(month.year, (month.month - 1) // 3)].append(month)
    repeaters = {m.id for m in members if rng.random() < REPEAT_ABSENTEE_SHARE}
    # Who belonged where in the period, per chi bộ: (member id, from, to, exempt since, how much likelier to be
    # absent), the days as ordinals (None: never), compared 1,7 million times at scale 20.
    spans: dict[int, list[tuple[int, int, int, int, float]]] = defaultdict(list)
    for member in members:
        exempt_day = member.exempt_since.toordinal() if member.exempt_since else NEVER
        shift = REPEAT_UNEXCUSED - ABSENT_UNEXCUSED if member.id in repeaters else 0.0
        for span in member.spans:
            if span.start <= last and (span.end is None or span.end > first):
                spans[span.org.id].append((member.id, span.start.toordinal(),
                                           span.end.toordinal() if span.end else NEVER, exempt_day, shift))
    ratings = [r for r, w in RATING_WEIGHTS for _ in range(w)]
    meeting_rows: list[tuple[object, ...]] = []
    # (status, reason, meeting, member) of the absent and the excused: the present are written by SQL
    absences: list[tuple[str, str | None, int, int]] = []
    next_id = 1
    roll_dice = rng.random
    # A member of the chi bộ the whole period, never exempt and no repeat absentee is absent on each meeting
    # with the same chance: the absent among them are found by geometric skips (one draw an absentee, not one a
    # member: 1.7 million dice at scale 20); the others (moved, admitted, exempt, repeaters) are diced one by one.
    whole_from, whole_to = first.toordinal(), today.toordinal()
    skip_scale = 1 / math.log(1 - ABSENT_WITH_REASON)
    chi_bo = [o for o in orgs if o.kind.is_chi_bo and o.founded_on <= first and o.ended_on is None]
    # What a month or a kind gives every chi bộ's meeting, made once (about 100.000 meetings at scale 20): the
    # month as stored, its regular topic, whether it is rated whatever the dice; the kind's value, sheet and
    # offset of the planned day. The dice of Dice.randint and Dice.choice inline: the same draws.
    rated_before = add_months(this_month, -1)
    month_facts: dict[dt.date, tuple[str, str, bool]] = {}
    for month in months + [this_month]:
        nxt = add_months(month, 1)
        month_facts[month] = (month.isoformat(), REGULAR_TOPICS[0].format(m=f"{month.month:02d}/{month.year}",
                                                                         n=f"{nxt.month:02d}/{nxt.year}"),
                              month < rated_before)
    kinds = [(kind, kind is MeetingKind.CHUYEN_DE, kind.value, DEFAULT_SHEETS[kind].version,
              2 + (12 if kind is MeetingKind.CHUYEN_DE else 0)) for kind in (MeetingKind.THUONG_KY,
                                                                            MeetingKind.CHUYEN_DE)]
    days = [dt.timedelta(days=n) for n in range(32)]
    held_delay = (0, 0, 0, 1, 2)
    rating_values = {rating: rating.value for rating in ratings}
    for org in chi_bo:
        people = spans.get(org.id, [])
        steady = [p[0] for p in people if p[1] <= whole_from and p[2] > whole_to and p[3] > whole_to and not p[4]]
        others = [p for p in people if not (p[1] <= whole_from and p[2] > whole_to and p[3] > whole_to and not p[4])]
        count = len(steady)
        skipped = set(rng.sample(months, rng.randint(1, 4))) if rng.random() < LAGGARD_SHARE else set()
        thematic_months = set()
        for quarter in quarters.values():
            if rng.random() >= NO_THEMATIC:
                thematic_months.add(rng.choice(quarter))
        for month in months + [this_month]:
            current = month == this_month
            if not current and (month in skipped or rng.random() < RANDOM_MISS):
                continue
            month_text, regular_topic, rated_anyway = month_facts[month]
            for kind, thematic, kind_value, sheet_version, offset in kinds:
                if thematic and month not in thematic_months:
                    continue
                planned = month + days[offset + int(roll_dice() * 8)]
                held = None if current or planned >= today else planned + days[held_delay[int(roll_dice() * 5)]]
                if held is not None and (held >= today or roll_dice() < REGISTERED_ONLY):
                    held = None
                topic = THEMATIC_TOPICS[int(roll_dice() * len(THEMATIC_TOPICS))] if thematic else regular_topic
                scores = points = rating = sheet = None
                present = absent = unexcused = excused = 0
                chair = None
                if held is not None:
                    day = held.toordinal()
                    i = -1
                    chair_at = 0  # the first steady member present chairs
                    while True:
                        i += 1 + int(math.log(1.0 - roll_dice()) * skip_scale)
                        if i >= count:
                            break
                        if i == chair_at:
                            chair_at += 1
                        roll = roll_dice() * ABSENT_WITH_REASON  # absent: unexcused or with which reason
                        member_id = steady[i]
                        if roll < ABSENT_UNEXCUSED:
                            absences.append(("absent", None, next_id, member_id))
                            unexcused += 1
                        else:
                            absences.append(("absent", REASONS[int(roll * 1000) % 5], next_id, member_id))
                        absent += 1
                    present = count - absent
                    if chair_at < count:
                        chair = steady[chair_at]
                    for member_id, start, end, exempt, shift in others:
                        if start > day or end <= day:
                            continue
                        if exempt <= day:
                            absences.append(("excused", None, next_id, member_id))
                            excused += 1
                            continue
                        roll = roll_dice() - shift
                        if roll < ABSENT_UNEXCUSED:
                            absences.append(("absent", None, next_id, member_id))
                            absent += 1
                            unexcused += 1
                        elif roll < ABSENT_WITH_REASON:
                            absences.append(("absent", REASONS[int(roll * 1000) % 5], next_id, member_id))
                            absent += 1
                        else:
                            present += 1
                            chair = chair or member_id
                    if roll_dice() >= UNRATED or rated_anyway:
                        rating = ratings[int(roll_dice() * len(ratings))]
                        scores, points = _scores(rng, kind, rating)
                        sheet = sheet_version
                entered = (held or planned) + days[int(roll_dice() * 6)]
                meeting_rows.append((
                    next_id, org.id, month_text, kind_value, planned.isoformat(),
                    held.isoformat() if held else None, topic, chair, scores, points,
                    rating_values[rating] if rating else None, sheet, present + absent, present, absent, unexcused,
                    excused, f"{min(entered, today).isoformat()} 16:30:00.000000"))
                next_id += 1
    return meeting_rows, absences


def write_meetings(session: Session, plan: MeetingsPlan,
                   alongside: Callable[[], AbstractContextManager[object]] = nullcontext) -> int:
    """Insert planned meetings and their attendance (the members of the day from the memberships); `alongside`
    frames the one long statement (other work may go on meanwhile, core/demo.py)."""
    return write_planned_meetings(session.connection().connection.driver_connection, plan, alongside)


def write_attendance_spans(driver: Any, members: list[_Member]) -> None:
    """The memberships write_planned_meetings reads the members of the day from, in a temporary table of a
    DB-API connection of SQLite's with nothing but the columns it joins on (the demo's child, core/demo.py), keyed
    by chi bộ and member: the join then finds a chi bộ's members and their dates in the key alone, in the order of
    their ids, and appends the attendance in the order of its own key. The office's memberships index
    (org_id, valid_from, valid_to) holds no member: a look-up of its row for each of the 1,7 million rows at
    scale 20 (join 0.93 -> 0.58 s, the table 0.40 -> 0.24 s CPU, best of 5)."""
    driver.execute("CREATE TEMP TABLE memberships (org_id INTEGER NOT NULL, member_id INTEGER NOT NULL, "
                   "valid_from DATE NOT NULL, valid_to DATE, PRIMARY KEY (org_id, member_id, valid_from)) "
                   "WITHOUT ROWID")
    driver.executemany("INSERT INTO memberships VALUES (?, ?, ?, ?)", [
        (span.org.id, member.id, span.start.isoformat(), span.end.isoformat() if span.end else None)
        for member in members for span in member.spans])


def write_planned_meetings(driver: Any, plan: MeetingsPlan,
                           alongside: Callable[[], AbstractContextManager[object]] = nullcontext) -> int:
    """write_meetings through a DB-API connection of SQLite's (the demo's child writes into a database of its
    own, core/demo.py)."""
    meeting_rows, absences = plan
    cursor = driver.cursor()
    # What every meeting has alike (no summary nor resolutions, the demo's clerk) in the statement, not bound
    # 130.000 times at scale 20.
    cursor.executemany(
        "INSERT INTO meetings (id, org_id, month, kind, planned_on, held_on, topic, chair_id, summary, resolutions, "
        "scores, points, rating, sheet, expected, present, absent, absent_unexcused, excused, entered_by, "
        f"entered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{DEMO_CLERK}', ?)",
        meeting_rows)
    # Every member of the day present, in one statement inside SQLite, then the absent and the excused: a
    # million rows through executemany took most of the demo's time at scale 20 (and still takes twice as
    # long). The meetings in the order of their ids (NOT INDEXED: not the month's index), so the attendance
    # is appended, not inserted all over.
    with alongside():
        cursor.execute(
            "INSERT INTO meeting_attendance (meeting_id, member_id, status, reason) "
            "SELECT m.id, s.member_id, 'present', NULL FROM meetings m NOT INDEXED "
            "JOIN memberships s ON s.org_id = m.org_id AND s.valid_from <= m.held_on "
            "AND (s.valid_to IS NULL OR s.valid_to > m.held_on) WHERE m.held_on IS NOT NULL")
    cursor.executemany("UPDATE meeting_attendance SET status = ?, reason = ? WHERE meeting_id = ? AND member_id = ?",
                       absences)
    cursor.close()
    return len(meeting_rows)
