"""Read a member list as offices keep it: title rows and merged cells above a (one- or two-row) header,
sometimes a row of column numbers under it, section rows ("I. Chi bộ Văn phòng") between members, and
often a footer: a total ("Tổng số: 10 đồng chí"), "Danh sách này có … đồng chí", "Người lập biểu", a
place-and-date line and a signature block. Totals, repeated titles and the footer are never read as
members: they are kept in `skipped` with the reason, for the import report."""

from __future__ import annotations

import logging
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from khoi_desktop.core.errors import FileMissing, ValidationError, refuse_folder
from khoi_desktop.core.text import nfc
from khoi_desktop.spreadsheets.mapping import read_header

log = logging.getLogger(__name__)
HEADER_SEARCH_ROWS = 30
MIN_HEADER_MATCHES = 2
_NUMBERING = re.compile(r"^\(?\d{1,2}\)?$")
_TOTAL = re.compile(r"^(tổng\s+số|tổng\s+cộng|cộng)\b\s*[:.\-]?\s*(\d|.*\b(đồng chí|đảng viên|người)\b)")
# Lines that open a list's footer: everything below them is signatures, not members.
_FOOTER = [
    (re.compile(r"^danh sách (này |trên )?(có|gồm)\b"), "câu chốt số lượng của danh sách"),
    (re.compile(r"^người lập( biểu| danh sách| bảng)?\b"), "chữ ký người lập biểu"),
    (re.compile(r"^(t/m|k/t|tm\.|kt\.|thay mặt|ký thay)\s"), "khối chữ ký"),
    (re.compile(r"^\(?(ký|kí),? (và )?(ghi rõ|đóng dấu|tên)"), "khối chữ ký"),
    (re.compile(r"(^|,\s*)ngày\b[\s.…_\d]*tháng\b[\s.…_\d]*năm\b"), "dòng địa danh, ngày tháng"),
    (re.compile(r"^(xác nhận|thủ trưởng đơn vị)\b"), "khối chữ ký"),
]
# A signer's title alone in its row ("BÍ THƯ"): the footer, when nothing else stands beside it.
_SIGNER_TITLE = re.compile(r"^(bí thư|phó bí thư|thủ trưởng|trưởng ban|chánh văn phòng|giám đốc|chủ tịch)$")
_TITLE = re.compile(r"^(danh sách|cộng hòa|cộng hoà|đảng cộng sản việt nam|độc lập|biểu)\b")


@dataclass
class SheetColumn:
    index: int  # 0-based
    letter: str
    header: str  # in Unicode, both header rows joined
    field: str | None  # the field the header names, if recognized
    font: str | None  # most common font of its data cells (".VnTime", "VNI-Times" … hint the encoding)


@dataclass
class SheetRow:
    number: int  # the row number Excel shows
    values: list[object]
    section: str | None = None  # text of the nearest section row above ("Chi bộ Văn phòng")


@dataclass(frozen=True)
class SkippedRow:
    """A row under the header that is not a member: a total, a repeated title, the footer."""

    number: int  # the row number Excel shows
    reason: str  # Vietnamese, for the import report
    text: str  # the row's words, as the clerk sees them


@dataclass
class SheetTable:
    path: Path
    sheet: str
    header_rows: tuple[int, int]  # first and last header row, as Excel numbers
    titles: list[str]  # text of the rows above the header
    columns: list[SheetColumn]
    rows: list[SheetRow] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)

    def texts(self, index: int) -> list[str]:
        """The column's text cells (not dates or numbers), for encoding detection."""
        return [v for r in self.rows for v in [r.values[index]] if isinstance(v, str) and v.strip()]


# Bounds checked before anything is parsed: a 5 KB file can claim a cell at XFD1048576, a 394 KB one can
# inflate to a 400 MB string. A member list of a whole provincial committee stays far below these.
MAX_ROWS = 200_000
MAX_COLUMNS = 200
MAX_PART_BYTES = 128 * 1024**2  # one sheet's XML, uncompressed
MAX_STRINGS_BYTES = 64 * 1024**2  # the shared-strings part
MAX_TOTAL_BYTES = 384 * 1024**2


def _too_big(path: Path, what: str) -> ValidationError:
    return ValidationError(f"Tệp {path.name} quá lớn để là một danh sách đảng viên ({what}). Hãy kiểm tra lại tệp "
                           "(có thể bị hỏng hoặc bị làm giả), hoặc chia danh sách thành nhiều tệp.", code="too_big")


def _check_parts(path: Path) -> None:
    """Refuse by the uncompressed sizes the archive states (zipfile holds it to them when reading)."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # load_workbook says it is not an Excel file
    total = 0
    for part in parts:
        total += part.file_size
        limit = MAX_STRINGS_BYTES if part.filename.lower().endswith("sharedstrings.xml") else MAX_PART_BYTES
        if part.file_size > limit:
            raise _too_big(path, f"phần {part.filename} giải nén ra {part.file_size // 1024**2} MB")
    if total > MAX_TOTAL_BYTES:
        raise _too_big(path, f"giải nén ra {total // 1024**2} MB")


def _open(path: Path):  # type: ignore[no-untyped-def]
    if not path.exists():
        raise FileMissing(path)
    refuse_folder(path, "bảng tính Excel", "danh-sach.xlsx")
    if path.suffix.lower() == ".xls":
        raise ValidationError(f"Tệp {path.name} là định dạng Excel 97-2003 (.xls): hãy mở bằng Excel và "
                              "“Lưu thành” Excel Workbook (.xlsx) rồi nhập lại.", code="xls_format")
    _check_parts(path)
    try:
        return load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError, SyntaxError,
            AttributeError) as exc:  # InvalidFileException: a name not ending .xlsx/.xlsm (openpyxl's English)
        log.warning("cannot read %s: %r", path.name, exc)
        if _caused_by(exc, DefusedXmlException):  # XML entities or DTDs (XXE, "billion laughs")
            raise ValidationError(f"Tệp {path.name} có khai báo XML không được phép trong một tệp Excel (có thể là "
                                  "tệp độc hại): không đọc.", code="bad_file") from None
        raise ValidationError(f"Không đọc được {path.name} như một tệp Excel (.xlsx): tệp bị hỏng hoặc không phải "
                              "bảng tính Excel.", code="bad_file") from exc


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    """openpyxl wraps what the XML parser raised in its own ValueError."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _check_dimensions(path: Path, ws: Worksheet) -> None:
    """Before reading cells row by row (which fills every empty cell up to the last one used)."""
    if ws.max_row > MAX_ROWS or ws.max_column > MAX_COLUMNS:
        raise _too_big(path, f"trang “{ws.title}” có ô ở dòng {ws.max_row:_}, cột {ws.max_column:_}; tối đa "
                             f"{MAX_ROWS:_} dòng và {MAX_COLUMNS} cột".replace("_", "."))


def sheet_names(path: str | Path) -> list[str]:
    workbook = _open(Path(path))
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _grid(ws: Worksheet) -> tuple[list[list[object]], list[list[str | None]], list[tuple[int, int, int, int]]]:
    """Cell values and fonts, with each merged range's value spread over all its cells."""
    values: list[list[object]] = []
    fonts: list[list[str | None]] = []
    for row in ws.iter_rows():
        values.append([cell.value for cell in row])
        fonts.append([cell.font.name if cell.value is not None and cell.font is not None else None for cell in row])
    merges = []
    for merged in ws.merged_cells.ranges:
        r1, c1, r2, c2 = merged.min_row, merged.min_col, merged.max_row, merged.max_col
        merges.append((r1, c1, r2, c2))
        if r1 - 1 >= len(values) or c1 - 1 >= len(values[r1 - 1]):
            continue
        top, font = values[r1 - 1][c1 - 1], fonts[r1 - 1][c1 - 1]
        for r in range(r1, min(r2, len(values)) + 1):
            for c in range(c1, min(c2, len(values[r - 1])) + 1):
                values[r - 1][c - 1] = top
                fonts[r - 1][c - 1] = font
    return values, fonts, merges


def _text(value: object) -> str:
    return nfc(str(value)) if value is not None else ""


def _header_score(row: list[object]) -> int:
    # Distinct texts: a merged title row repeats one text over many cells.
    return sum(1 for v in dict.fromkeys(row) if isinstance(v, str) and read_header(v)[2] > 0)


def _two_row_header(values: list[list[object]], merges: list[tuple[int, int, int, int]], header: int) -> bool:
    """Row `header` (1-based) has cells merged down into the next row, or a group title over sub-headers."""
    if header >= len(values):
        return False
    below = values[header]  # the next row, 0-based
    for r1, c1, r2, c2 in merges:
        if r1 == header and r2 > header:
            return True
        if r1 == r2 == header and c2 > c1 and any(_text(v) for v in below[c1 - 1:c2]):
            return True
    return False


def _is_numbering(row: list[object]) -> bool:
    cells = [_text(v) for v in row if _text(v)]
    return len(cells) >= 3 and all(_NUMBERING.match(c) for c in cells)


def _is_section(row: list[object], merges: list[tuple[int, int, int, int]], number: int, width: int) -> str | None:
    """'I. Chi bộ Văn phòng' spread over the table (merged, or the only text in the row)."""
    texts = {_text(v) for v in row if _text(v)}
    if len(texts) != 1:
        return None
    text = texts.pop()
    spans_wide = any(r1 <= number <= r2 and c2 - c1 + 1 >= max(3, width // 2) for r1, c1, r2, c2 in merges)
    if not spans_wide and not re.match(r"^([IVXLC]+|[A-Z]|\d+)[.)/]\s+\S", text):
        return None
    return re.sub(r"^([IVXLC]+|[A-Z]|\d+)[.)/]\s*", "", text).strip() or None


def _looks_like_member(texts: list[str], row: list[object]) -> bool:
    """Several filled cells with a date or a day-like number: a member's row, whatever its words."""
    dated = any(not isinstance(v, str | type(None)) for v in row) or any(
        re.search(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b(19|20)\d{2}\b", t) for t in texts)
    return len(texts) >= 3 and dated


def _not_a_member(row: list[object]) -> str | None:
    """Why a row under the header is no member: a total, a title or a header repeated, a footer line."""
    texts = list(dict.fromkeys(_text(v).strip() for v in row if _text(v).strip()))
    lowered = [" ".join(t.casefold().split()) for t in texts]
    if any(_TOTAL.match(t) for t in lowered[:3]):
        return "dòng tổng số"
    # A member's row first (a date or a number among its cells: never a header's), so that the header
    # matching (every cell tried in four encodings) runs only on the few other rows: asked of every row,
    # it was nine tenths of reading a list of 5.000 members (bench/importing.py).
    if _looks_like_member(texts, row):
        return None
    if _header_score(row) >= MIN_HEADER_MATCHES:
        return "dòng tiêu đề cột lặp lại"
    if len(texts) <= 2 and any(_TITLE.match(t) for t in lowered) and all(t == t.upper() for t in texts):
        return "dòng tiêu đề"
    for t in lowered:
        for pattern, reason in _FOOTER:
            if pattern.search(t):
                return reason
    if len(lowered) == 1 and _SIGNER_TITLE.match(lowered[0]):
        return "khối chữ ký"
    return None


def read_table(path: str | Path, sheet: str | None = None) -> SheetTable:
    """Find the header row below any title rows and read every row under it."""
    path = Path(path)
    workbook = _open(path)
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise ValidationError(f"Tệp {path.name} không có trang tính “{sheet}”.", code="no_sheet")
        ws = workbook[sheet] if sheet else workbook.worksheets[0]
        _check_dimensions(path, ws)
        values, fonts, merges = _grid(ws)
        name = ws.title
    finally:
        workbook.close()
    scores = [_header_score(row) for row in values[:HEADER_SEARCH_ROWS]]
    if not scores or max(scores) < MIN_HEADER_MATCHES:
        raise ValidationError(
            f"Không tìm thấy dòng tiêu đề cột (Họ và tên, Ngày sinh …) trong {HEADER_SEARCH_ROWS} dòng đầu "
            f"của trang “{name}”.", code="no_header")
    top = scores.index(max(scores))  # 0-based
    bottom = top + 1 if _two_row_header(values, merges, top + 1) else top
    width = max(len(values[top]), len(values[bottom]))
    while width and not any(_text(values[r][width - 1]) for r in range(top, bottom + 1) if width - 1 < len(values[r])):
        width -= 1
    columns = []
    for c in range(width):
        parts: list[str] = []
        for r in range(top, bottom + 1):
            text = _text(values[r][c]) if c < len(values[r]) else ""
            if text and text not in parts:
                parts.append(text)
        header_text, key, _strength = read_header(" ".join(parts))
        if key is None and len(parts) > 1:  # the sub-header alone may say it ("Họ và tên" merged down)
            header_text, key, _strength = read_header(parts[-1])
            header_text = " ".join(parts[:-1] + [header_text])
        columns.append(SheetColumn(c, get_column_letter(c + 1), header_text, key, None))
    first = bottom + 1
    if first < len(values) and _is_numbering(values[first][:width]):
        first += 1
    rows: list[SheetRow] = []
    skipped: list[SkippedRow] = []
    section: str | None = None
    footer: int | None = None  # the row the footer starts at: nothing below it is a member
    font_counts: list[Counter[str]] = [Counter() for _ in range(width)]
    for r in range(first, len(values)):
        row = (list(values[r][:width]) + [None] * width)[:width]
        if not any(_text(v) for v in row):
            continue
        words = " ".join(dict.fromkeys(_text(v).strip() for v in row if _text(v).strip()))
        reason = _not_a_member(row)
        if footer is None and reason is not None and reason not in ("dòng tổng số", "dòng tiêu đề cột lặp lại",
                                                                     "dòng tiêu đề"):
            footer = r + 1
        if footer is not None:
            skipped.append(SkippedRow(r + 1, reason or f"nằm dưới phần cuối danh sách (từ dòng {footer})", words))
            continue
        if reason is not None:
            skipped.append(SkippedRow(r + 1, reason, words))
            continue
        heading = _is_section(row, merges, r + 1, width)
        if heading:
            section = heading
            continue
        rows.append(SheetRow(r + 1, row, section))
        for c, font in enumerate(fonts[r][:width]):
            if font:
                font_counts[c][font] += 1
    for column, counts in zip(columns, font_counts, strict=True):
        column.font = counts.most_common(1)[0][0] if counts else None
    titles = [" – ".join(_text(v) for v in dict.fromkeys(values[r]) if _text(v)) for r in range(top)]
    return SheetTable(path, name, (top + 1, bottom + 1), [t for t in titles if t], columns, rows, skipped)
