"""A request checked and worded, ready to be drafted; and the shape of the functions that prepare one."""

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


# (session, request, effective date) -> Prepared, or RequestRefused. Which one serves which request is
# wired in core/wiring.py.
Preparer = Callable[[Session, Request, dt.date], Prepared]


@dataclass(frozen=True)
class Wire:
    """One action's request type and the function that prepares it (core/wiring.py lists them)."""

    request: type[Request]
    prepare: Preparer
