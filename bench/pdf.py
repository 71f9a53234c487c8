"""One decision PDF (a split: articles and the member lists) beside bare reportlab with the same text and fonts."""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from bench.common import TODAY, Result, fresh_copy, median, paired, ratio_target, scratch


def bare_pdf(content) -> bytes:  # type: ignore[no-untyped-def]
    """The same words, paragraphs and tables with reportlab's own SimpleDocTemplate and the same fonts."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    from khoi_desktop.documents import fonts

    fonts.register_fonts()
    body = ParagraphStyle("body", fontName=fonts.REGULAR, fontSize=14, leading=17)
    bold = ParagraphStyle("bold", parent=body, fontName=fonts.BOLD)
    cell = ParagraphStyle("cell", fontName=fonts.REGULAR, fontSize=12, leading=14)
    story = [Paragraph(escape(line), bold) for line in (content.header.superior_body, content.header.issuing_body,
                                                         content.title, content.subject)]
    story += [Paragraph(escape(line), body) for line in content.can_cu + content.basis + [content.enacting]]
    for article in content.articles:
        story += [Paragraph(escape(text), body) for text in article.paragraphs]
    story += [Paragraph(escape(line), body) for line in content.recipients]
    story += [Paragraph(escape(content.signature.name), bold)]
    for attachment in content.attachments:
        story += [PageBreak(), Paragraph(escape(attachment.title), bold)]
        rows = [[Paragraph(escape(c), cell) for c in attachment.columns]]
        rows += [[Paragraph(escape(str(v)), cell) for v in row] for row in attachment.rows]
        table = Table(rows, repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
        story.append(table)
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, invariant=1).build(story)
    return buffer.getvalue()


def run(scale: int, repeat: int) -> list[Result]:
    from bench.split import over_30, split_request
    from khoi_desktop.core.apply import draft
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.decision_content import PrintInfo
    from khoi_desktop.documents.pdf import render_pdf

    with scratch() as folder:
        path = fresh_copy(scale, Path(folder))
        code, members, issuer = over_30(path)[0]
        db = open_database(path)
        try:
            with db.writing() as session:
                decision, _ = draft(session, split_request(code, members, issuer), actor="bench", today=TODAY)
                from khoi_desktop.core.decision_content import DecisionContent

                content = DecisionContent.from_json(decision.content)
        finally:
            db.close()
    info = PrintInfo(12, TODAY, draft=False)
    render_pdf(content, info)
    bare_pdf(content)
    app, base = paired(lambda: render_pdf(content, info), lambda: bare_pdf(content), max(5, repeat * 3))
    rows = sum(len(a.rows) for a in content.attachments)
    return [ratio_target(Result("decision_pdf", median(app) * 1000, median(base) * 1000, "ms", scale,
                                note=f"split decision, {rows} listed members; warm fonts"), 1.5)]
