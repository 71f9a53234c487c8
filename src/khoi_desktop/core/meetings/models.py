"""Chi bộ meetings (sinh hoạt chi bộ): one row per meeting, one row per member's attendance.

Sized for a province: at scale 20 about 110.000 meetings a year and 1,3 million attendance rows. The
month status of the whole office reads one index range of `meetings` (month, kind); a chi bộ's year reads
another (org, month). Attendance counts are kept on the meeting row, so year summaries never scan the
attendance table; the attendance table is keyed by (meeting, member) without a rowid.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from khoi_desktop.core.models import Base, _enum


class MeetingKind(enum.StrEnum):
    THUONG_KY = "thuong_ky"  # the regular monthly meeting
    CHUYEN_DE = "chuyen_de"  # the thematic meeting, at least once a quarter

    @property
    def label(self) -> str:
        return "Thường kỳ" if self is MeetingKind.THUONG_KY else "Chuyên đề"


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"
    ABSENT = "absent"  # with a reason (valid) or without one (counts towards Điều 8)
    EXCUSED = "excused"  # miễn sinh hoạt

    @property
    def label(self) -> str:
        return {"present": "Có mặt", "absent": "Vắng", "excused": "Miễn sinh hoạt"}[self]


class Rating(enum.StrEnum):
    TOT = "tot"
    KHA = "kha"
    TRUNG_BINH = "trung_binh"
    KEM = "kem"

    @property
    def label(self) -> str:
        return {"tot": "Tốt", "kha": "Khá", "trung_binh": "Trung bình", "kem": "Kém"}[self]


class Meeting(Base):
    __tablename__ = "meetings"
    __table_args__ = (
        UniqueConstraint("org_id", "month", "kind", name="uq_meetings_org_month_kind"),
        # Covers the month status, the year summary and the findings: read from the index alone, without a
        # lookup into the table per meeting (a third of the time at scale 20, bench/meetings.py).
        Index("ix_meetings_month_cover", "month", "org_id", "kind", "held_on", "rating", "expected", "present"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    month: Mapped[dt.date] = mapped_column(Date)  # first day of the month the meeting belongs to
    kind: Mapped[MeetingKind] = mapped_column(_enum(MeetingKind, "meeting_kind"))
    planned_on: Mapped[dt.date | None] = mapped_column(Date)
    held_on: Mapped[dt.date | None] = mapped_column(Date)  # None = planned, not held (yet)
    topic: Mapped[str | None] = mapped_column(String(500))
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    summary: Mapped[str | None] = mapped_column(Text)
    resolutions: Mapped[str | None] = mapped_column(Text)
    scores: Mapped[str | None] = mapped_column(Text)  # JSON {criterion code: points}
    points: Mapped[int | None] = mapped_column(Integer)
    rating: Mapped[Rating | None] = mapped_column(_enum(Rating, "meeting_rating"))
    sheet: Mapped[str | None] = mapped_column(String(40))  # the criteria sheet in force (its version)
    expected: Mapped[int] = mapped_column(Integer, default=0)  # members on the day, exempt ones excluded
    present: Mapped[int] = mapped_column(Integer, default=0)
    absent: Mapped[int] = mapped_column(Integer, default=0)
    absent_unexcused: Mapped[int] = mapped_column(Integer, default=0)
    excused: Mapped[int] = mapped_column(Integer, default=0)
    entered_by: Mapped[str] = mapped_column(String(120))
    entered_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Attendance(Base):
    __tablename__ = "meeting_attendance"
    __table_args__ = (
        # The findings read only the absences; a partial index keeps the million present rows out of it (and
        # bulk inserts cheap).
        Index("ix_meeting_attendance_absent", "member_id", sqlite_where=text("status = 'absent'"),
              postgresql_where=text("status = 'absent'")),
        {"sqlite_with_rowid": False},
    )
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    status: Mapped[AttendanceStatus] = mapped_column(_enum(AttendanceStatus, "attendance_status"))
    reason: Mapped[str | None] = mapped_column(String(300))  # None with ABSENT = without a valid reason
