"""The word index of member names (table member_words), kept in step with Member.search_key.

Every ORM insert or rename of a member updates it (listeners in core/models.py); writers that bypass the
ORM (the demo's bulk insert, migrations) call `word_rows`. Searching it is core/members.py's job.
"""

from __future__ import annotations

from typing import Any


def name_words(search_key: str | None) -> set[str]:
    """The distinct words of a folded name: 'nguyen thi thu thu' -> {'nguyen', 'thi', 'thu'}."""
    return set((search_key or "").split())


def word_rows(member_id: int, search_key: str | None) -> list[dict[str, Any]]:
    return [{"word": word, "member_id": member_id} for word in sorted(name_words(search_key))]
