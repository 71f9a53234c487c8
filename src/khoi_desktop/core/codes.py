"""Codes of organizations and members: a prefix by kind and the next number of its sequence.

One rule for every writer (workflows, member import, demo office): the sequence continues after the
highest code in use with that prefix (codes typed by hand, like 'X-1', are not part of it), at the width
already in use, or the prefix's usual width in an empty office: CS001, BP001, CB0001, DV000001.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from khoi_desktop.core.models import OrgKind

ORG_CODE_PREFIX = {OrgKind.DANG_BO_CO_SO: "CS", OrgKind.CHI_BO_CO_SO: "CS", OrgKind.DANG_BO_BO_PHAN: "BP",
                   OrgKind.CHI_BO_TRUC_THUOC: "CB"}
MEMBER_CODE_PREFIX = "DV"
CODE_WIDTH = {"CS": 3, "BP": 3, "CB": 4, "DV": 6}


def continue_sequence(prefix: str, codes: Iterable[str], count: int = 1) -> list[str]:
    """The `count` codes after the highest of `codes` that belong to the prefix's sequence."""
    pattern = re.compile(rf"{re.escape(prefix)}(\d+)")
    last, width = 0, CODE_WIDTH.get(prefix.rsplit("-", 1)[-1], 4)
    for code in codes:
        match = pattern.fullmatch(code)
        if match and int(match[1]) >= last:
            last, width = int(match[1]), len(match[1])
    return [f"{prefix}{n:0{width}d}" for n in range(last + 1, last + 1 + count)]


def next_codes(session: Session, column: InstrumentedAttribute[str], prefix: str, count: int = 1, *,
               taken: Iterable[str] = ()) -> list[str]:
    """The next free codes of a table's column, after those in the database and those already `taken`.

    A grassroots database (core/exchange) puts its body's code in front ("CS001-CB0001"): the office keeps
    allocating its own codes meanwhile, and what the body founds must arrive there under a code still free.
    """
    from khoi_desktop.core.exchange.identity import grassroots_code

    body = grassroots_code(session)
    if body is not None:
        prefix = f"{body}-{prefix}"
    session.flush()  # plain rows through the connection (thousands of codes), so flush as the ORM would
    in_use = session.connection().execute(select(column).where(column.like(f"{prefix}%"))).scalars()
    return continue_sequence(prefix, [*in_use, *taken], count)
