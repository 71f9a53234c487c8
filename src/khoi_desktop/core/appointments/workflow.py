"""Appointment requests as decision workflows: checked, worded, and carried out when issued."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.appointments.committees import derived_term_end
from khoi_desktop.core.appointments.eligibility import SeatPlan
from khoi_desktop.core.appointments.submissions import mark_issued
from khoi_desktop.core.decision_content import DecisionContent
from khoi_desktop.core.errors import RequestRefused
from khoi_desktop.core.models import Committee, CommitteeSeat, Decision
from khoi_desktop.core.requests import Request
from khoi_desktop.core.workflows.issuer import decide_authority, superior_of
from khoi_desktop.core.workflows.office import Office
from khoi_desktop.core.workflows.prepared import Prepared, Wire

R = TypeVar("R", bound=Request)


def _checked(office: Office, plan: SeatPlan | None, request: Request) -> SeatPlan:
    if office.problems or plan is None:
        raise RequestRefused(office.problems or [("invalid_request", "Yêu cầu không hợp lệ.")])
    # The committee of an organization is appointed or approved by its directly superior committee.
    superior = superior_of(office, plan.org.kind, plan.org.parent_id)
    office.authority = decide_authority(office, request, [superior], f"cấp ủy của {plan.org.name}")
    return plan


def seat_action(request_type: type[R], check: Callable[[Office, R], SeatPlan | None],
                compose: Callable[[Office, R, SeatPlan, dt.date], DecisionContent]) -> Wire:
    """The preparer of one appointment action: its check against the office, its wording; carry_out at issue."""
    def prepare(session: Session, request: Request, effective: dt.date) -> Prepared:
        if not isinstance(request, request_type):
            raise TypeError(f"{check.__name__} checks {request_type.__name__}, not {type(request).__name__}")
        office = Office(session, effective)
        plan = _checked(office, check(office, request), request)
        assert office.authority is not None
        return Prepared(request, compose(office, request, plan, effective), plan.warnings, effective,
                        apply=lambda s, decision, on: carry_out(s, plan, decision, on),
                        issuer_id=office.authority.issuer_id)

    return Wire(request_type, prepare)


def carry_out(session: Session, plan: SeatPlan, decision: Decision, on: dt.date) -> None:
    """Inside the issuing transaction: end seats, record the committee, open seats, answer the submission."""
    for ending in plan.ends:
        seat = session.get(CommitteeSeat, ending.seat_id)
        assert seat is not None and (seat.valid_to is None or seat.valid_to > on)
        seat.valid_to = on
        seat.end_reason = ending.reason
    if plan.first_committee and plan.opens:
        committee = session.scalars(select(Committee).where(Committee.org_id == plan.org.id,
                                                            Committee.term == plan.term)).first()
        if committee is None:
            committee = Committee(org_id=plan.org.id, term=plan.term, starts_on=on)
            session.add(committee)
        committee.starts_on = on
        committee.ends_on = derived_term_end(session, plan.term, on)
        committee.size = plan.committee_size
        committee.decision_id = decision.id
    for new in plan.opens:
        session.add(CommitteeSeat(org_id=plan.org.id, member_id=new.member.id, role=new.role, term=plan.term,
                                  valid_from=on, decision_id=decision.id))
    if plan.submission is not None:
        mark_issued(session, plan.submission.id, decision)
    session.flush()

