"""The register of Hanoi's 569 tasks under Resolution 57, in the action programme's 7 groups.

As of 2025-11-14 exactly 12 tasks under central direction and 18 under city direction (the city
party committee or the city people's committee) are overdue, as reported at the steering board's
conference; the overdue tasks fall more on units with weaker discipline.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from sources.demo.clock import LAST_DAY, TODAY
from sources.demo.rng import rng_for
from sources.demo.traits import Traits
from sources.demo.units import AGENCIES, DEPARTMENTS

OVERDUE = {"central": 12, "city": 18}
LEVELS = ["central", "city_party", "city_people"]
LEVEL_P = [0.24, 0.30, 0.46]

GROUPS: dict[int, tuple[str, str]] = {
    1: (
        "Nâng cao nhận thức, đột phá đổi mới tư duy",
        "Raising awareness, breakthroughs in thinking",
    ),
    2: ("Hoàn thiện thể chế", "Perfecting institutions"),
    3: ("Tăng cường đầu tư, hoàn thiện hạ tầng", "Investing in infrastructure"),
    4: (
        "Phát triển, trọng dụng nhân lực chất lượng cao",
        "Developing high-quality human resources",
    ),
    5: ("Đẩy mạnh chuyển đổi số", "Accelerating digital transformation"),
    6: (
        "Thúc đẩy KHCN, ĐMST và chuyển đổi số trong doanh nghiệp",
        "Science, technology and innovation in enterprises",
    ),
    7: ("Tăng cường hợp tác quốc tế", "Strengthening international cooperation"),
}
GROUP_SIZES = {1: 48, 2: 92, 3: 104, 4: 71, 5: 138, 6: 73, 7: 43}  # sums to 569

_KHCN = "so_khoa_hoc_cong_nghe"
# Per group: title openings, objects (text, preferred lead or None), default lead units.
_TITLES: dict[int, tuple[list[str], list[tuple[str, str | None]], list[str]]] = {
    1: (
        [
            "Tổ chức quán triệt, triển khai",
            "Tuyên truyền, phổ biến về",
            "Xây dựng chuyên mục truyền thông về",
            "Tổ chức hội nghị chuyên đề về",
            "Biên soạn tài liệu hướng dẫn về",
            "Phát động phong trào thi đua về",
            "Khảo sát, đánh giá nhận thức của cán bộ về",
            "Đưa vào chương trình sinh hoạt chuyên đề nội dung về",
        ],
        [
            ("Nghị quyết 57-NQ/TW", None),
            ("chuyển đổi số cấp phường, xã", "so_noi_vu"),
            ("phong trào Bình dân học vụ số", "so_giao_duc_dao_tao"),
            ("đổi mới sáng tạo trong doanh nghiệp", "so_cong_thuong"),
            ("khoa học, công nghệ trong cơ quan nhà nước", _KHCN),
            ("chính quyền số", "van_phong_ubnd"),
            ("kinh tế số", "so_tai_chinh"),
            ("an toàn, an ninh mạng", _KHCN),
            ("văn hóa số", "so_van_hoa_the_thao"),
            ("kỹ năng số cho người dân", "so_giao_duc_dao_tao"),
            ("du lịch thông minh", "so_du_lich"),
            ("xã hội số", None),
        ],
        ["van_phong_ubnd", _KHCN, "so_van_hoa_the_thao", "so_noi_vu"],
    ),
    2: (
        [
            "Xây dựng, trình ban hành quy định về",
            "Rà soát, sửa đổi quy định về",
            "Ban hành quy chế về",
            "Xây dựng đề án về",
            "Xây dựng cơ chế thí điểm về",
            "Ban hành hướng dẫn thực hiện",
            "Đề xuất cơ chế đặc thù về",
            "Trình Hội đồng nhân dân Thành phố nghị quyết về",
        ],
        [
            ("quản lý nhiệm vụ khoa học và công nghệ sử dụng ngân sách", _KHCN),
            ("khoán chi đến sản phẩm cuối cùng", "so_tai_chinh"),
            ("thử nghiệm có kiểm soát công nghệ mới", _KHCN),
            ("chia sẻ, khai thác dữ liệu dùng chung của Thành phố", _KHCN),
            ("Quỹ phát triển khoa học và công nghệ Thành phố", _KHCN),
            ("hỗ trợ khởi nghiệp đổi mới sáng tạo", "so_cong_thuong"),
            ("đặt hàng nhiệm vụ khoa học và công nghệ", _KHCN),
            ("thuê dịch vụ công nghệ thông tin", "so_tai_chinh"),
            ("đầu tư mạo hiểm từ ngân sách Thành phố", "so_tai_chinh"),
            ("thu hút chuyên gia, nhà khoa học", "so_noi_vu"),
            ("quản lý tài sản hình thành từ nhiệm vụ khoa học", "so_tai_chinh"),
            ("phân cấp, ủy quyền trong lĩnh vực khoa học và công nghệ", "so_tu_phap"),
            (
                "giải quyết thủ tục hành chính trên môi trường điện tử",
                "trung_tam_phuc_vu_hanh_chinh_cong",
            ),
        ],
        ["so_tu_phap", _KHCN, "so_tai_chinh", "so_noi_vu"],
    ),
    3: (
        [
            "Đầu tư xây dựng",
            "Nâng cấp",
            "Triển khai",
            "Mở rộng",
            "Hoàn thiện",
            "Thuê dịch vụ vận hành",
            "Bảo đảm an toàn thông tin cho",
            "Lập dự án đầu tư",
            "Đưa vào vận hành",
        ],
        [
            ("Trung tâm dữ liệu Thành phố", _KHCN),
            ("mạng 5G phủ sóng toàn Thành phố", _KHCN),
            ("Trung tâm điều hành thông minh (IOC)", "van_phong_ubnd"),
            ("nền tảng tích hợp, chia sẻ dữ liệu (LGSP)", _KHCN),
            ("hạ tầng điện toán đám mây Thành phố", _KHCN),
            ("hạ tầng Khu công nghệ cao Hòa Lạc", "ban_quan_ly_khu_cnc_kcn"),
            ("Trung tâm Đổi mới sáng tạo Hà Nội", _KHCN),
            ("phòng thí nghiệm trọng điểm của Thành phố", _KHCN),
            ("hệ thống camera giám sát giao thông", "so_xay_dung"),
            ("mạng truyền số liệu chuyên dùng", _KHCN),
            ("hạ tầng trạm sạc xe điện", "so_cong_thuong"),
            ("Trung tâm giám sát an toàn thông tin (SOC)", _KHCN),
            ("cơ sở dữ liệu đất đai", "so_nong_nghiep_moi_truong"),
            (
                "Hệ thống thông tin giải quyết thủ tục hành chính",
                "trung_tam_phuc_vu_hanh_chinh_cong",
            ),
            ("khu công nghiệp công nghệ số tập trung", "ban_quan_ly_khu_cnc_kcn"),
            ("hạ tầng số trường học", "so_giao_duc_dao_tao"),
        ],
        [_KHCN, "so_xay_dung", "so_tai_chinh", "ban_quan_ly_khu_cnc_kcn"],
    ),
    4: (
        [
            "Đào tạo, bồi dưỡng",
            "Thu hút",
            "Tuyển chọn",
            "Xây dựng chương trình phát triển",
            "Tổ chức lớp tập huấn cho",
            "Hỗ trợ học bổng cho",
            "Đánh giá, chuẩn hóa kỹ năng số của",
        ],
        [
            ("cán bộ chuyển đổi số cấp phường, xã", "so_noi_vu"),
            ("chuyên gia công nghệ số", "so_noi_vu"),
            ("nhân lực ngành bán dẫn", "so_giao_duc_dao_tao"),
            ("nhân lực trí tuệ nhân tạo", "so_giao_duc_dao_tao"),
            ("giáo viên tin học phổ thông", "so_giao_duc_dao_tao"),
            ("nhà khoa học trẻ", _KHCN),
            ("cán bộ, công chức, viên chức", "so_noi_vu"),
            ("sinh viên ngành khoa học, kỹ thuật", "so_giao_duc_dao_tao"),
            ("nhân lực an toàn thông tin", _KHCN),
            ("lãnh đạo, quản lý các sở, ngành", "so_noi_vu"),
            ("nhân lực phân tích dữ liệu", _KHCN),
        ],
        ["so_noi_vu", "so_giao_duc_dao_tao", _KHCN],
    ),
    5: (
        [
            "Triển khai chuyển đổi số lĩnh vực",
            "Số hóa dữ liệu lĩnh vực",
            "Xây dựng cơ sở dữ liệu lĩnh vực",
            "Kết nối, chia sẻ dữ liệu lĩnh vực",
            "Cung cấp dịch vụ công trực tuyến toàn trình lĩnh vực",
            "Ứng dụng trí tuệ nhân tạo trong lĩnh vực",
            "Tái cấu trúc quy trình nghiệp vụ lĩnh vực",
            "Xây dựng bảng điều hành số lĩnh vực",
        ],
        [
            ("hộ tịch", "so_tu_phap"),
            ("đất đai", "so_nong_nghiep_moi_truong"),
            ("xây dựng", "so_xay_dung"),
            ("y tế", "so_y_te"),
            ("giáo dục và đào tạo", "so_giao_duc_dao_tao"),
            ("an sinh xã hội", "so_noi_vu"),
            ("đăng ký doanh nghiệp", "so_tai_chinh"),
            ("giao thông", "so_xay_dung"),
            ("môi trường", "so_nong_nghiep_moi_truong"),
            ("du lịch", "so_du_lich"),
            ("văn hóa và di sản", "so_van_hoa_the_thao"),
            ("quản lý văn bản, hồ sơ công việc", "van_phong_ubnd"),
            ("thanh tra, tiếp công dân", "thanh_tra_thanh_pho"),
            ("thu ngân sách", "so_tai_chinh"),
            ("quy hoạch, kiến trúc", "so_quy_hoach_kien_truc"),
            ("lý lịch tư pháp", "so_tu_phap"),
            ("công thương", "so_cong_thuong"),
            ("dân tộc, tôn giáo", "so_dan_toc_ton_giao"),
        ],
        DEPARTMENTS,
    ),
    6: (
        [
            "Hỗ trợ doanh nghiệp về",
            "Xây dựng chương trình hỗ trợ",
            "Tổ chức diễn đàn về",
            "Ưu đãi tín dụng cho dự án",
            "Kết nối viện, trường với doanh nghiệp về",
            "Đặt hàng nghiên cứu về",
            "Thương mại hóa kết quả nghiên cứu về",
        ],
        [
            ("đổi mới công nghệ", _KHCN),
            ("chuyển đổi số doanh nghiệp nhỏ và vừa", "so_cong_thuong"),
            ("khởi nghiệp sáng tạo", _KHCN),
            ("công nghiệp bán dẫn", "ban_quan_ly_khu_cnc_kcn"),
            ("trí tuệ nhân tạo", _KHCN),
            ("sản xuất thông minh", "so_cong_thuong"),
            ("nông nghiệp công nghệ cao", "so_nong_nghiep_moi_truong"),
            ("thương mại điện tử", "so_cong_thuong"),
            ("công nghệ sinh học", _KHCN),
            ("năng lượng xanh", "so_cong_thuong"),
            ("sở hữu trí tuệ", _KHCN),
        ],
        [_KHCN, "so_cong_thuong", "so_tai_chinh", "ban_quan_ly_khu_cnc_kcn"],
    ),
    7: (
        [
            "Ký kết thỏa thuận hợp tác quốc tế về",
            "Tổ chức hội thảo quốc tế về",
            "Thu hút đầu tư nước ngoài vào lĩnh vực",
            "Hợp tác nghiên cứu chung về",
            "Tham gia mạng lưới quốc tế về",
            "Trao đổi chuyên gia về",
        ],
        [
            ("thành phố thông minh", _KHCN),
            ("đổi mới sáng tạo", _KHCN),
            ("trí tuệ nhân tạo", _KHCN),
            ("bán dẫn", "ban_quan_ly_khu_cnc_kcn"),
            ("dữ liệu mở", _KHCN),
            ("công nghệ môi trường", "so_nong_nghiep_moi_truong"),
            ("y tế số", "so_y_te"),
            ("giáo dục số", "so_giao_duc_dao_tao"),
        ],
        ["van_phong_ubnd", _KHCN, "so_du_lich"],
    ),
}

LEADS = DEPARTMENTS + AGENCIES


def _month_end(index: int) -> dt.date:
    """The last day of month ``index`` (counted as year * 12 + month - 1)."""
    after = index + 1
    return dt.date(after // 12, after % 12 + 1, 1) - dt.timedelta(days=1)


def _deadline(rng: np.random.Generator, start: dt.date, level: str) -> dt.date:
    """Deadlines fall on month ends (quarter ends more often), some years out."""
    if rng.random() < 0.06:
        return dt.date(2030, 12, 31)
    months = int(rng.integers(2, 20 if level == "central" else 17))
    if rng.random() < 0.5:
        months += (-(start.month + months)) % 3  # round up to a quarter end
    index = start.year * 12 + start.month - 1 + months
    return _month_end(index)


def _titles(rng: np.random.Generator, group: int, n: int) -> list[tuple[str, str]]:
    """``n`` distinct (title, lead unit) pairs for a group."""
    openings, objects, defaults = _TITLES[group]
    pairs = [(a, o) for a in range(len(openings)) for o in range(len(objects))]
    chosen = rng.choice(len(pairs), size=n, replace=False)
    out = []
    for k in chosen:
        a, o = pairs[int(k)]
        text, lead = objects[o]
        if lead is None or rng.random() < 0.2:
            lead = defaults[int(rng.integers(len(defaults)))]
        out.append((f"{openings[a]} {text}", lead))
    return out


def build_tasks(seed: int, traits: Traits) -> pl.DataFrame:
    rng = rng_for(seed, "tasks")
    rows: list[dict] = []
    number = 0
    for group, size in GROUP_SIZES.items():
        for title, lead in _titles(rng, group, size):
            number += 1
            level = LEVELS[int(rng.choice(3, p=LEVEL_P))]
            first = dt.date(2025, 1, 10) if level == "central" else dt.date(2025, 2, 1)
            span = 120 if level == "central" else 230
            start = first + dt.timedelta(days=int(rng.integers(0, span)))
            others = [u for u in LEADS if u != lead]
            k = int(rng.choice(4, p=[0.3, 0.35, 0.25, 0.1]))
            coop = sorted(rng.choice(others, size=k, replace=False).tolist()) if k else []
            rows.append(
                {
                    "task_id": f"NV57-{number:03d}",
                    "title": title,
                    "task_group": group,
                    "task_group_name": GROUPS[group][0],
                    "task_group_name_en": GROUPS[group][1],
                    "level": level,
                    "lead_unit": lead,
                    "cooperating_units": ",".join(coop) if coop else None,
                    "start_date": start,
                    "deadline": _deadline(rng, start, level),
                }
            )
    _complete(rng, rows, traits)
    frame = pl.DataFrame(rows)
    return frame.select(
        "task_id", "task_group", "task_group_name", "task_group_name_en", "title", "level",
        "lead_unit", "cooperating_units", "start_date", "deadline", "completed_on", "status",
        "has_output", "has_kpi",
    )  # fmt: skip


def _complete(rng: np.random.Generator, rows: list[dict], traits: Traits) -> None:
    """Decide completion so that exactly OVERDUE tasks per level class are overdue on TODAY."""
    lead_discipline = dict(zip(traits.ids, traits.discipline, strict=True))
    past = [r for r in rows if r["deadline"] < TODAY]
    for level_class, levels in (("central", {"central"}), ("city", {"city_party", "city_people"})):
        candidates = [r for r in past if r["level"] in levels]
        need = OVERDUE[level_class]
        # Not enough past deadlines (an unusual seed): bring some forward to last month.
        future = [r for r in rows if r["level"] in levels and r["deadline"] >= TODAY]
        while len(candidates) < need and future:
            row = future.pop(int(rng.integers(len(future))))
            row["deadline"] = dt.date(2025, 10, 31)
            row["start_date"] = min(row["start_date"], dt.date(2025, 5, 1))
            candidates.append(row)
        # Weaker discipline and harder groups (infrastructure, institutions) slip more often.
        weight = np.array(
            [
                np.exp(-1.1 * lead_discipline[r["lead_unit"]])
                * (1.6 if r["task_group"] in (2, 3) else 1.0)
                for r in candidates
            ]
        )
        late = rng.choice(len(candidates), size=need, replace=False, p=weight / weight.sum())
        for k in late:
            candidates[int(k)]["completed_on"] = None
            candidates[int(k)]["status"] = "overdue"
    for r in rows:
        if r.get("status") == "overdue":
            continue
        start, deadline = r["start_date"], r["deadline"]
        discipline = lead_discipline[r["lead_unit"]]
        if deadline < TODAY:
            late_p = 1 / (1 + np.exp(1.2 + 0.9 * discipline))
            if rng.random() < late_p:
                done = min(deadline + dt.timedelta(days=int(rng.integers(3, 95))), LAST_DAY)
            else:
                done = deadline - dt.timedelta(
                    days=int(rng.integers(0, max(1, (deadline - start).days // 2)))
                )
        else:
            # Not yet due: some are finished early, most are in progress.
            elapsed = (LAST_DAY - start).days
            total = max(1, (deadline - start).days)
            if elapsed > 0 and rng.random() < 0.55 * elapsed / total:
                done = start + dt.timedelta(days=int(rng.integers(min(20, elapsed), elapsed + 1)))
            else:
                done = None
        r["completed_on"] = done
        if done is None:
            r["status"] = "in_progress"
        else:
            r["status"] = "done_on_time" if done <= deadline else "done_late"
    for r in rows:
        output_p = {"done_on_time": 0.93, "done_late": 0.82, "in_progress": 0.3, "overdue": 0.12}[
            r["status"]
        ]
        r["has_output"] = int(rng.random() < output_p)
        r["has_kpi"] = int(rng.random() < (0.75 if r["task_group"] in (3, 5) else 0.5))
