"""Shared by the backup tests: a seeded office, a quick backup, a hand-made container."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import zlib
from pathlib import Path

from factories import add_decision, add_member, add_members, add_org
from khoi_desktop import __version__
from khoi_desktop.core.backup import container
from khoi_desktop.core.backup.manifest import Manifest
from khoi_desktop.core.backup.writer import create_backup
from khoi_desktop.core.db import Database, schema_head
from khoi_desktop.core.models import OrgKind

NOW = dt.datetime(2025, 3, 5, 14, 30, 15)
FAST_KDF = 2**10  # the KDF cost travels in the header; tests need no strong key


def seed(db: Database) -> None:
    """2 organizations, 6 members (one named Nguyễn Thị Hương), 1 decision."""
    with db.writing() as s:
        add_decision(s, 1, "về việc thành lập Chi bộ Văn phòng")
        cb = add_org(s, "CB01", "Chi bộ Văn phòng", OrgKind.CHI_BO_CO_SO)
        add_members(s, cb, 4)
        other = add_org(s, "CB02", "Chi bộ Sở Tư pháp", OrgKind.CHI_BO_CO_SO)
        add_member(s, "Nguyễn Thị Hương", other, code="DV-HUONG")


def backup(db: Database, folder: Path, passphrase: str | None = None) -> Path:
    return create_backup(db, folder, actor="thư ký", kind="test", passphrase=passphrase, now=NOW,
                         kdf_n=FAST_KDF).path


def craft(folder: Path, content: bytes, *, passphrase: str | None = None, **changes: object) -> Path:
    """A well-formed container around any content, with a manifest changed as asked."""
    manifest = Manifest(app_version=__version__, schema_revision=schema_head(), created_at=NOW, organizations=0,
                        members=0, decisions=0, content_sha256=hashlib.sha256(content).hexdigest(),
                        content_size=len(content), source_name="t.db")
    manifest = dataclasses.replace(manifest, **changes)  # type: ignore[arg-type]
    payload = container.join_payload(manifest.to_bytes(), zlib.compress(content))
    path = folder / "crafted.khoibak"
    path.write_bytes(container.pack(payload, passphrase, kdf_n=FAST_KDF))
    return path
