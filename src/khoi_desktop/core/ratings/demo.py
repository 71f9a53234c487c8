"""Ratings of the demo office for the two finished years before its date: near the article's shares (about
95% of the grassroots organizations and 97–98% of the members HTTNV or better), the cap kept in every body but
one (the largest đảng bộ cơ sở, a few HTXSNV too many), one disciplined member rated HTTNV (an inconsistency)
and a few disciplined members rated as the rules say. Drawn from its own random stream, written with
executemany (the ORM would take minutes at scale 20)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from khoi_desktop.core.ratings.models import Level
from khoi_desktop.core.ratings.rules import RatingRules
from khoi_desktop.core.ratings.scope import (
    EXEMPT,
    FULL,
    NEW,
    PROBATIONARY,
    RatedMember,
    RoundScope,
    default_reference_date,
    is_rated,
    load_round_scope,
    member_kind,
)
from khoi_desktop.core.tree import OrgNode, linked_snapshot

if TYPE_CHECKING:
    from khoi_desktop.core.demo import _Member, _Org

YEARS = 2
GOOD_SHARE_ORGS = 0.95
NOT_GOOD_MEMBERS = 0.022  # HTNV and KHTNV together
HTXS_OF_GOOD = 0.16  # HTXSNV among the good ones: 19% of HTTNV, under the 20% cap
DISCIPLINED_SHARE = 0.002
DEMO_CLERK = "demo"


def _levels(rng: random.Random, count: int, good_share: float) -> list[Level]:
    """`count` levels, shuffled: about `good_share` HTTNV or better, HTXSNV within the cap."""
    not_good = sum(1 for _ in range(count) if rng.random() >= good_share)
    good = count - not_good
    htxs = int(good * HTXS_OF_GOOD)
    kht = sum(1 for _ in range(not_good) if rng.random() < 0.2)
    levels = [Level.HTXS] * htxs + [Level.HTT] * (good - htxs) + [Level.HT] * (not_good - kht) + [Level.KHT] * kht
    rng.shuffle(levels)
    return levels


def _over_cap(levels: list[Level]) -> None:
    """Turn HTTNV into HTXSNV until the HTXSNV are over 20% of the HTTNV (the one body over the cap)."""
    while sum(lv is Level.HTXS for lv in levels) * 5 <= sum(lv is Level.HTT for lv in levels):
        levels[levels.index(Level.HTT)] = Level.HTXS


def _round_rows(rng: random.Random, scope: RoundScope, round_id: int, stamp: str) -> tuple[list, list]:
    org_rows: list[tuple] = []
    member_rows: list[tuple] = []
    grassroots = scope.grassroots
    for node, level in zip(grassroots, _levels(rng, len(grassroots), GOOD_SHARE_ORGS), strict=True):
        org_rows.append((round_id, node.id, level.value, level.value, DEMO_CLERK, stamp))
    top_level = {row[1]: row[2] for row in org_rows}
    largest = max(grassroots, key=lambda n: (n.members, n.code), default=None)
    inconsistent_done = False
    for body in grassroots:
        subs = scope.orgs_of(body.id)[1:]
        sub_levels = _levels(rng, len(subs), GOOD_SHARE_ORGS)
        for node, level in zip(subs, sub_levels, strict=True):
            org_rows.append((round_id, node.id, level.value, level.value, DEMO_CLERK, stamp))
        sub_level = {node.id: level.value for node, level in zip(subs, sub_levels, strict=True)}
        people = sorted((m for m in scope.members_of(body.id) if m.rated), key=lambda m: m.code)
        levels = _levels(rng, len(people), 1 - NOT_GOOD_MEMBERS)
        if body is largest:
            _over_cap(levels)
        for person, level in zip(people, levels, strict=True):
            disciplined = False
            chi_bo_top = sub_level.get(person.org_id, top_level.get(person.org_id))
            no_htxs_above = top_level[body.id] != "htxs" and chi_bo_top != "htxs"
            if no_htxs_above and rng.random() < DISCIPLINED_SHARE:
                disciplined = True
                if not inconsistent_done and level in (Level.HTXS, Level.HTT):
                    level, inconsistent_done = Level.HTT, True  # the one the check shows
                else:
                    level = Level.HT
            # Plain int and str, not bool and the StrEnum: sqlite3 binds exact types directly, others through its
            # adaptation protocol (a failed __conform__ look-up a value: 200.000 rows at scale 20). Same values.
            value = level._value_
            member_rows.append((round_id, person.id, person.org_id, int(disciplined), value, value,
                                DEMO_CLERK, stamp))
    return org_rows, member_rows


# (rating_rounds row, org_ratings rows, member_ratings rows) of each round, in the order written.
RatingsPlan = list[tuple[tuple[object, ...], list[tuple], list[tuple]]]


def generate_ratings(session: Session, *, seed: int, today: dt.date) -> int:
    """Insert the demo's rating rounds and ratings, the rounds' scopes read from the database; returns the number
    of member ratings."""
    return write_ratings(session, _plan(lambda year, reference, rules: load_round_scope(session, year, reference,
                                                                                         rules), seed, today))


def plan_ratings(orgs: list[_Org], members: list[_Member], *, seed: int, today: dt.date) -> RatingsPlan:
    """The rows generate_ratings writes, the rounds' scopes taken from the demo's plan instead of read back from
    the database (twice 110.000 members at scale 20): no database, so the demo draws them on a thread while SQLite
    works. The same scopes as load_round_scope's of the plan once written (tests/core/test_ratings_demo.py)."""
    names: dict[int, str] = {}  # joined once for both rounds
    return _plan(lambda year, reference, rules: planned_scope(orgs, members, year, reference, rules, names), seed,
                 today)


def _plan(scope_of: Callable[[int, dt.date, RatingRules], RoundScope], seed: int, today: dt.date) -> RatingsPlan:
    rng = random.Random(f"ratings-{seed}")
    rules = RatingRules()
    rounds: RatingsPlan = []
    for round_id, year in enumerate(range(today.year - YEARS, today.year), start=1):
        reference = default_reference_date(year)
        scope = scope_of(year, reference, rules)
        org_rows, member_rows = _round_rows(rng, scope, round_id, f"{year + 1}-01-15 09:00:00.000000")
        rounds.append(((round_id, year, reference.isoformat(), DEMO_CLERK, f"{year}-12-01 08:00:00.000000"),
                       org_rows, member_rows))
    return rounds


def write_ratings(session: Session, plan: RatingsPlan) -> int:
    """Insert planned rating rounds and ratings; returns the number of member ratings."""
    return write_planned_ratings(session.connection().connection.driver_connection, plan)


def write_planned_ratings(driver: Any, plan: RatingsPlan) -> int:
    """write_ratings through a DB-API connection of SQLite's (the demo's child, core/demo.py)."""
    cursor = driver.cursor()
    written = 0
    for round_row, org_rows, member_rows in plan:
        cursor.execute("INSERT INTO rating_rounds (id, year, reference_date, decision_id, opened_by, opened_at) "
                       "VALUES (?, ?, ?, NULL, ?, ?)", round_row)
        cursor.executemany("INSERT INTO org_ratings (round_id, org_id, proposed, decided, decided_by, decided_at) "
                           "VALUES (?, ?, ?, ?, ?, ?)", org_rows)
        cursor.executemany("INSERT INTO member_ratings (round_id, member_id, org_id, disciplined, proposed, decided, "
                           "decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", member_rows)
        written += len(member_rows)
    cursor.close()
    return written


def planned_scope(orgs: list[_Org], members: list[_Member], year: int, reference: dt.date,
                  rules: RatingRules, names: dict[int, str] | None = None) -> RoundScope:
    """load_round_scope of the demo's plan as it will be stored: the organizations existing on the reference date
    under their placement of that date, the members of each by their membership of that date. The demo records
    no exemption events (member_events/demo.py), so the members' own exempt_since alone makes them exempt.
    `names`: the members' full names by id, filled as they are joined (shared by the rounds of a plan)."""
    nodes: dict[int, OrgNode] = {}
    for org in orgs:
        if org.founded_on > reference or (org.ended_on is not None and org.ended_on <= reference):
            continue
        parent_id = None
        for parent, start, _end in sorted(org.placements, key=lambda p: p[1]):  # the latest from that day on
            if start <= reference:
                parent_id = parent.id if parent is not None else None
        nodes[org.id] = OrgNode(org.id, org.code, org.name, org.kind, org.agency, org.founded_on, org.ended_on,
                                parent_id, True, org.consent_note is not None)
    on_day: list[tuple[_Member, int]] = []
    for member in members:
        for span in member.spans:  # valid on the reference date (inline: 110.000 members, twice at scale 20)
            if span.start <= reference and (span.end is None or span.end > reference):
                org_id = span.org.id
                on_day.append((member, org_id))
                node = nodes.get(org_id)
                if node is not None:
                    node.direct_members += 1
                    if member.full_member_on is not None and member.full_member_on <= reference:
                        node.direct_full += 1
    snapshot = linked_snapshot(nodes, reference)
    body_of = {node.id: snapshot.root_of(node.id).id for node in snapshot.active_nodes()}
    rated = {k: is_rated(rules, k) for k in (FULL, PROBATIONARY, NEW, EXEMPT)}
    names = {} if names is None else names
    new = tuple.__new__  # RatedMember(...) without its Python-level __new__: 110.000 members, twice at scale 20
    scoped: dict[int, RatedMember] = {}
    for member, org_id in on_day:
        if org_id not in body_of:
            continue
        kind = member_kind(rules, member.admitted_on, member.full_member_on, member.exempt_since, reference)
        member_id = member.id
        name = names.get(member_id)
        if name is None:
            name = names[member_id] = " ".join(filter(None, (member.family_name, member.middle_name,
                                                             member.given_name)))
        scoped[member_id] = new(RatedMember, (member_id, member.code, name, org_id, kind, rated[kind]))
    by_body: dict[int, list[RatedMember]] = {}
    for rated_member in scoped.values():
        by_body.setdefault(body_of[rated_member.org_id], []).append(rated_member)
    return RoundScope(year, reference, snapshot, scoped, body_of, by_body)
