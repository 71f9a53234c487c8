"""Appointment requests as typed data (CLI.md: appoint, approve_election, end_seat); wired with the other
workflow requests in core/wiring.py, so that `apply` and the GUI read and store them the same way."""

from __future__ import annotations

from dataclasses import dataclass, field

from khoi_desktop.core.models import SeatRole
from khoi_desktop.core.requests import Request

APPOINT, APPROVE_ELECTION, END_SEAT = "appoint", "approve_election", "end_seat"
# Decisions that appoint or approve (the term summary counts these); end_seat only ends seats.
APPOINTING_ACTIONS = (APPOINT, APPROVE_ELECTION)
ACTIONS = (APPOINT, APPROVE_ELECTION, END_SEAT)

MODES = {"chi_dinh": "chỉ định", "chuan_y": "chuẩn y"}
ROLE_VALUES = [r.value for r in SeatRole]
# Usual reasons for ending a seat; any other text is printed as written.
END_REASONS = {
    "nghi_huu": "nghỉ hưu theo chế độ",
    "chuyen_cong_tac": "chuyển công tác",
    "cach_chuc": "bị kỷ luật cách chức",
    "xin_thoi": "theo nguyện vọng cá nhân",
    "tu_tran": "từ trần",
}


@dataclass
class Seat:
    """One person in one role; a Bí thư is also listed as cap_uy_vien when the body has a committee."""

    member: str
    role: str


@dataclass
class Appoint(Request):
    mode: str = ""  # chi_dinh | chuan_y
    org: str = ""
    term: str = ""  # the organization's term, "2025-2030"
    seats: list[Seat] = field(default_factory=list)
    override_reason: str | None = None  # why exceeding the congress-set size is truly necessary
    submission: str | None = None  # register number ("15-TTr/ĐU") or id of the submission answered


@dataclass
class ApproveElection(Request):
    org: str = ""
    term: str = ""
    committee_size: int | None = None  # set by the congress; none for a chi bộ without chi ủy
    seats: list[Seat] = field(default_factory=list)
    submission: str | None = None


@dataclass
class EndSeat(Request):
    org: str = ""
    member: str = ""
    role: str = ""
    reason: str = ""  # a key of END_REASONS or free text
    submission: str | None = None


def reason_text(reason: str) -> str:
    return END_REASONS.get(reason, reason)

