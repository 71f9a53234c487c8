"""Files attached to a submission (tờ trình): the signed scan and its enclosures (PDF), kept in the database
with their SHA-256 the way the signed scan of a recorded decision is (decisions.pdf / pdf_sha256). At the
grassroots the clerk attaches them; they travel up with the submission and are kept in the office's register
when it is accepted."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from khoi_desktop.core.errors import ValidationError, os_reason
from khoi_desktop.core.models import Base
from khoi_desktop.core.text import nfc

MAX_FILE = 64 * 1024**2  # a scanned submission with its enclosures; a package is read whole


class SubmissionFile(Base):
    __tablename__ = "submission_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255))  # the file's name as attached: "to-trinh-12.pdf"
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)


@dataclass(frozen=True)
class AttachedFile:
    name: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def read_pdf(path: Path) -> AttachedFile:
    """A file to attach, read whole: a PDF (a scan), refused otherwise."""
    try:
        if path.stat().st_size > MAX_FILE:
            raise ValidationError(f"Tệp {path.name} lớn quá {MAX_FILE // 1024**2} MB: hãy quét lại với độ phân giải "
                                  "thấp hơn.", code="file_too_large")
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"Không đọc được tệp {path}: {os_reason(exc)}.", code="file_unreadable") from None
    return checked(AttachedFile(nfc(path.name), data))


def checked(attached: AttachedFile) -> AttachedFile:
    if not attached.content.startswith(b"%PDF-"):
        raise ValidationError(f"Tệp kèm theo {attached.name} không phải tệp PDF (bản quét tờ trình, hồ sơ kèm theo).",
                              code="not_pdf")
    return attached


def attach_files(session: Session, submission_id: int, files: list[AttachedFile]) -> list[SubmissionFile]:
    """Kept after the submission's files already there (same content twice is kept once)."""
    have = list(session.scalars(select(SubmissionFile).where(SubmissionFile.submission_id == submission_id)))
    known = {row.sha256 for row in have}
    now = dt.datetime.now().replace(microsecond=0)
    added: list[SubmissionFile] = []
    for attached in files:
        checked(attached)
        if attached.sha256 in known:
            continue
        known.add(attached.sha256)
        row = SubmissionFile(submission_id=submission_id, position=len(have) + len(added) + 1,
                             name=nfc(attached.name)[:255], content=attached.content, sha256=attached.sha256,
                             added_at=now)
        session.add(row)
        added.append(row)
    session.flush()
    return added


def files_of(session: Session, submission_ids: list[int]) -> dict[int, list[SubmissionFile]]:
    found: dict[int, list[SubmissionFile]] = {}
    if not submission_ids:
        return found
    for row in session.scalars(select(SubmissionFile).where(SubmissionFile.submission_id.in_(submission_ids))
                               .order_by(SubmissionFile.submission_id, SubmissionFile.position)):
        found.setdefault(row.submission_id, []).append(row)
    return found


def file_names(session: Session, submission_ids: list[int]) -> dict[int, list[tuple[int, str, str]]]:
    """(id, name, SHA-256) of each submission's files, without reading their content (the register's list)."""
    found: dict[int, list[tuple[int, str, str]]] = {}
    if not submission_ids:
        return found
    for sid, fid, name, sha in session.execute(
            select(SubmissionFile.submission_id, SubmissionFile.id, SubmissionFile.name, SubmissionFile.sha256)
            .where(SubmissionFile.submission_id.in_(submission_ids))
            .order_by(SubmissionFile.submission_id, SubmissionFile.position)):
        found.setdefault(sid, []).append((fid, name, sha))
    return found


def file_content(session: Session, file_id: int) -> SubmissionFile:
    from khoi_desktop.core.errors import NotFoundError

    row = session.get(SubmissionFile, file_id)
    if row is None:
        raise NotFoundError(f"Không có tệp kèm theo số {file_id}.", code="file_not_found")
    return row
