"""A member request prepared: planned against the office on the event's date, checked, worded; and its effects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session

from khoi_desktop.core.errors import RequestRefused
from khoi_desktop.core.member_entry import Joining, enter_members
from khoi_desktop.core.member_events.authority import deciding_bodies, subject_of
from khoi_desktop.core.member_events.exemptions import keep_latest_period
from khoi_desktop.core.member_events.models import MemberEvent, Readmission
from khoi_desktop.core.member_events.plan import MemberPlan, check_signed_after_probation
from khoi_desktop.core.member_events.requests import Admit, ConfirmFull, LeaveParty, LeaveReason
from khoi_desktop.core.member_events.wording import compose_member_decision
from khoi_desktop.core.models import Decision, Member
from khoi_desktop.core.requests import Request
from khoi_desktop.core.text import show_date
from khoi_desktop.core.workflows.execute import _arriving, execute
from khoi_desktop.core.workflows.issuer import decide_authority
from khoi_desktop.core.workflows.office import Office
from khoi_desktop.core.workflows.plan import Plan
from khoi_desktop.core.workflows.prepared import Prepared, Wire
from khoi_desktop.core.workflows.request_check import check_plan

R = TypeVar("R", bound=Request)

# A chi bộ under 3 full members after a death or a transfer, or over 30 after an admission: the event stands,
# the clerk is told (the same rule as `check`, which keeps reporting it until the chi bộ is put right).
NOTED_RULES = frozenset({"too_few_full_members"})


def _check(office: Office, member_plan: MemberPlan) -> list[tuple[str, str]]:
    before = len(office.problems)
    check_plan(office, member_plan.plan, ancestors=False)
    found = office.problems[before:]
    del office.problems[before:]
    office.problems.extend(p for p in found if p[0] not in NOTED_RULES)
    notes = [p for p in found if p[0] in NOTED_RULES]
    return notes + member_plan.plan.warnings + member_plan.notes


def carry_out(session: Session, member_plan: MemberPlan, decision: Decision, request: Request) -> None:
    """Memberships through the restructuring executor, then dates on the members and the events."""
    plan, day = member_plan.plan, member_plan.day
    execute(session, Plan(moves=plan.moves, leaves=plan.leaves), decision, day)
    arrived: list[Member] = []
    for arrival in plan.arrivals:
        assert isinstance(arrival.to, int)
        arrived += enter_members(session, [(_arriving(arrival.record),
                                            Joining(arrival.to, day, arrival.reason, decision_id=decision.id))],
                                 codes=[arrival.record.code] if arrival.record.code else None)
    for index, (first, gap) in member_plan.party_age.items():
        arrived[index].party_age_from, arrived[index].party_age_gap_days = first, gap
    for index, previous in member_plan.readmitted_from.items():
        session.add(Readmission(member_id=arrived[index].id, previous_member_id=previous))
    for member_id, full_on in member_plan.full_on.items():
        member = session.get(Member, member_id)
        assert member is not None
        member.full_member_on = full_on
    for member_id, exempt in member_plan.exempt.items():
        member = session.get(Member, member_id)
        assert member is not None
        if exempt:  # a new period: an earlier one, ended, stays in the member's events
            keep_latest_period(session, member.id, member.exempt_since, member.exempt_until)
            member.exempt_since, member.exempt_until = day, None
        else:  # the period is kept, so the member's status on a day inside it stays "miễn sinh hoạt"
            member.exempt_until = day
    for event in member_plan.events:
        member_id = arrived[event.arrival].id if event.arrival is not None else event.member.id  # type: ignore[union-attr]
        session.add(MemberEvent(member_id=member_id, kind=event.kind.value, on=day, decision_id=decision.id,
                                to_org_id=event.to_org_id, body=event.body, until=event.until, basis=request.basis))
    session.flush()


def member_action(request_type: type[R], planner: Callable[[Office, R], MemberPlan],
                  day_of: Callable[[R], dt.date]) -> Wire:
    """The preparer of one member action: the office on the event's date (admission, leaving …), its planner."""
    def prepare(session: Session, request: Request, effective: dt.date) -> Prepared:
        if not isinstance(request, request_type):
            raise TypeError(f"{planner.__name__} plans {request_type.__name__}, not {type(request).__name__}")
        office = Office(session, day_of(request))
        member_plan = planner(office, request)
        if isinstance(request, ConfirmFull):
            check_signed_after_probation(office, member_plan, effective)
        if isinstance(request, LeaveParty) and request.reason is LeaveReason.TU_TRAN and request.on > effective:
            for info in member_plan.members:  # a death is recorded once it happened, never ahead
                office.refuse("death_after_signing", f"Đảng viên {info.full_name} ({info.code}) từ trần ngày "
                                                     f"{show_date(request.on)}, sau ngày quyết định "
                                                     f"{show_date(effective)}: chỉ ghi việc từ trần đã xảy ra; hãy "
                                                     "kiểm tra lại ngày.")
        notes = _check(office, member_plan) if not office.problems else []
        if office.problems:
            raise RequestRefused(office.problems)
        if isinstance(request, Admit) and request.recorded is None and request.admitted_on < effective:
            # The ceremony follows the decision: an admission «kể từ ngày» before it is signed reads backdated.
            notes.append(("admitted_before_decision", f"Ngày kết nạp {show_date(request.admitted_on)} trước ngày "
                                                      f"quyết định {show_date(effective)}: quyết định sẽ ghi kết nạp "
                                                      "từ một ngày trước khi ký; lễ kết nạp tổ chức sau khi có quyết "
                                                      "định. Kiểm tra lại ngày (trừ khi nhập lại một việc đã qua)."))
        office.authority = decide_authority(office, request, deciding_bodies(office, request, member_plan),
                                            subject_of(office, member_plan))
        content = compose_member_decision(office, request, member_plan)
        return Prepared(request, content, notes, member_plan.day,
                        apply=lambda s, decision, _on: carry_out(s, member_plan, decision, request),
                        issuer_id=office.authority.issuer_id)

    return Wire(request_type, prepare)
