"""Vietnamese text: NFC normalization, accent-insensitive search keys, dictionary sort keys."""

from __future__ import annotations

import datetime as dt
import functools
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


def nfc(value: str | None) -> str:
    """NFC-normalize and trim; None becomes ''. Every stored string passes through here."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", value).strip()


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


@functools.lru_cache(maxsize=16384)
def word_sort_key(text: str | None) -> str:
    """Sort key of one name part: letters first, then tones, as a dictionary orders words."""
    letters: list[str] = []
    tones: list[str] = []
    for syllable in nfc(text).split():
        syllable_tone = 0
        for ch in syllable:
            letter, tone = _split_letter_and_tone(ch)
            if not letter.isalnum():
                continue
            letters.append(_letter_code(letter))
            syllable_tone = max(syllable_tone, tone)
        letters.append(_WORD_SEP)
        tones.append(str(syllable_tone))
    return "".join(letters) + _TONE_SEP + "".join(tones)


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


def show_date(day: dt.date | None) -> str:
    """Dates are shown dd/mm/yyyy everywhere; None shows as ''."""
    return day.strftime("%d/%m/%Y") if day else ""


def parse_date(text: str) -> dt.date:
    """ISO 'YYYY-MM-DD' (command line, JSON) -> date; raises ValueError."""
    return dt.date.fromisoformat(text.strip())
