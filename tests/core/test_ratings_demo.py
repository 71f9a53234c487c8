"""The demo office's ratings: two years near the article's shares, one body over the cap, one inconsistency,
nothing missing, the same from the same seed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from khoi_desktop.core.db import open_database
from khoi_desktop.core.demo import generate_demo
from khoi_desktop.core.ratings.findings import rating_findings
from khoi_desktop.core.ratings.models import MemberRating
from khoi_desktop.core.ratings.summary import year_summary

TODAY = dt.date(2026, 3, 10)


def _demo(path: Path):  # type: ignore[no-untyped-def]
    db = open_database(path, create=True)
    generate_demo(db, scale=1, seed=7, today=TODAY)
    return db


def test_demo_ratings_show_the_findings_and_the_article_shares(tmp_path: Path) -> None:
    db = _demo(tmp_path / "a.db")
    with db.reading() as s:
        for year in (2024, 2025):
            summary = year_summary(s, year).as_json()
            assert 90 <= summary["orgs_good_or_better_pct"] <= 99
            assert 97 <= summary["members_good_or_better_pct"] <= 98.5
            assert summary["orgs"]["unrated"] == 0
        rules = [f.rule for f in rating_findings(s, TODAY)]
        rows = s.execute(select(MemberRating.round_id, MemberRating.member_id, MemberRating.decided)
                         .order_by(MemberRating.round_id, MemberRating.member_id)).all()
    db.close()
    assert sorted(rules) == ["rating_cap_exceeded", "rating_inconsistent"]
    again = _demo(tmp_path / "b.db")
    with again.reading() as s:
        assert s.execute(select(MemberRating.round_id, MemberRating.member_id, MemberRating.decided)
                         .order_by(MemberRating.round_id, MemberRating.member_id)).all() == rows
    again.close()


def test_the_ratings_drawn_from_the_plan_are_those_of_the_office_read_back(tmp_path: Path) -> None:
    """The demo draws its ratings from the plan (no read back of 110.000 members at scale 20): each round's scope
    is load_round_scope's of the written office (organizations, tree, counts, members and their kinds), so the
    rows are those generate_ratings draws from the database."""
    from khoi_desktop.core import demo
    from khoi_desktop.core.member_events.demo import add_leavers
    from khoi_desktop.core.ratings.demo import generate_ratings, plan_ratings, planned_scope
    from khoi_desktop.core.ratings.rules import RatingRules
    from khoi_desktop.core.ratings.scope import default_reference_date, load_round_scope

    db = _demo(tmp_path / "a.db")
    office = demo._plan(scale=1, seed=7, today=TODAY)  # the plan the demo wrote: the same seed and date
    add_leavers(office, seed=7, today=TODAY)
    rules = RatingRules()
    try:
        with db.reading() as s:
            for year in (2024, 2025):
                reference = default_reference_date(year)
                stored = load_round_scope(s, year, reference, rules)
                planned = planned_scope(office.orgs, office.members, year, reference, rules)
                assert planned.members == stored.members
                assert planned.body_of == stored.body_of
                assert planned.snapshot.roots == stored.snapshot.roots
                assert planned.snapshot.nodes == stored.snapshot.nodes
                assert {k: sorted(m.id for m in v) for k, v in planned.by_body.items()} == \
                    {k: sorted(m.id for m in v) for k, v in stored.by_body.items()}
                assert any(m.kind != "full" for m in planned.members.values())
            stored_rows = s.execute(select(MemberRating.round_id, MemberRating.member_id, MemberRating.decided)
                                    .order_by(MemberRating.round_id, MemberRating.member_id)).all()
        plan = plan_ratings(office.orgs, office.members, seed=7, today=TODAY)
        assert sorted((r[0], r[1], r[5]) for _, _, rows in plan for r in rows) == [tuple(r) for r in stored_rows]
    finally:
        db.close()
    again = open_database(tmp_path / "b.db", create=True)  # generate_ratings (read back) writes the same rows
    try:
        with again.writing() as s:
            assert generate_ratings(s, seed=7, today=TODAY) == 0  # an empty office: nobody to rate
    finally:
        again.close()
