"""audit trail in UTC, with the digests of the rows each entry changed

Revision ID: 0013_audit_seal
Revises: 0011_server

Entries so far were stamped with the workstation's local time: each is converted to UTC, the offset kept
beside it (format 1: its hash, made over the local time, is checked against `at` + `at_offset`). New
entries (format 2) are hashed over the UTC time, the offset and the digest of the rows they changed
(table audit_rows). One entry "audit.baseline" records the digests of every row the trail vouches for as the
file stands now, so `verify-audit --deep` has a reference for rows written before this version.

"""
import datetime as dt
import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from khoi_desktop.core.audit_chain import ANCHOR_KEY, CURRENT, GENESIS, entry_hash, parse_anchor, utc_now
from khoi_desktop.core.audit_rows import COLUMNS, all_digests, entry_rows_digest

revision: str = '0013_audit_seal'
down_revision: str | Sequence[str] | None = '0011_server'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_entries = sa.table("audit_entries", sa.column("id", sa.Integer), sa.column("at", sa.DateTime),
                    sa.column("at_offset", sa.Integer), sa.column("format", sa.Integer),
                    sa.column("actor", sa.String), sa.column("action", sa.String), sa.column("target", sa.String),
                    sa.column("before", sa.Text), sa.column("after", sa.Text), sa.column("prev_hash", sa.String),
                    sa.column("hash", sa.String), sa.column("rows_digest", sa.String))
_rows = sa.table("audit_rows", sa.column("entry_id", sa.Integer), sa.column("table_name", sa.String),
                 sa.column("row_id", sa.Integer), sa.column("digest", sa.String))


def _offset_minutes(local: dt.datetime) -> int:
    """This workstation's offset from UTC at a past local time (what it was written in)."""
    offset = local.astimezone().utcoffset() or dt.timedelta()
    return int(offset.total_seconds() // 60)


def _to_utc(bind: sa.Connection) -> None:
    for entry_id, at in bind.execute(sa.select(_entries.c.id, _entries.c.at)).all():
        offset = _offset_minutes(at)
        bind.execute(sa.update(_entries).where(_entries.c.id == entry_id).values(
            at=at - dt.timedelta(minutes=offset), at_offset=offset))


def _baseline(bind: sa.Connection) -> None:
    rows = {(table, row_id): digest for table in COLUMNS for row_id, digest in all_digests(bind, table)}
    if not rows:
        return
    last = bind.execute(sa.select(_entries.c.id, _entries.c.hash).order_by(_entries.c.id.desc()).limit(1)).first()
    count = bind.execute(sa.select(sa.func.count()).select_from(_entries)).scalar() or 0
    stored = bind.execute(sa.text("SELECT value FROM settings WHERE key = :k"), {"k": ANCHOR_KEY}).scalar()
    anchor = parse_anchor(stored)
    next_id = max(last.id if last else 0, anchor.last_id if anchor else 0) + 1
    prev_hash = last.hash if last else GENESIS
    lost_at = anchor.lost_at if anchor is not None and anchor.readable else (
        next_id if last is not None or anchor is not None else None)
    at, offset = utc_now()
    after = json.dumps({table: sum(1 for t, _ in rows if t == table) for table in COLUMNS}, sort_keys=True)
    digest = entry_rows_digest(rows)
    entry_hash_value = entry_hash(prev_hash, at, offset, "khoi-desktop", "audit.baseline", None, None, after, digest)
    bind.execute(sa.insert(_entries).values(
        id=next_id, at=at, at_offset=offset, format=CURRENT, actor="khoi-desktop", action="audit.baseline",
        target=None, before=None, after=after, prev_hash=prev_hash, hash=entry_hash_value, rows_digest=digest))
    keys = sorted(rows)
    for start in range(0, len(keys), 5000):
        bind.execute(sa.insert(_rows), [{"entry_id": next_id, "table_name": table, "row_id": row_id,
                                         "digest": rows[(table, row_id)]}
                                        for table, row_id in keys[start:start + 5000]])
    value: dict[str, object] = {"last_id": next_id, "last_hash": entry_hash_value, "count": count + 1}
    if lost_at is not None:
        value["lost_at"] = lost_at
    bind.execute(sa.text("DELETE FROM settings WHERE key = :k"), {"k": ANCHOR_KEY})
    bind.execute(sa.text("INSERT INTO settings (key, value) VALUES (:k, :v)"),
                 {"k": ANCHOR_KEY, "v": json.dumps(value, sort_keys=True)})


def upgrade() -> None:
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('at_offset', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('format', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('rows_digest', sa.String(length=64), nullable=True))
    op.create_table(
        'audit_rows',
        sa.Column('entry_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('table_name', sa.String(length=32), nullable=False),
        sa.Column('row_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('digest', sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint('entry_id', 'table_name', 'row_id', name=op.f('pk_audit_rows')),
    )
    with op.batch_alter_table('audit_rows', schema=None) as batch_op:
        batch_op.create_index('ix_audit_rows_row', ['table_name', 'row_id'], unique=False)
    bind = op.get_bind()
    _to_utc(bind)
    _baseline(bind)


def downgrade() -> None:
    with op.batch_alter_table('audit_rows', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_rows_row')
    op.drop_table('audit_rows')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_column('rows_digest')
        batch_op.drop_column('format')
        batch_op.drop_column('at_offset')
