"""The GUI asks core for plain data: no ORM query, session call or SQLAlchemy import under gui/."""

from __future__ import annotations

import re
from pathlib import Path

import khoi_desktop

GUI = Path(khoi_desktop.__file__).parent / "gui"
ORM = re.compile(r"(?<!def )(?<![\w.])select\(|\.query\(|session\.(?:get|scalars?|execute|add|delete|flush)\("
                 r"|^\s*(?:from|import) sqlalchemy", re.MULTILINE)


def test_no_orm_queries_in_the_gui() -> None:
    found = [f"{path.relative_to(GUI)}:{text[:match.start()].count(chr(10)) + 1}: {match.group(0).strip()}"
             for path in sorted(GUI.rglob("*.py")) for text in [path.read_text(encoding="utf-8")]
             for match in ORM.finditer(text)]
    assert found == []
