"""The look of the dashboard in one place: the palette, each status's colour and icon, and the
style sheets of the pages and of the presenter.

A status is always shown as colour, icon and word together (the words come from
:mod:`dashboard.texts`), so it reads in greyscale printing and for colour-blind readers. Charts,
cards, tables, slides, the PPTX and the PDF all take their colours from here.
"""

from __future__ import annotations

from metrics.status import SHOWN_STATUSES

ACCENT = "#1f4e8c"  # restrained official blue: the value series everywhere
INK = "#1f2933"  # text and reference lines
MUTED = "#52606d"  # target and expected lines
GRID = "#e4e7eb"
FONT_FAMILY = "Inter, 'Segoe UI', 'DejaVu Sans', Arial, sans-serif"
FONT_SIZE = 14
SVG_FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"  # an <img> SVG cannot use the page's fonts
SEPARATORS: dict[str, str] = {"vi": ",.", "en": ".,"}  # Plotly: decimal mark, then thousands

STATUS_ORDER: tuple[str, ...] = SHOWN_STATUSES

#: status -> (fill colour, icon). Lightness differs by status (off_track darkest, then
#: on_track, no_target, at_risk, no_data lightest), and the icon tells them apart anyway.
STATUS_STYLE: dict[str, tuple[str, str]] = {
    "on_track": ("#2b8a3e", "✓"),
    "at_risk": ("#e0a526", "!"),
    "off_track": ("#9b2c2c", "✕"),
    "no_target": ("#8a94a3", "–"),
    "no_data": ("#e9ecef", "?"),
    "not_reported": ("#d0bfff", "∅"),  # a unit that sent nothing: violet, unlike "no data"
}

#: text colour that reads on each status fill (WCAG contrast ≥ 4.3).
STATUS_TEXT_COLOUR: dict[str, str] = {
    "on_track": "#ffffff",
    "at_risk": INK,
    "off_track": "#ffffff",
    "no_target": INK,
    "no_data": INK,
    "not_reported": INK,
}

UNKNOWN_STYLE = ("#8a94a3", "?")  # a state this version has no style for

#: health of a connected source -> (colour, icon); words under ``source_status.*`` in i18n.
SOURCE_STATUS_STYLE: dict[str, tuple[str, str]] = {
    "ok": STATUS_STYLE["on_track"],
    "late": STATUS_STYLE["at_risk"],
    "stale": STATUS_STYLE["off_track"],
    "failed": ("#343a40", "⚠"),
    "refused": ("#343a40", "⊘"),
    "unknown": STATUS_STYLE["no_target"],
}

#: a department's data-sharing state -> (colour, icon); words under ``sharing.*``.
SHARING_STYLE: dict[str, tuple[str, str]] = {
    "connected": STATUS_STYLE["on_track"],
    "pending": STATUS_STYLE["at_risk"],
    "refused": STATUS_STYLE["off_track"],
}

CARD_FILL = "#f4f6f8"  # the pale background of a card on a slide, the PPTX and the PDF
PAPER = "#ffffff"

#: a status word's colour on a pale card (the status fill itself may be too pale for text).
STATUS_INK: dict[str, str] = {"on_track": "#1e6b30", "at_risk": "#8a5a00", "off_track": "#9b2c2c"}


def status_colour(status: str | None) -> str:
    return STATUS_STYLE.get(status or "no_data", STATUS_STYLE["no_data"])[0]


def status_icon(status: str | None) -> str:
    return STATUS_STYLE.get(status or "no_data", STATUS_STYLE["no_data"])[1]


def status_ink(status: str | None) -> str:
    return STATUS_INK.get(status or "", MUTED)


def source_icon(status: str) -> str:
    """The icon of a source's health (``⚠`` for a state this version does not know)."""
    return SOURCE_STATUS_STYLE.get(status, ("", "⚠"))[1]


def sharing_icon(status: str) -> str:
    return SHARING_STYLE.get(status, ("", "?"))[1]


#: the dashboard pages' own classes (``r57-*``), drawn once per page by ``components.page_header``.
PAGE_CSS = """
<style>
.r57-card{font-size:.86rem;line-height:1.35;color:#1f2933}
.r57-top{display:flex;align-items:center;justify-content:space-between;gap:.5rem;flex-wrap:wrap}
.r57-value{font-size:1.55rem;font-weight:650;letter-spacing:-.01em}
.r57-value.r57-none{font-size:1rem;font-weight:500;color:#52606d}
.r57-chip{display:inline-block;padding:.05rem .5rem;border-radius:.7rem;font-size:.76rem;
  font-weight:600;white-space:nowrap;border:1px solid rgba(0,0,0,.08)}
.r57-line{margin-top:.15rem}
.r57-muted{color:#52606d}
.r57-good{color:#2b8a3e;font-weight:600}
.r57-bad{color:#9b2c2c;font-weight:600}
.r57-flat{color:#52606d}
.r57-foot{display:flex;align-items:flex-end;justify-content:space-between;gap:.4rem;
  margin-top:.3rem;flex-wrap:wrap}
.r57-fresh{font-size:.74rem;color:#52606d}
.r57-fresh.r57-warn{color:#8a5a00;font-weight:600}
.r57-fresh.r57-alarm{color:#9b2c2c;font-weight:600}
.r57-error{font-size:.86rem;line-height:1.4;color:#1f2933;border-left:4px solid #9b2c2c;
  padding-left:.6rem}
.r57-error b{color:#9b2c2c}
.r57-themes{width:100%;border-collapse:collapse;font-size:.84rem;color:#1f2933}
.r57-themes td{border-top:1px solid #e4e7eb;padding:.3rem .45rem;vertical-align:top}
.r57-themes tr:first-child td{border-top:none}
.r57-theme-name{font-weight:650;font-size:.92rem;width:12rem}
.r57-head{font-weight:650;font-size:.95rem;margin:0 0 .2rem 0}
.r57-fig{display:inline-block;vertical-align:top;width:31%;margin-right:2%}
.r57-fig-name{color:#52606d;font-size:.76rem;line-height:1.2}
.r57-fig-value{font-size:1.05rem;font-weight:650}
.r57-list{list-style:none;margin:0;padding:0;font-size:.85rem;line-height:1.35}
.r57-list li{padding:.25rem 0;border-top:1px solid #e4e7eb}
.r57-list li:first-child{border-top:none}
.r57-small{font-size:.76rem;color:#52606d}
.r57-now{color:#1f4e8c;font-weight:600;margin-top:2px}
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] span,
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] p{white-space:normal;line-height:1.3}
</style>
"""

#: the presenter's full-screen slide: no Streamlit chrome, type sized to the screen.
PRESENTER_CSS = """
<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stBottom"], footer, #MainMenu {
  display: none !important; }
[data-testid="stAppViewContainer"], [data-testid="stMain"] { background: #ffffff; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important;
  padding: 1.6vh 2.6vw 0.6vh 2.6vw !important; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 1.2vh; }
[data-testid="stElementContainer"][data-stale="true"] { opacity: 1 !important;
  transition: none !important; }
[class*="st-key-pc-"] [data-testid="stText"] { font-family: inherit; color: #1f2933; }
.st-key-pc-title [data-testid="stText"] { font-size: min(3vw, 5.6vh); font-weight: 700;
  line-height: 1.1; }
.st-key-pc-subtitle [data-testid="stText"], .st-key-pc-counter [data-testid="stText"] {
  font-size: min(1.3vw, 2.4vh); color: #52606d; }
.st-key-pc-banner [data-testid="stText"] { font-size: min(1vw, 1.9vh); background: #fff4d6;
  border-left: 0.4vw solid #e0a526; padding: 0.4vh 0.8vw; }
[class*="st-key-pc-cards"] [data-testid="stColumn"] > [data-testid="stVerticalBlock"]
  > [data-testid="stLayoutWrapper"] { flex: 1 1 auto; }
[class*="st-key-pc-card-"] { background: #f4f6f8; border-left: 0.5vw solid #8a94a3;
  padding: 1.1vh 0.8vw 1.1vh 1vw; height: 100%; gap: 0.4vh !important; }
[class*="st-key-pc-card-on_track-"] { border-left-color: #2b8a3e; }
[class*="st-key-pc-card-at_risk-"] { border-left-color: #e0a526; }
[class*="st-key-pc-card-off_track-"] { border-left-color: #9b2c2c; }
[class*="st-key-pc-card-no_data-"] { border-left-color: #c4cad1; }
[class*="st-key-pc-name-"] [data-testid="stText"] { font-size: min(1.1vw, 2.1vh); color: #52606d;
  line-height: 1.25; }
[class*="st-key-pc-value-"] [data-testid="stText"] { font-size: min(3.4vw, 6.4vh);
  font-weight: 700; line-height: 1.05; letter-spacing: -0.01em; white-space: nowrap; }
[class*="st-key-pc-novalue-"] [data-testid="stText"] { font-size: min(1.6vw, 3vh);
  font-weight: 600; color: #52606d; }
.st-key-pc-cards-few [class*="st-key-pc-value-"] [data-testid="stText"] {
  font-size: min(4.6vw, 8.2vh); }
.st-key-pc-cards-dense [class*="st-key-pc-value-"] [data-testid="stText"] {
  font-size: min(2.3vw, 4.2vh); }
.st-key-pc-cards-dense [class*="st-key-pc-name-"] [data-testid="stText"] {
  font-size: min(0.9vw, 1.7vh); }
[class*="st-key-pc-status-"] [data-testid="stText"] { font-size: min(1.15vw, 2.1vh);
  font-weight: 700; }
[class*="st-key-pc-status-on_track-"] [data-testid="stText"] { color: #1e6b30; }
[class*="st-key-pc-status-at_risk-"] [data-testid="stText"] { color: #8a5a00; }
[class*="st-key-pc-status-off_track-"] [data-testid="stText"] { color: #9b2c2c; }
[class*="st-key-pc-detail-"] [data-testid="stText"] { font-size: min(0.92vw, 1.75vh);
  color: #52606d; line-height: 1.3; }
.st-key-pc-cards-dense [class*="st-key-pc-detail-"] [data-testid="stText"] {
  font-size: min(0.78vw, 1.45vh); }
[class*="st-key-pc-now-"] [data-testid="stText"] { font-size: min(1vw, 1.9vh); font-weight: 600;
  color: #1f4e8c; }
.st-key-pc-chart-title [data-testid="stText"] { font-size: min(1.3vw, 2.4vh); font-weight: 600; }
.st-key-pc-chart-45 [data-testid="stPlotlyChart"] { height: 45vh; }
.st-key-pc-chart-38 [data-testid="stPlotlyChart"] { height: 38vh; }
.st-key-pc-chart-31 [data-testid="stPlotlyChart"] { height: 31vh; }
.st-key-pc-chart-24 [data-testid="stPlotlyChart"] { height: 24vh; }
.st-key-pc-chart-note [data-testid="stText"] { font-size: min(1.2vw, 2.2vh); color: #52606d; }
.st-key-pc-bullets [data-testid="stText"] { font-size: min(1.7vw, 3.1vh); line-height: 1.3;
  padding-left: 1.1em; text-indent: -1.1em; }
.st-key-pc-conclusions [data-testid="stText"] { font-size: min(1.15vw, 2.2vh); line-height: 1.3; }
.st-key-pc-conc-head [data-testid="stText"] { font-size: min(0.95vw, 1.8vh); font-weight: 700;
  color: #52606d; }
[class*="st-key-pc-conc-"]:not(.st-key-pc-conc-head) { border-top: 1px solid #d9dee3;
  padding-top: 0.6vh; }
.st-key-pc-footer [data-testid="stText"] { font-size: min(0.95vw, 1.8vh); color: #52606d; }
.st-key-pc-pgup, .st-key-pc-pgdn { position: absolute !important; width: 1px; height: 1px;
  overflow: hidden; opacity: 0; pointer-events: none; }
.st-key-pc-tools-box { position: fixed; right: 1.2vw; bottom: 1.4vh; z-index: 90; width: auto; }
.st-key-pc-notes-now [data-testid="stText"] { font-size: 2.2rem; font-weight: 700; }
.st-key-pc-notes-text [data-testid="stText"] { font-size: 1.6rem; line-height: 1.45; }
.st-key-pc-notes-next [data-testid="stText"] { font-size: 1.3rem; color: #52606d; }
</style>
"""
