"""Is a word a well-formed Vietnamese syllable? Used to score candidate decodings of legacy text."""

from __future__ import annotations

import functools
import re
import unicodedata

from khoi_desktop.core.encodings.letters import Tone, split_tone

_INITIALS = "ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnprstvx]"
_NUCLEI = sorted(
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi oo ôi ơi ua uâ uê ui uô uơ uy ưa "
    "ưi ưu ươ yê iêu yêu oai oay oao oeo uây uôi uya uyê uyu ươi ươu uê".split(),
    key=len, reverse=True,
)
_FINALS = "ch|ng|nh|[cmnpt]"
_SYLLABLE = re.compile(rf"^(?:{_INITIALS})?({'|'.join(_NUCLEI)})({_FINALS})?$")
# "ch" and "nh" close only front vowels: ach, êch, ich, oach, uych; anh, ênh, inh, oanh, uynh.
_FRONT_LAST = frozenset("aêiy")
_STOP_FINALS = frozenset({"c", "ch", "p", "t"})  # these take only sắc or nặng


@functools.lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """'Nguyễn' -> True, 'NguyÔn' or 'Bớch' -> False. Case-insensitive; the word must be NFC."""
    word = unicodedata.normalize("NFC", word).lower()
    if not word or not word.isalpha():
        return False
    tones = []
    bare = []
    for ch in word:
        letter, tone = split_tone(ch)
        bare.append(letter)
        if tone is not Tone.NGANG:
            tones.append(tone)
    if len(tones) > 1:
        return False
    match = _SYLLABLE.match("".join(bare))
    if match is None:
        return False
    nucleus, final = match.group(1), match.group(2)
    if final in ("ch", "nh") and nucleus[-1] not in _FRONT_LAST:
        return False
    return not (final in _STOP_FINALS and tones and tones[0] not in (Tone.SAC, Tone.NANG))


_STRIP = "\"'()[]{}.,;:!?-–/"


def score(text: str) -> int:
    """Well-formed syllables minus malformed words; words with digits count for nothing."""
    total = 0
    for raw in text.split():
        word = raw.strip(_STRIP)
        if not word or any(ch.isdigit() for ch in word):
            continue
        total += 1 if is_syllable(word) else -1
    return total
