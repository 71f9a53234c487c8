"""The year summary as bars: meetings held, thematic meetings per quarter, attendance, ratings."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from khoi_desktop.core.meetings.models import Rating
from khoi_desktop.core.meetings.status import YearLine
from khoi_desktop.gui.percent_chart import Bar, PercentBarChart

RATING_COLOURS = {Rating.TOT: "#2e7d32", Rating.KHA: "#64b5f6", Rating.TRUNG_BINH: "#ffb300", Rating.KEM: "#e53935"}


class YearChart(PercentBarChart):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("year_chart")
        self.setMinimumHeight(230)
        self.line: YearLine | None = None

    def set_line(self, line: YearLine) -> None:
        self.line = line
        self.update()

    def bars(self) -> list[Bar]:
        line = self.line
        if line is None:
            return []
        bars = [("Họp thường kỳ", line.held_percent, "#1565c0"), ("Dự họp", line.attendance_percent, "#00897b")]
        for quarter, (held, owed) in enumerate(line.thematic_quarters, start=1):
            if owed:
                bars.append((f"Chuyên đề quý {quarter}", 100.0 * held / owed, "#6a1b9a"))
        rated = sum(line.ratings.values())
        for rating in Rating:
            bars.append((f"Xếp loại {rating.label.lower()}", 100.0 * line.ratings.get(rating, 0) / rated if rated
                         else 0.0, RATING_COLOURS[rating]))
        return bars
