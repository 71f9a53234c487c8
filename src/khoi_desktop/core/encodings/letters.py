"""The Vietnamese letters every legacy table must cover, built from Unicode rather than typed in."""

from __future__ import annotations

import enum
import unicodedata


class Tone(enum.IntEnum):
    """The six tones, in the order the letters are generated (ngang = no mark)."""

    NGANG = 0
    HUYEN = 1  # grave
    HOI = 2  # hook above
    NGA = 3  # tilde
    SAC = 4  # acute
    NANG = 5  # dot below


TONE_MARKS = {Tone.HUYEN: "\u0300", Tone.HOI: "\u0309", Tone.NGA: "\u0303", Tone.SAC: "\u0301", Tone.NANG: "\u0323"}
MARK_TONES = {mark: tone for tone, mark in TONE_MARKS.items()}

# The twelve vowel letters (bases that take a tone); đ is the one extra consonant.
VOWELS = "aăâeêioôơuưy"
CONSONANT_D = "đ"


def with_tone(base: str, tone: Tone) -> str:
    """('ê', Tone.NGA) -> 'ễ', composed (NFC). Works for capitals too."""
    if tone is Tone.NGANG:
        return base
    return unicodedata.normalize("NFC", base + TONE_MARKS[tone])


def split_tone(letter: str) -> tuple[str, Tone]:
    """'Ễ' -> ('Ê', Tone.NGA): the letter without its tone (keeping ă â ê ô ơ ư) and the tone."""
    tone = Tone.NGANG
    kept = []
    for part in unicodedata.normalize("NFD", letter):
        if part in MARK_TONES:
            tone = MARK_TONES[part]
        else:
            kept.append(part)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def all_letters() -> list[str]:
    """Every Vietnamese vowel with every tone in both cases, then đ and Đ: 12 × 6 × 2 + 2 = 146."""
    lower = [with_tone(v, t) for v in VOWELS for t in Tone]
    return lower + [ch.upper() for ch in lower] + [CONSONANT_D, CONSONANT_D.upper()]


def non_ascii_letters() -> list[str]:
    """The 134 letters outside ASCII (67 per case) that a legacy encoding has to represent."""
    return [ch for ch in all_letters() if not ch.isascii()]
