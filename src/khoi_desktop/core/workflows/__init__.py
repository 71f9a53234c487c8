"""Decision workflows: a request is checked, drafted as a decision, and applied when issued.

The request is prepared again at issue time from its stored JSON, so a draft that no longer fits the
organization tree (someone moved a member meanwhile) is refused instead of half-applied.
"""

from __future__ import annotations

import datetime as dt
import importlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core import decisions
from khoi_desktop.core.decision_content import DecisionContent
from khoi_desktop.core.errors import RequestRefused
from khoi_desktop.core.models import AuditEntry, Decision
from khoi_desktop.core.requests import REQUEST_TYPES, Request, load_request, request_to_json
from khoi_desktop.core.text import show_date
from khoi_desktop.core.workflows.execute import execute
from khoi_desktop.core.workflows.issuer import decide_authority
from khoi_desktop.core.workflows.office import Office
from khoi_desktop.core.workflows.plan import Plan
from khoi_desktop.core.workflows.prepared import PREPARER_MODULES, PREPARERS, Prepared
from khoi_desktop.core.workflows.request_check import check_plan, concerned_bodies
from khoi_desktop.core.workflows.restructure import PLANNERS
from khoi_desktop.core.workflows.wording import compose

CONSENT_HINT = " Nếu cấp ủy cấp trên đồng ý, ghi lý do vào trường consent_reason (ô «Lý do đồng ý»)."


def prepare_restructuring(session: Session, request: Request, effective: dt.date) -> Prepared:
    office = Office(session, effective)
    plan = PLANNERS[type(request)](office, request)
    if not office.problems:
        check_plan(office, plan)
    if not office.problems:
        office.check_no_later_change(plan_org_ids(plan), plan_member_ids(plan))
    if office.problems:
        raise RequestRefused(office.problems)
    office.authority = decide_authority(office, request, concerned_bodies(office, plan), subject_of(office, plan))
    if plan.warnings and not request.consent_reason:
        raise RequestRefused([("consent_required", message + CONSENT_HINT) for _, message in plan.warnings])
    return Prepared(request, compose(office, request, plan, effective), plan.warnings, effective,
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


for _type in PLANNERS:
    PREPARERS[_type] = prepare_restructuring


def _load_areas() -> None:
    for module in PREPARER_MODULES:
        importlib.import_module(module)


def effective_date(request: Request, today: dt.date) -> dt.date:
    """A request without `effective` takes the issue date (for a recorded decision, its signing date)."""
    if request.effective is not None:
        return request.effective
    return request.recorded.signed_on if request.recorded is not None else today


def prepare(session: Session, request: Request, *, today: dt.date) -> Prepared:
    """Check a request against the office on its effective date and word its decision."""
    _load_areas()
    preparer = PREPARERS.get(type(request))
    if preparer is None:
        raise RequestRefused([("unknown_action", f"Thao tác «{request.action}» chưa được hỗ trợ.")])
    return preparer(session, request, effective_date(request, today))


def _draft(session: Session, request: Request, *, actor: str, today: dt.date) -> tuple[Decision, Prepared]:
    prepared = prepare(session, request, today=today)
    decision = decisions.create_draft(session, action=request.action, content=prepared.content,
                                      request_json=request_to_json(request), effective_on=request.effective,
                                      actor=actor, issuer_id=prepared.issuer_id)
    return decision, prepared


def draft(session: Session, request: Request, *, actor: str, today: dt.date) -> tuple[Decision, list[str]]:
    decision, prepared = _draft(session, request, actor=actor, today=today)
    return decision, [message for _, message in prepared.warnings]


# session.info key: (decision id, Prepared) of a draft issued in the same transaction that drafted it.
_JUST_PREPARED = "khoi_desktop.workflows.just_prepared"
# session.info key: the organizations founded by the last decision issued in this transaction.
CREATED = "khoi_desktop.workflows.created"


def apply_effects(session: Session, decision: Decision, effective: dt.date) -> None:
    """The effect of issuing any request-made decision: prepare it again, then carry it out.

    The wording is composed again for the effective date, so a draft made on 02/12 and issued on 20/12
    without an explicit date prints 20/12, the date its effects take.
    """
    just = session.info.get(_JUST_PREPARED)
    if just is not None and just[0] == decision.id and just[1].effective == effective:
        # Drafted a moment ago in this very transaction: nothing can have changed, the check stands.
        prepared = just[1]
    else:
        _load_areas()
        request = load_request(decision.request or "{}")
        request.effective = effective
        prepared = prepare(session, request, today=effective)
        if prepared.issuer_id != decision.issuer_id:
            raise RequestRefused([("issuer_changed", "Tổ chức liên quan đã chuyển sang cấp ủy khác từ khi lập dự "
                                                     "thảo: cơ quan ban hành không còn đúng, hãy lập dự thảo mới.")])
        _reword(session, decision, prepared, effective)
    prepared.apply(session, decision, effective)
    session.info[CREATED] = list(prepared.created)


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


def apply_request(session: Session, request: Request, *, actor: str, issue: bool,
                  today: dt.date) -> tuple[Decision, list[str]]:
    """Draft the request's decision and, if asked, issue it at once (one transaction: the caller's).

    A decision of a đảng ủy cơ sở with its "recorded" part is recorded instead of issued."""
    decision, prepared = _draft(session, request, actor=actor, today=today)
    if issue:
        session.info[_JUST_PREPARED] = (decision.id, prepared)
        try:
            on = request.recorded.signed_on if request.recorded is not None else today
            decisions.issue(session, decision, on=on, actor=actor)
        finally:
            session.info.pop(_JUST_PREPARED, None)
    return decision, [message for _, message in prepared.warnings]


def created_orgs(session: Session) -> list[dict[str, str]]:
    """Code, name and kind of the organizations the last issued decision founded (CLI `apply --json`)."""
    return [{"code": o.code, "name": o.name, "kind": o.kind.value} for o in session.info.get(CREATED, [])]


decisions.DEFAULT_EFFECT = apply_effects
_load_areas()
__all__ = ["REQUEST_TYPES", "Prepared", "apply_effects", "apply_request", "created_orgs", "draft", "prepare"]
