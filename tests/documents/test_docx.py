"""The Word copy: same words as the PDF, A4 with the party margins, read back with python-docx."""

from __future__ import annotations

import datetime as dt
import io
import os
import unicodedata

import pytest
from docx import Document
from docx.oxml.ns import qn

from khoi_desktop.core.decision_content import PrintInfo
from khoi_desktop.documents.docx import render_docx
from khoi_desktop.documents.sample import sample_content

ISSUED = PrintInfo(12, dt.date(2020, 3, 5), draft=False)


def all_text(document: Document) -> list[str]:
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts += [p.text for p in cell.paragraphs]
    return texts


def test_paragraphs_read_back() -> None:
    content = sample_content()
    document = Document(io.BytesIO(render_docx(content, ISSUED)))
    paragraphs = [p.text for p in document.paragraphs]
    assert "QUYẾT ĐỊNH" in paragraphs
    assert content.subject in paragraphs
    assert "- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;" in paragraphs
    articles = [p for p in paragraphs if p.startswith("Điều ")]
    assert [a.split(".")[0] for a in articles] == ["Điều 1", "Điều 2", "Điều 3"]
    assert articles[0] == "Điều 1. " + content.articles[0].paragraphs[0]
    bold = [r.text for p in document.paragraphs if p.text.startswith("Điều 1.") for r in p.runs if r.bold]
    assert bold == ["Điều 1."]
    texts = all_text(document)
    for expected in ("ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG BỘ TỈNH THÁI NGUYÊN", "Số 12-QĐ/ĐUK",
                     "Thái Nguyên, ngày 05 tháng 03 năm 2020", "Nơi nhận:", "- Như Điều 3,", "T/M BAN THƯỜNG VỤ",
                     "BÍ THƯ", "Nguyễn Văn Hùng",
                     "(Kèm theo Quyết định số 12-QĐ/ĐUK, ngày 05/03/2020\n"
                     "của Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh)"):
        assert expected in texts, expected
    names = {row[1] for row in content.attachments[0].rows}
    assert names <= set(texts)
    assert "DỰ THẢO" not in "".join(texts)


def test_page_setup_and_repeating_table_header() -> None:
    document = Document(io.BytesIO(render_docx(sample_content(), ISSUED)))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                     section.right_margin)]
    assert margins == [20, 20, 30, 15]
    assert section.different_first_page_header_footer  # page numbers from page 2
    assert "PAGE" in section.header._element.xml
    members = document.tables[-1]
    assert members.rows[0].cells[1].text == "Họ và tên" and len(members.rows) == 46
    assert members.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_draft_and_nfc() -> None:
    content = sample_content()
    content.signature.name = unicodedata.normalize("NFD", "Nguyễn Văn Hùng")
    document = Document(io.BytesIO(render_docx(content, PrintInfo(None, None, draft=True))))
    texts = all_text(document)
    assert "Nguyễn Văn Hùng" in texts
    assert "DỰ THẢO" in document.sections[0].first_page_header.paragraphs[0].text
    assert any(t.startswith("Số ") and t.endswith("-QĐ/ĐUK") and "12" not in t for t in texts)


def _body_paragraphs(document: Document) -> list:
    return [p for p in document.paragraphs if p.text.startswith(("- Căn cứ", "Điều "))]


def test_only_the_last_paragraph_keeps_with_the_signature_and_a_list_starts_its_own_page() -> None:
    """The whole last article kept with the signature, and a paragraph holding a page break before each list:
    LibreOffice left page 1 of a one-page decision 7 cm empty, and an empty page 2 when the signature ended low."""
    from khoi_desktop.core.decision_content import Article

    content = sample_content(articles=[Article(["Thành lập Chi bộ A."]), Article(["Hồ sơ bàn giao."]),
                                       Article(["Văn phòng chịu trách nhiệm thi hành Quyết định này.",
                                                "Quyết định có hiệu lực kể từ ngày ký."])])
    document = Document(io.BytesIO(render_docx(content, ISSUED)))
    kept = [p.text for p in document.paragraphs if p.paragraph_format.keep_with_next]
    assert kept == ["Quyết định có hiệu lực kể từ ngày ký.", "", "DANH SÁCH ĐẢNG VIÊN CHI BỘ SỞ TÀI CHÍNH\n"
                    "CHUYỂN VỀ SINH HOẠT TẠI CHI BỘ SỞ TÀI CHÍNH 1"]
    assert 'w:type="page"' not in document.element.body.xml  # no paragraph only there to break the page
    heading = next(p for p in document.paragraphs if p.text.startswith("DANH SÁCH"))
    assert heading.paragraph_format.page_break_before


def test_lines_are_as_far_apart_as_in_the_pdf() -> None:
    """Body lines 17.5 pt apart (the PDF's 1.25 leading), the enacting formula one paragraph, no empty 14 pt
    paragraphs around the subject rule: the Word copy ran 16 mm longer than the PDF, over onto a second page."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    document = Document(io.BytesIO(render_docx(sample_content(), ISSUED)))
    body = _body_paragraphs(document)
    assert body and all(p.paragraph_format.line_spacing == Pt(17.5) for p in body)
    assert all(p.paragraph_format.line_spacing_rule == WD_LINE_SPACING.AT_LEAST for p in body)
    texts = [p.text for p in document.paragraphs]
    assert "BAN THƯỜNG VỤ ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH\nQUYẾT ĐỊNH" in texts
    subject = texts.index("về việc chia tách Chi bộ Sở Tài chính")
    assert texts[subject + 1].strip() == "" and texts[subject + 2].startswith("- Căn cứ")  # the rule, then căn cứ


def _soffice() -> str | None:
    import shutil

    return shutil.which("soffice")


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice not installed")
def test_libreoffice_lays_the_word_copy_out_on_as_many_pages_as_the_pdf(tmp_path) -> None:
    import subprocess

    from pypdf import PdfReader

    from khoi_desktop.documents.pdf import render_pdf
    from khoi_desktop.resource_files import FONT_DIR

    # Times New Roman is Liberation Serif here (metric-compatible), as on a Word machine; not a wider fallback.
    (tmp_path / "fonts.conf").write_text(
        '<?xml version="1.0"?><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f'<dir>{FONT_DIR}</dir><cachedir>{tmp_path}/fc</cachedir><alias binding="same"><family>Times New Roman'
        '</family><accept><family>Liberation Serif</family></accept></alias></fontconfig>', encoding="utf-8")
    content = sample_content(members=3)  # one page of decision, ending low, and one page of list
    (tmp_path / "d.docx").write_bytes(render_docx(content, ISSUED))
    subprocess.run([_soffice(), f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(tmp_path / "d.docx")], check=True, capture_output=True,
                   timeout=120, env={**os.environ, "FONTCONFIG_FILE": str(tmp_path / "fonts.conf")})
    word_pages = len(PdfReader(tmp_path / "d.pdf").pages)
    assert word_pages == len(PdfReader(io.BytesIO(render_pdf(content, ISSUED))).pages) == 2


def test_a_letter_without_enacting_formula_has_no_empty_paragraph_for_it() -> None:
    """A giấy giới thiệu has no «BAN THƯỜNG VỤ … QUYẾT ĐỊNH»: its empty paragraph (30 pt with its spacing) pushed
    the tear-off slip onto a page of its own in LibreOffice, away from the letter it is cut from."""
    import dataclasses

    from khoi_desktop.core.decision_content import TearOff

    content = dataclasses.replace(sample_content(), enacting="", attachments=[],
                                  tear_off=TearOff("PHIẾU BÁO", ["Kính gửi: …"], ["T/M CẤP ỦY"]))
    document = Document(io.BytesIO(render_docx(content, ISSUED)))
    empty = [p for p in document.paragraphs if not p.text]
    assert len(empty) == 2  # the space before the closing, the cut line above the slip
