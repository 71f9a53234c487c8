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
from khoi_desktop.core.workflows.office import Office
from khoi_desktop.core.workflows.plan import Plan, check_result
from khoi_desktop.core.workflows.prepared import Prepared, Wire
from khoi_desktop.core.workflows.wording import Story, Values, compose

CONSENT_HINT = " Nếu cấp ủy cấp trên đồng ý, ghi lý do vào ô «Lý do đồng ý»."

R = TypeVar("R", bound=Request)


def prepare_restructuring(session: Session, request: R, effective: dt.date, planner: Callable[[Office, R], Plan],
                          values_of: Callable[[Story, R], Values]) -> Prepared:
    office = Office(session, effective)
    plan = planner(office, request)
    if not office.problems:
        check_result(office, plan)
    if office.problems:
        raise RequestRefused(office.problems)
    if plan.warnings and not request.consent_reason:
        raise RequestRefused([("consent_required", message + CONSENT_HINT) for _, message in plan.warnings])
    notes = crossing_notes(office, plan) + probation_notes(office, plan)  # worth a word, not a consent
    return Prepared(request, compose(office, request, plan, effective, values_of), plan.warnings + notes, effective,
                    apply=lambda s, decision, on: execute(s, plan, decision, on))


def restructuring(request_type: type[R], planner: Callable[[Office, R], Plan],
                  values_of: Callable[[Story, R], Values]) -> Wire:
    """The preparer of one restructuring action: its planner, and the values its wording template takes."""
    def prepare(session: Session, request: Request, effective: dt.date) -> Prepared:
        if not isinstance(request, request_type):
            raise TypeError(f"{planner.__name__} plans {request_type.__name__}, not {type(request).__name__}")
        return prepare_restructuring(session, request, effective, planner, values_of)

    return Wire(request_type, prepare)
