"""Wording templates per decision action: the subject line and the articles, with named placeholders.

A template's first line is the subject ("về việc …"); every later line starting with "Điều N." opens an
article, other non-empty lines are further paragraphs of the article above. Placeholders are written
{ten_to_chuc}; each action accepts the common names and its own (PLACEHOLDERS). The texts below are
defaults: the administrator edits them (template_store), the code never relies on their wording.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass

from khoi_desktop.core.actions import ACTION_LABELS
from khoi_desktop.core.decision_content import Article
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.member_events.templates import (
    MEMBER_PLACEHOLDER_HELP,
    MEMBER_PLACEHOLDERS,
    MEMBER_SAMPLE_VALUES,
    MEMBER_TEMPLATES,
)
from khoi_desktop.core.text import count_text, nfc

# Placeholder descriptions, shown in the template editor.
PLACEHOLDER_HELP = {
    "ten_co_quan": "tên cơ quan ban hành (Đảng ủy Khối …)",
    "ngay_hieu_luc": "ngày có hiệu lực (dd/mm/yyyy)",
    "co_quan_thi_hanh": "các cơ quan thi hành quyết định",
    "ten_to_chuc": "tên tổ chức đảng",
    "loai_to_chuc": "loại tổ chức (chi bộ cơ sở, đảng bộ cơ sở …)",
    "ten_cap_tren": "tên cấp ủy cấp trên trực tiếp",
    "ten_cap_tren_cu": "tên cấp ủy cấp trên trước đây",
    "cap_uy_cap_tren": "cấp ủy cấp trên trực tiếp, khi nó là bên thực hiện («Đảng ủy Sở Y tế»)",
    "chuc_danh_chi_dinh": "những gì cấp trên sẽ chỉ định cho tổ chức mới: «cấp ủy, bí thư, phó bí thư» (đảng bộ), "
                          "«chi ủy, bí thư, phó bí thư» (chi bộ đủ số đảng viên chính thức để có chi ủy), «bí thư, "
                          "phó bí thư» (chi bộ nhỏ hơn)",
    "cac_ben_ban_giao": "các bên bàn giao và tiếp nhận hồ sơ, danh sách đảng viên (A, B và C)",
    "ket_thuc": "«Chi bộ … kết thúc hoạt động kể từ ngày …», để trống khi chi bộ cũ vẫn còn",
    "so_dang_vien": "số đảng viên",
    "so_du_bi": "số đảng viên dự bị",
    "so_to_chuc": "số tổ chức đảng",
    "cac_to_chuc": "danh sách tên các tổ chức (A, B và C)",
    "cac_to_chuc_moi": "danh sách tên các tổ chức mới",
    "ten_to_chuc_moi": "tên tổ chức mới",
    "ten_to_chuc_nhan": "tên tổ chức tiếp nhận đảng viên",
    "ten_co_quan_giao": "cơ quan bàn giao (bên ngoài)",
    "ten_co_quan_nhan": "cơ quan tiếp nhận (bên ngoài)",
    "hinh_thuc": "chỉ định hoặc chuẩn y",
    "nhiem_ky": "nhiệm kỳ (2020 - 2025)",
    "so_cap_uy_vien": "số cấp ủy viên",
    "danh_sach": "danh sách các đồng chí và chức vụ",
    "ten_dang_vien": "họ và tên đảng viên",
    "chuc_vu": "chức vụ",
    "ly_do": "lý do",
    "thanh_phan": "số đảng viên kèm số dự bị: «20 đảng viên (trong đó có 1 đảng viên dự bị)»",
    "so_to_chuc_moi": "số tổ chức mới",
    "danh_sach_to_chuc_moi": "các tổ chức mới, mỗi tổ chức một dòng kèm số đảng viên",
    "cach_tach": "câu nêu cách tách: cả chi bộ, hay một số đảng viên của chi bộ",
    "gom_dang_vien": "«, gồm … đảng viên (có danh sách kèm theo)», để trống khi chưa có đảng viên",
    "chuyen_dang_vien": "các dòng «Chuyển … đảng viên … về sinh hoạt tại …»",
    "noi_dung": "phần chính của trích yếu: các chức danh, cấp ủy (hoặc việc thôi giữ chức)",
    "trach_nhiem": "«Đồng chí có tên tại Điều 1» / «Các đồng chí …» / tên Ban Chấp hành",
    "dai_hoi": "tên và ngày Đại hội",
    "cap_uy_to_chuc": "cấp ủy của tổ chức («Đảng ủy Sở Tài chính», «Chi ủy Chi bộ …»); chi bộ không có chi ủy: "
                      "tên chi bộ",
    "nguoi": "«đồng chí Họ tên, chức vụ, cơ quan,»",
    "viec": "«cho thôi tham gia …, thôi giữ chức …»; khi đảng viên từ trần «thôi tham gia …» (không «cho»)",
    "cho_nguoi": "«Cho đồng chí Họ tên, chức vụ, cơ quan,»; khi đảng viên từ trần «Đồng chí …» (không «Cho»)",
    "ban_giao": "«Đồng chí Họ tên bàn giao công việc, hồ sơ, tài liệu có liên quan;», trống khi đảng viên từ trần",
    "nam": "năm xếp loại",
    "ket_qua": "số tổ chức theo từng mức xếp loại («60 tổ chức hoàn thành tốt nhiệm vụ; …»)",
    **MEMBER_PLACEHOLDER_HELP,
}

COMMON = ("ten_co_quan", "ngay_hieu_luc", "co_quan_thi_hanh")
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "found": ("ten_to_chuc", "loai_to_chuc", "ten_cap_tren", "cap_uy_cap_tren", "so_dang_vien", "so_du_bi",
              "gom_dang_vien", "chuc_danh_chi_dinh"),
    "split": ("ten_to_chuc", "cac_to_chuc_moi", "ten_cap_tren", "cap_uy_cap_tren", "so_dang_vien",
              "so_to_chuc_moi", "danh_sach_to_chuc_moi", "cach_tach", "cac_ben_ban_giao", "ket_thuc"),
    "upgrade": ("ten_to_chuc", "ten_to_chuc_moi", "cac_to_chuc_moi", "ten_cap_tren", "cap_uy_cap_tren",
                "so_dang_vien", "thanh_phan", "so_to_chuc_moi", "danh_sach_to_chuc_moi", "cac_ben_ban_giao"),
    "consolidate": ("cac_to_chuc", "ten_to_chuc_moi", "loai_to_chuc", "ten_cap_tren", "cap_uy_cap_tren",
                    "so_dang_vien", "thanh_phan", "cac_ben_ban_giao"),
    "absorb": ("cac_to_chuc", "ten_to_chuc", "so_dang_vien", "chuyen_dang_vien", "cac_ben_ban_giao"),
    "transfer": ("ten_to_chuc", "ten_cap_tren_cu", "ten_cap_tren", "cap_uy_cap_tren", "so_dang_vien",
                 "thanh_phan", "cac_ben_ban_giao"),
    "receive": ("ten_co_quan_giao", "so_to_chuc", "cac_to_chuc", "so_dang_vien", "so_du_bi", "thanh_phan",
                "ten_cap_tren", "cap_uy_cap_tren", "cac_ben_ban_giao"),
    "hand_over": ("ten_to_chuc", "ten_co_quan_nhan", "so_to_chuc", "so_dang_vien", "so_du_bi", "thanh_phan",
                  "cac_ben_ban_giao"),
    "dissolve": ("ten_to_chuc", "ten_cap_tren", "cap_uy_cap_tren", "ten_to_chuc_nhan", "so_dang_vien",
                 "chuyen_dang_vien", "cac_ben_ban_giao"),
    "appoint": ("hinh_thuc", "noi_dung", "ten_to_chuc", "nhiem_ky", "danh_sach", "trach_nhiem", "cap_uy_to_chuc"),
    "approve_election": ("noi_dung", "ten_to_chuc", "nhiem_ky", "dai_hoi", "so_cap_uy_vien", "danh_sach",
                         "trach_nhiem", "cap_uy_to_chuc"),
    "end_seat": ("nguoi", "ten_dang_vien", "noi_dung", "ten_to_chuc", "nhiem_ky", "ly_do", "viec", "cho_nguoi",
                 "ban_giao"),
    "recognize_ratings": ("nam", "so_to_chuc", "ket_qua"),
    **MEMBER_PLACEHOLDERS,
}

_EXECUTION = ("{co_quan_thi_hanh} chịu trách nhiệm thi hành Quyết định này. "
              "Quyết định có hiệu lực kể từ ngày ký.")

_HANDOVER = ("{cac_ben_ban_giao} bàn giao danh sách đảng viên, hồ sơ đảng viên và tài liệu có liên quan bằng "
             "biên bản theo quy định.")
_LIST = "(Có danh sách đảng viên kèm theo)."

DEFAULT_TEMPLATES: dict[str, str] = {
    "found": "\n".join([
        "về việc thành lập {ten_to_chuc}",
        "Điều 1. Thành lập {ten_to_chuc} trực thuộc {ten_cap_tren}, kể từ ngày {ngay_hieu_luc}{gom_dang_vien}.",
        "Điều 2. {ten_to_chuc} có chức năng, nhiệm vụ theo quy định của Điều lệ Đảng và hướng dẫn của cấp ủy "
        "cấp trên; {cap_uy_cap_tren} chỉ định {chuc_danh_chi_dinh} {ten_to_chuc} đến hết nhiệm kỳ theo "
        "quy định.",
        "Điều 3. " + _EXECUTION,
    ]),
    "split": "\n".join([
        "về việc tách {ten_to_chuc}",
        "Điều 1. {cach_tach} trực thuộc {ten_cap_tren}, kể từ ngày {ngay_hieu_luc}:",
        "{danh_sach_to_chuc_moi}",
        "{ket_thuc}",
        _LIST,
        "Điều 2. " + _HANDOVER,
        "Điều 3. " + _EXECUTION,
    ]),
    "upgrade": "\n".join([
        "về việc thành lập {ten_to_chuc_moi} trên cơ sở {ten_to_chuc}",
        "Điều 1. Thành lập {ten_to_chuc_moi} trên cơ sở {ten_to_chuc}, gồm {thanh_phan}, trực thuộc "
        "{ten_cap_tren}, kể từ ngày {ngay_hieu_luc}; {ten_to_chuc} kết thúc hoạt động. {ten_to_chuc_moi} gồm "
        "{so_to_chuc_moi} chi bộ trực thuộc:",
        "{danh_sach_to_chuc_moi}",
        _LIST,
        "Điều 2. " + _HANDOVER,
        "Điều 3. " + _EXECUTION,
    ]),
    "consolidate": "\n".join([
        "về việc hợp nhất {cac_to_chuc} thành {ten_to_chuc_moi}",
        "Điều 1. Hợp nhất {cac_to_chuc} thành {ten_to_chuc_moi} trực thuộc {ten_cap_tren}, kể từ ngày "
        "{ngay_hieu_luc}. {ten_to_chuc_moi} gồm {thanh_phan}.",
        _LIST,
        "Điều 2. " + _HANDOVER,
        "Điều 3. " + _EXECUTION,
    ]),
    "absorb": "\n".join([
        "về việc sáp nhập {cac_to_chuc} vào {ten_to_chuc}",
        "Điều 1. Sáp nhập {cac_to_chuc} vào {ten_to_chuc}, kể từ ngày {ngay_hieu_luc}.",
        "{chuyen_dang_vien}",
        "Điều 2. " + _HANDOVER,
        "Điều 3. " + _EXECUTION,
    ]),
    "transfer": "\n".join([
        "về việc chuyển {ten_to_chuc} về trực thuộc {ten_cap_tren}",
        "Điều 1. Chuyển {ten_to_chuc}, gồm {thanh_phan}, từ trực thuộc {ten_cap_tren_cu} về trực thuộc "
        "{ten_cap_tren}, kể từ ngày {ngay_hieu_luc}.",
        "Điều 2. " + _HANDOVER,
        "Điều 3. " + _EXECUTION,
    ]),
    "receive": "\n".join([
        "về việc tiếp nhận tổ chức đảng và đảng viên từ {ten_co_quan_giao}",
        "Điều 1. Tiếp nhận {so_to_chuc} tổ chức đảng là {cac_to_chuc}, gồm {thanh_phan}, từ {ten_co_quan_giao} "
        "về trực thuộc {ten_cap_tren}, kể từ ngày {ngay_hieu_luc}.",
        _LIST,
        "Điều 2. " + _HANDOVER,
        "Điều 3. " + _EXECUTION,
    ]),
    "hand_over": "\n".join([
        "về việc chuyển giao {ten_to_chuc} về {ten_co_quan_nhan}",
        "Điều 1. Chuyển giao {ten_to_chuc}, gồm {thanh_phan}, về {ten_co_quan_nhan}, kể từ ngày "
        "{ngay_hieu_luc}.",
        _LIST,
        "Điều 2. " + _HANDOVER,
        "Điều 3. " + _EXECUTION,
    ]),
    "dissolve": "\n".join([
        "về việc giải thể {ten_to_chuc}",
        "Điều 1. Giải thể {ten_to_chuc} trực thuộc {ten_cap_tren}, kể từ ngày {ngay_hieu_luc}.",
        "Điều 2. {chuyen_dang_vien}",
        "Điều 3. " + _EXECUTION,
    ]),
    "appoint": "\n".join([
        "về việc {hinh_thuc} {noi_dung} nhiệm kỳ {nhiem_ky}",
        "Điều 1. {danh_sach}",
        "Điều 2. {trach_nhiem} thực hiện nhiệm vụ theo quy định của Điều lệ Đảng và quy chế làm việc của "
        "{cap_uy_to_chuc} nhiệm kỳ {nhiem_ky}.",
        "Điều 3. " + _EXECUTION,
    ]),
    "approve_election": "\n".join([
        "về việc chuẩn y kết quả bầu cử {noi_dung} nhiệm kỳ {nhiem_ky}",
        "Điều 1. Chuẩn y kết quả bầu cử tại {dai_hoi} như sau:",
        "{danh_sach}",
        "Điều 2. {trach_nhiem} thực hiện chức năng, nhiệm vụ theo quy định của Điều lệ Đảng và quy chế làm việc "
        "của {cap_uy_to_chuc} nhiệm kỳ {nhiem_ky}.",
        "Điều 3. " + _EXECUTION,
    ]),
    "end_seat": "\n".join([
        "về việc {viec} nhiệm kỳ {nhiem_ky}",
        "Điều 1. {cho_nguoi} {noi_dung} nhiệm kỳ {nhiem_ky}, kể từ ngày {ngay_hieu_luc}; lý do: {ly_do}.",
        "Điều 2. {ban_giao} {ten_to_chuc} đề nghị kiện toàn chức danh còn khuyết theo quy định.",
        "Điều 3. " + _EXECUTION,
    ]),
    "recognize_ratings": "\n".join([
        "về việc công nhận kết quả xếp loại chất lượng tổ chức cơ sở đảng năm {nam}",
        "Điều 1. Công nhận kết quả xếp loại chất lượng năm {nam} của {so_to_chuc} tổ chức cơ sở đảng trực thuộc "
        "{ten_co_quan}: {ket_qua} (có danh sách kèm theo).",
        "Điều 2. Các tổ chức cơ sở đảng căn cứ kết quả xếp loại, kiểm điểm, xây dựng kế hoạch khắc phục hạn chế, "
        "khuyết điểm; Ban Tổ chức {ten_co_quan} theo dõi, tổng hợp, báo cáo cấp trên theo quy định.",
        "Điều 3. " + _EXECUTION,
    ]),
    **MEMBER_TEMPLATES,
}

# Values for the editor's preview.
SAMPLE_VALUES = {
    "ten_co_quan": "Đảng ủy Khối các cơ quan tỉnh",
    "ngay_hieu_luc": "05/03/2020",
    "co_quan_thi_hanh": "Ban Tổ chức, Văn phòng Đảng ủy Khối và các tổ chức đảng có tên tại Điều 1",
    "ten_to_chuc": "Chi bộ Sở Tài chính",
    "loai_to_chuc": "chi bộ cơ sở",
    "ten_cap_tren": "Đảng ủy Khối các cơ quan tỉnh",
    "ten_cap_tren_cu": "Đảng bộ Sở Kế hoạch và Đầu tư",
    "cap_uy_cap_tren": "Đảng ủy Khối các cơ quan tỉnh",
    "chuc_danh_chi_dinh": "bí thư, phó bí thư",
    "cac_ben_ban_giao": "Chi bộ Sở Tài chính, Chi bộ Sở Tài chính 1 và Chi bộ Sở Tài chính 2",
    "ket_thuc": "Chi bộ Sở Tài chính kết thúc hoạt động kể từ ngày 05/03/2020.",
    "so_dang_vien": "45",
    "so_du_bi": "05",
    "so_to_chuc": "02",
    "cac_to_chuc": "Chi bộ Sở Tài chính và Chi bộ Kho bạc Nhà nước tỉnh",
    "cac_to_chuc_moi": "Chi bộ Sở Tài chính 1 và Chi bộ Sở Tài chính 2",
    "ten_to_chuc_moi": "Đảng bộ Sở Tài chính",
    "ten_to_chuc_nhan": "Chi bộ Văn phòng Sở Tài chính",
    "ten_co_quan_giao": "Đảng ủy Khối doanh nghiệp tỉnh",
    "ten_co_quan_nhan": "Đảng bộ thành phố Thái Nguyên",
    "hinh_thuc": "chỉ định bổ sung",
    "nhiem_ky": "2020 - 2025",
    "so_cap_uy_vien": "7",
    "danh_sach": "Chỉ định bổ sung các đồng chí có tên sau đây, nhiệm kỳ 2020 - 2025:\n"
                 "1. Đồng chí Nguyễn Văn An, Giám đốc Sở Tài chính, tham gia Ban Chấp hành Đảng bộ Sở Tài chính.\n"
                 "2. Đồng chí Trần Thị Bình, Phó Giám đốc Sở Tài chính, tham gia Ban Chấp hành Đảng bộ Sở Tài "
                 "chính.",
    "ten_dang_vien": "Nguyễn Văn An",
    "viec": "cho thôi tham gia Ban Chấp hành Đảng bộ Sở Tài chính",
    "cho_nguoi": "Cho đồng chí Nguyễn Văn An, Giám đốc Sở Tài chính,",
    "ban_giao": "Đồng chí Nguyễn Văn An bàn giao công việc, hồ sơ, tài liệu có liên quan;",
    "chuc_vu": "Bí thư",
    "ly_do": "nghỉ hưu theo chế độ",
    "noi_dung": "Ủy viên Ban Chấp hành Đảng bộ Sở Tài chính",
    "trach_nhiem": "Các đồng chí có tên tại Điều 1",
    "dai_hoi": "Đại hội Đảng bộ Sở Tài chính nhiệm kỳ 2020 - 2025 (ngày 05/03/2020)",
    "cap_uy_to_chuc": "Đảng ủy Sở Tài chính",
    "nguoi": "đồng chí Nguyễn Văn An, Giám đốc Sở Tài chính,",
    "thanh_phan": "45 đảng viên (trong đó có 05 đảng viên dự bị)",
    "so_to_chuc_moi": "02",
    "nam": "2025",
    "ket_qua": "11 tổ chức hoàn thành xuất sắc nhiệm vụ; 60 tổ chức hoàn thành tốt nhiệm vụ; 02 tổ chức hoàn thành "
               "nhiệm vụ",
    "danh_sach_to_chuc_moi": "1. Chi bộ Sở Tài chính 1, gồm 23 đảng viên (trong đó có 02 đảng viên dự bị);\n"
                             "2. Chi bộ Sở Tài chính 2, gồm 22 đảng viên (trong đó có 03 đảng viên dự bị).",
    "cach_tach": "Tách Chi bộ Sở Tài chính, gồm 45 đảng viên, thành 02 chi bộ",
    "gom_dang_vien": ", gồm 45 đảng viên (trong đó có 05 đảng viên dự bị) chuyển từ Chi bộ Văn phòng Sở Tài "
                     "chính, có danh sách kèm theo",
    "chuyen_dang_vien": "Chuyển 45 đảng viên (trong đó có 05 đảng viên dự bị) của Chi bộ Sở Tài chính về sinh "
                        "hoạt tại Chi bộ Văn phòng Sở Tài chính.\n(Có danh sách đảng viên kèm theo).",
    **MEMBER_SAMPLE_VALUES,
}

# Where one sample does not read right for an action, its own values.
_SAMPLE_OVERRIDES: dict[str, dict[str, str]] = {
    "approve_election": {
        "noi_dung": "Ban Chấp hành, Ban Thường vụ, Bí thư, Phó Bí thư Đảng bộ Sở Tài chính",
        "danh_sach": "1. Ban Chấp hành Đảng bộ Sở Tài chính nhiệm kỳ 2020 - 2025 gồm 9 đồng chí, có danh sách kèm "
                     "theo.\n2. Bí thư Đảng ủy Sở Tài chính: đồng chí Nguyễn Văn An, Giám đốc Sở Tài chính.",
        "trach_nhiem": "Ban Chấp hành Đảng bộ Sở Tài chính",
    },
    "recognize_ratings": {"so_to_chuc": "73"},
    "end_seat": {"noi_dung": "thôi tham gia Ban Chấp hành và thôi giữ chức Bí thư Đảng ủy Sở Tài chính",
                 "ten_to_chuc": "Đảng ủy Sở Tài chính",
                 "viec": "cho thôi tham gia Ban Chấp hành và thôi giữ chức Bí thư Đảng ủy Sở Tài chính"},
}


def sample_values(action: str) -> dict[str, str]:
    """Values for previewing `action`'s template in the editor."""
    return {**SAMPLE_VALUES, **_SAMPLE_OVERRIDES.get(action, {})}


_ARTICLE = re.compile(r"^\s*Điều\s+\d+\s*\.\s*")


def allowed_placeholders(action: str) -> tuple[str, ...]:
    if action not in PLACEHOLDERS:
        raise ValidationError(f"Không có loại quyết định «{action}».", code="unknown_action")
    return COMMON + PLACEHOLDERS[action]


def placeholders_in(text: str) -> list[str]:
    """Names used in `text`, in order; refuses broken braces and anything but plain names."""
    names: list[str] = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        raise ValidationError("Mẫu văn bản có dấu ngoặc { } không khớp: mỗi chỗ cần điền viết dạng "
                              "{ten_to_chuc}; muốn in dấu ngoặc thì viết {{ hoặc }}.",
                              code="template_braces") from None
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name or not name.isidentifier() or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise ValidationError(f"Chỗ cần điền {shown} không hợp lệ: chỉ dùng tên như {{ten_to_chuc}}.",
                                  code="template_placeholder")
        if name not in names:
            names.append(name)
    return names


def validate_template(action: str, text: str) -> str:
    """The template NFC-normalized, or a refusal naming the unknown placeholders."""
    text = "\n".join(nfc(line) for line in nfc(text).splitlines())
    allowed = allowed_placeholders(action)
    unknown = [name for name in placeholders_in(text) if name not in allowed]
    if unknown:
        names = ", ".join("{" + n + "}" for n in unknown)
        raise ValidationError(
            f"Mẫu «{ACTION_LABELS[action]}» có chỗ cần điền không được hỗ trợ: {names}. "
            "Các tên được dùng: " + ", ".join("{" + n + "}" for n in allowed) + ".",
            code="template_unknown_placeholder")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines or _ARTICLE.match(lines[0]):
        raise ValidationError("Dòng đầu của mẫu là trích yếu («về việc …»), sau đó mới đến các Điều.",
                              code="template_no_subject")
    if not any(_ARTICLE.match(line) for line in lines[1:]):
        raise ValidationError("Mẫu cần ít nhất một dòng bắt đầu bằng «Điều 1.».", code="template_no_article")
    return text


def render_template(action: str, values: Mapping[str, object], template: str | None = None) -> str:
    """The template (default or given) with its placeholders filled; refuses a missing value."""
    text = validate_template(action, template if template is not None else DEFAULT_TEMPLATES[action])
    missing = [name for name in placeholders_in(text) if name not in values]
    if missing:
        raise ValidationError("Thiếu giá trị cho: " + ", ".join("{" + n + "}" for n in missing) + ".",
                              code="template_missing_value")
    return text.format_map({k: nfc(str(v)) for k, v in values.items()})


@dataclass(frozen=True)
class Wording:
    subject: str
    articles: list[Article]


def split_wording(rendered: str) -> Wording:
    """Rendered template text -> subject line and articles (the 'Điều N.' labels are added at print)."""
    lines = [line.strip() for line in rendered.splitlines() if line.strip()]
    articles: list[Article] = []
    for line in lines[1:]:
        match = _ARTICLE.match(line)
        if match:
            articles.append(Article([line[match.end():]]))
        elif articles:
            articles[-1].paragraphs.append(line)
    return Wording(lines[0] if lines else "", articles)


# Placeholders that hold a count: written as party documents write counts («05», «12», «1.234»).
COUNTS = frozenset({"so_dang_vien", "so_du_bi", "so_to_chuc", "so_to_chuc_moi", "so_cap_uy_vien"})


def wording(action: str, values: Mapping[str, object], template: str | None = None) -> Wording:
    shown = {k: count_text(v) if k in COUNTS and isinstance(v, int) else v for k, v in values.items()}
    return split_wording(render_template(action, shown, template))
