"""Legacy Vietnamese encodings: exhaustive tables, round trips, per-column detection."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khoi_desktop.core.encodings import Encoding, decode, encode, tcvn3, viqr, vni
from khoi_desktop.core.encodings.detect import detect, font_encoding, preview
from khoi_desktop.core.encodings.letters import VOWELS, Tone, all_letters, non_ascii_letters, split_tone, with_tone
from khoi_desktop.core.encodings.syllables import is_syllable

LOWER = [ch for ch in all_letters() if ch.islower()]
UPPER = [ch for ch in all_letters() if ch.isupper()]
NAMES = ["Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Long", "Phạm Thị Thu Hà", "Đỗ Quang Vinh",
         "Vũ Đức Thắng", "Hoàng Thị Lệ Quyên", "Bùi Minh Tuấn", "Dương Thị Ánh Tuyết", "Ngô Xuân Trường",
         "Huỳnh Ngọc Ẩn", "Đinh Thị Ỷ Lan", "Ưng Văn Ơn"]
JOBS = ["Phó Giám đốc Sở", "Chuyên viên chính", "Trưởng phòng Tổ chức cán bộ", "Kế toán trưởng",
        "Bí thư Chi bộ", "Ủy viên Ban Thường vụ", "Giáo viên Trường Trung học phổ thông"]


def test_the_alphabet_has_134_letters_outside_ascii() -> None:
    assert len(all_letters()) == 146
    letters = non_ascii_letters()
    assert len(letters) == len(set(letters)) == 134
    assert all(unicodedata.is_normalized("NFC", ch) and len(ch) == 1 for ch in letters)
    assert with_tone("ư", Tone.NANG) == "ự" and with_tone("Ơ", Tone.HOI) == "Ở"


# --- TCVN3 ---------------------------------------------------------------------------------------

def test_tcvn3_table_is_one_byte_per_letter_in_latin1() -> None:
    assert len(tcvn3.DECODE) == 74  # 67 lowercase + Ă Â Ê Ô Ơ Ư Đ
    assert all(len(code) == 1 and 0xA0 < ord(code) <= 0xFF for code in tcvn3.DECODE)
    assert len(set(tcvn3.DECODE.values())) == 74
    for letter in non_ascii_letters():
        assert len(tcvn3.encode(letter)) == 1 and ord(tcvn3.encode(letter)) <= 0xFF


@pytest.mark.parametrize(("unicode", "legacy"), [
    ("Nguyễn Văn An", "NguyÔn V¨n An"), ("Trường", "Tr\u00adêng"), ("Đảng", "§¶ng"), ("Hà Nội", "Hµ Néi"),
    ("ĂÂÊÔƠƯĐ", "¡¢£¤¥¦§"), ("ă â ê ô ơ ư đ", "¨ © ª « ¬ \u00ad ®"),
])
def test_tcvn3_known_words(unicode: str, legacy: str) -> None:
    assert tcvn3.encode(unicode) == legacy
    assert decode(legacy, Encoding.TCVN3) == unicode


def test_tcvn3_round_trip_every_lowercase_letter_and_word() -> None:
    for letter in LOWER + ["đ"]:
        assert decode(encode(letter, Encoding.TCVN3), Encoding.TCVN3) == letter
    for name in NAMES[:10]:
        lower = name.lower()
        assert decode(encode(lower, Encoding.TCVN3), Encoding.TCVN3) == lower


def test_tcvn3_capitals_need_the_uppercase_font_or_an_all_caps_word() -> None:
    # .VnTimeH draws lowercase codes as capitals: the font must be told, or the word be ALL CAPS.
    for letter in UPPER + ["Đ"]:
        legacy = encode(letter, Encoding.TCVN3)
        assert decode(legacy, Encoding.TCVN3, upper=True) == letter
        assert decode(f"B{legacy}N", Encoding.TCVN3) == f"B{letter}N"
    for name in NAMES:
        assert decode(encode(name.upper(), Encoding.TCVN3), Encoding.TCVN3) == name.upper()
    assert decode("NGUYÔN V¡N AN", Encoding.TCVN3) == "NGUYỄN VĂN AN"
    assert decode("nguyÔn v¨n an", Encoding.TCVN3, upper=True) == "NGUYỄN VĂN AN"
    # A toned capital in a mixed-case word is indistinguishable from lowercase: 'Ánh' reads 'ánh'.
    assert decode(encode("Ánh", Encoding.TCVN3), Encoding.TCVN3) == "ánh"


# --- VNI -----------------------------------------------------------------------------------------

def test_vni_every_letter_both_cases_round_trips() -> None:
    for letter in all_letters():
        legacy = encode(letter, Encoding.VNI)
        assert 1 <= len(legacy) <= 2
        assert all(ord(ch) <= 0xFF for ch in legacy)
        assert decode(legacy, Encoding.VNI) == letter
    assert len({encode(ch, Encoding.VNI) for ch in all_letters()}) == 146
    # Pairs are a base letter then one mark; the mark never stands for a letter on its own.
    marks = {seq[1] for seq in vni.DECODE if len(seq) == 2}
    assert all(seq[0] in "aeouyAEOUYôöÔÖ" for seq in vni.DECODE if len(seq) == 2)
    assert not marks & {seq for seq in vni.DECODE if len(seq) == 1}


@pytest.mark.parametrize(("unicode", "legacy"), [
    ("Nguyễn Văn An", "Nguyeãn Vaên An"), ("Trường", "Tröôøng"), ("Đảng viên", "Ñaûng vieân"),
    ("Chào các bạn", "Chaøo caùc baïn"), ("Thị Ánh", "Thò AÙnh"), ("ĐÀO DUY TỪ", "ÑAØO DUY TÖØ"),
    ("Quyết định", "Quyeát ñònh"), ("Kỳ Anh, Lỵ", "Kyø Anh, Lî"),
])
def test_vni_known_words(unicode: str, legacy: str) -> None:
    assert encode(unicode, Encoding.VNI) == legacy
    assert decode(legacy, Encoding.VNI) == unicode


# --- VIQR ----------------------------------------------------------------------------------------

def test_viqr_every_letter_both_cases_round_trips() -> None:
    for letter in all_letters():
        legacy = encode(letter, Encoding.VIQR)
        assert legacy.isascii()
        assert decode(legacy, Encoding.VIQR) == letter


@pytest.mark.parametrize(("unicode", "legacy"), [
    ("Nguyễn Văn An", "Nguye^~n Va(n An"), ("Trường", "Tru+o+`ng"), ("Đại học", "DDa.i ho.c"),
    ("Ủy viên", "U?y vie^n"), ("Quyết định số 5.", "Quye^'t ddi.nh so^' 5."),
])
def test_viqr_known_words(unicode: str, legacy: str) -> None:
    assert decode(legacy, Encoding.VIQR) == unicode


def test_viqr_punctuation_and_escapes() -> None:
    assert decode("Ha` No^.i.", Encoding.VIQR) == "Hà Nội."  # the syllable already has its tone
    assert decode("Co' pha?i kho^ng?", Encoding.VIQR) == "Có phải không?"
    assert decode("a\\.b", Encoding.VIQR) == "a.b"
    assert decode("Dda'", Encoding.VIQR) == "Đá" and decode("Adda", Encoding.VIQR) == "Adda"
    assert decode("a'^", Encoding.VIQR) == "ấ"  # tone before the letter mark
    assert encode("x.y d'd dd", Encoding.VIQR) == "x\\.y d\\'d d\\d"


syllable_text = st.lists(
    st.tuples(st.sampled_from(["", "ng", "tr", "th", "qu", "gi", "đ", "Đ", "B", "kh", "ph"]),
              st.sampled_from(list(VOWELS) + ["ươ", "uyê", "oa", "iê"]), st.sampled_from(list(Tone)),
              st.sampled_from(["", "n", "ng", "nh", "m"]), st.booleans()),
    min_size=1, max_size=6,
)


@given(syllable_text)
def test_round_trips_on_generated_vietnamese(parts: list[tuple[str, str, Tone, str, bool]]) -> None:
    words = []
    for initial, nucleus, tone, final, caps in parts:
        toned = nucleus[:-1] + with_tone(nucleus[-1], tone)
        word = initial + toned + final
        words.append(word.upper() if caps else word.lower())
    text = " ".join(words)
    assert decode(encode(text, Encoding.VNI), Encoding.VNI) == text
    assert decode(encode(text, Encoding.VIQR), Encoding.VIQR) == text
    # TCVN3 has no toned capitals: they read as such only in an ALL-CAPS cell (two ASCII capitals at least).
    caps = text == text.upper() and sum(ch.isascii() and ch.isalpha() for ch in text) >= 2
    if text == text.lower() or caps:
        assert decode(encode(text, Encoding.TCVN3), Encoding.TCVN3) == text


@given(st.text(alphabet=st.sampled_from(list("ad.^'(\\ +`?~ D") + LOWER[:20]), max_size=30))
def test_viqr_round_trips_any_text_it_escapes(text: str) -> None:
    encoded = viqr.encode(text)
    # Round trip holds unless the text stacks two tones in one syllable (VIQR reads the second as punctuation).
    if unicodedata.normalize("NFC", viqr.decode(encoded)) != unicodedata.normalize("NFC", text):
        runs = "".join(ch if ch.isalpha() else " " for ch in text).split()
        assert any(sum(split_tone(ch)[1] is not Tone.NGANG for ch in run) > 1 for run in runs)


# --- NFD and detection ---------------------------------------------------------------------------

def test_nfd_becomes_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    assert nfd != "Nguyễn Thị Ánh"
    assert decode(nfd, Encoding.UNICODE) == "Nguyễn Thị Ánh"


def test_syllable_checker() -> None:
    good = "Nguyễn Văn An Thị Ánh Đào Trường Quyết Giêng gì Khuya Bích Huỳnh Oanh Ngọc Xuân Tuấn Lực".split()
    assert all(is_syllable(w) for w in good)
    assert not any(is_syllable(w) for w in ["NguyÔn", "V¨n", "Bớch", "Bàc", "UBND", "Nguye^~n", "aa'"])


@pytest.mark.parametrize("encoding", list(Encoding))
def test_detects_each_encoding_on_realistic_columns(encoding: Encoding) -> None:
    for column in (NAMES, JOBS):
        cells = [encode(text, encoding) for text in column]
        found = detect(cells)
        assert found.encoding is encoding, found.scores
        if encoding is Encoding.TCVN3:  # toned capitals in mixed case ('Ánh') read lowercase in TCVN3
            assert [found.decode(c).lower() for c in cells] == [text.lower() for text in column]
        else:
            assert [found.decode(c) for c in cells] == column


def test_detects_tcvn3_name_from_a_single_realistic_cell() -> None:
    found = detect(["NguyÔn V¨n An"])
    assert found.encoding is Encoding.TCVN3
    assert found.decode("NguyÔn V¨n An") == "Nguyễn Văn An"


def test_detects_all_caps_tcvn3_and_nfd_unicode() -> None:
    caps = [encode(n.upper(), Encoding.TCVN3) for n in NAMES]
    found = detect(caps)
    assert found.encoding is Encoding.TCVN3
    assert [found.decode(c) for c in caps] == [n.upper() for n in NAMES]
    nfd = [unicodedata.normalize("NFD", n) for n in NAMES]
    found = detect(nfd)
    assert found.encoding is Encoding.UNICODE
    assert [found.decode(c) for c in nfd] == NAMES


def test_plain_ascii_and_unicode_stay_unicode() -> None:
    assert detect(["An", "Long", "Chi bo 1", "12345"]).encoding is Encoding.UNICODE
    assert detect(NAMES).encoding is Encoding.UNICODE
    assert detect([]).encoding is Encoding.UNICODE


def test_font_hints() -> None:
    assert font_encoding(".VnTime") == (Encoding.TCVN3, False)
    assert font_encoding(".VnTimeH") == (Encoding.TCVN3, True)
    assert font_encoding("VNI-Times") == (Encoding.VNI, None)
    assert font_encoding("Times New Roman") == (None, None)
    # An uppercase font decodes lowercase codes as capitals.
    found = detect(["nguyÔn v¨n an"], [".VnTimeH"])
    assert (found.encoding, found.decode("nguyÔn v¨n an")) == (Encoding.TCVN3, "NGUYỄN VĂN AN")
    # Unicode pasted into a cell formatted .VnTime is still Unicode.
    assert detect(["Chi bộ Văn phòng", "Phó Giám đốc"], [".VnTime", ".VnTime"]).encoding is Encoding.UNICODE


def test_preview_prefers_changed_cells() -> None:
    cells = ["An", "NguyÔn V¨n An", "TrÇn ThÞ BÝch"]
    found = detect(cells)
    pairs = preview(cells, found, limit=2)
    assert pairs == [("NguyÔn V¨n An", "Nguyễn Văn An"), ("TrÇn ThÞ BÝch", "Trần Thị Bích")]
