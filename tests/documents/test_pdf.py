"""The PDF of a decision in the party format (DOMAIN.md §4), read back from the bytes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import subprocess
import sys
import unicodedata

import pytest
from pdf_probe import MM, font_descriptors, page_sizes_mm, page_texts, words

from khoi_desktop.core.decision_content import DecisionContent, PrintInfo
from khoi_desktop.core.settings import OfficeSettings
from khoi_desktop.documents import fonts, layout
from khoi_desktop.documents.header import balanced_lines, fit_name, layout_header
from khoi_desktop.documents.pdf import render_pdf
from khoi_desktop.documents.sample import sample_content

ISSUED = PrintInfo(12, dt.date(2020, 3, 5), draft=False)
DRAFT = PrintInfo(None, None, draft=True)
LONG_BODY = "ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG, MẶT TRẬN TỔ QUỐC,\nĐOÀN THỂ TỈNH THÁI NGUYÊN"
LONG = OfficeSettings(issuing_body=LONG_BODY, superior_body="ĐẢNG BỘ TỈNH THÁI NGUYÊN",
                      place_name="Thành phố Thái Nguyên",
                      standing_committee="BAN THƯỜNG VỤ ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG, MẶT TRẬN TỔ QUỐC, ĐOÀN THỂ TỈNH")


@pytest.fixture(scope="module")
def content() -> DecisionContent:
    return sample_content()


@pytest.fixture(scope="module")
def issued_pdf(content: DecisionContent) -> bytes:
    return render_pdf(content, ISSUED)


@pytest.fixture(scope="module")
def issued_text(issued_pdf: bytes) -> list[str]:
    return page_texts(issued_pdf)


@pytest.fixture(scope="module")
def draft_pdf(content: DecisionContent) -> bytes:
    return render_pdf(content, DRAFT)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_first_page_carries_every_element(issued_text: list[str], content: DecisionContent) -> None:
    first = flat(issued_text[0])
    for expected in ("ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG BỘ TỈNH THÁI NGUYÊN", "ĐẢNG ỦY KHỐI CÁC CƠ QUAN",
                     "TỈNH THÁI NGUYÊN", "Số 12-QĐ/ĐUK", "Thái Nguyên, ngày 05 tháng 03 năm 2020", "QUYẾT ĐỊNH",
                     "về việc chia tách Chi bộ Sở Tài chính", "- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
                     "- Xét đề nghị của Ban Tổ chức", "BAN THƯỜNG VỤ ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH",
                     "Điều 1.", "Điều 2.", "Điều 3.", "Nơi nhận:", "- Như Điều 3,", "- Lưu Văn phòng Đảng ủy Khối.",
                     "T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Nguyễn Văn Hùng"):
        assert expected in first, expected
    assert "Số: " not in first and "Số 12" in first
    assert "DỰ THẢO" not in "".join(issued_text)


def test_pages_are_a4_with_embedded_fonts(issued_pdf: bytes) -> None:
    assert set(page_sizes_mm(issued_pdf)) == {(210.0, 297.0)}
    used = font_descriptors(issued_pdf)
    assert used and all(used.values()), used
    assert all("LiberationSerif" in name for name in used), used  # no Helvetica fallback anywhere


def test_attachment_spans_pages_with_its_header_on_each(issued_text: list[str], content: DecisionContent) -> None:
    assert len(issued_text) >= 3
    all_text = flat(" ".join(issued_text))
    for row in content.attachments[0].rows:
        assert row[1] in all_text, row[1]
    table_pages = [flat(t) for t in issued_text[1:]]
    assert len(table_pages) >= 2
    for text in table_pages:
        assert "Họ và tên" in text and "Ngày sinh" in text and "Chức vụ, đơn vị" in text
    assert "(Kèm theo Quyết định số 12-QĐ/ĐUK, ngày 05/03/2020 của Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh)" \
        in table_pages[0]


def test_page_numbers_from_page_two_centred_at_the_top(issued_pdf: bytes) -> None:
    placed = words(issued_pdf)
    top = 20 * MM  # inside the top margin
    first_top = [w for w in placed if w.page == 1 and w.y1 < top]
    assert first_top == []
    for page in (2, 3):
        numbers = [w for w in placed if w.page == page and w.y1 < top]
        assert [w.text for w in numbers] == [str(page)]
        centre = (numbers[0].x0 + numbers[0].x1) / 2
        assert abs(centre - (layout.MARGIN_LEFT + layout.FRAME_WIDTH / 2)) < 2


def test_margins_are_respected(issued_pdf: bytes) -> None:
    for word in words(issued_pdf):
        assert word.x0 >= layout.MARGIN_LEFT - 1, word
        assert word.x1 <= layout.PAGE_WIDTH - layout.MARGIN_RIGHT + 1, word
        assert word.y1 <= layout.PAGE_HEIGHT - layout.MARGIN_BOTTOM + 1, word


def test_draft_has_blanks_and_the_mark(draft_pdf: bytes) -> None:
    texts = page_texts(draft_pdf)
    first = flat(texts[0])
    assert "DỰ THẢO" in first
    assert "-QĐ/ĐUK" in first and "12-QĐ/ĐUK" not in first
    assert f"năm {dt.date.today().year}" in first and "ngày 05 tháng" not in first
    assert all("DỰ THẢO" in flat(t) for t in texts)
    line = next(w for w in words(draft_pdf) if w.page == 1 and w.text == "Số")
    code = next(w for w in words(draft_pdf) if w.page == 1 and w.text == "-QĐ/ĐUK")
    assert code.x0 - line.x1 > 10  # a blank wide enough to write the number by hand


def test_rendering_is_deterministic(content: DecisionContent, issued_pdf: bytes) -> None:
    assert render_pdf(content, ISSUED) == issued_pdf
    assert render_pdf(content, ISSUED) != render_pdf(content, PrintInfo(13, dt.date(2020, 3, 5), draft=False))


def test_same_bytes_in_another_process(content: DecisionContent, issued_pdf: bytes) -> None:
    script = ("import sys, datetime as dt; from khoi_desktop.core.decision_content import DecisionContent, PrintInfo;"
              "from khoi_desktop.documents.pdf import render_pdf;"
              "c = DecisionContent.from_json(sys.stdin.read());"
              "sys.stdout.buffer.write(render_pdf(c, PrintInfo(12, dt.date(2020, 3, 5), False)))")
    result = subprocess.run([sys.executable, "-c", script], input=content.to_json().encode(), capture_output=True,
                            check=True)
    assert result.stdout == issued_pdf


def _nfd(value: object) -> object:
    if isinstance(value, str):
        return unicodedata.normalize("NFD", value)
    if isinstance(value, list):
        return [_nfd(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: _nfd(getattr(value, f.name)) for f in dataclasses.fields(value)})
    return value


def test_nfd_input_prints_nfc(content: DecisionContent) -> None:
    decomposed = _nfd(content)
    assert isinstance(decomposed, DecisionContent)
    assert decomposed.signature.name != content.signature.name
    pdf = render_pdf(decomposed, ISSUED)
    assert pdf == render_pdf(content, ISSUED)
    text = "".join(page_texts(pdf))
    assert unicodedata.is_normalized("NFC", text)
    assert "Nguyễn Văn Hùng" in text


@pytest.mark.parametrize("settings", [OfficeSettings(), LONG], ids=["default", "longest"])
@pytest.mark.parametrize("info", [ISSUED, DRAFT], ids=["issued", "draft"])
def test_header_boxes_never_overlap(settings: OfficeSettings, info: PrintInfo) -> None:
    header = layout_header(sample_content(settings).header, info)
    for a, b in itertools.combinations(header.lines, 2):
        ax0, ay0, ax1, ay1 = a.box
        bx0, by0, bx1, by1 = b.box
        assert not (ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1), (a.text, b.text)
    for line in header.lines:
        assert line.x >= 0 and line.x + line.width <= layout.FRAME_WIDTH + 0.01, line.text


def test_header_words_never_overlap_on_the_page() -> None:
    pdf = render_pdf(sample_content(LONG), ISSUED)
    header = [w for w in words(pdf) if w.page == 1 and w.y1 < 70 * MM]
    for a, b in itertools.combinations(header, 2):
        assert not a.overlaps(b), (a, b)
    text = flat(page_texts(pdf)[0])
    assert "Thành phố Thái Nguyên, ngày 05 tháng 03 năm 2020" in text
    date_words = [w for w in header if w.text in ("Thành", "2020")]
    assert len({round(w.y1) for w in date_words}) == 1  # the place-and-date line never wraps


def test_long_body_breaks_between_words_without_orphans() -> None:
    header = layout_header(sample_content(LONG).header, ISSUED)
    issuer = [line for line in header.lines if line.font == fonts.BOLD and line.text != layout.PARTY_NAME]
    assert " ".join(line.text for line in issuer).split() == LONG_BODY.split()
    assert all(len(line.text.split()) >= 2 for line in issuer)
    assert issuer[-1].text == "ĐOÀN THỂ TỈNH THÁI NGUYÊN"  # the administrator's break is kept
    assert len({line.size for line in issuer}) == 1 and issuer[0].size >= layout.HEADER_MIN_SIZE
    pdf_words = {w.text for w in words(render_pdf(sample_content(LONG), ISSUED)) if w.page == 1}
    assert set(LONG_BODY.split()) <= pdf_words


def test_a_slightly_long_line_is_shrunk_not_wrapped() -> None:
    text = "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH"  # a bit wider than 80 mm at 14 pt
    width = layout.HEADER_LEFT_WIDTH
    assert fonts.text_width(text, fonts.BOLD, 14) > width
    lines, size = fit_name(text, fonts.BOLD, 14, width)
    assert lines == [text] and layout.HEADER_MIN_SIZE <= size < 14


def test_balanced_lines_prefer_breaks_after_commas() -> None:
    lines = balanced_lines("ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG, MẶT TRẬN TỔ QUỐC,", fonts.BOLD, 14, layout.HEADER_LEFT_WIDTH)
    assert lines == ["ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG,", "MẶT TRẬN TỔ QUỐC,"]


@pytest.mark.parametrize("body, place", [
    ("ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG, MẶT TRẬN TỔ QUỐC, ĐOÀN THỂ VÀ CÁC ĐƠN VỊ SỰ NGHIỆP TỈNH THÁI NGUYÊN",
     "Thị xã Phổ Yên, tỉnh Thái Nguyên"),
    ("ĐẢNGỦYKHỐICÁCCƠQUANTỈNHTHÁINGUYÊNDÀI", "Thành phố Thái Nguyên"),
    ("A", "Thái Nguyên"),
])
def test_absurd_names_still_never_overlap(body: str, place: str) -> None:
    from khoi_desktop.core.decision_content import Header

    for info in (ISSUED, DRAFT):
        header = layout_header(Header(body, body, "QĐ", "ĐUK", place), info)
        for a, b in itertools.combinations(header.lines, 2):
            ax0, ay0, ax1, ay1 = a.box
            bx0, by0, bx1, by1 = b.box
            assert not (ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1), (a.text, b.text)
        assert all(-0.01 <= line.x and line.x + line.width <= layout.FRAME_WIDTH + 0.01 for line in header.lines)


def test_plain_list_cells_are_not_parsed_as_markup_and_print_the_same(content: DecisionContent,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A list's cells are mostly plain words: they are set without reportlab's markup parser (a tenth of a print),
    byte for byte as parsed; cells with markup characters or odd spaces are still parsed, and print as written."""
    from reportlab.platypus.paraparser import ParaParser

    from khoi_desktop.documents import pdf as module

    odd = ["A & B", "<b>đậm</b>", "hai  dấu cách", " đầu", "a\u00a0b", ""]
    attachment = content.attachments[0]
    rows = [list(r) for r in attachment.rows] + [[str(len(attachment.rows) + 1 + i), text, "01/02/1990"]
                                                 for i, text in enumerate(odd)]
    listed = dataclasses.replace(content, attachments=[dataclasses.replace(attachment, rows=rows)])
    parse = ParaParser.parse
    parsed: list[str] = []

    def counted(self: ParaParser, text: str, style: object) -> object:
        parsed.append(text)
        return parse(self, text, style)

    monkeypatch.setattr(ParaParser, "parse", counted)
    pdf = render_pdf(listed, ISSUED)
    cells = sum(len(attachment.columns) for _ in rows)
    assert len(parsed) < 60 < cells, (len(parsed), cells)  # the heading, articles, signature … and the odd cells
    monkeypatch.setattr(module, "_PLAIN_WORDS", __import__("re").compile(r"(?!)"))  # every cell parsed, as before
    assert render_pdf(listed, ISSUED) == pdf
    text = "".join("".join(page_texts(pdf)).split())  # a narrow column wraps «<b>đậm</b>» after «</b»
    assert "A&B" in text and "<b>đậm</b>" in text and "haidấucách" in text


def test_a_closing_that_just_misses_its_page_is_kept_on_it_and_no_page_ends_far_above_its_margin() -> None:
    """The last article (three lines, too short to break) went over with the closing whenever the closing missed the
    page by a little: page 1 ended 66.7 mm above its bottom margin (60.5, 54.3 … as Điều 1 grew). The page is now set
    a little tighter when that keeps the closing on it; where it cannot, the blank stays under 40 mm, and the
    signature never stands on a page without body text."""
    from khoi_desktop.core.decision_content import Article

    fill = "đồng chí Nguyễn Văn An thực hiện nhiệm vụ theo quy định của Điều lệ Đảng " * 20
    last = ("Văn phòng, Ban Tổ chức Đảng ủy Khối các cơ quan tỉnh, Chi bộ Bệnh viện Phục hồi chức năng tỉnh và các "
            "đồng chí có liên quan chịu trách nhiệm thi hành Quyết định này. Quyết định có hiệu lực kể từ ngày ký.")
    bottom = layout.PAGE_HEIGHT - layout.MARGIN_BOTTOM
    blanks, kept = [], 0
    for n in range(36, 76, 3):
        text = " ".join(fill.split()[:n * 3])
        content = dataclasses.replace(sample_content(), attachments=[], articles=[
            Article([f"Chỉ định {text}."]), Article(["Đồng chí có tên tại Điều 1 thực hiện nhiệm vụ."]),
            Article([last])])
        placed = words(render_pdf(content, ISSUED))
        signed = next(w.page for w in placed if w.text == "T/M")
        if signed == 1:
            kept += 1
            assert max(w.y1 for w in placed) < bottom + 1  # within the margin
            continue
        assert any(w.text == "Điều" for w in placed if w.page == signed)  # text above the signature
        blanks.append((bottom - max(w.y1 for w in placed if w.page == signed - 1)) / MM)
    assert kept >= 5 and blanks and max(blanks) < 40, (kept, blanks)
