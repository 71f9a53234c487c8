"""A status-bar label that never pushes its neighbours off a 1366 px screen: drawn in the first of its forms that
fits (the full text, then the shorter ones given), else the last one cut with «…». `text()` stays the full text;
the tooltip says it all."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QLabel, QWidget

# The label is part of the window's first frame (the status bar's «Đang tải dữ liệu…»): Qt's classes for
# drawing a cut text (QStyle alone is ≈ 6 ms to create in PySide) load when a text is first cut.
if TYPE_CHECKING:
    from PySide6.QtGui import QPaintEvent

_LEAST = 40  # px: an elided label never shrinks below a word and its «…»


class FittingLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shorter: list[str] = []

    def set_texts(self, text: str, *shorter: str) -> None:
        """The full text and shorter forms of it, longest first."""
        self.setText(text)
        self._shorter = list(shorter)
        self.updateGeometry()

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name): one text, cut with «…» if need be
        self._shorter = []
        super().setText(text)

    def _text_rect(self) -> QRect:
        return self.contentsRect().adjusted(self.margin(), self.margin(), -self.margin(), -self.margin())

    def shown_text(self) -> str:
        """What the label draws at its present width."""
        width = self._text_rect().width()
        metrics = self.fontMetrics()
        forms = [self.text(), *self._shorter]
        for form in forms:
            if metrics.horizontalAdvance(form) <= width:
                return form
        from PySide6.QtCore import Qt  # not at import: the first frame is made without Qt's namespace (gui/app.py)

        return metrics.elidedText(forms[-1], Qt.TextElideMode.ElideRight, max(width, 0))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        hint = super().minimumSizeHint()
        if self._shorter:
            least = self.fontMetrics().horizontalAdvance(self._shorter[-1])
            least += self.contentsMargins().left() + self.contentsMargins().right() + 2 * self.margin()
        else:
            least = _LEAST
        return QSize(min(hint.width(), least), hint.height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        shown = self.shown_text()
        if shown == self.text():
            super().paintEvent(event)
            return
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QPainter, QPalette
        from PySide6.QtWidgets import QStyle, QStyleOption

        painter = QPainter(self)
        option = QStyleOption()
        option.initFrom(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_Widget, option, painter, self)  # a style sheet's box
        self.style().drawItemText(painter, self._text_rect(), int(self.alignment() | Qt.AlignmentFlag.AlignVCenter),
                                  self.palette(), self.isEnabled(), shown, QPalette.ColorRole.WindowText)
