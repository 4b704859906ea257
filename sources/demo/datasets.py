"""The register of datasets each department is asked to share through the city's data platform.

Most departments share and their connections sync regularly (a few have gone stale); some are
still pending. The Departments of Health, Industry and Trade, and Justice refuse: the "cát cứ"
(walled-off) data the conference named.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from sources.demo.clock import LAST_DAY
from sources.demo.rng import rng_for

REFUSING = ("so_y_te", "so_cong_thuong", "so_tu_phap")

_DATASETS: dict[str, list[tuple[str, str]]] = {
    "so_noi_vu": [
        ("Cơ sở dữ liệu cán bộ, công chức, viên chức", "Civil servants database"),
        ("Dữ liệu người có công", "Persons with meritorious services"),
        ("Dữ liệu đối tượng bảo trợ xã hội", "Social protection beneficiaries"),
        ("Dữ liệu lao động, việc làm", "Labour and employment"),
    ],
    "so_tu_phap": [
        ("Cơ sở dữ liệu hộ tịch điện tử", "Electronic civil status registry"),
        ("Dữ liệu lý lịch tư pháp", "Judicial records"),
        ("Dữ liệu công chứng, chứng thực", "Notarisation and authentication"),
        ("Cơ sở dữ liệu văn bản quy phạm pháp luật của Thành phố", "City legal documents"),
    ],
    "so_tai_chinh": [
        ("Dữ liệu đăng ký doanh nghiệp", "Business registration"),
        ("Dữ liệu hộ kinh doanh", "Household businesses"),
        ("Dữ liệu dự án đầu tư công", "Public investment projects"),
        ("Dữ liệu thu, chi ngân sách", "Budget revenue and expenditure"),
        ("Dữ liệu tài sản công", "Public assets"),
    ],
    "so_cong_thuong": [
        ("Dữ liệu cơ sở sản xuất công nghiệp", "Industrial producers"),
        ("Dữ liệu chợ, siêu thị, trung tâm thương mại", "Markets, supermarkets and malls"),
        ("Dữ liệu an toàn thực phẩm ngành công thương", "Food safety (industry and trade)"),
        ("Dữ liệu xúc tiến thương mại", "Trade promotion"),
    ],
    "so_nong_nghiep_moi_truong": [
        ("Cơ sở dữ liệu đất đai", "Land database"),
        ("Dữ liệu quan trắc môi trường", "Environmental monitoring"),
        ("Dữ liệu tài nguyên nước", "Water resources"),
        ("Dữ liệu cơ sở trồng trọt, chăn nuôi", "Farms and livestock"),
        ("Dữ liệu đê điều, phòng chống thiên tai", "Dykes and disaster prevention"),
    ],
    "so_xay_dung": [
        ("Dữ liệu cấp phép xây dựng", "Construction permits"),
        ("Dữ liệu nhà ở và thị trường bất động sản", "Housing and real estate market"),
        ("Dữ liệu phương tiện và người lái", "Vehicles and drivers"),
        ("Dữ liệu vận tải hành khách công cộng", "Public transport"),
        ("Dữ liệu hạ tầng kỹ thuật đô thị", "Urban technical infrastructure"),
    ],
    "so_khoa_hoc_cong_nghe": [
        ("Dữ liệu nhiệm vụ khoa học và công nghệ", "Science and technology tasks"),
        ("Dữ liệu doanh nghiệp khoa học và công nghệ", "Science and technology enterprises"),
        ("Dữ liệu hạ tầng viễn thông", "Telecommunications infrastructure"),
        ("Dữ liệu sở hữu trí tuệ", "Intellectual property"),
        ("Dữ liệu tiêu chuẩn, đo lường, chất lượng", "Standards, metrology and quality"),
    ],
    "so_van_hoa_the_thao": [
        ("Dữ liệu di sản văn hóa", "Cultural heritage"),
        ("Dữ liệu thiết chế văn hóa, thể thao", "Cultural and sports facilities"),
        ("Dữ liệu gia đình", "Families"),
        ("Dữ liệu vận động viên", "Athletes"),
    ],
    "so_giao_duc_dao_tao": [
        ("Cơ sở dữ liệu ngành giáo dục", "Education sector database"),
        ("Dữ liệu học sinh", "Pupils"),
        ("Dữ liệu giáo viên", "Teachers"),
        ("Dữ liệu văn bằng, chứng chỉ", "Diplomas and certificates"),
    ],
    "so_y_te": [
        ("Hồ sơ sức khỏe điện tử", "Electronic health records"),
        ("Dữ liệu cơ sở khám bệnh, chữa bệnh", "Health facilities"),
        ("Dữ liệu tiêm chủng", "Immunisation"),
        ("Dữ liệu hành nghề y, dược", "Medical and pharmacy practice licences"),
        ("Dữ liệu an toàn thực phẩm ngành y tế", "Food safety (health)"),
    ],
    "thanh_tra_thanh_pho": [
        (
            "Dữ liệu tiếp công dân, khiếu nại, tố cáo",
            "Citizen reception, complaints and denunciations",
        ),
        ("Dữ liệu kết luận thanh tra", "Inspection conclusions"),
        ("Dữ liệu kê khai tài sản, thu nhập", "Asset and income declarations"),
    ],
    "van_phong_ubnd": [
        ("Dữ liệu văn bản chỉ đạo, điều hành", "Directives and executive documents"),
        ("Dữ liệu nhiệm vụ UBND Thành phố giao", "Tasks assigned by the City People's Committee"),
        ("Cơ sở dữ liệu thủ tục hành chính", "Administrative procedures catalogue"),
        ("Dữ liệu phản ánh, kiến nghị của người dân", "Citizen feedback and petitions"),
    ],
    "so_dan_toc_ton_giao": [
        ("Dữ liệu cơ sở tôn giáo, tín ngưỡng", "Religious establishments"),
        ("Dữ liệu đồng bào dân tộc thiểu số", "Ethnic minority communities"),
        ("Dữ liệu chức sắc, chức việc tôn giáo", "Religious dignitaries"),
    ],
    "so_du_lich": [
        ("Dữ liệu cơ sở lưu trú du lịch", "Tourist accommodation"),
        ("Dữ liệu doanh nghiệp lữ hành", "Travel agencies"),
        ("Dữ liệu điểm đến du lịch", "Tourist destinations"),
        ("Dữ liệu thống kê khách du lịch", "Visitor statistics"),
    ],
    "so_quy_hoach_kien_truc": [
        ("Dữ liệu quy hoạch đô thị", "Urban plans"),
        ("Dữ liệu quy chế quản lý kiến trúc", "Architecture management regulations"),
        ("Dữ liệu chỉ giới đường đỏ", "Road boundary lines"),
    ],
}

_REASONS = [  # (Vietnamese, English), as the register records them
    (
        "Dữ liệu chuyên ngành chứa thông tin cá nhân, chưa có quy chế chia sẻ",
        "The data holds personal information; no sharing rules yet",
    ),
    (
        "Hệ thống do Bộ chủ quản quản lý, Sở không có thẩm quyền chia sẻ",
        "The system is run by the ministry; the department has no authority to share",
    ),
    (
        "Chờ hướng dẫn của Bộ chủ quản về kết nối, chia sẻ dữ liệu",
        "Waiting for the ministry's guidance on connection and sharing",
    ),
    (
        "Lo ngại mất an toàn thông tin khi kết nối với nền tảng của Thành phố",
        "Concerned about information security when connecting to the city's platform",
    ),
    (
        "Dữ liệu chưa được chuẩn hóa, chưa sẵn sàng chia sẻ",
        "The data is not yet standardised or ready to share",
    ),
    (
        "Chưa bố trí kinh phí xây dựng giao diện kết nối (API)",
        "No budget yet to build a connection interface (API)",
    ),
]
_CADENCE = ["daily", "weekly", "monthly"]


def build_datasets(seed: int) -> pl.DataFrame:
    rng = rng_for(seed, "datasets")
    rows = []
    number = 0
    for unit, entries in _DATASETS.items():
        for name_vi, name_en in entries:
            number += 1
            cadence = _CADENCE[int(rng.choice(3, p=[0.6, 0.3, 0.1]))]
            row = {
                "dataset_id": f"DL-{number:03d}",
                "unit_id": unit,
                "name_vi": name_vi,
                "name_en": name_en,
                "sync_cadence": cadence,
            }
            if unit in REFUSING:
                status, shared, api, sync = "refused", False, False, None
                reason, reason_en = _REASONS[int(rng.integers(len(_REASONS)))]
            elif rng.random() < 0.2:
                status, shared, api, sync, reason, reason_en = (
                    "pending",
                    True,
                    False,
                    None,
                    None,
                    None,
                )
            else:
                status, shared, api, reason, reason_en = "connected", True, True, None, None
                cadence_days = {"daily": 1, "weekly": 7, "monthly": 30}[cadence]
                # Most syncs are recent for their cadence; about one in seven has gone stale.
                stale = rng.random() < 0.15
                age_days = (
                    int(rng.integers(cadence_days + 3, cadence_days * 4 + 30))
                    if stale
                    else int(rng.integers(0, cadence_days))
                )
                second = int(rng.integers(0, 86_400))
                sync = dt.datetime.combine(
                    LAST_DAY - dt.timedelta(days=age_days), dt.time()
                ) + dt.timedelta(seconds=second)
            row.update(
                {
                    "shared": shared,
                    "api_connected": api,
                    "last_sync": sync.strftime("%Y-%m-%d %H:%M:%S") if sync else None,
                    "status": status,
                    "refusal_reason": reason,
                    "refusal_reason_en": reason_en,
                }
            )
            rows.append(row)
    text = {"last_sync": pl.String, "refusal_reason": pl.String, "refusal_reason_en": pl.String}
    return pl.DataFrame(rows, schema_overrides=text).select(
        "dataset_id", "unit_id", "name_vi", "name_en", "shared", "api_connected", "last_sync",
        "sync_cadence", "status", "refusal_reason", "refusal_reason_en",
    )  # fmt: skip
