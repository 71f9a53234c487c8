"""The two header blocks of a decision, placed line by line so that nothing overlaps.

Left: superior body, issuing body, "*", "Số N-QĐ/ĐUK". Right: "ĐẢNG CỘNG SẢN VIỆT NAM" with its rule,
then the place and date level with the number. A body name breaks where the administrator put a line
break; a part too long is set smaller (down to HEADER_SHRINK_FLOOR), and only a part that cannot fit
even then is wrapped between words, never inside a compound nor leaving one word alone on a line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from khoi_desktop.core.decision_content import Header, PrintInfo, printed_number
from khoi_desktop.core.wording.compounds import DEFAULT_COMPOUNDS, NBSP, glue
from khoi_desktop.documents import fonts, layout

_SIZE_STEP = 0.25
_SMALLEST = 8.0  # last resort: a name that fits nowhere is shrunk further rather than overlap
# A line may well start with these.
_BREAK_BEFORE = {"và", "của", "thuộc", "trực", "tại", "về", "vào", "thành", "từ", "nhiệm", "kèm", "chuyển"}


@dataclass(frozen=True)
class Placed:
    """One header line: x of its left edge from the frame's left, baseline from the header's top."""

    text: str
    font: str
    size: float
    x: float
    baseline: float

    @property
    def width(self) -> float:
        return fonts.text_width(self.text, self.font, self.size)

    @property
    def box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom), y growing downwards."""
        return (self.x, self.baseline - 0.8 * self.size, self.x + self.width, self.baseline + 0.25 * self.size)


@dataclass(frozen=True)
class Rule:
    x1: float
    x2: float
    y: float


@dataclass(frozen=True)
class HeaderLayout:
    lines: list[Placed]
    rules: list[Rule]
    height: float


def number_text(header: Header, info: PrintInfo) -> str:
    if info.code:
        return f"Số {info.code}"
    number = layout.DRAFT_BLANK_NUMBER if info.number is None else printed_number(info.number)
    return f"Số {number}-{header.doc_type_code}/{header.issuer_code}"


def date_text(place: str, day: dt.date | None, year: int | None = None) -> str:
    if day is None:
        blank = layout.DRAFT_BLANK_DAY
        return f"{place}, ngày{blank}tháng{blank}năm {year or dt.date.today().year}"
    return f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def _fits(lines: list[str], font: str, size: float, width: float) -> bool:
    return all(fonts.text_width(line, font, size) <= width for line in lines)


def _first_syllable(token: str) -> str:
    return token.split(NBSP)[0].lower()


def balanced_lines(text: str, font: str, size: float, width: float,
                   compounds: Sequence[str] = DEFAULT_COMPOUNDS) -> list[str]:
    """Fewest lines that fit `width` at `size`, breaking between words but never inside a compound
    ("Bệnh viện", "CÔNG TY") nor at a no-break space, each line of at least two words where the text
    allows it, preferring breaks after a comma or before 'và', 'của', 'chuyển' … and lines of even width.
    A line break in `text` is kept: each part is balanced on its own."""
    return [line for part in text.split("\n") if part.strip()
            for line in _balanced(part, font, size, width, compounds)]


def enacting_block(line: str, compounds: Sequence[str] = DEFAULT_COMPOUNDS) -> list[str]:
    """The enacting committee's line (bold, body size, the frame's width): «BAN THƯỜNG VỤ ĐẢNG ỦY …» too long for
    one line breaks after «ĐẢNG ỦY», the body's name whole on the next line where it fits («BAN THƯỜNG VỤ ĐẢNG ỦY» /
    «BAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP TỈNH», not «… ĐẢNG ỦY BAN» / «QUẢN LÝ …»); else balanced as any line."""
    font, size, width = fonts.BOLD, layout.BODY_SIZE, layout.FRAME_WIDTH
    lines = balanced_lines(line, font, size, width, compounds)
    committee = "BAN THƯỜNG VỤ ĐẢNG ỦY "
    if len(lines) > 1 and line.startswith(committee) and "\n" not in line:
        name = line[len(committee):].strip()
        if fonts.text_width(name, font, size) <= width:
            return [committee.strip(), name]
    return lines


def column_head_lines(text: str, width: float, padding: float = 8) -> list[str]:
    """A list's column title in its cell (bold, table size): whole where it fits; else broken after its «/»
    («Chính thức/» / «Dự bị», never «Chính» / «thức/Dự bị»), else balanced without splitting a compound."""
    font, size, inner = fonts.BOLD, layout.TABLE_SIZE, width - padding
    if fonts.text_width(text, font, size) <= inner:
        return [text]
    head, sep, tail = text.partition("/")
    if sep and tail.strip() and all(fonts.text_width(t, font, size) <= inner for t in (head + sep, tail.strip())):
        return [head + sep, tail.strip()]
    return balanced_lines(text, font, size, inner)


def _dashes_kept_behind(words: list[str]) -> list[str]:
    """A dash between two names ("Đài Phát thanh - Truyền hình") stays at the end of its line, never
    starting the next one."""
    kept: list[str] = []
    for word in words:
        if word in ("-", "–", "—") and kept:
            kept[-1] += NBSP + word
        else:
            kept.append(word)
    return kept


def _balanced(text: str, font: str, size: float, width: float, compounds: Sequence[str]) -> list[str]:
    words = _dashes_kept_behind([w for w in glue(" ".join(text.split(" ")), compounds).split(" ") if w])
    plain = [w.replace(NBSP, " ") for w in words]
    if len(words) < 2 or fonts.text_width(" ".join(plain), font, size) <= width:
        return [" ".join(plain)]
    n = len(words)
    space = fonts.text_width(" ", font, size)
    sizes = [fonts.text_width(w, font, size) for w in plain]
    starts = [0.0]
    for w in sizes:
        starts.append(starts[-1] + w + space)

    def line_width(a: int, b: int) -> float:
        return starts[b] - starts[a] - space

    # Widths are balanced by the sum of their squares; a break at no preferred place costs about as
    # much as lines of 40 % and 80 % of the width instead of two of 60 %.
    plain_cost = (0.35 * width) ** 2
    preferred = [i > 0 and (words[i - 1].endswith((",", ";")) or _first_syllable(words[i]) in _BREAK_BEFORE)
                 for i in range(n)]
    for count in range(2, n + 1):
        orphan_cost = width ** 2 if n >= 2 * count else 0.0
        # best[j][i]: least cost of the first i words set on j lines, with the cut before word i.
        best: list[list[tuple[float, int]]] = [[(float("inf"), -1)] * (n + 1) for _ in range(count + 1)]
        best[0][0] = (0.0, -1)
        for j in range(1, count + 1):
            for i in range(j, n - (count - j) + 1):
                for a in range(j - 1, i):
                    prior = best[j - 1][a][0]
                    w = line_width(a, i)
                    if prior == float("inf") or w > width:
                        continue
                    cost = prior + w * w + (orphan_cost if i - a == 1 else 0.0)
                    if i < n and not preferred[i]:
                        cost += plain_cost
                    if cost < best[j][i][0]:
                        best[j][i] = (cost, a)
        if best[count][n][0] < float("inf"):
            cuts, i = [], n
            for j in range(count, 0, -1):
                a = best[j][i][1]
                cuts.append((a, i))
                i = a
            return [" ".join(plain[a:b]) for a, b in reversed(cuts)]
        if count >= 8:
            break
    # Nothing fits (a single word wider than the column): one word a line, shrunk by the caller.
    return plain


def fit_name(text: str, font: str, size: float, width: float) -> tuple[list[str], float]:
    """Lines and the one font size of a body name in a column of `width`: the name breaks where the
    administrator put a line break; a part too long is set smaller, down to a size still read with
    ease, and only a part that cannot fit even then is wrapped, between words and never inside a
    compound."""
    parts = [" ".join(p.split()) for p in text.split("\n") if p.strip()]
    if _fits(parts, font, layout.HEADER_SHRINK_FLOOR, width):
        return parts, _shrink_to_fit(parts, font, size, width)
    lines: list[str] = []
    for part in parts:
        if fonts.text_width(part, font, layout.HEADER_SHRINK_FLOOR) <= width:
            lines.append(part)
        else:
            lines.extend(balanced_lines(part, font, size, width))
    return lines, _shrink_to_fit(lines, font, size, width)


def _shrink_to_fit(lines: list[str], font: str, size: float, width: float) -> float:
    while size > _SMALLEST and not _fits(lines, font, size, width):
        size -= _SIZE_STEP
    return size


def layout_header(header: Header, info: PrintInfo) -> HeaderLayout:
    left_w, right_w = layout.HEADER_LEFT_WIDTH, layout.HEADER_RIGHT_WIDTH
    left_cx = left_w / 2
    right_x0 = left_w + layout.HEADER_GAP
    right_cx = right_x0 + right_w / 2
    placed: list[Placed] = []
    rules: list[Rule] = []

    def centred(text: str, font: str, size: float, cx: float, baseline: float) -> Placed:
        line = Placed(text, font, size, cx - fonts.text_width(text, font, size) / 2, baseline)
        placed.append(line)
        return line

    # Left block.
    y = 0.0
    superior, superior_size = fit_name(header.superior_body, fonts.REGULAR, layout.SUPERIOR_SIZE, left_w)
    issuer, issuer_size = fit_name(header.issuing_body, fonts.BOLD, layout.ISSUER_SIZE, left_w)
    for lines, font, size in ((superior, fonts.REGULAR, superior_size), (issuer, fonts.BOLD, issuer_size)):
        for text in lines:
            y += size * layout.HEADER_LEADING if y else size
            centred(text, font, size, left_cx, y)
    y += layout.ISSUER_SIZE * layout.HEADER_LEADING
    centred("*", fonts.REGULAR, layout.ISSUER_SIZE, left_cx, y)
    y += layout.NUMBER_SIZE * layout.HEADER_LEADING
    number_size = _shrink_to_fit([number_text(header, info)], fonts.REGULAR, layout.NUMBER_SIZE, left_w)
    number = centred(number_text(header, info), fonts.REGULAR, number_size, left_cx, y)

    # Right block.
    party_size = _shrink_to_fit([layout.PARTY_NAME], fonts.BOLD, layout.PARTY_NAME_SIZE, right_w)
    first_baseline = min(line.baseline for line in placed)
    party = centred(layout.PARTY_NAME, fonts.BOLD, party_size, right_cx, max(first_baseline, 0.8 * party_size))
    rule_y = party.baseline + 0.35 * party_size
    rules.append(Rule(party.x, party.x + party.width, rule_y))

    year = info.issued_on.year if info.issued_on else None
    text = date_text(header.place_name, info.issued_on, year)
    baseline = max(number.baseline, rule_y + layout.DATE_SIZE * layout.HEADER_LEADING)
    limit_left = number.x + number.width + layout.HEADER_MIN_GAP if baseline == number.baseline else 0.0
    size = layout.DATE_SIZE
    while True:
        width = fonts.text_width(text, fonts.ITALIC, size)
        x = min(right_cx - width / 2, layout.FRAME_WIDTH - width)
        if x >= limit_left or size <= layout.DATE_MIN_SIZE:
            break
        size -= _SIZE_STEP
    if x < limit_left:  # still too long beside the number: give the date a row of its own
        baseline += size * layout.HEADER_LEADING
        size = _shrink_to_fit([text], fonts.ITALIC, size, layout.FRAME_WIDTH)
        width = fonts.text_width(text, fonts.ITALIC, size)
        x = max(0.0, min(right_cx - width / 2, layout.FRAME_WIDTH - width))
    placed.append(Placed(text, fonts.ITALIC, size, x, baseline))
    height = max(line.baseline + 0.3 * line.size for line in placed)
    return HeaderLayout(placed, rules, height)
