"""The Word copy: same words as the PDF, A4 with the party margins, read back with python-docx."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

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
