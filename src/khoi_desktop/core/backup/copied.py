"""A server office's backup content: its tables as COPY text lines written by the server, not an SQLite image.

Every table's rows are spelled by the server in one consistent state (REPEATABLE READ, read only; READERS
connections reading side by side in the first one's exported snapshot), each value as SQLite stores it in an
office file and each line as COPY's text format writes it (engines/postgres.copy_text_statement), a couple of
thousand lines joined into one value: no row becomes a Python object, the client only hashes and compresses
what comes. After the tables, one line of JSON says what the content holds (DIRECTORY_KIND, the schema
revision, each table's columns, rows and bytes). A derived table (LEFT_OUT: member_words, the word index of
the members' search keys) is not in it: the reader makes it again from the members. Built this way because
the copy into an SQLite image it replaces (transfer.server_image) spent most of its time inserting 3 million
rows one by one in Python.

Such a backup restores like any other: the reader makes the SQLite image of it (image_of_copy: the office's
schema at the backup's revision, the lines parsed into its tables, a table left out made again from them,
the indexes and the search index built once), then proves the image holds exactly what the server wrote:
SQLite spells the image's rows as the same lines (engines/postgres.copy_lines) and their SHA-256 must be the
manifest's. Everything after (structure and foreign-key checks, counts against the manifest, the audit
anchor, a restore into a file or into an empty server) is what a file office's backup goes through.

The checks a file's backup runs before it is written (quick_check, foreign_key_check) are the server's own
here: it enforces every foreign key and keeps its pages itself; a broken image would show at the reader's
proof above.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import queue
import re
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

import zstandard

from khoi_desktop.core.backup import codec
from khoi_desktop.core.backup.errors import damaged
from khoi_desktop.core.backup.manifest import audit_anchor, count_decisions, count_rows

KIND = "copy"  # Manifest.content_kind of such a backup ("sqlite": an SQLite image, every other backup)
DIRECTORY_KIND = "khoi-copy-1"
BATCH = 20_000
# Tables made from others, left out of the content and made again by the reader (core/member_words.fill_words):
# member_words was 0.4 s of the server's 3 s at scale 20. A content made before holds it: read as it is.
LEFT_OUT = frozenset({"member_words"})
READERS = 3  # connections reading side by side (the server spells the rows: its CPU); 3 measured 10-20 % faster than 2
# Each reader's transaction: on one core, no parallel workers (the readers already run side by side), no JIT
# compiled a statement (measured: a quarter less of the server's CPU on the largest table); dates as YYYY-MM-DD
# (engines/postgres._server_copy_text); a range's lines sorted in memory (audit_rows, a single range of 340,000
# lines at scale 20, and member_words, keyed by text, were sorted on disk past the default 4 MB).
READER_SETTINGS = ("SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0; "
                   "SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL work_mem = '64MB'")


@dataclass(frozen=True)
class Copied:
    compressed: bytes
    sha256: str
    size: int
    revision: str
    counts: dict[str, int]  # organizations, members, decisions, issued, drafts
    anchor: dict[str, Any] | None


def _estimated_rows(raw: Any, tables: list[Any]) -> list[float]:
    """The planner's row estimate of each table (the larger read first; progress): no count(*) of each."""
    names = [table.name for table in tables]
    found = dict(raw.execute("SELECT c.relname, greatest(c.reltuples, 0) FROM pg_class c "
                             "WHERE c.relname = ANY(%s) AND c.relnamespace = current_schema()::regnamespace",
                             (names,)).fetchall())
    return [float(found.get(name, 0)) for name in names]


def _read(source: Any, table: Any) -> tuple[list[bytes], int]:
    """One table's COPY text lines as the server spells them (engines/postgres.copy_text_statement), in
    pieces of whole lines, each without its last newline; and their count.

    Each range comes with its text's backslashes escaped only: one holding more tabs or newlines than its
    rows and columns make, or a carriage return, or a field short (a NULL in a column NOT NULL), is read again
    with every escape (a value holding one of them: rare). Bytes for bytes what the statement with every
    escape gives: a value with no tab, newline nor carriage return is spelled alike by both."""
    from psycopg.types.string import ByteaBinaryLoader

    from khoi_desktop.core.engines.postgres import copy_text_statement

    tabs = len(table.columns) - 1
    raw: Any = source.connection.dbapi_connection
    pieces: list[bytes] = []
    count = 0
    with raw.cursor(binary=True) as cursor:
        # the text's UTF-8 bytes as they come (no bytea made of them on the server, no str on this side)
        cursor.adapters.register_loader("text", ByteaBinaryLoader)
        cursor.execute(copy_text_statement(table))
        for g, lines, short, value in sorted(cursor.fetchall(), key=lambda row: row[0]):
            if value is None:
                continue
            if (short or value.count(b"\n") != lines - 1 or value.count(b"\t") != lines * tabs
                    or b"\r" in value):
                cursor.execute(copy_text_statement(table, every_escape=True, only=True), (g,))
                _g, lines, short, value = cursor.fetchone()
            pieces.append(value)
            count += lines
    return pieces, count


def copy_server(db: Any, progress: Callable[[float], None] | None = None,
                leave_out: frozenset[str] = LEFT_OUT) -> Copied:
    """The content of the server office `db`'s backup (module docstring), compressed, with its facts.

    READERS connections read the tables side by side in one snapshot (the first one's, exported to the
    others: pg_export_snapshot), the largest tables first; this thread hashes and compresses each table's
    lines as soon as its read ends, in that order (the directory lists the tables in the content's order, and
    every reader follows it: the image is loaded without foreign keys, its indexes built after). In the
    schema's order this thread waited behind the largest reads, then had most of the content still to hash
    and compress after the last read: measured at scale 20 under load, 1.4-1.9 s after the reads before,
    0.4-1.0 s now."""
    from khoi_desktop.core.transfer import _tables, revision

    tables = [table for table in _tables() if table.name not in leave_out]
    hasher = hashlib.sha256()
    # zstd's workers compress beside this thread: the same frame codec.compress makes.
    compressor = zstandard.ZstdCompressor(level=codec.ZSTD_LEVEL, threads=-1).compressobj()
    parts: list[bytes] = []
    sizes = [0] * len(tables)
    rows = [0] * len(tables)
    order: list[int] = []  # the tables in the content's order: as their reads end
    with contextlib.ExitStack() as stack:
        sources: list[Any] = []
        for _reader in range(READERS):
            source = stack.enter_context(db.engine.connect().execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True))
            stack.enter_context(source.begin())
            if not sources:
                first: Any = source.connection.dbapi_connection
                snapshot = first.execute("SELECT pg_export_snapshot()").fetchone()[0]
            else:
                # the server's own id, as a literal: SET takes no parameter
                if not re.fullmatch(r"[0-9A-F-]+", snapshot):
                    raise ValueError(f"snapshot id {snapshot!r}")
                source.connection.dbapi_connection.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            source.connection.dbapi_connection.execute(READER_SETTINGS)
            sources.append(source)
        at = revision(sources[0]) or ""
        estimated = _estimated_rows(first, tables)
        total = max(1.0, sum(estimated))
        free: queue.Queue[Any] = queue.Queue()
        for source in sources:
            free.put(source)

        def read(table: Any) -> tuple[list[bytes], int]:
            source = free.get()
            try:
                return _read(source, table)
            finally:
                free.put(source)

        with ThreadPoolExecutor(max_workers=len(sources), thread_name_prefix="backup-read") as pool:
            by_size = sorted(range(len(tables)), key=lambda i: -estimated[i])
            jobs = {pool.submit(read, tables[i]): i for i in by_size}
            try:
                done = 0.0
                for job in as_completed(jobs):
                    index = jobs[job]
                    pieces, rows[index] = job.result()
                    order.append(index)
                    for piece in pieces:
                        for part in (piece, b"\n"):
                            hasher.update(part)
                            parts.append(compressor.compress(part))
                        sizes[index] += len(piece) + 1
                    done += estimated[index]
                    if progress is not None:
                        progress(min(1.0, done / total))
            finally:
                for job in jobs:
                    job.cancel()
        counts = {**count_rows(first), **count_decisions(first)}
        anchor = audit_anchor(first)
    directory = json.dumps({"kind": DIRECTORY_KIND, "revision": at, "tables": [
        {"name": table.name, "columns": [column.name for column in table.columns], "rows": rows[i], "size": sizes[i]}
        for i, table in ((i, tables[i]) for i in order)]}, sort_keys=True).encode() + b"\n"
    hasher.update(directory)
    parts.append(compressor.compress(directory))
    parts.append(compressor.flush())
    return Copied(b"".join(parts), hasher.hexdigest(), sum(sizes) + len(directory), at, counts, anchor)


# --- the SQLite image of such a content (a restore, a verify) ----------------------------------------------

_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|(.))", re.DOTALL)
_NULLABLE = "nullif(?, '\\N')"  # SQLite's text '\N' (no escapes in its literals) -> NULL
_ESCAPES_BESIDES_NULL = re.compile(r"\\[^N]")  # a line whose only backslashes are NULLs' \N
_ESCAPED = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def _unescaped(match: re.Match[str]) -> str:
    octal, hexadecimal, char = match.groups()
    if octal is not None:
        return chr(int(octal, 8))
    if hexadecimal is not None:
        return chr(int(hexadecimal, 16))
    return _ESCAPED.get(char, char)


def _field(value: str) -> str | None:
    """One field of a COPY text line: \\N is NULL, anything else has its backslash escapes undone."""
    if value == "\\N":
        return None
    return _ESCAPE.sub(_unescaped, value) if "\\" in value else value


def _directory(content: bytes, name: str) -> tuple[dict[str, Any], int]:
    end = content.rfind(b"\n", 0, len(content) - 1) + 1
    try:
        directory = json.loads(content[end:].decode("utf-8"))
        if directory.get("kind") != DIRECTORY_KIND or not isinstance(directory.get("tables"), list):
            raise ValueError(directory.get("kind"))
        for table in directory["tables"]:
            if not (isinstance(table["name"], str) and isinstance(table["columns"], list) and
                    int(table["rows"]) >= 0 and int(table["size"]) >= 0):
                raise ValueError(table)
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        raise damaged(name, "danh mục dữ liệu của máy chủ không đọc được") from None
    if sum(int(table["size"]) for table in directory["tables"]) != end:
        raise damaged(name, "danh mục dữ liệu của máy chủ khác với dữ liệu")
    return directory, end


def image_of_copy(content: bytes, revision: str, name: str) -> sqlite3.Connection:
    """The in-memory SQLite image (at `revision`) holding what the COPY content holds; refused as damaged
    when the image's rows, spelled again by SQLite, are not byte for byte the content.

    The caller has checked the content against the manifest's SHA-256 (reader.open_backup_bytes): a table
    spelled back equal to its part of the content is what the server wrote. Each table is proven as soon as
    it is loaded, against its text already decoded (no second copy of the whole content, no second hash)."""
    from khoi_desktop.core.engines.sqlite import connect_memory
    from khoi_desktop.core.engines.sqlite_search import insert_trigger_deferred
    from khoi_desktop.core.member_words import fill_words
    from khoi_desktop.core.schema import METADATA
    from khoi_desktop.core.transfer import _empty_image

    directory, end = _directory(content, name)
    if directory.get("revision") != revision:
        raise damaged(name, "phiên bản lược đồ khác với bảng kê")
    image = connect_memory(check_same_thread=False)
    try:
        _empty_image(image, revision)
        tables = []
        for entry in directory["tables"]:
            table = METADATA.tables.get(entry["name"])
            if table is None or [column.name for column in table.columns] != entry["columns"]:
                raise damaged(name, f"bảng «{entry['name']}» không khớp lược đồ {revision}")
            tables.append((table, entry))
        present = {row[0] for row in image.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        listed = {entry["name"] for entry in directory["tables"]}
        missing = sorted((present & METADATA.tables.keys()) - listed - LEFT_OUT)
        if missing or len(listed) != len(directory["tables"]):
            raise damaged(name, f"danh mục dữ liệu của máy chủ thiếu bảng «{', '.join(missing)}»" if missing
                          else "danh mục dữ liệu của máy chủ kể một bảng hai lần")
        made = sorted((present & LEFT_OUT) - listed)
        image.execute("BEGIN")
        try:
            indexes = image.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                                    "ORDER BY rowid").fetchall()
            for index_name, _sql in indexes:
                image.execute(f'DROP INDEX "{index_name}"')
            with insert_trigger_deferred(image.execute):
                start = 0
                for table, entry in tables:
                    size = int(entry["size"])
                    text = _load_table(image, table, content[start:start + size], int(entry["rows"]), name)
                    _prove(image, table, text, name)
                    start += size
            if "member_words" in made:
                fill_words(image)
            for _index_name, sql in indexes:
                image.execute(sql)
            image.execute("COMMIT")
        except BaseException:
            image.execute("ROLLBACK")
            raise
        image.isolation_level = "DEFERRED"  # the driver's own transactions, as server_image leaves it
    except BaseException:
        image.close()
        raise
    return image


def _prove(image: sqlite3.Connection, table: Any, text: str, name: str) -> None:
    """The proof: `table`'s rows in the image spelled as the server spelled them (engines/postgres.copy_lines),
    the same text as its lines in the content, else the image is refused as damaged."""
    from khoi_desktop.core.engines.postgres import copy_lines

    cursor = image.execute(copy_lines(table, newline=True))
    at = 0
    while batch := cursor.fetchmany(BATCH):
        spelled = "".join([line for (line,) in batch])
        if not text.startswith(spelled, at):
            break
        at += len(spelled)
    else:
        if at == len(text):
            return
    raise damaged(name, "dữ liệu dựng lại từ bản sao lưu của máy chủ khác với dữ liệu đã sao lưu")


def _load_table(image: sqlite3.Connection, table: Any, data: bytes, rows: int, name: str) -> str:
    """One table's COPY lines into `image`. A line without a backslash is split and inserted as it is, SQLite
    making \\N a NULL (nullif: a text \\N is spelled \\\\N); a line with one has its fields undone in Python
    (bytea's \\x… as bytes). Gives the table's text (for the proof)."""
    from sqlalchemy import LargeBinary

    if not rows and not data:
        return ""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise damaged(name, f"dữ liệu bảng «{table.name}» không đọc được") from None
    if not text.endswith("\n") and text:
        raise damaged(name, f"số dòng của bảng «{table.name}» khác với danh mục")
    columns = list(table.columns)
    width = len(columns)
    # Escaped characters never split a line or a field: every line's fields at once, split in one call.
    fields = text[:-1].replace("\n", "\t").split("\t") if text else []
    if len(fields) != rows * width or text.count("\n") != rows:
        raise damaged(name, f"số dòng hoặc số cột của bảng «{table.name}» khác với danh mục")
    whole = list(zip(*[iter(fields)] * width, strict=True))
    del fields
    binary = [i for i, column in enumerate(columns) if isinstance(column.type, LargeBinary)]
    names = ", ".join(f'"{column.name}"' for column in columns)
    # (a NOT NULL column's field is never \\N: no nullif there; a \\N stored as text would fail the proof)
    plain = f'INSERT INTO "{table.name}" ({names}) VALUES ' \
            f'({", ".join(_NULLABLE if column.nullable else "?" for column in columns)})'
    exact = f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" * len(columns))})'
    # The lines with an escape besides \\N: their fields undone here (a text \\N is no NULL).
    special = set()
    if _ESCAPES_BESIDES_NULL.search(text) is not None:
        special = {i for i, line in enumerate(text.split("\n")) if "\\" in line
                   and _ESCAPES_BESIDES_NULL.search(line) is not None}
    for begin in range(0, rows, BATCH):
        simple: list[Any] = whole[begin:begin + BATCH] if not special else []
        escaped: list[Any] = []
        for i in range(begin, min(rows, begin + BATCH)) if special else ():
            if i not in special:
                simple.append(whole[i])
                continue
            values: list[Any] = [_field(value) for value in whole[i]]
            for column in binary:
                value = values[column]
                if value is not None:
                    if not value.startswith("\\x"):
                        raise damaged(name, f"dữ liệu nhị phân của bảng «{table.name}» không đọc được")
                    try:
                        values[column] = bytes.fromhex(value[2:])
                    except ValueError:
                        raise damaged(name, f"dữ liệu nhị phân của bảng «{table.name}» không đọc được") from None
            escaped.append(values)
        try:
            if simple:
                image.executemany(plain, simple)
            if escaped:
                image.executemany(exact, escaped)
        except sqlite3.DatabaseError as exc:
            raise damaged(name, f"dữ liệu bảng «{table.name}» không nạp được ({exc})") from None
    return text
