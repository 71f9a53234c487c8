"""Codes of organizations and members: a prefix by kind and the next number of its sequence.

One rule for every writer (workflows, member import, demo office): the sequence continues after the
highest code in use with that prefix (codes typed by hand, like 'X-1', are not part of it), at the width
already in use, or the prefix's usual width in an empty office: CS001, BP001, CB0001, DV000001.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from khoi_desktop.core.models import OrgKind

ORG_CODE_PREFIX = {OrgKind.DANG_BO_CO_SO: "CS", OrgKind.CHI_BO_CO_SO: "CS", OrgKind.DANG_BO_BO_PHAN: "BP",
                   OrgKind.CHI_BO_TRUC_THUOC: "CB"}
MEMBER_CODE_PREFIX = "DV"
CODE_WIDTH = {"CS": 3, "BP": 3, "CB": 4, "DV": 6}
T = TypeVar("T")


def continue_sequence(prefix: str, codes: Iterable[str], count: int = 1) -> list[str]:
    """The `count` codes after the highest of `codes` that belong to the prefix's sequence."""
    skip = len(prefix)
    # (significant digits, the number, its width): the largest number wins, leading zeros aside; of two
    # equal numbers the wider one. Plain string work, no regex: 100.000 member codes at provincial scale.
    ranked = ((len(n.lstrip("0")), n.lstrip("0"), len(n)) for code in codes
              if code.startswith(prefix) and (n := code[skip:]).isascii() and n.isdigit())
    top = max(ranked, default=None)
    last, width = (int(top[1] or "0"), top[2]) if top else (0, CODE_WIDTH.get(prefix.rsplit("-", 1)[-1], 4))
    return [f"{prefix}{n:0{width}d}" for n in range(last + 1, last + 1 + count)]


def local_prefix(session: Session, prefix: str) -> str:
    """The prefix of new codes here. A grassroots database (core/exchange) puts its body's code in front
    ("CS001-CB0001"): the office keeps allocating its own codes meanwhile, and what the body founds must arrive
    there under a code still free."""
    from khoi_desktop.core.exchange.mode import grassroots_code

    return prefix_of_body(grassroots_code(session), prefix)


def prefix_of_body(body: str | None, prefix: str) -> str:
    """local_prefix when the body's code (None: the office) is already known."""
    return f"{body}-{prefix}" if body is not None else prefix


def codes_in_use(session: Session, column: InstrumentedAttribute[str], prefix: str) -> list[str]:
    """The codes that may carry the prefix's sequence: the highest by continue_sequence's rule is among them.

    Both engines read the codes that start with the prefix and a digit, a range in byte order ('CB0' ≤ code <
    'CB:'). SQLite: those codes as plain rows, a range of the unique index (100.000 member codes: reading them
    beats asking the database to rank them). A server: the highest of each length only (one row or a few, not
    100.000 over the wire), in byte order (COLLATE "C": whatever the database's own collation), which for digit
    strings of one length is their order as numbers; a length whose highest code is not all digits (a code typed
    by hand, 'CB12A') is read again without such codes. Ranking the few by continue_sequence's rule in Python
    costs the server a third of ranking every code by it."""
    session.flush()  # plain rows through the connection, so flush as the ORM would
    connection = session.connection()
    table, name = column.class_.__tablename__, column.key
    bounds = {"low": f"{prefix}0", "high": f"{prefix}:"}
    if connection.dialect.name == "sqlite":  # binary order: exactly the codes starting with prefix + a digit
        return [code for (code,) in connection.exec_driver_sql(
            f"SELECT {name} FROM {table} WHERE {name} >= :low AND {name} < :high", bounds)]
    in_range = f'{{0}}.{name} COLLATE "C" >= %(low)s AND {{0}}.{name} COLLATE "C" < %(high)s'
    digits_only = "ltrim(substr({0}, %(rest)s), '0123456789') = ''"
    query = (f'WITH tops AS MATERIALIZED (SELECT length(t.{name}) AS width, max(t.{name} COLLATE "C") AS top '
             f"FROM {table} t WHERE {in_range.format('t')} GROUP BY length(t.{name})) "
             f"SELECT top FROM tops WHERE {digits_only.format('top')} "
             f'UNION ALL SELECT max(t.{name} COLLATE "C") FROM tops JOIN {table} t ON length(t.{name}) = tops.width '
             f"WHERE NOT {digits_only.format('tops.top')} AND {in_range.format('t')} "
             f"AND {digits_only.format(f't.{name}')} GROUP BY tops.width")
    return [code for (code,) in connection.exec_driver_sql(query, {**bounds, "rest": len(prefix) + 1})
            if code is not None]


def next_codes(session: Session, column: InstrumentedAttribute[str], prefix: str, count: int = 1, *,
               taken: Iterable[str] = ()) -> list[str]:
    """The next free codes of a table's column, after those in the database and those already `taken`."""
    prefix = local_prefix(session, prefix)
    return continue_sequence(prefix, [*codes_in_use(session, column, prefix), *taken], count)


def stored_in_other_case(session: Session, column: InstrumentedAttribute[str], code: str) -> str | None:
    """The one stored code that differs from `code` only by case, or None. Typed codes are read in upper case
    (core/text.code_text); an office from an older version may keep a hand-typed «cb-moi», which «cb-moi» and
    «CB-MOI» must still find. Asked only once the exact code is not found."""
    found = list(session.scalars(select(column).where(func.upper(column) == code.upper(), column != code).limit(2)))
    return found[0] if len(found) == 1 else None


def stored_code(session: Session, column: InstrumentedAttribute[str], code: str) -> str:
    """`code` as stored: itself when stored, else the one stored code equal to it but for case (an older version's
    hand-typed «cb-moi», which the command line reads as «CB-MOI»), else `code` (the caller's own refusal follows)."""
    if not code or session.scalar(select(column).where(column == code).limit(1)) is not None:
        return code
    return stored_in_other_case(session, column, code) or code


def any_case(table: Mapping[str, T]) -> Callable[[str], T | None]:
    """A lookup in `table` (keyed by stored codes) that finds a code written in another case: a workbook's row
    typed «dv000123», or a stored «cb-moi» of an older version named «CB-MOI». The exact code first; else the
    one key equal to it but for case (two such keys: None, the caller's refusal follows)."""
    folded: dict[str, list[T]] = {}

    def find(code: str) -> T | None:
        found = table.get(code)
        if found is not None or not code:
            return found
        if not folded:
            for key, value in table.items():
                folded.setdefault(key.upper(), []).append(value)
        hits = folded.get(code.upper(), [])
        return hits[0] if len(hits) == 1 else None

    return find
