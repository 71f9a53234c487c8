"""Ratings of the demo office for the two finished years before its date: near the article's shares (about
95% of the grassroots organizations and 97–98% of the members HTTNV or better), the cap kept in every body but
one (the largest đảng bộ cơ sở, a few HTXSNV too many), one disciplined member rated HTTNV (an inconsistency)
and a few disciplined members rated as the rules say. Drawn from its own random stream, written with
executemany (the ORM would take minutes at scale 20)."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy.orm import Session

from khoi_desktop.core.ratings.models import Level
from khoi_desktop.core.ratings.rules import RatingRules
from khoi_desktop.core.ratings.scope import RoundScope, default_reference_date, load_round_scope

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


def generate_ratings(session: Session, *, seed: int, today: dt.date) -> int:
    """Insert the demo's rating rounds and ratings; returns the number of member ratings."""
    rng = random.Random(f"ratings-{seed}")
    rules = RatingRules()
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    written = 0
    for round_id, year in enumerate(range(today.year - YEARS, today.year), start=1):
        reference = default_reference_date(year)
        scope = load_round_scope(session, year, reference, rules)
        stamp = f"{year + 1}-01-15 09:00:00.000000"
        cursor.execute("INSERT INTO rating_rounds (id, year, reference_date, decision_id, opened_by, opened_at) "
                       "VALUES (?, ?, ?, NULL, ?, ?)", (round_id, year, reference.isoformat(), DEMO_CLERK,
                                                        f"{year}-12-01 08:00:00.000000"))
        org_rows, member_rows = _round_rows(rng, scope, round_id, stamp)
        cursor.executemany("INSERT INTO org_ratings (round_id, org_id, proposed, decided, decided_by, decided_at) "
                           "VALUES (?, ?, ?, ?, ?, ?)", org_rows)
        cursor.executemany("INSERT INTO member_ratings (round_id, member_id, org_id, disciplined, proposed, decided, "
                           "decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", member_rows)
        written += len(member_rows)
    cursor.close()
    return written
