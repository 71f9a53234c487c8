"""Setting up a new office: its issuing-body settings and the current term of its committee."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.audit import record
from khoi_desktop.core.auth.permissions import Permission, require
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.models import Term
from khoi_desktop.core.settings import OfficeSettings, save_settings
from khoi_desktop.core.text import nfc, show_date

_TERM = re.compile(r"(\d{4})\s*[-–]\s*(\d{4})")


def parse_term(text: str) -> tuple[str, int, int]:
    """'2025 – 2030' -> ('2025-2030', 2025, 2030)."""
    match = _TERM.fullmatch(nfc(text))
    if not match or not 0 < int(match[2]) - int(match[1]) <= 6:
        raise ValidationError(f"Nhiệm kỳ «{text}» không hợp lệ: ghi theo dạng 2025-2030.", code="invalid_term")
    return f"{match[1]}-{match[2]}", int(match[1]), int(match[2])


def _require(settings: OfficeSettings) -> None:
    labels = {
        "superior_body": "cấp ủy cấp trên", "issuing_body": "tên cơ quan ban hành",
        "issuing_body_short": "tên ngắn của cơ quan", "standing_committee": "tên Ban Thường vụ",
        "issuer_code": "ký hiệu cơ quan ban hành", "decision_type_code": "ký hiệu Quyết định",
        "place_name": "địa danh",
    }
    missing = [label for name, label in labels.items() if not getattr(settings, name)]
    if missing:
        raise ValidationError("Chưa nhập: " + ", ".join(missing) + ".", code="missing_settings")


def term_dates(term: str, starts_on: dt.date) -> tuple[str, dt.date, dt.date]:
    """A term's name, first and last day from its name («2025-2030») and its first day: the last is the day before
    the same date of its last year. Its first day falls in its first year, or a year either side (the congress
    may be held a year early or late): «2025-2030» from 01/01/2031 ended on 31/12/2029, before it began."""
    name, first, last = parse_term(term)
    if not first - 1 <= starts_on.year <= first + 1:
        raise ValidationError(f"Nhiệm kỳ {name} không thể bắt đầu ngày {show_date(starts_on)}: ngày bắt đầu phải "
                              f"trong năm {first} (đại hội có thể sớm hoặc muộn một năm: từ năm {first - 1} đến năm "
                              f"{first + 1}).", code="invalid_term")
    try:
        anniversary = starts_on.replace(year=last)
    except ValueError:  # from 29/02 of a leap year: the term ends on 28/02 (it raised, exit 1)
        anniversary = dt.date(last, 3, 1)
    return name, starts_on, anniversary - dt.timedelta(days=1)


def create_office(session: Session, settings: OfficeSettings, *, term: str, term_starts_on: dt.date,
                  actor: str) -> OfficeSettings:
    require(session, Permission.SETTINGS)
    settings = OfficeSettings(**{**settings.__dict__, "configured": True}).normalized()
    _require(settings)
    name, starts_on, ends_on = term_dates(term, term_starts_on)
    if session.scalars(select(Term).where(Term.name == name)).first() is None:
        session.add(Term(name=name, starts_on=starts_on, ends_on=ends_on))
    saved = save_settings(session, settings)
    record(session, actor=actor, action="office.create", target=saved.issuing_body_short,
           after={"term": name, "issuer_code": saved.issuer_code})
    return saved


# What a new office file must not be named: another kind of document (arguments swapped, a typo).
_NOT_AN_OFFICE = (".xlsx", ".xls", ".csv", ".pdf", ".docx", ".doc", ".json", ".txt", ".zip", ".keys", ".khoipkg",
                  ".khoibak")


def check_office_file_name(path: Path) -> None:
    """A file an office is written into (`init`, `demo`, `restore --to`) is not a folder nor named as another kind
    of document («restore bk.khoibak --to ds.xlsx» made an office database named like a workbook)."""
    if path.is_dir():
        raise ValidationError(f"{path} là một thư mục: hãy ghi cả tên tệp dữ liệu, ví dụ {path / 'khoi.db'}.",
                              code="is_directory")
    if path.suffix.lower() in _NOT_AN_OFFICE:
        raise ValidationError(f"Tên tệp {path.name} là của một loại tài liệu khác ({path.suffix}): tệp dữ liệu văn "
                              f"phòng nên có đuôi .db, ví dụ {path.with_suffix('.db').name}. Chưa ghi gì.",
                              code="bad_file_name")


def new_office_file(path: str | Path, settings: OfficeSettings, *, term: str, term_starts_on: dt.date,
                    username: str, full_name: str, password: str, encrypted: bool = True) -> NewOfficeFile:
    """An empty office in a new file, with its first administrator, its issuing-body settings and its current
    term (the GUI's first start, for the command line's `init`), in one transaction: refused, nothing is
    left behind. Encrypted from its first byte like the GUI's (the recovery key is returned, once)."""
    from khoi_desktop.core.auth.accounts import check_password, create_first_admin, normalize_username
    from khoi_desktop.core.backup.storage import check_live_location
    from khoi_desktop.core.db import new_database_file
    from khoi_desktop.core.keyslots import keyfile as keyfiles
    from khoi_desktop.core.keyslots.opening import create_encrypted_office

    path = Path(path)
    check_office_file_name(path)
    if path.exists() or keyfiles.has_keyfile(path):
        raise ValidationError(f"Đã có tệp {path.name}: không tạo đè lên dữ liệu. Hãy chọn tên tệp khác.",
                              code="file_exists")
    check_live_location(path)
    # Everything the user typed is checked before the file exists.
    settings = OfficeSettings(**{**settings.__dict__, "configured": True}).normalized()
    _require(settings)
    term_dates(term, term_starts_on)
    check_password(password)
    actor = normalize_username(username)

    def configure(session: Session) -> None:
        create_office(session, settings, term=term, term_starts_on=term_starts_on, actor=actor)

    if encrypted:
        made = create_encrypted_office(path, username=username, full_name=full_name, password=password,
                                       then=configure)
        made.db.close()
        return NewOfficeFile(path, made.user.username, made.recovery_key)
    with new_database_file(path) as db, db.writing() as session:
        user = create_first_admin(session, username=username, full_name=full_name, password=password)
        session.info["user"] = user
        configure(session)
    return NewOfficeFile(path, user.username, None)


@dataclass(frozen=True)
class NewOfficeFile:
    path: Path
    admin: str
    recovery_key: str | None  # encrypted: to print once, for the office safe; never stored
