"""The one place that joins each action to its request type and to the function that prepares it.

A prepared request carries its decision's words (the action's wording template, filled by its values
function) and the effects to carry out when the decision is issued. Adding a restructuring action: a
request type (core/requests.py), a planner (workflows/restructure.py), a wording template and its values
(core/wording/templates.py, workflows/wording.py), its name in core.actions.Action, and one line below.
"""

from __future__ import annotations

from khoi_desktop.core.actions import Action
from khoi_desktop.core.appointments.eligibility import check_appoint, check_election, check_end_seat
from khoi_desktop.core.appointments.requests import Appoint, ApproveElection, EndSeat
from khoi_desktop.core.appointments.wording import compose_appoint, compose_election, compose_end_seat
from khoi_desktop.core.appointments.workflow import seat_action
from khoi_desktop.core.member_events.plan import (
    plan_admit,
    plan_confirm_full,
    plan_end_exemption,
    plan_exempt,
    plan_leave,
    plan_receive_member,
    plan_transfer_member,
)
from khoi_desktop.core.member_events.prepare import member_action
from khoi_desktop.core.member_events.requests import (
    Admit,
    ConfirmFull,
    EndExemption,
    Exempt,
    LeaveParty,
    ReceiveMember,
    TransferMember,
)
from khoi_desktop.core.ratings.decision import RECOGNIZE_RATINGS
from khoi_desktop.core.requests import (
    Absorb,
    Consolidate,
    Dissolve,
    Found,
    HandOver,
    Receive,
    Request,
    Split,
    Transfer,
    Upgrade,
)
from khoi_desktop.core.workflows.prepare import restructuring
from khoi_desktop.core.workflows.prepared import Preparer, Wire
from khoi_desktop.core.workflows.restructure import (
    plan_absorb,
    plan_consolidate,
    plan_dissolve,
    plan_found,
    plan_hand_over,
    plan_receive,
    plan_split,
    plan_transfer,
    plan_upgrade,
)
from khoi_desktop.core.workflows.wording import (
    absorb_values,
    consolidate_values,
    dissolve_values,
    found_values,
    hand_over_values,
    receive_values,
    split_values,
    transfer_values,
    upgrade_values,
)

WIRING: dict[Action, Wire] = {
    Action.FOUND: restructuring(Found, plan_found, found_values),
    Action.SPLIT: restructuring(Split, plan_split, split_values),
    Action.UPGRADE: restructuring(Upgrade, plan_upgrade, upgrade_values),
    Action.CONSOLIDATE: restructuring(Consolidate, plan_consolidate, consolidate_values),
    Action.ABSORB: restructuring(Absorb, plan_absorb, absorb_values),
    Action.TRANSFER: restructuring(Transfer, plan_transfer, transfer_values),
    Action.RECEIVE: restructuring(Receive, plan_receive, receive_values),
    Action.HAND_OVER: restructuring(HandOver, plan_hand_over, hand_over_values),
    Action.DISSOLVE: restructuring(Dissolve, plan_dissolve, dissolve_values),
    Action.APPOINT: seat_action(Appoint, check_appoint, compose_appoint),
    Action.APPROVE_ELECTION: seat_action(ApproveElection, check_election, compose_election),
    Action.END_SEAT: seat_action(EndSeat, check_end_seat, compose_end_seat),
    Action.RECOGNIZE_RATINGS: RECOGNIZE_RATINGS,
    Action.ADMIT: member_action(Admit, plan_admit, lambda r: r.admitted_on),
    Action.CONFIRM_FULL: member_action(ConfirmFull, plan_confirm_full, lambda r: r.on),
    Action.LEAVE: member_action(LeaveParty, plan_leave, lambda r: r.on),
    Action.EXEMPT: member_action(Exempt, plan_exempt, lambda r: r.on),
    Action.END_EXEMPTION: member_action(EndExemption, plan_end_exemption, lambda r: r.on),
    Action.TRANSFER_MEMBER: member_action(TransferMember, plan_transfer_member, lambda r: r.on),
    Action.RECEIVE_MEMBER: member_action(ReceiveMember, plan_receive_member, lambda r: r.on),
}

_BY_KEY: dict[str, Wire] = {action.value: wire for action, wire in WIRING.items()}
# The request type of each action key, as read from JSON.
REQUEST_TYPES: dict[str, type[Request]] = {key: wire.request for key, wire in _BY_KEY.items()}


def preparer_for(request: Request) -> Preparer | None:
    wire = _BY_KEY.get(request.action)
    return wire.prepare if wire is not None and isinstance(request, wire.request) else None
