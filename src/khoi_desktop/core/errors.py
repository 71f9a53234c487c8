"""One family of expected errors; each carries a Vietnamese message fit to show a clerk."""

from __future__ import annotations

import errno
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the window's first frame imports this module: no json or datetime for it (bench/start.py)
    import datetime as dt
    from pathlib import Path


class KhoiError(Exception):
    """An expected refusal: the message says what to fix; nothing was changed."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code

    @property
    def problem(self) -> tuple[str, str]:
        """(code, message): one line of a RequestRefused."""
        return self.code, self.message


class ValidationError(KhoiError):
    code = "invalid"


class NotFoundError(KhoiError):
    code = "not_found"


class DatabaseError(KhoiError):
    code = "database"


class RequestRefused(ValidationError):
    """A request with one or more problems; `problems` is a list of (code, Vietnamese message)."""

    code = "refused"

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("\n".join(message for _, message in problems), code=problems[0][0] if problems else None)
        self.problems = problems

    @classmethod
    def of(cls, errors: list[KhoiError]) -> RequestRefused:
        return cls([error.problem for error in errors])


def _as_of(day: dt.date | None) -> str:
    return f" (tính đến ngày {day:%d/%m/%Y})" if day is not None else ""


class OrgNotFound(NotFoundError):
    """No organization with this code (on this day, when one is given)."""

    code = "org_not_found"

    def __init__(self, org_code: str | int, *, on: dt.date | None = None, hint: str = "") -> None:
        ref = f"số {org_code}" if isinstance(org_code, int) else f"mã {org_code}"  # an id, or the clerk's code
        # hint: core/code_hints.py, which codes the text fits when it was a name or a code in lower case
        super().__init__(f"Không có tổ chức đảng {ref}{_as_of(on)}.{hint}")
        self.org_code = org_code


class MemberNotFound(NotFoundError):
    code = "member_not_found"

    def __init__(self, member_code: str, *, hint: str = "") -> None:
        super().__init__(f"Không có đảng viên mã {member_code}.{hint}")
        self.member_code = member_code


class DecisionNotFound(NotFoundError):
    code = "decision_not_found"

    def __init__(self, ref: str) -> None:
        super().__init__(f"Không có quyết định «{ref}».")
        self.ref = ref


class FieldMissing(ValidationError):
    """A required field of a request or form left out; `field` is its Vietnamese name."""

    code = "invalid_request"

    def __init__(self, field: str) -> None:
        super().__init__(f"Chưa có {field}.")
        self.field = field


class FieldInvalid(ValidationError):
    """A field of a request or form with a value of the wrong shape; `expected` says what it should be."""

    code = "invalid_request"

    def __init__(self, field: str, value: object, expected: str) -> None:
        import json

        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
        if len(shown) > 60:
            shown = shown[:59] + "…"
        super().__init__(f"{field[:1].upper()}{field[1:]} «{shown}» không hợp lệ: {expected}.")
        self.field = field
        self.value = value


class UnknownField(ValidationError):
    """A field the request's form does not have (a typing mistake in a JSON file, most often)."""

    code = "invalid_request"

    def __init__(self, key: str, where: str = "") -> None:
        super().__init__(f"Trường «{key}»{f' của {where}' if where else ''} không có trong mẫu yêu cầu.")
        self.key = key


class FileMissing(ValidationError):
    code = "file_not_found"

    def __init__(self, path: object) -> None:
        super().__init__(f"Không tìm thấy tệp {path}.")
        self.path = path


class DatabaseMissing(DatabaseError):
    code = "file_not_found"

    def __init__(self, path: object) -> None:
        super().__init__(f"Không tìm thấy tệp cơ sở dữ liệu: {path}")
        self.path = path


_NO_ACCESS = "không có quyền ghi (thư mục chỉ cho đọc, hoặc tệp đang mở trong một chương trình khác)"
_OS_REASONS = {
    errno.ENOENT: "không có thư mục hoặc ổ đĩa này (ổ USB đã rút, ổ mạng mất kết nối, hay gõ nhầm đường dẫn?)",
    errno.EISDIR: "đây là một thư mục, hãy ghi cả tên tệp",
    errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
    errno.EACCES: _NO_ACCESS,
    errno.EPERM: _NO_ACCESS,
    errno.EROFS: "ổ đĩa chỉ cho đọc (USB, thẻ nhớ bị khóa ghi, hoặc đĩa CD)",
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.ENAMETOOLONG: "tên tệp hoặc đường dẫn quá dài",
    errno.EINVAL: "tên tệp có ký tự không được phép",
}


def os_reason(error: OSError) -> str:
    """Why the system refused a file, in Vietnamese: its own words («Permission denied», «Is a directory») are
    English."""
    return _OS_REASONS.get(error.errno or 0) or error.strerror or str(error)


class FileUnwritable(ValidationError):
    """A file that could not be written; `excel` adds the usual cause of a workbook kept open."""

    code = "write_failed"

    def __init__(self, path: object, error: OSError, *, excel: bool = False) -> None:
        hint = " Tệp có đang mở trong Excel?" if excel else ""
        super().__init__(f"Không ghi được tệp {path}: {os_reason(error)}.{hint}")
        self.path = path


class PdfNotRendered(KhoiError):
    """The decision's PDF could not be made: it is not issued (an issued decision always keeps its PDF)."""

    code = "pdf_not_rendered"

    def __init__(self, error: Exception) -> None:
        super().__init__(f"Không tạo được văn bản PDF của quyết định ({type(error).__name__}). Quyết định chưa "
                         "được ban hành và không có gì bị thay đổi; hãy thử lại. Nếu vẫn lỗi, hãy báo người quản "
                         "trị kèm tệp nhật ký.")
        self.error = error


def refuse_folder(path: Path, what: str, example: str) -> None:
    """A folder given where a file is expected («stats D:\\KhoiData», or «stats ""», the current folder): said
    so (is_directory), with the files of that kind the folder holds, instead of «file not found»."""
    from pathlib import Path

    if not path.is_dir():
        return
    shown = f"«{path}» (thư mục hiện tại, {Path.cwd()})" if str(path) == "." else str(path)
    try:
        inside = sorted(child.name for child in path.glob("*" + Path(example).suffix) if child.is_file())
    except OSError:  # a folder that cannot be listed
        inside = []
    if len(inside) == 1:
        hint = f"ví dụ {path / inside[0]} (tệp {Path(example).suffix} có trong thư mục này)"
    elif inside:
        hint = f"trong thư mục này có: {', '.join(inside[:5])}{', …' if len(inside) > 5 else ''}"
    else:
        hint = f"ví dụ {path / example}"
    raise ValidationError(f"{shown} là một thư mục, không phải {what}: hãy ghi cả tên tệp, {hint}.",
                          code="is_directory")
