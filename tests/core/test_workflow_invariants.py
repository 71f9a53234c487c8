"""Random sequences of restructuring requests keep the office consistent at every date.

Invariants: each member belongs to at most one chi bộ on any date, and that chi bộ existed then;
members belong only to chi bộ; counts equal memberships; no active organization sits under an ended
one; decision numbers run 1, 2, 3 … without gaps; a refused request changes nothing.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from factories import add_members, add_org
from khoi_desktop.core.apply import apply_request
from khoi_desktop.core.db import open_database
from khoi_desktop.core.errors import RequestRefused
from khoi_desktop.core.models import Decision, DecisionStatus, Membership, Organization, Placement, Term
from khoi_desktop.core.request_json import parse_request
from khoi_desktop.core.settings import OfficeSettings, save_settings
from khoi_desktop.core.stats import counts_on
from khoi_desktop.core.tree import load_snapshot, valid_on
from khoi_desktop.documents.pdf import render_pdf

START = dt.date(2026, 1, 5)


def build_office(path: Path):  # type: ignore[no-untyped-def]
    db = open_database(path, create=True)
    with db.writing() as s:
        save_settings(s, OfficeSettings(configured=True))
        s.add(Term(name="2025-2030", starts_on=dt.date(2025, 10, 1), ends_on=dt.date(2030, 9, 30)))
        for d in range(2):
            dang_bo = add_org(s, f"CS00{d + 1}", f"Đảng bộ Sở số {d + 1}", "dang_bo_co_so")
            for c in range(3):
                chi_bo = add_org(s, f"CB{d}{c}", f"Chi bộ Phòng {d}{c}", "chi_bo_truc_thuoc", parent=dang_bo)
                add_members(s, chi_bo, 6 + 4 * c, probationary=c)
        add_members(s, add_org(s, "CS003", "Chi bộ Hội Cựu chiến binh", "chi_bo_co_so"), 9, probationary=1)
    return db


def state(db) -> dict:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        return {
            "orgs": s.scalars(select(Organization.code).where(Organization.ended_on.is_(None))).all(),
            "rows": [s.scalar(select(func.count()).select_from(m)) for m in (Organization, Placement, Membership,
                                                                              Decision)],
        }


def draw_request(data, db, day: dt.date) -> dict:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        snapshot = load_snapshot(s, day)
        chi_bo = [n for n in snapshot.active_nodes() if n.kind.is_chi_bo]
        dang_bo = [n for n in snapshot.active_nodes() if n.kind.value == "dang_bo_co_so"]
        source = data.draw(st.sampled_from(chi_bo))
        members = s.scalars(select(Membership.member_id).where(Membership.org_id == source.id,
                                                               valid_on(Membership, day))).all()
        from khoi_desktop.core.models import Member

        codes = sorted(s.scalars(select(Member.code).where(Member.id.in_(members))))
    other = [n for n in chi_bo if n.id != source.id]
    action = data.draw(st.sampled_from(["split", "split_keep", "found", "dissolve", "absorb", "transfer",
                                        "hand_over"]))
    base = {"effective": day.isoformat(), "consent_reason": "Cấp trên đồng ý"}
    if action in ("split", "split_keep"):
        cut = data.draw(st.integers(0, len(codes)))
        return {**base, "action": "split", "org": source.code, "keep_source": action == "split_keep",
                "into": [{"name": f"Chi bộ tách {day:%m%d} A", "members": codes[:cut]},
                         {"name": f"Chi bộ tách {day:%m%d} B", "members": codes[cut:]}]}
    if action == "found":
        picked = data.draw(st.lists(st.sampled_from(codes), unique=True)) if codes else []
        parent = data.draw(st.sampled_from(dang_bo)) if dang_bo else None
        return {**base, "action": "found", "kind": "chi_bo_truc_thuoc", "name": f"Chi bộ mới {day:%m%d}",
                "parent": parent.code if parent else None, "members": picked}
    if action in ("dissolve", "absorb") and other:
        target = data.draw(st.sampled_from(other))
        if action == "dissolve":
            return {**base, "action": "dissolve", "org": source.code, "members_to": target.code}
        return {**base, "action": "absorb", "orgs": [source.code], "into": target.code}
    if action == "transfer" and dang_bo:
        return {**base, "action": "transfer", "org": source.code, "to": data.draw(st.sampled_from(dang_bo)).code}
    return {**base, "action": "hand_over", "org": source.code, "to_body": "Đảng ủy Khối Doanh nghiệp tỉnh"}


def check_invariants(db, days: list[dt.date]) -> None:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        for day in days:
            snapshot = load_snapshot(s, day)
            rows = s.execute(select(Membership.member_id, Membership.org_id).where(valid_on(Membership, day))).all()
            member_ids = [m for m, _ in rows]
            assert len(member_ids) == len(set(member_ids)), f"a member in two chi bộ on {day}"
            for _, org_id in rows:
                assert org_id in snapshot.nodes, f"a membership in an organization that did not exist on {day}"
                assert snapshot.nodes[org_id].kind.is_chi_bo, "members belong only to chi bộ"
            assert counts_on(s, day).members == len(rows)
            for placement in s.scalars(select(Placement).where(valid_on(Placement, day))):
                if placement.org_id in snapshot.nodes and placement.parent_id is not None:
                    assert placement.parent_id in snapshot.nodes, f"an organization under an ended one on {day}"
        numbers = s.scalars(select(Decision.number).where(Decision.status == DecisionStatus.ISSUED)
                            .order_by(Decision.number)).all()
        assert numbers == list(range(1, len(numbers) + 1))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_request_sequences_keep_the_office_consistent(data) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as folder:
        db = build_office(Path(folder) / "office.db")
        days = [START]
        for step in range(data.draw(st.integers(1, 6))):
            day = START + dt.timedelta(days=7 * (step + 1))
            request = draw_request(data, db, day)
            before = state(db)
            try:
                with db.writing() as s:
                    apply_request(s, parse_request(request), actor="test", issue=True, today=day, render=render_pdf)
                event(f"{request['action']} issued")
            except RequestRefused:
                event(f"{request['action']} refused")
                assert state(db) == before, f"a refused {request['action']} changed the database"
            days.append(day)
            check_invariants(db, [d - dt.timedelta(days=1) for d in days] + days)
        db.close()
