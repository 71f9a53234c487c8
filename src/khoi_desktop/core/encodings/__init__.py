"""Legacy Vietnamese text encodings (TCVN3, VNI-Windows, VIQR) and their detection.

Python has no codec for these: the tables are built here from Unicode's own letters (see letters.py)
and tested over every letter with every tone in both cases.
"""

from __future__ import annotations

import enum

from khoi_desktop.core.encodings import tcvn3, viqr, vni
from khoi_desktop.core.text import nfc


class Encoding(enum.StrEnum):
    UNICODE = "unicode"
    TCVN3 = "tcvn3"
    VNI = "vni"
    VIQR = "viqr"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Encoding.UNICODE: "Unicode",
    Encoding.TCVN3: "TCVN3 (ABC, phông .VnTime)",
    Encoding.VNI: "VNI-Windows",
    Encoding.VIQR: "VIQR",
}


def decode(text: str, encoding: Encoding, *, upper: bool | None = None) -> str:
    """Legacy text -> Unicode NFC (NFD input, e.g. from some keyboards, is composed too).

    `upper` matters for TCVN3 only: True when the text was typed in an uppercase .VnTimeH-style font.
    """
    if encoding is Encoding.TCVN3:
        text = tcvn3.decode(text, upper=upper)
    elif encoding is Encoding.VNI:
        text = vni.decode(text)
    elif encoding is Encoding.VIQR:
        text = viqr.decode(text)
    return nfc(text)


def encode(text: str, encoding: Encoding) -> str:
    text = nfc(text)
    if encoding is Encoding.TCVN3:
        return tcvn3.encode(text)
    if encoding is Encoding.VNI:
        return vni.encode(text)
    if encoding is Encoding.VIQR:
        return viqr.encode(text)
    return text
