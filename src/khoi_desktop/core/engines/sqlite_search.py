"""Member search on SQLite: an FTS5 index of the folded names whose rowids follow Vietnamese name order.

`member_fts` (migration 0020) holds every member's `search_key` (contentless: the words and their positions,
not the text). Triggers on `members` keep it in step with every write, the ORM's, the bulk loads' and raw
SQL alike. Its rowid is the member's place in name order, roughly: the first seven characters of `sort_key`
(each mapped to one of 52 ordered codes, so the order of the codes is that of the characters) times 2^22,
plus the member's id (unique: ids stay below 4.194.304). FTS5 walks its lists in rowid order, so "the first
500 matches in name order" stops after about 500 rows instead of sorting every match. Members whose first
seven characters are alike (same given name) share a `_TIE` and are put in their exact order from
`members` (search.py sorts the rows it reads by sort_key and code).

The tokenizer splits on whitespace only (every ASCII punctuation mark is part of a word, as in
`text.fold`'s words), so a word typed matches the start of a word of the name exactly as
`' ' || search_key LIKE '% word%'` would. Prefix indexes of 1, 2 and 3 letters serve names typed short.
"""

from __future__ import annotations

import json
import string
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

ID_BITS = 22
ID_MASK = (1 << ID_BITS) - 1
_CHARS = 7  # characters of sort_key in the rowid; 52**7 * 2**22 < 2**63
_TOKENCHARS = string.punctuation.replace("'", "''")  # inside a '...' argument of the tokenizer


def _code(char: str, *, letters_first: bool = False) -> str:
    """One character of sort_key as 0..51, in the order of the characters (core/text.py's codes: 0x1e-0x20
    separators, digits, the letters from 'A', anything else from 'p'); 0 past the end. `letters_first`: the same
    values, the letters (most characters) tested first: SQLite computes the character again for every WHEN tried,
    eight times a letter otherwise (most of the time to fill the index of 110.000 members)."""
    v = f"unicode(substr({char}))"
    first = f"WHEN {v} BETWEEN 65 AND 98 THEN {v} - 49 " if letters_first else ""
    return (f"CASE {first}WHEN {v} IS NULL THEN 0 WHEN {v} <= 30 THEN 1 WHEN {v} <= 32 THEN {v} - 29 "
            f"WHEN {v} < 48 THEN 4 WHEN {v} <= 57 THEN {v} - 43 WHEN {v} < 65 THEN 15 WHEN {v} <= 98 THEN {v} - 49 "
            f"WHEN {v} < 112 THEN 50 ELSE 51 END")


def rank_sql(row: str, *, letters_first: bool = False) -> str:
    """The rowid of a member row (`new`, `old`, or a table's name) as an SQL expression. `letters_first`: the same
    value computed faster (the bulk fill; the triggers' stored text keeps the plain form)."""
    expr = "0"
    for i in range(1, _CHARS + 1):
        expr = f"({expr}) * 52 + ({_code(f'{row}.sort_key, {i}, 1', letters_first=letters_first)})"
    return f"(({expr}) * {1 << ID_BITS} + {row}.id)"


CREATE = [
    "CREATE VIRTUAL TABLE member_fts USING fts5(search_key, content='', columnsize=0, "
    f"tokenize=\"ascii tokenchars '{_TOKENCHARS.replace(chr(34), chr(34) * 2)}'\", prefix='1 2 3')",
    "CREATE TRIGGER member_fts_insert AFTER INSERT ON members BEGIN "
    f"INSERT INTO member_fts (rowid, search_key) VALUES ({rank_sql('new')}, new.search_key); END",
    "CREATE TRIGGER member_fts_delete AFTER DELETE ON members BEGIN "
    f"INSERT INTO member_fts (member_fts, rowid, search_key) VALUES ('delete', {rank_sql('old')}, old.search_key); "
    "END",
    "CREATE TRIGGER member_fts_update AFTER UPDATE OF id, search_key, sort_key ON members "
    "WHEN old.id IS NOT new.id OR old.search_key IS NOT new.search_key OR old.sort_key IS NOT new.sort_key BEGIN "
    f"INSERT INTO member_fts (member_fts, rowid, search_key) VALUES ('delete', {rank_sql('old')}, old.search_key); "
    f"INSERT INTO member_fts (rowid, search_key) VALUES ({rank_sql('new')}, new.search_key); END",
]
FILL = f"INSERT INTO member_fts (rowid, search_key) SELECT {rank_sql('members')}, search_key FROM members"
DROP = ["DROP TRIGGER IF EXISTS member_fts_update", "DROP TRIGGER IF EXISTS member_fts_delete",
        "DROP TRIGGER IF EXISTS member_fts_insert", "DROP TABLE IF EXISTS member_fts"]


@contextmanager
def insert_trigger_deferred(run: Callable[[str], Any]) -> Iterator[None]:
    """Members inserted in bulk inside this block (and one transaction) enter the index once, in its rowid
    order, after the block, instead of by its insert trigger member by member: FTS5 writes a new segment
    whenever a rowid comes lower than the one before, which name-ordered rowids of members inserted by id
    nearly always do. The same index entries; the trigger is back after. `run(sql)` executes one statement
    and returns a cursor-like result (sqlite3's `execute`, SQLAlchemy's `exec_driver_sql`). On an error
    inside the block nothing is filled: the caller's transaction is rolled back."""
    trigger = run("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'member_fts_insert'").fetchone()
    if trigger is None:
        yield
        return
    run("DROP TRIGGER member_fts_insert")
    yield
    run(f"INSERT INTO member_fts (rowid, search_key) SELECT {rank_sql('members', letters_first=True)} AS fts_rowid, "
        "search_key FROM members ORDER BY fts_rowid")
    run(trigger[0])


_OBJECTS = ("member_fts", "member_fts_insert", "member_fts_delete", "member_fts_update")


def is_index_table(name: str | None) -> bool:
    """member_fts and its shadow tables: SQLite's, not described by the models (schema.METADATA)."""
    return bool(name) and (name == "member_fts" or str(name).startswith("member_fts_"))


def repair(connection: Any) -> None:
    """After the migrations: a migration that copies `members` anew (Alembic's batch mode on SQLite) drops
    its triggers with the old table; then the index is made again from the members."""
    marks = ", ".join(f"'{name}'" for name in _OBJECTS)
    present = connection.exec_driver_sql(f"SELECT count(*) FROM sqlite_master WHERE name IN ({marks})").scalar()
    if present == len(_OBJECTS):
        return
    for statement in DROP + CREATE + [FILL]:
        connection.exec_driver_sql(statement)


def _string(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def phrase_match(words: list[str]) -> str:
    """The words typed in that order, the last one a prefix: ' ' || key LIKE '% w1 w2 w3%'."""
    return _string(" ".join(words)) + " *"


def all_match(words: list[str]) -> str:
    """Every word typed starts a word of the name, in any order."""
    return " AND ".join(_string(word) + " *" for word in words)


def _tie(rowid: int) -> int:
    return rowid >> ID_BITS


def _driver(connection: Any) -> Any:
    """The session's own sqlite3 (or SQLCipher) connection, inside its transaction: the rows as the driver's
    tuples, without SQLAlchemy's result objects (a third of the index's time)."""
    return connection.connection.driver_connection


# The smallest character of each of _code's 52 codes (0: the end of the string): a tie's first sort key.
_LOWEST = ["", "\x00", "\x1f", " ", "!", *"0123456789", ":", *(chr(0x41 + i) for i in range(34)), "c", "p"]


def _tie_start(tie: int) -> str:
    """A sort_key no greater than any of the tie's: its codes' smallest characters."""
    codes = []
    for _ in range(_CHARS):
        tie, code = divmod(tie, 52)
        codes.append(code)
    chars = []
    for code in reversed(codes):
        if code == 0:
            break
        chars.append(_LOWEST[code])
    return "".join(chars)


def first_in_name_order(connection: Any, match: str, limit: int) -> list[int]:
    """The ids of the first `limit` members matching `match` in name order (sort_key, code), in a rough order
    (the caller sorts them); all of them when fewer match."""
    if limit <= 0:
        return []
    driver = _driver(connection)
    # Read in rowid order until `limit` and the last one's tie are read (the cursor steps as it is read).
    cursor = driver.execute("SELECT rowid FROM member_fts WHERE member_fts MATCH ? ORDER BY rowid", (match,))
    try:
        rowids = [row[0] for row in cursor.fetchmany(limit)]
        if len(rowids) < limit:
            return [rowid & ID_MASK for rowid in rowids]
        tie = _tie(rowids[-1])
        tied = [rowid & ID_MASK for rowid in rowids if _tie(rowid) == tie]
        for (rowid,) in cursor:
            if _tie(rowid) != tie:
                break
            tied.append(rowid & ID_MASK)
    finally:
        cursor.close()
    ids = [rowid & ID_MASK for rowid in rowids if _tie(rowid) < tie]
    need = limit - len(ids)
    if len(tied) > need:
        # The tie's members in name order: the index ix_members_name_order read from a key no greater than
        # theirs, keeping the members found, until enough (a few thousand entries at most, no row read).
        wanted, kept = set(tied), []
        stretch = driver.execute("SELECT id FROM members WHERE sort_key >= ? ORDER BY sort_key, code",
                                 (_tie_start(tie),))
        try:
            for (member_id,) in stretch:
                if member_id in wanted:
                    kept.append(member_id)
                    if len(kept) == need:
                        break
        finally:
            stretch.close()
        tied = kept
    return ids + tied


def has_index(connection: Any) -> bool:
    return connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'member_fts'").first() is not None


# The rows search_members shows, by id, in the driver's named style: no statement built or compiled per search
# (building and compiling the select of 500 ids was a fifth of a search). Same columns as members._COLUMNS.
_ROWS = (
    "SELECT m.id, m.code, m.family_name, m.middle_name, m.given_name, m.sort_key, m.sex, m.birth_date, "
    "m.full_member_on, m.exempt_since, m.exempt_until, m.job_title, o.code, o.name "
    "FROM members AS m LEFT JOIN memberships AS ms ON ms.member_id = m.id AND ms.valid_from <= :day "
    "AND (ms.valid_to IS NULL OR ms.valid_to > :day) LEFT JOIN organizations AS o ON o.id = ms.org_id "
    "WHERE m.id IN (SELECT value FROM json_each(:ids))")


def member_rows(connection: Any, ids: list[int], day: str) -> list[tuple[Any, ...]]:
    """The members `ids` with their chi bộ on `day` (ISO), as the driver's tuples."""
    return _driver(connection).execute(_ROWS, {"day": day, "ids": json.dumps(ids)}).fetchall()  # type: ignore[no-any-return]


def identifier_ids(connection: Any, typed: str) -> list[int]:
    """Members whose code (as typed or in capitals), party card number or CCCD number is `typed`."""
    return [row[0] for row in _driver(connection).execute(
        "SELECT id FROM members WHERE code IN (?, ?) OR card_number = ? OR national_id = ?",
        (typed, typed.upper(), typed, typed))]


def has_events(connection: Any, kinds: tuple[str, ...]) -> bool:
    """Whether any member event of these kinds is recorded (the search skips reading exemption periods)."""
    marks = ", ".join("?" * len(kinds))
    return _driver(connection).execute(
        f"SELECT 1 FROM member_events WHERE kind IN ({marks}) LIMIT 1", kinds).fetchone() is not None
