"""Words of more than one syllable that a printed line must never split ("Bệnh viện", "CÔNG TY").

Vietnamese writes every syllable apart, so a line breaker sees "Bệnh" and "viện" as two words. The
list is an office setting the administrator can extend (names of their own units); the defaults cover
the words of organization names and decision subjects. `glue` joins each compound with no-break
spaces, which both the PDF and Word honour.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from sqlalchemy.orm import Session

from khoi_desktop.core.audit import record
from khoi_desktop.core.auth.permissions import Permission, require
from khoi_desktop.core.settings import read_setting, write_setting
from khoi_desktop.core.text import nfc

KEY = "line_compounds"
NBSP = "\u00a0"

DEFAULT_COMPOUNDS: tuple[str, ...] = (
    # Kinds of organization and their parts.
    "Đảng bộ", "Đảng ủy", "Chi bộ", "Chi ủy", "Ban Thường vụ", "Ban Chấp hành", "Đảng viên", "cơ quan",
    "Bệnh viện", "Công ty", "Cổ phần", "Trách nhiệm hữu hạn", "Một thành viên", "Xí nghiệp", "Tổng công ty",
    "Doanh nghiệp", "Hợp tác xã", "Ngân hàng", "Kho bạc", "Nhà nước", "Trung tâm", "Văn phòng", "Ủy ban",
    "Nhân dân", "Hội đồng", "Mặt trận", "Tổ quốc", "Liên hiệp", "Liên minh", "Đại học", "Cao đẳng",
    "Trung cấp", "Trung học", "Phổ thông", "Dân tộc", "Nội trú", "Tiểu học", "Mầm non", "Đa khoa",
    "Phục hồi", "chức năng", "Điều dưỡng", "Lưu trữ", "Quản lý", "Dự án", "Đầu tư", "Xây dựng",
    "Công trình", "Dân dụng", "Công nghiệp", "Nông nghiệp", "Phát triển", "Nông thôn", "Giao thông",
    "Vận tải", "Tài chính", "Kế hoạch", "Hành chính", "Tổng hợp", "Tổ chức", "Kiểm tra", "Tuyên giáo",
    "Dân vận", "Y tế", "Giáo dục", "Đào tạo", "Khoa học", "Kỹ thuật", "Công nghệ", "Thông tin",
    "Truyền thông", "Môi trường", "Tài nguyên", "Lao động", "Thương binh", "Xã hội", "Văn hóa", "Thể thao",
    "Du lịch", "Nội vụ", "Tư pháp", "Bảo hiểm", "Hải quan", "Công an", "Quân sự", "Cựu chiến binh",
    "Phụ nữ", "Nông dân", "Thanh niên", "Cộng sản", "Hồ Chí Minh", "Việt Nam", "Luật sư", "Nhà báo",
    "Văn học", "Nghệ thuật", "Khuyến học", "Chữ thập đỏ", "Người cao tuổi", "Bảo trợ", "Công tác",
    "Điện lực", "Cấp nước", "Thoát nước", "Thủy lợi", "Lâm nghiệp", "Khoáng sản", "Gang thép",
    "Thành phố", "Thị xã", "Thái Nguyên", "Sông Công", "Phổ Yên", "Đại Từ", "Phú Bình", "Phú Lương",
    "Đồng Hỷ", "Võ Nhai", "Định Hóa", "cơ sở", "Phát thanh", "Truyền hình", "Kinh tế", "Hữu nghị",
    "Quan trắc", "cai nghiện", "ma túy", "Ban Quản lý", "khu công nghiệp",
    # Words of decision subjects.
    "về việc", "thành lập", "chia tách", "hợp nhất", "sáp nhập", "điều chuyển", "chuyển giao", "tiếp nhận",
    "giải thể", "chỉ định", "chuẩn y", "bổ sung", "kết quả", "bầu cử", "nhiệm kỳ", "Bí thư", "Phó Bí thư",
    "Ủy viên", "chức vụ", "trực thuộc", "sinh hoạt", "danh sách", "tổ chức đảng", "kèm theo",
    "Chi ủy viên", "Cấp ủy viên", "công nhận", "chính thức", "dự bị", "kết nạp", "giới thiệu", "ra khỏi",
    "miễn công tác", "từ trần", "thôi giữ", "chất lượng", "xếp loại", "hoàn thành", "xuất sắc", "nhiệm vụ",
)


def load_compounds(session: Session) -> list[str]:
    """The administrator's list where saved, else the defaults."""
    saved = read_setting(session, KEY)
    if isinstance(saved, list) and all(isinstance(x, str) for x in saved):
        return saved
    return list(DEFAULT_COMPOUNDS)


def save_compounds(session: Session, compounds: list[str], *, actor: str | None = None) -> list[str]:
    """Store the list (NFC, one compound a line, each of two words or more); audited."""
    require(session, Permission.TEMPLATES)
    cleaned = list(dict.fromkeys(" ".join(nfc(c).split()) for c in compounds))
    cleaned = [c for c in cleaned if len(c.split()) >= 2]
    before = load_compounds(session)
    write_setting(session, KEY, cleaned)
    record(session, actor=actor, action="settings.line_compounds", target="Từ ghép không ngắt dòng",
           before={"compounds": before}, after={"compounds": cleaned})
    return cleaned


@functools.lru_cache(maxsize=8)
def _keys(compounds: tuple[str, ...]) -> dict[str, list[tuple[str, ...]]]:
    """The compounds as folded words, by their first word, longest first: worked out once per list (a decision's
    print glues some twenty lines with the same list)."""
    keys = {tuple(w.casefold() for w in nfc(c).split()) for c in compounds}
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for key in sorted((k for k in keys if len(k) >= 2), key=len, reverse=True):
        by_first.setdefault(key[0], []).append(key)
    return by_first


def glue(text: str, compounds: Sequence[str] = DEFAULT_COMPOUNDS) -> str:
    """`text` with the spaces inside each compound made no-break (longest match first, any case)."""
    keys = _keys(tuple(compounds))
    out: list[str] = []
    for line in text.split("\n"):
        words = line.split(" ")
        folded = [w.strip(",;:.()").casefold() for w in words]
        tokens: list[str] = []
        i = 0
        while i < len(words):
            for key in keys.get(folded[i], ()):
                n = len(key)
                # Punctuation may close the compound's last word, never an inner one.
                if tuple(folded[i:i + n]) == key and all(w == f for w, f in zip(
                        (x.casefold() for x in words[i:i + n - 1]), folded[i:i + n - 1], strict=True)):
                    tokens.append(NBSP.join(words[i:i + n]))
                    i += n
                    break
            else:
                tokens.append(words[i])
                i += 1
        out.append(" ".join(tokens))
    return "\n".join(out)


def office_compounds(session: Session, texts: list[str]) -> list[str]:
    """The office's own compounds (beyond the defaults) found in `texts`: a decision carries them so
    that it prints the same way later, whatever the list becomes."""
    defaults = {c.casefold() for c in DEFAULT_COMPOUNDS}
    folded = [" ".join(t.split()).casefold() for t in texts]
    return [c for c in load_compounds(session) if c.casefold() not in defaults
            and any(c.casefold() in t for t in folded)]
