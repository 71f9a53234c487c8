"""Appointment requests as typed data (CLI.md: appoint, approve_election, end_seat); wired with the other
workflow requests in core/wiring.py, so that `apply` and the GUI read and store them the same way."""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass

from khoi_desktop.core.actions import Action
from khoi_desktop.core.models import SeatRole
from khoi_desktop.core.requests import Request

APPOINT, APPROVE_ELECTION, END_SEAT = Action.APPOINT, Action.APPROVE_ELECTION, Action.END_SEAT
# Decisions that appoint or approve (the term summary counts these); end_seat only ends seats.
APPOINTING_ACTIONS = (APPOINT, APPROVE_ELECTION)
ACTIONS = (APPOINT, APPROVE_ELECTION, END_SEAT)



class AppointMode(enum.StrEnum):
    CHI_DINH = "chi_dinh"  # the superior decides who
    CHUAN_Y = "chuan_y"  # the superior approves whom the organization chose

    @property
    def label(self) -> str:
        return "chỉ định" if self is AppointMode.CHI_DINH else "chuẩn y"


# Usual reasons for ending a seat; any other text is printed as written.
END_REASONS = {
    "nghi_huu": "nghỉ hưu theo chế độ",
    "chuyen_cong_tac": "chuyển công tác",
    "cach_chuc": "bị kỷ luật cách chức",
    "xin_thoi": "theo nguyện vọng cá nhân",
    "tu_tran": "từ trần",
}


@dataclass(kw_only=True)
class Seat:
    """One person in one role; a Bí thư is also listed as cap_uy_vien when the body has a committee."""

    member: str
    role: SeatRole


@dataclass(kw_only=True)
class Appoint(Request):
    mode: AppointMode
    org: str
    term: str  # the organization's term, "2025-2030"
    seats: list[Seat]
    override_reason: str | None = None  # why exceeding the congress-set size is truly necessary
    submission: str | None = None  # register number ("15-TTr/ĐU") or id of the submission answered


@dataclass(kw_only=True)
class ApproveElection(Request):
    org: str
    term: str
    committee_size: int | None = None  # set by the congress; none for a chi bộ without chi ủy
    seats: list[Seat]
    submission: str | None = None
    # The congress's day, printed «tại Đại hội … (ngày …)»; without it the effective date, when given, is taken
    # as the congress's (the new committee starts on it).
    congress_on: dt.date | None = None


@dataclass(kw_only=True)
class EndSeat(Request):
    org: str
    member: str
    role: SeatRole
    reason: str  # a key of END_REASONS or free text
    submission: str | None = None
    # Ending a Bí thư's (or Phó Bí thư's, BTV) seat: whether they also leave the committee.
    leave_committee: bool = False


def reason_text(reason: str) -> str:
    return END_REASONS.get(end_reason_code(reason) or "", reason)


def end_reason_code(reason: str) -> str | None:
    """The END_REASONS key a reason names, read as request enums are («Nghi_Huu», «nghi-huu»); None for free text.
    A word of letters, digits and «_»/«-» only (no space, no Vietnamese letter) is taken as a code: «nghi_hu» is a
    typo of one, not a reason to print in a decision (see unknown_end_reason)."""
    text = reason.strip()
    if not re.fullmatch(r"[A-Za-z0-9_-]+", text):
        return None
    return text.lower().replace("-", "_")


def unknown_end_reason(reason: str) -> str | None:
    """The refusal's text when a code-like reason is none of END_REASONS."""
    code = end_reason_code(reason)
    if code is None or code in END_REASONS:
        return None
    known = ", ".join(f"{key} ({text})" for key, text in END_REASONS.items())
    return (f"Không có lý do thôi giữ chức mã «{reason.strip()}»: hãy ghi một trong các mã {known}, hoặc ghi lý do "
            "thành câu chữ (ví dụ «do thay đổi vị trí công tác»), câu đó được in nguyên văn trong quyết định.")

