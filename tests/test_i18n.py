"""The translation table is complete, and every page asks only for strings it has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard import i18n
from dashboard.i18n import TEXTS, placeholders, t

REPO = Path(__file__).resolve().parent.parent

# t("key", ...) or t('key') with a literal key. Keys built at run time (t(f"status.{s}", ...),
# t("status." + s, ...)) are not matched: test_status_keys checks those value sets.
_CALL = re.compile(r"""\bt\(\s*(["'])([^"'{}\n]+)\1\s*[,)]""")


def _sources() -> list[Path]:
    files = sorted((REPO / "dashboard").rglob("*.py"))
    app = REPO / "app.py"
    if app.exists():
        files.append(app)
    return files


def test_every_key_has_both_languages() -> None:
    for key, texts in TEXTS.items():
        assert set(texts) == {"vi", "en"}, key
        for lang in ("vi", "en"):
            assert isinstance(texts[lang], str) and texts[lang].strip(), (key, lang)
            assert texts[lang] == texts[lang].strip(), (key, lang)


def test_placeholders_identical_in_both_languages() -> None:
    for key, texts in TEXTS.items():
        assert placeholders(texts["vi"]) == placeholders(texts["en"]), key


def test_keys_are_dotted_lowercase() -> None:
    for key in TEXTS:
        assert re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", key), key


def test_t_fills_parameters() -> None:
    assert t("metric.file_line", "vi", file="config/metrics/service.yaml", line=14) == (
        "config/metrics/service.yaml, dòng 14"
    )
    assert t("present.slide_of", "en", n=2, total=7) == "Slide 2 of 7"
    assert t("page.overview", "vi") == "Tổng quan"
    assert t("page.overview", "en") == "Overview"


def test_t_raises_on_unknown_key_language_or_missing_parameter() -> None:
    with pytest.raises(KeyError):
        t("page.no_such_page", "vi")
    with pytest.raises(KeyError):
        t("metric.file_line", "vi", file="x.yaml")  # no line
    with pytest.raises(ValueError):
        t("page.overview", "fr")  # type: ignore[arg-type]
    assert i18n.has("page.overview") and not i18n.has("page.no_such_page")


@pytest.mark.parametrize(
    ("key", "vi", "en"),
    [
        ("page.overview", "Tổng quan", "Overview"),
        ("page.metric", "Chỉ số", "Metric"),
        ("page.units", "Đơn vị", "Units"),
        ("page.tasks", "Nhiệm vụ", "Tasks"),
        ("page.data", "Dữ liệu", "Data"),
        ("page.present", "Trình chiếu", "Present"),
        ("control.as_of", "Ngày số liệu", "As of"),
        ("status.on_track", "Đạt", "On track"),
        ("status.at_risk", "Có nguy cơ", "At risk"),
        ("status.off_track", "Không đạt", "Off track"),
        ("status.no_target", "Chưa có mục tiêu", "No target"),
        ("status.no_data", "Chưa có số liệu", "No data"),
        ("overview.needs_attention", "Cần chú ý", "Needs attention"),
        ("grain.quarter", "Quý", "Quarter"),
        ("grain.half", "6 tháng", "Half-year"),
    ],
)
def test_agreed_wording(key: str, vi: str, en: str) -> None:
    assert t(key, "vi") == vi
    assert t(key, "en") == en


def test_status_keys() -> None:
    """Keys the dashboard builds at run time from fixed value sets."""
    from dashboard.style import SHARING_STYLE, SOURCE_STATUS_STYLE, STATUS_ORDER

    for s in STATUS_ORDER:
        assert f"status.{s}" in TEXTS
    for s in SOURCE_STATUS_STYLE:
        assert f"source_status.{s}" in TEXTS
    for s in SHARING_STYLE:
        assert f"sharing.{s}" in TEXTS
    for g in ("day", "week", "month", "quarter", "half", "year"):
        assert f"grain.{g}" in TEXTS
    for f in ("percent", "count", "number", "vnd", "days", "score"):
        assert f"format.{f}" in TEXTS
    for lang in ("vi", "en"):
        assert f"lang.{lang}" in TEXTS


def test_status_words_match_the_engine() -> None:
    """The engine's own labels (used in exports) say the same as the interface."""
    try:
        from metrics.status import STATUS_LABELS
    except ImportError:  # pragma: no cover - the engine is built alongside
        pytest.skip("metrics.status not importable")
    for status, texts in STATUS_LABELS.items():
        assert TEXTS[f"status.{status}"] == texts


def test_scanner_finds_literal_keys() -> None:
    sample = """t("page.overview", lang) + t( 'status.on_track' , lang) + t(f"status.{s}", lang)"""
    sample += """ + t("status." + s, lang) + fmt(x) + i18n.t("common.total")"""
    found = [m.group(2) for m in _CALL.finditer(sample)]
    assert found == ["page.overview", "status.on_track", "common.total"]


def test_every_literal_key_used_in_the_dashboard_exists() -> None:
    missing = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        for m in _CALL.finditer(text):
            if m.group(2) not in TEXTS:
                line = text.count("\n", 0, m.start()) + 1
                missing.append(f"{path.relative_to(REPO)}:{line}: {m.group(2)}")
    assert not missing, "unknown i18n keys:\n" + "\n".join(missing)


def test_every_key_has_a_caller() -> None:
    """A string nobody asks for is a translation staff keep up for nothing, or a caller that
    spells its key another way. A key counts as asked for when the dashboard's code names it,
    or when it belongs to a family the code builds at run time (``t(f"status.{s}", ...)``,
    ``f"{dimension}.{value}"`` for the dimensions of the configured metrics)."""
    from metrics.loader import load_config

    code = "\n".join(p.read_text(encoding="utf-8") for p in _sources() if p.name != "i18n.py")
    named = set(re.findall(r"""["']([a-z0-9_]+(?:\.[a-z0-9_]+)+)["']""", code))
    families = set(re.findall(r"""f["']([a-z0-9_]+(?:\.[a-z0-9_]+)*\.)\{""", code))
    config = load_config(REPO / "config")
    families |= {f"{d}." for m in config.metrics.values() for d in m.dimensions}
    unused = [k for k in TEXTS if k not in named and not k.startswith(tuple(families))]
    assert unused == [], "no caller: " + ", ".join(unused)
