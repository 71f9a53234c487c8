"""A request checked and worded, ready to be drafted; and the registry of who prepares which request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from khoi_desktop.core.decision_content import DecisionContent
from khoi_desktop.core.models import Decision
from khoi_desktop.core.requests import Request


@dataclass
class Prepared:
    request: Request
    content: DecisionContent
    warnings: list[tuple[str, str]]
    effective: dt.date
    # Carries out the decision's effects inside the issuing transaction.
    apply: Callable[[Session, Decision, dt.date], None]
    issuer_id: int | None = None  # None: this office; else the đảng bộ cơ sở whose committee decides
    created: list[Any] = field(default_factory=list)  # plan.NewOrg of the organizations it founds


# Request type -> function(session, request, effective date) -> Prepared. Restructuring registers in
# workflows/__init__.py; other areas (appointments …) register from their own module, listed in
# PREPARER_MODULES so that loading the workflows loads them too.
Preparer = Callable[[Session, Request, dt.date], Prepared]
PREPARERS: dict[type[Request], Preparer] = {}
PREPARER_MODULES: list[str] = ["khoi_desktop.core.appointments.workflow"]
