"""Copy a whole office from one database to another of the same schema revision, whatever their engines:
a file moved to the server (migrate-to-server), a server office backed up as a SQLite image (.khoibak) and
restored into an empty server database. With the checks that prove nothing was lost: every table's row count
and a content digest computed the same way on both engines."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Table, func, select, text

from khoi_desktop.core.schema import METADATA

BATCH = 2000
Progress = Callable[[float], None]


def _tables() -> list[Table]:
    """Parents before children (foreign keys); alembic_version is copied apart."""
    return list(METADATA.sorted_tables)


def _order(table: Table) -> list[Any]:
    return list(table.primary_key.columns) or list(table.columns)


def _plain(value: Any) -> Any:
    """One spelling of a value on both engines, for the digest."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return hashlib.sha256(bytes(value)).hexdigest()
    if hasattr(value, "value"):  # an enum member
        return value.value
    if isinstance(value, bool):
        return int(value)
    return value


def row_counts(connection: Connection) -> dict[str, int]:
    return {table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in _tables()}


def content_digest(connection: Connection, *, leave_out: frozenset[str] = frozenset()) -> str:
    """SHA-256 over every table's rows in primary-key order, values spelled the same on both engines
    (`leave_out`: tables not compared, e.g. the audit trail of two restores that each recorded themselves).

    Each row is the JSON of its values as `_plain` spells what SQLAlchemy reads; the rows are read from the
    driver (no SQLAlchemy row, no result processor), each column already spelled that way by the database
    (`_spelled`; only a LargeBinary's hash on SQLite is Python's): the same digest, a fraction of the time."""
    encode = _json_encoder()
    engine = connection.dialect.name
    raw: Any = connection.connection.dbapi_connection
    digest = hashlib.sha256()
    for table in _tables():
        if table.name in leave_out:
            continue
        digest.update(f"\x00{table.name}\x00".encode())
        selected = [_spelled(column, engine) for column in table.columns]
        spellings = [(i, spell) for i, (_sql, spell) in enumerate(selected) if spell is not None]
        order = ", ".join(f'"{column.name}"' for column in _order(table))
        cursor = raw.cursor()
        try:
            cursor.execute(f'SELECT {", ".join(sql for sql, _spell in selected)} FROM "{table.name}" ORDER BY {order}')
            while rows := cursor.fetchmany(BATCH * 5):
                if spellings:
                    spelled = []
                    for row in rows:
                        values = list(row)
                        for i, spell in spellings:
                            if values[i] is not None:
                                values[i] = spell(values[i])
                        spelled.append(values)
                    rows = spelled
                digest.update("".join([f"{encode(values)}\n" for values in rows]).encode())
        finally:
            cursor.close()
    return digest.hexdigest()


def _json_encoder() -> Callable[[Any], str]:
    """What json.dumps(value, ensure_ascii=False, default=str) makes of a row: the json module's own C encoder
    made once (json.dumps makes a new one, and a JSONEncoder's encode a new C encoder, at each call: two thirds
    of the time for a short row); JSONEncoder's encode where there is no C encoder."""
    from json import encoder

    make_encoder = getattr(encoder, "c_make_encoder", None)  # not in the module's stubs
    if make_encoder is None:  # pragma: no cover - CPython always has it
        return json.JSONEncoder(ensure_ascii=False, default=str).encode
    make = make_encoder(None, str, encoder.encode_basestring, None, ": ", ", ", False, False, True)
    return lambda value: "".join(make(value, 0))


def _spelled(column: Any, engine: str) -> tuple[str, Callable[[Any], Any] | None]:
    """The SQL reading one column as `_plain` spells the value SQLAlchemy reads, and the Python function still
    to apply to a value that is not NULL (None: none).

    SQLite holds dates and timestamps as SQLAlchemy's text (YYYY-MM-DD, YYYY-MM-DD HH:MM:SS.ffffff: isoformat
    is the same with a T, without a fraction of zero), booleans as 1/0; the server spells its own with
    to_char, its booleans as integers, hashes its bytes; enums are stored as their values (not natively) on
    both, text and integers are themselves."""
    from sqlalchemy import Boolean, Date, DateTime, Enum, Integer, LargeBinary, String

    name, kind = f'"{column.name}"', column.type
    server = engine != "sqlite"
    if isinstance(kind, LargeBinary):
        return (f"encode(sha256({name}), 'hex')", None) if server else (name, _plain)
    if isinstance(kind, Boolean):
        return (f"{name}::int", None) if server else (f"CAST({name} AS INTEGER)", None)
    if isinstance(kind, DateTime):
        if server:
            return (f"""to_char({name}, 'YYYY-MM-DD"T"HH24:MI:SS') || """
                    f"CASE WHEN to_char({name}, 'US') = '000000' THEN '' ELSE to_char({name}, '.US') END", None)
        return (f"CASE WHEN substr({name}, 20) = '.000000' THEN substr({name}, 1, 10) || 'T' || substr({name}, 12, 8) "
                f"ELSE substr({name}, 1, 10) || 'T' || substr({name}, 12) END", None)
    if isinstance(kind, Date):
        return (f"to_char({name}, 'YYYY-MM-DD')", None) if server else (name, None)
    if isinstance(kind, Integer | String | Enum):  # Text is a String
        return name, None
    return name, _plain


def revision(connection: Connection) -> str | None:
    row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    return row[0] if row else None


def copy_office(source: Connection, target: Connection, progress: Progress | None = None) -> None:
    """Every row of `source` into the empty `target` (same revision, schema made by the app's migrations),
    inside the caller's transactions. A server's id sequences continue after the copied ids."""
    tables = _tables()
    total = max(1, sum(source.execute(select(func.count()).select_from(t)).scalar_one() for t in tables))
    done = 0
    for table in tables:
        result = source.execute(select(table).order_by(*_order(table)))
        while rows := result.fetchmany(BATCH):
            target.execute(table.insert(), [dict(row._mapping) for row in rows])
            done += len(rows)
            if progress is not None:
                progress(done / total)
    if target.dialect.name == "postgresql":
        continue_sequences(target, tables)


def continue_sequences(target: Connection, tables: list[Table]) -> None:
    """A server's id sequences set to continue after the ids copied into its tables."""
    for table in tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (column.autoincrement == "auto" and
                                                len(table.primary_key.columns) == 1 and
                                                column.type.python_type is int):
                target.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                    f"coalesce((SELECT max({column.name}) FROM {table.name}), 0) + 1, false) "
                    f"WHERE pg_get_serial_sequence('{table.name}', '{column.name}') IS NOT NULL"))


def is_empty(connection: Connection) -> bool:
    return all(count == 0 for count in row_counts(connection).values())


# --- a SQLite image in memory (what a .khoibak holds) on either side of a server -------------------------

def _memory_engine(conn: Any) -> Any:
    """An SQLAlchemy engine over one raw in-memory sqlite3 connection (it is the whole database)."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    return create_engine("sqlite://", creator=lambda: conn, poolclass=StaticPool)


def upgrade_image(conn: Any, to: str = "head") -> None:
    """Bring an in-memory image (a backup's content, an empty new one) to the app's schema `to`."""
    from alembic import command

    from khoi_desktop.core.db import _alembic_config

    conn.isolation_level = None  # SQLAlchemy's BEGIN frames the migration
    engine = _memory_engine(conn)
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, to)


_EMPTY_IMAGES: dict[str, bytes] = {}  # revision -> an empty image made by the migrations, for the next backup


def _empty_image(image: Any, to: str) -> None:
    """`image` (empty) brought to the schema `to` by the migrations; the result kept for this process's next
    backup of a server office (the periodic ones), which loads it instead of running the migrations again."""
    if to not in _EMPTY_IMAGES:
        upgrade_image(image, to)
        _EMPTY_IMAGES[to] = image.serialize()
        return
    image.deserialize(_EMPTY_IMAGES[to])
    image.isolation_level = None  # as upgrade_image leaves it


def server_image(db: Any, progress: Progress | None = None) -> Any:
    """A consistent copy of a server office as an in-memory SQLite database at the same revision: the content
    of its .khoibak, checked and restored like a file office's."""
    from khoi_desktop.core.engines.sqlite import connect_memory

    image = connect_memory(check_same_thread=False)
    try:
        with db.engine.connect().execution_options(isolation_level="REPEATABLE READ",
                                                   postgresql_readonly=True) as source:
            with source.begin():
                _empty_image(image, revision(source) or "head")
                if source.dialect.name == "postgresql":  # straight from the driver, no ORM row a row
                    from khoi_desktop.core.engines.postgres import copy_into_sqlite

                    copy_into_sqlite(source, image, _tables(), progress)
                else:
                    with _memory_engine(image).begin() as target:
                        copy_office(source, target, progress)
        image.isolation_level = "DEFERRED"  # back to the driver's own transactions
    except BaseException:
        image.close()
        raise
    return image


def load_into_server(image: Any, url: str, progress: Progress | None = None) -> tuple[Any, dict[str, int], str]:
    """Copy an in-memory image (at the app's head) into the empty server database `url`, in one transaction;
    returns the open server office, its row counts and digest (already compared with the image's)."""
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.errors import DatabaseError

    upgrade_image(image)
    db = open_database(url, create=True)
    try:
        with _memory_engine(image).connect() as source, db.engine.begin() as target:
            if not is_empty(target):
                raise DatabaseError(f"{db.label.capitalize()} đã có dữ liệu: dữ liệu chỉ được chép vào một cơ sở "
                                    "dữ liệu trống (không ghi đè một văn phòng đang có). Máy chủ không bị thay đổi.",
                                    code="server_not_empty")
            if target.dialect.name == "postgresql":  # COPY, no ORM row a row
                from khoi_desktop.core.engines.postgres import copy_from_sqlite

                copy_from_sqlite(image, target, _tables(), progress)
                continue_sequences(target, _tables())
            else:
                copy_office(source, target, progress)
            counts, digest = row_counts(source), content_digest(source)
            if row_counts(target) != counts or content_digest(target) != digest:
                raise DatabaseError(f"Dữ liệu chép lên {db.label} khác bản gốc (số dòng hoặc mã kiểm tra nội dung): "
                                    "không có gì được giữ lại trên máy chủ.", code="copy_mismatch")
        if db.engine.dialect.name == "postgresql":
            # The planner's statistics and the visibility map now, not at autovacuum's leisure: until then the
            # name-order search's covering index reads the table row by row (no index-only scan).
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM (ANALYZE)"))
    except BaseException:
        db.close()
        raise
    return db, counts, digest
