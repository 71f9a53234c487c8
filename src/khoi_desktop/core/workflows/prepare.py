"""A restructuring request prepared: planned against the office on its date, checked, worded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session

from khoi_desktop.core.errors import RequestRefused
from khoi_desktop.core.requests import Request
from khoi_desktop.core.workflows.arrivals import probation_notes
from khoi_desktop.core.workflows.crossing import crossing_notes
from khoi_desktop.core.workflows.execute import execute
from khoi_desktop.core.workflows.issuer import decide_authority
from khoi_desktop.core.workflows.office import Office
from khoi_desktop.core.workflows.plan import Plan
from khoi_desktop.core.workflows.prepared import Prepared, Wire
from khoi_desktop.core.workflows.request_check import check_plan, concerned_bodies
from khoi_desktop.core.workflows.wording import Story, Values, compose

CONSENT_HINT = " Nếu cấp ủy cấp trên đồng ý, ghi lý do vào ô «Lý do đồng ý»."

R = TypeVar("R", bound=Request)


def prepare_restructuring(session: Session, request: R, effective: dt.date, planner: Callable[[Office, R], Plan],
                          values_of: Callable[[Story, R], Values]) -> Prepared:
    office = Office(session, effective)
    plan = planner(office, request)
    if not office.problems:
        check_plan(office, plan)  # the rule book's findings after the plan (core/rules.py)
    if not office.problems:
        office.check_no_later_change(plan_org_ids(plan), plan_member_ids(plan))
    if office.problems:
        raise RequestRefused(office.problems)
    office.authority = decide_authority(office, request, concerned_bodies(office, plan), subject_of(office, plan))
    if plan.warnings and not request.consent_reason:
        raise RequestRefused([("consent_required", message + CONSENT_HINT) for _, message in plan.warnings])
    notes = plan.notes + crossing_notes(office, plan) + probation_notes(office, plan)  # a word, not a consent
    return Prepared(request, compose(office, request, plan, effective, values_of), plan.warnings + notes, effective,
                    apply=lambda s, decision, on: execute(s, plan, decision, on),
                    issuer_id=office.authority.issuer_id, created=plan.new_orgs)


def plan_org_ids(plan: Plan) -> set[int]:
    """The existing organizations a plan concerns (a later change to any of them refuses it)."""
    ids = set(plan.ends) | {r.org_id for r in plan.reparents} | {r.to for r in plan.reparents if isinstance(r.to, int)}
    ids |= {m.member.org_id for m in plan.moves} | {m.to for m in plan.moves if isinstance(m.to, int)}
    ids |= {leave.member.org_id for leave in plan.leaves}
    return ids


def plan_member_ids(plan: Plan) -> set[int]:
    return {m.member.id for m in plan.moves} | {leave.member.id for leave in plan.leaves}


def subject_of(office: Office, plan: Plan) -> str:
    """The organizations a decision is about, for the message saying who decides."""
    names = [office.snapshot.nodes[i].name for i in [*plan.ends, *(r.org_id for r in plan.reparents)]]
    names += [o.name for o in plan.new_orgs]
    names = list(dict.fromkeys(names))
    return ", ".join(names) if names else "các tổ chức này"


def restructuring(request_type: type[R], planner: Callable[[Office, R], Plan],
                  values_of: Callable[[Story, R], Values]) -> Wire:
    """The preparer of one restructuring action: its planner, and the values its wording template takes."""
    def prepare(session: Session, request: Request, effective: dt.date) -> Prepared:
        if not isinstance(request, request_type):
            raise TypeError(f"{planner.__name__} plans {request_type.__name__}, not {type(request).__name__}")
        return prepare_restructuring(session, request, effective, planner, values_of)

    return Wire(request_type, prepare)
