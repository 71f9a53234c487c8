"""Header wording -> member fields, and the mapping of a sheet's columns that the clerk confirms.

Offices word their headers in many ways ("Họ và tên", "Họ tên", "HỌ VÀ TÊN KHAI SINH"; "Số CMND/CCCD";
"Ngày, tháng, năm sinh" over "Nam" and "Nữ" …), sometimes in TCVN3 or VNI as well: a header is read
every way and compared, accents folded, with the synonyms below; the longest synonym found wins.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from khoi_desktop.core.encodings import Encoding, decode
from khoi_desktop.core.encodings.detect import Detection, detect, preview
from khoi_desktop.core.text import fold, nfc

if TYPE_CHECKING:
    from khoi_desktop.spreadsheets.reader import SheetTable

# Field key -> (label shown to the clerk, synonyms as folded words).
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "full_name": ("Họ và tên", ("ho va ten", "ho ten", "ho va ten khai sinh", "ten dang vien",
                                "ho va ten dang vien", "ho ten dang vien")),
    "family_middle_name": ("Họ và tên đệm", ("ho va ten dem", "ho dem", "ho va dem", "ho va chu dem")),
    "family_name": ("Họ", ("ho",)),
    "middle_name": ("Tên đệm", ("ten dem", "chu dem", "dem")),
    "given_name": ("Tên", ("ten", "ten goi")),
    "sex": ("Giới tính", ("gioi tinh", "nam nu", "gioi")),
    "birth_date": ("Ngày sinh", ("ngay sinh", "ngay thang nam sinh", "sinh ngay", "nam sinh", "ngay thang sinh",
                                 "sinh")),
    "birth_date_male": ("Ngày sinh (cột Nam)", ()),
    "birth_date_female": ("Ngày sinh (cột Nữ)", ()),
    "hometown": ("Quê quán", ("que quan", "nguyen quan", "que")),
    "ethnicity": ("Dân tộc", ("dan toc",)),
    "religion": ("Tôn giáo", ("ton giao",)),
    "national_id": ("Số CCCD", ("cccd", "so cccd", "can cuoc cong dan", "so can cuoc", "so dinh danh",
                                "cmnd cccd", "so cmnd cccd", "so cmnd", "cmnd", "ma dinh danh",
                                "so dinh danh ca nhan", "can cuoc")),
    "card_number": ("Số thẻ đảng viên", ("so the", "so the dang vien", "so the dv", "so the dang", "the dang vien",
                                         "the dang")),
    "so_ly_lich": ("Số lý lịch", ("so ly lich", "so ll", "so lldv", "so ly lich dang vien")),
    "admitted_on": ("Ngày vào Đảng", ("ngay vao dang", "vao dang", "ngay ket nap", "ket nap", "ngay ket nap dang",
                                      "ngay vao dang du bi", "vao dang du bi")),
    "full_member_on": ("Ngày chính thức", ("ngay chinh thuc", "chinh thuc", "ngay vao dang chinh thuc",
                                           "ngay cong nhan chinh thuc", "vao dang chinh thuc",
                                           "ngay cong nhan dang vien chinh thuc", "ngay chuyen chinh thuc")),
    "education": ("Trình độ chuyên môn", ("trinh do chuyen mon", "chuyen mon", "trinh do cm", "hoc van",
                                          "trinh do chuyen mon nghiep vu", "trinh do")),
    "theory_level": ("Lý luận chính trị", ("ly luan chinh tri", "llct", "trinh do llct", "trinh do ly luan",
                                           "trinh do ly luan chinh tri", "chinh tri")),
    "job_title": ("Chức vụ", ("chuc vu", "chuc danh", "chuc vu chinh quyen", "chuc vu dang", "chuc vu hien nay")),
    "agency": ("Cơ quan, đơn vị", ("co quan", "don vi", "co quan don vi", "don vi cong tac", "noi cong tac",
                                   "co quan cong tac")),
    "org": ("Chi bộ", ("chi bo", "chi bo sinh hoat", "sinh hoat tai chi bo", "to chuc dang", "chi bo dang")),
    "joined_on": ("Ngày đến chi bộ", ("ngay chuyen den", "ngay den", "ngay vao chi bo", "ngay sinh hoat",
                                      "ngay bat dau sinh hoat", "chuyen den ngay")),
}
# Headers known to carry nothing to import.
IGNORED = ("stt", "tt", "so tt", "so thu tu", "ghi chu")
REQUIRED_NAME = ("full_name", "given_name")


def field_label(key: str | None) -> str:
    return FIELDS[key][0] if key else "(bỏ qua)"


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())


def _contains(words: str, synonym: str) -> bool:
    return f" {synonym} " in f" {words} "


def _match_unicode(header: str) -> tuple[str | None, int]:
    """(field, strength) for a header already in Unicode; strength 0 = nothing recognized."""
    words = _words(header)
    if not words:
        return None, 0
    if words in IGNORED:
        return None, 100
    best, best_len = None, 0
    for key, (_label, synonyms) in FIELDS.items():
        for synonym in synonyms:
            size = len(synonym.split())
            exact = words == synonym
            if (exact or (size >= 2 and _contains(words, synonym))) and size + (10 if exact else 0) > best_len:
                best, best_len = key, size + (10 if exact else 0)
    if best == "birth_date":
        # "Năm sinh" or "Ngày sinh" split into a "Nam" and a "Nữ" column: the column says the sex.
        last = nfc(header).lower().split()[-1].strip(".,:;()")
        if last == "nam":
            best = "birth_date_male"
        elif last in ("nữ", "nu"):
            best = "birth_date_female"
    return best, best_len


def read_header(header: str) -> tuple[str, str | None, int]:
    """A header cell -> (its text in Unicode, the field it names or None, match strength).

    The header is tried as Unicode first, then as TCVN3, VNI and VIQR.
    """
    best: tuple[str, str | None, int] = (nfc(header), None, 0)
    for encoding in Encoding:
        text = decode(header, encoding)
        key, strength = _match_unicode(text)
        if strength > best[2]:
            best = (text, key, strength)
        if strength >= 10:
            break
    return best


@dataclass
class ColumnMapping:
    index: int  # 0-based position in the sheet
    letter: str  # Excel's column letter
    header: str  # as read, in Unicode
    field: str | None
    detection: Detection
    preview: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (before, after) of a few cells

    @property
    def encoding(self) -> Encoding:
        return self.detection.encoding


@dataclass
class Mapping:
    """Which field each column fills and which encoding its text is in; the clerk confirms or changes it."""

    columns: list[ColumnMapping]
    confirmed: bool = False

    def column(self, index: int) -> ColumnMapping:
        return next(c for c in self.columns if c.index == index)

    def for_field(self, key: str) -> ColumnMapping | None:
        return next((c for c in self.columns if c.field == key), None)

    def has(self, key: str) -> bool:
        return self.for_field(key) is not None

    def set_field(self, index: int, key: str | None) -> None:
        if key is not None and key not in FIELDS:
            raise KeyError(key)
        self.column(index).field = key
        self.confirmed = False

    def set_encoding(self, index: int, encoding: Encoding, *, upper: bool | None = None) -> None:
        column = self.column(index)
        column.detection = Detection(encoding, upper if encoding is Encoding.TCVN3 else None,
                                     column.detection.scores, column.detection.font_hint)
        self.confirmed = False

    def problems(self) -> list[str]:
        """What prevents using this mapping, in Vietnamese (empty = usable)."""
        found: list[str] = []
        seen: dict[str, str] = {}
        for column in self.columns:
            if column.field is None:
                continue
            if column.field in seen:
                found.append(f"Cột {seen[column.field]} và cột {column.letter} cùng được gán "
                             f"“{field_label(column.field)}”.")
            seen[column.field] = column.letter
        if not ("full_name" in seen or "given_name" in seen):
            found.append("Chưa có cột “Họ và tên” (hoặc cột “Tên”).")
        if "full_name" in seen and ({"family_name", "middle_name", "given_name", "family_middle_name"} & set(seen)):
            found.append("Đã có cột “Họ và tên”: không gán thêm cột Họ, Tên đệm hoặc Tên.")
        if "birth_date" in seen and ({"birth_date_male", "birth_date_female"} & set(seen)):
            found.append("Ngày sinh đã có một cột riêng: không gán thêm cột ngày sinh theo Nam/Nữ.")
        return found

    def confirm(self) -> None:
        problems = self.problems()
        if problems:
            from khoi_desktop.core.errors import ValidationError

            raise ValidationError(" ".join(problems), code="bad_mapping")
        self.confirmed = True


def propose_mapping(table: SheetTable) -> Mapping:
    """The mapping guessed from the headers, with each text column's encoding detected."""
    columns = []
    taken: set[str] = set()
    for column in table.columns:
        texts = table.texts(column.index)
        detection = detect(texts, [column.font] * len(texts))
        key = column.field if column.field not in taken else None
        if key:
            taken.add(key)
        columns.append(ColumnMapping(column.index, column.letter, column.header, key, detection,
                                     preview(texts, detection)))
    return Mapping(columns)
