"""Calendar arithmetic and dates typed by a clerk (dd/mm/yyyy), with answers a clerk understands."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from khoi_desktop.core.errors import ValidationError

PROBATION_MONTHS = 12  # Điều lệ Đảng: 12 tháng dự bị

_DAY = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it is shorter (31/01 + 1 -> 28/02 or 29/02)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def probation_ends(admitted_on: dt.date, months: int = PROBATION_MONTHS) -> dt.date:
    """The day a member admitted on `admitted_on` has served the months of probation (12 by default, the
    settings' threshold; months, not 365 days)."""
    return add_months(admitted_on, months)


def parse_day(text: str) -> dt.date:
    """'05/03/1980' or '5/3/1980' -> date; a ValidationError says what is wrong ('không có ngày 31 tháng 2')."""
    match = _DAY.match(text or "")
    if match is None:
        raise ValidationError("ngày phải ghi dạng ngày/tháng/năm, ví dụ 05/03/1980", code="invalid_date")
    day, month, year = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        raise ValidationError(f"không có tháng {month}", code="invalid_date")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValidationError(f"không có ngày {day} tháng {month} năm {year} (tháng {month} có {last} ngày)"
                              if day > last else f"không có ngày {day}", code="invalid_date")
    return dt.date(year, month, day)
