"""The member_events table: one row per event in a member's party life, with the decision behind it."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from khoi_desktop.core.models import Base


class EventKind(enum.StrEnum):
    KET_NAP = "ket_nap"  # admitted
    CHINH_THUC = "chinh_thuc"  # recognized as full member
    CHUYEN_DEN = "chuyen_den"  # received from an outside body
    CHUYEN_SINH_HOAT = "chuyen_sinh_hoat"  # moved between chi bộ of this office
    CHUYEN_DI = "chuyen_di"  # transferred out of the office
    TAM_THOI = "tam_thoi"  # temporary transfer (sinh hoạt tạm thời); the membership stays
    TU_TRAN = "tu_tran"
    XIN_RA = "xin_ra"
    XOA_TEN = "xoa_ten"
    KHAI_TRU = "khai_tru"
    MIEN_SINH_HOAT = "mien_sinh_hoat"
    HET_MIEN = "het_mien"  # exemption ended

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]


EVENT_LABELS = {
    EventKind.KET_NAP: "Kết nạp", EventKind.CHINH_THUC: "Công nhận đảng viên chính thức",
    EventKind.CHUYEN_DEN: "Tiếp nhận sinh hoạt đảng", EventKind.CHUYEN_SINH_HOAT: "Chuyển sinh hoạt trong Đảng bộ",
    EventKind.CHUYEN_DI: "Chuyển sinh hoạt đảng chính thức ra ngoài",
    EventKind.TAM_THOI: "Chuyển sinh hoạt đảng tạm thời", EventKind.TU_TRAN: "Từ trần",
    EventKind.XIN_RA: "Xin ra khỏi Đảng", EventKind.XOA_TEN: "Xóa tên", EventKind.KHAI_TRU: "Khai trừ",
    EventKind.MIEN_SINH_HOAT: "Miễn sinh hoạt", EventKind.HET_MIEN: "Thôi miễn sinh hoạt",
}

LEAVING = frozenset({EventKind.TU_TRAN, EventKind.XIN_RA, EventKind.XOA_TEN, EventKind.KHAI_TRU})
TRANSFERS = frozenset({EventKind.CHUYEN_SINH_HOAT, EventKind.CHUYEN_DI, EventKind.TAM_THOI})


class MemberEvent(Base):
    __tablename__ = "member_events"
    __table_args__ = (Index("ix_member_events_member_on", "member_id", "on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    kind: Mapped[str] = mapped_column(String(32), index=True)
    on: Mapped[dt.date] = mapped_column(Date, index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    to_org_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    body: Mapped[str | None] = mapped_column(String(300))  # the outside body, to or from
    until: Mapped[dt.date | None] = mapped_column(Date)  # end of a temporary transfer
    basis: Mapped[str | None] = mapped_column(Text)
    # Giấy giới thiệu sinh hoạt đảng of a transfer out: its number in the outgoing register, its slip's return.
    letter_number: Mapped[int | None] = mapped_column(Integer)
    letter_code: Mapped[str | None] = mapped_column(String(40))
    slip_returned_on: Mapped[dt.date | None] = mapped_column(Date)


class Readmission(Base):
    """A member re-admitted (kết nạp lại, once only) after leaving: the new record and the one it continues.

    The new record starts the new membership (probation, its own dates, so past figures keep the old record's
    dates); this link joins the two histories, and the interruption between them is not party age."""

    __tablename__ = "member_readmissions"
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    previous_member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
