"""An editable Word copy of a decision, laid out as closely to the PDF as Word allows.

Leaders edit the wording of a draft in Word before it is issued; the authoritative copy of an issued
decision stays the stored PDF.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from khoi_desktop.core.decision_content import Attachment, DecisionContent, PrintInfo, TearOff
from khoi_desktop.documents import fonts, layout
from khoi_desktop.documents.header import balanced_lines, column_head_lines, enacting_block, layout_header
from khoi_desktop.documents.parts import (
    article_label,
    attachment_note,
    compounds,
    enacting_lines,
    nfc_content,
    preamble_lines,
    recipient_lines,
    tear_off_note,
)

FONT = "Times New Roman"  # the PDF's Liberation Serif has its metrics; Word machines have this one
_PT_PER_MM = 72 / 25.4


def _mm(points: float) -> Mm:
    return Mm(points / _PT_PER_MM)


def _paragraph(container: DocxDocument | _Cell, text: str = "", *, size: float = layout.BODY_SIZE,
               bold: bool = False, italic: bool = False, underline: bool = False,
               align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER, indent: float = 0,
               after: float = 0, before: float = 0, leading: float = layout.HEADER_LEADING) -> Paragraph:
    """A paragraph whose lines are as far apart as the PDF's (`leading` × size, at least), its paragraph mark
    of the same size: an empty paragraph is as high as asked, not a line of the 14 pt body."""
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(before)
    fmt.line_spacing = Pt(size * leading)
    fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    mark = OxmlElement("w:rPr")
    half_points = OxmlElement("w:sz")
    half_points.set(qn("w:val"), str(round(size * 2)))
    mark.append(half_points)
    paragraph._p.get_or_add_pPr().insert_element_before(mark, "w:sectPr", "w:pPrChange")
    if indent:
        fmt.first_line_indent = _mm(indent)
    if text:
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        run.italic = italic
        run.underline = underline
    return paragraph


# What follows w:pBdr in a paragraph's properties (ECMA-376 CT_PPrBase): Word wants the schema's order.
_AFTER_BORDERS = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                  "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                  "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                  "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                  "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _bottom_border(paragraph: Paragraph, width_eighths: int = 6) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", str(width_eighths)), ("w:space", "1"),
                       ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_BORDERS)


def _rule(container: DocxDocument | _Cell, width: float, column: float, size: float = 2) -> Paragraph:
    """A short centred rule: an empty paragraph with a bottom border, narrowed by indents."""
    paragraph = _paragraph(container, " ", size=size)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY  # else LibreOffice makes it a text line
    paragraph.paragraph_format.space_before = Pt(4)
    side = _mm(max(0.0, (column - width) / 2))
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side
    _bottom_border(paragraph)
    return paragraph


def _no_borders(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _no_cell_margins(table: Table) -> None:
    margins = OxmlElement("w:tblCellMar")
    for edge in ("top", "left", "bottom", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def _keep_row_whole(table: Table) -> None:
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _set_widths(table: Table, widths: list[float]) -> None:
    """Cell widths and the table grid alike (LibreOffice lays a table out by its grid)."""
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        column.w = _mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = _mm(width)


def _two_columns(document: DocxDocument, left: float, right: float) -> tuple[_Cell, _Cell]:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    _no_cell_margins(table)
    _keep_row_whole(table)
    _set_widths(table, [left, right])
    cells = table.rows[0].cells
    for cell in cells:
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return cells[0], cells[1]


def _header(document: DocxDocument, content: DecisionContent, info: PrintInfo) -> None:
    placed = layout_header(content.header, info)
    *left_lines, date = placed.lines
    party = next(line for line in left_lines if line.text == layout.PARTY_NAME)
    left_lines.remove(party)
    # A cell cannot lend room to its neighbour as the PDF does: the left column is as narrow as its
    # lines allow, so that the date keeps its 14 pt on the right.
    widest = max(line.width for line in left_lines)
    left_width = min(layout.HEADER_LEFT_WIDTH, max(widest + 2 * _PT_PER_MM, layout.HEADER_LEFT_WIDTH * 0.75))
    right_width = layout.FRAME_WIDTH - left_width
    left, right = _two_columns(document, left_width, right_width)
    for line in left_lines:
        _paragraph(left, line.text, size=line.size, bold=line.font == fonts.BOLD)
    party_paragraph = _paragraph(right, party.text, size=party.size, bold=True)
    side = _mm(max(0.0, (right_width - party.width) / 2 - 2 * _PT_PER_MM))
    party_paragraph.paragraph_format.left_indent = side
    party_paragraph.paragraph_format.right_indent = side
    _bottom_border(party_paragraph)
    for _ in range(max(0, len(left_lines) - 3)):  # the date stands level with the number
        _paragraph(right, " ", size=layout.NUMBER_SIZE)
    size, room = float(layout.DATE_SIZE), right_width - 1 * _PT_PER_MM
    while size > layout.DATE_MIN_SIZE and fonts.text_width(date.text, fonts.ITALIC, size) > room:
        size -= 0.5
    _paragraph(right, date.text, size=size, italic=True, before=13)


def _closing(document: DocxDocument, content: DecisionContent) -> None:
    left, right = _two_columns(document, layout.RECIPIENTS_WIDTH, layout.SIGNATURE_WIDTH)
    _paragraph(left, "Nơi nhận:", size=layout.RECIPIENTS_TITLE_SIZE, underline=True,
               align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in recipient_lines(content.recipients):
        _paragraph(left, line, size=layout.RECIPIENT_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT)
    sig = content.signature
    for line in sig.lines():
        _paragraph(right, line, size=layout.SIGNATURE_SIZE, bold=True)
    _paragraph(right, "", size=layout.SIGNATURE_SIZE, leading=layout.SIGNATURE_SPACE / layout.SIGNATURE_SIZE)
    _paragraph(right, sig.name, size=layout.SIGNATURE_SIZE, bold=True)


def _repeat_header_row(table: Table) -> None:
    row_pr = table.rows[0]._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row_pr.append(marker)


def _lines_paragraph(container: DocxDocument | _Cell, lines: list[str], **style: object) -> Paragraph:
    """One paragraph whose lines break where the PDF breaks them (explicit line breaks)."""
    paragraph = _paragraph(container, lines[0] if lines else "", **style)  # type: ignore[arg-type]
    for line in lines[1:]:
        run = paragraph.add_run()
        run.add_break()
        run = paragraph.add_run(line)
        run.font.size = paragraph.runs[0].font.size
        run.bold = paragraph.runs[0].bold
        run.italic = paragraph.runs[0].italic
    return paragraph


def _tear_off(document: DocxDocument, slip: TearOff, note: str) -> None:
    """The slip under the document after a dashed cut line, kept on one page."""
    cut = _paragraph(document, "", before=10, after=6)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "dashed"), ("w:sz", "4"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    cut._p.get_or_add_pPr().insert_element_before(border, *_AFTER_BORDERS)
    paragraphs = [_paragraph(document, slip.title, size=layout.ATTACHMENT_TITLE_SIZE, bold=True),
                  _paragraph(document, note, size=layout.ATTACHMENT_NOTE_SIZE, italic=True, after=6)]
    paragraphs += [_paragraph(document, line, align=WD_ALIGN_PARAGRAPH.LEFT, after=2) for line in slip.lines]
    for paragraph in paragraphs:  # kept with the closing's row, which never splits
        paragraph.paragraph_format.keep_with_next = True
    # The closing centred in the signature's column, as the PDF sets it (it was right-aligned across the page).
    left, right = _two_columns(document, layout.RECIPIENTS_WIDTH, layout.SIGNATURE_WIDTH)
    _paragraph(left, "", size=2)  # a cell holds a paragraph at least (LibreOffice pulled the line above into it)
    for line in slip.closing:
        _paragraph(right, line, size=layout.SIGNATURE_SIZE, before=4 if line == slip.closing[0] else 0)


def _attachment(document: DocxDocument, attachment: Attachment, note: str, keep: tuple[str, ...]) -> None:
    title = balanced_lines(attachment.title, fonts.BOLD, layout.ATTACHMENT_TITLE_SIZE, layout.SUBJECT_WIDTH, keep)
    # Each list starts a page. A paragraph holding a page break, after a signature ending low on page 1, went to
    # page 2 and broke it: page 2 of the Word copy was empty.
    heading = _lines_paragraph(document, title, size=layout.ATTACHMENT_TITLE_SIZE, bold=True)
    heading.paragraph_format.page_break_before = True
    heading.paragraph_format.keep_with_next = True
    note_lines = balanced_lines(note, fonts.ITALIC, layout.ATTACHMENT_NOTE_SIZE, layout.FRAME_WIDTH, keep)
    _lines_paragraph(document, note_lines, size=layout.ATTACHMENT_NOTE_SIZE, italic=True, after=8)
    columns = attachment.columns
    table = document.add_table(rows=1 + len(attachment.rows), cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = layout.column_widths(columns)
    _set_widths(table, widths)
    for r, values in enumerate([columns, *attachment.rows]):
        for c, cell in enumerate(table.rows[r].cells):
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if r == 0 or c == 0 else WD_ALIGN_PARAGRAPH.LEFT
            text = str(values[c]) if c < len(values) else ""
            for i, line in enumerate(column_head_lines(text, widths[c]) if r == 0 else [text]):
                run = paragraph.add_run()
                if i:
                    run.add_break()
                run.add_text(line)
                run.font.size = Pt(layout.TABLE_SIZE)
                run.bold = r == 0
    _repeat_header_row(table)


def _page_number_field(paragraph: Paragraph) -> None:
    run = paragraph.add_run()
    run.font.size = Pt(layout.PAGE_NUMBER_SIZE)
    for tag, attr in (("w:fldChar", "begin"), ("w:instrText", None), ("w:fldChar", "end")):
        element = OxmlElement(tag)
        if attr:
            element.set(qn("w:fldCharType"), attr)
        else:
            element.set(qn("xml:space"), "preserve")
            element.text = "PAGE"
        run._r.append(element)


def _boxed(run: Run) -> None:
    """A thin box around the run, as the PDF draws around DỰ THẢO."""
    border = OxmlElement("w:bdr")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        border.set(qn(key), value)
    run._r.get_or_add_rPr().append(border)


def _draft_mark(paragraph: Paragraph) -> None:
    run = paragraph.add_run(layout.DRAFT_MARK)
    run.bold = True
    run.font.size = Pt(layout.DRAFT_MARK_SIZE)
    _boxed(run)


def _setup(document: DocxDocument, draft: bool) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(layout.BODY_SIZE)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(0)
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = _mm(layout.PAGE_WIDTH), _mm(layout.PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = _mm(layout.MARGIN_TOP), _mm(layout.MARGIN_BOTTOM)
    section.left_margin, section.right_margin = _mm(layout.MARGIN_LEFT), _mm(layout.MARGIN_RIGHT)
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True  # page numbers from page 2
    number = section.header.paragraphs[0]
    if draft:  # page number centred, DỰ THẢO at the right, on every later page as on the first
        number.alignment = WD_ALIGN_PARAGRAPH.LEFT
        stops = number.paragraph_format.tab_stops
        stops.add_tab_stop(_mm(layout.FRAME_WIDTH / 2), WD_TAB_ALIGNMENT.CENTER)
        stops.add_tab_stop(_mm(layout.FRAME_WIDTH), WD_TAB_ALIGNMENT.RIGHT)
        number.add_run("\t")
        _page_number_field(number)
        number.add_run("\t")
        _draft_mark(number)
        mark = section.first_page_header.paragraphs[0]
        mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _draft_mark(mark)
    else:
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_number_field(number)


def _properties(document: DocxDocument, content: DecisionContent, info: PrintInfo) -> None:
    """Who made the copy and when: the office, this app, the issue time (never the library's defaults)."""
    props = document.core_properties
    office = " ".join(content.header.issuing_body.split())
    props.author = office
    props.last_modified_by = office
    props.title = f"{content.title} {content.subject}"
    props.comments = ""
    props.revision = 1
    when = info.stamp()
    if when is not None:
        props.created = when
        props.modified = when
    else:
        for tag in ("dcterms:created", "dcterms:modified"):
            for element in props._element.findall(qn(tag)):
                props._element.remove(element)


_APP_XML = (b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            b"<Application>khoi-desktop</Application></Properties>")


def _repacked(data: bytes, when: dt.datetime | None) -> bytes:
    """The package again with fixed entry times and attributes (the same bytes on every reprint), the
    application named khoi-desktop and no library thumbnail."""
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second) if when else (1980, 1, 1, 0, 0, 0)
    stamp = max(stamp, (1980, 1, 1, 0, 0, 0))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            if item.filename == "docProps/thumbnail.jpeg":
                continue
            blob = source.read(item.filename)
            if item.filename == "docProps/app.xml":
                blob = _APP_XML
            elif item.filename == "_rels/.rels":
                blob = re.sub(rb"<Relationship [^>]*thumbnail[^>]*/>", b"", blob)
            elif item.filename == "[Content_Types].xml":
                blob = re.sub(rb'<Default Extension="jpeg"[^>]*/>', b"", blob)
            entry = zipfile.ZipInfo(item.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            target.writestr(entry, blob)
    return out.getvalue()


def render_docx(content: DecisionContent, info: PrintInfo) -> bytes:
    content = nfc_content(content)
    document = Document()
    _setup(document, info.draft)
    _header(document, content, info)
    _paragraph(document, content.title, size=layout.TITLE_SIZE, bold=True, before=18)
    keep = compounds(content)
    subject = balanced_lines(content.subject, fonts.BOLD, layout.SUBJECT_SIZE, layout.SUBJECT_WIDTH, keep)
    _lines_paragraph(document, subject, size=layout.SUBJECT_SIZE, bold=True)
    rule = _rule(document, layout.SUBJECT_RULE_WIDTH, layout.FRAME_WIDTH)
    rule.paragraph_format.space_after = Pt(10)  # as the PDF's ShortRule: the rule, then 10 pt
    def body(text: str, *, bold: bool = False) -> Paragraph:  # justified, spaced as the PDF's body
        return _paragraph(document, text, bold=bold, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=layout.BODY_INDENT,
                          after=layout.PARAGRAPH_SPACE, leading=layout.BODY_LEADING)

    for line in preamble_lines(content):
        body(line)
    if content.enacting.strip():  # a letter has none: no empty 30 pt paragraph (it pushed the slip to page 2)
        enacting = [part for line in enacting_lines(content.enacting) for part in enacting_block(line, keep)]
        _lines_paragraph(document, enacting, bold=True, before=6, after=10)  # broken where the PDF breaks it
    last: Paragraph | None = None
    for number, article in enumerate(content.articles, start=1):
        paragraphs = article.paragraphs or [""]
        last = body(article_label(number), bold=True)
        last.add_run(" " + paragraphs[0]).font.size = Pt(layout.BODY_SIZE)
        for text in paragraphs[1:]:
            last = body(text)
    # The signature never stands alone on a page: the last paragraph keeps with it, and nothing more (the whole
    # last article kept with it left page 1 of a one-page decision 7 cm empty).
    for paragraph in (last, _paragraph(document, "", size=8, leading=1)):
        if paragraph is not None:
            paragraph.paragraph_format.keep_with_next = True
    _closing(document, content)
    if content.tear_off is not None:
        _tear_off(document, content.tear_off, tear_off_note(content, info))
    note = attachment_note(content, info)
    for attachment in content.attachments:
        _attachment(document, attachment, note, keep)
    _properties(document, content, info)
    buffer = io.BytesIO()
    document.save(buffer)
    return _repacked(buffer.getvalue(), info.stamp())
