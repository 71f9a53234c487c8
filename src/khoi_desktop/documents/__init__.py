"""Decision documents: PDF in the party format, Word copy, the outgoing register (wording lives in core.wording).

Qt-free. `render_pdf` is the renderer the CLI and the GUI hand to core when they issue a decision, so
issuing stores the immutable PDF and its SHA-256.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from khoi_desktop.core.decision_content import DecisionContent, PrintInfo


def render_pdf(content: DecisionContent, info: PrintInfo) -> bytes:
    """The party-format PDF; the PDF libraries load on the first document rendered, not at start-up."""
    from khoi_desktop.documents.pdf import render_pdf as render

    return render(content, info)
