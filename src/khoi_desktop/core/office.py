"""Setting up a new office: its issuing-body settings and the current term of its committee."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.audit import record
from khoi_desktop.core.auth.permissions import Permission, require
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.models import Term
from khoi_desktop.core.settings import OfficeSettings, save_settings
from khoi_desktop.core.text import nfc

_TERM = re.compile(r"(\d{4})\s*[-–]\s*(\d{4})")


def parse_term(text: str) -> tuple[str, int, int]:
    """'2025 – 2030' -> ('2025-2030', 2025, 2030)."""
    match = _TERM.fullmatch(nfc(text))
    if not match or not 0 < int(match[2]) - int(match[1]) <= 6:
        raise ValidationError(f"Nhiệm kỳ «{text}» không hợp lệ: ghi theo dạng 2025-2030.", code="invalid_term")
    return f"{match[1]}-{match[2]}", int(match[1]), int(match[2])


def _require(settings: OfficeSettings) -> None:
    labels = {
        "superior_body": "cấp ủy cấp trên", "issuing_body": "tên cơ quan ban hành",
        "issuing_body_short": "tên ngắn của cơ quan", "standing_committee": "tên Ban Thường vụ",
        "issuer_code": "ký hiệu cơ quan ban hành", "decision_type_code": "ký hiệu Quyết định",
        "place_name": "địa danh",
    }
    missing = [label for name, label in labels.items() if not getattr(settings, name)]
    if missing:
        raise ValidationError("Chưa nhập: " + ", ".join(missing) + ".", code="missing_settings")


def create_office(session: Session, settings: OfficeSettings, *, term: str, term_starts_on: dt.date,
                  actor: str) -> OfficeSettings:
    require(session, Permission.SETTINGS)
    settings = OfficeSettings(**{**settings.__dict__, "configured": True}).normalized()
    _require(settings)
    name, first, last = parse_term(term)
    if session.scalars(select(Term).where(Term.name == name)).first() is None:
        ends_on = dt.date(last, term_starts_on.month, term_starts_on.day) - dt.timedelta(days=1)
        session.add(Term(name=name, starts_on=term_starts_on, ends_on=ends_on))
    saved = save_settings(session, settings)
    record(session, actor=actor, action="office.create", target=saved.issuing_body_short,
           after={"term": name, "issuer_code": saved.issuer_code})
    return saved
