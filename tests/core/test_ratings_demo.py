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
