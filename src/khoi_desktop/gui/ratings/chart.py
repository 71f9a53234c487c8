"""The year's ratings as bars: the share of each level among the grassroots organizations and the members
rated, with the two figures of the article (HTTNV or better) first."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from khoi_desktop.core.ratings.models import Level
from khoi_desktop.gui.percent_chart import Bar, PercentBarChart

COLOURS = {Level.HTXS: "#2e7d32", Level.HTT: "#64b5f6", Level.HT: "#ffb300", Level.KHT: "#e53935"}
HEADLINE = "#1565c0"


class RatingsChart(PercentBarChart):
    empty_text = "Chưa có kết quả xếp loại."
    decimals = 1
    label_room = 50.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ratings_chart")
        self.setMinimumHeight(220)
        self.summary: object | None = None

    def set_summary(self, summary: object | None) -> None:
        self.summary = summary
        self.update()

    def bars(self) -> list[Bar]:
        summary = self.summary
        if summary is None:
            return []
        bars: list[Bar] = []
        for who, counts in (("TCCSĐ", summary.orgs), ("Đảng viên", summary.members)):  # type: ignore[attr-defined]
            bars.append((f"{who} HTTNV trở lên", counts.good_or_better_pct or 0.0, HEADLINE))
            bars += [(f"{who} {level.short}", counts.pct(level) or 0.0, COLOURS[level]) for level in Level]
        return bars



class TrendChart(QWidget):
    """The two headline figures year by year (the rounds of the term): grassroots organizations and members
    HTTNV or better, as shares of those rated."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ratings_trend")
        self.setMinimumSize(260, 220)
        self.points: list[tuple[int, float | None, float | None]] = []

    def set_points(self, points: list[tuple[int, float | None, float | None]]) -> None:
        self.points = points
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        if not self.points:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Chưa có năm nào.")
            return
        left, top, bottom = 8.0, 58.0, 24.0
        width = (self.width() - 2 * left) / len(self.points)
        height = self.height() - top - bottom
        painter.setPen(QColor("#000000"))
        painter.drawText(QRectF(0, 2, self.width(), 16), Qt.AlignmentFlag.AlignCenter, "Xu hướng: HTTNV trở lên")
        for colour, label, x in ((HEADLINE, "TCCSĐ", 0.1), ("#00897b", "Đảng viên", 0.55)):
            painter.fillRect(QRectF(self.width() * x, 21, 10, 10), QColor(colour))
            painter.drawText(QRectF(self.width() * x + 14, 18, 100, 16), Qt.AlignmentFlag.AlignLeft, label)
        for n, (year, orgs, members) in enumerate(self.points):
            x = left + n * width
            for k, (value, colour) in enumerate(((orgs, HEADLINE), (members, "#00897b"))):
                bar = height * max(0.0, min(value or 0.0, 100.0)) / 100.0
                slot = QRectF(x + width * (0.15 + 0.36 * k), top + height - bar, width * 0.32, bar)
                painter.fillRect(slot, QColor(colour))
                shown = "–" if value is None else f"{value:.1f}".replace(".", ",")
                painter.drawText(QRectF(slot.x() - 10, slot.y() - 16, slot.width() + 20, 14),
                                 Qt.AlignmentFlag.AlignCenter, shown)
            painter.drawText(QRectF(x, top + height + 2, width, bottom - 2), Qt.AlignmentFlag.AlignCenter, str(year))
        painter.end()
