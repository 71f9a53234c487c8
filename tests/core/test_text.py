"""Vietnamese text: NFC, accent folding, dictionary sort keys, names and dates."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khoi_desktop.core.text import (
    fold,
    full_name,
    name_sort_key,
    nfc,
    nfc_or_none,
    parse_date,
    show_date,
    split_full_name,
    word_sort_key,
)


def nfd(value: str) -> str:
    return unicodedata.normalize("NFD", value)


# --- NFC ---------------------------------------------------------------------------------------

def test_nfc_composes_keyboard_nfd_input() -> None:
    typed = "Nguye\u0302\u0303n"  # e + circumflex + tilde, as some keyboards send it
    assert len(typed) == 8
    assert nfc(typed) == "Nguyễn"
    assert len(nfc(typed)) == 6
    assert nfc(nfd("Đặng Thị Ánh")) == "Đặng Thị Ánh"


def test_nfc_trims_and_handles_none() -> None:
    assert nfc("  Hà Nội \n") == "Hà Nội"
    assert nfc(None) == ""
    assert nfc_or_none("   ") is None
    assert nfc_or_none(nfd(" Huế ")) == "Huế"


# --- fold --------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("NGUYỄN VĂN ĐỨC", "nguyen van duc"),
        ("Nguyễn Văn Đức", "nguyen van duc"),
        ("Đặng Thị Ánh", "dang thi anh"),
        ("Trương Quốc Hưng", "truong quoc hung"),
        ("Phạm Thị Ngọc Ẩn", "pham thi ngoc an"),
        ("Lê  Thị\tƠn ", "le thi on"),
        (nfd("Đỗ Hữu Ước"), "do huu uoc"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(text: str | None, folded: str) -> None:
    assert fold(text) == folded


# --- sort keys ---------------------------------------------------------------------------------

def ordered(*names: str) -> list[str]:
    return sorted(names, key=lambda name: name_sort_key(*split_full_name(name)))


def test_names_sort_by_given_then_middle_then_family() -> None:
    names = ["Nguyễn Văn Bình", "Trần Thị An", "Lê Văn An", "Lê Thị An", "Đỗ Văn Cường", "Bùi An"]
    # Given name first (An < Bình < Cường); among the An: middle name (empty < Thị < Văn), then family.
    assert ordered(*names) == [
        "Bùi An", "Lê Thị An", "Trần Thị An", "Lê Văn An", "Nguyễn Văn Bình", "Đỗ Văn Cường",
    ]


@pytest.mark.parametrize(
    "chain",
    [
        ["a", "ă", "â", "b"],
        ["d", "đ", "e"],
        ["e", "ê", "g"],
        ["o", "ô", "ơ", "p"],
        ["u", "ư", "v"],
        ["An", "Anh"],
        ["Anh", "Ảnh", "Ánh", "Ba"],
        ["Hương", "Hường", "Hưởng", "Hưỡng", "Hướng", "Hượng"],  # ngang < huyền < hỏi < ngã < sắc < nặng
        ["Dũng", "Đạt", "Đức"],  # đ after every d
        ["Oanh", "Ôn", "Ơn", "Phúc"],
        ["Uyên", "Ưng", "Vân"],
        ["Ân", "Ẩn", "Ấn", "Bảo"],  # a tone never outranks a letter: â with any tone < b
    ],
)
def test_vietnamese_alphabet_and_tone_order(chain: list[str]) -> None:
    keys = [word_sort_key(word) for word in chain]
    assert keys == sorted(keys), chain
    assert len(set(keys)) == len(keys)
    assert ordered(*reversed(chain)) == chain


def test_sort_key_ignores_case_and_normalization() -> None:
    assert word_sort_key("NGUYỄN") == word_sort_key("nguyễn") == word_sort_key(nfd("Nguyễn"))
    assert name_sort_key("ĐẶNG", "THỊ", "ÁNH") == name_sort_key("Đặng", "Thị", "Ánh")


def test_letters_before_tones_across_the_word() -> None:
    # "Ánh" and "Anh" differ only by tone, so both sort before "Anhx…": letters decide first.
    assert word_sort_key("Ánh") < word_sort_key("Anha")
    assert word_sort_key("Ánh") > word_sort_key("Anh")


def test_middle_and_family_decide_ties() -> None:
    assert name_sort_key("Nguyễn", "Văn", "An") < name_sort_key("Trần", "Văn", "An")
    assert name_sort_key("Trần", "", "An") < name_sort_key("Nguyễn", "Thị", "An")
    assert name_sort_key("Phạm", "Thị", "Hà") < name_sort_key("Bùi", "Thị", "Hải")


# --- names and dates ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Nguyễn Thị Thu Hà", ("Nguyễn", "Thị Thu", "Hà")),
        ("Nguyễn Văn An", ("Nguyễn", "Văn", "An")),
        ("Lê Lợi", ("Lê", "", "Lợi")),
        ("Hùng", ("", "", "Hùng")),
        ("  Trần   Văn   Bình  ", ("Trần", "Văn", "Bình")),
        (nfd("Đặng Thị Ánh"), ("Đặng", "Thị", "Ánh")),
        ("", ("", "", "")),
    ],
)
def test_split_full_name(text: str, parts: tuple[str, str, str]) -> None:
    assert split_full_name(text) == parts
    assert full_name(*parts) == " ".join(nfc(text).split())


def test_full_name_joins_non_empty_parts_in_nfc() -> None:
    assert full_name("Lê", "", "Lợi") == "Lê Lợi"
    assert full_name(nfd("Nguyễn"), None, "An") == "Nguyễn An"


def test_show_date_is_day_month_year_with_leading_zeros() -> None:
    assert show_date(dt.date(2020, 3, 5)) == "05/03/2020"
    assert show_date(dt.date(1999, 12, 31)) == "31/12/1999"
    assert show_date(None) == ""


def test_parse_date_is_iso() -> None:
    assert parse_date(" 2024-02-29 ") == dt.date(2024, 2, 29)
    for bad in ("2020-13-45", "05/03/2020", "2023-02-29", ""):
        with pytest.raises(ValueError):
            parse_date(bad)


# --- properties --------------------------------------------------------------------------------

VIETNAMESE_LETTERS = (
    "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
)
vietnamese_text = st.text(
    alphabet=st.sampled_from(VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() + "  "), max_size=40
)


@given(vietnamese_text)
def test_fold_is_idempotent_and_ascii(value: str) -> None:
    folded = fold(value)
    assert fold(folded) == folded
    assert folded.isascii()
    assert folded == folded.lower()
    assert fold(nfd(value)) == folded


@given(vietnamese_text, vietnamese_text, vietnamese_text)
def test_sort_key_is_normalization_and_case_invariant(family: str, middle: str, given_name: str) -> None:
    key = name_sort_key(family, middle, given_name)
    assert name_sort_key(nfd(family), nfd(middle), nfd(given_name)) == key
    assert name_sort_key(family.upper(), middle.lower(), given_name.upper()) == key


ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
VOWELS = "aăâeêioôơuưy"
TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]  # ngang huyền hỏi ngã sắc nặng


@st.composite
def syllables(draw: st.DrawFn) -> tuple[str, tuple[list[int], int]]:
    """A word with at most one tone mark, on a vowel as Vietnamese writes it.

    Returned with its reference order: letters by the alphabet, then the tone.
    """
    base = draw(st.text(alphabet=st.sampled_from(ALPHABET), min_size=1, max_size=6))
    vowels = [i for i, ch in enumerate(base) if ch in VOWELS]
    tone = draw(st.integers(0, 5)) if vowels else 0
    at = draw(st.sampled_from(vowels)) if vowels else 0
    word = nfc(base[:at + 1] + TONES[tone] + base[at + 1:])
    if draw(st.booleans()):
        word = word.capitalize()
    return word, ([ALPHABET.index(ch) for ch in base], tone)


@given(syllables(), syllables())
def test_word_order_matches_the_dictionary(first: tuple[str, tuple], second: tuple[str, tuple]) -> None:
    (word_a, ref_a), (word_b, ref_b) = first, second
    key_a, key_b = word_sort_key(word_a), word_sort_key(word_b)
    assert (key_a < key_b) == (ref_a < ref_b), (word_a, word_b)
    assert (key_a == key_b) == (ref_a == ref_b), (word_a, word_b)
