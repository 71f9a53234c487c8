"""PostgreSQL, an office's server: the address of a server office, its engine and connection settings, the
locks its concurrent writers take, its password in the operating system's credential store.

Writers on the server serialize like SQLite's (a transaction-scoped advisory lock taken at BEGIN, then the
term's row for a number and the audit chain's tail): readers never wait, two clerks' writes queue instead of
deadlocking, and a failed or killed client's transaction is rolled back whole by the server.
"""

from __future__ import annotations

import contextlib
import queue
import re
import threading
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from khoi_desktop.core.errors import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.orm import Session

KEYRING_SERVICE = "khoi-desktop"
LOCK_TIMEOUT_MS = 10_000
# Transaction-scoped advisory lock keys (pg_advisory_xact_lock): one for all writers, one for the migration.
WRITER_LOCK = 0x4B484F49_0001
AUDIT_LOCK = 0x4B484F49_0002
MIGRATION_LOCK = 0x4B484F49_0003
# SQLSTATEs of "someone else holds it": lock_not_available, deadlock_detected, serialization_failure.
_BUSY_STATES = {"55P03", "40P01", "40001"}
# Lost server: admin shutdown, crash shutdown, cannot connect now, connection failure / does not exist.
_LOST_STATES = {"57P01", "57P02", "57P03", "08000", "08003", "08006", "08001", "08004"}


@dataclass(frozen=True)
class ServerAddress:
    """postgresql://user[:password]@host[:port]/dbname[?sslmode=verify-full&sslrootcert=CA.pem]"""

    user: str
    host: str
    port: int
    database: str
    password: str | None = None
    query: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, url: str) -> ServerAddress:
        parts = urlsplit(url.strip())
        database = unquote(parts.path.lstrip("/"))
        if not parts.hostname or not database or "/" in database:
            shown = cls._shown(url)
            hint = (" Mật khẩu có ký tự #, /, ?, @ thì phải viết dạng %23, %2F, %3F, %40; tốt hơn là không ghi mật "
                    "khẩu vào địa chỉ (lệnh server-password lưu nó vào kho mật khẩu).") if ":***" in shown else ""
            raise DatabaseError(f"Địa chỉ máy chủ {shown} không đúng dạng "
                                "postgresql://tài_khoản@máy_chủ:cổng/tên_cơ_sở_dữ_liệu." + hint, code="bad_server_url")
        try:
            port = parts.port or 5432
        except ValueError:
            raise DatabaseError(f"Cổng trong địa chỉ {cls._shown(url)} không phải một số.",
                                code="bad_server_url") from None
        return cls(user=unquote(parts.username or ""), host=parts.hostname, port=port, database=database,
                   password=unquote(parts.password) if parts.password is not None else None,
                   query=tuple(parse_qsl(parts.query.replace("+", "%2B"), keep_blank_values=True)))

    @staticmethod
    def _shown(url: str) -> str:
        """The address as typed, its password (whatever it holds, even an unencoded # / ? @ that urlsplit would
        take for the fragment, path or query) replaced by ***."""
        scheme, sep, rest = url.partition("://")
        user, colon, after = rest.partition(":")
        if not sep or not colon or "@" not in after or "@" in user or "/" in user:
            return url  # no password: the colon is the port's, or comes after the host
        return f"{scheme}://{user}:***{after[after.rfind('@'):]}"

    @property
    def url(self) -> str:
        """The address without the password: what is shown, logged and remembered. Each part %-encoded as
        libpq reads a URI (a CA file's path with a space, &, #, + or Vietnamese letters comes back the same
        from parse; «/» and «:» are left as typed, C:/khoi/ca.pem stays readable)."""
        query = "&".join(f"{quote(k, safe='')}={quote(v, safe='/:')}" for k, v in self.query)
        user = f"{quote(self.user, safe='')}@" if self.user else ""
        host = f"[{self.host}]" if ":" in self.host else self.host  # an IPv6 address
        return (f"postgresql://{user}{host}:{self.port}/{quote(self.database, safe='')}"
                + (f"?{query}" if query else ""))

    @property
    def label(self) -> str:
        return f"cơ sở dữ liệu {self.database} trên máy chủ {self.host}"

    @property
    def server_name(self) -> str:
        """The server as a person recognises it: «may-chu.vanphong.local», «may-chu:5433» (the port only when
        not PostgreSQL's own 5432); never the role or its password."""
        if self.port == 5432:
            return self.host
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    @property
    def is_loopback(self) -> bool:
        """This computer itself (127.x, ::1, localhost) or a unix socket: nothing crosses the network."""
        host = dict(self.query).get("host") or self.host
        if host.startswith("/") or host.lower() in ("localhost", "localhost.localdomain"):
            return True
        import ipaddress

        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False

    @property
    def tls_warning(self) -> str | None:
        """What an address without a checked TLS connection risks (libpq's sslmode other than verify-ca or
        verify-full: none given means «prefer», which encrypts when the server offers it and checks nothing),
        and what to add; None on this computer or with the server checked. Said, never refused: an office's
        LAN may have no TLS yet."""
        return self.tls_warning_text()

    def tls_warning_text(self, ca_field: str | None = None) -> str | None:
        """tls_warning; with `ca_field` (the connection dialog's CA file field) the way on is to choose the
        office's CA file there (the dialog then writes sslmode=verify-full&sslrootcert=… into the address)."""
        mode = dict(self.query).get("sslmode", "").strip().lower()
        if self.is_loopback or mode in ("verify-ca", "verify-full"):
            return None
        if mode in ("disable", "allow"):
            risk = (f"sslmode={mode}: kết nối tới {self.host} không mã hóa, người khác trong mạng có thể đọc mật "
                    "khẩu và dữ liệu đảng viên trên đường truyền")
        elif mode == "require":
            risk = (f"sslmode=require: kết nối tới {self.host} được mã hóa nhưng không kiểm tra máy chủ, nên một máy "
                    "khác trong mạng có thể giả làm máy chủ để lấy mật khẩu và dữ liệu đảng viên")
        else:
            given = (f"sslmode={mode}" if mode else "Chưa chọn chứng chỉ CA" if ca_field
                     else "Địa chỉ không ghi sslmode")
            risk = (f"{given}: kết nối tới {self.host} có thể không mã hóa, hoặc mã hóa mà không kiểm tra máy chủ, "
                    "nên một máy khác trong mạng có thể giả làm máy chủ để lấy mật khẩu và dữ liệu đảng viên")
        if ca_field:
            way = (f"Hãy chọn tệp chứng chỉ CA của văn phòng ở ô «{ca_field}» (địa chỉ sẽ có "
                   "«?sslmode=verify-full&sslrootcert=…»). Vẫn kết nối được nếu mạng của văn phòng chưa có TLS")
        elif mode:
            way = f"Hãy đổi sslmode={mode} trong địa chỉ thành «sslmode=verify-full&sslrootcert=TỆP_CA»"
        else:
            way = f"Hãy thêm vào cuối địa chỉ «{'&' if self.query else '?'}sslmode=verify-full&sslrootcert=TỆP_CA»"
        where = "" if ca_field else (" (TỆP_CA: tệp chứng chỉ CA của văn phòng do kỹ thuật viên cung cấp; xem "
                                     "README, mục «3. TLS»)")
        return f"Cảnh báo: {risk}. {way}{where}."

    @property
    def keyring_name(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def connect_args(self) -> dict[str, Any]:
        args: dict[str, Any] = {"host": self.host, "port": self.port, "dbname": self.database,
                                "application_name": "khoi-desktop", "connect_timeout": 10}
        if self.user:
            args["user"] = self.user
        password = self.password if self.password is not None else stored_password(self)
        if password is not None:
            args["password"] = password
        args.update(dict(self.query))  # sslmode, sslrootcert …: libpq's own names
        return args


def without_password(text: str) -> str:
    """`text` as it may be shown or logged: a server address's password (if one was typed in it) as ***."""
    return ServerAddress._shown(text)


def stored_password(address: ServerAddress) -> str | None:
    """The role's password from the operating system's credential store (Windows Credential Manager, the
    Secret Service on Linux), never a plain file; None when none is stored or no store is available."""
    try:
        import keyring
    except ImportError:  # pragma: no cover - keyring is a dependency
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, address.keyring_name)
    except Exception:  # no store on this machine, or a locked one: connect without (the server says if it needs one)
        return None


def remember_password(address: ServerAddress, password: str) -> None:
    """Keep the role's password in the credential store (the connection dialog's "remember"). No store on this
    machine (a Linux without the Secret Service), or a locked one: refused in Vietnamese (keyring's words are
    English), nothing stored."""
    import logging

    import keyring

    try:
        keyring.set_password(KEYRING_SERVICE, address.keyring_name, password)
    except Exception as exc:
        logging.getLogger(__name__).warning("credential store refused to save: %s", exc)
        raise DatabaseError("Không lưu được mật khẩu vào kho mật khẩu của hệ điều hành: máy này chưa có kho (trên "
                            "Linux: Secret Service, ví dụ gnome-keyring), hoặc kho đang khóa. Không có gì được lưu.",
                            code="credential_store") from None


def _on_connect(dbapi_conn: Any, _record: object) -> None:
    # A writer waits as long as SQLite's busy_timeout for another one, then is refused ("busy").
    with dbapi_conn.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
    dbapi_conn.commit()


def make_engine(address: ServerAddress) -> Engine:
    from sqlalchemy import create_engine, event

    engine = create_engine("postgresql+psycopg://", connect_args=address.connect_args(), hide_parameters=True,
                           pool_pre_ping=True, pool_size=2, max_overflow=4)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "do_executemany", _default_plans)  # (before _inserted_at_once runs the statement)
    event.listen(engine, "do_executemany", _inserted_at_once)
    event.listen(engine, "do_execute", _generic_plan)
    event.listen(engine, "do_execute_no_params", _default_plans_no_params)
    event.listen(engine, "begin", _plans_begin)
    return engine


# Connection.info: plan_cache_mode as this transaction last set it (_generic_plan): True forced to generic plans,
# False set back to the default; absent: never set. (A SAVEPOINT is an unmarked statement: the default is put
# back before it, so rolling back to it never brings a forced mode back.)
_PLAN_FORCED = "khoi_plan_forced"


def _generic_plan(cursor: Any, statement: str, parameters: Any, context: Any) -> bool:
    """A statement marked with engines.GENERIC_PLAN runs as a prepared statement with a generic plan: the
    server plans it once (at its first run in the transaction) instead of at every run. A small read's
    planning (a chi bộ's year: 4 tables outer-joined, 0.3-0.5 ms) costs several times its execution (0.08 ms),
    and PostgreSQL plans a prepared statement's first 5 runs anew (custom plans) in its default mode.
    plan_cache_mode is read at each run: forced (SET LOCAL) before the first marked statement and left so while
    marked statements follow one another (a report, the bench: one round trip a run, nothing else sent), set
    back to the default before the next unmarked statement (_default_plans*), so no other statement's plan
    changes. psycopg forgets its prepared statements at the transaction's end (ROLLBACK), so a plan lasts a
    reading session. Only for statements whose best plan does not depend on the values (unique codes, id
    lookups)."""
    if not context.execution_options.get("khoi_generic_plan"):
        return _default_plans_no_params(cursor, statement, context)
    info = context.root_connection.info
    if info.get(_PLAN_FORCED) is not True:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        info[_PLAN_FORCED] = True
    cursor.execute(statement, parameters, prepare=True)
    return True


def _default_plans(cursor: Any, statement: str, parameters: Any, context: Any) -> bool:
    """plan_cache_mode back to the default before a statement run many times at once, when a marked one forced
    it (_generic_plan). Runs nothing itself."""
    return _default_plans_no_params(cursor, statement, context)


def _default_plans_no_params(cursor: Any, _statement: str, context: Any) -> bool:
    """The same before a statement run without parameters."""
    try:
        info = context.root_connection.info
    except NotImplementedError:  # the dialect's first connection (its version asked): no SET ever made on it
        return False
    if info.get(_PLAN_FORCED):
        cursor.execute("SET LOCAL plan_cache_mode = DEFAULT")
        info[_PLAN_FORCED] = False
    return False


def plans_at_default(connection: Any) -> None:
    """Before statements sent through the session's psycopg connection itself (engines/together, the member
    search): plan_cache_mode back to the default if a marked statement left it forced (_generic_plan)."""
    if connection.info.get(_PLAN_FORCED):
        connection.connection.driver_connection.execute("SET LOCAL plan_cache_mode = DEFAULT")
        connection.info[_PLAN_FORCED] = False


def _plans_begin(conn: Any) -> None:
    """A new transaction starts with plan_cache_mode at the default (SET LOCAL ended with the last one)."""
    conn.info.pop(_PLAN_FORCED, None)


# INSERT INTO t (a, b) VALUES (%(a)s::INTEGER, %(b)s): the statement SQLAlchemy's psycopg dialect writes for
# rows inserted together (a cast on each value but an enum's).
_INSERT_VALUES = re.compile(r"INSERT INTO (\w+) \(([\w, ]+)\) VALUES \(((?:%\(\w+\)s(?:::[\w ]+)?(?:, )?)+)\)")
_VALUE = re.compile(r"%\((\w+)\)s(?:::([\w ]+))?")
_AT_ONCE = ("members",)  # tables with statement-level triggers (member_terms, migration 0021)


def _inserted_at_once(cursor: Any, statement: str, parameters: Any, context: Any) -> bool:
    """Rows the ORM inserts together into a table with statement-level triggers go in ONE statement (one array
    a column, unnest), not one statement a row through psycopg's executemany: an import of 5.000 members fired
    0021's trigger (an insert into member_terms, an upsert of member_term_counts) 5.000 times. One statement
    with a few array parameters, nothing for the driver to parse per row. False: executemany as usual."""
    found = _INSERT_VALUES.fullmatch(statement.strip())
    if found is None or found.group(1) not in _AT_ONCE or not isinstance(parameters[0], dict):
        return False
    columns, values = found.group(2).split(", "), _VALUE.findall(found.group(3))
    table = getattr(getattr(context, "compiled", None), "statement", None)
    table = getattr(table, "table", None)
    if len(columns) != len(values) or table is None:
        return False
    arrays = []
    for column, (name, kind) in zip(columns, values, strict=True):
        if not kind:  # an enum: the column's own type (the server's enum type, or its varchar)
            kind = table.c[column].type.compile(dialect=context.dialect)
        arrays.append(f"%({name})s::{kind}[]")
    cursor.execute(f"INSERT INTO {found.group(1)} ({found.group(2)}) SELECT * FROM unnest({', '.join(arrays)})",
                   {name: [row[name] for row in parameters] for name, _ in values})
    return True


def advisory_lock(session: Session | Connection, key: int) -> None:
    """A lock held until the transaction ends (commit, rollback, or the client's death)."""
    from sqlalchemy import text

    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def begin_writing(session: Session) -> None:
    """The start of every writing transaction, in one statement (one round trip): queue behind other writers, hold
    the audit chain's tail (lock_audit_chain: nearly every writing transaction records an entry; taken after the
    writer lock, as every writer would take them), and have the others told at commit (a NOTIFY is delivered only
    if the transaction commits)."""
    from sqlalchemy import text

    from khoi_desktop.core.engines import audit_chain_locked

    session.execute(text("SELECT pg_advisory_xact_lock(:writer), pg_advisory_xact_lock(:audit), "
                         "pg_notify(:channel, '')"),
                    {"writer": WRITER_LOCK, "audit": AUDIT_LOCK, "channel": CHANGES_CHANNEL})
    audit_chain_locked(session)


def sqlstate(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", exc)
    return getattr(orig, "sqlstate", None)


def is_busy(exc: DBAPIError) -> bool:
    return sqlstate(exc) in _BUSY_STATES


def is_lost(exc: BaseException) -> bool:
    """The server went away (restarted, network cut): nothing of the transaction was kept."""
    import psycopg
    from sqlalchemy.exc import DBAPIError

    state = sqlstate(exc)
    if state in _LOST_STATES or (state or "").startswith("08"):
        return True
    if isinstance(getattr(exc, "orig", exc), psycopg.OperationalError) and state is None:
        return True  # refused or cut before the server could answer (no SQLSTATE)
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


@contextlib.contextmanager
def plain_reading(engine: Engine) -> Iterator[Session]:
    """One read-only snapshot (REPEATABLE READ): what the plain-SQL readers need on a server."""
    from sqlalchemy.orm import Session

    with Session(engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)) as session:
        yield session


def server_revision(engine: Engine, label: str) -> str | None:
    """The schema revision of the server database; None for an empty one. A database holding other tables
    than the app's is refused (never mix an office with someone else's data)."""
    from sqlalchemy import inspect, text

    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        if not tables:
            return None
        if "alembic_version" not in tables:
            raise DatabaseError(f"{label.capitalize()} đã có bảng của một phần mềm khác: không dùng được cho "
                                "văn phòng. Hãy tạo một cơ sở dữ liệu trống.", code="foreign_database")
        row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
        return row[0] if row else None


# The audit trail: its entries and the digests of the rows each entry changed (the sealed trail, 0013). Both
# are insert-only for the app's role: an edited digest would make `verify-audit --deep` vouch for edited rows.
AUDIT_TABLES = ("audit_entries", "audit_rows")
_EDITS = "UPDATE, DELETE, TRUNCATE"


def grant_audit_edits(connection: Connection, allowed: bool) -> None:
    """The app's role may only INSERT into the audit tables; a migration that must rewrite their rows (a new
    column filled in) gets UPDATE back for its own transaction only."""
    from sqlalchemy import inspect, text

    present = set(inspect(connection).get_table_names())
    verb = "GRANT" if allowed else "REVOKE"
    word = "TO" if allowed else "FROM"
    for table in AUDIT_TABLES:
        if table in present:
            connection.execute(text(f"{verb} {_EDITS} ON {table} {word} CURRENT_USER"))


def audit_editable(connection: Connection) -> list[str]:
    """The audit tables the connection's role may still UPDATE, DELETE or TRUNCATE (none on a sound office)."""
    from sqlalchemy import text

    rows = connection.execute(text(
        "SELECT t FROM unnest(CAST(:tables AS text[])) AS t WHERE CASE WHEN to_regclass(t) IS NULL THEN false "
        "ELSE has_table_privilege(current_user, t, :edits) END"), {"tables": list(AUDIT_TABLES), "edits": _EDITS})
    return [row[0] for row in rows]


def keep_audit_append_only(connection: Connection) -> None:
    """At every open of a current office: an office made before a table joined the audit (audit_rows before
    this version), or a right granted back by hand, is made insert-only again. One catalogue read when sound."""
    if audit_editable(connection):
        advisory_lock(connection, MIGRATION_LOCK)
        grant_audit_edits(connection, False)


# Insert-only is not enough while the app's role OWNS the audit tables (or the schema holding them): an owner
# may GRANT itself UPDATE and DELETE again, or drop and remake a table with rows of its own choosing. The
# technician hands the two tables to a role nobody signs in with, and the database and its schema to the
# server's administrator, once the office is on the server (README, the technician's step 5): the app's role then
# keeps SELECT and INSERT on them (and its own tables, and CREATE for the tables of a later version).
AUDIT_OWNER = "khoi_nhat_ky"


def audit_handover(role: str, database: str) -> str:
    """The technician's psql lines (as `postgres`) that take the audit tables out of `role`'s hands in
    `database`; README shows them for khoi_app and khoi_vanphong (tests/core/test_server.py runs README's)."""
    return "\n".join([
        f"\\c {database}",
        f"ALTER DATABASE {database} OWNER TO postgres;",
        "ALTER SCHEMA public OWNER TO postgres;",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC;",
        f"GRANT USAGE, CREATE ON SCHEMA public TO {role};",
        f"ALTER TABLE audit_entries OWNER TO {AUDIT_OWNER};",
        f"ALTER TABLE audit_rows OWNER TO {AUDIT_OWNER};",
        f"GRANT SELECT, INSERT ON audit_entries, audit_rows TO {role};",
        f"GRANT USAGE ON SEQUENCE audit_entries_id_seq TO {role};",
    ])


def identifier(name: str) -> str:
    """`name` as an SQL identifier: as it is when plain, else in double quotes."""
    return name if re.fullmatch(r"[a-z_][a-z0-9_]*", name) else '"' + name.replace('"', '""') + '"'


def audit_in_own_hands(connection: Connection) -> bool:
    """Whether the connection's role owns an audit table or the schema holding it (audit_handover not done)."""
    from sqlalchemy import text

    return bool(connection.execute(text(
        "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relname = ANY(CAST(:tables AS text[])) AND n.nspname = current_schema() "
        "AND (pg_has_role(c.relowner, 'USAGE') OR pg_has_role(n.nspowner, 'USAGE')))"),
        {"tables": list(AUDIT_TABLES)}).scalar())


def refuse_superuser(connection: Connection, label: str) -> None:
    from sqlalchemy import text

    if connection.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar():
        raise superuser_refusal(label)


CHANGES_CHANNEL = "khoi_changes"
POLL_S = 2.0


class ChangeListener:
    """Has another workstation written to the server office? A thread of its own holds one connection that
    LISTENs on the app's channel (every writing transaction NOTIFYs at commit), and, as a fallback for a
    server or a pooler that drops notifications, reads the audit trail's last id every POLL_S seconds (every
    change records an entry). `changed()` only reads a flag: the window's timer never waits for the network.
    `lost` says the server cannot be reached right now; the thread reconnects by itself."""

    def __init__(self, address: ServerAddress) -> None:
        import threading

        self._address = address
        self._flag = False
        self._resync = False
        self.lost = False
        self._token: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="khoi-changes", daemon=True)
        self._thread.start()

    def _connect(self) -> Any:
        import psycopg

        conn = psycopg.connect(**self._address.connect_args(), autocommit=True)
        conn.execute(f"LISTEN {CHANGES_CHANNEL}")
        return conn

    def _last_id(self, conn: Any) -> int:
        row = conn.execute("SELECT coalesce(max(id), 0) FROM audit_entries").fetchone()
        return int(row[0]) if row else 0

    def _run(self) -> None:
        import psycopg

        conn = None
        while not self._stop.is_set():
            try:
                if conn is None:
                    conn = self._connect()
                    token = self._last_id(conn)
                    if self.lost or (self._token is not None and token != self._token):
                        self._flag = True  # back after a loss: whatever happened meanwhile is shown
                    self._token, self.lost = token, False
                for _note in conn.notifies(timeout=POLL_S, stop_after=1):
                    self._flag = not self._resync
                token = self._last_id(conn)
                if self._resync:  # this window's own write: already shown
                    self._token, self._resync = token, False
                elif token != self._token:
                    self._token, self._flag = token, True
            except psycopg.Error:
                self.lost = True
                if conn is not None:
                    try:
                        conn.close()
                    except psycopg.Error:
                        pass
                    conn = None
                self._stop.wait(POLL_S)
        if conn is not None:
            conn.close()

    def changed(self) -> bool:
        flag, self._flag = self._flag, False
        return flag

    def forget(self) -> None:
        """After this window's own write."""
        self._flag, self._resync = False, True

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=POLL_S + 3)


# --- a server office copied into an SQLite image (a .khoibak's content: core/transfer.server_image) -------

COPY_BATCH = 20_000


# A date and a timestamp (without time zone: DateTime()) as the text SQLAlchemy's SQLite dialect stores them,
# spelled by the server: no Python call a value.
_AS_SQLITE_TEXT = {"DateTime": "YYYY-MM-DD HH24:MI:SS.US", "Date": "YYYY-MM-DD"}


def _text_format(column_type: Any) -> str | None:
    from sqlalchemy import Date, DateTime

    if isinstance(column_type, DateTime) and not column_type.timezone:
        return _AS_SQLITE_TEXT["DateTime"]
    if isinstance(column_type, Date):
        return _AS_SQLITE_TEXT["Date"]
    return None


def _selected(column: Any) -> str:
    spelled = _text_format(column.type)
    return f"to_char(\"{column.name}\", '{spelled}')" if spelled else f'"{column.name}"'


def _to_sqlite(column_type: Any, dialect: Any) -> Any:
    """The function storing a value read by psycopg as SQLAlchemy's SQLite dialect stores it; None: as it is.

    An enum's value comes from the server as its stored name, which the enum's processor maps to itself; a
    bool is stored by sqlite3 as the 1 or 0 SQLAlchemy's processor makes of it; a date or a timestamp comes as
    its text already (_selected). A date and a naive datetime that still come as values take the text
    SQLAlchemy writes (YYYY-MM-DD, YYYY-MM-DD HH:MM:SS.ffffff) from isoformat, four times cheaper than its
    formatting; anything else goes through SQLAlchemy's processor."""
    import datetime as dt

    from sqlalchemy import Boolean, Date, DateTime, Enum

    if isinstance(column_type, Enum | Boolean) or _text_format(column_type):
        return None
    process = column_type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return None
    if isinstance(column_type, DateTime):
        return lambda value: (value.isoformat(" ", "microseconds")
                              if type(value) is dt.datetime and value.tzinfo is None else process(value))
    if isinstance(column_type, Date):
        return lambda value: value.isoformat() if type(value) is dt.date else process(value)
    return process


def _batches(raw: Any, tables: list[Any], counts: dict[str, int], dialect: Any
             ) -> Generator[tuple[str, list[Any]], None, None]:
    """(INSERT statement, rows converted for SQLite) of every table in turn, COPY_BATCH rows at a time."""
    for index, table in enumerate(tables):
        if not counts[table.name]:
            continue
        columns = list(table.columns)
        names = ", ".join(f'"{column.name}"' for column in columns)
        order = ", ".join(f'"{column.name}"' for column in (list(table.primary_key.columns) or columns))
        processors = [(i, p) for i, column in enumerate(columns) if (p := _to_sqlite(column.type, dialect))]
        insert = f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" * len(columns))})'
        with raw.cursor(name=f"khoi_copy_{index}", binary=True) as cursor:
            cursor.itersize = COPY_BATCH
            cursor.execute(f'SELECT {", ".join(_selected(column) for column in columns)} FROM "{table.name}" '
                           f'ORDER BY {order}')
            while rows := cursor.fetchmany(COPY_BATCH):
                if not processors:
                    yield insert, rows
                    continue
                converted = []
                for row in rows:
                    values = list(row)
                    for i, process in processors:
                        values[i] = process(values[i])
                    converted.append(values)
                yield insert, converted


def copy_into_sqlite(source: Connection, image: Any, tables: list[Any], progress: Any = None) -> None:
    """Every row of the server office `source` (an SQLAlchemy connection inside the caller's read-only
    transaction) into the empty in-memory SQLite database `image` (a raw sqlite3 connection at the same
    schema revision, in autocommit mode), in one transaction of `image`.

    The rows go from psycopg straight to sqlite3's executemany, through a server-side cursor read in large
    binary batches: no SQLAlchemy row or dict a row. Each value is stored as SQLAlchemy's SQLite dialect
    would have stored it: the SQLite bind processor of its column's type applied (dates and times as text,
    enums as their names); psycopg already gives what SQLAlchemy's own result processors would hand to it
    (a date, a datetime, a bool, bytes, an enum's name as text)."""
    from sqlalchemy.dialects import sqlite

    from khoi_desktop.core.engines.sqlite_search import insert_trigger_deferred

    dialect = sqlite.dialect()
    raw: Any = source.connection.dbapi_connection  # psycopg's, in the caller's transaction
    counts: dict[str, int] = {}
    with raw.cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table.name}"')
            counts[table.name] = cursor.fetchone()[0]
    total = max(1, sum(counts.values()))
    done = 0
    image.execute("BEGIN")
    try:
        # The tables' own indexes made again after the load, in the order the migrations made them: built from
        # sorted keys once instead of kept in step row by row (the same indexes, the same SQL).
        indexes = image.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY rowid").fetchall()
        for name, _sql in indexes:
            image.execute(f'DROP INDEX "{name}"')
        # Read (and converted) on a thread of its own while the batch before is inserted: psycopg waiting on
        # the server and sqlite3 inserting both release the GIL.
        batches: queue.Queue[Any] = queue.Queue(maxsize=2)
        stop = threading.Event()

        def put(item: Any) -> bool:
            while not stop.is_set():
                try:
                    batches.put(item, timeout=0.1)
                    return True
                except queue.Full:
                    continue
            return False

        def produce() -> None:
            reading = _batches(raw, tables, counts, dialect)
            try:
                for batch in reading:
                    if not put(batch):
                        return
                put(None)
            except BaseException as exc:  # handed to the inserting thread, raised there
                put(exc)
            finally:
                reading.close()  # its server-side cursor closed on this thread, before the join below

        # The member search index (SQLite's FTS5, filled by a trigger on members) filled once after the load.
        with insert_trigger_deferred(image.execute):
            reader = threading.Thread(target=produce, name="khoi-copy", daemon=True)
            reader.start()
            try:
                while (batch := batches.get()) is not None:
                    if isinstance(batch, BaseException):
                        raise batch
                    insert, rows = batch
                    image.executemany(insert, rows)
                    done += len(rows)
                    if progress is not None:
                        progress(done / total)
            finally:
                stop.set()
                reader.join()  # the server's connection is the caller's again only once the reader is done
            for _name, sql in indexes:
                image.execute(sql)
        image.execute("COMMIT")
    except BaseException:
        image.execute("ROLLBACK")
        raise


# --- a server office as COPY text lines (the content of a server office's .khoibak: core/backup/copied.py) --

COPY_GROUP = 2000  # rows of a table spelled into one value by the server: ids first_key / COPY_GROUP


def _server_copy_text(column: Any, every_escape: bool = True) -> str:
    """The server's expression of one column's value as the field _copy_text makes of it in an SQLite image:
    NULL as \\N, booleans as 1/0, dates and timestamps as SQLAlchemy's SQLite text, bytea as \\\\x and lower hex,
    text with the same characters escaped, in the same order (backslash first). An argument of concat_ws
    (copy_text_statement): a value that is no text goes through its type's output function there, and a
    column NOT NULL on the server has no coalesce (a NULL would be a field short: the reader refuses it).
    Without `every_escape`, text has only its backslashes escaped (copy_text_statement)."""
    from sqlalchemy import Boolean, Date, DateTime, Integer

    value = _server_value(column, every_escape)
    if not column.nullable:
        return value
    if isinstance(column.type, Integer | Boolean) or (isinstance(column.type, Date) and
                                                       not isinstance(column.type, DateTime)):
        value = f"{value}::text"  # (coalesce's '\\N' would be read as one of them)
    return f"coalesce({value}, '\\N')"


def _server_value(column: Any, every_escape: bool = True) -> str:
    from sqlalchemy import Boolean, Date, DateTime, Integer, LargeBinary

    name = f'"{column.name}"'
    if isinstance(column.type, Boolean):
        return f"{name}::int"
    if isinstance(column.type, Integer):
        return name
    if isinstance(column.type, LargeBinary):
        return f"'\\\\x' || encode({name}, 'hex')"
    if isinstance(column.type, Date) and not isinstance(column.type, DateTime):
        return name  # date_out in the ISO DateStyle copied.py sets: to_char's text, 3× cheaper
    if isinstance(column.type, DateTime) and not column.type.timezone:
        # timestamp_out (ISO DateStyle) drops a zero fraction and a fraction's trailing zeros: put them back
        # (SQLAlchemy's text always has six digits); a third of to_char's cost.
        return (f"CASE WHEN date_trunc('second', {name}) = {name} THEN {name}::text || '.000000' "
                f"ELSE rpad({name}::text, 26, '0') END")
    spelled = _selected(column)
    if spelled != name:
        return spelled
    if not _is_text(column):
        return f"{name}::text"
    escaped = name
    for char, replaced in _ESCAPES if every_escape else _ESCAPES[:1]:
        escaped = f"replace({escaped}, {char.replace('char', 'chr')}, {replaced})"
    return escaped


def copy_text_statement(table: Any, *, every_escape: bool = False, only: bool = False) -> str:
    """A SELECT of `table`'s rows as the COPY text lines SQLite's copy_lines makes of the same rows in an image,
    in the same order (primary key; text in byte order: COLLATE "C", SQLite's BINARY), the rows whose first
    key lies in one range of COPY_GROUP ids joined into one text value (the lines between newlines, none after
    the last: the reader adds it): a row (g, lines, short, value) a range, g its number (the reader puts the
    ranges in its order), `lines` its count of rows, `short` its rows with a NULL in a column NOT NULL (a field
    missing from a line). The server spells every value, the client reads a few large values instead of a Python
    object a row.

    Text has only its backslashes escaped, unless `every_escape`: a tab, a newline or a carriage return in a
    value is so rare that the reader checks each range instead (copied._read: exactly `lines` - 1 newlines,
    (`lines` × (columns - 1)) tabs, no carriage return, `short` 0, or the range is read again with every
    escape). Three replace() a text value were a fifth of the server's time. `only`: the statement of one
    range, its number g the statement's one parameter.

    One range at a time, each read through the primary key's index already in order (a GROUP BY would sort
    every line once more: a fifth of the server's time on the largest table); a table keyed by text in one
    value (g 0). The lines are joined in the order a sorted subquery gives them (PostgreSQL's documented way
    for an aggregate's input order: string_agg's own ORDER BY sorts the lines once more, a third of the
    server's time); a line out of order would fail the proof when the backup is read (copied.image_of_copy)."""
    from sqlalchemy import Integer

    columns = list(table.columns)
    keys = list(table.primary_key.columns) or columns
    order = ", ".join(f'"{column.name}" COLLATE "C"' if _is_text(column) else f'"{column.name}"' for column in keys)
    line = "concat_ws(chr(9), " + ", ".join(_server_copy_text(column, every_escape) for column in columns) + ")"
    required = [f'"{column.name}"' for column in columns if not column.nullable]
    # (IS NULL tests, not num_nulls(): its variadic call cost ≈ 0.1 s of the server's CPU at scale 20)
    short = "(" + " OR ".join(f"{column} IS NULL" for column in required) + ")::int" if required else "0"
    name = f'"{table.name}"'

    def joined(where: str) -> str:
        return (f"SELECT count(*), coalesce(sum(short), 0), string_agg(line, chr(10)) FROM "
                f"(SELECT {line} AS line, {short} AS short FROM {name}{where} ORDER BY {order}) AS lines")

    ranged = isinstance(keys[0].type, Integer)
    first = f'"{keys[0].name}"'
    within = f" WHERE {first} >= g * {COPY_GROUP} AND {first} < (g + 1) * {COPY_GROUP}" if ranged else ""
    if only:
        return f"SELECT g, r.* FROM (SELECT %s::bigint AS g) AS g, LATERAL ({joined(within)}) AS r"
    if not ranged:
        return f"SELECT 0, r.* FROM ({joined('')}) AS r"  # one value (no rows: NULL)
    bounds = f"(SELECT floor({{}}({first}) / {COPY_GROUP}.0)::bigint FROM {name})"
    # (no ORDER BY g: a Sort node over the joined values, written to disk past work_mem; the caller sorts by g)
    return (f"SELECT g, r.* FROM generate_series({bounds.format('min')}, {bounds.format('max')}) AS g, "
            f"LATERAL ({joined(within)}) AS r")


# --- an SQLite image (a file office, a .khoibak's content) copied into an empty server office -------------

# COPY text's escapes a value needs (backslash first), as SQLite spells them; the server's the same with chr().
_ESCAPES = (("'\\'", "'\\\\'"), ("char(9)", "'\\t'"), ("char(10)", "'\\n'"), ("char(13)", "'\\r'"))


# (the pattern's characters as they are in the literal: a pattern built with char() per row costs a sixth more)
_SPECIAL_GLOB = "*[" + "".join(chr(code) for code in (9, 10, 13, 92)) + "]*"


def _copy_text(column: Any) -> str:
    """SQLite's expression of one column's value as a field of COPY's text format (NULL as \\N).

    What SQLite stores is what the server reads from text: integers, booleans as 1/0, dates and timestamps as
    SQLAlchemy's text (YYYY-MM-DD, YYYY-MM-DD HH:MM:SS.ffffff), enums as their stored strings; bytes as bytea's
    hex (\\x..., its backslash doubled for COPY). Text has COPY's four special characters escaped (_ESCAPES): each
    line is the one the server spells of the same row for a backup (_server_copy_text), byte for byte (bytea's hex
    in lower case, as the server spells it)."""
    from sqlalchemy import Boolean, Date, DateTime, Enum, Integer, LargeBinary

    name = f'"{column.name}"'
    kind = column.type
    if isinstance(kind, LargeBinary):
        return f"CASE WHEN {name} IS NULL THEN '\\N' ELSE '\\\\x' || lower(hex({name})) END"
    if isinstance(kind, Integer | Boolean | Date | DateTime | Enum):
        return f"coalesce({name}, '\\N')"
    escaped = name
    for char, spelled in _ESCAPES:
        escaped = f"replace({escaped}, {char}, {spelled})"
    # (most values have none of these characters: one GLOB instead of four copies)
    return f"coalesce(CASE WHEN {name} GLOB '{_SPECIAL_GLOB}' THEN {escaped} ELSE {name} END, '\\N')"


def copy_lines(table: Any, *, newline: bool = False) -> str:
    """SQLite's SELECT of `table`'s rows as COPY text lines (without their newline, or with it: `newline`), in
    primary-key order (byte order for text: the server's copy_out orders the same way)."""
    columns = list(table.columns)
    order = ", ".join(f'"{column.name}" COLLATE BINARY' if _is_text(column) else f'"{column.name}"'
                      for column in (list(table.primary_key.columns) or columns))
    line = " || char(9) || ".join(_copy_text(column) for column in columns) + (" || char(10)" if newline else "")
    return f'SELECT {line} FROM "{table.name}" ORDER BY {order}'


def _is_text(column: Any) -> bool:
    from sqlalchemy import Enum, String

    return isinstance(column.type, String) and not isinstance(column.type, Enum)


@contextlib.contextmanager
def _checks_deferred(cursor: Any) -> Iterator[None]:
    """Inside the copy's transaction, the foreign keys and the indexes that back no constraint (of the tables
    this role owns) dropped while the rows come, then made again from their own definitions: one join checks
    each foreign key, one sort builds each index, instead of a lookup and an index entry a row (two thirds of
    the server's time). A row breaking a foreign key fails the ADD CONSTRAINT, so the copy, as it failed
    the COPY before. The primary keys and unique constraints stay (a duplicate fails the COPY itself)."""
    owned = "pg_has_role(r.relowner, 'USAGE') AND r.relnamespace = current_schema()::regnamespace"
    cursor.execute(f"SELECT r.oid::regclass::text, quote_ident(c.conname), pg_get_constraintdef(c.oid) "
                   "FROM pg_constraint c "
                   f"JOIN pg_class r ON r.oid = c.conrelid WHERE c.contype = 'f' AND {owned} ORDER BY c.oid")
    foreign = cursor.fetchall()
    cursor.execute(f"SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                   f"JOIN pg_class r ON r.oid = i.indrelid WHERE {owned} AND NOT EXISTS "
                   "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY i.indexrelid")
    indexes = cursor.fetchall()
    for table, name, _definition in foreign:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    yield
    for _name, definition in indexes:
        cursor.execute(definition)
    for table, name, definition in foreign:
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")


def copy_from_sqlite(image: Any, target: Connection, tables: list[Any], progress: Any = None) -> None:
    """Every row of the SQLite database `image` (a raw sqlite3 connection at the same schema revision) into
    the empty server office `target` (an SQLAlchemy connection inside the caller's transaction), parents
    before children, by COPY … FROM STDIN: SQLite spells each row as a line of COPY's text format, the server
    parses the values (no Python object a value, one round trip a batch). The caller sets the id sequences."""
    counts = {table.name: image.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0] for table in tables}
    total = max(1, sum(counts.values()))
    done = 0
    raw: Any = target.connection.dbapi_connection
    import psycopg

    try:
        with raw.cursor() as cursor, _checks_deferred(cursor):
            for table in tables:
                if not counts[table.name]:
                    continue
                columns = list(table.columns)
                rows = image.execute(copy_lines(table))
                names = ", ".join(f'"{column.name}"' for column in columns)
                with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                    while batch := rows.fetchmany(COPY_BATCH):
                        copy.write("".join(f"{text}\n" for (text,) in batch))
                        done += len(batch)
                        if progress is not None:
                            progress(done / total)
    except psycopg.Error as exc:  # the rows refused by the server (a broken reference, a duplicate)
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise DatabaseError(f"Máy chủ không nhận dữ liệu chép lên ({reason}): không có gì được giữ lại trên máy "
                            "chủ.", code="copy_refused") from exc


# --- the tree's commands on a sound office, through psycopg alone (`stats`, `orgs`) --------------------
#
# A whole `stats` process on a server paid for SQLAlchemy (its import, an engine, the ORM's Session) only to
# make the checks open_server makes and to read a few plain statements. A current, sound office is read here
# with the driver alone; anything else (an older schema to migrate, audit rights to take back, no account yet)
# is left to open_server, which the caller falls back to.

_NAMED = re.compile(r"(?<![:\w]):(\w+)")
_PYFORMAT: dict[str, str] = {}

# One round trip, before anything is read: the writers' lock_timeout (as make_engine's connections set it), then
# the role's superuser flag, whether the role's current schema has the revision table (the schema open_server
# inspects), the audit tables still editable (audit_editable's question), the revisions recorded, whether any
# account exists. On a database without the app's tables it fails: open_server then says what it is.
_SOUND_CHECKS = (
    f"SET lock_timeout = {LOCK_TIMEOUT_MS}; "
    "SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user), "
    "EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = current_schema() AND c.relname = 'alembic_version' AND c.relkind IN ('r', 'p')), "
    f"ARRAY(SELECT t FROM unnest(ARRAY[{', '.join(repr(t) for t in AUDIT_TABLES)}]) AS t "
    f"WHERE CASE WHEN to_regclass(t) IS NULL THEN false ELSE has_table_privilege(current_user, t, '{_EDITS}') END), "
    "ARRAY(SELECT version_num FROM alembic_version), "
    "EXISTS (SELECT 1 FROM users)")
_ACCOUNT = ("SELECT username, full_name, role, password_hash, active, failed_attempts, locked_until, key_slot "
            "FROM users WHERE username = %(name)s")


def _pyformat(sql: str) -> str:
    """The plain readers' `:name` parameters in psycopg's spelling (`%(name)s`), a literal % doubled."""
    spelled = _PYFORMAT.get(sql)
    if spelled is None:
        spelled = _PYFORMAT[sql] = _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))
    return spelled


def superuser_refusal(label: str) -> DatabaseError:
    return DatabaseError(f"Tài khoản dùng để kết nối {label} là tài khoản quản trị tối cao (superuser) của "
                         "PostgreSQL. Phần mềm chỉ làm việc với tài khoản riêng của văn phòng, không có quyền "
                         "quản trị máy chủ (xem hướng dẫn cài máy chủ).", code="superuser_role")


class PlainSnapshot:
    """One REPEATABLE READ READ ONLY transaction on a psycopg connection: the account's row, then the plain
    readers' statements (core.tree's `fetch_plain`), all of one state of the office."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def account_row(self, username: str) -> tuple[Any, ...] | None:
        """The sign-in's columns of the account (cli.common._clean_sign_in reads them), None when none."""
        row: tuple[Any, ...] | None = self._conn.execute(_ACCOUNT, {"name": username}).fetchone()
        return row

    def fetch_plain(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = self._conn.execute(_pyformat(sql), params).fetchall()
        return rows


class SoundOffice:
    """A server office found current and sound on a psycopg connection of its own (sound_office)."""

    def __init__(self, conn: Any, address: ServerAddress) -> None:
        self._conn = conn
        self.address = address

    def snapshot(self, username: str) -> tuple[PlainSnapshot, tuple[Any, ...] | None] | None:
        """The read-only snapshot begun (closing the connection, sound_office, ends it) and the account's row in
        it; None when the connection failed meanwhile (a long prompt past the server's idle timeout, a server
        restarted): the caller goes the full way, which connects again."""
        import psycopg

        snapshot = PlainSnapshot(self._conn)
        try:
            self._conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            return snapshot, snapshot.account_row(username)
        except psycopg.OperationalError:
            return None


@contextlib.contextmanager
def plain_snapshot(address: ServerAddress) -> Iterator[PlainSnapshot]:
    """A read-only snapshot (REPEATABLE READ READ ONLY) on a psycopg connection of its own, for the plain
    readers (core.tree's `fetch_plain`); a connection the server refuses is refused in open_server's words."""
    conn = _connect(address)
    try:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield PlainSnapshot(conn)
    finally:
        conn.close()


@contextlib.contextmanager
def sound_office(url: str, head: str) -> Iterator[SoundOffice | None]:
    """The server office `url` through psycopg alone when nothing about it needs open_server: connected with
    the app's own settings (the address's options, the password from the credential store, the writers'
    lock_timeout), a superuser refused as open_server refuses it, the schema at `head`, the audit tables
    insert-only for the role, at least one account. None otherwise (an empty, foreign, older or newer schema,
    audit rights to take back, no account yet, an error while checking): the caller opens the office the
    full way (open_server), which migrates, repairs or refuses as always. A connection the server refuses is
    refused here in open_server's words."""
    address = ServerAddress.parse(url)
    conn = _connect(address)
    try:
        yield _sound(conn, address, head)
    finally:
        conn.close()


def office_is_sound(address: ServerAddress, head: str) -> bool:
    """sound_office's checks alone (open_server's quick way): True when nothing about the office needs
    open_server's full way; a superuser or a connection the server refuses is refused the same way."""
    conn = _connect(address)
    try:
        return _is_sound(conn, address, head)
    finally:
        conn.close()


def _connect(address: ServerAddress) -> Any:
    import psycopg

    try:
        return psycopg.connect(**address.connect_args(), autocommit=True)
    except psycopg.Error as exc:
        from khoi_desktop.core.db import server_fault

        raise server_fault(exc, address.label) from exc


def _sound(conn: Any, address: ServerAddress, head: str) -> SoundOffice | None:
    return SoundOffice(conn, address) if _is_sound(conn, address, head) else None


def _is_sound(conn: Any, address: ServerAddress, head: str) -> bool:
    import psycopg

    try:
        checked = conn.execute(_SOUND_CHECKS)
        checked.nextset()  # past the SET's result
        superuser, versioned, editable, versions, accounts = checked.fetchone()
    except psycopg.Error:
        return False  # open_server meets it again, and says what it means
    if superuser:
        raise superuser_refusal(address.label)
    return bool(versioned and not editable and versions == [head] and accounts)
