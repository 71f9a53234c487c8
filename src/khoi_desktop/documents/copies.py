"""Printable copies of a stored decision: the immutable PDF of an issued one, a fresh render of a draft."""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from khoi_desktop.core.decision_content import DecisionContent, PrintInfo
from khoi_desktop.core.decisions import require_readable
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.models import Decision, DecisionStatus

# The renderers load reportlab or python-docx: imported where used, so printing an issued decision (its
# stored bytes) loads neither, and a PDF does not load python-docx.


def content_of(decision: Decision) -> DecisionContent:
    try:
        return DecisionContent.from_json(decision.content)
    except (ValueError, KeyError, TypeError):
        raise ValidationError(f"Nội dung của quyết định {decision.code or decision.id} không đọc được "
                              "(thiếu phần đầu, căn cứ hoặc chữ ký).", code="decision_content") from None


def print_info(decision: Decision) -> PrintInfo:
    if decision.status is DecisionStatus.ISSUED:
        code = decision.code if decision.recorded else None  # a đảng ủy cơ sở's own number, printed as signed
        return PrintInfo(decision.number, decision.issued_on, draft=False, code=code)
    return PrintInfo(None, None, draft=True, made_at=decision.created_at)


def decision_pdf(session: Session, decision: Decision) -> bytes:
    """The stored bytes of an issued decision, checked against their SHA-256; a fresh render otherwise."""
    require_readable(session, decision)
    if decision.status is DecisionStatus.ISSUED and decision.pdf is not None:
        digest = hashlib.sha256(decision.pdf).hexdigest()
        if digest != decision.pdf_sha256:
            raise ValidationError(
                f"Bản PDF lưu của Quyết định số {decision.code} không khớp mã kiểm tra SHA-256 ghi lúc ban hành: "
                "bản lưu đã bị thay đổi ngoài ứng dụng. Không in bản này; hãy khôi phục cơ sở dữ liệu từ bản "
                "sao lưu hoặc báo bộ phận kỹ thuật.", code="pdf_tampered")
        return decision.pdf
    # An issued decision without a stored copy (issued before rendering was installed) is rendered
    # again: the renderer is deterministic, so the bytes are the same on every call.
    from khoi_desktop.documents.pdf import render_pdf

    return render_pdf(content_of(decision), print_info(decision))


def decision_docx(session: Session, decision: Decision) -> bytes:
    """An editable Word copy (never the authoritative one)."""
    require_readable(session, decision)
    from khoi_desktop.documents.docx import render_docx

    return render_docx(content_of(decision), print_info(decision))
