"""Structured content of a decision: what the document says, independent of how it is printed.

Header texts (bodies, codes, place) are copied from the settings when the draft is made, so an
issued decision keeps printing the same way after the settings change.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

ATTACHMENT_COLUMNS = ["STT", "Họ và tên", "Ngày sinh", "Chức vụ, đơn vị", "Chính thức/Dự bị"]


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
        )


@dataclass(frozen=True)
class PrintInfo:
    """What only exists once a decision is issued (or is left blank on a draft)."""

    number: int | None  # None on a draft: "Số    -QĐ/ĐUK"
    issued_on: Any  # datetime.date | None
    draft: bool


def content_text(content: DecisionContent) -> str:
    """The decision's words as plain text, for on-screen previews (the PDF is the printed form)."""
    lines = [content.title, content.subject, ""]
    lines += content.can_cu + content.basis + ["", content.enacting, ""]
    for number, article in enumerate(content.articles, 1):
        first, *rest = article.paragraphs or [""]
        lines.append(f"Điều {number}. {first}")
        lines += rest
    lines += ["", "Nơi nhận:", *(f"- {r}" for r in content.recipients), ""]
    lines += [content.signature.on_behalf, content.signature.title, content.signature.name]
    for attachment in content.attachments:
        lines += ["", attachment.title, f"({len(attachment.rows)} đảng viên)"]
    return "\n".join(lines)
