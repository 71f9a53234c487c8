"""The recognition decision's request (wired with the other decision actions in core/wiring.py)."""

from __future__ import annotations

from dataclasses import dataclass

from khoi_desktop.core.requests import Request


@dataclass(kw_only=True)
class RecognizeRatings(Request):
    """This office recognises the year's decided levels of its grassroots organizations (list attached)."""

    year: int
