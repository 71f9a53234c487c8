"""Word lists of the demo office (core.demo): agencies of a Thái Nguyên-style provincial bloc, the units
that hold its chi bộ trực thuộc, and Vietnamese names, places and job titles with their weights."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Agency:
    """An agency (cơ quan) with a TCCSĐ of the bloc."""

    name: str  # "Sở Tài chính"
    head_title: str  # job title of its head, given to the Bí thư of its TCCSĐ ("Giám đốc")
    staff: str  # key of JOB_TITLES
    units: tuple[str, ...] = ()  # units holding a chi bộ trực thuộc, the usual ones first
    typical: int = 0  # usual number of chi bộ trực thuộc


# Districts and towns of the province before the 2025 reform, the provincial capital excluded
# (the provincial offices serve it directly).
DISTRICTS = (
    "huyện Đại Từ", "huyện Phú Bình", "thành phố Phổ Yên", "huyện Đồng Hỷ", "huyện Phú Lương",
    "thành phố Sông Công", "huyện Võ Nhai", "huyện Định Hóa",
)


def _mix(head_office: tuple[str, ...], local_prefix: str) -> tuple[str, ...]:
    """Head-office units and local branches ("Kho bạc Nhà nước huyện Đại Từ"), alternating."""
    local = [f"{local_prefix} {district}" for district in DISTRICTS]
    mixed: list[str] = []
    for i in range(max(len(head_office), len(local))):
        mixed.extend(part[i] for part in (head_office, local) if i < len(part))
    return tuple(mixed)


SO = ("Văn phòng Sở", "Thanh tra Sở", "Phòng Kế hoạch - Tài chính")

HOSPITAL_UNITS = (
    "Khoa Khám bệnh", "Khoa Nội tổng hợp", "Khoa Ngoại tổng hợp", "Khoa Hồi sức tích cực - Chống độc",
    "Khoa Tim mạch", "Khoa Chấn thương chỉnh hình", "Khoa Sản", "Khoa Nhi", "Khoa Thần kinh",
    "Khoa Phẫu thuật - Gây mê hồi sức", "Khoa Cấp cứu", "Khoa Truyền nhiễm", "Khoa Xét nghiệm",
    "Khoa Chẩn đoán hình ảnh", "Khoa Dược", "Phòng Kế hoạch tổng hợp", "Phòng Tổ chức cán bộ",
    "Phòng Điều dưỡng", "Khoa Ung bướu", "Khoa Tiêu hóa", "Khoa Thận - Tiết niệu", "Khoa Mắt",
    "Khoa Tai Mũi Họng", "Khoa Răng Hàm Mặt", "Khoa Da liễu", "Khoa Y học cổ truyền",
    "Khoa Phục hồi chức năng", "Khoa Giải phẫu bệnh", "Khoa Dinh dưỡng", "Khoa Kiểm soát nhiễm khuẩn",
    "Phòng Tài chính - Kế toán", "Phòng Hành chính quản trị", "Phòng Quản lý chất lượng",
)

# The largest đảng bộ cơ sở: a central hospital with two đảng bộ bộ phận (its first 24 units hold chi bộ).
HOST = Agency("Bệnh viện Đa khoa Trung ương Thái Nguyên", "Giám đốc", "y_te", HOSPITAL_UNITS, 24)
BO_PHAN = (
    ("Khối Nội", ("Khoa Nội tổng hợp", "Khoa Tim mạch", "Khoa Thần kinh")),
    ("Khối Ngoại", ("Khoa Ngoại tổng hợp", "Khoa Chấn thương chỉnh hình", "Khoa Phẫu thuật - Gây mê hồi sức")),
)

# The đảng bộ cơ sở under 30 members (kept with the superior committee's consent): 3 small chi bộ.
SMALL = Agency("Sở Dân tộc và Tôn giáo", "Giám đốc", "hanh_chinh",
               ("Văn phòng Sở", "Phòng Chính sách dân tộc", "Phòng Quản lý tôn giáo", "Thanh tra Sở"), 3)

DANG_BO_CO_SO = (
    Agency("Văn phòng Ủy ban nhân dân tỉnh", "Chánh Văn phòng", "hanh_chinh", (
        "Phòng Tổng hợp", "Phòng Kinh tế", "Phòng Khoa giáo - Văn xã", "Phòng Nội chính",
        "Phòng Quản trị - Tài vụ", "Phòng Hành chính - Tổ chức", "Ban Tiếp công dân tỉnh",
        "Trung tâm Thông tin tỉnh", "Nhà khách Ủy ban nhân dân tỉnh"), 7),
    Agency("Sở Tài chính", "Giám đốc", "hanh_chinh", SO + (
        "Phòng Quản lý ngân sách", "Phòng Tài chính đầu tư", "Phòng Quản lý giá và công sản",
        "Phòng Tài chính doanh nghiệp", "Phòng Đăng ký kinh doanh", "Phòng Kinh tế ngành",
        "Phòng Tổng hợp, quy hoạch", "Trung tâm Hỗ trợ doanh nghiệp", "Trung tâm Xúc tiến đầu tư"), 9),
    Agency("Kho bạc Nhà nước tỉnh", "Giám đốc", "kho_bac", _mix((
        "Văn phòng", "Phòng Kế toán Nhà nước", "Phòng Kiểm soát chi", "Phòng Thanh tra - Kiểm tra",
        "Phòng Tổ chức cán bộ", "Phòng Tin học"), "Kho bạc Nhà nước"), 12),
    Agency("Sở Y tế", "Giám đốc", "hanh_chinh", SO + (
        "Phòng Tổ chức cán bộ", "Phòng Nghiệp vụ Y", "Phòng Nghiệp vụ Dược", "Chi cục Dân số",
        "Chi cục An toàn vệ sinh thực phẩm", "Trung tâm Giám định y khoa", "Trung tâm Pháp y",
        "Trung tâm Kiểm nghiệm thuốc, mỹ phẩm, thực phẩm"), 9),
    Agency("Sở Giáo dục và Đào tạo", "Giám đốc", "hanh_chinh", SO + (
        "Phòng Tổ chức cán bộ", "Phòng Giáo dục Trung học", "Phòng Giáo dục Mầm non - Tiểu học",
        "Phòng Khảo thí và Quản lý chất lượng", "Phòng Giáo dục thường xuyên",
        "Trung tâm Giáo dục thường xuyên tỉnh", "Trung tâm Hỗ trợ phát triển giáo dục hòa nhập"), 8),
    Agency("Bảo hiểm xã hội tỉnh", "Giám đốc", "bao_hiem", _mix((
        "Văn phòng", "Phòng Quản lý thu", "Phòng Chế độ bảo hiểm xã hội", "Phòng Giám định bảo hiểm y tế",
        "Phòng Kế hoạch - Tài chính", "Phòng Công nghệ thông tin", "Phòng Kiểm tra"),
        "Bảo hiểm xã hội"), 12),
    Agency("Cục Thuế tỉnh", "Cục trưởng", "thue", (
        "Văn phòng Cục", "Chi cục Thuế thành phố Thái Nguyên", "Phòng Kiểm tra thuế số 1",
        "Chi cục Thuế khu vực Phổ Yên - Phú Bình", "Phòng Kiểm tra thuế số 2",
        "Chi cục Thuế khu vực Đại Từ - Định Hóa", "Phòng Thanh tra - Kiểm tra",
        "Chi cục Thuế khu vực Đồng Hỷ - Võ Nhai", "Phòng Tổ chức cán bộ", "Chi cục Thuế thành phố Sông Công",
        "Phòng Quản lý nợ và Cưỡng chế nợ thuế", "Chi cục Thuế huyện Phú Lương",
        "Phòng Tuyên truyền - Hỗ trợ người nộp thuế", "Phòng Nghiệp vụ - Dự toán - Pháp chế",
        "Phòng Tin học"), 12),
    Agency("Sở Nội vụ", "Giám đốc", "hanh_chinh", SO + (
        "Phòng Tổ chức, biên chế và Tổ chức phi chính phủ", "Phòng Công chức, viên chức",
        "Phòng Xây dựng chính quyền và Công tác thanh niên", "Phòng Lao động - Việc làm",
        "Phòng Người có công", "Ban Thi đua - Khen thưởng", "Chi cục Văn thư - Lưu trữ",
        "Trung tâm Dịch vụ việc làm"), 8),
    Agency("Sở Tư pháp", "Giám đốc", "hanh_chinh", SO + (
        "Phòng Hành chính tư pháp", "Phòng Phổ biến, giáo dục pháp luật",
        "Phòng Xây dựng và Kiểm tra văn bản", "Trung tâm Trợ giúp pháp lý nhà nước", "Phòng Công chứng số 1",
        "Trung tâm Dịch vụ đấu giá tài sản"), 6),
    Agency("Sở Công Thương", "Giám đốc", "hanh_chinh", SO + (
        "Phòng Quản lý công nghiệp", "Phòng Quản lý thương mại", "Phòng Quản lý năng lượng",
        "Phòng Kỹ thuật an toàn - Môi trường", "Trung tâm Khuyến công và Xúc tiến thương mại"), 7),
    Agency("Sở Xây dựng", "Giám đốc", "hanh_chinh", SO + (
        "Phòng Quản lý xây dựng", "Phòng Quy hoạch - Kiến trúc", "Phòng Phát triển đô thị",
        "Phòng Quản lý nhà và Thị trường bất động sản", "Phòng Quản lý kết cấu hạ tầng giao thông",
        "Phòng Quản lý vận tải, phương tiện và người lái", "Trung tâm Giám định chất lượng xây dựng",
        "Trung tâm Đăng kiểm xe cơ giới", "Ban Quản lý bảo trì đường bộ"), 10),
    Agency("Sở Nông nghiệp và Môi trường", "Giám đốc", "hanh_chinh", SO + (
        "Phòng Quản lý đất đai", "Chi cục Kiểm lâm", "Chi cục Thủy lợi",
        "Chi cục Trồng trọt và Bảo vệ thực vật", "Chi cục Chăn nuôi và Thú y", "Chi cục Bảo vệ môi trường",
        "Văn phòng Đăng ký đất đai", "Trung tâm Khuyến nông", "Phòng Tài nguyên nước - Khoáng sản",
        "Trung tâm Quan trắc tài nguyên và môi trường",
        "Trung tâm Nước sạch và Vệ sinh môi trường nông thôn", "Ban Quản lý rừng phòng hộ ATK Định Hóa"), 13),
    Agency("Sở Văn hóa, Thể thao và Du lịch", "Giám đốc", "hanh_chinh", SO + (
        "Phòng Quản lý văn hóa", "Phòng Quản lý thể thao", "Phòng Quản lý du lịch", "Thư viện tỉnh",
        "Bảo tàng tỉnh", "Trung tâm Văn hóa nghệ thuật tỉnh", "Trung tâm Huấn luyện và Thi đấu thể thao",
        "Ban Quản lý Khu di tích lịch sử và sinh thái ATK Định Hóa",
        "Nhà hát Ca múa nhạc dân gian Việt Bắc", "Trung tâm Thông tin xúc tiến du lịch"), 10),
    Agency("Sở Khoa học và Công nghệ", "Giám đốc", "hanh_chinh", SO + (
        "Phòng Quản lý khoa học", "Phòng Quản lý công nghệ và Đổi mới sáng tạo",
        "Phòng Bưu chính, Viễn thông", "Phòng Chuyển đổi số", "Chi cục Tiêu chuẩn Đo lường Chất lượng",
        "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ"), 7),
    Agency("Thanh tra tỉnh", "Chánh Thanh tra", "hanh_chinh", (
        "Văn phòng", "Phòng Nghiệp vụ 1", "Phòng Nghiệp vụ 2", "Phòng Nghiệp vụ 3",
        "Phòng Phòng, chống tham nhũng", "Phòng Giải quyết khiếu nại, tố cáo",
        "Phòng Giám sát, kiểm tra và xử lý sau thanh tra"), 5),
    Agency("Tòa án nhân dân tỉnh", "Chánh án", "toa_an", _mix((
        "Văn phòng", "Tòa Hình sự", "Tòa Dân sự", "Tòa Hành chính", "Tòa Kinh tế",
        "Tòa Gia đình và người chưa thành niên", "Phòng Kiểm tra nghiệp vụ và thi hành án"),
        "Tòa án nhân dân"), 11),
    Agency("Viện kiểm sát nhân dân tỉnh", "Viện trưởng", "kiem_sat", _mix((
        "Văn phòng", "Phòng 1", "Phòng 2", "Phòng 7", "Phòng 8", "Phòng 9", "Phòng 10", "Thanh tra"),
        "Viện kiểm sát nhân dân"), 11),
    HOST,
    Agency("Bệnh viện A Thái Nguyên", "Giám đốc", "y_te", HOSPITAL_UNITS, 13),
    Agency("Bệnh viện C Thái Nguyên", "Giám đốc", "y_te", HOSPITAL_UNITS, 11),
    Agency("Bệnh viện Gang Thép Thái Nguyên", "Giám đốc", "y_te", HOSPITAL_UNITS, 9),
    Agency("Bệnh viện Y học cổ truyền tỉnh", "Giám đốc", "y_te", (
        "Khoa Khám bệnh", "Khoa Nội", "Khoa Châm cứu - Dưỡng sinh", "Khoa Phục hồi chức năng", "Khoa Dược",
        "Phòng Kế hoạch tổng hợp", "Phòng Tổ chức - Hành chính", "Khoa Cận lâm sàng"), 6),
    Agency("Bệnh viện Lao và Bệnh phổi tỉnh", "Giám đốc", "y_te", (
        "Khoa Khám bệnh", "Khoa Lao", "Khoa Bệnh phổi", "Khoa Cận lâm sàng", "Khoa Dược",
        "Phòng Kế hoạch tổng hợp", "Phòng Tổ chức - Hành chính"), 5),
    Agency("Bệnh viện Tâm thần tỉnh", "Giám đốc", "y_te", (
        "Khoa Khám bệnh", "Khoa Điều trị nam", "Khoa Điều trị nữ", "Khoa Dược", "Phòng Kế hoạch tổng hợp",
        "Phòng Tổ chức - Hành chính"), 4),
    Agency("Trung tâm Kiểm soát bệnh tật tỉnh", "Giám đốc", "y_te", (
        "Khoa Phòng, chống bệnh truyền nhiễm", "Khoa Phòng, chống HIV/AIDS", "Khoa Dinh dưỡng",
        "Khoa Sức khỏe môi trường - Y tế trường học", "Khoa Xét nghiệm - Chẩn đoán hình ảnh",
        "Phòng Tổ chức - Hành chính", "Phòng Kế hoạch - Nghiệp vụ", "Khoa Kiểm dịch y tế quốc tế",
        "Phòng khám đa khoa"), 7),
    Agency("Trường Chính trị tỉnh", "Hiệu trưởng", "giao_duc", (
        "Phòng Tổ chức - Hành chính", "Phòng Quản lý đào tạo và Nghiên cứu khoa học", "Khoa Lý luận cơ sở",
        "Khoa Nhà nước và Pháp luật", "Khoa Xây dựng Đảng", "Khoa Dân vận", "Thư viện"), 5),
    Agency("Đài Phát thanh - Truyền hình tỉnh", "Giám đốc", "bao_chi", (
        "Phòng Tổ chức - Hành chính", "Phòng Thời sự", "Phòng Chuyên đề", "Phòng Văn nghệ - Giải trí",
        "Phòng Kỹ thuật - Công nghệ", "Phòng Biên tập", "Phòng Dịch vụ - Quảng cáo",
        "Phòng Thông tin điện tử"), 6),
    Agency("Báo Thái Nguyên", "Tổng Biên tập", "bao_chi", (
        "Phòng Trị sự", "Phòng Thời sự - Chính trị", "Phòng Kinh tế", "Phòng Văn hóa - Xã hội",
        "Phòng Bạn đọc - Pháp luật", "Phòng Điện tử", "Phòng Thư ký tòa soạn"), 5),
    Agency("Liên đoàn Lao động tỉnh", "Chủ tịch", "hanh_chinh", (
        "Văn phòng", "Ban Tổ chức - Kiểm tra", "Ban Chính sách - Pháp luật", "Ban Tuyên giáo - Nữ công",
        "Ban Tài chính", "Trung tâm Tư vấn pháp luật", "Nhà Văn hóa Lao động tỉnh",
        "Công đoàn ngành Y tế", "Công đoàn ngành Giáo dục", "Công đoàn Viên chức tỉnh"), 6),
    Agency("Ban Quản lý các khu công nghiệp tỉnh", "Trưởng Ban", "hanh_chinh", (
        "Văn phòng Ban", "Phòng Quản lý đầu tư", "Phòng Quản lý quy hoạch và xây dựng",
        "Phòng Quản lý lao động", "Phòng Quản lý môi trường", "Phòng Kế hoạch - Tài chính"), 4),
    Agency("Trường Cao đẳng Y tế Thái Nguyên", "Hiệu trưởng", "giao_duc", (
        "Phòng Đào tạo", "Phòng Tổ chức - Hành chính", "Khoa Điều dưỡng", "Khoa Dược", "Khoa Y học cơ sở",
        "Phòng Tài chính - Kế toán", "Khoa Khoa học cơ bản", "Khoa Kỹ thuật xét nghiệm"), 5),
    Agency("Trường Cao đẳng Công nghiệp Thái Nguyên", "Hiệu trưởng", "giao_duc", (
        "Khoa Cơ khí", "Khoa Điện - Điện tử", "Khoa Công nghệ thông tin", "Khoa Kinh tế",
        "Phòng Đào tạo", "Khoa Công nghệ ô tô", "Phòng Tổ chức - Hành chính",
        "Phòng Công tác học sinh, sinh viên"), 6),
    Agency("Trường Cao đẳng Sư phạm Thái Nguyên", "Hiệu trưởng", "giao_duc", (
        "Khoa Tự nhiên", "Khoa Xã hội", "Khoa Giáo dục Mầm non", "Khoa Giáo dục Tiểu học",
        "Khoa Ngoại ngữ - Tin học", "Phòng Đào tạo", "Phòng Tổ chức - Hành chính"), 5),
    Agency("Trường Cao đẳng Thương mại và Du lịch", "Hiệu trưởng", "giao_duc", (
        "Khoa Kế toán", "Khoa Quản trị kinh doanh", "Khoa Du lịch - Khách sạn", "Khoa Khoa học cơ bản",
        "Phòng Đào tạo", "Phòng Tổ chức - Hành chính"), 5),
    Agency("Trường Cao đẳng Kinh tế - Tài chính Thái Nguyên", "Hiệu trưởng", "giao_duc", (
        "Khoa Tài chính - Ngân hàng", "Khoa Kế toán", "Khoa Quản trị kinh doanh", "Khoa Cơ bản",
        "Phòng Đào tạo", "Phòng Tổ chức - Hành chính"), 5),
    Agency("Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh", "Chánh Văn phòng", "hanh_chinh", (
        "Phòng Công tác Quốc hội", "Phòng Công tác Hội đồng nhân dân", "Phòng Hành chính - Tổ chức - Quản trị",
        "Phòng Thông tin - Dân nguyện", "Ban Kinh tế - Ngân sách", "Ban Văn hóa - Xã hội"), 4),
    Agency("Cục Thống kê tỉnh", "Cục trưởng", "hanh_chinh", _mix((
        "Văn phòng", "Phòng Thống kê Kinh tế", "Phòng Thống kê Xã hội", "Phòng Thu thập thông tin"),
        "Chi cục Thống kê"), 8),
    Agency("Cục Quản lý thị trường tỉnh", "Cục trưởng", "hanh_chinh", (
        "Văn phòng", "Đội Quản lý thị trường số 1", "Đội Quản lý thị trường số 2", "Phòng Nghiệp vụ - Tổng hợp",
        "Đội Quản lý thị trường số 3", "Đội Quản lý thị trường số 4", "Phòng Thanh tra - Pháp chế",
        "Đội Quản lý thị trường số 5", "Đội Quản lý thị trường số 6", "Đội Quản lý thị trường số 7",
        "Đội Quản lý thị trường số 8"), 8),
    Agency("Ngân hàng Chính sách xã hội chi nhánh tỉnh", "Giám đốc", "ngan_hang", _mix((
        "Phòng Kế hoạch - Nghiệp vụ tín dụng", "Phòng Kế toán - Ngân quỹ", "Phòng Hành chính - Tổ chức",
        "Phòng Kiểm tra, kiểm soát nội bộ"), "Phòng giao dịch"), 9),
    SMALL,
    Agency("Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh", "Giám đốc",
           "hanh_chinh", (
        "Phòng Hành chính - Tổng hợp", "Phòng Kế hoạch - Tài chính", "Phòng Quản lý dự án 1",
        "Phòng Quản lý dự án 2", "Phòng Quản lý dự án 3", "Phòng Kỹ thuật - Thẩm định"), 4),
    Agency("Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh", "Giám đốc", "hanh_chinh", (
        "Phòng Hành chính - Tổng hợp", "Phòng Kế hoạch - Tài chính", "Phòng Quản lý dự án 1",
        "Phòng Quản lý dự án 2", "Phòng Kỹ thuật - Thẩm định"), 4),
)

CHI_BO_CO_SO = (
    Agency("Hội Cựu chiến binh tỉnh", "Chủ tịch", "hanh_chinh"),
    Agency("Hội Nông dân tỉnh", "Chủ tịch", "hanh_chinh"),
    Agency("Hội Liên hiệp Phụ nữ tỉnh", "Chủ tịch", "hanh_chinh"),
    Agency("Tỉnh đoàn Thái Nguyên", "Bí thư Tỉnh đoàn", "hanh_chinh"),
    Agency("Liên minh Hợp tác xã tỉnh", "Chủ tịch", "hanh_chinh"),
    Agency("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh", "Chủ tịch", "hanh_chinh"),
    Agency("Hội Chữ thập đỏ tỉnh", "Chủ tịch", "hanh_chinh"),
    Agency("Hội Văn học Nghệ thuật tỉnh", "Chủ tịch", "hanh_chinh"),
    Agency("Hội Luật gia tỉnh", "Chủ tịch", "hanh_chinh"),
    Agency("Hội Nhà báo tỉnh", "Chủ tịch", "bao_chi"),
    Agency("Liên hiệp các tổ chức hữu nghị tỉnh", "Chủ tịch", "hanh_chinh"),
    Agency("Trung tâm Phục vụ hành chính công tỉnh", "Giám đốc", "hanh_chinh"),
    Agency("Quỹ Đầu tư phát triển tỉnh", "Giám đốc", "ngan_hang"),
    Agency("Trung tâm Lưu trữ lịch sử tỉnh", "Giám đốc", "hanh_chinh"),
    Agency("Trung tâm Bảo trợ xã hội tỉnh", "Giám đốc", "hanh_chinh"),
    Agency("Trường Trung học phổ thông Chuyên Thái Nguyên", "Hiệu trưởng", "giao_duc"),
    Agency("Trường Phổ thông Dân tộc nội trú tỉnh", "Hiệu trưởng", "giao_duc"),
    Agency("Trung tâm Công nghệ thông tin và Truyền thông tỉnh", "Giám đốc", "hanh_chinh"),
    Agency("Ban Quản lý dự án đầu tư xây dựng các công trình nông nghiệp và phát triển nông thôn tỉnh",
           "Giám đốc", "hanh_chinh"),
    Agency("Quỹ Bảo vệ môi trường tỉnh", "Giám đốc", "ngan_hang"),
    Agency("Trung tâm Phát triển quỹ đất tỉnh", "Giám đốc", "hanh_chinh"),
    Agency("Trung tâm Điều dưỡng người có công tỉnh", "Giám đốc", "y_te"),
    Agency("Cơ sở cai nghiện ma túy tỉnh", "Giám đốc", "hanh_chinh"),
    Agency("Trung tâm Công tác xã hội tỉnh", "Giám đốc", "hanh_chinh"),
    Agency("Bệnh viện Phục hồi chức năng tỉnh", "Giám đốc", "y_te"),
    Agency("Hội Đông y tỉnh", "Chủ tịch", "y_te"),
    Agency("Hội Người cao tuổi tỉnh", "Chủ tịch", "hanh_chinh"),
    Agency("Đoàn Luật sư tỉnh", "Chủ nhiệm", "hanh_chinh"),
    Agency("Trường Trung cấp Nghề Thái Nguyên", "Hiệu trưởng", "giao_duc"),
    Agency("Hội Khuyến học tỉnh", "Chủ tịch", "hanh_chinh"),
    Agency("Hội Bảo trợ người khuyết tật, trẻ mồ côi và bệnh nhân nghèo tỉnh", "Chủ tịch", "hanh_chinh"),
)

# (value, weight) tables.
JOB_TITLES: dict[str, tuple[tuple[str, int], ...]] = {
    "hanh_chinh": (("Chuyên viên", 40), ("Chuyên viên chính", 15), ("Phó Trưởng phòng", 10),
                   ("Trưởng phòng", 6), ("Kế toán viên", 5), ("Thanh tra viên", 3), ("Văn thư", 3),
                   ("Cán sự", 3), ("Nhân viên", 3), ("Lái xe", 2)),
    "y_te": (("Bác sĩ", 30), ("Điều dưỡng", 30), ("Kỹ thuật viên", 8), ("Dược sĩ", 6), ("Hộ sinh", 4),
             ("Phó Trưởng khoa", 5), ("Trưởng khoa", 3), ("Điều dưỡng trưởng", 3), ("Chuyên viên", 5),
             ("Kế toán viên", 2)),
    "giao_duc": (("Giảng viên", 35), ("Giảng viên chính", 15), ("Giáo viên", 15), ("Phó Trưởng khoa", 5),
                 ("Trưởng khoa", 4), ("Chuyên viên", 15), ("Kế toán viên", 3), ("Thư viện viên", 2)),
    "toa_an": (("Thẩm phán", 30), ("Thư ký Tòa án", 30), ("Thẩm tra viên", 15), ("Chuyên viên", 15),
               ("Kế toán viên", 3)),
    "kiem_sat": (("Kiểm sát viên", 45), ("Kiểm tra viên", 25), ("Chuyên viên", 20), ("Kế toán viên", 3)),
    "bao_chi": (("Phóng viên", 35), ("Biên tập viên", 30), ("Kỹ thuật viên", 15), ("Quay phim", 8),
                ("Chuyên viên", 10)),
    "thue": (("Kiểm tra viên thuế", 40), ("Kiểm tra viên chính thuế", 20), ("Chuyên viên", 20),
             ("Phó Đội trưởng", 5), ("Đội trưởng", 4)),
    "kho_bac": (("Kiểm soát viên", 35), ("Kế toán viên", 25), ("Chuyên viên", 25), ("Thủ quỹ", 5)),
    "bao_hiem": (("Chuyên viên", 45), ("Giám định viên", 20), ("Kế toán viên", 15), ("Cán sự", 10)),
    "ngan_hang": (("Cán bộ tín dụng", 35), ("Kế toán viên", 25), ("Giao dịch viên", 15), ("Chuyên viên", 20)),
}

EDUCATION = (("Đại học", 60), ("Thạc sĩ", 25), ("Tiến sĩ", 3), ("Cao đẳng", 6), ("Trung cấp", 6))
THEORY_LEVELS = (("Sơ cấp", 50), ("Trung cấp", 35), ("Cao cấp", 15))
RELIGIONS = (("Không", 960), ("Phật giáo", 25), ("Công giáo", 15))
ETHNICITIES = (("Kinh", 840), ("Tày", 80), ("Nùng", 40), ("Sán Dìu", 20), ("Dao", 15), ("H'Mông", 5))

FAMILY_NAMES: dict[str, tuple[tuple[str, int], ...]] = {
    "Kinh": (
        ("Nguyễn", 480), ("Trần", 110), ("Lê", 90), ("Phạm", 70), ("Hoàng", 50), ("Vũ", 45), ("Đỗ", 25),
        ("Đặng", 22), ("Bùi", 22), ("Dương", 16), ("Ngô", 14), ("Phan", 12), ("Đinh", 11), ("Đào", 10),
        ("Trương", 10), ("Hà", 9), ("Hồ", 8), ("Lương", 8), ("Trịnh", 8), ("Võ", 6), ("Mai", 6), ("Cao", 6),
        ("Tạ", 5), ("Lưu", 5), ("Lý", 4), ("Chu", 4), ("Phùng", 4), ("Triệu", 3), ("Kiều", 3), ("Tô", 3),
        ("Vương", 3), ("Lại", 3), ("Nghiêm", 2), ("Giáp", 2), ("Quách", 2), ("Khổng", 2), ("Ninh", 2),
        ("Thái", 2), ("Đàm", 2), ("Nông", 2), ("Doãn", 1), ("Âu", 1), ("Mạc", 1), ("Lã", 1),
    ),
    "Tày": (("Hoàng", 20), ("Nông", 15), ("Ma", 10), ("Nguyễn", 10), ("Lương", 8), ("Hà", 8), ("Triệu", 6),
            ("Đàm", 5), ("Lưu", 4), ("Lý", 4), ("Mông", 3), ("Lục", 3), ("Hứa", 3)),
    "Nùng": (("Hoàng", 15), ("Nông", 10), ("Triệu", 8), ("Nguyễn", 8), ("Lăng", 6), ("Lý", 6), ("Vi", 6),
             ("Lương", 6), ("Mã", 4), ("Chu", 3)),
    "Sán Dìu": (("Lý", 15), ("Trương", 12), ("Diệp", 10), ("Lưu", 10), ("Tạ", 8), ("Dương", 8), ("Lam", 6),
                ("Trần", 5), ("Đỗ", 4)),
    "Dao": (("Triệu", 25), ("Bàn", 25), ("Đặng", 15), ("Lý", 12), ("Chu", 5), ("Phùng", 5)),
    "H'Mông": (("Giàng", 20), ("Sùng", 15), ("Vừ", 15), ("Thào", 12), ("Lý", 10), ("Mùa", 10), ("Hầu", 8),
               ("Lầu", 5)),
}

MIDDLE_NAMES = {
    "nam": (("Văn", 40), ("Đức", 10), ("Minh", 8), ("Quang", 7), ("Hữu", 5), ("Xuân", 5), ("Đình", 5),
            ("Mạnh", 4), ("Thanh", 4), ("Công", 4), ("Ngọc", 3), ("Anh", 3), ("Tuấn", 3), ("Tiến", 3),
            ("Trọng", 3), ("Duy", 3), ("Việt", 3), ("Hoàng", 3), ("Thế", 3), ("Trung", 2), ("Hồng", 2),
            ("Bá", 2), ("Khắc", 2), ("Huy", 2), ("Kim", 1), ("Phú", 1)),
    "nu": (("Thị", 55), ("Thu", 7), ("Thanh", 6), ("Ngọc", 5), ("Hồng", 5), ("Minh", 4), ("Thúy", 3),
           ("Phương", 3), ("Kim", 3), ("Bích", 3), ("Thùy", 3), ("Mai", 2), ("Lan", 2), ("Diệu", 2),
           ("Hải", 2), ("Khánh", 2), ("Quỳnh", 2), ("Hoài", 2), ("Ánh", 1), ("Tuyết", 1)),
}
# Two-word middle names ("Nguyễn Thị Thu Hà"), drawn now and then.
DOUBLE_MIDDLE_NAMES = {
    "nam": ("Đức Minh", "Quang Minh", "Văn Minh", "Hữu Quang", "Đình Quang", "Minh Đức", "Xuân Quang"),
    "nu": ("Thị Thu", "Thị Thanh", "Thị Hồng", "Thị Minh", "Thị Ngọc", "Thị Kim", "Thị Bích", "Thị Thúy",
           "Thị Lan", "Thị Hải", "Thị Phương", "Thị Mai", "Thị Thùy", "Thị Diệu"),
}
DOUBLE_MIDDLE_SHARE = {"nam": 0.04, "nu": 0.15}

GIVEN_NAMES = {
    "nam": (
        "Anh", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Hưng", "Hoàng", "Huy", "Khánh", "Kiên", "Lâm",
        "Long", "Mạnh", "Minh", "Nam", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành",
        "Tiến", "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Hiếu", "Hòa", "Hậu", "Hiệp", "Khải", "Lợi",
        "Lực", "Nghĩa", "Phương", "Quyết", "Tâm", "Thịnh", "Trường", "Tú", "Vũ", "Đạt", "Định", "Đông",
        "Giang", "Chiến", "Công", "Duy", "Dương", "Huân", "Luân", "Ngọc", "Sáng", "Thái", "Thông", "Thuận",
        "Tuyên", "Hoan", "Bắc", "Biên", "Chung", "Hạnh", "Lộc",
    ),
    "nu": (
        "Anh", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hòa", "Hồng", "Huệ", "Hương", "Huyền", "Lan", "Liên",
        "Linh", "Loan", "Mai", "Minh", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Quỳnh",
        "Tâm", "Thảo", "Thủy", "Thúy", "Thu", "Thư", "Trang", "Trâm", "Tuyết", "Uyên", "Vân", "Yến", "Xuân",
        "Dung", "Giang", "Hải", "Hậu", "Lệ", "Ly", "My", "Nguyệt", "Nhàn", "Hường", "Duyên", "Chi", "Diệp",
        "Hoài", "Lý", "Phượng", "Thắm", "Thoa", "Tươi", "Vy", "Hiên", "Lương", "Thơm", "Vui",
    ),
}

# H'Mông names follow their own pattern ("Giàng A Páo", "Sùng Thị Mỷ").
HMONG_MIDDLE = {"nam": "A", "nu": "Thị"}
HMONG_GIVEN = {
    "nam": ("Páo", "Chứ", "Dế", "Sính", "Pó", "Chá", "Tồng", "Lử", "Dình", "Súa"),
    "nu": ("Mỷ", "Dợ", "Sua", "Pàng", "Chở", "Mai", "Dua", "Máy", "Say", "Chi"),
}

_THAI_NGUYEN_PLACES = {
    "thành phố Thái Nguyên": ("Phường Phan Đình Phùng", "Phường Hoàng Văn Thụ", "Phường Quang Trung",
                              "Phường Túc Duyên", "Phường Gia Sàng", "Phường Tân Thịnh", "Phường Đồng Quang",
                              "Phường Trưng Vương", "Xã Phúc Xuân", "Xã Quyết Thắng", "Xã Thịnh Đức"),
    "huyện Đại Từ": ("Thị trấn Hùng Sơn", "Xã Tân Thái", "Xã Phú Xuyên", "Xã Bản Ngoại", "Xã Cù Vân",
                     "Xã Hà Thượng", "Xã Ký Phú", "Xã Văn Yên", "Xã La Bằng", "Xã Yên Lãng"),
    "huyện Phú Bình": ("Thị trấn Hương Sơn", "Xã Kha Sơn", "Xã Thượng Đình", "Xã Úc Kỳ", "Xã Nhã Lộng",
                       "Xã Điềm Thụy", "Xã Bảo Lý", "Xã Xuân Phương"),
    "huyện Phú Lương": ("Thị trấn Đu", "Thị trấn Giang Tiên", "Xã Động Đạt", "Xã Phấn Mễ", "Xã Yên Lạc",
                        "Xã Vô Tranh", "Xã Ôn Lương"),
    "huyện Đồng Hỷ": ("Thị trấn Trại Cau", "Xã Hóa Thượng", "Xã Hóa Trung", "Xã Minh Lập", "Xã Khe Mo",
                      "Xã Nam Hòa", "Xã Văn Hán"),
    "huyện Võ Nhai": ("Thị trấn Đình Cả", "Xã La Hiên", "Xã Tràng Xá", "Xã Dân Tiến", "Xã Lâu Thượng",
                      "Xã Phú Thượng"),
    "huyện Định Hóa": ("Thị trấn Chợ Chu", "Xã Trung Hội", "Xã Phú Đình", "Xã Bảo Cường", "Xã Kim Phượng",
                       "Xã Điềm Mặc", "Xã Tân Dương"),
    "thành phố Phổ Yên": ("Phường Ba Hàng", "Phường Hồng Tiến", "Phường Đắc Sơn", "Phường Tiên Phong",
                          "Phường Trung Thành", "Xã Thành Công"),
    "thành phố Sông Công": ("Phường Mỏ Chè", "Phường Cải Đan", "Phường Bá Xuyên", "Xã Bình Sơn"),
}
_OTHER_PLACES = (
    "Xã Bằng Lũng, huyện Chợ Đồn, tỉnh Bắc Kạn", "Xã Quảng Chu, huyện Chợ Mới, tỉnh Bắc Kạn",
    "Xã Hợp Thành, huyện Sơn Dương, tỉnh Tuyên Quang", "Xã Tân Dĩnh, huyện Lạng Giang, tỉnh Bắc Giang",
    "Xã Hương Lâm, huyện Hiệp Hòa, tỉnh Bắc Giang", "Xã Thanh Ba, huyện Thanh Ba, tỉnh Phú Thọ",
    "Xã Đông Tảo, huyện Khoái Châu, tỉnh Hưng Yên", "Xã Vũ Thắng, huyện Kiến Xương, tỉnh Thái Bình",
    "Xã Hải Anh, huyện Hải Hậu, tỉnh Nam Định", "Xã Nghĩa Hưng, huyện Vĩnh Tường, tỉnh Vĩnh Phúc",
    "Xã Phù Đổng, huyện Gia Lâm, thành phố Hà Nội", "Xã Yên Trạch, huyện Cao Lộc, tỉnh Lạng Sơn",
)
HOMETOWNS = tuple(
    f"{commune}, {district}, tỉnh Thái Nguyên"
    for district, communes in _THAI_NGUYEN_PLACES.items() for commune in communes
) + _OTHER_PLACES
