"""VNI-Windows (VNI-Times and other "VNI-" fonts): a base letter followed by a mark character.

Text sits in Windows-1252 code points: 'Nguyễn' is 'Nguyeãn', 'Trường' is 'Tröôøng'. Lowercase marks
pair with lowercase bases and their capital forms (code − 0x20) with capital bases. A few letters have
one code of their own: ơ 'ô', ư 'ö', đ 'ñ', and the i forms í ì 'æ'(ỉ) 'ó'(ĩ) 'ò'(ị) plus ỵ 'î'.
"""

from __future__ import annotations

from khoi_desktop.core.encodings.letters import VOWELS, Tone, with_tone

# Mark characters (lowercase forms) for a tone alone, and for the letter marks combined with a tone.
_TONE_MARK = {Tone.SAC: "ù", Tone.HUYEN: "ø", Tone.HOI: "û", Tone.NGA: "õ", Tone.NANG: "ï"}
_CIRCUMFLEX = {Tone.NGANG: "â", Tone.SAC: "á", Tone.HUYEN: "à", Tone.HOI: "å", Tone.NGA: "ã", Tone.NANG: "ä"}
_BREVE = {Tone.NGANG: "ê", Tone.SAC: "é", Tone.HUYEN: "è", Tone.HOI: "ú", Tone.NGA: "ü", Tone.NANG: "ë"}
# Letters written as a single code (lowercase forms).
_SINGLE = {"ơ": "ô", "ư": "ö", "đ": "ñ", "í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò", "ỵ": "î"}
_HORN_BASE = {"ơ": "ô", "ư": "ö"}  # ơ and ư take tone marks after their own code
_PLAIN = {"ă": ("a", _BREVE), "â": ("a", _CIRCUMFLEX), "ê": ("e", _CIRCUMFLEX), "ô": ("o", _CIRCUMFLEX)}


def _lower_sequence(letter: str, vowel: str, tone: Tone) -> str:
    if letter in _SINGLE:
        return _SINGLE[letter]
    if vowel in _PLAIN:
        base, marks = _PLAIN[vowel]
        return base + marks[tone]
    if vowel in _HORN_BASE:
        return _HORN_BASE[vowel] + _TONE_MARK[tone]
    return vowel if tone is Tone.NGANG else vowel + _TONE_MARK[tone]


def _upper(sequence: str) -> str:
    # Windows-1252 capitals of these Latin-1 letters are 0x20 lower; str.upper() agrees for all of them.
    return sequence.upper()


def _build() -> tuple[dict[str, str], dict[str, str]]:
    encode: dict[str, str] = {}
    for vowel in VOWELS:
        for tone in Tone:
            letter = with_tone(vowel, tone)
            sequence = _lower_sequence(letter, vowel, tone)
            encode[letter] = sequence
            encode[letter.upper()] = _upper(sequence)
    encode["đ"] = _SINGLE["đ"]
    encode["Đ"] = _upper(_SINGLE["đ"])
    encode = {k: v for k, v in encode.items() if k != v}  # plain a e i o u y stay as they are
    decode = {v: k for k, v in encode.items()}
    assert len(decode) == len(encode), "VNI table is not one-to-one"
    return decode, encode


DECODE, ENCODE = _build()
_PAIRS = {seq for seq in DECODE if len(seq) == 2}
_SINGLES = {seq for seq in DECODE if len(seq) == 1}


def decode(text: str) -> str:
    """VNI-Windows text -> Unicode: longest match first (a mark after its base, else a single code)."""
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i:i + 2]
        if pair in _PAIRS:
            out.append(DECODE[pair])
            i += 2
            continue
        ch = text[i]
        out.append(DECODE[ch] if ch in _SINGLES else ch)
        i += 1
    return "".join(out)


def encode(text: str) -> str:
    return "".join(ENCODE.get(ch, ch) for ch in text)


def looks_encoded(text: str) -> bool:
    return any(text[i:i + 2] in _PAIRS for i in range(len(text) - 1)) or any(ch in _SINGLES for ch in text)
