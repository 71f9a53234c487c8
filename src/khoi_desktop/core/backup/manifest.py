"""What a backup holds: app version, schema revision, time, row counts and the content's SHA-256."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import asdict, dataclass
from typing import Any

from khoi_desktop.core.backup.errors import damaged

MANIFEST_FORMAT = 1
COUNTED_TABLES = ("organizations", "members", "decisions")
ANCHOR_FIELD = "audit_anchor"  # in the manifest, and in the container's header (readable without a passphrase)


@dataclass(frozen=True)
class Manifest:
    app_version: str
    schema_revision: str
    created_at: dt.datetime  # local time of the snapshot, to the second
    organizations: int
    members: int
    decisions: int
    content_sha256: str  # of the uncompressed content (the SQLite snapshot, or the server's COPY text)
    content_size: int
    source_name: str  # file name of the database it was taken from
    compression: str = "zlib"
    format: int = MANIFEST_FORMAT
    # Decisions as the decisions list shows them (the rows above include discarded drafts); None in older
    # backups, which did not record them.
    issued: int | None = None
    drafts: int | None = None
    # Of the issued, those recorded (another body's signed decision, «Đã ghi nhận» in the list), not issued by this
    # office; None in older backups.
    recorded: int | None = None
    # The audit trail's anchor in the snapshot, sealed when the file has a database key (core/audit_chain.py):
    # verify-audit checks that the live trail still extends it. None in older backups.
    audit_anchor: dict[str, Any] | None = None
    # What the content is: "sqlite", an SQLite image (every file office's backup, and older server ones);
    # "copy", a server office's tables as its COPY text (core/backup/copied.py), read back into an image.
    content_kind: str = "sqlite"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        if data["audit_anchor"] is None:
            del data["audit_anchor"]
        if data["content_kind"] == "sqlite":  # the manifest of an image's backup as older versions wrote it
            del data["content_kind"]
        data["created_at"] = self.created_at.isoformat(timespec="seconds")
        data["counts"] = {table: data.pop(table) for table in COUNTED_TABLES}
        for key in ("issued", "drafts", "recorded"):
            value = data.pop(key)
            if value is not None:
                data["counts"][key] = value
        return data

    def to_bytes(self) -> bytes:
        return json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes, name: str) -> Manifest:
        try:
            raw = json.loads(data.decode("utf-8"))
            counts = raw["counts"]
            return cls(
                app_version=str(raw["app_version"]), schema_revision=str(raw["schema_revision"]),
                created_at=dt.datetime.fromisoformat(raw["created_at"]),
                organizations=int(counts["organizations"]), members=int(counts["members"]),
                decisions=int(counts["decisions"]), content_sha256=str(raw["content_sha256"]),
                content_size=int(raw["content_size"]), source_name=str(raw["source_name"]),
                compression=str(raw.get("compression", "zlib")), format=int(raw.get("format", 1)),
                issued=_optional_int(counts.get("issued")), drafts=_optional_int(counts.get("drafts")),
                recorded=_optional_int(counts.get("recorded")),
                audit_anchor=_optional_dict(raw.get(ANCHOR_FIELD)),
                content_kind=str(raw.get("content_kind", "sqlite")),
            )
        except (UnicodeDecodeError, ValueError, KeyError, TypeError):
            raise damaged(name, "bảng kê không đọc được") from None


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _optional_dict(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise TypeError("not an object")
    return value


def audit_anchor(conn: sqlite3.Connection) -> dict[str, Any] | None:
    """The snapshot's audit anchor as stored (a damaged one is carried as it is, for verify-audit to report)."""
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = 'audit_anchor'").fetchone()
    except sqlite3.DatabaseError:
        return None
    if row is None:
        return None
    try:
        value = json.loads(row[0])
    except (TypeError, ValueError):
        return {"unreadable": str(row[0])[:200]}
    return value if isinstance(value, dict) else {"unreadable": str(row[0])[:200]}


def count_decisions(conn: sqlite3.Connection) -> dict[str, int]:
    """What the decisions list holds, discarded drafts left out: issued (recorded ones included), recorded, drafts."""
    rows = dict(conn.execute("SELECT status, count(*) FROM decisions GROUP BY status").fetchall())
    try:
        recorded = conn.execute("SELECT count(*) FROM decisions WHERE status = 'issued' AND recorded").fetchone()[0]
    except sqlite3.OperationalError:  # a snapshot older than the column (0005_issuers): nothing recorded then
        recorded = 0
    return {"issued": int(rows.get("issued", 0)), "recorded": int(recorded), "drafts": int(rows.get("draft", 0))}


def count_rows(conn: sqlite3.Connection) -> dict[str, int]:
    """Row counts of the tables a clerk recognises, read from a snapshot."""
    return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in COUNTED_TABLES}
