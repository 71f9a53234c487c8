"""Party age (tuổi đảng), as Điều lệ Đảng Điều 5 khoản 4 and its implementing rules count it.

A full member's party age runs from the date of the admission decision, less the time outside party life
(removal, expulsion, lost contact, gaps between transfers). A re-admitted member (kết nạp lại, once only)
counts from the FIRST admission, less those gaps. Recognition as full member (công nhận chính thức) does not
move the start: it only makes the age count (a probationary member has none yet).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from khoi_desktop.core.dates import add_months


@dataclass(frozen=True)
class PartyAge:
    start: dt.date  # the first admission
    gap_days: int = 0  # days outside party life, not counted

    def reached(self, years: int) -> dt.date:
        """The day `years` of party age are complete."""
        return add_months(self.start, 12 * years) + dt.timedelta(days=self.gap_days)

    def years_on(self, day: dt.date) -> int:
        years = max(0, day.year - self.start.year - self.gap_days // 365 - 1)
        while self.reached(years + 1) <= day:
            years += 1
        return years


def party_age(admitted_on: dt.date | None, party_age_from: dt.date | None,
              gap_days: int | None) -> PartyAge | None:
    start = party_age_from or admitted_on
    return None if start is None else PartyAge(start, gap_days or 0)
