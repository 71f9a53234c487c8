"""A request run through its workflow: checked and worded, drafted as a decision, issued.

The request is prepared again at issue time from its stored JSON, so a draft that no longer fits the
organization tree (someone moved a member meanwhile) is refused instead of half-applied. Every function
works inside the caller's one transaction; the PDF renderer is handed in by the face that issues.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core import decisions
from khoi_desktop.core.decision_content import DecisionContent
from khoi_desktop.core.decisions import Effect, PdfRenderer
from khoi_desktop.core.errors import RequestRefused
from khoi_desktop.core.models import AuditEntry, Decision, DecisionStatus
from khoi_desktop.core.request_json import load_request, request_to_json
from khoi_desktop.core.requests import Request
from khoi_desktop.core.text import show_date
from khoi_desktop.core.wiring import preparer_for
from khoi_desktop.core.workflows.prepared import Prepared


def effective_date(request: Request, today: dt.date) -> dt.date:
    """A request without `effective` takes the issue date (for a recorded decision, its signing date)."""
    if request.effective is not None:
        return request.effective
    return request.recorded.signed_on if request.recorded is not None else today


def prepare(session: Session, request: Request, *, today: dt.date) -> Prepared:
    """Check a request against the office on its effective date and word its decision."""
    preparer = preparer_for(request)
    if preparer is None:
        raise RequestRefused([("unknown_action", f"Thao tác «{request.action}» chưa được hỗ trợ.")])
    prepared = preparer(session, request, effective_date(request, today))
    _check_effective(session, request, today)  # after: the area's own finding about the date comes first
    return prepared


def _check_effective(session: Session, request: Request, today: dt.date) -> None:
    """A typing slip like 9999-12-31 must not become a decision that takes effect in eight thousand years."""
    from khoi_desktop.core.request_json import field_name
    from khoi_desktop.core.settings import load_settings
    from khoi_desktop.core.text import show_date

    # A member action's day («on», «admitted_on») is its effect's date just as «effective» is: «9999-12-31»
    # drafted a leaving or an admission eight thousand years ahead.
    dates = [(name, value) for name in ("effective", "on", "admitted_on")
             if isinstance(value := getattr(request, name, None), dt.date)]
    if not dates:
        return
    days = load_settings(session).thresholds.effective_max_days_ahead
    limit = today + dt.timedelta(days=days)
    for name, value in dates:
        if value > limit:
            label = "ngày có hiệu lực" if name == "effective" else field_name(type(request), name)
            label = label[:1].upper() + label[1:]
            raise RequestRefused([("effective_too_far", f"{label} {show_date(value)} quá xa: chỉ được muộn nhất "
                                                        f"{days} ngày sau hôm nay ({show_date(limit)}).")])


def _draft(session: Session, request: Request, *, actor: str, today: dt.date) -> tuple[Decision, Prepared]:
    prepared = prepare(session, request, today=today)
    decision = decisions.create_draft(session, action=request.action, content=prepared.content,
                                      request_json=request_to_json(request), effective_on=request.effective,
                                      actor=actor, issuer_id=prepared.issuer_id)
    return decision, prepared


def draft(session: Session, request: Request, *, actor: str, today: dt.date) -> tuple[Decision, list[str]]:
    decision, prepared = _draft(session, request, actor=actor, today=today)
    return decision, [message for _, message in prepared.warnings]


# session.info key: the organizations founded by the last decision issued in this transaction.
CREATED = "khoi_desktop.apply.created"


def apply_effects(session: Session, decision: Decision, effective: dt.date) -> None:
    """The effect of issuing a request-made decision: prepare its stored request again, then carry it out.

    The wording is composed again for the effective date, so a draft made on 02/12 and issued on 20/12
    without an explicit date prints 20/12, the date its effects take.
    """
    request = load_request(decision.request or "{}")
    request.effective = effective
    prepared = prepare(session, request, today=effective)
    if prepared.issuer_id != decision.issuer_id:
        raise RequestRefused([("issuer_changed", "Tổ chức liên quan đã chuyển sang cấp ủy khác từ khi lập dự "
                                                 "thảo: cơ quan ban hành không còn đúng, hãy lập dự thảo mới.")])
    _reword(session, decision, prepared, effective)
    # A member decision takes effect on its event's day (Điều 1 «kể từ ngày …»), whatever its signing day.
    decisions.state_effective_date(decision, prepared.effective)
    _carry_out(session, prepared, decision, effective)


def _carry_out(session: Session, prepared: Prepared, decision: Decision, on: dt.date) -> None:
    prepared.apply(session, decision, on)
    session.info[CREATED] = list(prepared.created)


def created_orgs(session: Session) -> list[dict[str, str]]:
    """Code, name and kind of the organizations the last issued decision founded (CLI `apply --json`)."""
    return [{"code": o.code, "name": o.name, "kind": o.kind.value} for o in session.info.get(CREATED, [])]


def _reword(session: Session, decision: Decision, prepared: Prepared, effective: dt.date) -> None:
    """The draft's wording for the effective date: composed again, or, for a draft a clerk edited by hand,
    the same text with the date it was drafted for replaced by the effective date."""
    edited = session.scalars(select(AuditEntry.id).where(AuditEntry.action == "decision.edit",
                                                         AuditEntry.target == f"decision:{decision.id}")).first()
    if edited is None:
        decision.content = prepared.content.to_json()
        decision.subject = prepared.content.subject
        return
    drafted_for = decision.created_at.date()
    if drafted_for == effective:
        return
    content = DecisionContent.from_json(decision.content)
    old, new = show_date(drafted_for), show_date(effective)
    for article in content.articles:
        article.paragraphs = [p.replace(old, new) for p in article.paragraphs]
    decision.content = content.to_json()


def effect_of(decision: Decision) -> Effect | None:
    """What issuing the decision changes; a decision not made from a request is a document only."""
    return apply_effects if decision.request is not None else None


def issue_draft(session: Session, decision: Decision, *, on: dt.date, actor: str, render: PdfRenderer) -> Decision:
    """Issue a stored draft: number it, carry out its request (checked again) and keep its PDF."""
    return decisions.issue(session, decision, on=on, actor=actor, render=render, effect=effect_of(decision))


def apply_request(session: Session, request: Request, *, actor: str, today: dt.date,
                  issue: bool = False, render: PdfRenderer | None = None,
                  discard_how: Callable[[int], str] | None = None) -> tuple[Decision, list[str]]:
    """Draft the request's decision and, if asked, issue it at once (one transaction: the caller's).

    Drafted a moment ago in this very transaction, nothing can have changed: the check stands and its
    plan is carried out as prepared. `discard_how(draft id)` says how this face discards a draft (the command
    line's `discard FILE DRAFT`), added to the warning about the same request drafted twice.
    """
    decision, prepared = _draft(session, request, actor=actor, today=today)
    warnings = [message for _, message in prepared.warnings]
    if not issue:  # the same request drafted again (a script run twice): said, the clerk keeps one of them
        twin = session.scalars(select(Decision.id).where(
            Decision.status == DecisionStatus.DRAFT, Decision.request == decision.request, Decision.id != decision.id,
        ).order_by(Decision.id)).first()
        if twin is not None:
            how = f" Hủy bản thừa: {discard_how(decision.id)}." if discard_how is not None else ""
            warnings.append(f"Đã có dự thảo {twin} lập từ đúng yêu cầu này: dự thảo {decision.id} vừa lập là bản "
                            f"trùng: chỉ ban hành một trong hai.{how}")
    if issue:
        if render is None:
            raise TypeError("apply_request(issue=True) needs the PDF renderer (render=…)")

        def carry_out(s: Session, issued: Decision, on: dt.date) -> None:
            if on == prepared.effective:
                _carry_out(s, prepared, issued, on)
            else:
                apply_effects(s, issued, on)

        # A đảng ủy cơ sở's decision with its "recorded" part is recorded as signed that day.
        on = request.recorded.signed_on if request.recorded is not None else today
        decisions.issue(session, decision, on=on, actor=actor, render=render, effect=carry_out)
    return decision, warnings
