"""Open, create and migrate a database; session scopes. What is particular to an engine is in core/engines."""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khoi_desktop.core.auth.current import CurrentUser
from khoi_desktop.core.engines import sqlite as sqlite_engine
from khoi_desktop.core.engines.sqlite import BUSY_TIMEOUT_MS, backup_copy, file_revision, is_busy, make_engine
from khoi_desktop.core.errors import DatabaseError, DatabaseMissing

# SQLAlchemy loads when an engine is made, Alembic only to migrate: `stats` reads a current file through a
# bare sqlite3 connection (read_connection) and starts in a fraction of the time.
if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

__all__ = ["BUSY_TIMEOUT_MS", "Database", "backup_copy", "file_revision", "is_busy", "make_engine", "open_database",
           "read_connection", "schema_head"]

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _alembic_config() -> Config:
    from alembic.config import Config  # Alembic loads only to migrate (about 0.15 s of every start)

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)


def _revision_graph() -> dict[str, str | None]:
    """{revision: down_revision} read from the migration scripts' own top-level assignments, without
    Alembic (a tenth of the time; tests/core/test_db.py compares both).

    Only literal strings (or None) are understood; a script Alembic would read differently (a tuple of
    parents, a computed value) makes this refuse rather than guess.
    """
    graph: dict[str, str | None] = {}
    for script in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        values = dict(_ASSIGNMENT.findall(script.read_text(encoding="utf-8")))
        try:
            revision, down = (ast.literal_eval(values[key]) for key in ("revision", "down_revision"))
        except (KeyError, ValueError, SyntaxError):
            revision = down = ()
        if not isinstance(revision, str) or not (down is None or isinstance(down, str)):
            raise RuntimeError(f"migration script {script.name}: revision/down_revision not plain strings")
        graph[revision] = down
    return graph


def schema_head() -> str:
    """The newest revision: the one no other script builds on (exactly one, or the scripts are broken)."""
    graph = _revision_graph()
    heads = set(graph) - {down for down in graph.values() if down is not None}
    if len(heads) != 1:
        raise RuntimeError(f"migration scripts have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


def known_revisions() -> set[str]:
    return set(_revision_graph())


class Database:
    """An open database file: one engine, sessions for reading and for writing.

    `user` is who works on it; each session carries it in `session.info["user"]` for permission checks and
    the audit trail. None = the system or an administrator's tool: everything allowed (core/auth).

    The engine (and SQLAlchemy with it) is made on first use: the window's tree and counts, `stats` and
    `orgs` read through plain sqlite3 (plain_reading) and show before the ORM has loaded.
    """

    def __init__(self, path: Path, engine: Engine | None = None, user: CurrentUser | None = None) -> None:
        self.path = path
        self.user = user
        self._engine = engine
        self._read: Any = None
        self._write: Any = None

    def __repr__(self) -> str:
        return f"Database({str(self.path)!r}, user={self.user!r})"

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.path)
        return self._engine

    def _sessions(self) -> tuple[Any, Any]:
        if self._read is None:
            from sqlalchemy.orm import sessionmaker

            self._read = sessionmaker(self.engine, expire_on_commit=False)
            self._write = sessionmaker(self.engine.execution_options(**sqlite_engine.writer_options()),
                                       expire_on_commit=False)
        return self._read, self._write

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        with self._sessions()[0]() as session:
            session.info["user"] = self.user
            yield session

    @contextlib.contextmanager
    def plain_reading(self) -> Iterator[sqlite3.Connection]:
        """One read transaction on a bare sqlite3 connection (no ORM): a consistent view for the few readers
        written in plain SQL (core.tree.load_snapshot, core.settings.load_settings)."""
        conn = sqlite_engine.read_only_connection(self.path)
        try:
            conn.execute("BEGIN")
            yield conn
        finally:
            conn.close()  # ends the read transaction

    @contextlib.contextmanager
    def writing(self) -> Iterator[Session]:
        """One transaction: committed if the block ends normally, rolled back on any error.

        A writer waits up to BUSY_TIMEOUT_MS for another one (another process) to finish; past that it is
        refused with a DatabaseError (code "busy"), nothing changed.
        """
        from sqlalchemy.exc import OperationalError

        try:
            with self._sessions()[1].begin() as session:
                session.info["user"] = self.user
                yield session
        except OperationalError as exc:
            if not is_busy(exc):
                raise
            raise DatabaseError(
                f"Tệp dữ liệu {self.path.name} đang bận: một chương trình khác (hoặc một cửa sổ khác của phần "
                "mềm) đang ghi vào tệp. Không có gì bị thay đổi; hãy thử lại sau ít phút.", code="busy") from exc

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def _migrate(engine: Engine, name: str) -> None:
    """Upgrade under the write lock taken up front: a second process opening the same old file waits,
    then finds it upgraded (Alembic reads the revision inside the transaction) instead of failing."""
    from alembic import command
    from sqlalchemy.exc import OperationalError

    config = _alembic_config()
    try:
        with engine.execution_options(**sqlite_engine.writer_options()).begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as exc:
        if not is_busy(exc):
            raise
        raise DatabaseError(f"Tệp {name} đang được một chương trình khác nâng cấp hoặc ghi: hãy thử lại sau ít "
                            "phút; tệp không bị thay đổi.", code="busy") from exc


def _checked_revision(path: Path, *, create: bool) -> tuple[str | None, str]:
    """(the file's schema revision, the app's head), after the checks every open makes."""
    # Never a live database on a USB stick or network share: unplugging it or a dropped link corrupts
    # SQLite files (core/backup/storage.py). Imported here: core.backup modules import this one.
    from khoi_desktop.core.backup.storage import check_live_location

    check_live_location(path)
    if not path.exists():
        if not create:
            raise DatabaseMissing(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        revision = None
    else:
        if not create and path.is_file() and path.stat().st_size == 0:
            # SQLite would take an empty file for a new database and we would silently make an empty office.
            raise DatabaseError(f"Tệp {path.name} trống (0 byte): không phải dữ liệu của phần mềm. Hãy chọn đúng "
                                "tệp dữ liệu, hoặc khôi phục từ bản sao lưu.", code="empty_file")
        revision = file_revision(path)
    head = schema_head()
    if revision is not None and revision not in known_revisions():
        raise DatabaseError(
            f"Tệp {path.name} được tạo bởi phiên bản mới hơn của phần mềm (lược đồ {revision}). "
            "Hãy cài phiên bản mới nhất rồi mở lại; tệp không bị thay đổi."
        )
    return revision, head


def read_connection(path: str | Path) -> sqlite3.Connection:
    """A plain sqlite3 connection that only reads, to a current database file: what `stats` and `orgs` need,
    without SQLAlchemy. An older file is migrated first (through open_database, with its copy aside)."""
    path = Path(path)
    revision, head = _checked_revision(path, create=False)
    if revision != head:
        open_database(path).close()
    return sqlite_engine.read_only_connection(path)


def open_database(path: str | Path, *, create: bool = False) -> Database:
    """Open a database file, migrating an older one after copying it aside.

    A file from a newer version of the app is refused: migrating it backwards could lose data.
    """
    path = Path(path)
    revision, head = _checked_revision(path, create=create)
    if revision is not None and revision != head:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup_copy(path, path.with_name(f"{path.stem}.truoc-nang-cap-{revision}-{stamp}{path.suffix}"))
    if revision == head:
        return Database(path)  # the engine when first needed
    engine = make_engine(path)
    _migrate(engine, path.name)
    return Database(path, engine)
