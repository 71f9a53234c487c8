"""Requests of the member actions as typed data (read from JSON by core/request_json.py)."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from khoi_desktop.core.models import Sex
from khoi_desktop.core.requests import MemberRecord, Request


class LeaveReason(enum.StrEnum):
    TU_TRAN = "tu_tran"
    XIN_RA = "xin_ra"
    XOA_TEN = "xoa_ten"
    KHAI_TRU = "khai_tru"

    @property
    def label(self) -> str:
        return {"tu_tran": "từ trần", "xin_ra": "xin ra khỏi Đảng", "xoa_ten": "xóa tên",
                "khai_tru": "khai trừ"}[self]


@dataclass(kw_only=True)
class Person:
    """Someone to be admitted: the core of form 2-HSĐV."""

    family_name: str
    middle_name: str = ""  # some names have none («Lê Na»): left out of the JSON like "" (CLI.md lists it)
    given_name: str
    birth_date: dt.date
    sex: Sex
    national_id: str | None = None
    job_title: str | None = None
    # Re-admission (kết nạp lại) of someone whose first membership is not in this file: the first admission
    # and the days outside the Party, for the party age (a member who left in this file is found by name).
    first_admitted_on: dt.date | None = None
    gap_days: int | None = None
    # The code an authorized đảng ủy cơ sở gave the member in its grassroots database (core/exchange): the
    # office records its decision under the same code, so both databases name the member alike.
    code: str | None = None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.family_name, self.middle_name, self.given_name) if p)


@dataclass(kw_only=True)
class Admit(Request):
    org: str
    admitted_on: dt.date
    person: Person | None = None
    people: list[Person] = field(default_factory=list)
    introducers: list[str] = field(default_factory=list)

    def everyone(self) -> list[Person]:
        return ([self.person] if self.person is not None else []) + list(self.people)


@dataclass(kw_only=True)
class ConfirmFull(Request):
    on: dt.date
    member: str | None = None
    members: list[str] = field(default_factory=list)

    def codes(self) -> list[str]:
        return ([self.member] if self.member else []) + list(self.members)


@dataclass(kw_only=True)
class LeaveParty(Request):
    member: str
    reason: LeaveReason
    on: dt.date


@dataclass(kw_only=True)
class Exempt(Request):
    member: str
    on: dt.date


@dataclass(kw_only=True)
class EndExemption(Request):
    member: str
    on: dt.date


@dataclass(kw_only=True)
class TransferMember(Request):
    member: str
    on: dt.date
    to: str | None = None  # a chi bộ of this office
    to_body: str | None = None  # or a body outside it
    temporary: bool = False
    until: dt.date | None = None


@dataclass(kw_only=True)
class ReceiveMember(Request):
    from_body: str
    org: str
    on: dt.date
    person: MemberRecord
    # Party age of an interrupted membership, as the giấy giới thiệu and the record say: the first admission
    # of a re-admitted member (None: the admission date) and the days outside party life, not counted.
    first_admitted_on: dt.date | None = None
    gap_days: int | None = None
