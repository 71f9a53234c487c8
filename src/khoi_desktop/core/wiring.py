"""The one place that joins each action to its request type and to the function that prepares it.

A prepared request carries its decision's words (the wording of its area, after the action's template)
and the effects to carry out when the decision is issued. Adding an action: a request type, a planner, a
wording template, a member of core.actions.Action, and one line below.
"""

from __future__ import annotations

from dataclasses import dataclass

from khoi_desktop.core.actions import Action
from khoi_desktop.core.appointments.requests import Appoint, ApproveElection, EndSeat
from khoi_desktop.core.appointments.workflow import prepare_appoint, prepare_election, prepare_end_seat
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
from khoi_desktop.core.workflows.prepared import Preparer
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


@dataclass(frozen=True)
class Wire:
    request: type[Request]
    prepare: Preparer


WIRING: dict[Action, Wire] = {
    Action.FOUND: Wire(Found, restructuring(Found, plan_found)),
    Action.SPLIT: Wire(Split, restructuring(Split, plan_split)),
    Action.UPGRADE: Wire(Upgrade, restructuring(Upgrade, plan_upgrade)),
    Action.CONSOLIDATE: Wire(Consolidate, restructuring(Consolidate, plan_consolidate)),
    Action.ABSORB: Wire(Absorb, restructuring(Absorb, plan_absorb)),
    Action.TRANSFER: Wire(Transfer, restructuring(Transfer, plan_transfer)),
    Action.RECEIVE: Wire(Receive, restructuring(Receive, plan_receive)),
    Action.HAND_OVER: Wire(HandOver, restructuring(HandOver, plan_hand_over)),
    Action.DISSOLVE: Wire(Dissolve, restructuring(Dissolve, plan_dissolve)),
    Action.APPOINT: Wire(Appoint, prepare_appoint),
    Action.APPROVE_ELECTION: Wire(ApproveElection, prepare_election),
    Action.END_SEAT: Wire(EndSeat, prepare_end_seat),
}

_BY_KEY: dict[str, Wire] = {action.value: wire for action, wire in WIRING.items()}
# The request type of each action key, as read from JSON.
REQUEST_TYPES: dict[str, type[Request]] = {key: wire.request for key, wire in _BY_KEY.items()}


def preparer_for(request: Request) -> Preparer | None:
    wire = _BY_KEY.get(request.action)
    return wire.prepare if wire is not None and isinstance(request, wire.request) else None
