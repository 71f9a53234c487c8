"""A rating round per year, and the proposed and decided level of each organization and member in it.

A member is rated in the chi bộ they belong to on the round's reference date (a member who moved during
the year is rated where they are then); `org_id` keeps that chi bộ so later moves do not re-file old
ratings. Sized for a province: about 180.000 member rows a year at scale 20, read by round.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from khoi_desktop.core.models import Base, _enum


class Level(enum.StrEnum):
    HTXS = "htxs"  # hoàn thành xuất sắc nhiệm vụ
    HTT = "htt"  # hoàn thành tốt nhiệm vụ
    HT = "ht"  # hoàn thành nhiệm vụ
    KHT = "kht"  # không hoàn thành nhiệm vụ

    @property
    def short(self) -> str:
        return LEVEL_SHORT[self]

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self]

    @property
    def rank(self) -> int:
        """0 for the best level."""
        return list(Level).index(self)


LEVEL_SHORT = {Level.HTXS: "HTXSNV", Level.HTT: "HTTNV", Level.HT: "HTNV", Level.KHT: "KHTNV"}
LEVEL_LABELS = {Level.HTXS: "Hoàn thành xuất sắc nhiệm vụ", Level.HTT: "Hoàn thành tốt nhiệm vụ",
                Level.HT: "Hoàn thành nhiệm vụ", Level.KHT: "Không hoàn thành nhiệm vụ"}


def level_from_short(text: str) -> Level | None:
    key = text.strip().upper()
    return next((level for level, short in LEVEL_SHORT.items() if short == key), None)


class RatingRound(Base):
    __tablename__ = "rating_rounds"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    reference_date: Mapped[dt.date] = mapped_column(Date)  # where each member is rated
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))  # the recognition decision
    opened_by: Mapped[str] = mapped_column(String(120))
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime)


class OrgRating(Base):
    __tablename__ = "org_ratings"
    __table_args__ = ({"sqlite_with_rowid": False},)
    round_id: Mapped[int] = mapped_column(ForeignKey("rating_rounds.id", ondelete="CASCADE"), primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    proposed: Mapped[Level | None] = mapped_column(_enum(Level, "rating_level"))
    decided: Mapped[Level | None] = mapped_column(_enum(Level, "rating_level"))
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(String(500))


class MemberRating(Base):
    __tablename__ = "member_ratings"
    __table_args__ = (Index("ix_member_ratings_round_org", "round_id", "org_id"), {"sqlite_with_rowid": False})
    round_id: Mapped[int] = mapped_column(ForeignKey("rating_rounds.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))  # the chi bộ on the reference date
    disciplined: Mapped[bool] = mapped_column(Boolean, default=False)  # kỷ luật trong năm
    proposed: Mapped[Level | None] = mapped_column(_enum(Level, "rating_level"))
    decided: Mapped[Level | None] = mapped_column(_enum(Level, "rating_level"))
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(String(500))
