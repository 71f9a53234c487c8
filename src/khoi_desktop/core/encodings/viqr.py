"""VIQR (RFC 1456): Vietnamese in plain ASCII, a letter followed by its marks.

Letter marks: a( = ă, a^ = â, e^ = ê, o^ = ô, o+ = ơ, u+ = ư, dd = đ (DD or Dd = Đ); tone marks follow:
' sắc, ` huyền, ? hỏi, ~ ngã, . nặng ('Nguye^~n Va(n An', 'Tru+o+`ng'). A backslash keeps a mark
character literal ('Ha` No^.i\\.'). Undoubled, a '.' or '?' after a syllable that already has its tone
is punctuation, so unescaped sentences decode too.
"""

from __future__ import annotations

from khoi_desktop.core.encodings.letters import VOWELS, Tone, split_tone, with_tone

_LETTER_MARKS = {"ă": ("a", "("), "â": ("a", "^"), "ê": ("e", "^"), "ô": ("o", "^"), "ơ": ("o", "+"),
                 "ư": ("u", "+")}
_TONE_CHARS = {Tone.SAC: "'", Tone.HUYEN: "`", Tone.HOI: "?", Tone.NGA: "~", Tone.NANG: "."}
_CHAR_TONES = {ch: tone for tone, ch in _TONE_CHARS.items()}
_MODIFIERS = {("a", "("): "ă", ("a", "^"): "â", ("e", "^"): "ê", ("o", "^"): "ô", ("o", "+"): "ơ",
              ("u", "+"): "ư"}
MARK_CHARS = frozenset("(^+'`?~.")
_ESCAPABLE = MARK_CHARS | {"\\", "d", "D"}
_PUNCTUATION_TONES = {".", "?"}  # also sentence punctuation


def _build_encode() -> dict[str, str]:
    table: dict[str, str] = {}
    for vowel in VOWELS:
        base, modifier = _LETTER_MARKS.get(vowel, (vowel, ""))
        for tone in Tone:
            letter = with_tone(vowel, tone)
            sequence = base + modifier + (_TONE_CHARS[tone] if tone is not Tone.NGANG else "")
            table[letter] = sequence
            table[letter.upper()] = base.upper() + modifier + sequence[len(base) + len(modifier):]
    table["đ"] = "dd"
    table["Đ"] = "DD"
    return {k: v for k, v in table.items() if k != v}


ENCODE = _build_encode()


def encode(text: str) -> str:
    """Unicode -> VIQR; a literal mark character after a letter is escaped with a backslash."""
    out: list[str] = []
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else ""
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in _ESCAPABLE:
            out.append("\\\\")
        elif ch in MARK_CHARS and prev.isalpha():
            out.append("\\" + ch)
        elif ch in "dD" and prev in "dD":
            out.append("\\" + ch)
        else:
            out.append(ENCODE.get(ch, ch))
    return "".join(out)


def _syllable_has_tone(out: list[str]) -> bool:
    for ch in reversed(out):
        if not ch.isalpha():
            return False
        if split_tone(ch)[1] is not Tone.NGANG:
            return True
    return False


def decode(text: str) -> str:
    """VIQR -> Unicode (NFC)."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in _ESCAPABLE:
            out.append(text[i + 1])
            i += 2
            continue
        prev = out[-1] if out else ""
        if ch in "dD" and prev in ("d", "D") and not (len(out) > 1 and out[-2].isalpha()):
            out[-1] = "Đ" if prev == "D" else "đ"
        elif ch in "(^+" and prev and (split_tone(prev)[0].lower(), ch) in _MODIFIERS:
            base, tone = split_tone(prev)  # the tone may come before the letter mark: a'^
            letter = with_tone(_MODIFIERS[(base.lower(), ch)], tone)
            out[-1] = letter.upper() if prev.isupper() else letter
        elif ch in _CHAR_TONES and prev and split_tone(prev)[0].lower() in VOWELS:
            base, tone = split_tone(prev)
            punctuation = ch in _PUNCTUATION_TONES and (tone is not Tone.NGANG or _syllable_has_tone(out))
            if tone is Tone.NGANG and not punctuation:
                out[-1] = with_tone(base, _CHAR_TONES[ch])
            else:
                out.append(ch)
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def looks_encoded(text: str) -> bool:
    return any(ch in MARK_CHARS for ch in text) or "dd" in text.lower()
