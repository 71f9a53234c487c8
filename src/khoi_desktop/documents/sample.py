"""A sample decision (a split with a 45-member list), for template previews and rendering checks."""

from __future__ import annotations

import datetime as dt

from khoi_desktop.core.decision_content import Article, Attachment, DecisionContent, Header, SignatureBlock
from khoi_desktop.core.settings import OfficeSettings
from khoi_desktop.core.text import count_text

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ"]
_MIDDLE = ["Văn", "Thị", "Đức", "Thu", "Minh", "Quỳnh", "Hữu"]
_GIVEN = ["Anh", "Bình", "Cường", "Dũng", "Hà", "Hằng", "Khánh", "Lợi", "Nguyệt", "Phượng", "Quý", "Thắng",
          "Tuyết", "Yến", "Đạt"]
_JOBS = ["Chuyên viên Sở Tài chính", "Phó Giám đốc Sở Tài chính", "Kế toán viên", "Trưởng phòng Ngân sách",
         "Chánh Văn phòng Sở"]


def sample_members(count: int = 45) -> list[list[str]]:
    rows = []
    for i in range(count):
        name = f"{_FAMILY[i % len(_FAMILY)]} {_MIDDLE[i % len(_MIDDLE)]} {_GIVEN[i % len(_GIVEN)]}"
        born = dt.date(1970 + i % 25, 1 + i % 12, 1 + (i * 7) % 28)
        rows.append([str(i + 1), name, born.strftime("%d/%m/%Y"), _JOBS[i % len(_JOBS)],
                     "Dự bị" if i % 9 == 4 else "Chính thức"])
    return rows


def sample_header(settings: OfficeSettings | None = None) -> Header:
    settings = settings or OfficeSettings()
    return Header(settings.superior_body, settings.issuing_body, settings.decision_type_code,
                  settings.issuer_code, settings.place_name)


def sample_content(settings: OfficeSettings | None = None, *, subject: str | None = None,
                   articles: list[Article] | None = None, members: int = 45) -> DecisionContent:
    settings = settings or OfficeSettings()
    source = "Chi bộ Sở Tài chính"
    parts = ["Chi bộ Sở Tài chính 1", "Chi bộ Sở Tài chính 2"]
    rows = sample_members(members)
    half = (len(rows) + 1) // 2
    signer = settings.signers[0] if settings.signers else None
    return DecisionContent(
        header=sample_header(settings),
        subject=subject or f"về việc chia tách {source}",
        can_cu=list(settings.can_cu),
        basis=[f"Xét đề nghị của Ban Tổ chức {settings.issuing_body_short} và Tờ trình số 05-TTr/CB, "
               f"ngày 12/02/2020 của {source},"],
        enacting=f"{settings.standing_committee} QUYẾT ĐỊNH",
        articles=articles or [
            Article([f"Chia tách {source} thành {parts[0]} ({count_text(half)} đảng viên) và {parts[1]} "
                     f"({count_text(len(rows) - half)} đảng viên), trực thuộc {settings.issuing_body_short}, "
                     "kể từ ngày 05/03/2020 (có danh sách kèm theo).",
                     f"{source} kết thúc hoạt động kể từ ngày trên."]),
            Article([f"Hồ sơ, tài liệu của {source} được bàn giao cho {parts[0]} theo biên bản."]),
            Article([f"Ban Tổ chức, Văn phòng {settings.issuing_body_short}, các chi bộ có tên tại Điều 1 "
                     "chịu trách nhiệm thi hành Quyết định này. Quyết định có hiệu lực kể từ ngày ký."]),
        ],
        recipients=list(settings.default_recipients),  # the office's own list, in its order
        signature=SignatureBlock("T/M BAN THƯỜNG VỤ", signer.title if signer else "BÍ THƯ",
                                 signer.name if signer else ""),
        attachments=[Attachment(f"DANH SÁCH ĐẢNG VIÊN {source.upper()}\nCHUYỂN VỀ SINH HOẠT TẠI {parts[0].upper()}",
                                rows=rows)],
        decided_by=f"Ban Thường vụ {settings.issuing_body_short}",
    )
