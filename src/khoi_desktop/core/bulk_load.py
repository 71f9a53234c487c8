"""Bulk loads of plain rows (the demo office: some two million rows at scale 20), inside the caller's transaction.

Rows go straight to the SQLite driver: SQLAlchemy's per-row parameter processing was a third of the insert
time. The secondary indexes of the tables loaded are dropped before and built once after (sorting the
keys once instead of inserting 110.000 unordered names into six b-trees one by one); a failure rolls the
drop back with everything else. On another engine both are left to SQLAlchemy as they were.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Boolean, Date, DateTime, Enum, Integer, String, Table, insert
from sqlalchemy.orm import Session


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


@contextmanager
def indexes_deferred(session: Session, tables: Sequence[str]) -> Iterator[None]:
    """Drop the tables' own indexes (not those of a primary key or a UNIQUE constraint), then build them again."""
    if not _is_sqlite(session):
        yield
        return
    connection = session.connection()
    marks = ", ".join(f"'{name}'" for name in tables)  # our own table names, never user text
    indexes = connection.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks}) "
        "ORDER BY name").all()
    for name, _ in indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        connection.exec_driver_sql(sql)


def _unnested(session: Session, table: Table, names: Sequence[str], values: Sequence[Sequence[Any]]) -> bool:
    """PostgreSQL: the rows as one INSERT … SELECT FROM unnest(one array a column), one round trip and nothing
    for the driver to parse per row; only for columns of whole numbers and text. False: not done."""
    if session.get_bind().dialect.name != "postgresql" or len(values) < 2:
        return False
    types = [table.columns[name].type for name in names]
    if not all(isinstance(t, Integer | String) and not isinstance(t, Enum) for t in types):
        return False
    from sqlalchemy import text

    dialect = session.get_bind().dialect
    arrays = ", ".join(f"CAST(:c{i} AS {t.compile(dialect=dialect)}[])" for i, t in enumerate(types))
    columns = ", ".join(f'"{name}"' for name in names)  # our own tables' column names, never user text
    session.connection().execute(text(f'INSERT INTO "{table.name}" ({columns}) SELECT * FROM unnest({arrays})'),
                                 {f"c{i}": [line[i] for line in values] for i in range(len(names))})
    return True


def reserve_ids(session: Session, table: str, count: int) -> list[int] | None:
    """On a server: `count` ids taken from the table's own sequence in one round trip, for rows the ORM then
    inserts with their ids known (one prepared statement sent many times, not one statement of 100.000
    parameters for the driver to parse). SQLite: None (the ORM's own batched insert is the fast one there)."""
    if _is_sqlite(session) or count <= 0:
        return None
    from sqlalchemy import text

    return list(session.execute(  # our own table names, never user text
        text(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, :n)"),
        {"n": count}).scalars())


def _date(value: dt.date) -> str:
    return value.isoformat()


def _datetime(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's SQLite storage format


def _enum(value: object) -> object:
    return value.value if isinstance(value, enum.Enum) else value


def _converter(column_type: object) -> Callable[[Any], Any] | None:
    if isinstance(column_type, DateTime):
        return _datetime
    if isinstance(column_type, Date):
        return _date
    if isinstance(column_type, Enum):
        return _enum
    if isinstance(column_type, Boolean):
        return int
    return None


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """INSERT every row (dicts with the same keys), values stored as SQLAlchemy would store them."""
    if not rows:
        return
    if not _is_sqlite(session):
        session.execute(insert(table), rows)
        return
    names = list(rows[0])
    converters = [(i, convert) for i, name in enumerate(names)
                  if (convert := _converter(table.columns[name].type)) is not None]
    values: list[list[Any]] = []
    for row in rows:
        line = [row[name] for name in names]
        for i, convert in converters:
            if line[i] is not None:
                line[i] = convert(line[i])
        values.append(line)
    insert_values(session, table, names, values)


def insert_values(session: Session, table: Table, names: Sequence[str], values: Sequence[Sequence[Any]]) -> None:
    """INSERT rows given as values already as stored (ISO dates, enum values), in the order of `names`."""
    from khoi_desktop.core.audit import bulk_written

    bulk_written(session, table.name)  # the audit trail digests them before the commit (core/audit.py)
    if not _is_sqlite(session):
        if not _unnested(session, table, names, values):
            session.execute(insert(table), [dict(zip(names, line, strict=True)) for line in values])
        return
    columns = ", ".join(f'"{name}"' for name in names)
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(f'INSERT INTO "{table.name}" ({columns}) VALUES ({", ".join("?" * len(names))})', values)
    finally:
        cursor.close()


def insert_words(session: Session, rows: list[dict[str, Any]]) -> None:
    """member_words rows ({"word", "member_id"}) of members just inserted (core/models.py)."""
    from khoi_desktop.core.models import MemberWord

    table = cast(Table, MemberWord.__table__)
    if not _unnested(session, table, ("word", "member_id"), [(r["word"], r["member_id"]) for r in rows]):
        session.connection().execute(insert(table), rows)
