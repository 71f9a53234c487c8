"""The whole audit check, the same for the window and `verify-audit`: the trail (chain, anchor, seal), the
newest backup's anchor, and on request every row the trail vouches for (--deep). The Vietnamese lines and
problems are made here once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from khoi_desktop.core.audit_backups import BackupComparison
    from khoi_desktop.core.audit_check import AuditCheck
    from khoi_desktop.core.audit_deep import DeepCheck

DEEP_SHOWN = 20  # rows named in the text; the JSON keeps them all


@dataclass(frozen=True)
class AuditReport:
    check: AuditCheck
    backup: BackupComparison | None = None  # None: not compared
    deep: DeepCheck | None = None  # None: not asked
    problems: list[tuple[str, str]] = field(default_factory=list)  # (code, Vietnamese text)
    lines: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def intact(self) -> bool:
        return self.ok and self.check.sealed is True

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _describe(check: AuditCheck, backup: BackupComparison | None, deep: DeepCheck | None
              ) -> tuple[list[tuple[str, str]], list[str]]:
    lines = [check.summary if check.ok else f"Nhật ký thay đổi không còn nguyên vẹn. {check.message}"]
    problems = [] if check.ok else [("audit_broken", lines[0])]
    if backup is not None:
        if not backup.ok:
            problems.append((f"backup_{backup.status}", f"Đối chiếu với bản sao lưu: {backup.message}"))
            lines.append(problems[-1][1])
        else:
            lines.append(backup.message)
    if deep is not None:
        if deep.ok:
            lines.append(f"Kiểm tra sâu: {deep.rows} hàng dữ liệu (tổ chức, đảng viên, sinh hoạt, chức vụ cấp ủy, "
                         "quyết định) khớp mã băm ghi trong nhật ký.")
        else:
            shown = [p.message for p in deep.problems[:DEEP_SHOWN]]
            more = len(deep.problems) - len(shown)
            text = (f"Kiểm tra sâu: {len(deep.problems)} hàng dữ liệu bị thay đổi ngoài ứng dụng:\n- "
                    + "\n- ".join(shown) + (f"\n… và {more} hàng khác." if more > 0 else ""))
            problems.append(("rows_changed", text))
            lines.append(text)
    return problems, lines


def audit_report(session: Session, stem: str, *, backups: Path | None = None, compare_backups: bool = True,
                 deep: bool = False) -> AuditReport:
    """Check the trail of the open office (its file name's stem `stem` names its backups); compare it with the
    newest backup in `backups` (default: the configured backup folder and the folders of the backups the trail
    records) unless `compare_backups` is False; recompute every row's digest when `deep`."""
    from khoi_desktop.core.audit import verify_trail

    check = verify_trail(session)
    comparison = None
    if compare_backups:
        from khoi_desktop.core.audit_backups import backup_folders, compare_with_backups

        comparison = compare_with_backups(session, backups or backup_folders(session), stem)
    rows = None
    if deep:
        from khoi_desktop.core.audit_deep import deep_check

        rows = deep_check(session)
    problems, lines = _describe(check, comparison, rows)
    return AuditReport(check, comparison, rows, problems, lines)
