"""Draw the application icon: a red rounded square with a gold five-pointed star.

Run once after changing the drawing; the outputs are committed:
    python installer/make_icon.py
writes installer/khoi-desktop.ico (16, 24, 32, 48, 64, 256 px, each drawn at its size),
installer/khoi-desktop.png (256 px) and the window icon resources/icons/khoi-desktop.png.
"""

from __future__ import annotations

import io
import math
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image  # noqa: E402  (Pillow comes with reportlab)
from PySide6.QtCore import QBuffer, QIODevice, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPolygonF  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SIZES = (16, 24, 32, 48, 64, 256)
RED = QColor("#C8102E")
DARK_RED = QColor("#8E0B20")
GOLD = QColor("#FFD100")


def star(cx: float, cy: float, outer: float) -> QPolygonF:
    inner = outer * 0.382
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append(QPointF(cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return QPolygonF(points)


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    margin = 0 if size <= 16 else size / 32
    box = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    path = QPainterPath()
    path.addRoundedRect(box, size * 0.18, size * 0.18)
    painter.fillPath(path, RED)
    if size >= 48:  # a darker rim reads as an edge on a light desktop
        pen = painter.pen()
        pen.setColor(DARK_RED)
        pen.setWidthF(size / 48)
        painter.setPen(pen)
        painter.drawPath(path)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(GOLD)
    painter.drawPolygon(star(size / 2, size * 0.53, size * (0.40 if size <= 24 else 0.36)))
    painter.end()
    return image


def to_pil(image: QImage) -> Image.Image:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(buffer.data()))).convert("RGBA")


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    images = {size: to_pil(draw(size)) for size in SIZES}
    largest = images[max(SIZES)]
    largest.save(HERE / "khoi-desktop.png")
    icons = ROOT / "resources" / "icons"
    icons.mkdir(parents=True, exist_ok=True)
    largest.save(icons / "khoi-desktop.png")
    others = [images[size] for size in SIZES if size != max(SIZES)]
    largest.save(HERE / "khoi-desktop.ico", format="ICO", sizes=[(s, s) for s in SIZES], append_images=others)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
