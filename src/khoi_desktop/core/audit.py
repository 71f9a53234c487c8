"""Audit trail: every change is recorded, chained by hashes so edits outside the app show.

How the chain and its sealed anchor work: core/audit_chain.py. How it is checked: core/audit_check.py.

Each entry also carries the digests of the rows it changed (core/audit_rows.py): the organizations,
placements, members, memberships, committee seats and decisions written in its transaction since the
previous entry. Rows changed after a transaction's last entry (or in a transaction that records nothing)
get an entry of their own at the commit ("data.change"), so no change the app makes is left without a
digest. Entries are only ever inserted, never updated: on a server the app's role may not update them.
New entries take the id after the anchor's, never a deleted one's, so a deletion at the end
leaves a visible gap once the app records again.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, func, inspect, select, text
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from khoi_desktop.core.audit_chain import (  # noqa: F401  (re-exported: the trail's names live here)
    ANCHOR_KEY,
    CURRENT,
    GENESIS,
    Anchor,
    _entry_hash,
    anchor_text,
    entry_hash,
    load_anchor,
    sealing_key,
    store_anchor,
    utc_now,
)
from khoi_desktop.core.audit_check import AuditCheck, first_broken_entry, verify_trail  # noqa: F401
from khoi_desktop.core.audit_models import AuditRowDigest
from khoi_desktop.core.audit_rows import (
    ROW_DIGEST_CHARS,
    TRACKED,
    RowKey,
    all_digests,
    digests_of,
    rows_text_digest,
    sorted_rows_text,
)
from khoi_desktop.core.auth.current import current_user
from khoi_desktop.core.engines import lock_audit_chain
from khoi_desktop.core.models import AuditEntry
from khoi_desktop.core.os_account import os_user  # noqa: F401  (re-exported: callers import it from here)

_os_user = os_user  # record() has a parameter of that name

# session.info keys: rows changed and not yet digested; tables bulk-written (ids unknown); the digests this
# transaction's entries already carry.
_PENDING = "audit_pending"
_BULK = "audit_bulk"
_DONE = "audit_digested"
_LAST = "audit_last_appended"  # (root transaction, entry): the tail this transaction wrote, not read again
_KNOWN = "audit_known_digests"
_KNOWN_TEXT = "audit_known_text"  # table_rows_text of the known digests, where the writer made it too
_TAKEN = "audit_taken"  # _Taken of each known table _take_pending took whole
_SPOT_CHECK = 64  # rows at each end of a table whose known digests are compared with the rows as stored
DATA_CHANGE = "data.change"


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(session: Session, *, actor: str | None = None, action: str, target: str | None = None,
           before: Any = None, after: Any = None, os_user: str | None = None) -> AuditEntry:
    """Append one entry inside the caller's transaction.

    The actor is the session's signed-in account whenever there is one (so every screen's and command's
    entry names who was signed in), with the operating-system user behind it as an extra field; otherwise
    `actor`, else the operating-system user. `os_user` names who is behind an entry written for nobody
    signed in yet (a login attempt).
    """
    return _append(session, actor=actor, action=action, target=target, before=before, after=after, os_user=os_user)


def _append(session: Session, *, actor: str | None, action: str, target: str | None, before: Any, after: Any,
            os_user: str | None = None, accept_unsealed: bool = False,
            rows: dict[RowKey, str | None] | None = None) -> AuditEntry:
    user = current_user(session)
    name = (user.username if user is not None else (actor or _os_user()))[:120]
    behind = (user.os_user if user is not None and user.os_user else os_user) or None
    behind = behind[:120] if behind else None
    target = target[:300] if target else target
    lock_audit_chain(session)  # concurrent writers on a server: one chain, never two entries on one tail
    given_text = None
    taken: list[_Taken] | None = None
    if rows is None:
        session.flush()  # the changes made so far are collected (_collect) before they are digested
        rows = _take_pending(session)
        taken = _taken_whole(session, len(rows))
        given_text = _taken_text(taken)
    key = sealing_key(session)
    last = _appended_here(session)
    if last is None:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    anchor = load_anchor(session)
    prev_hash = last.hash if last else GENESIS
    next_id = max(last.id if last else 0, anchor.last_id if anchor else 0) + 1
    if anchor is not None and anchor.readable:
        count, lost_at = anchor.count + 1, anchor.lost_at
        if key is not None and not accept_unsealed and not anchor.seal_holds(key) and lost_at is None:
            lost_at = next_id  # written or rewritten outside the app: the loss stays on record, sealed
    else:  # no anchor yet (a new trail), or one deleted or damaged outside the app: the loss stays on record
        count = (session.scalar(select(func.count()).select_from(AuditEntry)) or 0) + 1
        lost_at = next_id if last is not None or anchor is not None else None
    at, offset = utc_now()
    before_text, after_text = _dump(before), _dump(after)
    ordered: list[tuple[RowKey, str | None]] | None = None
    rows_text = given_text
    if rows_text is None:
        ordered = sorted(rows.items())  # once, for the digest and the rows written (a demo office: 340.000)
        rows_text = sorted_rows_text(ordered)
    rows_digest = rows_text_digest(rows_text)
    entry = AuditEntry(
        id=next_id, at=at, at_offset=offset, format=CURRENT, actor=name, action=action, target=target,
        before=before_text, after=after_text, os_user=behind, prev_hash=prev_hash, rows_digest=rows_digest,
        hash=entry_hash(prev_hash, at, offset, name, action, target, before_text, after_text, rows_digest, behind),
    )
    new_anchor = Anchor(entry.id, entry.hash, count, lost_at)
    if not _written_together(session, entry, rows if ordered is None else ordered, new_anchor, key):
        session.add(entry)
        session.flush()
        _write_rows(session, entry.id, rows if ordered is None else ordered, rows_text, taken)
        store_anchor(session, new_anchor, key)
    session.info.setdefault(_DONE, {}).update(rows)
    session.info[_LAST] = (session.get_transaction(), entry)
    return entry


_ENTRY_COLUMNS = ("id", "at", "at_offset", "format", "rows_digest", "actor", "action", "target", "before", "after",
                  "os_user", "prev_hash", "hash")
_WRITTEN_TOGETHER = (  # our own tables and columns; every value a parameter
    "WITH entry AS (INSERT INTO audit_entries ({columns}) VALUES ({values})), "
    "entry_rows AS (INSERT INTO audit_rows (entry_id, table_name, row_id, digest) SELECT CAST(:id AS INTEGER), * "
    "FROM unnest(CAST(:tables AS VARCHAR(32)[]), CAST(:row_ids AS INTEGER[]), CAST(:digests AS VARCHAR(32)[]))) "
    "UPDATE settings SET value = :anchor WHERE key = :anchor_key").format(
    columns=", ".join(f'"{name}"' for name in _ENTRY_COLUMNS), values=", ".join(f":{name}" for name in _ENTRY_COLUMNS))


def _written_together(session: Session, entry: AuditEntry, rows: list[tuple[RowKey, str | None]] | dict[RowKey,
                      str | None], anchor: Anchor, key: bytes | None) -> bool:
    """On a server: the entry, its rows and the chain's new anchor in one statement (three round trips as the ORM
    and _write_rows write them), the entry then held by the session as if flushed. False (nothing done): SQLite, or
    no anchor stored yet (a new trail: store_anchor inserts it)."""
    from khoi_desktop.core.settings import setting_row

    if session.get_bind().dialect.name != "postgresql":
        return False
    stored = setting_row(session, ANCHOR_KEY)
    if stored is None:
        return False
    from sqlalchemy.orm import make_transient_to_detached
    from sqlalchemy.orm.attributes import set_committed_value

    ordered = sorted(rows.items()) if isinstance(rows, dict) else rows
    value = anchor_text(anchor, key)
    session.connection().execute(text(_WRITTEN_TOGETHER), {
        **{name: getattr(entry, name) for name in _ENTRY_COLUMNS}, "tables": [table for (table, _), _ in ordered],
        "row_ids": [row_id for (_, row_id), _ in ordered], "digests": [digest for _, digest in ordered],
        "anchor": value, "anchor_key": ANCHOR_KEY})
    make_transient_to_detached(entry)
    session.add(entry)  # persistent, as after its INSERT: _appended_here follows it
    set_committed_value(stored, "value", value)
    return True


def _appended_here(session: Session) -> AuditEntry | None:
    """The entry this transaction appended last (the chain is locked for it since: still the tail), if it
    is still written (not undone with a savepoint): a second entry of a workflow needs no read of the tail."""
    held = session.info.get(_LAST)
    if held is None or held[0] is not session.get_transaction() or held[0] is None:
        return None
    entry = held[1]
    state = inspect(entry)
    return entry if state.persistent and not state.expired and "hash" in state.dict else None


def start_sealing(session: Session) -> AuditEntry | None:
    """seal_anchor for a plain file being encrypted: a trail that does not check out is left unsealed (its
    next entry records the loss, sealed) rather than stopping the conversion."""
    from khoi_desktop.core.errors import ValidationError

    try:
        return seal_anchor(session)
    except ValidationError:
        return None


def seal_anchor(session: Session) -> AuditEntry:
    """Seal the anchor of a file that has just got its database key (key slots created on a plain file):
    only a trail that checks out is sealed, and the sealing is itself recorded."""
    from khoi_desktop.core.errors import ValidationError

    if sealing_key(session) is None:
        raise ValidationError("Tệp dữ liệu chưa được mở khóa bằng tài khoản: chưa niêm phong được nhật ký.",
                              code="no_database_key")
    check = verify_trail(session, check_seal=False)
    if not check.ok:
        raise ValidationError(f"Nhật ký thay đổi không còn nguyên vẹn, không niêm phong: {check.message}",
                              code="audit_broken")
    return _append(session, actor=None, action="audit.seal", target=None, before=None,
                   after={"entries": check.entries}, accept_unsealed=True)


# From this many rows on, SQLite writes an entry's rows itself from the text its digest was computed over.
ROWS_FROM_TEXT = 1000
_ROWS_FROM_TEXT_SQL = (
    "INSERT INTO audit_rows (entry_id, table_name, row_id, digest) SELECT ?, json_extract(value, '$[0]'), "
    "json_extract(value, '$[1]'), nullif(json_extract(value, '$[2]'), '') FROM json_each(?)")


# A known table's rows (_Taken): their ids as a JSON array, their digests (of ROW_DIGEST_CHARS each) one after the
# other in a blob, the n-th row's digest the n-th slice (a blob's substr is by byte, a text's walks its characters).
_ROWS_OF_TABLE_SQL = (
    "INSERT INTO audit_rows (entry_id, table_name, row_id, digest) SELECT ?, ?, value, "
    f"CAST(substr(?, key * {ROW_DIGEST_CHARS} + 1, {ROW_DIGEST_CHARS}) AS TEXT) FROM json_each(?)")


def _write_rows(session: Session, entry_id: int, rows: list[tuple[RowKey, str | None]] | dict[RowKey, str | None],
                text: str | None, taken: list[_Taken] | None = None) -> None:
    """The entry's rows; `text` is sorted_rows_text of them, `taken` the known tables they are exactly the rows of
    (_taken_whole). A large entry on SQLite (the demo office's: 340.000 rows at scale 20) is written by SQLite in
    one statement, in the same order, without the GIL (an executemany of as many tuples made here held it 0.8 s
    longer): from each known table's ids and digests (_ROWS_OF_TABLE_SQL: no array of three parsed again a row,
    0.2 s instead of 0.4-0.5 at scale 20), else taken apart from that text; "" stands for no digest there (never a
    digest: those are hex)."""
    if not rows:
        return
    if len(rows) >= ROWS_FROM_TEXT and session.get_bind().dialect.name == "sqlite":
        tables = [_rows_of_table(entry_id, t.table, t.digests) for t in taken or ()]
        if tables and None not in tables:
            for parameters in tables:
                session.connection().exec_driver_sql(_ROWS_OF_TABLE_SQL, parameters)
            return
        if text is not None:
            session.connection().exec_driver_sql(_ROWS_FROM_TEXT_SQL, (entry_id, text))
            return
    from khoi_desktop.core.bulk_load import insert_values  # one executemany straight to the driver

    ordered = sorted(rows.items()) if isinstance(rows, dict) else rows
    insert_values(session, cast(Table, AuditRowDigest.__table__), ("entry_id", "table_name", "row_id", "digest"),
                  [(entry_id, table, row_id, digest) for (table, row_id), digest in ordered])


def _rows_of_table(entry_id: int, table: str, digests: dict[int, str]) -> tuple[int, str, bytes, str] | None:
    """The parameters of _ROWS_OF_TABLE_SQL for a known table's rows of an entry (in id order); None: a digest not
    of ROW_DIGEST_CHARS ASCII characters (never one of row_digest's, which are hex)."""
    ids = sorted(digests)
    joined = "".join(map(digests.__getitem__, ids))
    if len(joined) != ROW_DIGEST_CHARS * len(ids) or not joined.isascii():
        return None
    return entry_id, table, joined.encode("ascii"), json.dumps(ids, separators=(",", ":"))


def rows_written(session: Session, table: str, ids: list[int]) -> None:
    """Rows of `table` changed by a statement sent around the ORM whose ids the writer knows (an UPDATE …
    RETURNING id): digested with the rows the ORM wrote, not the whole table reconciled (bulk_written)."""
    if table in TRACKED:
        session.info.setdefault(_PENDING, set()).update((str(table), row_id) for row_id in ids)


def bulk_written(session: Session, table: str) -> None:
    """Rows of `table` written around the ORM (core/bulk_load.py): the table is reconciled before the commit."""
    if table in TRACKED:  # a plain str, not SQLAlchemy's quoted_name: sqlite3 binds a str subclass through
        # its adaptation protocol, which was two thirds of the time to write a demo office's 340.000 audit rows
        session.info.setdefault(_BULK, set()).add(str(table))


def bulk_digested(session: Session, table: str, digests: dict[int, str], text: str | None = None) -> None:
    """Rows a transaction wrote in bulk into a table that was empty (the demo office), with their digests
    already computed by the writer from the values it stored (row_digest): taken instead of reading the whole
    table back to digest it again, once the table holds exactly those ids and its first and last rows digest
    the same read back (else the table is digested as stored, as without this)."""
    if table in TRACKED:
        session.info.setdefault(_KNOWN, {})[str(table)] = digests
        if text is not None:  # table_rows_text(table, digests), made by the writer off this thread
            session.info.setdefault(_KNOWN_TEXT, {})[str(table)] = text


def _known(session: Session, table: str) -> dict[RowKey, str | None] | None:
    digests: dict[int, str] | None = session.info.get(_KNOWN, {}).pop(table, None)
    given_text: str | None = session.info.get(_KNOWN_TEXT, {}).pop(table, None)
    if not digests:
        return None
    connection = session.connection()
    count, low, high = connection.execute(text(f"SELECT count(*), min(id), max(id) FROM {table}")).one()  # TRACKED
    ids = sorted(digests)
    if (count, low, high) != (len(ids), ids[0], ids[-1]):
        return None
    ends = [(table, i) for i in ids[:_SPOT_CHECK] + ids[-_SPOT_CHECK:]]
    if any(digest != digests[row_id] for (_, row_id), digest in digests_of(connection, ends).items()):
        return None
    session.info.setdefault(_TAKEN, []).append(_Taken(table, digests, given_text))
    return {(table, row_id): digest for row_id, digest in digests.items()}


class _Taken(NamedTuple):
    """A known table taken whole by _known: its digests by id, and their table_rows_text if the writer made it."""

    table: str
    digests: dict[int, str]
    text: str | None


def _taken_whole(session: Session, count: int) -> list[_Taken] | None:
    """The known tables _take_pending just took whole (by name), when the `count` rows it took are exactly theirs
    (the demo office's entry); else None. The rows hold every known table's rows (their digests over any other):
    as many rows as those tables have is none other."""
    taken: list[_Taken] = session.info.pop(_TAKEN, [])
    if not taken or sum(len(t.digests) for t in taken) != count:
        return None
    return sorted(taken, key=lambda t: t.table)


def _taken_text(taken: list[_Taken] | None) -> str | None:
    """sorted_rows_text of the rows of the tables taken whole, from their own texts (340.000 rows not sorted and
    encoded again here); None: not all of them have one, or no tables were taken whole."""
    if not taken or any(t.text is None for t in taken):
        return None
    return "[" + ",".join(cast(str, t.text) for t in taken) + "]"


def _take_pending(session: Session) -> dict[RowKey, str | None]:
    pending: set[RowKey] = session.info.pop(_PENDING, set())
    bulk: set[str] = session.info.pop(_BULK, set())
    session.info.pop(_TAKEN, None)  # _known notes the tables it takes whole (_taken_whole)
    connection = session.connection()
    rows = digests_of(connection, pending) if pending else {}
    for table in sorted(bulk):
        rows.update(_reconciled(session, table))
    return rows


def _reconciled(session: Session, table: str) -> dict[RowKey, str | None]:
    """After a bulk write whose rows are not known one by one (the demo office's inserts): every row of the
    table whose digest differs from the last one recorded, and tombstones for rows gone."""
    recorded = _latest_digests(session, table)
    if not recorded and (known := _known(session, table)) is not None:
        return known
    if not recorded:  # a table written for the first time (a new office): every row is new
        return {(table, row_id): digest for row_id, digest in all_digests(session.connection(), table)}
    rows: dict[RowKey, str | None] = {}
    for row_id, digest in all_digests(session.connection(), table):
        if recorded.pop(row_id, None) != digest:
            rows[(table, row_id)] = digest
    rows.update({(table, row_id): None for row_id, digest in recorded.items() if digest is not None})
    return rows


def _latest_digests(session: Session, table: str) -> dict[int, str | None]:
    latest: dict[int, str | None] = {}
    for row_id, digest in session.execute(
            select(AuditRowDigest.row_id, AuditRowDigest.digest).where(AuditRowDigest.table_name == table)
            .order_by(AuditRowDigest.entry_id)):
        latest[row_id] = digest
    return latest


def _finish(session: Session) -> None:
    """Before the commit: rows changed since the transaction's last entry (or with no entry at all) get one."""
    if session.info.get(_PENDING) is None and session.info.get(_BULK) is None:
        return
    session.flush()
    done: dict[RowKey, str | None] = session.info.get(_DONE, {})
    rows = {key: digest for key, digest in _take_pending(session).items() if done.get(key, "?") != digest}
    if rows:
        _append(session, actor=None, action=DATA_CHANGE, target=None, before=None, after=None, rows=rows)


def _collect(session: Session, _context: object) -> None:
    """After each flush: the tracked rows it inserted, updated or deleted."""
    keys: set[RowKey] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(obj, "__tablename__", None)
        if table in TRACKED:
            # The identity key of a new row is set only after this hook: read the primary key itself.
            row_id = inspect(obj).mapper.primary_key_from_instance(obj)[0]
            if row_id is not None:
                keys.add((table, int(row_id)))
    if keys:
        session.info.setdefault(_PENDING, set()).update(keys)


def _bulk_statement(state: ORMExecuteState) -> None:
    """Core-level writes (`session.execute(insert(table), rows)`): rows by id where the parameters name
    them, otherwise the whole table is reconciled before the commit."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    name = getattr(getattr(state.statement, "table", None), "name", None)
    if name not in TRACKED:
        return
    table = str(name)  # not quoted_name (bulk_written)
    params = state.parameters
    rows = params if isinstance(params, list) else [params] if params else []
    ids = [row.get("id") for row in rows if isinstance(row, dict)]
    if state.is_insert and ids and all(isinstance(i, int) for i in ids):
        session_pending: set[RowKey] = state.session.info.setdefault(_PENDING, set())
        session_pending.update((table, i) for i in ids)  # type: ignore[misc]
    else:
        state.session.info.setdefault(_BULK, set()).add(table)


def _reset(session: Session, *_args: object) -> None:
    for key in (_PENDING, _BULK, _DONE, _KNOWN, _KNOWN_TEXT, _TAKEN):
        session.info.pop(key, None)


def track_changes(factory: sessionmaker[Session]) -> None:
    """Wire a session factory so its transactions digest the rows they change (core/db.py)."""
    from sqlalchemy import event

    event.listen(factory, "after_flush", _collect)
    event.listen(factory, "do_orm_execute", _bulk_statement)
    event.listen(factory, "before_commit", _finish)
    event.listen(factory, "after_commit", _reset)
    event.listen(factory, "after_soft_rollback", _reset)
