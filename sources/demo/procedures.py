"""The administrative procedures in the demo's dossiers.

Codes follow the national procedure database's format (``1.001193``) but are illustrative. Each
procedure has its statutory processing time in working days, its fee in VND (0 for many), whether
it can be done fully online, who handles it (``ward`` for wards and communes, else the competent
department) and its relative volume.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    handler: str  # "ward" or a department id
    statutory_days: int
    fee: int
    full_online: bool
    weight: float


WARD = "ward"

PROCEDURES: list[Procedure] = [
    # Handled by wards and communes
    Procedure("1.001193", "Đăng ký khai sinh", WARD, 1, 0, True, 14),
    Procedure("1.000894", "Đăng ký kết hôn", WARD, 3, 0, True, 4),
    Procedure("1.000656", "Đăng ký khai tử", WARD, 1, 0, True, 3),
    Procedure(
        "2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", WARD, 1, 6_000, True, 22
    ),
    Procedure("2.000884", "Chứng thực chữ ký trong giấy tờ, văn bản", WARD, 1, 10_000, False, 6),
    Procedure(
        "2.001035",
        "Chứng thực hợp đồng, giao dịch liên quan đến động sản",
        WARD,
        2,
        50_000,
        False,
        3,
    ),
    Procedure("1.004873", "Cấp bản sao trích lục hộ tịch", WARD, 1, 8_000, True, 8),
    Procedure("1.001022", "Cấp Giấy xác nhận tình trạng hôn nhân", WARD, 3, 0, True, 7),
    Procedure(
        "1.004227",
        "Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất lần đầu",
        WARD,
        20,
        100_000,
        False,
        3,
    ),
    Procedure(
        "1.004203",
        "Đăng ký biến động quyền sử dụng đất, tài sản gắn liền với đất",
        WARD,
        10,
        50_000,
        False,
        6,
    ),
    Procedure("1.009994", "Cấp giấy phép xây dựng nhà ở riêng lẻ", WARD, 15, 75_000, True, 3),
    Procedure("2.000720", "Đăng ký thành lập hộ kinh doanh", WARD, 3, 100_000, True, 5),
    Procedure(
        "2.000575", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", WARD, 3, 50_000, True, 2
    ),
    Procedure("1.001776", "Trợ cấp xã hội hằng tháng", WARD, 15, 0, False, 2),
    Procedure("2.000633", "Cấp Giấy phép bán lẻ rượu", WARD, 10, 300_000, True, 1),
    Procedure(
        "1.003583",
        "Xác nhận hộ gia đình làm nông nghiệp có mức sống trung bình",
        WARD,
        5,
        0,
        True,
        1,
    ),
    # Handled by departments (received by the department or the service centre)
    Procedure("1.001268", "Cấp Phiếu lý lịch tư pháp", "so_tu_phap", 10, 200_000, True, 14),
    Procedure("2.001610", "Đăng ký thành lập doanh nghiệp", "so_tai_chinh", 3, 50_000, True, 14),
    Procedure(
        "2.002032",
        "Đăng ký thay đổi nội dung đăng ký doanh nghiệp",
        "so_tai_chinh",
        3,
        50_000,
        True,
        12,
    ),
    Procedure(
        "1.012280", "Cấp giấy phép hành nghề khám bệnh, chữa bệnh", "so_y_te", 20, 360_000, False, 4
    ),
    Procedure("1.004616", "Cấp chứng chỉ hành nghề dược", "so_y_te", 20, 500_000, True, 3),
    Procedure(
        "1.003160",
        "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
        "so_cong_thuong",
        20,
        1_000_000,
        False,
        2,
    ),
    Procedure("1.002804", "Đổi giấy phép lái xe", "so_xay_dung", 5, 135_000, True, 16),
    Procedure(
        "1.002861",
        "Cấp Giấy phép kinh doanh vận tải bằng xe ô tô",
        "so_xay_dung",
        5,
        200_000,
        True,
        3,
    ),
    Procedure(
        "1.009972", "Cấp giấy phép xây dựng công trình", "so_xay_dung", 20, 150_000, False, 2
    ),
    Procedure("1.010733", "Cấp giấy phép môi trường", "so_nong_nghiep_moi_truong", 30, 0, False, 1),
    Procedure(
        "1.000105",
        "Cấp giấy phép lao động cho người lao động nước ngoài",
        "so_noi_vu",
        5,
        600_000,
        True,
        5,
    ),
    Procedure(
        "1.005092",
        "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
        "so_giao_duc_dao_tao",
        1,
        0,
        True,
        4,
    ),
    Procedure(
        "1.001010",
        "Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ",
        "so_khoa_hoc_cong_nghe",
        15,
        0,
        True,
        1,
    ),
    Procedure(
        "1.001809",
        "Cấp giấy phép kinh doanh dịch vụ lữ hành nội địa",
        "so_du_lich",
        10,
        3_000_000,
        True,
        1,
    ),
    Procedure(
        "1.008003", "Cung cấp thông tin về quy hoạch", "so_quy_hoach_kien_truc", 15, 0, True, 2
    ),
    Procedure("1.009800", "Cấp phép tổ chức lễ hội", "so_van_hoa_the_thao", 5, 0, True, 1),
    Procedure(
        "1.000920", "Đăng ký sinh hoạt tôn giáo tập trung", "so_dan_toc_ton_giao", 20, 0, False, 0.5
    ),
    Procedure(
        "1.009450",
        "Điều chỉnh Giấy chứng nhận đăng ký đầu tư trong khu công nghệ cao",
        "ban_quan_ly_khu_cnc_kcn",
        15,
        0,
        True,
        1,
    ),
]

WARD_PROCEDURES = [p for p in PROCEDURES if p.handler == WARD]
DEPARTMENT_PROCEDURES = [p for p in PROCEDURES if p.handler != WARD]
