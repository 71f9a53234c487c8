"""Decision documents: PDF in the party format, Word copy, the outgoing register (wording lives in core.wording).

Qt-free. `install()` hooks the PDF renderer into core.decisions, so issuing stores the immutable PDF
and its SHA-256; the CLI and the GUI call it when they load their document commands and menus.
"""

from __future__ import annotations


def install() -> None:
    """Make core.decisions.issue() render and store the PDF (idempotent)."""
    from khoi_desktop.core import decisions
    from khoi_desktop.documents.pdf import render_pdf

    decisions.pdf_renderer = render_pdf
