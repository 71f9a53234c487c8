"""A decision as an A4 PDF in the party format (DOMAIN.md §4), with the fonts embedded.

Deterministic: the same content and print information give the same bytes (reportlab's invariant
mode fixes the document id; the creation date is the issue date, or when the draft was made), so an
issued decision can be re-rendered and compared.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.paraparser import ParaFrag

from khoi_desktop.core.decision_content import Attachment, DecisionContent, PrintInfo, TearOff, document_code
from khoi_desktop.documents import fonts, layout
from khoi_desktop.documents.header import (
    HeaderLayout,
    balanced_lines,
    column_head_lines,
    enacting_block,
    layout_header,
)
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


class HeaderFlowable(Flowable):
    """The two header blocks, drawn from their computed positions."""

    def __init__(self, header: HeaderLayout) -> None:
        super().__init__()
        self.header = header

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return layout.FRAME_WIDTH, self.header.height

    def draw(self) -> None:
        canvas = self.canv
        top = self.header.height
        for line in self.header.lines:
            canvas.setFont(line.font, line.size)
            canvas.drawString(line.x, top - line.baseline, line.text)
        canvas.setLineWidth(layout.PARTY_RULE_WIDTH)
        for rule in self.header.rules:
            canvas.line(rule.x1, top - rule.y, rule.x2, top - rule.y)


class ShortRule(Flowable):
    """The short centred rule under the subject line."""

    def __init__(self, width: float, space_before: float = 6, space_after: float = 10) -> None:
        super().__init__()
        self.rule_width = width
        self.before = space_before
        self.after = space_after

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.frame_width = available_width
        return available_width, self.before + self.after

    def draw(self) -> None:
        x = (self.frame_width - self.rule_width) / 2
        self.canv.setLineWidth(0.6)
        self.canv.line(x, self.after, x + self.rule_width, self.after)


class CutLine(Flowable):
    """A dashed line across the page, where a tear-off slip is cut off."""

    def __init__(self, space: float = 8) -> None:
        super().__init__()
        self.space = space

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.frame_width = available_width
        return available_width, 2 * self.space

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.setLineWidth(0.5)
        self.canv.setDash(4, 3)
        self.canv.line(0, self.space, self.frame_width, self.space)
        self.canv.restoreState()


def _style(name: str, size: float, *, font: str = fonts.REGULAR, align: int = TA_JUSTIFY, indent: float = 0,
           before: float = 0, after: float = 0, leading: float = layout.BODY_LEADING) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * leading, alignment=align,
                          firstLineIndent=indent, spaceBefore=before, spaceAfter=after)


def _styles() -> dict[str, ParagraphStyle]:
    fonts.register_fonts()
    return {
        "title": _style("title", layout.TITLE_SIZE, font=fonts.BOLD, align=TA_CENTER, before=18, leading=1.2),
        "subject": _style("subject", layout.SUBJECT_SIZE, font=fonts.BOLD, align=TA_CENTER, leading=1.2),
        "body": _style("body", layout.BODY_SIZE, indent=layout.BODY_INDENT, after=layout.PARAGRAPH_SPACE),
        "enacting": _style("enacting", layout.BODY_SIZE, font=fonts.BOLD, align=TA_CENTER, before=6, after=10,
                           leading=1.2),
        "recipients_title": _style("recipients_title", layout.RECIPIENTS_TITLE_SIZE, align=TA_LEFT, leading=1.2),
        "recipient": _style("recipient", layout.RECIPIENT_SIZE, align=TA_LEFT, leading=1.15),
        "tear_off": _style("tear_off", layout.BODY_SIZE, align=TA_LEFT, after=2),
        "tear_off_closing": _style("tear_off_closing", layout.SIGNATURE_SIZE, align=TA_CENTER, leading=1.2),
        "signature": _style("signature", layout.SIGNATURE_SIZE, font=fonts.BOLD, align=TA_CENTER, leading=1.2),
        "attachment_title": _style("attachment_title", layout.ATTACHMENT_TITLE_SIZE, font=fonts.BOLD,
                                   align=TA_CENTER, leading=1.2),
        "attachment_note": _style("attachment_note", layout.ATTACHMENT_NOTE_SIZE, font=fonts.ITALIC,
                                  align=TA_CENTER, after=10, leading=1.2),
        "cell": _style("cell", layout.TABLE_SIZE, align=TA_LEFT, leading=1.15),
        "cell_centre": _style("cell_centre", layout.TABLE_SIZE, align=TA_CENTER, leading=1.15),
        "cell_head": _style("cell_head", layout.TABLE_SIZE, font=fonts.BOLD, align=TA_CENTER, leading=1.15),
    }


def _lines(lines: list[str]) -> str:
    return "<br/>".join(escape(line) for line in lines)


def _closing(content: DecisionContent, styles: dict[str, ParagraphStyle],
             signature_space: float = layout.SIGNATURE_SPACE) -> Table:
    """'Nơi nhận' (left) and the signature block (right) side by side."""
    left: list[Flowable] = [Paragraph("<u>Nơi nhận:</u>", styles["recipients_title"])]
    left += [Paragraph(escape(line), styles["recipient"]) for line in recipient_lines(content.recipients)]
    sig = content.signature
    right: list[Flowable] = [
        Paragraph(_lines(sig.lines()), styles["signature"]),
        Spacer(1, signature_space),
        Paragraph(escape(sig.name), styles["signature"]),
    ]
    table = Table([[left, right]], colWidths=[layout.RECIPIENTS_WIDTH, layout.SIGNATURE_WIDTH])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),  # a table sets its cell font even around paragraphs
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (0, 0), 0),
        ("RIGHTPADDING", (-1, 0), (-1, 0), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


class SignedEnd(KeepTogether):
    """The last paragraph and the closing (recipients, signature): together when they fit. Else the paragraph
    breaks and only its last lines (`TAIL_LINES`, at least) go over with the signature, so the signature never
    stands alone and the page before is not left a third empty."""

    TAIL_LINES = 2

    def __init__(self, last: Flowable, closing: list[Flowable]) -> None:
        super().__init__([last, *closing])
        self.last = last
        self.closing = closing
        self.moved_over = False  # all of it went to the next page, the page before left short

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803 (reportlab's names)
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        if self._H <= aH or not isinstance(self.last, Paragraph):
            return super().split(aW, aH)  # type: ignore[no-any-return]
        leading = self.last.style.leading
        lines = round(self.last.wrap(aW, aH)[1] / leading)
        first = min(int(aH // leading), lines - self.TAIL_LINES)
        if first < self.TAIL_LINES:  # no orphan line left behind either: all of it goes over
            self.moved_over = True
            return super().split(aW, aH)  # type: ignore[no-any-return]
        parts = self.last.split(aW, first * leading + 0.5)
        if len(parts) != 2:
            return super().split(aW, aH)  # type: ignore[no-any-return]
        return [parts[0], KeepTogether([parts[1], *self.closing])]


def _tear_off(slip: TearOff, note: str, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The slip under the document, after a cut line: kept whole (on the next page if it does not fit)."""
    closing = Table([["", [Paragraph(escape(line), styles["tear_off_closing"]) for line in slip.closing]]],
                    colWidths=[layout.RECIPIENTS_WIDTH, layout.SIGNATURE_WIDTH])
    closing.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("RIGHTPADDING", (-1, 0), (-1, 0), 0), ("TOPPADDING", (0, 0), (-1, -1), 4)]))
    return [Spacer(1, 10), CutLine(), KeepTogether([
        Paragraph(escape(slip.title), styles["attachment_title"]),
        Paragraph(escape(note), styles["attachment_note"]),
        *(Paragraph(escape(line), styles["tear_off"]) for line in slip.lines),
        closing,
    ])]


_PLAIN_WORDS = re.compile(r"[^&<>\s]+(?: [^&<>\s]+)*")  # no markup, no white space for reportlab to clean


def _cell(value: str, style: ParagraphStyle, plain: dict[str, ParaFrag]) -> Paragraph:
    """A list's cell. Most are plain words (a name, a date, a number): their one fragment is the style's own, taken
    from reportlab's parse of a sample once a list, instead of each cell parsed as markup (the parse of a list's
    cells was a tenth of a print). Anything else is parsed as before."""
    if not _PLAIN_WORDS.fullmatch(value):
        return Paragraph(escape(value), style)
    model = plain.get(style.name)
    if model is None:
        model = plain[style.name] = Paragraph("x", style).frags[0]
    frag = copy.copy(model)  # as reportlab's parser copies its own
    frag.text = value
    return Paragraph(value, style, frags=[frag])


def _attachment(attachment: Attachment, note: str, styles: dict[str, ParagraphStyle],
                keep: tuple[str, ...]) -> list[Flowable]:
    title_lines = balanced_lines(attachment.title, fonts.BOLD, layout.ATTACHMENT_TITLE_SIZE, layout.SUBJECT_WIDTH,
                                 keep)
    story: list[Flowable] = [
        Paragraph(_lines(title_lines), styles["attachment_title"]),
        Paragraph(_lines(balanced_lines(note, fonts.ITALIC, layout.ATTACHMENT_NOTE_SIZE, layout.FRAME_WIDTH, keep)),
                  styles["attachment_note"]),
    ]
    centred = {0} if attachment.columns and attachment.columns[0] == "STT" else set()
    widths = layout.column_widths(attachment.columns)
    rows: list[list[Paragraph]] = [[Paragraph(_lines(column_head_lines(c, w)), styles["cell_head"])
                                    for c, w in zip(attachment.columns, widths, strict=True)]]
    plain: dict[str, ParaFrag] = {}
    for row in attachment.rows:
        cells = list(row) + [""] * (len(attachment.columns) - len(row))
        rows.append([_cell(str(value), styles["cell_centre" if i in centred else "cell"], plain)
                     for i, value in enumerate(cells)])
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]))
    story.append(table)
    return story


# A closing that just misses its page, when the last paragraph is too short to break (SignedEnd moves it whole), left
# 66-72 mm empty at the foot of that page. That page is then set again a little tighter, by steps (TIGHT_STEPS) up to
# the TIGHTEST: less room for the hand signature (28 -> 20 mm), less space before the closing (8 -> 4 pt) and between
# paragraphs (4 -> 1 pt), the body's leading 1.25 -> 1.18; the first step that keeps the closing on the page is kept.
TIGHT_STEPS = (1 / 3, 2 / 3, 1.0)
TIGHTEST_SIGNATURE_SPACE = 20 * mm
TIGHTEST_CLOSING_GAP = 4
TIGHTEST_PARAGRAPH_SPACE = 1
TIGHTEST_BODY_LEADING = 1.18
CLOSING_GAP = 8


def _between(loose: float, tightest: float, step: float) -> float:
    return loose + (tightest - loose) * step if tightest < loose else loose


def _tight(style: ParagraphStyle, step: float) -> ParagraphStyle:
    ratio = style.leading / style.fontSize
    return ParagraphStyle(f"{style.name}_tight", parent=style, spaceBefore=style.spaceBefore * (1 - step / 2),
                          spaceAfter=_between(style.spaceAfter, TIGHTEST_PARAGRAPH_SPACE, step),
                          leading=style.fontSize * _between(ratio, TIGHTEST_BODY_LEADING, step))


def build_story(content: DecisionContent, info: PrintInfo, tighten: frozenset[int] = frozenset(),
                step: float = 0.0) -> list[Flowable]:
    """The flowables of the decision; `tighten`: the indexes of the flowables of the page the closing ends on, set
    tighter by `step` (0: not at all, 1: the tightest) with the closing, to keep them on one page."""
    styles = _styles()
    story: list[Flowable] = [HeaderFlowable(layout_header(content.header, info))]
    story.append(Paragraph(escape(content.title), styles["title"]))
    keep = compounds(content)
    subject_lines = balanced_lines(content.subject, fonts.BOLD, layout.SUBJECT_SIZE, layout.SUBJECT_WIDTH, keep)
    story.append(Paragraph(_lines(subject_lines), styles["subject"]))
    story.append(ShortRule(layout.SUBJECT_RULE_WIDTH))
    for line in preamble_lines(content):
        story.append(Paragraph(escape(line), styles["body"]))
    enacting = []
    for line in enacting_lines(content.enacting):
        enacting += enacting_block(line, keep)
    story.append(Paragraph(_lines(enacting), styles["enacting"]))
    articles: list[list[Flowable]] = []
    for number, article in enumerate(content.articles, start=1):
        paragraphs = article.paragraphs or [""]
        first = f"<b>{article_label(number)}</b> {escape(paragraphs[0])}"
        articles.append([Paragraph(first, styles["body"])])
        articles[-1].extend(Paragraph(escape(text), styles["body"]) for text in paragraphs[1:])
    for paragraphs in articles:
        story.extend(paragraphs)
    if step:
        for index in (*tighten, len(story) - 1):
            if isinstance(flowable := story[index], Paragraph):
                flowable.style = _tight(flowable.style, step)
    last = story.pop()
    gap = _between(CLOSING_GAP, TIGHTEST_CLOSING_GAP, step)
    space = _between(layout.SIGNATURE_SPACE, TIGHTEST_SIGNATURE_SPACE, step)
    story.append(SignedEnd(last, [Spacer(1, gap), _closing(content, styles, space)]))
    if content.tear_off is not None:
        story.extend(_tear_off(content.tear_off, tear_off_note(content, info), styles))
    note = attachment_note(content, info)
    for attachment in content.attachments:
        story.append(PageBreak())
        story.extend(_attachment(attachment, note, styles, keep))
    return story


def _decorate(draft: bool):  # type: ignore[no-untyped-def]
    def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        page = canvas.getPageNumber()
        if page > 1:
            canvas.setFont(fonts.REGULAR, layout.PAGE_NUMBER_SIZE)
            canvas.drawCentredString(layout.MARGIN_LEFT + layout.FRAME_WIDTH / 2, layout.PAGE_NUMBER_Y, str(page))
        if draft:
            size = layout.DRAFT_MARK_SIZE
            width = fonts.text_width(layout.DRAFT_MARK, fonts.BOLD, size)
            right = layout.PAGE_WIDTH - layout.MARGIN_RIGHT
            y = layout.PAGE_HEIGHT - 13 * mm
            canvas.setFont(fonts.BOLD, size)
            canvas.drawRightString(right - 2 * mm, y, layout.DRAFT_MARK)
            canvas.setLineWidth(0.8)
            canvas.rect(right - width - 4 * mm, y - 0.3 * size, width + 4 * mm, 1.2 * size)
        canvas.restoreState()

    return on_page


class _Stamp:
    """reportlab's TimeStamp for a given time: the PDF's creation and modification dates."""

    def __init__(self, when: dt.datetime) -> None:
        self.YMDhms = (when.year, when.month, when.day, when.hour, when.minute, when.second)
        self.dhh = self.dmm = 0
        self.t = when.replace(tzinfo=dt.UTC).timestamp()


def _no_offset(year: int, month: int, day: int, hour: int, minute: int, second: int) -> str:
    # The office's local time, with no offset claimed (PDF 1.7 §7.9.4 allows it).
    return f"D:{year:04d}{month:02d}{day:02d}{hour:02d}{minute:02d}{second:02d}"


def _canvas_dated(when: dt.datetime | None) -> type[Canvas]:
    class DatedCanvas(Canvas):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            if when is not None:
                self._doc._timeStamp = _Stamp(when)
                self.setDateFormatter(_no_offset)

    return DatedCanvas


class _PagedDoc(BaseDocTemplate):
    """Records the page each flowable of the story was drawn on (a part of a split one is not recorded)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.pages: dict[int, int] = {}

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab's name)
        self.pages[id(flowable)] = self.page


def render_pdf(content: DecisionContent, info: PrintInfo) -> bytes:
    """The decision as PDF bytes; a draft shows blanks for number and date and a 'DỰ THẢO' mark."""
    content = nfc_content(content)
    story = build_story(content, info)
    end = next(i for i, flowable in enumerate(story) if isinstance(flowable, SignedEnd))
    signed = story[end]
    assert isinstance(signed, SignedEnd)
    pdf, pages = _render(content, info, story)
    page = pages.get(id(story[end - 1]))
    if not signed.moved_over or page is None:
        return pdf
    # The page the closing missed, set tighter step by step: kept when the closing now ends on it.
    on_page = frozenset(i for i in range(end) if pages.get(id(story[i])) == page)
    for step in TIGHT_STEPS:
        story = build_story(content, info, tighten=on_page, step=step)
        tight, _ = _render(content, info, story)
        retried = story[end]
        assert isinstance(retried, SignedEnd)
        if not retried.moved_over:
            return tight
    return pdf


def _render(content: DecisionContent, info: PrintInfo, story: list[Flowable]) -> tuple[bytes, dict[int, int]]:
    fonts.register_fonts()
    buffer = io.BytesIO()
    number = "" if info.number is None else \
        f" số {document_code(info.number, content.header.doc_type_code, content.header.issuer_code)}"
    number = f" số {info.code}" if info.code else number
    doc = _PagedDoc(
        buffer, pagesize=(layout.PAGE_WIDTH, layout.PAGE_HEIGHT),
        leftMargin=layout.MARGIN_LEFT, rightMargin=layout.MARGIN_RIGHT,
        topMargin=layout.MARGIN_TOP, bottomMargin=layout.MARGIN_BOTTOM,
        title=f"{content.title}{number} {content.subject}", author=content.header.issuing_body.replace("\n", " "),
        creator="khoi-desktop", producer="khoi-desktop", invariant=1,
        # Else every page declares Helvetica, a font neither used nor embedded.
        initialFontName=fonts.REGULAR,
    )
    # No frame padding: the text area is exactly the page less the margins.
    frame = Frame(layout.MARGIN_LEFT, layout.MARGIN_BOTTOM, layout.FRAME_WIDTH, layout.FRAME_HEIGHT,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate("decision", [frame], onPage=_decorate(info.draft))])
    doc.build(list(story), canvasmaker=_canvas_dated(info.stamp()))  # build empties the list it is given
    return buffer.getvalue(), {id(flowable): doc.pages[id(flowable)] for flowable in story if id(flowable) in doc.pages}
