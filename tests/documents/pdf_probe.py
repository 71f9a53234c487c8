"""Reading rendered PDFs back: text per page (poppler's pdftotext), word boxes, fonts and page sizes (pypdf)."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from pypdf import PdfReader

MM = 72 / 25.4


def _with_file(pdf: bytes, args: list[str]) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)
        return subprocess.run(["pdftotext", *args, str(path), "-"], check=True, capture_output=True,
                              text=True, encoding="utf-8").stdout


def page_texts(pdf: bytes) -> list[str]:
    """Text of each page, in reading order."""
    return _with_file(pdf, ["-enc", "UTF-8"]).split("\f")[:-1]


@dataclass(frozen=True)
class Word:
    page: int  # from 1
    text: str
    x0: float  # points from the left
    y0: float  # points from the top
    x1: float
    y1: float

    def overlaps(self, other: Word) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def words(pdf: bytes) -> list[Word]:
    html = _with_file(pdf, ["-bbox", "-enc", "UTF-8"])
    result = []
    for page_number, page in enumerate(html.split("<page ")[1:], start=1):
        for match in _WORD.finditer(page):
            x0, y0, x1, y1 = (float(match[i]) for i in range(1, 5))
            result.append(Word(page_number, unescape(match[5]), x0, y0, x1, y1))
    return result


def font_descriptors(pdf: bytes) -> dict[str, bool]:
    """Every font used on any page -> whether its glyphs are embedded."""
    reader = PdfReader(io.BytesIO(pdf))
    found: dict[str, bool] = {}
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font["/BaseFont"])] = embedded
    return found


def page_sizes_mm(pdf: bytes) -> list[tuple[float, float]]:
    reader = PdfReader(io.BytesIO(pdf))
    return [(round(float(p.mediabox.width) / MM, 1), round(float(p.mediabox.height) / MM, 1)) for p in reader.pages]
