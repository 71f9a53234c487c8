"""What each role may do, checked in core at every write entry point (the GUI only hides what is refused).

`require(session, permission)` reads the session's user (core.auth.current); no user = the system or the
administrator's command line, which may do everything.
"""

from __future__ import annotations

import enum
from typing import Any

from khoi_desktop.core.auth.current import CurrentUser, Role, current_user
from khoi_desktop.core.errors import KhoiError


class Permission(enum.StrEnum):
    READ = "read"  # look, search, statistics, exports, print issued decisions
    VIEW_DRAFTS = "view_drafts"  # open a draft decision (its text is not final)
    DRAFT_ISSUE = "draft_issue"  # draft, edit, discard and issue decisions (restructuring, appointments)
    IMPORT = "import"  # import members from a spreadsheet
    MEETINGS = "meetings"  # record chi bộ meetings, import their monthly returns
    RATINGS = "ratings"  # enter and import the yearly quality ratings
    BACKUP = "backup"  # make a backup on demand, list backups
    RESTORE = "restore"  # replace the data with a backup
    SETTINGS = "settings"  # issuing-body, backup and sign-in settings
    TEMPLATES = "templates"  # decision wording templates
    MANAGE_USERS = "manage_users"  # create, disable, reset accounts
    AUDIT = "audit"  # read, check and export the audit trail

    @property
    def label(self) -> str:
        return PERMISSION_LABELS[self]


PERMISSION_LABELS = {
    Permission.READ: "xem và tìm kiếm dữ liệu",
    Permission.VIEW_DRAFTS: "xem dự thảo quyết định",
    Permission.DRAFT_ISSUE: "lập, sửa, hủy và ban hành quyết định",
    Permission.IMPORT: "nhập danh sách đảng viên từ bảng tính",
    Permission.MEETINGS: "ghi và nhập kết quả sinh hoạt chi bộ",
    Permission.RATINGS: "ghi và nhập kết quả xếp loại chất lượng hằng năm",
    Permission.BACKUP: "sao lưu dữ liệu",
    Permission.RESTORE: "khôi phục dữ liệu từ bản sao lưu",
    Permission.SETTINGS: "thay đổi cài đặt",
    Permission.TEMPLATES: "sửa mẫu văn bản",
    Permission.MANAGE_USERS: "quản lý tài khoản người dùng",
    Permission.AUDIT: "xem và kiểm tra nhật ký thay đổi",
}

_READER = frozenset({Permission.READ})
_CLERK = _READER | {Permission.VIEW_DRAFTS, Permission.DRAFT_ISSUE, Permission.IMPORT, Permission.BACKUP,
                      Permission.MEETINGS, Permission.RATINGS}
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CHI_XEM: _READER,
    Role.CHUYEN_VIEN: frozenset(_CLERK),
    Role.QUAN_TRI: frozenset(Permission),
    # Scheduled backups sign in with it (its password sits in the credential store of the task's Windows
    # user): whoever takes that password can make a backup and nothing else, not even read a name.
    Role.SAO_LUU: frozenset({Permission.BACKUP}),
}


class PermissionDenied(KhoiError):
    code = "permission_denied"


def allowed(user: CurrentUser | None, permission: Permission) -> bool:
    return user is None or permission in ROLE_PERMISSIONS[user.role]


def roles_with(permission: Permission) -> list[Role]:
    return [role for role in Role if permission in ROLE_PERMISSIONS[role]]


def require_user(user: CurrentUser | None, permission: Permission) -> None:
    """Refuse, with a message naming the action and the role, what the user's role does not allow."""
    if allowed(user, permission):
        return
    assert user is not None
    needed = " hoặc ".join(role.label for role in roles_with(permission))
    raise PermissionDenied(
        f"Tài khoản «{user.username}» (vai trò {user.role.label}) không được {permission.label}. "
        f"Việc này cần vai trò {needed}: hãy nhờ người có quyền thực hiện, hoặc đề nghị quản trị cấp quyền.")


def require(session: Any, permission: Permission) -> None:
    """The check at a core entry point: the session's user must hold `permission`."""
    require_user(current_user(session), permission)
