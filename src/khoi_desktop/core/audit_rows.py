"""Digests of the rows the audit trail vouches for: organizations, their places in the tree, members, their
memberships, committee seats and decisions.

Each audit entry stores the digest of every such row it changed, as the row stood when the transaction ended
(core/audit.py); `verify-audit --deep` digests the rows again and names any that no longer match the last
digest recorded for them: a change made with a database tool, outside the app.

A digest covers the columns listed here, read with plain SQL and written in one canonical form (dates as
YYYY-MM-DD, booleans as 0/1), so SQLite and PostgreSQL give the same value. A column added later is not
covered until it is listed (and the rows digested again by a migration). The stored PDF is covered through
its SHA-256 column.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, text

ROW_DIGEST_CHARS = 32  # 128 bits: a second preimage is out of reach; half the size of the full hash
COLUMNS: dict[str, tuple[str, ...]] = {
    "organizations": ("code", "name", "name_key", "kind", "agency", "founded_on", "ended_on", "founded_by_id",
                      "ended_by_id", "consent_note", "consent_decision_id"),
    "placements": ("org_id", "parent_id", "valid_from", "valid_to", "decision_id", "kind"),
    "members": ("code", "family_name", "middle_name", "given_name", "search_key", "sort_key", "sex", "birth_date",
                "hometown", "ethnicity", "religion", "national_id", "card_number", "so_ly_lich", "admitted_on",
                "full_member_on", "exempt_since", "education", "theory_level", "job_title", "agency"),
    "memberships": ("member_id", "org_id", "valid_from", "valid_to", "decision_id", "start_reason", "end_reason",
                    "note"),
    "committee_seats": ("org_id", "member_id", "role", "term", "valid_from", "valid_to", "decision_id",
                        "end_reason"),
    "decisions": ("doc_type", "action", "status", "term_id", "number", "code", "subject", "content", "request",
                  "signer", "issued_on", "effective_on", "pdf_sha256", "issuer_id", "recorded"),
}
TRACKED = frozenset(COLUMNS)
RowKey = tuple[str, int]  # (table, id)
_CHUNK = 500


def _canonical(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return hashlib.sha256(bytes(value)).hexdigest()
    return value


_PLAIN = frozenset({str, int, float, type(None)})  # stored as they are (bool is not among them: it becomes 0/1)
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_sha256 = hashlib.sha256


def _one_encoder() -> Callable[[Any], str]:
    """JSONEncoder.encode without its per-call set-up: the json module's C encoder made once (the set-up was
    a third of a demo office's 340.000 digests). The same text, checked here; the plain encode without C."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return _JSON.encode
    try:
        chunks = make(None, _JSON.default, json.encoder.encode_basestring, None, ":", ",", False, False, True)
    except TypeError:  # another signature
        return _JSON.encode

    def encode(value: Any) -> str:
        return "".join(chunks(value, 0))

    sample = ["members", 7, ["Nguyễn \"Văn\"\n", None, 1.5, -3, "2026-01-31", "\u0001\u2028"]]
    return encode if encode(sample) == _JSON.encode(sample) else _JSON.encode


_ENCODE = _one_encoder()


def row_digest(table: str, row_id: int, values: Iterable[Any]) -> str:
    payload = _ENCODE([table, row_id, [v if type(v) in _PLAIN else _canonical(v) for v in values]])
    return _sha256(payload.encode("utf-8")).hexdigest()[:ROW_DIGEST_CHARS]


def plain_row_digest(table: str, row_id: int, values: Sequence[str | int | float | None]) -> str:
    """row_digest of values already in their canonical form (str, int, float or None: no bool, date or bytes),
    without looking at each: the demo's 340.000 rows of its plan (core/demo.py)."""
    return _sha256(_ENCODE([table, row_id, values]).encode("utf-8")).hexdigest()[:ROW_DIGEST_CHARS]


def plain_row_digests(table: str, rows: Iterable[tuple[int, Sequence[str | int | float | None]]]) -> dict[int, str]:
    """plain_row_digest of each (id, values), by id: one comprehension, the encoder and hash bound once (the demo's
    340.000 rows: no call a row)."""
    encode, sha256, chars = _ENCODE, _sha256, ROW_DIGEST_CHARS
    return {row_id: sha256(encode([table, row_id, values]).encode("utf-8")).hexdigest()[:chars]
            for row_id, values in rows}


def _select(table: str) -> str:
    return f"SELECT id, {', '.join(COLUMNS[table])} FROM {table}"


def digests_of(connection: Connection, keys: Iterable[RowKey]) -> dict[RowKey, str | None]:
    """The current digest of each row; None for a row that no longer exists (deleted in this transaction)."""
    wanted: dict[str, list[int]] = {}
    for table, row_id in keys:
        wanted.setdefault(table, []).append(row_id)
    chunks = [(table, ordered[start:start + _CHUNK]) for table, ids in wanted.items()
              for ordered in [sorted(set(ids))] for start in range(0, len(ordered), _CHUNK)]
    if connection.dialect.name == "postgresql":
        # The ids are the rows' own integers, inlined: the reads go together, one round trip to a server for a
        # decision's five tables (core/engines/together.py).
        from khoi_desktop.core.engines.together import read_together

        found: list[list[Any]] = read_together(connection, [
            (f"{_select(table)} WHERE id IN ({','.join(str(int(i)) for i in ids)})", {}) for table, ids in chunks])
    else:
        query = {table: text(_select(table) + " WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
                 for table in wanted}
        found = [list(connection.execute(query[table], {"ids": ids})) for table, ids in chunks]
    result: dict[RowKey, str | None] = {}
    for (table, ids), rows in zip(chunks, found, strict=True):
        for row in rows:
            result[(table, row[0])] = row_digest(table, row[0], row[1:])
        for row_id in ids:
            result.setdefault((table, row_id), None)
    return result


def all_digests(connection: Connection, table: str) -> Iterator[tuple[int, str]]:
    """(id, digest) of every row of `table`."""
    result = connection.execute(text(_select(table)))
    try:
        # The driver's own tuples: SQLAlchemy's Row per row was a fifth of the time (every column is plain).
        for row in result.cursor:  # type: ignore[attr-defined]
            yield row[0], row_digest(table, row[0], row[1:])
    finally:
        result.close()


def entry_rows_digest(rows: Mapping[RowKey, str | None]) -> str | None:
    """What an entry's hash covers of its rows: one SHA-256 over the sorted (table, id, digest) triples."""
    return sorted_rows_digest(sorted(rows.items()))


def sorted_rows_digest(rows: Sequence[tuple[RowKey, str | None]]) -> str | None:
    """entry_rows_digest of rows already sorted by their key (an entry's rows are also written in that order)."""
    return rows_text_digest(sorted_rows_text(rows))


def sorted_rows_text(rows: Sequence[tuple[RowKey, str | None]]) -> str | None:
    """The text entry_rows_digest hashes, of rows already sorted by their key: a JSON array of [table, id, digest]
    triples, "" for the digest of a deleted row; None for no rows."""
    if not rows:
        return None
    return _ENCODE([(table, row_id, digest or "") for (table, row_id), digest in rows])


def table_rows_text(table: str, digests: dict[int, str]) -> str:
    """One table's part of sorted_rows_text (its rows in id order, without the enclosing brackets): the parts of
    the tables of an entry, in the order of their names, joined by "," and bracketed, are its sorted_rows_text."""
    return _ENCODE([(table, row_id, digest or "") for row_id, digest in sorted(digests.items())])[1:-1]


def rows_text_digest(text: str | None) -> str | None:
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text is not None else None
