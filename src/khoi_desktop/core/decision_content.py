"""Structured content of a decision: what the document says, independent of how it is printed.

Header texts (bodies, codes, place) are copied from the settings when the draft is made, so an
issued decision keeps printing the same way after the settings change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

ATTACHMENT_COLUMNS = ["STT", "Họ và tên", "Ngày sinh", "Chức vụ, đơn vị", "Chính thức/Dự bị"]
# A committee list shows each member's role in the committee, not their job.
COMMITTEE_COLUMNS = ["STT", "Họ và tên", "Ngày sinh", "Chức vụ trong cấp ủy"]


@dataclass
class Article:
    """'Điều N.' followed by its paragraphs; the first paragraph continues the 'Điều N.' line."""

    paragraphs: list[str]


@dataclass
class Attachment:
    """A list attached to the decision ('Danh sách … (Kèm theo Quyết định số …)')."""

    title: str
    columns: list[str] = field(default_factory=lambda: list(ATTACHMENT_COLUMNS))
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class TearOff:
    """A slip printed under the document, cut off and sent back (the phiếu báo of a giấy giới thiệu)."""

    title: str
    lines: list[str]  # the body, each a paragraph; dotted blanks are written in by hand
    closing: list[str]  # right, under the body: the date line, who signs


@dataclass
class Header:
    superior_body: str  # "ĐẢNG BỘ TỈNH THÁI NGUYÊN"
    issuing_body: str  # may hold '\n' where the name may break
    doc_type_code: str  # "QĐ"
    issuer_code: str  # "ĐUK"
    place_name: str  # "Thái Nguyên"


@dataclass
class SignatureBlock:
    on_behalf: str  # "T/M BAN THƯỜNG VỤ"
    title: str  # "BÍ THƯ" / "PHÓ BÍ THƯ"
    name: str

    def lines(self) -> list[str]:
        """The capital lines above the signature (HD 36): a deputy signs 'K/T' for the head,
        'T/M BAN THƯỜNG VỤ' / 'K/T BÍ THƯ' / 'PHÓ BÍ THƯ'; the head signs 'T/M …' / 'BÍ THƯ'."""
        # Capitals whatever case the signer's title was typed in; a "Phó Bí thư Thường trực" signs for the
        # head, "K/T BÍ THƯ" (there is no "Bí thư Thường trực").
        on_behalf = " ".join(self.on_behalf.split()).upper()
        title = " ".join(self.title.split()).upper()
        deputy = title.startswith("PHÓ ")
        head = title[4:].removesuffix(" THƯỜNG TRỰC")
        return [line for line in (on_behalf, f"K/T {head}" if deputy else "", title) if line]


@dataclass
class DecisionContent:
    header: Header
    subject: str  # "về việc thành lập Chi bộ …" (the line under QUYẾT ĐỊNH)
    can_cu: list[str]
    basis: list[str]  # "Xét đề nghị của …" / "Xét Tờ trình số …"
    enacting: str  # "BAN THƯỜNG VỤ ĐẢNG ỦY KHỐI … QUYẾT ĐỊNH"
    articles: list[Article]
    recipients: list[str]  # each without the leading "- "; the last is "Lưu …"
    signature: SignatureBlock
    attachments: list[Attachment] = field(default_factory=list)
    title: str = "QUYẾT ĐỊNH"
    # Who decides, as the attachments' subtitle names it: "Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh".
    decided_by: str = ""
    # The office's compounds (core.wording.compounds) a printed line must not split, beyond the defaults.
    keep_together: list[str] = field(default_factory=list)
    tear_off: TearOff | None = None

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> DecisionContent:
        data: dict[str, Any] = json.loads(text)
        return cls(
            header=Header(**data["header"]),
            subject=data["subject"],
            can_cu=list(data["can_cu"]),
            basis=list(data["basis"]),
            enacting=data["enacting"],
            articles=[Article(**a) for a in data["articles"]],
            recipients=list(data["recipients"]),
            signature=SignatureBlock(**data["signature"]),
            attachments=[Attachment(**a) for a in data.get("attachments", [])],
            title=data.get("title", "QUYẾT ĐỊNH"),
            decided_by=data.get("decided_by", ""),
            keep_together=list(data.get("keep_together", [])),
            tear_off=TearOff(**data["tear_off"]) if data.get("tear_off") else None,
        )


def printed_number(number: int) -> str:
    """A decision's number as documents, lists and the register show it: two digits at least («01», «09», «10»,
    «123»), as Hướng dẫn 36-HD/VPTW writes «Số 01-QĐ/…». The sequence itself is the integer (DOMAIN.md §4)."""
    return f"{number:02d}"


def document_code(number: int, doc_type_code: str, issuer_code: str) -> str:
    """«01-QĐ/ĐUK»."""
    return f"{printed_number(number)}-{doc_type_code}/{issuer_code}"


@dataclass(frozen=True)
class PrintInfo:
    """What only exists once a decision is issued (or is left blank on a draft)."""

    number: int | None  # None on a draft: "Số    -QĐ/ĐUK"
    issued_on: Any  # datetime.date | None
    draft: bool
    made_at: Any = None  # datetime.datetime | None: when a draft was made (its copies' metadata)
    code: str | None = None  # a recorded decision of a đảng ủy cơ sở: its own number ("05-QĐ/ĐU"), printed whole

    def stamp(self) -> Any:
        """The time a copy's metadata carries: the issue date, else when the draft was made; None when
        neither is known. Derived from stored data only, so every reprint gives the same bytes."""
        if self.issued_on is not None:
            return dt.datetime.combine(self.issued_on, dt.time())
        return self.made_at


def content_text(content: DecisionContent) -> str:
    """The decision's words as plain text, for on-screen previews (the PDF is the printed form)."""
    lines = [content.title, content.subject, ""]
    lines += content.can_cu + content.basis + ["", content.enacting, ""]
    for number, article in enumerate(content.articles, 1):
        first, *rest = article.paragraphs or [""]
        lines.append(f"Điều {number}. {first}")
        lines += rest
    lines += ["", "Nơi nhận:", *(f"- {r}" for r in content.recipients), ""]
    lines += [*content.signature.lines(), content.signature.name]
    for attachment in content.attachments:
        lines += ["", attachment.title, f"({len(attachment.rows)} đảng viên)"]
    if content.tear_off is not None:
        lines += ["", "- - - - - - - - - -", content.tear_off.title, *content.tear_off.lines,
                  *content.tear_off.closing]
    return "\n".join(lines)
