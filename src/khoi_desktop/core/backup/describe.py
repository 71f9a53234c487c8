"""How a backup is named to a clerk: date and time, size and counts, in Vietnamese."""

from __future__ import annotations

import datetime as dt

from khoi_desktop.core.backup.manifest import Manifest
from khoi_desktop.core.stats import thousands
from khoi_desktop.core.text import show_date


def show_time(moment: dt.datetime) -> str:
    return f"{show_date(moment.date())} {moment:%H:%M}"


def show_size(size: int) -> str:
    """'856 KB', '12,4 MB' (decimal comma, as Vietnamese write it)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


def decisions_text(manifest: Manifest) -> str:
    """'11 đã ban hành, 1 đã ghi nhận, 1 dự thảo' as the decisions list counts them (a recorded decision, signed by
    another body, is not one this office issued); an older backup's row count."""
    if manifest.issued is None or manifest.drafts is None:
        return thousands(manifest.decisions)
    if manifest.recorded is None:  # a backup that did not count the recorded apart
        return f"{thousands(manifest.issued)} đã ban hành hoặc ghi nhận, {thousands(manifest.drafts)} dự thảo"
    return (f"{thousands(manifest.issued - manifest.recorded)} đã ban hành, {thousands(manifest.recorded)} đã ghi "
            f"nhận, {thousands(manifest.drafts)} dự thảo")


def counts_text(manifest: Manifest) -> str:
    if manifest.issued is None or manifest.drafts is None:  # an older backup: its decision rows
        decisions = f"{thousands(manifest.decisions)} quyết định"
    elif manifest.recorded is None:
        decisions = (f"{thousands(manifest.issued)} quyết định đã ban hành hoặc ghi nhận, "
                     f"{thousands(manifest.drafts)} dự thảo")
    else:  # as the decisions list counts them
        decisions = (f"{thousands(manifest.issued - manifest.recorded)} quyết định đã ban hành, "
                     f"{thousands(manifest.recorded)} đã ghi nhận, {thousands(manifest.drafts)} dự thảo")
    return f"{thousands(manifest.organizations)} tổ chức, {thousands(manifest.members)} đảng viên, {decisions}"


def contents_text(manifest: Manifest) -> str:
    """What a backup holds said as what it is, for a clerk who compares it with the status bar: its rows (more than
    the bar counts) and its decisions as the decisions list counts them."""
    return f"{rows_text(manifest)}; quyết định: {decisions_text(manifest)}"


def origin_text(manifest: Manifest) -> str:
    return (f"tạo lúc {show_time(manifest.created_at)} bởi phiên bản {manifest.app_version} "
            f"(lược đồ {manifest.schema_revision})")


def summary(manifest: Manifest) -> str:
    return f"{origin_text(manifest)}; {counts_text(manifest)}"


def rows_text(manifest: Manifest) -> str:
    """The manifest's counts said as what they are, beside a `stats` count of the same office: its rows, the
    organizations that have ended and the members who have left included."""
    return (f"{thousands(manifest.organizations)} tổ chức và {thousands(manifest.members)} đảng viên trong hồ sơ, "
            "kể cả tổ chức đã giải thể, sáp nhập và đảng viên đã chuyển đi, từ trần, ra khỏi Đảng")
