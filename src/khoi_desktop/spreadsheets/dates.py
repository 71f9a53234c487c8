"""Dates as offices type them in spreadsheets: real Excel dates, serial numbers, or text in many shapes."""

from __future__ import annotations

import datetime as dt
import re

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (after Excel's phantom 29/02/1900)
_SERIAL_RANGE = (1, 2_958_465)  # up to 31/12/9999
_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_WORDS = re.compile(r"^ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})$", re.IGNORECASE)


class DateProblem(ValueError):
    """The cell is not a date; the message (Vietnamese) says why."""


def two_digit_year(yy: int, today: dt.date | None = None) -> int:
    """'75' -> 1975, '05' -> 2005: the latest year not after this year."""
    today = today or dt.date.today()
    year = 2000 + yy
    return year if year <= today.year else year - 100


def _make(year: int, month: int, day: int, text: str) -> dt.date:
    if not 1 <= month <= 12:
        raise DateProblem(f"“{text}”: tháng {month} không hợp lệ (cần ngày/tháng/năm)")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateProblem(f"“{text}”: không có ngày {day} trong tháng {month}/{year}") from None


def from_serial(value: float) -> dt.date:
    serial = int(value)
    if not _SERIAL_RANGE[0] <= serial <= _SERIAL_RANGE[1]:
        raise DateProblem(f"“{value}” không phải ngày tháng")
    return EXCEL_EPOCH + dt.timedelta(days=serial)


def parse_cell_date(value: object, *, today: dt.date | None = None) -> dt.date | None:
    """A cell's value -> date, None for an empty cell; raises DateProblem.

    Text is day first, as Vietnamese write it: 05/03/1980, 5/3/80, 05.03.1980, 05-03-1980,
    "ngày 05 tháng 03 năm 1980"; ISO 1980-03-05 is accepted too.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise DateProblem(f"“{value}” không phải ngày tháng")
    if isinstance(value, int | float):
        return from_serial(value)
    text = " ".join(str(value).split())
    if not text:
        return None
    text = _TIME_SUFFIX.sub("", text)
    if match := _DMY.match(text):
        day, month, year_text = int(match[1]), int(match[2]), match[3]
        year = int(year_text) if len(year_text) == 4 else two_digit_year(int(year_text), today)
        return _make(year, month, day, text)
    if match := _YMD.match(text):
        return _make(int(match[1]), int(match[2]), int(match[3]), text)
    if match := _WORDS.match(text):
        return _make(int(match[3]), int(match[2]), int(match[1]), text)
    if re.fullmatch(r"\d{4}", text):
        raise DateProblem(f"“{text}”: chỉ có năm, cần đủ ngày/tháng/năm")
    if re.fullmatch(r"\d{1,2}\s*[/.\-]\s*\d{4}", text):
        raise DateProblem(f"“{text}”: thiếu ngày, cần đủ ngày/tháng/năm")
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return from_serial(float(text))
    raise DateProblem(f"“{text}” không phải ngày tháng (cần dạng ngày/tháng/năm, ví dụ 05/03/1980)")
