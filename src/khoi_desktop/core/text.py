"""Vietnamese text: NFC normalization, accent-insensitive search keys, dictionary sort keys."""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import re
import unicodedata

# Dictionary order of the Vietnamese alphabet; f, j, w, z appear in foreign names.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Tone order of Vietnamese dictionaries: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONE_MARKS = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Marks that make a distinct letter (ă â ê ô ơ ư) rather than a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}

_WORD_SEP = "\x1f"  # sorts before every letter: "An" < "Anh"
_TONE_SEP = "\x20"
_PART_SEP = "\x1e"


# Removed everywhere: C0/C1 controls but tab and line breaks (NUL, ESC …), bidi embeddings, overrides and
# isolates (they reorder what a reader sees), a stray BOM, noncharacters, lone surrogates (no UTF-8 form).
_DROP = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff"
                   "\ud800-\udfff]")
# Line breaks as Word, Excel and old systems paste them (Shift+Enter in Word is a vertical tab).
_LINE_BREAK = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_SPACES = re.compile("[\t\n ]{2,}|[\t\n]")
FORMULA_STARTS = ("=", "+", "-", "@")
MAX_LINE = 300  # names, titles, codes: the longest column that holds them
MAX_MULTILINE = 4000  # reasons and notes
# Fields stored in narrower columns than MAX_LINE (core/models.py): a server refuses longer text outright.
FIELD_LIMITS = {"family_name": 60, "middle_name": 80, "given_name": 60, "card_number": 20, "job_title": 200,
                "code": 32, "number": 40, "signer": 120}


def clean_text(value: str | None, *, multiline: bool = False) -> str:
    """The one sanitizer at every seam (requests, imports, the GUI, restored data): NFC, line breaks
    unified, control and bidi-override characters and lone surrogates removed, trimmed. A single-line
    field gets its line breaks and tabs as spaces and runs of spaces collapsed; a multi-line one keeps
    newlines and tabs. None becomes ''."""
    if not value:
        return ""
    if value.isprintable():  # the common case: no control, format, separator or surrogate character at all
        text = unicodedata.normalize("NFC", value).strip()
        return text if multiline or "  " not in text else _SPACES.sub(" ", text)
    text = _DROP.sub("", _LINE_BREAK.sub("\n", value))
    text = unicodedata.normalize("NFC", text)
    if multiline:
        return "\n".join(line.rstrip() for line in text.split("\n")).strip() if "\n" in text else text.strip()
    return _SPACES.sub(" ", text).strip()


def nfc(value: str | None) -> str:
    """NFC-normalize and trim; None becomes ''. Every stored string passes through here, so it also drops
    control and bidi-override characters (newlines and tabs kept: see `clean_text`)."""
    return clean_text(value, multiline=True)


def code_text(value: str | None) -> str:
    """A typed code read the way codes are written (NFC, trimmed, upper case): «cs040 », «Cs040» → CS040.

    The one reading of a typed organization or member code: the request fields naming them (core/requests.py)
    and the command line's code arguments (cli/common.py) pass through here, so the lookup meets the stored code
    (core/codes.py writes them in upper case). Text with a space inside is no code but a name typed in its place
    («chi bo van phong»): kept as typed, so the refusal's hint quotes the clerk's words."""
    text = nfc(value)
    return text if " " in text or "\t" in text else text.upper()


def starts_like_formula(text: str) -> bool:
    """A spreadsheet would run it: = + - @ first (OWASP CSV injection)."""
    return text.startswith(FORMULA_STARTS)


def neutralize_formula(text: str) -> str:
    """For text recorded, not typed by a clerk (a login name in the audit): shown, never run."""
    return "'" + text if starts_like_formula(text) else text


def plain_value(value: str | None, *, label: str, multiline: bool = False, limit: int | None = None,
                formula: bool = True) -> str:
    """`clean_text`, then the seam's refusals: too long, or (for names and titles) starting like a
    spreadsheet formula. A leading "- " or "+ " (a pasted bullet) is dropped. Raises ValueError with a
    Vietnamese message naming `label`."""
    text = clean_text(value, multiline=multiline)
    limit = limit or (MAX_MULTILINE if multiline else MAX_LINE)
    if len(text) > limit:
        raise ValueError(f"{label} dài {len(text):_} ký tự, quá giới hạn {limit:_} ký tự: hãy rút gọn."
                         .replace("_", "."))
    if formula and not multiline:
        while text[:1] in ("-", "+") and text[1:2].isspace():
            text = text[2:].lstrip()
        if starts_like_formula(text):
            raise ValueError(f"{label} «{text[:40]}» bắt đầu bằng dấu {text[0]}: Excel sẽ coi đó là công thức. "
                             "Hãy bỏ dấu này ở đầu.")
    return text


def nfc_or_none(value: str | None) -> str | None:
    text = nfc(value)
    return text or None


def fold(value: str | None) -> str:
    """Accent- and case-insensitive key: 'Nguyễn Văn Đức' -> 'nguyen van duc'."""
    if not value:
        return ""
    text = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.lower().split())


def _split_letter_and_tone(ch: str) -> tuple[str, int]:
    """'ấ' -> ('â', 4): the base letter (keeping ă â ê ô ơ ư đ) and its tone number."""
    decomposed = unicodedata.normalize("NFD", ch.lower())
    tone = 0
    kept = []
    for part in decomposed:
        if part in _TONE_MARKS:
            tone = _TONE_MARKS[part]
        elif unicodedata.combining(part) and part not in _LETTER_MARKS:
            continue
        else:
            kept.append(part)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def _letter_code(letter: str) -> str:
    index = _ALPHABET.find(letter)
    if index >= 0:
        return chr(0x41 + index)  # 'A'.. : all below 0x7f, so byte order = code order
    if letter.isdigit():
        return chr(0x30 + int(letter)) if letter in "0123456789" else "0"
    return chr(0x70) + letter  # anything else after the alphabet, in code point order


@functools.cache  # a few hundred distinct characters in all the names of an office
def _char_key(ch: str) -> tuple[str | None, int]:
    """One character's letter code and tone; (None, 0) for what a name's order skips (punctuation)."""
    letter, tone = _split_letter_and_tone(ch)
    if not letter.isalnum():
        return None, 0
    return _letter_code(letter), tone


@functools.lru_cache(maxsize=16384)
def word_sort_key(text: str | None) -> str:
    """Sort key of one name part: letters first, then tones, as a dictionary orders words."""
    letters: list[str] = []
    tones: list[str] = []
    for syllable in nfc(text).split():
        code, tone = _syllable_key(syllable)
        letters.append(code)
        tones.append(tone)
    return "".join(letters) + _TONE_SEP + "".join(tones)


@functools.lru_cache(maxsize=16384)
def _syllable_key(syllable: str) -> tuple[str, str]:
    """One syllable's letter codes (with the word separator) and its tone: a few thousand distinct syllables make
    the names of an office («Chi», «bộ», «Nguyễn»), each worked out once (the tree's first order at provincial
    scale was a fifth of its load)."""
    letters: list[str] = []
    syllable_tone = 0
    for ch in syllable:
        code, tone = _char_key(ch)
        if code is None:
            continue
        letters.append(code)
        syllable_tone = max(syllable_tone, tone)
    letters.append(_WORD_SEP)
    return "".join(letters), str(syllable_tone)


def name_sort_key(family: str | None, middle: str | None, given: str | None) -> str:
    """Vietnamese name order: given name, then middle name, then family name."""
    return _PART_SEP.join(word_sort_key(part) for part in (given, middle, family))


def full_name(family: str | None, middle: str | None, given: str | None) -> str:
    return " ".join(part for part in (nfc(family), nfc(middle), nfc(given)) if part)


def split_full_name(name: str) -> tuple[str, str, str]:
    """'Nguyễn Thị Thu Hà' -> ('Nguyễn', 'Thị Thu', 'Hà'); one word is a given name."""
    words = nfc(name).split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def thousands(value: int) -> str:
    """5356 -> '5.356', the Vietnamese grouping used in documents and reports."""
    return f"{value:,}".replace(",", ".")


def count_text(value: int) -> str:
    """A count as party documents write it: under 10 with a leading zero («05 đồng chí», «02 chi bộ»), else
    grouped like `thousands` («12», «1.234»)."""
    return f"{value:02d}" if 0 < value < 10 else thousands(value)


def show_date(day: dt.date | None) -> str:
    """Dates are shown dd/mm/yyyy everywhere; None shows as ''."""
    return day.strftime("%d/%m/%Y") if day else ""


def decode_text_file(data: bytes) -> str:
    """The text of a file a clerk saved: UTF-8 with or without a BOM, or Windows Notepad's «Unicode» (UTF-16
    with its BOM, which tells the byte order). Raises UnicodeDecodeError for anything else (an ANSI code page)."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})")  # «2026/01/05», «2026-1-5»


def _no_such_day(year: int, month: int, day: int) -> str:
    return f"tháng {month:02d}/{year} không có ngày {day}" if 1 <= month <= 12 else f"không có tháng {month}"


def date_form_hint(text: str) -> str:
    """What to write instead of a date `parse_date` refused, said to a clerk who writes dates dd/mm/yyyy:
    «01/12/2026» → write 2026-12-01; «2026-02-31» → that day does not exist."""
    text = text.strip()
    if _ISO_DATE.fullmatch(text):
        return _no_such_day(int(text[:4]), int(text[5:7]), int(text[8:]))
    day_first, year_first = _DAY_FIRST.fullmatch(text), _YEAR_FIRST.fullmatch(text)
    if day_first or year_first:
        if day_first:
            day, month, year = (int(part) for part in day_first.groups())
        else:
            year, month, day = (int(part) for part in year_first.groups())  # type: ignore[union-attr]
        try:
            meant = dt.date(year, month, day)
        except ValueError:
            return f"ngày ghi dạng YYYY-MM-DD (năm-tháng-ngày), và {_no_such_day(year, month, day)}"
        return f"ngày ghi dạng YYYY-MM-DD (năm-tháng-ngày), ngày {show_date(meant)} thì ghi {meant.isoformat()}"
    return "ngày ghi dạng YYYY-MM-DD (năm-tháng-ngày), ví dụ 2026-12-01"


def parse_date(text: str) -> dt.date:
    """'YYYY-MM-DD' exactly (command line, JSON) -> date; raises ValueError. Python's fromisoformat also
    takes '20261231' and '2026-W53-1', which a clerk never means."""
    text = text.strip()
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(f"not YYYY-MM-DD: {text!r}")
    return dt.date.fromisoformat(text)
