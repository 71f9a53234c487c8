"""Faults of the machine or the file, told in Vietnamese: a full disk, a damaged database file, a file
that cannot be written. The command line and the window show these as refusals (nothing was changed:
SQLite rolled the transaction back), not as "unexpected faults" with a raw English message."""

from __future__ import annotations

import errno

from sqlalchemy.exc import DBAPIError

from khoi_desktop.core.engines.sqlite import ERRORS
from khoi_desktop.core.errors import DatabaseError

DISK_FULL = "disk_full"
DAMAGED = "database_damaged"
READ_ONLY = "read_only"
IO = "io_error"


def _sqlite_message(exc: BaseException) -> str | None:
    if isinstance(exc, DBAPIError) and isinstance(exc.orig, ERRORS):
        return str(exc.orig).lower()
    if isinstance(exc, ERRORS):
        return str(exc).lower()
    return None


def known_fault(exc: BaseException, name: str = "") -> DatabaseError | None:
    """The Vietnamese refusal for a recognised fault of the disk or the file; None for anything else."""
    where = f"Tệp dữ liệu {name}" if name else "Tệp dữ liệu"
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return disk_full()
    lost = _server_lost(exc)
    if lost is not None:
        return lost
    text = _sqlite_message(exc)
    if text is None:
        return None
    if "disk is full" in text:
        return disk_full()
    if "malformed" in text or "not a database" in text or "file is encrypted" in text:
        return DatabaseError(f"{where} bị hỏng (SQLite báo: {text}). Không có gì bị thay đổi. Hãy khôi phục từ "
                             "bản sao lưu gần nhất (Tệp → Khôi phục).", code=DAMAGED)
    if "readonly" in text or "read-only" in text:
        return DatabaseError(f"{where} chỉ cho đọc: không ghi được. Hãy kiểm tra quyền ghi của tệp và thư mục.",
                             code=READ_ONLY)
    if "unable to open database file" in text:  # SQLite's English, and no disk error: most often a folder
        # that cannot be written (read-only, no permission, gone), as `demo`, `init` into such a folder
        return DatabaseError(f"{where} không mở hoặc tạo được: thư mục chứa tệp không có, chỉ cho đọc hoặc không có "
                             "quyền ghi (ổ USB bị khóa ghi, thư mục của người khác?). Không có gì bị thay đổi; hãy "
                             "chọn thư mục ghi được rồi thử lại.", code=IO)
    if "disk i/o error" in text:
        return DatabaseError(f"{where} không đọc hoặc ghi được (lỗi ổ đĩa: {text}). Không có gì bị thay đổi; "
                             "hãy kiểm tra ổ đĩa còn chỗ trống và không bị lỗi rồi thử lại.", code=IO)
    return None


def _server_lost(exc: BaseException) -> DatabaseError | None:
    """The server gone mid-command (stopped, restarted, the network cut) outside a writing transaction's own
    refusal (Database.writing): a read, a backup, a move to the server. The server rolls back whatever the
    connection had not committed."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return None
    if not isinstance(getattr(exc, "orig", exc), psycopg.Error):
        return None
    from khoi_desktop.core.engines.postgres import is_lost

    if not is_lost(exc):
        return None
    return DatabaseError("Mất kết nối tới máy chủ dữ liệu giữa chừng: máy chủ vừa dừng hoặc khởi động lại, hoặc "
                         "đường mạng bị ngắt. Lệnh chưa làm xong; phần chưa hoàn tất đã bị máy chủ hủy, không có gì "
                         "ghi dở. Hãy thử lại khi máy chủ trả lời.", code="server_lost")


def disk_full() -> DatabaseError:
    return DatabaseError("Ổ đĩa đã đầy: không ghi được. Không có gì bị thay đổi. Hãy giải phóng chỗ trống "
                         "(xóa tệp tạm, chuyển bớt bản sao lưu cũ sang ổ khác) rồi thử lại.", code=DISK_FULL)
