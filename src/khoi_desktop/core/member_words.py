"""The word index of member names (table member_words), kept in step with Member.search_key.

Every ORM insert or rename of a member updates it (listeners in core/models.py); writers that bypass the
ORM (migrations) call `word_rows`; the demo's bulk insert and the reader of a server backup (which leaves
the table out: backup/copied.py) fill it from the stored keys in one statement, WORDS_SQL. Searching it is
core/members.py's job.
"""

from __future__ import annotations

import re
from typing import Any


def name_words(search_key: str | None) -> set[str]:
    """The distinct words of a folded name: 'nguyen thi thu thu' -> {'nguyen', 'thi', 'thu'}."""
    return set((search_key or "").split())


def word_rows(member_id: int, search_key: str | None) -> list[dict[str, Any]]:
    return [{"word": word, "member_id": member_id} for word in sorted(name_words(search_key))]


# The distinct words of each stored search key (name_words: split on the spaces), as a JSON array SQLite takes
# apart: the key's backslashes and double quotes escaped, each space a word boundary; in the order of the
# table's primary key (word, member_id). SQLite only (json_each). The rows word_rows makes (test_member_words).
WORDS_SQL = (
    "INSERT INTO member_words (word, member_id) SELECT DISTINCT w.value, m.id FROM members m, "
    "json_each('[\"' || replace(replace(replace(m.search_key, '\\', '\\\\'), '\"', '\\\"'), ' ', '\",\"') "
    "|| '\"]') w WHERE w.value <> '' ORDER BY w.value, m.id")

# A key WORDS_SQL would split otherwise than name_words (a whitespace besides the space) or that json_each
# refuses (a control character): never one fold makes (core/text.py), but a stored key is data.
_NOT_PLAIN = re.compile(r"[^\S ]|[\x00-\x1f]")


def fill_words(image: Any) -> None:
    """Every member's member_words rows into the (empty) table of the SQLite connection `image`: WORDS_SQL,
    or word_rows member by member when some stored key is not a plain folded one."""
    keys = image.execute("SELECT id, search_key FROM members").fetchall()
    if _NOT_PLAIN.search(" ".join(key or "" for _id, key in keys)) is None:
        image.execute(WORDS_SQL)
        return
    rows = sorted((word, member_id) for member_id, key in keys for word in name_words(key))
    image.executemany("INSERT INTO member_words (word, member_id) VALUES (?, ?)", rows)
