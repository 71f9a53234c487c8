"""Turning one mapped cell into a member field's value, with a Vietnamese message when it cannot be."""

from __future__ import annotations

import datetime as dt
import re

from khoi_desktop.core.models import Sex
from khoi_desktop.core.text import fold, nfc, plain_value
from khoi_desktop.spreadsheets.dates import DateProblem, parse_cell_date

PARTY_FOUNDED = dt.date(1930, 2, 3)
TEXT_LIMITS = {"hometown": 300, "ethnicity": 60, "religion": 60, "education": 120, "theory_level": 60,
               "job_title": 200, "agency": 300, "so_ly_lich": 20}


class CellProblem(ValueError):
    """The message says what is wrong with the cell, in Vietnamese."""


def capitalize_name(text: str) -> str:
    """'NGUYỄN văn an' -> 'Nguyễn Văn An': every word of a Vietnamese name starts with a capital.

    Also repairs TCVN3 names, whose toned capitals ('Ánh') were typed as lowercase codes.
    """
    words = []
    for word in nfc(text).split():
        if word.islower() or word.isupper():
            word = word[:1].upper() + word[1:].lower()
        elif word[:1].islower():
            word = word[:1].upper() + word[1:]
        words.append(word)
    return " ".join(words)


def name_text(value: object) -> str:
    text = capitalize_name(str(value)) if value is not None else ""
    if any(ch.isdigit() for ch in text):
        raise CellProblem(f"“{text}”: họ tên không được có chữ số")
    if any(not (ch.isalpha() or ch in " -'.") for ch in text):
        raise CellProblem(f"“{text}”: họ tên có ký tự lạ (có thể sai bảng mã)")
    return text


def date_value(value: object, *, today: dt.date) -> dt.date | None:
    try:
        day = parse_cell_date(value, today=today)
    except DateProblem as exc:
        raise CellProblem(str(exc)) from None
    if day is not None and day > today:
        raise CellProblem(f"ngày {day:%d/%m/%Y} ở tương lai")
    if day is not None and day.year < 1900:
        raise CellProblem(f"năm {day.year} không hợp lệ")
    return day


def sex_value(value: object) -> Sex | None:
    if value is None or not str(value).strip():
        return None
    key = fold(str(value)).strip(" .")
    if key in ("nam", "m", "male", "trai"):
        return Sex.NAM
    if key in ("nu", "f", "female", "gai"):
        return Sex.NU
    raise CellProblem(f"“{nfc(str(value))}”: giới tính phải là Nam hoặc Nữ")


def digits(value: object) -> str:
    """A number cell or text -> its digits as text ('019 085 000 123' -> '019085000123')."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return re.sub(r"[\s.\-]", "", text)


def national_id(value: object) -> tuple[str | None, str | None]:
    """(CCCD, warning). Excel drops the leading zeros of a CCCD typed as a number (province codes 001–096):
    they are put back."""
    if value is None or not str(value).strip():
        return None, None
    text = digits(value)
    if not text.isdigit():
        raise CellProblem(f"“{nfc(str(value))}”: số CCCD chỉ gồm chữ số")
    if 10 <= len(text) < 12 and isinstance(value, int | float):
        text = text.zfill(12)
    if len(text) == 9:
        return text, f"“{text}” là số CMND cũ (9 chữ số), chưa phải số CCCD 12 chữ số"
    if len(text) != 12:
        raise CellProblem(f"“{text}”: số CCCD phải có 12 chữ số (đang có {len(text)})")
    return text, None


def card_number(value: object) -> str | None:
    if value is None or not str(value).strip():
        return None
    text = digits(value)
    if not re.fullmatch(r"[0-9A-Za-z/]{1,20}", text):
        raise CellProblem(f"“{nfc(str(value))}”: số thẻ đảng viên không hợp lệ")
    return text


def plain_text(value: object, key: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    limit = TEXT_LIMITS.get(key)
    raw = str(value)
    if limit and len(raw) > 10 * limit:  # not worth cleaning: far too long whatever it holds
        raise CellProblem(f"dài quá {limit} ký tự")
    try:
        # The import seam: control characters dropped; a cell like =HYPERLINK(…) is refused here, not stored
        # to become a live formula in a later export.
        text = plain_value(raw, label="Nội dung ô", limit=limit)
    except ValueError as exc:
        raise CellProblem(str(exc)) from None
    return text or None
