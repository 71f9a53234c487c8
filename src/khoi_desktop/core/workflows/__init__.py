"""Decision workflows: a request is checked, drafted as a decision, and applied when issued.

The request is prepared again at issue time from its stored JSON, so a draft that no longer fits the
organization tree (someone moved a member meanwhile) is refused instead of half-applied.
"""

from __future__ import annotations

import datetime as dt
import importlib

from sqlalchemy.orm import Session

from khoi_desktop.core import decisions
from khoi_desktop.core.errors import RequestRefused
from khoi_desktop.core.models import Decision
from khoi_desktop.core.requests import REQUEST_TYPES, Request, load_request, request_to_json
from khoi_desktop.core.workflows.crossing import crossing_notes
from khoi_desktop.core.workflows.execute import execute
from khoi_desktop.core.workflows.office import Office
from khoi_desktop.core.workflows.plan import check_result
from khoi_desktop.core.workflows.prepared import PREPARER_MODULES, PREPARERS, Prepared
from khoi_desktop.core.workflows.restructure import PLANNERS
from khoi_desktop.core.workflows.wording import compose

CONSENT_HINT = " Nếu cấp ủy cấp trên đồng ý, ghi lý do vào ô «Lý do đồng ý»."


def prepare_restructuring(session: Session, request: Request, effective: dt.date) -> Prepared:
    office = Office(session, effective)
    plan = PLANNERS[type(request)](office, request)
    if not office.problems:
        check_result(office, plan)
    if office.problems:
        raise RequestRefused(office.problems)
    if plan.warnings and not request.consent_reason:
        raise RequestRefused([("consent_required", message + CONSENT_HINT) for _, message in plan.warnings])
    notes = crossing_notes(office, plan)  # worth a word, not a consent
    return Prepared(request, compose(office, request, plan, effective), plan.warnings + notes, effective,
                    apply=lambda s, decision, on: execute(s, plan, decision, on))


for _type in PLANNERS:
    PREPARERS[_type] = prepare_restructuring


def _load_areas() -> None:
    for module in PREPARER_MODULES:
        importlib.import_module(module)


def prepare(session: Session, request: Request, *, today: dt.date) -> Prepared:
    """Check a request against the office on its effective date and word its decision."""
    _load_areas()
    preparer = PREPARERS.get(type(request))
    if preparer is None:
        raise RequestRefused([("unknown_action", f"Thao tác «{request.action}» chưa được hỗ trợ.")])
    prepared = preparer(session, request, request.effective or today)
    _check_effective(session, request, today)  # after: the area's own finding about the date comes first
    return prepared


def _check_effective(session: Session, request: Request, today: dt.date) -> None:
    """A typing slip like 9999-12-31 must not become a decision that takes effect in eight thousand years."""
    from khoi_desktop.core.settings import load_settings
    from khoi_desktop.core.text import show_date

    if request.effective is None:
        return
    days = load_settings(session).thresholds.effective_max_days_ahead
    if request.effective > today + dt.timedelta(days=days):
        raise RequestRefused([("effective_too_far", f"Ngày có hiệu lực {show_date(request.effective)} quá xa: "
                                                    f"chỉ được muộn nhất {days} ngày sau hôm nay "
                                                    f"({show_date(today + dt.timedelta(days=days))}).")])


def _draft(session: Session, request: Request, *, actor: str, today: dt.date) -> tuple[Decision, Prepared]:
    prepared = prepare(session, request, today=today)
    decision = decisions.create_draft(session, action=request.action, content=prepared.content,
                                      request_json=request_to_json(request), effective_on=request.effective,
                                      actor=actor)
    return decision, prepared


def draft(session: Session, request: Request, *, actor: str, today: dt.date) -> tuple[Decision, list[str]]:
    decision, prepared = _draft(session, request, actor=actor, today=today)
    return decision, [message for _, message in prepared.warnings]


# session.info key: (decision id, Prepared) of a draft issued in the same transaction that drafted it.
_JUST_PREPARED = "khoi_desktop.workflows.just_prepared"


def apply_effects(session: Session, decision: Decision, effective: dt.date) -> None:
    """The effect of issuing any request-made decision: prepare it again, then carry it out."""
    just = session.info.get(_JUST_PREPARED)
    if just is not None and just[0] == decision.id and just[1].effective == effective:
        # Drafted a moment ago in this very transaction: nothing can have changed, the check stands.
        just[1].apply(session, decision, effective)
        return
    _load_areas()
    request = load_request(decision.request or "{}")
    request.effective = effective
    prepare(session, request, today=effective).apply(session, decision, effective)


def apply_request(session: Session, request: Request, *, actor: str, issue: bool,
                  today: dt.date) -> tuple[Decision, list[str]]:
    """Draft the request's decision and, if asked, issue it at once (one transaction: the caller's)."""
    decision, prepared = _draft(session, request, actor=actor, today=today)
    if issue:
        session.info[_JUST_PREPARED] = (decision.id, prepared)
        try:
            decisions.issue(session, decision, on=today, actor=actor)
        finally:
            session.info.pop(_JUST_PREPARED, None)
    return decision, [message for _, message in prepared.warnings]


decisions.DEFAULT_EFFECT = apply_effects
_load_areas()
__all__ = ["REQUEST_TYPES", "Prepared", "apply_effects", "apply_request", "draft", "prepare"]
