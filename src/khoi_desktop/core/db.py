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
from khoi_desktop.core.engines import is_server_url
from khoi_desktop.core.engines import sqlite as sqlite_engine
from khoi_desktop.core.engines.sqlite import BUSY_TIMEOUT_MS, backup_copy, file_revision, is_busy, make_engine
from khoi_desktop.core.errors import DatabaseError, DatabaseMissing

# SQLAlchemy loads when an engine is made, Alembic only to migrate: `stats` reads a current file through a
# bare sqlite3 connection (read_connection) and starts in a fraction of the time.
if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from khoi_desktop.core.engines.postgres import ServerAddress

__all__ = ["BUSY_TIMEOUT_MS", "Database", "backup_copy", "file_revision", "is_busy", "make_engine", "open_database",
           "read_connection", "schema_head"]

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _alembic_config() -> Config:
    from alembic.config import Config  # Alembic loads only to migrate (about 0.15 s of every start)

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)


# The graph read once per process and folder (every open asks for the head and the known revisions); a new
# script in the folder changes its modification time, and the graph is read again.
_GRAPHS: dict[tuple[Path, int], dict[str, str | None]] = {}


def _revision_graph() -> dict[str, str | None]:
    """{revision: down_revision} read from the migration scripts' own top-level assignments, without
    Alembic (a tenth of the time; tests/core/test_db.py compares both).

    Only literal strings (or None) are understood; a script Alembic would read differently (a tuple of
    parents, a computed value) makes this refuse rather than guess.
    """
    versions = MIGRATIONS_DIR / "versions"
    key = (versions, versions.stat().st_mtime_ns)
    if key not in _GRAPHS:
        _GRAPHS[key] = _read_revision_graph(versions)
    return dict(_GRAPHS[key])


def _read_revision_graph(versions: Path) -> dict[str, str | None]:
    graph: dict[str, str | None] = {}
    for script in sorted(versions.glob("*.py")):
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
    """An open database, a file or a server office: one engine, sessions for reading and for writing.

    `user` is who works on it; each session carries it in `session.info["user"]` for permission checks and
    the audit trail. None = the system or an administrator's tool: everything allowed (core/auth).

    `path` is the file. A server office (`server` set) has none: its `path` is only its database name, for
    messages and the names of its backups; `label` says which database it is in a sentence.

    The engine (and SQLAlchemy with it) is made on first use: the window's tree and counts, `stats` and
    `orgs` read a file through plain sqlite3 (plain_reading) and show before the ORM has loaded.

    `key` is the database key once an account has unlocked the file (its key slot, core/keyslots); None for
    a file without key slots. The audit anchor is sealed with a key derived from it (core/audit_seal.py).
    """

    def __init__(self, path: Path, engine: Engine | None = None, user: CurrentUser | None = None, *,
                 server: ServerAddress | None = None, key: bytes | None = None) -> None:
        self.path = path
        self.user = user
        self.server = server
        self.key = key
        self._engine = engine
        self._read: Any = None
        self._write: Any = None

    def __repr__(self) -> str:
        where = self.server.url if self.server is not None else str(self.path)
        return f"Database({where!r}, user={self.user!r})"

    @property
    def is_server(self) -> bool:
        return self.server is not None

    @property
    def location(self) -> str:
        """The file's path or the server's address (without its password): what the app remembers and shows."""
        return self.server.url if self.server is not None else str(self.path)

    @property
    def label(self) -> str:
        """'tệp dữ liệu X.db' or 'cơ sở dữ liệu X trên máy chủ Y', for a sentence."""
        return self.server.label if self.server is not None else f"tệp dữ liệu {self.path.name}"

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            if self.server is not None:
                from khoi_desktop.core.engines import postgres

                self._engine = postgres.make_engine(self.server)
            else:
                self._engine = make_engine(self.path)
        return self._engine

    @property
    def sealing_key(self) -> bytes | None:
        """The key of the audit anchor's seal, derived from the database key (given, or held for the file since
        an account unlocked it: core/keyslots/registry.py); None without one."""
        key = self.key
        if key is None and self.server is None:
            from khoi_desktop.core.keyslots.registry import key_for

            key = key_for(self.path)
        if key is None:
            return None
        from khoi_desktop.core.audit_seal import anchor_key

        return anchor_key(key)

    def _sessions(self) -> tuple[Any, Any]:
        if self._read is None:
            from sqlalchemy.orm import sessionmaker

            from khoi_desktop.core.audit import track_changes

            writer = self.engine if self.server is not None else self.engine.execution_options(
                **sqlite_engine.writer_options())
            self._read = sessionmaker(self.engine, expire_on_commit=False)
            self._write = sessionmaker(writer, expire_on_commit=False)
            track_changes(self._write)  # every write transaction digests the rows it changes
        return self._read, self._write

    def _prepare(self, session: Session) -> None:
        from khoi_desktop.core.audit_chain import SEALING_KEY

        session.info["user"] = self.user
        session.info[SEALING_KEY] = self.sealing_key

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        with self._sessions()[0]() as session:
            self._prepare(session)
            yield session

    @contextlib.contextmanager
    def plain_reading(self) -> Iterator[Any]:
        """One read transaction for the few readers written in plain SQL (core.tree.load_snapshot,
        core.settings.load_settings): a bare sqlite3 connection (no ORM) on a file, a read-only snapshot
        session on a server."""
        if self.server is not None:
            from khoi_desktop.core.engines import postgres

            with postgres.plain_reading(self.engine) as session:
                session.info["user"] = self.user
                yield session
            return
        conn = sqlite_engine.read_only_connection(self.path)
        try:
            conn.execute("BEGIN")
            yield conn
        finally:
            conn.close()  # ends the read transaction

    @contextlib.contextmanager
    def plain_snapshot(self) -> Iterator[Any]:
        """plain_reading for the readers that take a plain fetcher (core.tree.load_snapshot,
        core.settings.load_settings): on a server, a read-only snapshot through psycopg alone, without
        SQLAlchemy (the window's first tree and counts)."""
        if self.server is None:
            with self.plain_reading() as conn:
                yield conn
            return
        from khoi_desktop.core.engines import postgres

        with postgres.plain_snapshot(self.server) as snapshot:
            yield snapshot

    @contextlib.contextmanager
    def writing(self) -> Iterator[Session]:
        """One transaction: committed if the block ends normally, rolled back on any error.

        A writer waits up to BUSY_TIMEOUT_MS for another one (another process, another workstation) to
        finish; past that it is refused with a DatabaseError (code "busy"), nothing changed.
        """
        from sqlalchemy.exc import DBAPIError

        try:
            with self._sessions()[1].begin() as session:
                self._prepare(session)
                if self.server is not None:
                    from khoi_desktop.core.engines import postgres

                    postgres.begin_writing(session)
                yield session
        except DBAPIError as exc:
            if self.server is not None:
                from khoi_desktop.core.engines import postgres

                if postgres.is_lost(exc):
                    raise DatabaseError(
                        f"Mất kết nối tới {self.label}: máy chủ vừa khởi động lại hoặc đường mạng bị ngắt. "
                        "Không có gì bị ghi dở; hãy thử lại khi kết nối trở lại.", code="server_lost") from exc
                if not postgres.is_busy(exc):
                    raise
                raise DatabaseError(
                    f"{self.label.capitalize()} đang bận: một máy khác đang ghi quá lâu. Không có gì bị thay đổi; "
                    "hãy thử lại sau ít phút.", code="busy") from exc
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
            from khoi_desktop.core.engines.sqlite_search import repair

            repair(connection)
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
            "Hãy cài phiên bản mới nhất rồi mở lại; tệp không bị thay đổi.", code="newer_schema"
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


@contextlib.contextmanager
def new_database_file(path: Path) -> Iterator[Database]:
    """A new database file for the block to fill: closed after it; on any error closed and removed with its
    -wal and -shm, so a refused or failed creation leaves nothing behind."""
    db = open_database(path, create=True)
    try:
        yield db
    except BaseException:
        db.close()
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        raise
    db.close()


def open_database(path: str | Path, *, create: bool = False) -> Database:
    """Open a database file (or a server office, given its postgresql:// address), migrating an older one
    after copying it aside.

    A file from a newer version of the app is refused: migrating it backwards could lose data.
    """
    if is_server_url(path):
        return open_server(str(path), create=create)
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


def server_fault(exc: Exception, label: str) -> DatabaseError:
    """Why a server could not be reached, in Vietnamese: libpq's usual reasons told in the clerk's words (its
    English only for a reason not known here, for the technician; the log keeps it always). No password is in
    any of them (libpq never repeats it)."""
    import logging
    import re

    reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    logging.getLogger(__name__).warning("server connection refused: %s", reason)
    low = reason.lower()
    quoted = re.findall(r'"([^"]*)"', reason)  # the role, database or file named last (the host comes first)
    name = quoted[-1] if quoted else ""
    unchanged = " Không có gì bị thay đổi."
    if "no password supplied" in low:
        return DatabaseError(f"Chưa có mật khẩu để kết nối tới {label}: máy này chưa lưu mật khẩu của tài khoản "
                             "trong kho mật khẩu (lệnh server-password, hoặc hộp Kết nối máy chủ với «Lưu mật "
                             "khẩu»)." + unchanged, code="server_auth")
    if "password" in low or "authentication" in low:
        return DatabaseError(f"Máy chủ từ chối đăng nhập vào {label}: sai mật khẩu, hoặc máy chủ không có tài "
                             f"khoản {name or 'này'}." + unchanged, code="server_auth")
    if "invalid connection option" in low:
        return DatabaseError(f"Địa chỉ của {label} có tùy chọn «{name}» (sau dấu ?) mà trình kết nối không biết: hãy "
                             "chỉ dùng sslmode=verify-full&sslrootcert=TỆP_CA." + unchanged, code="bad_server_url")
    if "invalid sslmode value" in low:
        return DatabaseError(f"sslmode={name} trong địa chỉ của {label} không hợp lệ: hãy viết sslmode=verify-full "
                             "(có gạch nối)." + unchanged, code="bad_server_url")
    if "bad value for" in low or ("invalid" in low and "value" in low):
        return DatabaseError(f"Địa chỉ của {label} có một tùy chọn (sau dấu ?) với giá trị không hợp lệ "
                             f"({name or reason.rsplit(':', 1)[-1].strip()})." + unchanged, code="bad_server_url")
    if "permission denied" in low or "must be owner" in low:
        return DatabaseError(f"Tài khoản kết nối không có quyền tạo hay sửa bảng trong {label}: cơ sở dữ liệu của văn "
                             "phòng phải do chính tài khoản của phần mềm làm chủ (CREATE DATABASE … OWNER khoi_app), "
                             "không phải cơ sở dữ liệu chung như postgres. Nếu đây là lần nâng cấp đầu tiên sau khi "
                             "kỹ thuật viên đã giao hai bảng nhật ký cho khoi_nhat_ky (hướng dẫn cài máy chủ, mục 5) "
                             "và bản mới cần sửa hai bảng đó: kỹ thuật viên giao tạm chúng lại cho tài khoản của phần "
                             "mềm (ALTER TABLE audit_entries OWNER TO khoi_app; ALTER TABLE audit_rows OWNER TO "
                             "khoi_app;), mở văn phòng một lần để nâng cấp, rồi giao đi lại như mục 5."
                             + unchanged, code="server_rights")
    if "no pg_hba.conf entry" in low:
        return DatabaseError(f"Máy chủ không cho máy này kết nối tới {label} (pg_hba.conf của máy chủ không có "
                             "dòng cho máy, tài khoản hay cơ sở dữ liệu này, hoặc đòi TLS). Hãy báo kỹ thuật viên."
                             + unchanged, code="server_auth")
    if "role" in low and "does not exist" in low:
        return DatabaseError(f"Máy chủ không có tài khoản {name}: không kết nối được tới {label}." + unchanged,
                             code="server_auth")
    if "database" in low and "does not exist" in low:
        return DatabaseError(f"Máy chủ không có cơ sở dữ liệu {name}: hãy kiểm tra tên trong địa chỉ (kỹ thuật "
                             "viên tạo nó bằng CREATE DATABASE)." + unchanged, code="no_server_database")
    if "could not read root certificate file" in low:
        return DatabaseError(f"Tệp CA {name} (sslrootcert trong địa chỉ) không đọc được hoặc không phải một chứng chỉ: "
                             f"không kiểm tra được chứng chỉ của máy chủ, không kết nối tới {label}. Hãy chép lại tệp "
                             "CA của văn phòng." + unchanged, code="server_tls")
    if "root certificate file" in low:
        return DatabaseError(f"Không có tệp CA {name} trên máy này (sslrootcert trong địa chỉ): không kiểm tra được "
                             f"chứng chỉ của máy chủ, không kết nối tới {label}. Hãy chép tệp CA của văn phòng vào "
                             "đúng chỗ đó." + unchanged, code="server_tls")
    if "does not support ssl" in low:
        return DatabaseError(f"Địa chỉ đòi kết nối mã hóa (sslmode) nhưng máy chủ của {label} chưa bật TLS (ssl = on "
                             "trong postgresql.conf). Hãy báo kỹ thuật viên." + unchanged, code="server_tls")
    if "certificate" in low or "ssl" in low:
        what = ("tên trong chứng chỉ của máy chủ không trùng tên máy trong địa chỉ" if "does not match" in low
                else "chứng chỉ của máy chủ không do CA của văn phòng ký, hoặc đã hết hạn")
        return DatabaseError(f"Không tin được máy chủ của {label}: {what}. Không kết nối (có thể là máy giả mạo); "
                             "hãy báo kỹ thuật viên." + unchanged, code="server_tls")
    if "resolve host" in low or "translate host name" in low:
        return DatabaseError(f"Không tìm thấy máy chủ tên {label.rsplit(' ', 1)[-1]} trong mạng: hãy kiểm tra tên máy "
                             "trong địa chỉ và đường mạng." + unchanged, code="server_unreachable")
    if "connection refused" in low:
        port = re.search(r"port (\d+)", reason)
        where = f"ở cổng {port.group(1)}" if port else "ở cổng trong địa chỉ"
        return DatabaseError(f"Máy chủ không nhận kết nối tới {label} {where}: dịch vụ PostgreSQL chưa chạy, sai "
                             "cổng, hoặc tường lửa chặn." + unchanged, code="server_unreachable")
    if "timeout" in low or "timed out" in low:
        return DatabaseError(f"Máy chủ của {label} không trả lời: hãy kiểm tra máy chủ đang chạy và đường mạng."
                             + unchanged, code="server_unreachable")
    return DatabaseError(f"Không kết nối được tới {label} (máy chủ báo: {reason}). Hãy kiểm tra máy chủ đang chạy, "
                         "đường mạng và địa chỉ; không có gì bị thay đổi.", code="server_unreachable")


# Server offices this process found sound a moment ago (no superuser, schema at head, audit insert-only), by
# address: a command signs in, then reads, each opening the office; the checks' round trips once are enough.
_SOUND_FOR_S = 60.0
_found_sound: dict[str, float] = {}
_with_accounts: set[str] = set()


def open_server(url: str, *, create: bool = False) -> Database:
    """Open a server office: the schema created (create=True: an empty database) or brought to the app's head.

    Connected as the office's own role, never a superuser; two workstations upgrading at once queue on a
    transaction-scoped lock and the second finds the schema current.
    """
    import time

    from khoi_desktop.core.engines import postgres

    address = postgres.ServerAddress.parse(url)
    if not create:
        if time.monotonic() - _found_sound.get(address.url, -_SOUND_FOR_S) < _SOUND_FOR_S:
            return Database(Path(address.database), server=address)
        # The usual case, an office current and sound: its checks in one round trip through psycopg alone, and
        # SQLAlchemy loaded when first needed (the window's first tree and counts are read without it). Anything
        # else (older schema, audit rights to take back, no account yet …): the full way below.
        if postgres.office_is_sound(address, schema_head()):
            _found_sound[address.url] = time.monotonic()
            _with_accounts.add(address.url)  # sound: it has an account (require_server_account asks no more)
            return Database(Path(address.database), server=address)
    engine = postgres.make_engine(address)
    with _closed_on_failure(engine, address):
        with engine.connect() as connection:
            postgres.refuse_superuser(connection, address.label)
        revision = _server_revision(engine, address)
        if revision is None and not create:
            raise DatabaseError(f"{address.label.capitalize()} còn trống: chưa có văn phòng nào. Hãy khởi tạo "
                                "(lệnh server-init) hoặc chuyển dữ liệu từ tệp lên (lệnh migrate-to-server).",
                                code="empty_server")
        if revision != schema_head():
            with engine.begin() as connection:
                _upgrade_server(connection)
        else:
            with engine.begin() as connection:
                postgres.keep_audit_append_only(connection)
    _found_sound[address.url] = time.monotonic()
    return Database(Path(address.database), engine, server=address)


@contextlib.contextmanager
def _closed_on_failure(engine: Engine, address: ServerAddress) -> Iterator[None]:
    """Setting up a server office: anything raised closes the engine's connections; a driver's fault is said by
    its cause (server_fault)."""
    from sqlalchemy.exc import DBAPIError

    try:
        yield
    except DBAPIError as exc:
        engine.dispose()
        raise server_fault(exc, address.label) from exc
    except BaseException:
        engine.dispose()
        raise


def _server_revision(engine: Engine, address: ServerAddress) -> str | None:
    """The server database's schema revision (None: empty), one from a newer version of the app refused."""
    from khoi_desktop.core.engines import postgres

    revision = postgres.server_revision(engine, address.label)
    if revision is not None and revision not in known_revisions():
        raise DatabaseError(f"{address.label.capitalize()} đã được nâng cấp bởi phiên bản mới hơn của phần mềm (lược "
                            f"đồ {revision}), có lẽ từ một máy trạm khác. Hãy cài phiên bản đó trên máy này rồi mở "
                            "lại; không có gì bị thay đổi.", code="newer_schema")
    return revision


def _upgrade_server(connection: Any) -> None:
    """The schema brought to the app's head inside the caller's transaction, under the migration lock (two
    workstations upgrading at once queue; Alembic reads the revision inside the transaction, so the second
    finds it current); the audit tables insert-only again for the role at the end."""
    from alembic import command

    from khoi_desktop.core.engines import postgres

    config = _alembic_config()
    postgres.advisory_lock(connection, postgres.MIGRATION_LOCK)
    postgres.grant_audit_edits(connection, True)
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
    postgres.grant_audit_edits(connection, False)


def server_without_account(url: str, label: str) -> DatabaseError:
    """A server office with its tables but no account of the app: never worked on. On a file, the one who holds
    the file holds everything anyway, so an account-less file is worked on as its administrator (until `users
    FILE add`); on a server every workstation connects with the same role, so without an account any clerk
    would be the administrator. The technician's server-init gives it its first administrator."""
    from khoi_desktop.core.engines.postgres import without_password

    return DatabaseError(
        f"{label.capitalize()} có các bảng của văn phòng nhưng chưa có tài khoản nào của phần mềm: không mở (trên "
        "máy chủ mọi máy trạm dùng chung một tài khoản kết nối, nên phải có người quản trị của phần mềm trước). "
        "Kỹ thuật viên tạo người quản trị đầu tiên bằng lệnh: khoi-desktop server-init "
        f"\"{without_password(url)}\" --admin TÊN --password-file TỆP.", code="server_no_account")


def server_has_accounts(db: Database) -> bool:
    """Whether the server office `db` has an account of the app: known without asking when open_server found it
    sound (or it was asked before), otherwise read through psycopg alone (no SQLAlchemy engine)."""
    assert db.server is not None
    if db.server.url in _with_accounts:
        return True
    with db.plain_snapshot() as snapshot:
        if not snapshot.fetch_plain("SELECT 1 FROM users LIMIT 1", {}):
            return False
    _with_accounts.add(db.server.url)
    return True


def require_server_account(db: Database) -> None:
    """A server office is worked on only once it has an account (server_without_account); a file: nothing."""
    # psycopg alone: the window's start loads no SQLAlchemy for it
    if db.server is not None and not server_has_accounts(db):
        raise server_without_account(db.server.url, db.label)


def audit_handover_due(db: Database) -> str | None:
    """What the technician still has to do on a server office whose audit tables (or their schema) the app's
    role owns, as a Vietnamese paragraph ending with the psql lines (engines.postgres.audit_handover); None
    when done, and on a file."""
    from sqlalchemy import text

    from khoi_desktop.core.engines import postgres

    if db.server is None:
        return None
    with db.engine.connect() as connection:
        if not postgres.audit_in_own_hands(connection):
            return None
        owner_missing = connection.execute(text("SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :r)"),
                                           {"r": postgres.AUDIT_OWNER}).scalar()
    lines = postgres.audit_handover(postgres.identifier(db.server.user or "khoi_app"),
                                    postgres.identifier(db.server.database))
    if owner_missing:
        lines = f"CREATE ROLE {postgres.AUDIT_OWNER} NOLOGIN;\n{lines}"
    return (f"Việc còn lại của kỹ thuật viên: tài khoản {db.server.user} đang làm chủ hai bảng nhật ký (hay "
            "lược đồ chứa chúng), nên có thể tự cấp lại cho mình quyền sửa, xóa nhật ký. Trên máy chủ, bằng tài "
            "khoản quản trị postgres, chạy một lần trong psql (hướng dẫn cài máy chủ, mục 5):\n" + lines)


def init_server(url: str, *, username: str, full_name: str, password: str) -> tuple[Database, CurrentUser]:
    """`server-init`: an empty server database becomes an office, its schema and its first administrator in ONE
    transaction (refused or cut anywhere, nothing is kept: run it again), like a new office file. An office
    left without any account (an older version's server-init cut between the two, a file without accounts
    moved up) is given its first administrator the same way; one that has an account is refused."""
    from sqlalchemy.orm import sessionmaker

    from khoi_desktop.core.audit import track_changes
    from khoi_desktop.core.auth.accounts import check_password, create_first_admin, has_accounts
    from khoi_desktop.core.engines import postgres
    from khoi_desktop.core.errors import ValidationError

    check_password(password)  # what the technician typed, checked before the server is touched
    address = postgres.ServerAddress.parse(url)
    engine = postgres.make_engine(address)
    db = Database(Path(address.database), engine, server=address)
    with _closed_on_failure(engine, address):
        with engine.connect() as connection:
            postgres.refuse_superuser(connection, address.label)
        revision = _server_revision(engine, address)
        with engine.begin() as connection:
            if revision != schema_head():
                _upgrade_server(connection)
            factory = sessionmaker(connection, expire_on_commit=False)
            track_changes(factory)  # the administrator's entry digests its rows, as in every writing session
            with factory.begin() as session:  # joins the connection's transaction: committed with the schema
                db._prepare(session)
                postgres.begin_writing(session)
                if has_accounts(session):
                    raise ValidationError(f"{address.label.capitalize()} đã có dữ liệu của một văn phòng (đã có tài "
                                          "khoản): không khởi tạo lại.", code="server_not_empty")
                admin = create_first_admin(session, username=username, full_name=full_name, password=password)
    return db, admin
