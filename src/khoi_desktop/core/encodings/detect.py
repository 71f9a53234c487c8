"""Which encoding a column of text is in: decode it every way and count well-formed syllables.

Unicode text scores as well as any other reading (the tables leave its letters alone or break them),
so Unicode wins ties. A cell font such as '.VnTime' or 'VNI-Times' is a strong hint, taken unless the
text reads worse that way than as Unicode; an uppercase TCVN3 font ('.VnTimeH') decodes in capitals.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from khoi_desktop.core.encodings import Encoding, decode
from khoi_desktop.core.encodings.syllables import score
from khoi_desktop.core.text import nfc

SAMPLE_CELLS = 400
PREVIEW_CELLS = 5


@dataclass(frozen=True)
class Detection:
    encoding: Encoding
    upper: bool | None  # TCVN3 only: True when the column's font is an uppercase (.VnTimeH) font
    scores: dict[Encoding, int] = field(default_factory=dict)
    font_hint: Encoding | None = None

    def decode(self, text: str) -> str:
        return decode(text, self.encoding, upper=self.upper)


def font_encoding(font_name: str | None) -> tuple[Encoding | None, bool | None]:
    """'.VnTimeH' -> (TCVN3, True); 'VNI-Times' -> (VNI, None); anything else -> (None, None)."""
    name = (font_name or "").strip()
    lowered = name.lower()
    if lowered.startswith(".vn"):
        return Encoding.TCVN3, name.endswith("H")
    if lowered.startswith("vni-") or lowered.startswith("vni "):
        return Encoding.VNI, None
    return None, None


# Legacy text lives in 8-bit fonts (VIQR in ASCII): a letter beyond that range means the cell is Unicode.
_LIMIT = {Encoding.TCVN3: 0xFF, Encoding.VNI: 0xFF, Encoding.VIQR: 0x7F}


def _cell_score(cell: str, encoding: Encoding, upper: bool | None) -> int:
    limit = _LIMIT.get(encoding)
    if limit is not None and any(ord(ch) > limit and ch.isalpha() for ch in cell):
        return -len(cell.split())
    return score(decode(cell, encoding, upper=upper))


def detect(texts: Iterable[str], fonts: Iterable[str | None] = ()) -> Detection:
    cells = [t for t in (str(x) for x in texts) if t.strip()][:SAMPLE_CELLS]
    hints = Counter(font_encoding(f) for f in fonts if f)
    hint, hint_upper = (None, None)
    if hints:
        (hint, hint_upper), _count = hints.most_common(1)[0]
    scores = {enc: sum(_cell_score(cell, enc, hint_upper if enc is hint else None) for cell in cells)
              for enc in Encoding}
    if hint is not None and scores[hint] >= scores[Encoding.UNICODE]:
        return Detection(hint, hint_upper if hint is Encoding.TCVN3 else None, scores, hint)
    best = max(Encoding, key=lambda enc: (scores[enc], enc is Encoding.UNICODE))
    return Detection(best, None, scores, hint)


def preview(texts: Iterable[str], detection: Detection, limit: int = PREVIEW_CELLS) -> list[tuple[str, str]]:
    """A few (before, after) pairs, preferring cells the decoding changes."""
    changed: list[tuple[str, str]] = []
    same: list[tuple[str, str]] = []
    seen: set[str] = set()
    for text in texts:
        raw = str(text)
        if not raw.strip() or raw in seen:
            continue
        seen.add(raw)
        after = detection.decode(raw)
        (changed if after != nfc(raw) or after != raw else same).append((raw, after))
        if len(changed) >= limit:
            break
    return (changed + same)[:limit]
