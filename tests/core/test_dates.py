"""Dates a clerk types and the 12 months of probation (issue 21, point 16)."""

from __future__ import annotations

import datetime as dt

import pytest

from khoi_desktop.core.dates import add_months, parse_day, probation_ends
from khoi_desktop.core.errors import ValidationError


def test_probation_is_twelve_months_not_365_days() -> None:
    assert probation_ends(dt.date(2000, 2, 3)) == dt.date(2001, 2, 3)  # 2000 is a leap year
    assert probation_ends(dt.date(2023, 2, 28)) == dt.date(2024, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)


@pytest.mark.parametrize(("typed", "said"), [
    ("31/02/1980", "không có ngày 31 tháng 2 năm 1980 (tháng 2 có 29 ngày)"),
    ("29/02/1981", "không có ngày 29 tháng 2 năm 1981 (tháng 2 có 28 ngày)"),
    ("05/13/1980", "không có tháng 13"),
    ("1980-03-05", "ngày phải ghi dạng ngày/tháng/năm, ví dụ 05/03/1980"),
])
def test_a_wrong_day_is_named(typed: str, said: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_day(typed)
    assert error.value.message == said


def test_days_typed_the_usual_ways() -> None:
    assert parse_day("5/3/1980") == parse_day(" 05/03/1980 ") == parse_day("05.03.1980") == dt.date(1980, 3, 5)
