"""Plotly figures for the dashboard: pure functions of Polars frames, no Streamlit.

Input frames have the shape of the engine's results (``docs/architecture.md``): ``period_end``,
``value``, ``target``, ``expected``, ``status`` and one column per dimension. Every number a
figure shows (hover, bar labels, axis ticks for money) is written by :mod:`metrics.fmt`, and
the layout's ``separators`` make Plotly's own ticks read ``1.234,5`` in Vietnamese.

One accent colour (:data:`ACCENT`) for values; status colours (:data:`STATUS_STYLE`) are
always paired with an icon (and a word in hovers and cards), so they survive greyscale
printing and colour-blindness. The same mapping is meant for the metric cards.
"""

from __future__ import annotations

import datetime as _dt
import html
import itertools
import math
from collections.abc import Sequence

import plotly.graph_objects as go
import polars as pl

from dashboard.i18n import t
from dashboard.style import (
    ACCENT,
    FONT_FAMILY,
    FONT_SIZE,
    GRID,
    INK,
    MUTED,
    PAPER,
    SEPARATORS,
    SOURCE_STATUS_STYLE,
    STATUS_ORDER,
    STATUS_STYLE,
    SVG_FONT,
    UNKNOWN_STYLE,
    status_colour,
    status_icon,
)
from dashboard.texts import plotly_literal, status_text
from metrics import fmt as fmtlib
from sources.problems import Lang

_STATUS_CODE = {s: i for i, s in enumerate(STATUS_ORDER)}


# --------------------------------------------------------------------------- layout helpers


def _base_layout(
    fig: go.Figure,
    lang: Lang,
    *,
    title: str | None = None,
    height: int | None = None,
    margin: dict[str, int] | None = None,
    showlegend: bool = True,
) -> go.Figure:
    m = {"l": 8, "r": 24, "t": 56 if title else 32, "b": 40}
    m.update(margin or {})
    fig.update_layout(
        template="plotly_white",
        font={"family": FONT_FAMILY, "size": FONT_SIZE, "color": INK},
        separators=SEPARATORS[lang],
        title={"text": plotly_literal(title), "x": 0, "xanchor": "left"} if title else None,
        margin=m,
        height=height,
        showlegend=showlegend,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        hoverlabel={"font": {"family": FONT_FAMILY, "size": FONT_SIZE}},
        hovermode="closest",
    )
    fig.update_xaxes(automargin=True, gridcolor=GRID)
    fig.update_yaxes(automargin=True, gridcolor=GRID)
    return fig


def for_projector(fig: go.Figure, scale: float = 1.4) -> go.Figure:
    """Larger type (and height) for a shared screen; returns the same figure."""
    size = round(FONT_SIZE * scale)
    fig.update_layout(font_size=size, hoverlabel_font_size=size)
    if fig.layout.height:
        fig.update_layout(height=round(fig.layout.height * scale))
    return fig


def _missing(x: object) -> bool:
    return fmtlib.is_missing(x)


def _num(x: object) -> float | None:
    return None if _missing(x) else float(x)  # type: ignore[arg-type]


def _nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """About ``n`` round tick values covering [lo, hi]."""
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        hi = lo + (abs(lo) or 1.0)
    raw = (hi - lo) / n
    step = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= step * m:
            step *= m
            break
    start = math.floor(lo / step) * step
    ticks = []
    v = start
    while v <= hi + step * 1e-9:
        ticks.append(round(v, 10))
        v += step
    if ticks[-1] < hi:
        ticks.append(round(v, 10))
    return ticks


def _value_axis(fmt: str, values: Sequence[float | None], lang: Lang) -> dict[str, object]:
    """Axis settings so that ticks read like :func:`fmt.value` in ``lang``."""
    nums = [v for v in values if v is not None]
    if fmt == "percent":
        span = (max(nums) - min(nums)) if nums else 1.0
        return {"tickformat": ".0%" if span >= 0.05 else ".1%"}
    if fmt == "count":
        return {"tickformat": ",d"}
    if fmt == "vnd" and nums:
        ticks = _nice_ticks(min(0.0, min(nums)), max(0.0, max(nums)))
        return {
            "tickmode": "array",
            "tickvals": ticks,
            "ticktext": [fmtlib.vnd(v, lang) for v in ticks],
        }
    return {"tickformat": ",.2~f"}


def _unique_labels(labels: list[str], keys: list[str]) -> list[str]:
    """Category labels must be unique or Plotly merges them: add the key to repeats."""
    seen: dict[str, int] = {}
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
    pairs = zip(labels, keys, strict=True)
    return [f"{lab} ({key})" if seen[lab] > 1 else lab for lab, key in pairs]


def _wrap(label: str, width: int = 18) -> str:
    """Break a long axis label on spaces with ``<br>``."""
    words, lines, line = label.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    if line:
        lines.append(line)
    return "<br>".join(lines) or label


def _infer_grain(ends: Sequence[_dt.date]) -> str:
    if len(ends) < 2:
        return "month"
    gaps = sorted((b - a).days for a, b in itertools.pairwise(ends))
    gap = gaps[len(gaps) // 2]
    for limit, grain in ((1, "day"), (8, "week"), (31, "month"), (92, "quarter"), (184, "half")):
        if gap <= limit:
            return grain
    return "year"


def _as_date(x: object) -> _dt.date:
    return x.date() if isinstance(x, _dt.datetime) else x  # type: ignore[return-value]


# --------------------------------------------------------------------------- trend


def trend(
    df: pl.DataFrame,
    *,
    fmt: str,
    lang: Lang,
    title: str | None = None,
    grain: str | None = None,
    height: int = 360,
    max_ticks: int = 12,
) -> go.Figure:
    """A metric over periods: the value as a line with markers (marker colour by ``status``
    when present), the expected value on the target path as a dotted line, the target as a
    dashed line (horizontal when constant, stepped when it changes by year).

    ``df``: ``period_end`` and ``value``; optional ``period_start``, ``target``,
    ``expected``, ``status``. Trace order: value, then expected (if any), then target (if any).
    ``grain`` (for the axis and hover labels) is inferred from the spacing when not given.
    At most ``max_ticks`` periods are labelled on the axis (the latest always is).
    """
    data = df.sort("period_end")
    cols = set(data.columns)
    ends = [_as_date(d) for d in data["period_end"].to_list()]
    starts = ends
    if "period_start" in cols:
        starts = [_as_date(d) for d in data["period_start"].to_list()]
    g = fmtlib.normalise_grain(grain) or _infer_grain(ends)
    names = [fmtlib.period(s, e, g, lang, as_of=e) for s, e in zip(starts, ends, strict=True)]
    values = [_num(v) for v in data["value"].to_list()]
    statuses = data["status"].to_list() if "status" in cols else [None] * len(values)

    fig = go.Figure()
    value_name = t("chart.value", lang)
    hover = []
    for name, v, s in zip(names, values, statuses, strict=True):
        line = f"<b>{name}</b><br>{value_name}: {fmtlib.value(v, fmt, lang)}"
        if s is not None:
            line += f"<br>{status_text(s, lang)}"
        hover.append(line)
    fig.add_trace(
        go.Scatter(
            x=ends,
            y=values,
            mode="lines+markers",
            name=value_name,
            line={"color": ACCENT, "width": 3},
            marker={
                "size": 9,
                "color": [status_colour(s) if s is not None else ACCENT for s in statuses],
                "line": {"color": PAPER, "width": 1.5},
            },
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            connectgaps=False,
        )
    )

    all_values = list(values)
    targets = [_num(v) for v in data["target"].to_list()] if "target" in cols else []
    expected = [_num(v) for v in data["expected"].to_list()] if "expected" in cols else []
    if expected and any(v is not None for v in expected) and expected != targets:
        exp_name = t("chart.expected", lang)
        fig.add_trace(
            go.Scatter(
                x=ends,
                y=expected,
                mode="lines",
                name=exp_name,
                line={"color": MUTED, "width": 2, "dash": "dot"},
                hovertext=[
                    f"<b>{n}</b><br>{exp_name}: {fmtlib.value(v, fmt, lang)}"
                    for n, v in zip(names, expected, strict=True)
                ],
                hovertemplate="%{hovertext}<extra></extra>",
                connectgaps=False,
            )
        )
        all_values += expected
    present = [v for v in targets if v is not None]
    if present:
        tgt_name = t("chart.target", lang)
        if len(set(present)) == 1:  # constant target: one horizontal line across the range
            tx, ty = [ends[0], ends[-1]], [present[0], present[0]]
            tnames = [names[0], names[-1]]
            shape = "linear"
        else:  # per-year targets: a step at each change
            tx, ty, tnames, shape = ends, targets, names, "hv"
        single = len(set(tx)) == 1
        fig.add_trace(
            go.Scatter(
                x=tx,
                y=ty,
                mode="markers" if single else "lines",
                name=tgt_name,
                line={"color": INK, "width": 2, "dash": "dash", "shape": shape},
                marker={"symbol": "line-ew-open", "size": 28, "color": INK},
                hovertext=[
                    f"<b>{n}</b><br>{tgt_name}: {fmtlib.value(v, fmt, lang)}"
                    for n, v in zip(tnames, ty, strict=True)
                ],
                hovertemplate="%{hovertext}<extra></extra>",
                connectgaps=False,
            )
        )
        all_values += present

    step = max(1, math.ceil(len(ends) / max_ticks))
    tick_idx = list(range(len(ends) - 1, -1, -step))[::-1]  # always label the latest period
    fig.update_xaxes(
        type="date",
        tickmode="array",
        tickvals=[ends[i] for i in tick_idx],
        ticktext=[fmtlib.period_short(starts[i], g, lang) for i in tick_idx],
        showgrid=False,
    )
    yaxis = _value_axis(fmt, all_values, lang)
    if fmt == "count":
        yaxis["rangemode"] = "tozero"
    fig.update_yaxes(**yaxis)
    return _base_layout(fig, lang, title=title, height=height)


# --------------------------------------------------------------------------- breakdown


def _pick_key_col(df: pl.DataFrame, dim_label_col: str) -> str:
    skip = {dim_label_col, "metric", "status", "format"}
    text_cols = [c for c, dt in df.schema.items() if c not in skip and dt == pl.String]
    return text_cols[0] if len(text_cols) == 1 else dim_label_col


def _ranked_rows(
    df: pl.DataFrame, dim_label_col: str, direction: str, top: int | None, bottom: int | None
) -> list[dict[str, object]]:
    rows = df.to_dicts()
    with_value = [r for r in rows if not _missing(r.get("value"))]
    without = [r for r in rows if _missing(r.get("value"))]
    without.sort(key=lambda r: str(r[dim_label_col]))
    # best first: highest value when up is good, lowest when down is good; ties by name
    sign = -1.0 if direction == "up" else 1.0
    with_value.sort(key=lambda r: (sign * float(r["value"]), str(r[dim_label_col])))
    if top is None and bottom is None:
        return with_value + without
    n = len(with_value)
    chosen = set(range(min(top or 0, n))) | set(range(max(n - (bottom or 0), 0), n))
    return [r for i, r in enumerate(with_value) if i in chosen]


def breakdown(
    df: pl.DataFrame,
    *,
    dim_label_col: str,
    fmt: str,
    lang: Lang,
    top: int | None = None,
    bottom: int | None = None,
    direction: str = "up",
    key_col: str | None = None,
    title: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Ranked horizontal bars, best at the top (highest when ``direction="up"``, lowest
    when ``"down"``); ``top``/``bottom`` keep the N best and/or the N worst (units with no
    value are then left out; otherwise they are listed last with the no-data text).

    Bars are coloured by ``status`` when the column is there (its icon prefixes the value
    label), otherwise in the accent colour. A ``target`` column draws a dashed vertical
    line when every shown unit has the same target, else a tick per bar. ``customdata`` of
    the bar trace holds the dimension key of each bar (``key_col``; by default the one
    text column besides the label, or the label itself) so a click can drill down.
    The bar trace is ``fig.data[0]``; its ``y`` lists labels best first.
    """
    if direction not in ("up", "down"):
        raise ValueError(f"direction must be 'up' or 'down', not {direction!r}")
    key = key_col or _pick_key_col(df, dim_label_col)
    rows = _ranked_rows(df, dim_label_col, direction, top, bottom)
    has_status = "status" in df.columns
    has_target = "target" in df.columns

    keys = [str(r[key]) for r in rows]
    labels = [
        plotly_literal(x) for x in _unique_labels([str(r[dim_label_col]) for r in rows], keys)
    ]
    values = [_num(r.get("value")) for r in rows]
    statuses = [r.get("status") for r in rows] if has_status else [None] * len(rows)
    targets = [_num(r.get("target")) for r in rows] if has_target else [None] * len(rows)
    tgt_name = t("chart.target", lang)

    texts, hovers = [], []
    for label, v, s, tg in zip(labels, values, statuses, targets, strict=True):
        shown = fmtlib.value(v, fmt, lang)
        texts.append(f"{status_icon(s)} {shown}" if has_status else shown)
        hover = f"<b>{label}</b><br>{shown}"
        if tg is not None:
            hover += f"<br>{tgt_name}: {fmtlib.value(tg, fmt, lang)}"
        if has_status:
            hover += f"<br>{status_text(s, lang)}"
        hovers.append(hover)

    fig = go.Figure(
        go.Bar(
            x=[0.0 if v is None else v for v in values],  # a stub bar carries the no-data text
            y=labels,
            orientation="h",
            marker={
                "color": [status_colour(s) for s in statuses] if has_status else ACCENT,
                "line": {"width": 0},
            },
            text=texts,
            textposition="outside",
            cliponaxis=False,
            customdata=keys,
            hovertext=hovers,
            hovertemplate="%{hovertext}<extra></extra>",
            name=t("chart.value", lang),
        )
    )

    present = [v for v in targets if v is not None]
    if present and len(set(present)) == 1:
        fig.add_vline(
            x=present[0],
            line={"color": INK, "width": 2, "dash": "dash"},
            annotation_text=f"{tgt_name}: {fmtlib.value(present[0], fmt, lang)}",
            annotation_position="top",
            annotation_font={"size": FONT_SIZE - 1, "color": INK},
        )
    elif present:
        fig.add_trace(
            go.Scatter(
                x=targets,
                y=labels,
                mode="markers",
                name=tgt_name,
                marker={"symbol": "line-ns-open", "size": 22, "color": INK, "line": {"width": 2}},
                hovertext=[
                    f"<b>{lab}</b><br>{tgt_name}: {fmtlib.value(tg, fmt, lang)}"
                    for lab, tg in zip(labels, targets, strict=True)
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )

    nums = [v for v in values + targets if v is not None]
    xaxis = _value_axis(fmt, nums, lang)
    if nums and min(nums) >= 0:
        xaxis["range"] = [0, max(nums) * 1.18 or 1]  # room for the labels outside the bars
    fig.update_xaxes(**xaxis, zeroline=True, zerolinecolor=MUTED)
    fig.update_yaxes(autorange="reversed", type="category", showgrid=False, ticklabelstandoff=8)
    fig.update_layout(bargap=0.3)
    auto_height = max(220, 30 * len(rows) + 100)
    return _base_layout(
        fig,
        lang,
        title=title,
        height=height or auto_height,
        margin={"r": 72},
        showlegend=False,
    )


# --------------------------------------------------------------------------- sparkline


def sparkline(
    values: Sequence[float | None],
    *,
    fmt: str | None = None,
    lang: Lang = "vi",
    colour: str = ACCENT,
    height: int = 48,
) -> go.Figure:
    """A tiny line with no axes and a dot on the latest value; gaps where values are missing.
    With ``fmt`` the hover shows the formatted value, otherwise there is no hover."""
    ys = [_num(v) for v in values]
    xs = list(range(len(ys)))
    hover = [fmtlib.value(v, fmt, lang) for v in ys] if fmt else None
    fig = go.Figure(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"color": colour, "width": 2},
            connectgaps=False,
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>" if fmt else None,
            hoverinfo=None if fmt else "skip",
        )
    )
    last = next((i for i in range(len(ys) - 1, -1, -1) if ys[i] is not None), None)
    if last is not None:
        fig.add_trace(
            go.Scatter(
                x=[last],
                y=[ys[last]],
                mode="markers",
                marker={"color": colour, "size": 6},
                hoverinfo="skip",
            )
        )
    fig.update_layout(
        template="plotly_white",
        font={"family": FONT_FAMILY, "size": 11, "color": INK},
        separators=SEPARATORS[lang],
        height=height,
        margin={"l": 2, "r": 6, "t": 4, "b": 4},
        showlegend=False,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        dragmode=False,
        hovermode="closest",
    )
    fig.update_xaxes(visible=False, fixedrange=True)
    fig.update_yaxes(visible=False, fixedrange=True)
    return fig


# --------------------------------------------------------------------------- inline SVG

#: A page of metric cards would need dozens of Plotly charts for their sparklines; a few hundred
#: bytes of SVG per card render instantly and print well. The SVG is a standalone document (with
#: its namespace) so it can be shown as an ``<img>`` data URI where inline SVG is not allowed.


def sparkline_svg(
    values: Sequence[float | None],
    *,
    width: int = 120,
    height: int = 28,
    colour: str = ACCENT,
) -> str:
    """A tiny line as SVG, a dot on the latest value, gaps where values are missing; an empty
    string when fewer than two values exist (a single point is no trend)."""
    ys = [_num(v) for v in values]
    present = [v for v in ys if v is not None]
    if len(present) < 2:
        return ""
    lo, hi = min(present), max(present)
    span = (hi - lo) or (abs(hi) or 1.0)
    pad = 3.0
    step = (width - 2 * pad) / max(len(ys) - 1, 1)

    def point(i: int, v: float) -> tuple[float, float]:
        y = height - pad - (v - lo) / span * (height - 2 * pad) if hi != lo else height / 2
        return round(pad + i * step, 1), round(y, 1)

    segments, current = [], []
    for i, v in enumerate(ys):
        if v is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append(point(i, v))
    if current:
        segments.append(current)
    paths = "".join(
        '<polyline fill="none" stroke="{c}" stroke-width="2" stroke-linejoin="round" '
        'points="{p}"/>'.format(c=colour, p=" ".join(f"{x},{y}" for x, y in seg))
        for seg in segments
        if len(seg) > 1
    )
    last = max(i for i, v in enumerate(ys) if v is not None)
    lx, ly = point(last, ys[last])  # type: ignore[arg-type]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img">{paths}'
        f'<circle cx="{lx}" cy="{ly}" r="2.6" fill="{colour}"/></svg>'
    )


def history_bars_svg(
    values: Sequence[float | None],
    labels: Sequence[str],
    texts: Sequence[str],
    *,
    target: float | None = None,
    width: int = 200,
    height: int = 56,
    colour: str = ACCENT,
) -> str:
    """Small labelled bars (one per period, e.g. per year) as SVG: the value written above each
    bar, the period below, a dashed line at the target (drawn first, so labels stay legible).

    For figures that move once a year, where "below 42% every year" must be readable at a glance.
    """
    ys = [_num(v) for v in values]
    present = [v for v in ys if v is not None] + ([target] if target is not None else [])
    if not ys or not present:
        return ""
    top = max(max(present), 0.0) or 1.0
    n = len(ys)
    slot = width / n
    bar_w = min(28.0, slot * 0.6)
    label_h, text_h = 13.0, 13.0
    plot_h = height - label_h - text_h
    parts = []
    if target is not None:
        ty = text_h + plot_h - max(target, 0.0) / top * plot_h
        parts.append(
            f'<line x1="0" x2="{width}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="{INK}" '
            'stroke-width="1" stroke-dasharray="3,2"/>'
        )
    for i, (v, lab, txt) in enumerate(zip(ys, labels, texts, strict=True)):
        cx = slot * i + slot / 2
        if v is not None:
            h = max(v, 0.0) / top * plot_h
            y = text_h + plot_h - h
            parts.append(
                f'<rect x="{cx - bar_w / 2:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}" fill="{colour}" rx="1.5"/>'
            )
            parts.append(
                f'<text x="{cx:.1f}" y="{y - 2:.1f}" font-size="11" text-anchor="middle" '
                f'fill="{INK}" stroke="{PAPER}" stroke-width="3" paint-order="stroke">'
                f"{html.escape(txt)}</text>"
            )
        parts.append(
            f'<text x="{cx:.1f}" y="{height - 1:.1f}" font-size="10.5" text-anchor="middle" '
            f'fill="{MUTED}">{html.escape(lab)}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" font-family="{SVG_FONT}">{"".join(parts)}</svg>'
    )


# --------------------------------------------------------------------------- scorecard


def _status_colorscale() -> list[list[object]]:
    n = len(STATUS_ORDER)
    scale: list[list[object]] = []
    for i, s in enumerate(STATUS_ORDER):
        colour = STATUS_STYLE[s][0]
        scale.append([i / n, colour])
        scale.append([(i + 1) / n, colour])
    return scale


def scorecard_heatmap(
    df: pl.DataFrame,
    *,
    row_label_col: str,
    col_label_col: str,
    lang: Lang,
    status_col: str = "status",
    value_col: str = "value",
    format_col: str = "format",
    formats: dict[str, str] | None = None,
    row_key_col: str | None = None,
    title: str | None = None,
    height: int | None = None,
    slant: int | None = None,
) -> go.Figure:
    """A units × metrics grid coloured by status, each cell showing the status icon, the
    hover giving unit, metric, the formatted value and the status word.

    Rows and columns keep the order of first appearance in ``df`` (sort it first). A cell's
    format comes from a ``format`` column, else ``formats[column label]``, else ``number``.
    ``z`` holds the status code (index in :data:`STATUS_ORDER`) on a stepped colour scale;
    a missing unit × metric pair is a blank cell. ``customdata`` holds the row key
    (``row_key_col`` or the row label) for a drill-down. Trace 0 is the heatmap; the
    following traces only draw the legend (one per status present). Column titles are wrapped
    onto short lines, or, with ``slant`` (degrees, e.g. -35), kept on one slanted line so that a
    dozen long metric titles fit side by side.
    """
    rows = df.to_dicts()
    row_labels = list(dict.fromkeys(str(r[row_label_col]) for r in rows))
    col_labels = list(dict.fromkeys(str(r[col_label_col]) for r in rows))
    key_col = row_key_col or row_label_col
    row_keys = {str(r[row_label_col]): str(r[key_col]) for r in rows}
    ri = {lab: i for i, lab in enumerate(row_labels)}
    ci = {lab: i for i, lab in enumerate(col_labels)}
    nr, nc = len(row_labels), len(col_labels)
    z: list[list[float | None]] = [[None] * nc for _ in range(nr)]
    text = [[""] * nc for _ in range(nr)]
    hover = [[""] * nc for _ in range(nr)]
    custom = [[row_keys[lab]] * nc for lab in row_labels]
    seen_status: set[str] = set()
    shown_rows = [plotly_literal(label) for label in row_labels]  # names as written, not markup
    shown_cols = [plotly_literal(label) for label in col_labels]
    for r in rows:
        i, j = ri[str(r[row_label_col])], ci[str(r[col_label_col])]
        status = r.get(status_col) if r.get(status_col) in STATUS_STYLE else "no_data"
        seen_status.add(status)
        f = r.get(format_col) or (formats or {}).get(col_labels[j]) or "number"
        z[i][j] = float(_STATUS_CODE[status])
        text[i][j] = STATUS_STYLE[status][1]
        hover[i][j] = (
            f"<b>{shown_rows[i]}</b><br>{shown_cols[j]}<br>"
            f"{fmtlib.value(r.get(value_col), f, lang)}<br>{status_text(status, lang)}"
        )

    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=shown_cols if slant is not None else [_wrap(c) for c in shown_cols],
            y=shown_rows,
            zmin=-0.5,
            zmax=len(STATUS_ORDER) - 0.5,
            colorscale=_status_colorscale(),
            showscale=False,
            text=text,
            texttemplate="%{text}",
            textfont={"size": FONT_SIZE + 2},
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            customdata=custom,
            xgap=2,
            ygap=2,
            hoverongaps=False,
        )
    )
    for s in STATUS_ORDER:
        if s in seen_status:
            fig.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    name=status_text(s, lang),
                    marker={"symbol": "square", "size": 14, "color": STATUS_STYLE[s][0]},
                    hoverinfo="skip",
                )
            )
    fig.update_xaxes(side="top", tickangle=slant or 0, showgrid=False, type="category")
    fig.update_yaxes(autorange="reversed", showgrid=False, type="category", ticklabelstandoff=6)
    _base_layout(
        fig,
        lang,
        title=title,
        height=height or max(260, 34 * nr + 160),
        margin={"t": 120 if title else 90, "b": 16},
    )
    # the metric names sit on top, so the legend goes below the grid
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.02, "x": 0})
    return fig


def clickable_cells(fig: go.Figure) -> go.Figure:
    """Make a :func:`scorecard_heatmap`'s cells clickable; returns the same figure.

    Plotly heatmaps emit no selection events, so a click on a cell could not open its unit. An
    invisible square marker is laid on every filled cell, carrying the row's key (``customdata``)
    and the cell's hover text; a click selects that marker. It is the last trace.
    """
    heat = fig.data[0]
    xs, ys, keys, hovers = [], [], [], []
    for i, row in enumerate(heat.z):
        for j, code in enumerate(row):
            if code is not None:
                xs.append(heat.x[j])
                ys.append(heat.y[i])
                keys.append(heat.customdata[i][j])
                hovers.append(heat.hovertext[i][j])
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers",
            marker={"symbol": "square", "size": 22, "opacity": 0},
            customdata=keys,
            hovertext=hovers,
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
        )
    )
    # the markers must not pad the axes: keep the grid exactly where the heatmap put it
    fig.update_xaxes(autorange=False, range=[-0.5, len(heat.x) - 0.5])
    fig.update_yaxes(autorange=False, range=[len(heat.y) - 0.5, -0.5])
    return fig


# --------------------------------------------------------------------------- freshness


def freshness_bars(
    df: pl.DataFrame,
    lang: Lang,
    *,
    label_col: str | None = None,
    lateness_col: str = "lateness_days",
    status_col: str = "status",
    key_col: str | None = None,
    title: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Sources by lateness: one horizontal bar per source, the most urgent at the top
    (sources with no reading at all first, then by days behind schedule), coloured and
    labelled by source status (``ok``, ``late``, ``stale``, ``failed``, ``refused``).

    ``label_col`` defaults to the first of ``name``, ``label``, ``source``; ``customdata``
    holds ``key_col`` (default ``source`` when present, else the label).
    """
    cols = df.columns
    label = label_col or next((c for c in ("name", "label", "source") if c in cols), cols[0])
    key = key_col or ("source" if "source" in cols else label)
    rows = df.to_dicts()
    rows.sort(
        key=lambda r: (
            0 if _missing(r.get(lateness_col)) else 1,
            -(_num(r.get(lateness_col)) or 0.0),
            str(r[label]),
        )
    )
    lateness = [_num(r.get(lateness_col)) for r in rows]
    statuses = [r.get(status_col) for r in rows]
    styles = [SOURCE_STATUS_STYLE.get(s or "", UNKNOWN_STYLE) for s in statuses]
    texts = []
    for s, late, (_, icon) in zip(statuses, lateness, styles, strict=True):
        word = t(f"source_status.{s}", lang) if s in SOURCE_STATUS_STYLE else fmtlib.no_data(lang)
        text = f"{icon} {word}"
        if late is not None and late > 0:
            text += " · " + t("chart.lateness_days", lang, days=fmtlib.days(late, lang, 0))
        texts.append(text)
    keys = [str(r[key]) for r in rows]
    labels = _unique_labels([str(r[label]) for r in rows], keys)
    xs = [max(v, 0.0) if v is not None else 0.0 for v in lateness]
    fig = go.Figure(
        go.Bar(
            x=xs,
            y=labels,
            orientation="h",
            marker={"color": [c for c, _ in styles]},
            text=texts,
            textposition="outside",
            cliponaxis=False,
            customdata=keys,
            hovertext=[f"<b>{lab}</b><br>{txt}" for lab, txt in zip(labels, texts, strict=True)],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    top = max(xs, default=0.0)
    fig.update_xaxes(
        title_text=t("chart.lateness", lang),
        tickformat=",.1~f",
        range=[0, (top or 1.0) * 1.6],
        zeroline=True,
        zerolinecolor=MUTED,
    )
    fig.update_yaxes(autorange="reversed", type="category", showgrid=False, ticklabelstandoff=8)
    fig.update_layout(bargap=0.3)
    return _base_layout(
        fig,
        lang,
        title=title,
        height=height or max(220, 30 * len(rows) + 110),
        margin={"r": 72, "b": 56},
        showlegend=False,
    )


__all__ = [
    "breakdown",
    "clickable_cells",
    "for_projector",
    "freshness_bars",
    "history_bars_svg",
    "scorecard_heatmap",
    "sparkline",
    "sparkline_svg",
    "trend",
]
