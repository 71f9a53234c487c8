"""Every exemption period of a member (miễn sinh hoạt đảng), not only the latest one the member row keeps.

The member row's `exempt_since` / `exempt_until` hold the latest period (what most screens ask about); the
earlier ones are read from the member's events: each exemption (mien_sinh_hoat) runs to the next end of
exemption (het_mien) after it. "As of a date" questions (a member's status on a past day, the members of a
chi bộ at a past meeting, a rating year) ask both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.member_events.models import EventKind, MemberEvent

Period = tuple[dt.date, dt.date | None]  # from, and the day it ended (None: still running)
_KINDS = (EventKind.MIEN_SINH_HOAT.value, EventKind.HET_MIEN.value)


def exemption_periods(session: Session, member_ids: Iterable[int] | None = None) -> dict[int, list[Period]]:
    """The exemption periods recorded as events, per member (members without any are left out)."""
    query = select(MemberEvent.member_id, MemberEvent.kind, MemberEvent.on).where(MemberEvent.kind.in_(_KINDS))
    ids = None if member_ids is None else list(member_ids)
    rows = []
    if ids is None:
        rows = list(session.execute(query))
    else:
        for start in range(0, len(ids), 500):
            rows += session.execute(query.where(MemberEvent.member_id.in_(ids[start:start + 500])))
    by_member: dict[int, list[tuple[dt.date, str]]] = {}
    for member_id, kind, on in rows:
        by_member.setdefault(member_id, []).append((on, kind))
    periods: dict[int, list[Period]] = {}
    for member_id, events in by_member.items():
        found: list[Period] = []
        since: dt.date | None = None
        # On one day an end comes before a new start (a period ended and another begun the same day).
        for on, kind in sorted(events, key=lambda e: (e[0], e[1] == EventKind.MIEN_SINH_HOAT.value)):
            if kind == EventKind.MIEN_SINH_HOAT.value:
                if since is None:
                    since = on
            elif since is not None:
                found.append((since, on))
                since = None
        if since is not None:
            found.append((since, None))
        periods[member_id] = found
    return periods


def exempt_on(periods: Sequence[Period], day: dt.date) -> bool:
    return any(since <= day and (until is None or day < until) for since, until in periods)


def keep_latest_period(session: Session, member_id: int, since: dt.date | None, until: dt.date | None) -> None:
    """Before the member row takes a new period: the one it holds, if no event records it (an exemption
    entered from a list), becomes events, so the member's history keeps it."""
    if since is None:
        return
    if exempt_on(exemption_periods(session, [member_id]).get(member_id, []), since):
        return
    session.add(MemberEvent(member_id=member_id, kind=EventKind.MIEN_SINH_HOAT.value, on=since))
    if until is not None:
        session.add(MemberEvent(member_id=member_id, kind=EventKind.HET_MIEN.value, on=until))
