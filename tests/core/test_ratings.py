"""Ratings: the round's scope on its reference date, the cap at its edge, consistency, refusals, the summary."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from sqlalchemy import func, select

from khoi_desktop.core.errors import KhoiError
from khoi_desktop.core.ratings.entry import (
    MemberEntry,
    OrgEntry,
    open_round,
    plan_body,
    round_scope,
    set_level,
    write_body,
)
from khoi_desktop.core.ratings.findings import rating_findings
from khoi_desktop.core.ratings.models import Level, MemberRating, OrgRating
from khoi_desktop.core.ratings.summary import year_summary
from rating_office import YEAR, build

DEC = dt.date(YEAR, 12, 31)


@pytest.fixture
def office(tmp_path: Path):
    db = build(tmp_path / "r.db")
    yield db
    db.close()


def _import(db, body: str, orgs: list[OrgEntry], members: list[MemberEntry]):
    with db.writing() as s:
        rnd = open_round(s, YEAR)
        scope = round_scope(s, YEAR)
        plan = plan_body(s, scope, body, orgs, members, rnd.id)
        write_body(s, rnd, plan, scope.ids_under(scope.body(body).id))
        return plan


def _db01(htxs: int, htt: int = 10, **kw) -> list[MemberEntry]:
    levels = [Level.HTXS] * htxs + [Level.HTT] * htt
    levels += [Level.HT] * (13 - len(levels))
    members = [MemberEntry(f"A-{i:03d}", decided=level) for i, level in enumerate(levels, start=1)]
    return members + [MemberEntry(f"B-{i:03d}", decided=Level.HT) for i in range(1, 4)]


def _caps(db) -> list[str]:
    with db.reading() as s:
        return [f.message for f in rating_findings(s, DEC) if f.rule == "rating_cap_exceeded"]


def test_cap_exactly_twenty_percent_passes_one_more_is_a_finding(office) -> None:
    _import(office, "DB01", [], _db01(2, 10))
    assert _caps(office) == []
    _import(office, "DB01", [], _db01(3, 10))
    assert _caps(office) == ["Đảng bộ Sở Y tế: 3 HTXSNV trên 10 HTTNV, vượt 20% (đảng viên, xếp loại năm 2024).",
                             "Đảng ủy Khối các cơ quan tỉnh: 3 HTXSNV trên 10 HTTNV, vượt 20% (đảng viên, xếp loại "
                             "năm 2024)."]  # the office's members too: the only ones rated


def test_a_member_who_moved_is_rated_where_they_are_on_the_reference_date(office) -> None:
    with office.reading() as s:
        scope = round_scope(s, YEAR)
    mover = next(m for m in scope.members.values() if m.code == "DV-MOVER")
    assert scope.snapshot.nodes[mover.org_id].code == "CS02"
    with pytest.raises(KhoiError) as refused:
        _import(office, "DB01", [], [MemberEntry("DV-MOVER", decided=Level.HTT)])
    assert "không sinh hoạt trong Đảng bộ Sở Y tế vào ngày 31/12/2024" in refused.value.message
    plan = _import(office, "CS02", [], [MemberEntry("DV-MOVER", decided=Level.HTT)])
    assert plan.ok


def test_refusals_change_nothing(office) -> None:
    _import(office, "DB01", [OrgEntry("CB01", decided=Level.HTT)], _db01(1))
    with office.reading() as s:
        before = (s.scalar(select(func.count()).select_from(MemberRating)),
                  s.scalar(select(func.count()).select_from(OrgRating)))
    for members in ([MemberEntry("DV-LEFT", decided=Level.HT)],  # left the Party in June
                    [MemberEntry("NOBODY", decided=Level.HT)],
                    _db01(0) + [MemberEntry("A-001", decided=Level.HT)]):  # twice
        with pytest.raises(KhoiError):
            _import(office, "DB01", [], members)
    with pytest.raises(KhoiError) as refused:
        _import(office, "CS02", [], [MemberEntry("DV-EXEMPT", decided=Level.HT)])
    assert "miễn sinh hoạt" in refused.value.message
    with pytest.raises(KhoiError):
        _import(office, "CS02", [], [MemberEntry("DV-NEW", decided=Level.HT)])
    with pytest.raises(KhoiError):
        with office.writing() as s:
            set_level(s, YEAR, member="DV-LEFT", decided=Level.HT)
    with office.reading() as s:
        after = (s.scalar(select(func.count()).select_from(MemberRating)),
                 s.scalar(select(func.count()).select_from(OrgRating)))
    assert after == before


def test_consistency_rules(office) -> None:
    members = _db01(0)
    members[0] = MemberEntry("A-001", decided=Level.HTT, disciplined=True)
    _import(office, "DB01", [OrgEntry("DB01", keep_decided=True), OrgEntry("CB01", decided=Level.HTXS),
                             OrgEntry("CB02", decided=Level.HTXS)], members)
    with office.writing() as s:
        set_level(s, YEAR, org="DB01", decided=Level.HTXS)
        found = [f.message for f in rating_findings(s, DEC) if f.rule == "rating_inconsistent"]
    assert any("A-001" in m and "HTTNV" in m for m in found)
    assert sum("HTXSNV" in m for m in found) == 2  # CB01 and DB01 itself; CB02 has no disciplined member
    with office.writing() as s:
        set_level(s, YEAR, member="A-001", decided=Level.HT)
        set_level(s, YEAR, org="CB01", decided=Level.HTT)
        set_level(s, YEAR, org="DB01", decided=Level.HTT)
        assert [f for f in rating_findings(s, DEC) if f.rule == "rating_inconsistent"] == []


def test_missing_ratings_are_named_per_body(office) -> None:
    _import(office, "CS03", [OrgEntry("CS03", decided=Level.HTT)], [MemberEntry("X-001", decided=Level.HT)])
    with office.reading() as s:
        missing = {f.org: f.message for f in rating_findings(s, DEC) if f.rule == "rating_missing"}
    assert missing["CS03"] == "Chi bộ Sở Xây dựng: 2 đảng viên chưa được xếp loại chất lượng năm 2024."
    # CS02: the new and the exempt member are not rated by the rules: only the mover and the two others count
    assert missing["CS02"] == "Chi bộ Sở Tư pháp: 1 tổ chức đảng và 3 đảng viên chưa được xếp loại chất lượng năm 2024."


def test_summary_equals_a_brute_force_count(office) -> None:
    rng = random.Random(5)
    levels = list(Level) + [None]
    _import(office, "DB01", [OrgEntry(c, decided=rng.choice(levels)) for c in ("DB01", "CB01", "CB02")],
            [MemberEntry(f"A-{i:03d}", decided=rng.choice(levels)) for i in range(1, 14)]
            + [MemberEntry(f"B-{i:03d}", decided=rng.choice(levels)) for i in range(1, 4)])
    _import(office, "CS02", [OrgEntry("CS02", decided=Level.HTT)],
            [MemberEntry("T-001", decided=Level.HTXS), MemberEntry("DV-MOVER", decided=Level.KHT)])
    _import(office, "CS03", [OrgEntry("CS03", decided=Level.HT)], [MemberEntry("X-002", decided=Level.HTT)])
    with office.reading() as s:
        summary = year_summary(s, YEAR).as_json()
        rows = s.execute(select(MemberRating.decided)).scalars().all()
        grassroots = [r for r in s.execute(select(OrgRating.decided, OrgRating.org_id)).all()]
    brute = {level.value: sum(1 for r in rows if r is level) for level in Level}
    rated = sum(brute.values())
    assert {k: summary["members"][k] for k in brute} == brute
    assert summary["members"]["total"] == 24  # on the rolls on 31/12 (the leaver is not; the mover is)
    assert summary["members"]["unrated"] == 24 - rated
    good = brute["htxs"] + brute["htt"]
    assert summary["members_good_or_better_pct"] == round(100 * good / rated, 2)
    ids = {"DB01", "CS02", "CS03"}
    with office.reading() as s:
        from khoi_desktop.core.models import Organization
        codes = dict(s.execute(select(Organization.id, Organization.code)).all())
    top = [level for level, org_id in grassroots if codes[org_id] in ids]
    assert summary["orgs"]["total"] == 3
    assert summary["orgs"]["unrated"] == sum(1 for level in top if level is None)
    assert summary["orgs"]["htt"] == sum(1 for level in top if level is Level.HTT)


def test_the_recognition_decision_lists_the_grassroots_levels_and_links_the_round(office) -> None:
    from khoi_desktop.core.apply import apply_request
    from khoi_desktop.core.decision_content import DecisionContent
    from khoi_desktop.core.models import Term
    from khoi_desktop.core.ratings.entry import find_round
    from khoi_desktop.core.request_json import parse_request
    from khoi_desktop.documents.pdf import render_pdf

    request = {"action": "recognize_ratings", "year": YEAR, "effective": "2025-01-20"}
    _import(office, "CS03", [OrgEntry("CS03", decided=Level.HTT)], [])
    with pytest.raises(KhoiError) as refused, office.writing() as s:
        apply_request(s, parse_request(request), actor="test", issue=True, today=dt.date(2025, 1, 20),
                      render=render_pdf)
    assert ("Chưa xếp loại năm 2024 cho 2 tổ chức cơ sở đảng: Đảng bộ Sở Y tế, Chi bộ Sở Tư pháp"
            in refused.value.message)
    with office.writing() as s:
        s.add(Term(name="2020-2025", starts_on=dt.date(2020, 10, 1), ends_on=dt.date(2025, 9, 30)))
        set_level(s, YEAR, org="DB01", decided=Level.HTXS)
        set_level(s, YEAR, org="CS02", decided=Level.HT)
        decision, _warnings = apply_request(s, parse_request(request), actor="test", issue=True,
                                            today=dt.date(2025, 1, 20), render=render_pdf)
        content = DecisionContent.from_json(decision.content)
        assert decision.code == "01-QĐ/ĐUK" and decision.action == "recognize_ratings"
        assert find_round(s, YEAR).decision_id == decision.id
    text = " ".join(p for a in content.articles for p in a.paragraphs)
    assert ("Công nhận kết quả xếp loại chất lượng năm 2024 của 03 tổ chức cơ sở đảng trực thuộc Đảng ủy Khối các cơ "
            "quan tỉnh: 01 tổ chức hoàn thành xuất sắc nhiệm vụ; 01 tổ chức hoàn thành tốt nhiệm vụ; 01 tổ chức hoàn "
            "thành nhiệm vụ") in text
    assert content.attachments[0].rows == [["1", "Đảng bộ Sở Y tế", "Hoàn thành xuất sắc nhiệm vụ"],
                                           ["2", "Chi bộ Sở Xây dựng", "Hoàn thành tốt nhiệm vụ"],
                                           ["3", "Chi bộ Sở Tư pháp", "Hoàn thành nhiệm vụ"]]
    with pytest.raises(KhoiError), office.writing() as s:  # once a year
        apply_request(s, parse_request(request), actor="test", issue=True, today=dt.date(2025, 1, 20),
                      render=render_pdf)


def test_a_reader_may_not_rate_a_clerk_may(office) -> None:
    from khoi_desktop.core.auth.current import CurrentUser, Role
    from khoi_desktop.core.auth.permissions import PermissionDenied

    office.user = CurrentUser("xem", "Người xem", Role.CHI_XEM)
    with pytest.raises(PermissionDenied), office.writing() as s:
        set_level(s, YEAR, org="CS03", decided=Level.HTT)
    with office.reading() as s:
        assert s.scalar(select(func.count()).select_from(OrgRating)) == 0
    office.user = CurrentUser("cv", "Chuyên viên", Role.CHUYEN_VIEN)
    with office.writing() as s:
        set_level(s, YEAR, org="CS03", decided=Level.HTT)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_findings_counted_in_sql_equal_those_of_the_whole_round(office, seed: int) -> None:
    """rating_findings counts the levels per body in SQL (round_tally.load_tally); the decision and the ratings
    page count the round they read member by member (tally_of): the same tally, the same findings."""
    from khoi_desktop.core.member_events.models import EventKind, MemberEvent
    from khoi_desktop.core.models import Member
    from khoi_desktop.core.ratings.entry import find_round
    from khoi_desktop.core.ratings.findings import round_findings
    from khoi_desktop.core.ratings.round_tally import load_tally, tally_of
    from khoi_desktop.core.ratings.rules import load_rules
    from khoi_desktop.core.ratings.tally import load_round

    with office.writing() as s:  # an earlier exemption, recorded as events only, covering the reference date
        a2 = s.scalars(select(Member.id).where(Member.code == "A-002")).one()
        s.add_all([MemberEvent(member_id=a2, kind=EventKind.MIEN_SINH_HOAT.value, on=dt.date(YEAR, 6, 1)),
                   MemberEvent(member_id=a2, kind=EventKind.HET_MIEN.value, on=dt.date(YEAR + 1, 2, 1))])
    rng = random.Random(seed)
    levels = list(Level) + [None]

    def member(code: str, rated: bool = True) -> MemberEntry:  # the new and the exempt member get no level
        return MemberEntry(code, decided=rng.choice(levels) if rated else None, disciplined=rng.random() < 0.3)

    _import(office, "DB01", [OrgEntry(c, decided=rng.choice(levels)) for c in ("DB01", "CB01", "CB02")],
            [member(f"A-{i:03d}", i != 2) for i in range(1, 14)] + [member(f"B-{i:03d}") for i in range(1, 4)])
    _import(office, "CS02", [OrgEntry("CS02", decided=rng.choice(levels))],
            [member("T-001"), member("DV-MOVER"), member("DV-NEW", False), member("DV-EXEMPT", False)])
    with office.reading() as s:
        rnd = find_round(s, YEAR)
        rules = load_rules(s)
        lean, whole = load_tally(s, rnd, rules), tally_of(load_round(s, rnd))
        assert (lean.members, lean.unrated, lean.flagged, lean.org_levels) == \
               (whole.members, whole.unrated, whole.flagged, whole.org_levels)
        assert {b: (c.levels, c.total) for b, c in lean.body_levels.items()} == \
               {b: (c.levels, c.total) for b, c in whole.body_levels.items()}
        assert lean.flagged  # the seeds give disciplined members
        assert rating_findings(s, DEC) == round_findings(load_round(s, rnd), rules, "Đảng ủy Khối các cơ quan tỉnh")
