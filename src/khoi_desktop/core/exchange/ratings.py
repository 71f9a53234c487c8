"""A year's quality ratings in the exchange: the body's return (its chi bộ's and members' levels, its own
proposed level) travels up and is taken in through the same check and write as the Excel return
(core/ratings/entry.py): the body's own decided level stays the office's to set."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.exchange.container import Record
from khoi_desktop.core.exchange.preview import Preview
from khoi_desktop.core.models import Member, Organization
from khoi_desktop.core.ratings.entry import BodyPlan, MemberEntry, OrgEntry, find_round, open_round, plan_body
from khoi_desktop.core.ratings.models import Level, MemberRating, OrgRating, RatingRound
from khoi_desktop.core.ratings.rules import load_rules
from khoi_desktop.core.ratings.scope import default_reference_date, load_round_scope


def _level(value: Any) -> Level | None:
    return Level(value) if value else None


def rating_records(session: Session, body: str) -> list[Record]:
    """One record per rating round kept here: every organization's and member's levels."""
    records = []
    for rnd in session.scalars(select(RatingRound).order_by(RatingRound.year)):
        orgs = [{"org": code, "proposed": row.proposed.value if row.proposed else None,
                 "decided": row.decided.value if row.decided else None, "note": row.note}
                for row, code in session.execute(select(OrgRating, Organization.code).join(
                    Organization, Organization.id == OrgRating.org_id).where(OrgRating.round_id == rnd.id)
                    .order_by(Organization.code))]
        members = [{"member": code, "proposed": row.proposed.value if row.proposed else None,
                    "decided": row.decided.value if row.decided else None, "disciplined": row.disciplined,
                    "note": row.note}
                   for row, code in session.execute(select(MemberRating, Member.code).join(
                       Member, Member.id == MemberRating.member_id).where(MemberRating.round_id == rnd.id)
                       .order_by(Member.code))]
        if orgs or members:
            records.append(Record("rating", {"year": rnd.year, "reference_date": rnd.reference_date.isoformat(),
                                             "body": body, "orgs": orgs, "members": members}))
    return records


def _plan(session: Session, data: dict[str, Any]) -> tuple[BodyPlan, Any]:
    year, body = int(data["year"]), str(data["body"])
    rnd = find_round(session, year)
    reference = rnd.reference_date if rnd is not None else dt.date.fromisoformat(
        data.get("reference_date") or default_reference_date(year).isoformat())
    scope = load_round_scope(session, year, reference, load_rules(session))
    orgs = [OrgEntry(o["org"], _level(o.get("proposed")), _level(o.get("decided")), o.get("note"),
                     keep_decided=o["org"] == body) for o in data.get("orgs", [])]
    members = [MemberEntry(m["member"], _level(m.get("proposed")), _level(m.get("decided")),
                           bool(m.get("disciplined")), m.get("note")) for m in data.get("members", [])]
    return plan_body(session, scope, body, orgs, members, rnd.id if rnd is not None else None), scope


def preview_rating(session: Session, data: dict[str, Any]) -> Preview:
    result = Preview(f"Xếp loại chất lượng năm {data.get('year')} của {data.get('body')}",
                     f"{data.get('body')} {data.get('year')}")
    plan, _ = _plan(session, data)
    result.title = f"Xếp loại chất lượng năm {data.get('year')} của {plan.body}"
    result.problems = [p.message for p in plan.problems]
    result.changes = plan.changes or ["Giống kết quả đã có ở Văn phòng."]
    return result


def accept_rating(session: Session, data: dict[str, Any], *, actor: str) -> None:
    from khoi_desktop.core.ratings.entry import write_body

    plan, scope = _plan(session, data)
    rnd = open_round(session, int(data["year"]), scope.reference_date, actor=actor)
    body = scope.body(str(data["body"]))
    write_body(session, rnd, plan, scope.ids_under(body.id), actor=actor)
