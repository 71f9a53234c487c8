"""Clean text already stored: what `clean_text` now refuses at every seam may sit in older files and in
restored backups (a vertical tab pasted from Word broke every export and the decision's .docx).

Used by migration 0006_clean_text and by every restore. The audit trail is left as recorded: its entries
are chained by hashes, and it is shown and exported through the same cleaning on the way out.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, inspect, text

from khoi_desktop.core.text import clean_text, fold, name_sort_key

LINE, MULTI, JSON = "line", "multi", "json"
# Free text a clerk typed or imported, by table; codes, keys, enums and hashes are not listed.
COLUMNS: dict[str, dict[str, str]] = {
    "organizations": {"name": LINE, "agency": LINE, "consent_note": MULTI},
    "members": {"family_name": LINE, "middle_name": LINE, "given_name": LINE, "hometown": LINE, "ethnicity": LINE,
                "religion": LINE, "education": LINE, "theory_level": LINE, "job_title": LINE, "agency": LINE},
    "memberships": {"note": LINE},
    "committee_seats": {"end_reason": MULTI},
    "decisions": {"subject": MULTI, "signer": LINE, "content": JSON, "request": JSON},
    "submissions": {"register_number": LINE, "subject": MULTI, "returned_reason": MULTI},
    "settings": {"value": JSON},
    "users": {"full_name": LINE},
}
_NAME_PARTS = ("family_name", "middle_name", "given_name")


def _clean_json_value(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value, multiline=True)
    if isinstance(value, list):
        return [_clean_json_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _clean_json_value(item) for key, item in value.items()}
    return value


def cleaned(value: str | None, kind: str) -> str | None:
    """`value` as the seams would have stored it; None stays None."""
    if value is None:
        return None
    if kind == JSON:
        try:
            data = json.loads(value)
        except ValueError:
            return clean_text(value, multiline=True)
        fixed = _clean_json_value(data)
        return value if fixed == data else json.dumps(fixed, ensure_ascii=False)
    return clean_text(value, multiline=kind == MULTI)


def clean_stored_text(connection: Connection) -> int:
    """Clean every listed column in place; returns the number of rows changed. Members whose name changed
    get their search and sort keys (and search words) again."""
    tables = set(inspect(connection).get_table_names())
    changed = 0
    for table, columns in COLUMNS.items():
        if table not in tables:
            continue
        present = {c["name"] for c in inspect(connection).get_columns(table)}
        names = [c for c in columns if c in present]
        key = "key" if table == "settings" else "id"
        for row in connection.execute(text(f"SELECT {key}, {', '.join(names)} FROM {table}")).mappings():
            updates = {c: cleaned(row[c], columns[c]) for c in names}
            updates = {c: v for c, v in updates.items() if v != row[c]}
            if not updates:
                continue
            if table == "members" and set(updates) & set(_NAME_PARTS):
                parts = [updates.get(p, row[p]) or "" for p in _NAME_PARTS]
                search_key = updates["search_key"] = fold(" ".join(p for p in parts if p))
                updates["sort_key"] = name_sort_key(*parts)
                if "member_words" in tables:
                    connection.execute(text("DELETE FROM member_words WHERE member_id = :id"), {"id": row[key]})
                    for word in sorted(set(search_key.split())):
                        connection.execute(text("INSERT INTO member_words (word, member_id) VALUES (:w, :id)"),
                                           {"w": word, "id": row[key]})
            assignments = ", ".join(f"{c} = :{c}" for c in updates)
            connection.execute(text(f"UPDATE {table} SET {assignments} WHERE {key} = :row_key"),
                               {**updates, "row_key": row[key]})
            changed += 1
    return changed
