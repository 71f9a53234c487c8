"""Jobs of the exchange window for the database worker: plain data in, plain data out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from khoi_desktop.core.db import Database
from khoi_desktop.gui.worker import Job


def load_mode() -> Job:
    """(code, name) of the body whose grassroots database this is; None at the office. Plain reading: it runs
    after every overview, before the ORM may have loaded."""

    def job(db: Database) -> tuple[str, str] | None:
        from khoi_desktop.core.exchange.mode import grassroots_body

        with db.plain_reading() as conn:
            return grassroots_body(conn)

    return job


def load_exchange() -> Job:
    """The status per body and every item (pending first), read in one go."""

    def job(db: Database) -> tuple[Any, list[Any]]:
        from khoi_desktop.core.exchange.review import pending_items
        from khoi_desktop.core.exchange.status import exchange_status

        today = dt.date.today()
        with db.reading() as session:
            items = pending_items(session, today, all_items=True)
            items.sort(key=lambda i: (i.status != "pending", -(i.id or 0)))
            return exchange_status(session, today), items

    return job


def import_file(*, path: Path, key_passphrase: str | None = None) -> Job:
    def job(db: Database) -> Any:
        from khoi_desktop.core.audit import os_user
        from khoi_desktop.core.exchange.receive import import_package

        data = path.read_bytes()
        with db.writing() as session:
            return import_package(session, data, path.name, actor=os_user(), today=dt.date.today(),
                                  key_passphrase=key_passphrase)

    return job


def export_up_file(*, code: str, path: Path, key_passphrase: str) -> Job:
    """The grassroots body's next package to the office, written to `path` inside the transaction: a file that
    cannot be written leaves nothing recorded as sent. The package's number."""

    def job(db: Database) -> int:
        from khoi_desktop.core.audit import os_user
        from khoi_desktop.core.errors import FileUnwritable
        from khoi_desktop.core.exchange.upward import export_up

        with db.writing() as session:
            data, sequence = export_up(session, code, actor=os_user(), key_passphrase=key_passphrase)
            try:
                path.write_bytes(data)
            except OSError as exc:
                raise FileUnwritable(path, exc) from None
        return sequence

    return job


def item_file(*, item_id: int, number: int) -> Job:
    """(name, content) of one file an item carries, to open or save."""

    def job(db: Database) -> tuple[str, bytes]:
        from khoi_desktop.core.exchange.review import item_file as read

        with db.reading() as session:
            return read(session, item_id, number)

    return job


def review_item(*, item_id: int, verdict: str, reason: str | None) -> Job:
    def job(db: Database) -> Any:
        from khoi_desktop.core.audit import os_user
        from khoi_desktop.core.exchange.review import review
        from khoi_desktop.documents import render_pdf

        with db.writing() as session:
            return review(session, item_id, verdict, reason=reason, actor=os_user(), today=dt.date.today(),
                          render=render_pdf)

    return job
