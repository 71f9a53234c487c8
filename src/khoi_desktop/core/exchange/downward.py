"""The downward package (office → grassroots). Placeholder until the office's side is written."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.exchange.container import Envelope
from khoi_desktop.core.exchange.models import ExchangePeer


def check_downward(session: Session, me: ExchangePeer, envelope: Envelope) -> ExchangePeer:
    raise ValidationError("Phiên bản này chưa nhận gói gửi xuống.", code="not_supported")


def take_downward(session: Session, me: ExchangePeer, opened: Any, records: Any, **kwargs: Any) -> Any:
    raise ValidationError("Phiên bản này chưa nhận gói gửi xuống.", code="not_supported")
