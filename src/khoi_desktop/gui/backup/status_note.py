"""The status-bar note about the last successful backup; a warning after a week without one."""

from __future__ import annotations

import datetime as dt

from khoi_desktop.core.backup.describe import show_time

WARN_AFTER = dt.timedelta(days=7)
WARNING_STYLE = "color: #b3261e; font-weight: bold;"


def backup_note(last: dt.datetime | None, now: dt.datetime) -> tuple[str, bool]:
    """(text, is a warning)."""
    if last is None:
        return "⚠ Chưa có bản sao lưu nào: hãy chọn Sao lưu › Sao lưu ngay", True
    if now - last > WARN_AFTER:
        return f"⚠ Đã {(now - last).days} ngày chưa sao lưu (lần cuối {show_time(last)})", True
    return f"Sao lưu gần nhất: {show_time(last)}", False
