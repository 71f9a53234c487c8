"""A request run through its workflow: checked and worded, drafted as a decision, issued.

The request is prepared again at issue time from its stored JSON, so a draft that no longer fits the
organization tree (someone moved a member meanwhile) is refused instead of half-applied. Every function
works inside the caller's one transaction; the PDF renderer is handed in by the face that issues.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from khoi_desktop.core import decisions
from khoi_desktop.core.decisions import Effect, PdfRenderer
from khoi_desktop.core.errors import RequestRefused
from khoi_desktop.core.models import Decision
from khoi_desktop.core.request_json import load_request, request_to_json
from khoi_desktop.core.requests import Request
from khoi_desktop.core.wiring import preparer_for
from khoi_desktop.core.workflows.prepared import Prepared


def prepare(session: Session, request: Request, *, today: dt.date) -> Prepared:
    """Check a request against the office on its effective date and word its decision."""
    preparer = preparer_for(request)
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


def apply_effects(session: Session, decision: Decision, effective: dt.date) -> None:
    """The effect of issuing a request-made decision: prepare its stored request again, then carry it out."""
    request = load_request(decision.request or "{}")
    request.effective = effective
    prepare(session, request, today=effective).apply(session, decision, effective)


def effect_of(decision: Decision) -> Effect | None:
    """What issuing the decision changes; a decision not made from a request is a document only."""
    return apply_effects if decision.request is not None else None


def issue_draft(session: Session, decision: Decision, *, on: dt.date, actor: str, render: PdfRenderer) -> Decision:
    """Issue a stored draft: number it, carry out its request (checked again) and keep its PDF."""
    return decisions.issue(session, decision, on=on, actor=actor, render=render, effect=effect_of(decision))


def apply_request(session: Session, request: Request, *, actor: str, today: dt.date,
                  issue: bool = False, render: PdfRenderer | None = None) -> tuple[Decision, list[str]]:
    """Draft the request's decision and, if asked, issue it at once (one transaction: the caller's).

    Drafted a moment ago in this very transaction, nothing can have changed: the check stands and its
    plan is carried out as prepared.
    """
    decision, prepared = _draft(session, request, actor=actor, today=today)
    if issue:
        if render is None:
            raise TypeError("apply_request(issue=True) needs the PDF renderer (render=…)")

        def carry_out(s: Session, issued: Decision, on: dt.date) -> None:
            if on == prepared.effective:
                prepared.apply(s, issued, on)
            else:
                apply_effects(s, issued, on)

        decisions.issue(session, decision, on=today, actor=actor, render=render, effect=carry_out)
    return decision, [message for _, message in prepared.warnings]
