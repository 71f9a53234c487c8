"""TCVN3 (TCVN 5712:1993, the "ABC" set of the .VnTime fonts): one byte per letter, text in Latin-1.

Spreadsheets typed with .VnTime fonts hold these bytes as Latin-1 characters ('NguyÔn V¨n An').
The set has distinct codes for the capitals Ă Â Ê Ô Ơ Ư Đ only; toned capitals were written with the
uppercase fonts (.VnTimeH, .VnArialH …), which draw the *lowercase* codes as capitals. So a code such as
0xD4 is 'ễ' in .VnTime and 'Ễ' in .VnTimeH, and the bytes alone cannot tell which.

How we decide: `decode(text, upper=True)` when the caller knows the font is an "H" font (the reader
sees cell fonts); otherwise a word whose ASCII letters (two or more) are all capitals ('NGUYÔN', typed with
Caps Lock in .VnTimeH) is decoded in capitals, a word with fewer ASCII letters ('LÊ') follows the
whole cell, and every other word is decoded in lowercase. A toned capital inside a
mixed-case word ('¸nh' for 'Ánh') cannot be told apart from lowercase: it decodes lowercase, and the
name importer capitalizes name words afterwards.
"""

from __future__ import annotations

import re

from khoi_desktop.core.encodings.letters import VOWELS, Tone, with_tone

# Codes of each vowel's five toned forms, in TCVN3's order: huyền, hỏi, ngã, sắc, nặng.
_TONED_CODES = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
_TONE_ORDER = (Tone.HUYEN, Tone.HOI, Tone.NGA, Tone.SAC, Tone.NANG)
# Untoned letters with their own codes: lowercase and the seven capitals of the .VnTime fonts.
_PLAIN_LOWER = {"ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE}
_PLAIN_UPPER = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7}


def _build() -> tuple[dict[str, str], dict[str, str]]:
    decode: dict[str, str] = {}
    for base, codes in _TONED_CODES.items():
        assert base in VOWELS
        for tone, code in zip(_TONE_ORDER, codes, strict=True):
            decode[chr(code)] = with_tone(base, tone)
    for letter, number in {**_PLAIN_LOWER, **_PLAIN_UPPER}.items():
        decode[chr(number)] = letter
    encode = {letter: char for char, letter in decode.items()}
    # Toned capitals and capitals missing from .VnTime use the lowercase code (drawn as capitals by
    # the .VnTimeH fonts); Ă Â Ê Ô Ơ Ư Đ keep their own capital codes.
    for char, letter in decode.items():
        encode.setdefault(letter.upper(), char)
    return decode, encode


DECODE, ENCODE = _build()
_CODES = frozenset(DECODE)
_WORD = re.compile(r"\S+")


def looks_encoded(text: str) -> bool:
    return any(ch in _CODES for ch in text)


def _decode_word(word: str, upper: bool) -> str:
    decoded = "".join(DECODE.get(ch, ch) for ch in word)
    return decoded.upper() if upper else decoded


def _ascii_letters(text: str) -> list[str]:
    return [ch for ch in text if ch.isascii() and ch.isalpha()]


def _is_caps(text: str) -> bool:
    # Two capitals at least: 'Lª' is 'Lê', not 'LÊ'.
    letters = _ascii_letters(text)
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def decode(text: str, *, upper: bool | None = None) -> str:
    """TCVN3 text -> Unicode (NFC). `upper`: True for an uppercase (.VnTimeH) font, None to guess per word."""
    if upper is not None:
        return _decode_word(text, upper)
    whole_caps = _is_caps(text)

    def word(match: re.Match[str]) -> str:
        token = match.group(0)
        return _decode_word(token, _is_caps(token) if len(_ascii_letters(token)) >= 2 else whole_caps)

    return _WORD.sub(word, text)


def encode(text: str) -> str:
    """Unicode -> TCVN3. Toned capitals become the codes an uppercase (.VnTimeH) font shows as capitals."""
    return "".join(ENCODE.get(ch, ch) for ch in text)
