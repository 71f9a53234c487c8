"""The word index of member names (table member_words), kept in step with Member.search_key.

Every ORM insert or rename of a member updates it here; writers that bypass the ORM (the demo's bulk
insert, migrations) call `word_rows`. Searching it is core/members.py's job.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, event, insert
from sqlalchemy.orm import Mapper

from khoi_desktop.core.models import Member, MemberWord


def name_words(search_key: str | None) -> set[str]:
    """The distinct words of a folded name: 'nguyen thi thu thu' -> {'nguyen', 'thi', 'thu'}."""
    return set((search_key or "").split())


def word_rows(member_id: int, search_key: str | None) -> list[dict[str, Any]]:
    return [{"word": word, "member_id": member_id} for word in sorted(name_words(search_key))]


@event.listens_for(Member, "after_insert")
def _index_new_member(_mapper: Mapper[Member], connection: Any, member: Member) -> None:
    rows = word_rows(member.id, member.search_key)
    if rows:
        connection.execute(insert(MemberWord), rows)


@event.listens_for(Member, "after_update")
def _reindex_renamed_member(_mapper: Mapper[Member], connection: Any, member: Member) -> None:
    from sqlalchemy import inspect

    if not inspect(member).attrs.search_key.history.has_changes():
        return
    connection.execute(delete(MemberWord).where(MemberWord.member_id == member.id))
    rows = word_rows(member.id, member.search_key)
    if rows:
        connection.execute(insert(MemberWord), rows)
