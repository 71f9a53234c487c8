"""SQLite, the single-workstation file: how a file is connected to, locked, copied and its revision read.

Every raw connection to a database file in the app is made by `connect_file`: the one place a file's key is
given to the SQLCipher driver. A file whose key this process holds (core/keyslots/registry: unlocked by a
sign-in) is opened with `sqlcipher3` and `PRAGMA key` (the raw 256-bit key, SQLCipher 4 settings); any other
file with Python's own sqlite3, as before. Errors of both drivers are caught through the tuples below.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khoi_desktop.core.engines import held_files
from khoi_desktop.core.errors import DatabaseError
from khoi_desktop.core.keyslots.registry import key_for

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.exc import DBAPIError
    from typing_extensions import TypeIs  # SQLAlchemy's dependency; only read by mypy

BUSY_TIMEOUT_MS = 10_000
# An encrypted file's page cache per connection, at most (SQLite's default: 2 MiB; only pages read fill it, so a
# small office uses no more than its size). 32 MiB left 100 searches at scale 20 1.39x the plain file's time on a
# quiet machine (pages decrypted again and again); 128 MiB: 0.9x (issue 15).
CIPHER_CACHE_KIB = 128 * 1024
_SAME_KEY = object()
_CIPHER_MODULE = "sqlcipher3.dbapi2"

if TYPE_CHECKING:
    # sqlcipher3's exception classes are its own: catch a driver's errors with these.
    ERRORS: tuple[type[Exception], ...]
    DATABASE_ERRORS: tuple[type[Exception], ...]
    OPERATIONAL_ERRORS: tuple[type[Exception], ...]
    # A raw connection of either driver (plain readers tell it from an ORM session with these).
    CONNECTIONS: tuple[type, ...]


def _cipher() -> Any:
    """sqlcipher3's DB-API module, imported on first use: a plain file (`stats`, the window's first frame)
    never needs the SQLCipher library loaded (issue 15)."""
    from sqlcipher3 import dbapi2

    return dbapi2


def _both(cls: str) -> tuple[type, ...]:
    return getattr(sqlite3, cls), getattr(_cipher(), cls)


def _both_errors(cls: str) -> tuple[type[BaseException], ...]:
    return _both(cls)  # type: ignore[return-value]  # the drivers' error classes, by name


_BOTH_DRIVERS = {"ERRORS": "Error", "DATABASE_ERRORS": "DatabaseError", "OPERATIONAL_ERRORS": "OperationalError",
                 "CONNECTIONS": "Connection"}


def __getattr__(name: str) -> Any:
    """ERRORS, DATABASE_ERRORS, OPERATIONAL_ERRORS, CONNECTIONS: the class of both drivers (loads sqlcipher3)."""
    if name == "sqlcipher":
        return _cipher()
    if name in _BOTH_DRIVERS:
        value = globals()[name] = _both(_BOTH_DRIVERS[name])
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _uri(path: Path, mode: str) -> str:
    # as_uri escapes '#', '%' and '?' (legal in folder names) so the URI names this very file.
    return f"{Path(path).resolve().as_uri()}?mode={mode}"


def connect_file(path: str | Path, *, read_only: bool = False, must_exist: bool = False,
                 timeout: float = 5.0, check_same_thread: bool = True, key: Any = _SAME_KEY) -> sqlite3.Connection:
    """A raw DB-API connection to the database file `path`.

    read_only: the file is opened for reading only (never created). must_exist: read-write, but a missing file
    is an error instead of a new empty database. timeout: seconds a statement waits for another writer
    (sqlite3's own default). key: the file's SQLCipher key; by default the one this process unlocked for
    `path` (none for a plain file).
    """
    mode = "ro" if read_only else "rw" if must_exist else "rwc"
    key = key_for(path) if key is _SAME_KEY else key
    module: Any = sqlite3 if key is None else _cipher()
    conn = module.connect(_uri(Path(path), mode), timeout=timeout, check_same_thread=check_same_thread, uri=True,
                          factory=held_files.connection_class(module))
    if key is not None:
        apply_key(conn, key)
    held_files.hold(conn, path, encrypted=key is not None)  # its locks outlive any read of the file's bytes
    return conn  # type: ignore[no-any-return]


def is_raw_connection(source: object) -> TypeIs[sqlite3.Connection]:
    """A DB-API connection of either driver (sqlite3's or SQLCipher's), not an ORM session."""
    return isinstance(source, sqlite3.Connection) or is_cipher_connection(source)


def apply_key(conn: Any, key: bytes) -> None:
    """The first statement on a SQLCipher connection: the raw key (no passphrase derivation: the key is already
    256 random bits) and SQLCipher 4's settings, whatever a later SQLCipher's defaults become."""
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("PRAGMA cipher_compatibility = 4")


def is_cipher_connection(conn: object) -> bool:
    cipher = sys.modules.get(_CIPHER_MODULE)  # not loaded: no connection of it exists
    return cipher is not None and isinstance(conn, cipher.Connection)


def connect_memory(*, check_same_thread: bool = True) -> sqlite3.Connection:
    """A private in-memory database (a snapshot being checked or written into a backup)."""
    return sqlite3.connect(":memory:", check_same_thread=check_same_thread)


def read_only_connection(path: str | Path) -> sqlite3.Connection:
    """A connection that only reads (query_only), waiting for a writer like the app's own connections."""
    conn = connect_file(path)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA query_only = ON")
    return conn


def file_revision(path: Path) -> str | None:
    """The schema revision stored in a file; None for an empty new file."""
    conn = connect_file(path, read_only=True)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return None
        if "alembic_version" not in tables:
            raise DatabaseError(f"Tệp {path.name} không phải cơ sở dữ liệu của phần mềm này.")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is None and tables - {"alembic_version"}:  # tables, but no record of their schema
            raise DatabaseError(f"Tệp {path.name} có dữ liệu nhưng không rõ phiên bản lược đồ: không mở được.")
        return row[0] if row else None
    except _both_errors("DatabaseError") as exc:
        from khoi_desktop.core.keyslots.keyfile import has_keyfile

        if key_for(path) is None and has_keyfile(path):
            raise DatabaseError(f"Tệp dữ liệu {path.name} được mã hóa: cần đăng nhập bằng một tài khoản của phần mềm "
                                "để mở.", code="encrypted") from exc
        from khoi_desktop.core.faults import known_fault

        fault = known_fault(exc, path.name)  # a full disk or a damaged page is not "not SQLite"
        if fault is not None and fault.code != "database_damaged":
            raise fault from exc
        raise DatabaseError(f"Tệp {path.name} không phải tệp dữ liệu của phần mềm (không đọc được như một cơ sở "
                            "dữ liệu SQLite: tệp khác, hoặc tệp bị hỏng).") from exc
    finally:
        conn.close()


def _set_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    # Let SQLAlchemy's own BEGIN frame every transaction (pysqlite's implicit one skips DDL).
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA synchronous = FULL")  # a committed change survives a power cut
    if is_cipher_connection(dbapi_conn):
        # SQLCipher decrypts every page its cache misses (a plain file's pages come from the system's cache
        # at the cost of a copy): a larger cache of decrypted pages keeps searches and lists near the plain
        # file's speed (issue 15: 100 searches at scale 20 took 2,4x the plain file's time). The pool keeps the
        # connection, and SQLite keeps its cache from one read transaction to the next while nothing is written.
        cursor.execute(f"PRAGMA cache_size = {-CIPHER_CACHE_KIB}")
    cursor.close()


def _begin(conn: object) -> None:
    # Writers take the lock up front, so two processes queue instead of failing mid-way.
    immediate = conn.get_execution_options().get("sqlite_immediate", False)  # type: ignore[attr-defined]
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")  # type: ignore[attr-defined]


def make_engine(path: Path) -> Engine:
    from sqlalchemy import URL, create_engine, event

    # The URL names the file (SQLAlchemy pools a file's connections, not a memory database's); the
    # connections themselves come from connect_file.
    url = URL.create("sqlite", database=str(path))
    # hide_parameters: a fault's log line must not carry the names and birth dates it was writing.
    # An encrypted file's engine speaks sqlcipher3 (module=): SQLAlchemy wraps that driver's errors, not
    # sqlite3's. Its key is the one unlocked when the engine is made.
    key = key_for(path)
    module = {"module": _cipher()} if key is not None else {}
    engine = create_engine(url, creator=lambda: connect_file(path, check_same_thread=False, key=key),
                           hide_parameters=True, **module)
    event.listen(engine, "connect", _set_pragmas)
    event.listen(engine, "begin", _begin)
    return engine


def writer_options() -> dict[str, object]:
    """Execution options of a writing transaction: take the write lock at BEGIN."""
    return {"sqlite_immediate": True}


def is_busy(exc: DBAPIError) -> bool:
    """SQLite's 'database is locked' / 'busy': another connection holds the write lock."""
    text = str(exc.orig).lower()
    return "locked" in text or "busy" in text


def backup_copy(source: Path, target: Path) -> None:
    """Consistent copy with SQLite's online backup, from a dedicated connection."""
    src = connect_file(source, must_exist=True)
    dst = connect_file(target, key=key_for(source))  # an encrypted file's copy aside is encrypted the same
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    if key_for(source) is not None:
        from khoi_desktop.core.keyslots.keyfile import copy_keyfile

        copy_keyfile(source, target)


def write_encrypted(image: bytes, target: Path, key: bytes) -> None:
    """A new encrypted file `target` holding the SQLite file image `image` (a backup's content): read from
    memory, so the plaintext never reaches the disk."""
    from khoi_desktop.core.backup.snapshot import open_in_memory

    src = open_in_memory(image)
    dst = connect_file(target, key=key)
    try:
        copy_rows(src, dst)
    finally:
        dst.close()
        src.close()


def copy_rows(src: Any, dst: Any) -> None:
    """Copy a whole database from one connection to another of the other driver (an encrypted file into a plain
    in-memory database for a backup, a backup's image into an encrypted file): SQLite's online backup only
    copies pages between databases of the same encryption. `src` is read in one transaction (a consistent
    state); `dst` must be empty. Tables first, their rows, then indexes, triggers and views (no trigger fires).
    A virtual table (the FTS5 index member_fts) is made anew and its shadow tables' rows copied."""
    src.isolation_level = None
    dst.isolation_level = None
    src.execute("BEGIN")
    try:
        for pragma in ("page_size", "auto_vacuum"):
            dst.execute(f"PRAGMA {pragma} = {int(src.execute(f'PRAGMA {pragma}').fetchone()[0])}")
        objects = src.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
                              "ORDER BY rowid").fetchall()
        dst.execute("BEGIN")
        for kind, name, sql in objects:
            if kind != "table" or name.startswith("sqlite_"):
                continue
            quoted = '"' + name.replace('"', '""') + '"'
            if sql.upper().startswith("CREATE VIRTUAL TABLE"):  # member_fts: its rows are in its shadow tables
                dst.execute(sql)
                continue
            if dst.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone():
                dst.execute(f"DELETE FROM {quoted}")  # a shadow table its virtual table made: the source's rows
            else:
                dst.execute(sql)
            rows = src.execute(f"SELECT * FROM {quoted}")
            marks = ", ".join("?" * len(rows.description))
            dst.executemany(f"INSERT INTO {quoted} VALUES ({marks})", rows)
        if any(name == "sqlite_sequence" for _kind, name, _sql in objects):
            dst.execute("DELETE FROM sqlite_sequence")
            dst.executemany("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)",
                            src.execute("SELECT name, seq FROM sqlite_sequence"))
        for kind, name, sql in objects:
            if kind != "table" and not name.startswith("sqlite_"):
                dst.execute(sql)
        for pragma in ("user_version", "application_id"):
            dst.execute(f"PRAGMA {pragma} = {int(src.execute(f'PRAGMA {pragma}').fetchone()[0])}")
        dst.execute("COMMIT")
    except BaseException:
        if dst.in_transaction:
            dst.execute("ROLLBACK")
        raise
    finally:
        src.execute("ROLLBACK")


def export_encrypted(source: Path, target: Path, key: bytes) -> None:
    """A new encrypted file `target` with everything of the plain file `source` (SQLCipher's sqlcipher_export:
    schema, rows, page by page in C). `source` must be a single file (no -wal)."""
    conn = _cipher().connect(_uri(source, "ro"), uri=True)  # the plain file, read through the SQLCipher driver
    try:
        conn.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(target),))
        conn.execute("SELECT sqlcipher_export('encrypted')")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()


def single_file(path: Path, timeout: float = 2.0) -> None:
    """Fold the -wal into the file and leave WAL mode (needs the only connection: nobody else has it open).
    Raises the driver's OperationalError ("database is locked") when another program holds the file."""
    conn = connect_file(path, must_exist=True, timeout=timeout)
    try:
        conn.execute("PRAGMA journal_mode = DELETE").fetchone()
    finally:
        conn.close()


# SQLCipher 4's page layout (its defaults, which apply_key pins with cipher_compatibility = 4): the first 16 bytes
# of page 1 are the file's salt; each page ends with a reserve of its 16-byte IV and 64-byte HMAC-SHA512.
_SALT, _IV, _RESERVE = 16, 16, 80
SQLITE_HEADER = b"SQLite format 3\x00"


# Pages read and decrypted at a time (4 MiB at SQLCipher's 4 KiB page): the next piece is read while one is decrypted.
CHUNK_PAGES = 1024


def _uninitialised(size: int) -> bytearray:
    """A bytearray of `size` bytes whose memory is not written first. bytearray(size) zero-fills it, page by page
    (≈ 0.14 s of page faults at scale 20, on the thread that asks, before a byte is read); untouched, each page is
    faulted in by the read that fills it, on the reading thread. The caller writes every byte before using it."""
    try:
        import ctypes

        make = ctypes.PYFUNCTYPE(ctypes.py_object, ctypes.c_char_p, ctypes.c_ssize_t)(
            ("PyByteArray_FromStringAndSize", ctypes.pythonapi))
        made = make(None, size)
    except (ImportError, AttributeError, OSError):  # no ctypes, or no Python C API to call: zero-filled then
        return bytearray(size)
    assert isinstance(made, bytearray) and len(made) == size
    return made


def _consistent_pages(source: Path, key: bytes, decrypt: Callable[[Path, int], bytearray]) -> bytearray:
    """decrypt(file, page size) of the encrypted file's bytes as of one committed state.

    Fast path: fold the -wal into the file (TRUNCATE checkpoint), then hold the write lock while the file is
    read: no writer can change it meanwhile and the -wal stays empty. When another connection keeps the -wal
    from being emptied, SQLite's online backup copies the pages instead, still encrypted with the same key,
    into a temporary file beside `source` (slower: every page is decrypted and encrypted again)."""
    import tempfile

    conn = connect_file(source, must_exist=True, key=key, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.isolation_level = None
    try:
        page_size = int(conn.execute("PRAGMA cipher_page_size").fetchone()[0])
        wal = source.with_name(source.name + "-wal")
        for _attempt in range(3):
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            conn.execute("BEGIN IMMEDIATE")
            try:
                if not wal.exists() or wal.stat().st_size == 0:
                    return decrypt(source, page_size)
            finally:
                conn.execute("ROLLBACK")
        handle, name = tempfile.mkstemp(prefix=f".{source.name}.", suffix=".snapshot.tmp", dir=source.parent)
        os.close(handle)
        copy = Path(name)
        try:
            dst = connect_file(copy, key=key)
            try:
                dst.execute("PRAGMA journal_mode = OFF").fetchone()  # a throw-away file: no journal, no fsync
                dst.execute("PRAGMA synchronous = OFF")
                conn.backup(dst)
            finally:
                dst.close()
            return decrypt(copy, page_size)
        finally:
            copy.unlink(missing_ok=True)
    finally:
        conn.close()


def _incomplete() -> DatabaseError:
    return DatabaseError("Bản chụp tệp mã hóa không trọn trang: không sao lưu được.", code="snapshot_failed")


def _decrypted_file(path: Path, page_size: int, key: bytes) -> bytearray:
    """The plain image of the SQLCipher 4 file `path` (unchanging meanwhile), read and decrypted in memory.

    A reader thread reads the file piece by piece (CHUNK_PAGES pages) into the image's buffer while this thread
    decrypts the pieces already read, where they lie (AES-256-CBC at AES-NI speed, the GIL released): the read
    and its page faults overlap the decryption. Each piece is one CBC pass from its first page's IV (in that
    page's reserve): inside a page each block is chained to the ciphertext block before it, as SQLCipher
    encrypted it; only the first block of every other page of the piece is chained to that page's IV instead of
    the 16 bytes before it, and is XORed afterwards with both (taken before they are decrypted), all the
    piece's blocks at once as one integer. The 80 reserved bytes of each page are zeroed.
    """
    import queue
    import threading

    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    size = os.stat(path).st_size
    if size <= 0 or size % page_size:
        raise _incomplete()
    image = _uninitialised(size + _IV)  # the room a cipher writing where it reads needs at the end
    end = page_size - _RESERVE
    step = page_size * CHUNK_PAGES
    pieces = [(start, min(start + step, size)) for start in range(0, size, step)]
    read: queue.SimpleQueue[int | BaseException] = queue.SimpleQueue()
    stop = threading.Event()
    blank = bytes(_RESERVE)
    with memoryview(image) as whole:
        def reading() -> None:
            try:
                for start, stop_at in pieces:
                    if stop.is_set():
                        return
                    # Through the descriptor kept beside this process's connections: never close()s one (locks).
                    with whole[start:stop_at] as piece:
                        done = held_files.read_at(path, stop_at - start, start, into=piece)
                    if done != stop_at - start:
                        raise _incomplete()
                    read.put(stop_at)
            except BaseException as exc:  # handed to the decrypting thread
                read.put(exc)

        reader = threading.Thread(target=reading, name="decrypt-read", daemon=True)
        reader.start()
        try:
            read_to = 0
            for start, stop_at in pieces:
                # The next piece read first: the cipher's output room (16 bytes past this one) is not being read into.
                while read_to < min(stop_at + _IV, size):
                    got = read.get()
                    if isinstance(got, BaseException):
                        raise got
                    read_to = got
                first = start or _SALT  # page 1's first 16 bytes are the salt, not encrypted
                later = range(start + page_size, stop_at, page_size)
                chained = b"".join([image[page - _IV:page] for page in later])
                ivs = b"".join([image[page + end:page + end + _IV] for page in later])
                decryptor = Cipher(algorithms.AES(key), modes.CBC(bytes(image[start + end:start + end + _IV]))
                                   ).decryptor()
                with whole[first:stop_at] as encrypted, whole[first:stop_at + _IV] as room:
                    written = decryptor.update_into(encrypted, room)
                decryptor.finalize()
                if written != stop_at - first:
                    raise DatabaseError("Bản chụp tệp mã hóa không trọn khối: không sao lưu được.",
                                        code="snapshot_failed")
                if later:
                    decrypted = b"".join([image[page:page + _IV] for page in later])
                    fixed = (int.from_bytes(decrypted, "big") ^ int.from_bytes(chained, "big")
                             ^ int.from_bytes(ivs, "big")).to_bytes(len(decrypted), "big")
                    with memoryview(fixed) as blocks:
                        for i, page in enumerate(later):
                            image[page:page + _IV] = blocks[i * _IV:(i + 1) * _IV]
                for page in range(start, stop_at, page_size):
                    image[page + end:page + page_size] = blank
        finally:
            stop.set()
            reader.join()
    del image[size:]
    image[:len(SQLITE_HEADER)] = SQLITE_HEADER
    if image[20] != _RESERVE:  # the header's "reserved bytes per page": not SQLCipher 4's layout
        raise DatabaseError("Không đọc được bản chụp tệp mã hóa (cấu trúc trang khác SQLCipher 4).",
                            code="snapshot_failed")
    image[18:20] = b"\x01\x01"  # a rollback-journal image: SQLite reads no WAL file's image from memory
    return image


def decrypted_image(source: Path, key: bytes) -> bytearray:
    """A consistent plain image (a SQLite file's bytes) of the encrypted file `source`, in memory only.

    The encrypted pages of one committed state (_consistent_pages) are decrypted here (_decrypted_file), with
    each page's IV, as SQLCipher itself does with a raw key: nothing plain touches the disk. The image keeps
    SQLCipher's 80 reserved bytes a page (zeroed), which SQLite reads as any reserve. Checked by the caller
    (integrity_check) like every snapshot.
    """
    return _consistent_pages(source, key, lambda path, page_size: _decrypted_file(path, page_size, key))
