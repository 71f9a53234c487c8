"""Restructuring workflows: a request is checked, drafted as a decision, and applied when issued.

The plan is made again at issue time from the stored request, so a draft that no longer fits the
organization tree (someone moved a member meanwhile) is refused instead of half-applied.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from khoi_desktop.core import decisions
from khoi_desktop.core.decision_content import DecisionContent
from khoi_desktop.core.errors import RequestRefused
from khoi_desktop.core.models import Decision
from khoi_desktop.core.requests import Request, load_request, request_to_json
from khoi_desktop.core.workflows.execute import execute
from khoi_desktop.core.workflows.office import Office
from khoi_desktop.core.workflows.plan import Plan, check_result
from khoi_desktop.core.workflows.restructure import PLANNERS
from khoi_desktop.core.workflows.wording import compose

CONSENT_HINT = " Nếu cấp ủy cấp trên đồng ý, ghi lý do vào trường consent_reason (ô «Lý do đồng ý»)."


@dataclass
class Prepared:
    request: Request
    plan: Plan
    content: DecisionContent
    warnings: list[tuple[str, str]]
    effective: dt.date


def prepare(session: Session, request: Request, *, today: dt.date) -> Prepared:
    """Check a request against the office on its effective date and word its decision."""
    planner = PLANNERS.get(type(request))
    if planner is None:
        raise RequestRefused([("unknown_action", f"Thao tác «{request.action}» chưa được hỗ trợ.")])
    effective = request.effective or today
    office = Office(session, effective)
    plan = planner(office, request)
    if not office.problems:
        check_result(office, plan)
    if office.problems:
        raise RequestRefused(office.problems)
    if plan.warnings and not request.consent_reason:
        raise RequestRefused([("consent_required", message + CONSENT_HINT) for _, message in plan.warnings])
    return Prepared(request, plan, compose(office, request, plan, effective), plan.warnings, effective)


def draft(session: Session, request: Request, *, actor: str, today: dt.date) -> tuple[Decision, list[str]]:
    prepared = prepare(session, request, today=today)
    decision = decisions.create_draft(session, action=request.action, content=prepared.content,
                                      request_json=request_to_json(request), effective_on=request.effective,
                                      actor=actor)
    return decision, [message for _, message in prepared.warnings]


def _apply_effects(session: Session, decision: Decision, effective: dt.date) -> None:
    request = load_request(decision.request or "{}")
    request.effective = effective
    prepared = prepare(session, request, today=effective)
    execute(session, prepared.plan, decision, effective)


for _action in ("found", "split", "upgrade", "consolidate", "absorb", "transfer", "receive", "hand_over", "dissolve"):
    decisions.EFFECTS[_action] = _apply_effects


def apply_request(session: Session, request: Request, *, actor: str, issue: bool,
                  today: dt.date) -> tuple[Decision, list[str]]:
    """Draft the request's decision and, if asked, issue it at once (one transaction: the caller's)."""
    decision, warnings = draft(session, request, actor=actor, today=today)
    if issue:
        decisions.issue(session, decision, on=today, actor=actor)
    return decision, warnings
