"""Why a backup file is refused: each code has its own clear Vietnamese message."""

from __future__ import annotations

from khoi_desktop.core.errors import KhoiError

FOREIGN = "backup_foreign"
DAMAGED = "backup_damaged"
UNSUPPORTED = "backup_unsupported"
NEWER = "backup_newer"
PASSPHRASE_REQUIRED = "passphrase_required"
WRONG_PASSPHRASE = "wrong_passphrase"
UNHEALTHY = "database_unhealthy"
IN_USE = "database_in_use"


class BackupError(KhoiError):
    """A backup or restore refused; the current data is untouched. `findings`: what the checks found, when a
    backup was refused for them (UNHEALTHY)."""

    code = "backup"

    def __init__(self, message: str, *, code: str | None = None, findings: list[str] | None = None) -> None:
        super().__init__(message, code=code)
        self.findings = findings or []


def damaged(name: str, detail: str) -> BackupError:
    return BackupError(
        f"Bản sao lưu {name} bị hỏng ({detail}). Hãy dùng một bản sao lưu khác.", code=DAMAGED
    )


def foreign(name: str, detail: str = "") -> BackupError:
    extra = f" {detail}" if detail else ""
    return BackupError(f"Tệp {name} không phải bản sao lưu của phần mềm này.{extra}", code=FOREIGN)
