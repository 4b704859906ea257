"""Science-and-technology and digital-transformation budget lines, one workbook per year.

Each year's workbook lists, per unit and programme, the budget lines with the amount allocated and
the amount disbursed (at year end for past years; as of 14 Nov 2025 for 2025). The S&T recurrent
budget (``st_recurrent``) is disbursed at under 42% in each of 2021-2024, as the conference said,
with wide differences between units.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from sources.demo.clock import TODAY
from sources.demo.rng import rng_for
from sources.demo.units import AGENCIES, DEPARTMENTS

YEARS = (2021, 2022, 2023, 2024, 2025)

PROGRAMS: dict[str, str] = {
    "st_recurrent": "Chi sự nghiệp khoa học và công nghệ",
    "st_investment": "Chi đầu tư phát triển khoa học và công nghệ",
    "dt_investment": "Chi đầu tư chuyển đổi số",
    "dt_recurrent": "Chi thường xuyên chuyển đổi số",
}

# City-wide disbursement rate (sum disbursed / sum allocated) per programme and year.
RATES: dict[str, dict[int, float]] = {
    "st_recurrent": {2021: 0.31, 2022: 0.36, 2023: 0.39, 2024: 0.41, 2025: 0.47},
    "st_investment": {2021: 0.58, 2022: 0.62, 2023: 0.55, 2024: 0.66, 2025: 0.44},
    "dt_investment": {2021: 0.72, 2022: 0.75, 2023: 0.78, 2024: 0.81, 2025: 0.52},
    "dt_recurrent": {2021: 0.83, 2022: 0.85, 2023: 0.86, 2024: 0.88, 2025: 0.71},
}

_LINES: dict[str, list[str]] = {
    "st_recurrent": [
        "Nhiệm vụ khoa học và công nghệ cấp Thành phố",
        "Đề tài nghiên cứu ứng dụng",
        "Hỗ trợ doanh nghiệp đổi mới công nghệ",
        "Hoạt động sở hữu trí tuệ",
        "Hoạt động tiêu chuẩn, đo lường, chất lượng",
        "Thông tin, thống kê khoa học và công nghệ",
        "Hỗ trợ khởi nghiệp đổi mới sáng tạo",
        "Nhiệm vụ khoa học và công nghệ cấp cơ sở",
    ],
    "st_investment": [
        "Đầu tư trang thiết bị phòng thí nghiệm",
        "Xây dựng Trung tâm Đổi mới sáng tạo",
        "Đầu tư hạ tầng khu công nghệ cao",
        "Tăng cường tiềm lực nghiên cứu",
    ],
    "dt_investment": [
        "Xây dựng cơ sở dữ liệu chuyên ngành",
        "Nâng cấp hạ tầng công nghệ thông tin",
        "Triển khai phần mềm quản lý chuyên ngành",
        "Bảo đảm an toàn thông tin",
        "Số hóa hồ sơ, tài liệu lưu trữ",
    ],
    "dt_recurrent": [
        "Thuê dịch vụ công nghệ thông tin",
        "Duy trì, vận hành hệ thống thông tin",
        "Đào tạo, bồi dưỡng kỹ năng số",
        "Đường truyền, chứng thư số",
    ],
}

_ST_INVESTORS = ["so_khoa_hoc_cong_nghe", "ban_quan_ly_khu_cnc_kcn", "so_y_te", "so_nong_nghiep_moi_truong",
                 "so_giao_duc_dao_tao"]  # fmt: skip
_MILLION = 1_000_000


def _as_of(year: int) -> dt.date:
    return TODAY if year == TODAY.year else dt.date(year, 12, 31)


def _fit_rates(alloc: np.ndarray, raw: np.ndarray, target: float) -> np.ndarray:
    """Scale per-line rates so the total rate is ``target`` while each stays within [0, 1]."""
    rates = np.clip(raw, 0.0, 1.0)
    for _ in range(50):
        total = float((alloc * rates).sum())
        gap = target * float(alloc.sum()) - total
        if abs(gap) < 1.0:
            break
        free = rates < 1.0 if gap > 0 else rates > 0.0
        rates[free] *= 1 + gap / float((alloc[free] * rates[free]).sum())
        rates = np.clip(rates, 0.0, 1.0)
    return rates


def build_budget(seed: int, year: int) -> pl.DataFrame:
    rng = rng_for(seed, "budget", year)
    units = DEPARTMENTS + AGENCIES
    unit_effect = {
        u: e
        for u, e in zip(
            units, rng_for(seed, "budget-units").normal(0.0, 0.13, len(units)), strict=True
        )
    }
    growth = 1.0 + 0.12 * (year - YEARS[0])
    rows: list[tuple[str, str, str, int]] = []
    for program, lines in _LINES.items():
        if program == "st_investment":
            holders = _ST_INVESTORS
        elif program == "dt_investment":
            holders = [u for u in units if rng.random() < 0.65]
        else:
            holders = units
        for unit in holders:
            n_lines = (
                int(rng.integers(3, 7))
                if unit == "so_khoa_hoc_cong_nghe"
                else int(rng.integers(1, 4))
            )
            picked = rng.choice(len(lines), size=min(n_lines, len(lines)), replace=False)
            for k in sorted(picked.tolist()):
                big = unit in ("so_khoa_hoc_cong_nghe", "ban_quan_ly_khu_cnc_kcn")
                scale = {
                    "st_recurrent": 4e9,
                    "st_investment": 25e9,
                    "dt_investment": 15e9,
                    "dt_recurrent": 3e9,
                }
                amount = scale[program] * rng.lognormal(0.0, 0.6) * (3.0 if big else 1.0) * growth
                rows.append((program, unit, lines[k], round(float(amount) / _MILLION) * _MILLION))
    frame = pl.DataFrame(rows, schema=["program", "unit_id", "line", "allocated"], orient="row")
    alloc = frame["allocated"].to_numpy().astype(np.float64)
    disbursed = np.zeros(len(frame), dtype=np.int64)
    for program in PROGRAMS:
        mask = (frame["program"] == program).to_numpy()
        target = RATES[program][year]
        effect = np.array([unit_effect[u] for u in frame["unit_id"].filter(pl.Series(mask))])
        raw = target + effect + rng.normal(0.0, 0.08, mask.sum())
        rates = _fit_rates(alloc[mask], np.clip(raw, 0.03, 0.97), target)
        disbursed[mask] = np.round(alloc[mask] * rates / 1000.0).astype(np.int64) * 1000
    frame = frame.with_columns(
        pl.lit(year, pl.Int64).alias("year"),
        pl.col("program").replace_strict(PROGRAMS).alias("program_name"),
        pl.Series("disbursed", disbursed),
        pl.lit(_as_of(year)).alias("reported_on"),
    )
    return frame.select(
        "year",
        "program",
        "program_name",
        "unit_id",
        "line",
        "allocated",
        "disbursed",
        "reported_on",
    )
