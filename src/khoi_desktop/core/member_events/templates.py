"""Default wording of the member decisions (core/wording/templates.py joins them to the others).

Like every template: the first line is the subject, each "Điều N." opens an article; the administrator
edits them in the template editor.
"""

from __future__ import annotations

_EXECUTION = ("{co_quan_thi_hanh} chịu trách nhiệm thi hành Quyết định này. "
              "Quyết định có hiệu lực kể từ ngày ký.")

MEMBER_PLACEHOLDER_HELP = {
    "ngay": "ngày của sự việc (kết nạp, công nhận, chuyển, ra khỏi Đảng …), dd/mm/yyyy",
    "noi_den": "nơi đảng viên chuyển sinh hoạt đến",
    "hinh_thuc_chuyen": "chính thức, hoặc tạm thời (đến ngày …)",
    "ngay_chinh_thuc": "ngày đảng viên là đảng viên chính thức (hết 12 tháng dự bị), dd/mm/yyyy",
    "thu_hoi_the": "«, thu hồi thẻ đảng viên», trống khi đảng viên từ trần (thẻ để lại gia đình)",
    "dua_ra": "«Cho» khi đảng viên xin ra khỏi Đảng; «Đưa tên» khi từ trần, bị xóa tên hay khai trừ",
}

_COMMON = ("nguoi", "so_dang_vien", "ngay", "ten_to_chuc")
MEMBER_PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "admit": _COMMON,
    "confirm_full": (*_COMMON, "ngay_chinh_thuc"),
    "leave": (*_COMMON, "ly_do", "thu_hoi_the", "dua_ra"),
    "exempt": _COMMON,
    "end_exemption": _COMMON,
    "transfer_member": (*_COMMON, "noi_den", "hinh_thuc_chuyen"),
    "receive_member": (*_COMMON, "ten_co_quan_giao"),
}

MEMBER_TEMPLATES: dict[str, str] = {
    "admit": "\n".join([
        "về việc kết nạp đảng viên",
        "Điều 1. Kết nạp {nguoi} vào Đảng Cộng sản Việt Nam, sinh hoạt tại {ten_to_chuc}, kể từ ngày {ngay}.",
        "Thời gian dự bị 12 tháng, kể từ ngày {ngay}.",
        "Điều 2. {ten_to_chuc} tổ chức lễ kết nạp theo quy định, phân công đảng viên chính thức giúp đỡ đảng viên "
        "dự bị tiếp tục phấn đấu.",
        "Điều 3. " + _EXECUTION,
    ]),
    "confirm_full": "\n".join([
        "về việc công nhận đảng viên chính thức",
        "Điều 1. Công nhận {nguoi} là đảng viên chính thức kể từ ngày {ngay_chinh_thuc}, sinh hoạt tại "
        "{ten_to_chuc}.",
        "Điều 2. Tuổi đảng của đảng viên được tính theo quy định của Điều lệ Đảng.",
        "Điều 3. " + _EXECUTION,
    ]),
    "leave": "\n".join([
        "về việc đảng viên ra khỏi danh sách đảng viên ({ly_do})",
        "Điều 1. {dua_ra} {nguoi}, sinh hoạt tại {ten_to_chuc}, ra khỏi danh sách đảng viên kể từ ngày {ngay}; lý do: "
        "{ly_do}.",
        "Điều 2. {ten_to_chuc} ghi vào sổ đảng viên{thu_hoi_the} và hoàn thiện hồ sơ theo quy định.",
        "Điều 3. " + _EXECUTION,
    ]),
    "exempt": "\n".join([
        "về việc miễn công tác và sinh hoạt đảng",
        "Điều 1. Miễn công tác và sinh hoạt đảng đối với {nguoi}, sinh hoạt tại {ten_to_chuc}, kể từ ngày {ngay}.",
        "Điều 2. {ten_to_chuc} theo dõi và tạo điều kiện để đảng viên tham gia sinh hoạt khi có thể.",
        "Điều 3. " + _EXECUTION,
    ]),
    "end_exemption": "\n".join([
        "về việc thôi miễn công tác và sinh hoạt đảng",
        "Điều 1. Cho {nguoi}, sinh hoạt tại {ten_to_chuc}, trở lại công tác và sinh hoạt đảng kể từ ngày {ngay}.",
        "Điều 2. " + _EXECUTION,
    ]),
    "transfer_member": "\n".join([
        "về việc chuyển sinh hoạt đảng",
        "Điều 1. Chuyển sinh hoạt đảng {hinh_thuc_chuyen} cho {nguoi} từ {ten_to_chuc} đến {noi_den}, kể từ ngày "
        "{ngay}.",
        "Điều 2. " + _EXECUTION,
    ]),
    "receive_member": "\n".join([
        "về việc tiếp nhận sinh hoạt đảng",
        "Điều 1. Tiếp nhận {nguoi} từ {ten_co_quan_giao} về sinh hoạt tại {ten_to_chuc}, kể từ ngày {ngay}.",
        "Điều 2. " + _EXECUTION,
    ]),
}

MEMBER_SAMPLE_VALUES = {
    "ngay": "19/05/2026",
    "noi_den": "Đảng bộ Sở Y tế tỉnh Bắc Ninh",
    "hinh_thuc_chuyen": "chính thức",
    "ngay_chinh_thuc": "19/05/2026",
    "thu_hoi_the": ", thu hồi thẻ đảng viên",
    "dua_ra": "Cho",
}
