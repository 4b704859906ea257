"""Hanoi's organisational units as they stand after the 2025 reorganisation.

- the city itself (``hanoi``);
- the 15 specialised departments from 1 March 2025 and two city agencies;
- the 126 ward- and commune-level units from 1 July 2025 (51 wards, 75 communes; Resolution
  1656/NQ-UBTVQH15), named as the resolution names them.

Ids are ASCII snake_case slugs without diacritics: ``so_y_te``, ``phuong_hoan_kiem``, ``xa_soc_son``.
``units_yaml()`` renders the same list as ``config/units.yaml``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    id: str
    name_vi: str
    name_en: str
    kind: str  # city, department, agency, ward, commune
    parent: str | None


CITY = "hanoi"

# (id, Vietnamese name, English name)
_DEPARTMENTS: list[tuple[str, str, str]] = [
    ("so_noi_vu", "Sở Nội vụ", "Department of Home Affairs"),
    ("so_tu_phap", "Sở Tư pháp", "Department of Justice"),
    ("so_tai_chinh", "Sở Tài chính", "Department of Finance"),
    ("so_cong_thuong", "Sở Công Thương", "Department of Industry and Trade"),
    (
        "so_nong_nghiep_moi_truong",
        "Sở Nông nghiệp và Môi trường",
        "Department of Agriculture and Environment",
    ),
    ("so_xay_dung", "Sở Xây dựng", "Department of Construction"),
    ("so_khoa_hoc_cong_nghe", "Sở Khoa học và Công nghệ", "Department of Science and Technology"),
    ("so_van_hoa_the_thao", "Sở Văn hóa và Thể thao", "Department of Culture and Sports"),
    ("so_giao_duc_dao_tao", "Sở Giáo dục và Đào tạo", "Department of Education and Training"),
    ("so_y_te", "Sở Y tế", "Department of Health"),
    ("thanh_tra_thanh_pho", "Thanh tra Thành phố", "City Inspectorate"),
    ("van_phong_ubnd", "Văn phòng UBND Thành phố", "Office of the City People's Committee"),
    ("so_dan_toc_ton_giao", "Sở Dân tộc và Tôn giáo", "Department of Ethnic and Religious Affairs"),
    ("so_du_lich", "Sở Du lịch", "Department of Tourism"),
    (
        "so_quy_hoach_kien_truc",
        "Sở Quy hoạch – Kiến trúc",
        "Department of Planning and Architecture",
    ),
]

_AGENCIES: list[tuple[str, str, str]] = [
    (
        "trung_tam_phuc_vu_hanh_chinh_cong",
        "Trung tâm Phục vụ hành chính công",
        "Public Administration Service Centre",
    ),
    (
        "ban_quan_ly_khu_cnc_kcn",
        "Ban Quản lý các khu công nghệ cao và khu công nghiệp",
        "High-Tech and Industrial Parks Board",
    ),
]

# The 51 wards (phường) from 1 July 2025.
_WARDS: list[str] = [
    "Hoàn Kiếm", "Cửa Nam", "Ba Đình", "Ngọc Hà", "Giảng Võ", "Hai Bà Trưng", "Vĩnh Tuy",
    "Bạch Mai", "Đống Đa", "Kim Liên", "Văn Miếu – Quốc Tử Giám", "Láng", "Ô Chợ Dừa",
    "Hồng Hà", "Lĩnh Nam", "Hoàng Mai", "Vĩnh Hưng", "Tương Mai", "Định Công", "Hoàng Liệt",
    "Yên Sở", "Thanh Xuân", "Khương Đình", "Phương Liệt", "Cầu Giấy", "Nghĩa Đô", "Yên Hòa",
    "Tây Hồ", "Phú Thượng", "Tây Tựu", "Phú Diễn", "Xuân Đỉnh", "Đông Ngạc", "Thượng Cát",
    "Từ Liêm", "Xuân Phương", "Tây Mỗ", "Đại Mỗ", "Long Biên", "Bồ Đề", "Việt Hưng",
    "Phúc Lợi", "Hà Đông", "Dương Nội", "Yên Nghĩa", "Phú Lương", "Kiến Hưng", "Thanh Liệt",
    "Chương Mỹ", "Sơn Tây", "Tùng Thiện",
]  # fmt: skip

# The 75 communes (xã) from 1 July 2025, listed by the former district they lie in.
_COMMUNES: list[str] = [
    # Sóc Sơn
    "Sóc Sơn", "Đa Phúc", "Nội Bài", "Trung Giã", "Kim Anh",
    # Đông Anh
    "Đông Anh", "Phúc Thịnh", "Thư Lâm", "Thiên Lộc", "Vĩnh Thanh",
    # Mê Linh
    "Mê Linh", "Yên Lãng", "Tiến Thắng", "Quang Minh",
    # Gia Lâm
    "Gia Lâm", "Thuận An", "Bát Tràng", "Phù Đổng",
    # Thanh Trì
    "Thanh Trì", "Đại Thanh", "Nam Phù", "Ngọc Hồi",
    # Thường Tín
    "Thường Tín", "Hồng Vân", "Thượng Phúc", "Chương Dương",
    # Phú Xuyên
    "Phú Xuyên", "Phượng Dực", "Chuyên Mỹ", "Đại Xuyên",
    # Ứng Hòa
    "Vân Đình", "Ứng Thiên", "Hòa Xá", "Ứng Hòa",
    # Mỹ Đức
    "Mỹ Đức", "Hồng Sơn", "Phúc Sơn", "Hương Sơn",
    # Chương Mỹ
    "Phú Nghĩa", "Xuân Mai", "Trần Phú", "Hòa Phú", "Quảng Bị",
    # Thanh Oai
    "Thanh Oai", "Bình Minh", "Tam Hưng", "Dân Hòa",
    # Quốc Oai
    "Quốc Oai", "Kiều Phú", "Hưng Đạo", "Phú Cát",
    # Thạch Thất
    "Thạch Thất", "Hạ Bằng", "Tây Phương", "Hòa Lạc", "Yên Xuân",
    # Hoài Đức
    "Hoài Đức", "Dương Hòa", "Sơn Đồng", "An Khánh",
    # Đan Phượng
    "Đan Phượng", "Ô Diên", "Liên Minh",
    # Phúc Thọ
    "Phúc Thọ", "Phúc Lộc", "Hát Môn",
    # Ba Vì
    "Ba Vì", "Quảng Oai", "Cổ Đô", "Bất Bạt", "Minh Châu", "Vật Lại", "Suối Hai", "Yên Bài",
    # Sơn Tây
    "Đoài Phương",
]  # fmt: skip


def ascii_fold(text: str) -> str:
    """Vietnamese text without diacritics: 'Đống Đa' -> 'Dong Da'."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def slug(text: str) -> str:
    """An ASCII snake_case id: 'Văn Miếu – Quốc Tử Giám' -> 'van_mieu_quoc_tu_giam'."""
    return re.sub(r"[^a-z0-9]+", "_", ascii_fold(text).lower()).strip("_")


def _build() -> list[Unit]:
    units = [Unit(CITY, "Thành phố Hà Nội", "Hanoi City", "city", None)]
    units += [Unit(i, vi, en, "department", CITY) for i, vi, en in _DEPARTMENTS]
    units += [Unit(i, vi, en, "agency", CITY) for i, vi, en in _AGENCIES]
    for name in _WARDS:
        english = ascii_fold(name).replace("–", "-")
        units.append(
            Unit(f"phuong_{slug(name)}", f"Phường {name}", f"{english} Ward", "ward", CITY)
        )
    for name in _COMMUNES:
        english = ascii_fold(name)
        units.append(Unit(f"xa_{slug(name)}", f"Xã {name}", f"{english} Commune", "commune", CITY))
    ids = [u.id for u in units]
    if len(set(ids)) != len(ids):  # pragma: no cover - guards edits to the lists above
        raise RuntimeError("duplicate unit ids")
    return units


UNITS: list[Unit] = _build()
UNITS_BY_ID: dict[str, Unit] = {u.id: u for u in UNITS}


def ids_of(*kinds: str) -> list[str]:
    """Unit ids of the given kinds, in list order."""
    return [u.id for u in UNITS if u.kind in kinds]


DEPARTMENTS = ids_of("department")
AGENCIES = ids_of("agency")
WARDS_AND_COMMUNES = ids_of("ward", "commune")

# --- YAML rendering --------------------------------------------------------------------------

# Plain scalars that YAML 1.1 (PyYAML) would read as something other than a string.
_YAML11_SPECIAL = re.compile(
    r"(?i:y|n|yes|no|true|false|on|off|null|~)"
    r"|[-+]?(\d[\d_]*)?\.?\d[\d_:.eE+-]*"  # numbers, sexagesimals, floats
    r"|[-+]?\.(inf|nan)|\d{4}-\d\d?-\d\d?.*"  # infinities, dates
    r"|0[xob][0-9a-fA-F_]+"
)
_PLAIN_SAFE = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#,\[\]{}]*")


def yaml_scalar(text: str) -> str:
    """A YAML scalar for ``text``, usable inside flow mappings; quoted only when needed."""
    if (
        text
        and text == text.strip()
        and _PLAIN_SAFE.fullmatch(text)
        and not _YAML11_SPECIAL.fullmatch(text)
        and "'" not in text[:1]
    ):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def units_yaml() -> str:
    """The content of ``config/units.yaml``: every unit with id, name (vi/en), kind and parent."""
    lines = [
        "# Hanoi's organisational units: the city, its 15 departments (from 1 March 2025),",
        "# two city agencies, and its 126 wards (51) and communes (75) from 1 July 2025.",
        "# Generated by sources.demo.units.units_yaml(); ids are referenced by sources and metrics.",
        "units:",
    ]
    for u in UNITS:
        lines.append(f"  - id: {yaml_scalar(u.id)}")
        lines.append(f"    name: {{vi: {yaml_scalar(u.name_vi)}, en: {yaml_scalar(u.name_en)}}}")
        lines.append(f"    kind: {yaml_scalar(u.kind)}")
        if u.parent is not None:
            lines.append(f"    parent: {yaml_scalar(u.parent)}")
    return "\n".join(lines) + "\n"
