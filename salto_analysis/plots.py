"""One small plot style for every notebook (matplotlib only), accessible by construction.

* Every estimate is drawn with its interval (``ci_low``/``ci_high``): error bars
  for bars and points, a ribbon for lines and survival curves.
* **Uncertain** estimates (``flag == "uncertain"``) are drawn as the legend says:
  bars light and hatched (``///``), points as large open symbols with a dashed
  interval; the legend has an entry for them whenever one is drawn.
* **Suppressed** estimates are left out, and a note under the figure says how
  many values are not shown ("3 values are not shown: too few or too uncertain").
* **Not colour alone** (WCAG 2.1 success criterion 1.4.1): each series has its own
  marker and line style (lines, points) or fill pattern (bars) besides its colour,
  so series stay apart in grey or with a colour-vision deficiency. Colours are the
  Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"; recommended by
  Wong 2011, *Nature Methods* 8:441).
* **Text alternative and data** (WCAG 1.1.1; ONS / Government Analysis Function
  chart guidance): the functions return a :class:`salto_analysis.chart.Chart`, a
  matplotlib figure that shows itself as ``<figure>`` with alt text written from
  the plotted numbers in the page's language (what is shown, the main finding,
  the range) and a folded table of the same numbers (``:`` for a value not shown).
* **Readable at phone width**: figures are :data:`FIGSIZE` (5.6 x 3.6 in, 560 CSS
  px wide) and no text is smaller than :data:`MIN_FONT_PT` (10 pt = 13.9 CSS px),
  so at a 390 px wide phone (about 360 px for the image) text is still about 9 px.
  The legend sits under the plot, so the plot keeps the full width.
* **Sharp at 2x**: the PNG in the HTML has :data:`salto_analysis.chart.SCALE`
  image pixels per CSS pixel (typically 40–90 kB a figure).
* The **synthetic-data banner** is written on the figure when the data is the
  synthetic sample (``synthetic=True`` or the table's metadata).
* Axis labels are Norwegian by default (``lang="en"`` for English), from
  :mod:`salto_analysis.labels` and :mod:`salto_analysis.schemas`.

Functions return a figure that is already closed in pyplot, so it displays once
when it is the last expression of a notebook cell.

Also here: :func:`funnel` (rates against population with control limits around
a reference rate, Spiegelhalter 2005; point labels that never overlap) and
:func:`survival` (a Kaplan–Meier step curve with a number-at-risk row).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import Formatter, FuncFormatter
from scipy import stats as sps

from salto_analysis import formatting, label_placement, labels, tables
from salto_analysis.chart import SCALE, Chart, DataTable, join_names
from salto_analysis.estimates import check_estimate_table, has_meta, meta_of

__all__ = [
    "DPI",
    "FIGSIZE",
    "HATCH",
    "LINESTYLES",
    "MARKERS",
    "MIN_FONT_PT",
    "PALETTE",
    "PATTERNS",
    "RC",
    "SCALE",
    "UNCERTAIN_ALPHA",
    "Chart",
    "NumberFormatter",
    "add_reference",
    "estimates",
    "funnel",
    "funnel_limits",
    "series_style",
    "survival",
]

#: Okabe–Ito colour-blind-safe palette (black moved last).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
#: Marker and line style of series k (with the colour PALETTE[k]): no two series share them.
MARKERS = ("o", "s", "^", "v", "D", "P", "X", "*")
LINESTYLES = ("-", "--", ":", (0, (3, 1.5, 1, 1.5)), "-.", (0, (8, 2)), (0, (1, 3)), (0, (5, 1, 1, 1, 1, 1)))
#: Fill pattern of bar series k ('' for the first); the uncertain hatch ``///`` is kept apart from these.
PATTERNS = ("", "..", "--", "||", "oo", "++", "OO", "**")
#: CSS pixels per inch: figures are FIGSIZE * DPI CSS pixels; the PNG has SCALE times as many pixels.
DPI = 100
FIGSIZE = (5.6, 3.6)
#: The smallest text in a figure, in points.
MIN_FONT_PT = 10.0
#: Opacity of the fill of uncertain bars (drawn as a light, opaque tint of the series colour).
UNCERTAIN_ALPHA = 0.35
HATCH = "///"
#: The rc settings used for every figure.
RC = {
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#dddddd",
    "grid.linewidth": 0.8,
    "font.size": MIN_FONT_PT,
    "axes.labelsize": MIN_FONT_PT,
    "xtick.labelsize": MIN_FONT_PT,
    "ytick.labelsize": MIN_FONT_PT,
    "axes.titlesize": MIN_FONT_PT + 1,
    "axes.titleweight": "bold",
    "legend.frameon": False,
    "legend.fontsize": MIN_FONT_PT,
    "legend.handlelength": 2.6,
    "legend.columnspacing": 1.2,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "hatch.linewidth": 1.0,
}
_KINDS = ("bar", "line", "point")
_UNCERTAIN_EDGE = "#333333"


# --------------------------------------------------------------------------- helpers


class NumberFormatter(Formatter):
    """Tick labels in the report's number format (``10 000``, ``2,5``), with as many
    decimals as the tick spacing needs (0 to 3), the same for every tick of the axis."""

    def __init__(self, lang: str = "nb"):
        self.lang = labels.check_lang(lang)
        self.digits = 0

    def set_locs(self, locs):
        super().set_locs(locs)
        self.digits = 0
        for d in range(4):
            if all(abs(v * 10**d - round(v * 10**d)) < 1e-6 for v in locs):
                self.digits = d
                break
        else:
            self.digits = 3

    def __call__(self, x, pos=None):
        return formatting.number(x, self.digits, self.lang)


def series_style(k: int) -> dict:
    """Colour, marker, line style and bar pattern of series ``k`` (0-based)."""
    return {"color": PALETTE[k % len(PALETTE)], "marker": MARKERS[k % len(MARKERS)],
            "linestyle": LINESTYLES[k % len(LINESTYLES)], "hatch": PATTERNS[k % len(PATTERNS)]}


def _light(colour: str, amount: float = 1 - UNCERTAIN_ALPHA) -> tuple:
    """An opaque tint of ``colour``: ``amount`` of the way to white."""
    r, g, b = to_rgb(colour)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


def _dark(colour: str, factor: float = 0.65) -> tuple:
    """A dark shade of ``colour`` for the edges of bars and markers: every palette colour at 0.65 has at
    least 3:1 contrast against white (WCAG 2.1 1.4.11, non-text contrast)."""
    return tuple(c * factor for c in to_rgb(colour))


def _new_figure(figsize, lang: str, **kw) -> Chart:
    fig = plt.figure(figsize=figsize, dpi=DPI, FigureClass=Chart, **kw)
    plt.close(fig)
    fig.lang = lang
    return fig


def _check(table: pd.DataFrame, where: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"{where} needs a graded estimate table (DataFrame), got {type(table).__name__}")
    tables.check_no_identifiers(table, where=where)
    check_estimate_table(table, graded=True, where=where)


def _synthetic(table: pd.DataFrame, synthetic: bool | None) -> bool:
    if synthetic is None:
        return bool(meta_of(table).synthetic) if has_meta(table) else False
    if not isinstance(synthetic, bool):
        raise ValueError(f"synthetic={synthetic!r} must be True, False or None")
    return synthetic


def _finish(fig, ax, *, lang: str, synthetic: bool, n_hidden: int, title: str | None) -> None:
    """Title, synthetic banner, the note on values not shown, and the layout.

    The banner sits in the top right corner, the note on its own line under it (top left):
    the legend under the plot takes the bottom. The title and the note are registered as the
    figure's caption (:meth:`salto_analysis.chart.Chart.set_caption`): the HTML writes them as
    text and leaves them out of the image.
    """
    line = MIN_FONT_PT * 1.9 / 72 / fig.get_size_inches()[1]  # one line of text, in figure height
    top = 1.0
    if synthetic:
        fig.text(0.99, 0.99, labels.t("plots.synthetic", lang), ha="right", va="top", fontsize=MIN_FONT_PT,
                 fontweight="bold", color="#5c0011",
                 bbox={"boxstyle": "round,pad=0.3", "facecolor": "#fde2e1", "edgecolor": "#b00020"})
        top -= line * 1.15
    note_artist = None
    without_note = with_note = (0, 0, 1, top)
    if n_hidden:
        note = (labels.t("plots.not_shown_one", lang) if n_hidden == 1
                else labels.t("plots.not_shown", lang, n=n_hidden))
        note_artist = fig.text(0.01, top - 0.01, note, ha="left", va="top", fontsize=MIN_FONT_PT, style="italic",
                               color="#333333")
        with_note = (0, 0, 1, top - line)
    title_artist = ax.set_title(title, loc="left") if title else None
    fig.set_layout_engine("constrained", rect=with_note)
    if isinstance(fig, Chart):
        fig.set_caption(title_artist, note_artist, rect_with_note=with_note, rect_without_note=without_note)


def _scale(table: pd.DataFrame, percent: bool | None) -> tuple[float, bool]:
    if percent is None:
        percent = tables._percent_default(table)
    return (100.0 if percent else 1.0), bool(percent)


def _level(table: pd.DataFrame, lang: str) -> str:
    return formatting.percent_level(meta_of(table).confidence_level, lang)


def _digits(table: pd.DataFrame, percent: bool) -> int:
    return tables._default_digits(meta_of(table).kind, percent)


def _ordered_values(series: pd.Series) -> list:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return [v for v in series.cat.categories if (series == v).any()]
    values = list(pd.unique(series.dropna()))
    try:
        return sorted(values)
    except TypeError:
        return values


def _all_hidden(ax, lang: str) -> None:
    """Say in an empty panel that every value of it is withheld (instead of an empty frame)."""
    ax.text(0.5, 0.5, labels.t("plots.all_hidden", lang), transform=ax.transAxes, ha="center", va="center",
            fontsize=MIN_FONT_PT, style="italic", color="#333333", wrap=True)


def _arms(y: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> list[np.ndarray]:
    """Error-bar arms ``[y − lo, hi − y]`` clipped at 0.

    A limit can sit a rounding error on the wrong side of its estimate (an upper limit of
    0.9999999999999999 for an estimate of 1); matplotlib refuses negative arms, so such an
    arm is drawn with length 0.
    """
    return [np.clip(y - lo, 0, None), np.clip(hi - y, 0, None)]


def _legend_columns(fig, labels_: list[str]) -> int:
    """As many legend columns as fit the figure's width (a rough text width: 0.55 em a character)."""
    if not labels_:
        return 1
    width_pt = fig.get_size_inches()[0] * 72 - 12
    entry = max(len(s) for s in labels_) * 0.55 * MIN_FONT_PT + (RC["legend.handlelength"] + 2.0) * MIN_FONT_PT
    return int(max(1, min(len(labels_), width_pt // entry, 4)))


def uncertain_handle(kind: str, lang: str):
    """The legend entry of uncertain values: a light hatched patch (bars) or an open symbol (points, lines)."""
    if kind == "bar":
        return Patch(facecolor=_light("#777777"), hatch=HATCH, edgecolor=_UNCERTAIN_EDGE,
                     label=labels.t("plots.uncertain", lang))
    return Line2D([], [], linestyle="none", marker="o", markersize=8, markerfacecolor="white",
                  markeredgecolor=_UNCERTAIN_EDGE, markeredgewidth=1.8, label=labels.t("plots.uncertain_open", lang))


def _legend(ax, handles: list, *, any_uncertain: bool, level: str, lang: str, interval: str,
            uncertain: str = "bar") -> None:
    """The legend under the plot: the series, the interval, and (when drawn) the uncertain style.

    The handles are kept on the figure (``fig.legend_handles``) so that code drawing more on the
    figure can add one and call :func:`_legend_again`.
    """
    extra = []
    if interval == "bar":
        extra.append(Line2D([], [], color="#333333", marker="|", linestyle="-", markersize=8,
                            label=labels.t("plots.interval", lang, level=level)))
    elif interval == "ribbon":
        extra.append(Patch(facecolor="#333333", alpha=0.2, label=labels.t("plots.interval", lang, level=level)))
    if any_uncertain:
        extra.append(uncertain_handle(uncertain, lang))
    fig = ax.figure
    fig.legend_handles = handles + extra
    _legend_again(fig)


def _legend_again(fig) -> None:
    """(Re)draw the figure legend under the plot from ``fig.legend_handles``; the figure grows by
    the legend rows beyond two, so the plot keeps its height."""
    for old in list(fig.legends):
        old.remove()
    handles = getattr(fig, "legend_handles", [])
    width, height = fig.get_size_inches()
    height -= getattr(fig, "_legend_growth", 0.0)
    growth = 0.0
    if handles:
        ncols = _legend_columns(fig, [h.get_label() for h in handles])
        rows = math.ceil(len(handles) / ncols)
        growth = max(rows - 2, 0) * MIN_FONT_PT * 1.75 / 72
        fig.legend(handles=handles, loc="outside lower center", ncols=ncols)
    fig.set_size_inches(width, height + growth)
    fig._legend_growth = growth


def _lower_first(text: str) -> str:
    """``Per 1 000 innbyggere`` -> ``per 1 000 innbyggere``; acronyms (``KI``) keep their case."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _value_text(value: float, digits: int, lang: str, percent: bool) -> str:
    """A number for the alt text: ``12,3 %`` / ``12.3%`` for shares, else the table format."""
    text = formatting.number(value, digits, lang)
    if percent:
        return f"{text}\u00a0%" if lang == "nb" else f"{text}%"
    return text


def _interval_cell(low: float, high: float, digits: int, lang: str) -> str:
    """``10,1–14,8`` (``−3,4 til 1,0`` when a limit is negative); empty when a limit is missing."""
    if not (np.isfinite(low) and np.isfinite(high)):
        return ""
    inner = formatting.interval(0.0, low, high, digits, lang)
    return inner[inner.index("(") + 1:-1]


def _x_text(column: str, value, lang: str) -> str:
    if isinstance(value, (float, np.floating)) and not float(value).is_integer():
        return formatting.number(value, 1, lang)
    return tables.value_label(column, value, lang)


# --------------------------------------------------------------------------- alt text and data of estimates


def _describe(fig: Chart, points: list[dict], *, kind: str, what: str, xlabel: str, group_label: str | None,
              lang: str, digits: int, percent: bool, value_header: str, level: str, grouped: bool) -> None:
    """Alt text and data table of :func:`estimates` from the plotted ``points``.

    Each point: ``series`` (text or None), ``x`` (text), ``y``/``lo``/``hi`` (plotted numbers, nan when not
    shown) and ``flag``. Lines: per series its first and last shown value (and the highest and lowest when
    they lie between). Bars and points: every value when there are at most 6, else per series the highest
    and lowest. Then the range of all shown values and how uncertain values are drawn.
    """
    t = labels.t
    val = lambda v: _value_text(v, digits, lang, percent)
    shown = [p for p in points if p["flag"] != "suppressed" and np.isfinite(p["y"])]
    head_key = "plots.alt.head_groups" if grouped else "plots.alt.head"
    sentences = [t(head_key, lang, kind=t(f"plots.alt.kind.{kind}", lang), what=_lower_first(what),
                   x=_lower_first(xlabel), group=_lower_first(group_label or ""))]
    series_names = list(dict.fromkeys(p["series"] for p in points))
    if not shown:
        sentences.append(t("plots.alt.nothing", lang))
    else:
        if kind == "line":
            xs = list(dict.fromkeys(p["x"] for p in shown))
            if len(xs) > 1:
                sentences.append(t("plots.alt.span", lang, x=xlabel, first=xs[0], last=xs[-1]))
        few = len(shown) <= 6
        for name in series_names:
            ps = [p for p in shown if p["series"] == name]
            if not ps:
                continue
            if kind == "line" and len(ps) > 1:
                text = t("plots.alt.change", lang, first=val(ps[0]["y"]), x_first=ps[0]["x"],
                         last=val(ps[-1]["y"]), x_last=ps[-1]["x"])
                inner = ps[1:-1]
                hi = max(ps, key=lambda p: p["y"])
                lo = min(ps, key=lambda p: p["y"])
                if len(ps) >= 4 and (hi in inner or lo in inner):
                    text += "; " + t("plots.alt.extremes", lang, high=val(hi["y"]), x_high=hi["x"],
                                     low=val(lo["y"]), x_low=lo["x"])
            elif few or len(ps) == 1:
                text = "; ".join(f"{val(p['y'])} ({p['x']})" for p in ps)
            else:
                hi = max(ps, key=lambda p: p["y"])
                lo = min(ps, key=lambda p: p["y"])
                text = t("plots.alt.extremes", lang, high=val(hi["y"]), x_high=hi["x"], low=val(lo["y"]),
                         x_low=lo["x"])
            sentences.append((f"{name}: {text}" if name is not None else text[:1].upper() + text[1:]) + ".")
        if len(shown) > 1:
            ys = [p["y"] for p in shown]
            sentences.append(t("plots.alt.range", lang, low=val(min(ys)), high=val(max(ys))))
        n_unc = sum(p["flag"] == "uncertain" for p in shown)
        if n_unc:
            sentences.append(t("plots.alt.uncertain_hatched" if kind == "bar" else "plots.alt.uncertain_open",
                               lang, n=n_unc))
    fig.alt.extend(sentences)
    columns = ([group_label or t("plots.data.group", lang)] if grouped else []) + [
        xlabel, value_header, t("tables.ci", lang, level=level), t("plots.data.note", lang)]
    rows = []
    for p in points:
        hidden = p["flag"] == "suppressed" or not np.isfinite(p["y"])
        cells = ([p["series"]] if grouped else []) + [p["x"]]
        if hidden:
            cells += [formatting.SUPPRESSED, formatting.SUPPRESSED, t("plots.data.suppressed", lang)]
        else:
            cells += [formatting.number(p["y"], digits, lang), _interval_cell(p["lo"], p["hi"], digits, lang),
                      t("plots.data.uncertain", lang) if p["flag"] == "uncertain" else ""]
        rows.append(cells)
    numeric = ([False] if grouped else []) + [False, True, True, False]
    notes = [t("plots.data.symbol", lang)] if any(r[-1] == t("plots.data.suppressed", lang) for r in rows) else []
    fig.data = DataTable(columns=columns, rows=rows, numeric=numeric, notes=notes)


# --------------------------------------------------------------------------- estimates


def estimates(
    table: pd.DataFrame,
    x: str,
    *,
    group: str | None = None,
    lang: str = "nb",
    kind: str = "bar",
    title: str | None = None,
    percent: bool | None = None,
    synthetic: bool | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    figsize: tuple[float, float] = FIGSIZE,
    group_label: str | None = None,
) -> Chart:
    """Plot the estimates of a graded table against ``x``, one series per ``group``.

    ``kind="bar"`` (dodged bars with error bars), ``"line"`` (lines with markers and an
    interval ribbon; for series such as years) or ``"point"`` (points with error bars).
    Series differ by colour and by marker and line style (lines, points) or fill pattern
    (bars). Suppressed rows are left out (a line breaks there) and counted in a note under
    the figure; uncertain rows are drawn light and hatched (bars) or as open symbols with a
    dashed interval (points, lines). Shares are drawn in percent by default. The figure
    carries an alt text and a table of the plotted numbers (:class:`salto_analysis.chart.Chart`);
    ``group_label`` names the groups there (default: the label of the ``group`` column).
    """
    lang = labels.check_lang(lang)
    _check(table, "plots.estimates()")
    if kind not in _KINDS:
        raise ValueError(f"kind={kind!r} must be one of {', '.join(_KINDS)}")
    for name, col in (("x", x), ("group", group)):
        if col is not None and col not in table.columns:
            raise ValueError(f"{name}={col!r} is not a column of the table (columns: {list(table.columns)})")
    if group is not None and group == x:
        raise ValueError(f"group={group!r} must differ from x")
    scale, percent = _scale(table, percent)
    synthetic = _synthetic(table, synthetic)
    flag = table["flag"].astype("object")
    shown = table[flag.ne("suppressed")]
    n_hidden = int(flag.eq("suppressed").sum())
    xs = _ordered_values(table[x])
    groups = _ordered_values(table[group]) if group is not None else [None]
    numeric_x = kind != "bar" and pd.api.types.is_numeric_dtype(table[x].dtype)
    pos = {v: (float(v) if numeric_x else float(k)) for k, v in enumerate(xs)}
    any_uncertain = bool(shown["flag"].eq("uncertain").any())
    xlabel = xlabel if xlabel is not None else tables.column_label(x, lang)
    ylabel = ylabel if ylabel is not None else tables._estimate_header(table, lang, percent)
    points: list[dict] = []

    with plt.rc_context(RC):
        fig = _new_figure(figsize, lang)
        ax = fig.add_subplot()
        handles = []
        width = 0.8 / max(len(groups), 1)
        for gi, g in enumerate(groups):
            style = series_style(gi)
            colour = style["color"]
            sub = table if g is None else table[table[group] == g]
            sub = sub.assign(_pos=sub[x].map(pos).astype(float)).sort_values("_pos")
            sup = sub["flag"].astype("object").eq("suppressed").to_numpy()
            unc = sub["flag"].astype("object").eq("uncertain").to_numpy()
            px = sub["_pos"].to_numpy(dtype=float)
            y = pd.to_numeric(sub["estimate"], errors="coerce").to_numpy(dtype=float) * scale
            lo = pd.to_numeric(sub["ci_low"], errors="coerce").to_numpy(dtype=float) * scale
            hi = pd.to_numeric(sub["ci_high"], errors="coerce").to_numpy(dtype=float) * scale
            y[sup] = lo[sup] = hi[sup] = np.nan
            label = tables.value_label(group, g, lang) if g is not None else None
            for xv, yv, lv, hv, fv in zip(sub[x], y, lo, hi, sub["flag"].astype("object")):
                points.append({"series": label, "x": _x_text(x, xv, lang), "y": yv, "lo": lv, "hi": hv, "flag": fv})
            if kind == "bar":
                offset = (gi - (len(groups) - 1) / 2) * width
                for solid, sel in ((True, ~unc & ~sup), (False, unc & ~sup)):
                    if not sel.any():
                        continue
                    if solid:
                        ax.bar(px[sel] + offset, y[sel], width=width * 0.95, color=colour, hatch=style["hatch"] or None,
                               edgecolor=_dark(colour), hatchcolor="white", linewidth=0.8)
                    else:
                        ax.bar(px[sel] + offset, y[sel], width=width * 0.95, color=_light(colour),
                               hatch=style["hatch"] + HATCH, edgecolor=_dark(colour), hatchcolor=_UNCERTAIN_EDGE,
                               linewidth=1.2)
                    ok = sel & np.isfinite(lo) & np.isfinite(hi)
                    bars = ax.errorbar(px[ok] + offset, y[ok], yerr=_arms(y[ok], lo[ok], hi[ok]), fmt="none",
                                       ecolor="#222222", elinewidth=1.0, capsize=2.5)
                    if not solid:
                        for lines in bars.lines[2]:
                            lines.set_linestyle("--")
                if label is not None:
                    handles.append(Patch(facecolor=colour, hatch=style["hatch"] or None, edgecolor=_dark(colour),
                                         hatchcolor="white", label=label))
            else:
                offset = 0.0 if len(groups) == 1 else (gi - (len(groups) - 1) / 2) * width * 0.5
                if numeric_x:  # lines share their x; points are dodged by a fraction of the x spacing
                    step = float(np.min(np.diff(sorted(pos.values())))) if len(pos) > 1 else 1.0
                    offset = offset * step * 0.5 if kind == "point" else 0.0
                xx = px + offset
                if kind == "line":
                    ax.plot(xx, y, color=colour, linewidth=1.8, linestyle=style["linestyle"], zorder=2)
                    ax.fill_between(xx, lo, hi, color=colour, alpha=0.18, linewidth=0, zorder=1)
                else:
                    for sel, dashed in ((~sup & ~unc, False), (unc & ~sup, True)):
                        ok = sel & np.isfinite(lo) & np.isfinite(hi)
                        if not ok.any():
                            continue
                        bars = ax.errorbar(xx[ok], y[ok], yerr=_arms(y[ok], lo[ok], hi[ok]), fmt="none",
                                           ecolor=colour, elinewidth=1.4, capsize=3, zorder=2)
                        if dashed:
                            for lines in bars.lines[2]:
                                lines.set_linestyle("--")
                solid = ~unc & ~sup
                ax.plot(xx[solid], y[solid], linestyle="none", marker=style["marker"], markersize=6.5, color=colour,
                        markeredgecolor=_dark(colour), markeredgewidth=0.9, zorder=3)
                ax.plot(xx[unc], y[unc], linestyle="none", marker=style["marker"], markersize=8.5,
                        markerfacecolor="white", markeredgecolor=_dark(colour), markeredgewidth=2.0, zorder=4)
                if label is not None:
                    handles.append(Line2D([], [], color=colour, marker=style["marker"], markersize=6.5,
                                          markeredgecolor=_dark(colour), markeredgewidth=0.9,
                                          linestyle=style["linestyle"] if kind == "line" else "none",
                                          linewidth=1.8, label=label))
        if not numeric_x:
            ax.set_xticks([pos[v] for v in xs])
            # slanted when many: 30 degrees for 6-8 labels, 45 beyond (neighbours stay a text line apart)
            angle = 0 if len(xs) <= 5 else 30 if len(xs) <= 8 else 45
            ax.set_xticklabels([tables.value_label(x, v, lang) for v in xs], rotation=angle,
                               ha="right" if angle else "center", rotation_mode="anchor")
        else:
            ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.yaxis.set_major_formatter(NumberFormatter(lang))
        lows = pd.to_numeric(shown["ci_low"], errors="coerce").to_numpy(dtype=float)
        lows = lows[np.isfinite(lows)]
        if kind == "bar" or not lows.size or lows.min() >= 0:
            ax.set_ylim(bottom=0)
        if shown.empty:  # every value withheld: say so in the panel
            _all_hidden(ax, lang)
        if group is not None or any_uncertain:
            _legend(ax, handles, any_uncertain=any_uncertain, level=_level(table, lang), lang=lang,
                    interval="ribbon" if kind == "line" else "bar", uncertain=kind)
        _describe(fig, points, kind=kind, what=title or ylabel, xlabel=xlabel,
                  group_label=(group_label or tables.column_label(group, lang)) if group is not None else None,
                  lang=lang,
                  digits=_digits(table, percent), percent=percent, value_header=ylabel, level=_level(table, lang),
                  grouped=group is not None)
        _finish(fig, ax, lang=lang, synthetic=synthetic, n_hidden=n_hidden, title=title)
    return fig


def add_reference(fig: Chart, value: float, *, low: float | None = None, high: float | None = None, label: str,
                  digits: int = 1, percent: bool = False) -> None:
    """Draw a reference level (a dashed line, its interval as a grey band) on the first axes of ``fig``,
    add it to the legend, the alt text and the notes of the data table.

    ``value``, ``low`` and ``high`` are in the plotted unit (per cent when the figure shows per cent).
    """
    ax = fig.axes[0]
    lang = getattr(fig, "lang", "nb")
    if low is not None and high is not None and np.isfinite(low) and np.isfinite(high):
        ax.axhspan(low, high, color="#999999", alpha=0.25, linewidth=0, zorder=0)
    ax.axhline(value, color="#444444", linestyle=(0, (6, 3)), linewidth=1.4, zorder=1)
    fig.legend_handles = [*getattr(fig, "legend_handles", []),
                          Line2D([], [], color="#444444", linestyle=(0, (6, 3)), linewidth=1.4, label=label)]
    with plt.rc_context(RC):
        _legend_again(fig)
    text = _value_text(value, digits, lang, percent)
    if low is not None and high is not None and np.isfinite(low) and np.isfinite(high):
        text += f" ({_interval_cell(low * 1.0, high * 1.0, digits, lang)})"
    sentence = labels.t("plots.alt.reference", lang, name=label, value=text)
    if isinstance(fig, Chart):
        fig.alt.append(sentence)
        fig.data.notes.insert(0, sentence)


# --------------------------------------------------------------------------- funnel


def funnel_limits(reference_rate, exposure, confidence_level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact Poisson control limits for an observed rate, around ``reference_rate``.

    For a unit with ``exposure`` n the count is Poisson(λ = rate·n) under the
    reference. Spiegelhalter (2005, "Funnel plots for comparing institutional
    performance", *Stat Med* 24:1185–1202, appendix A.1) takes the exact
    quantile r_p (smallest r with P(X ≤ r) ≥ p) and interpolates between
    integers so the limits are smooth in n:

        α = (P(X ≤ r_p) − p) / (P(X ≤ r_p) − P(X ≤ r_p − 1)),   limit = (r_p − α) / n,

    with p = (1 − c)/2 for the lower and (1 + c)/2 for the upper limit of
    coverage c. Manktelow & Seaton (2012, *BMC Med Res Methodol* 12:98) show these
    probability-based limits keep close to the nominal level where limits built
    from confidence intervals do not. Returns (lower, upper) rates per unit of
    exposure (multiply by 1,000 for "per 1,000"). The lower limit is clipped at 0.
    """
    if not 0 < confidence_level < 1:
        raise ValueError(f"confidence_level={confidence_level!r} must be between 0 and 1")
    rate = float(reference_rate)
    if not (math.isfinite(rate) and rate > 0):
        raise ValueError(f"reference_rate={reference_rate!r} must be a positive number")
    n = np.asarray(exposure, dtype=float)
    if np.any(~np.isfinite(n)) or np.any(n <= 0):
        raise ValueError("exposure must be positive and finite (populations of the units)")
    lam = rate * n
    out = []
    for p in ((1 - confidence_level) / 2, (1 + confidence_level) / 2):
        r = sps.poisson.ppf(p, lam)
        f_r = sps.poisson.cdf(r, lam)
        f_r1 = sps.poisson.cdf(r - 1, lam)
        denom = f_r - f_r1
        alpha = np.divide(f_r - p, denom, out=np.zeros_like(lam), where=denom > 0)
        out.append(np.clip((r - alpha) / n, 0, None))
    return out[0], out[1]



def funnel(
    table: pd.DataFrame,
    *,
    reference: float | None = None,
    label: str | None = None,
    lang: str = "nb",
    title: str | None = None,
    synthetic: bool | None = None,
    confidence_levels: Sequence[float] = (0.95, 0.998),
    ylabel: str | None = None,
    figsize: tuple[float, float] = FIGSIZE,
    limits=None,
    limit_note: str | None = None,
) -> Chart:
    """Funnel plot: each unit's rate against its population, with control limits.

    ``table`` is a graded rate table (``kind="rate"``) with ``count``,
    ``exposure`` (population) and ``estimate`` per ``TableMeta.scale`` (default
    1,000, as :func:`salto_analysis.stats.rate_table` sets it) persons,
    one row per unit (district). ``reference`` is the reference
    rate in the same unit (the city rate); by default the pooled rate of the
    rows shown. Limits: :func:`funnel_limits` at 95 % and 99.8 % (about 2 and 3
    standard deviations, Spiegelhalter 2005). Units are not ranked; uncertain
    ones are drawn as open symbols, suppressed ones left out and counted under the figure.
    ``label`` names a column whose values are written next to the points, placed so that
    no two overlap (:func:`salto_analysis.label_placement.place`; points outside the widest
    limits are labelled first); a point whose label finds no free spot stays unnamed and a
    note says so (the table beside the figure names every point). The alt text names the
    units outside the widest limits.

    ``limits`` replaces the exact Poisson limits: a function ``limits(exposure, level)``
    returning (lower, upper) rates per person (as :func:`funnel_limits`), for example the
    limits widened for over-dispersion of :func:`salto_analysis.small_area.funnel_curve`;
    the points' positions (alt text, data table) are then read from those limits.
    ``limit_note`` is added to each limit's legend entry (for example "widened for
    over-dispersion").
    """
    lang = labels.check_lang(lang)
    _check(table, "plots.funnel()")
    if limits is None:
        def limits(n, c):
            return funnel_limits(reference / per, n, c)
    for col in ("count", "exposure"):
        if col not in table.columns:
            raise ValueError(f"plots.funnel() needs a rate table with a {col!r} column")
    if label is not None and label not in table.columns:
        raise ValueError(f"label={label!r} is not a column of the table")
    per = float(meta_of(table).scale or 1000)
    synthetic = _synthetic(table, synthetic)
    flag = table["flag"].astype("object")
    shown = table[flag.ne("suppressed")]
    n_hidden = int(flag.eq("suppressed").sum())
    expo = pd.to_numeric(shown["exposure"], errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(shown["estimate"], errors="coerce").to_numpy(dtype=float)
    unc = shown["flag"].astype("object").eq("uncertain").to_numpy()
    if reference is None:
        counts = pd.to_numeric(shown["count"], errors="coerce").to_numpy(dtype=float)
        if not len(shown) or np.nansum(expo) <= 0:
            raise ValueError("plots.funnel(): no rows to compute a reference rate from; pass reference=")
        reference = float(np.nansum(counts) / np.nansum(expo) * per)
    if not (isinstance(reference, (int, float, np.number)) and reference > 0):
        raise ValueError(f"reference={reference!r} must be a positive rate per {per:g}")
    levels = sorted(float(c) for c in confidence_levels)
    finite = np.isfinite(expo) & (expo > 0)
    lo_x = max(np.nanmin(expo[finite]) * 0.5, 1.0) if finite.any() else 100.0
    hi_x = np.nanmax(expo[finite]) * 1.15 if finite.any() else 10000.0
    grid = np.linspace(lo_x, hi_x, 300)
    ref_text = formatting.number(reference, 1, lang)
    level_text = {c: formatting.number(c * 100, 0 if float(c * 100).is_integer() else 1, lang) for c in levels}
    # each shown point against the limits at its own population: +k above the k-th narrowest... widest
    position = np.zeros(len(shown), dtype=int)
    for k, c in enumerate(levels, start=1):
        ok = finite & np.isfinite(y)
        if ok.any():
            low, high = limits(np.where(ok, expo, 1.0), c)
            position[ok & (y > high * per)] = k
            position[ok & (y < low * per)] = -k
    names = ([tables.value_label(label, v, lang) for v in shown[label]] if label is not None
             else [str(i + 1) for i in range(len(shown))])
    ylabel = ylabel if ylabel is not None else tables._estimate_header(table, lang, False)
    digits = _digits(table, False)

    with plt.rc_context(RC):
        fig = _new_figure(figsize, lang)
        ax = fig.add_subplot()
        handles = [Line2D([], [], color="#000000", linewidth=1.2,
                          label=labels.t("plots.funnel.reference", lang, rate=ref_text))]
        ax.axhline(reference, color="#000000", linewidth=1.2, zorder=1)
        styles = ("--", "-")
        for k, c in enumerate(levels):
            low, high = limits(grid, c)
            ls = styles[min(k, len(styles) - 1)]
            ax.plot(grid, low * per, color="#555555", linestyle=ls, linewidth=1.0, zorder=1)
            ax.plot(grid, high * per, color="#555555", linestyle=ls, linewidth=1.0, zorder=1)
            handles.append(Line2D([], [], color="#555555", linestyle=ls, linewidth=1.0,
                                  label=labels.t("plots.funnel.limit", lang, level=level_text[c])
                                  + (f" ({limit_note})" if limit_note else "")))
        ax.plot(expo[~unc], y[~unc], linestyle="none", marker="o", markersize=6.5, color=PALETTE[0],
                markeredgecolor=_dark(PALETTE[0]), markeredgewidth=0.9, zorder=3)
        ax.plot(expo[unc], y[unc], linestyle="none", marker="o", markersize=8.5, markerfacecolor="white",
                markeredgecolor=_dark(PALETTE[0]), markeredgewidth=2.0, zorder=4)
        if unc.any():
            handles.append(uncertain_handle("point", lang))
        annotations = []
        if label is not None:
            # the points outside the widest limits first, then the rest from the largest population
            order = sorted(range(len(shown)), key=lambda i: (-abs(position[i]), -(expo[i] if finite[i] else 0)))
            for i in order:
                if np.isfinite(expo[i]) and np.isfinite(y[i]):
                    ann = ax.annotate(names[i], (expo[i], y[i]), xytext=(4, 3), textcoords="offset points",
                                      fontsize=MIN_FONT_PT, color="#222222", ha="left", va="bottom", zorder=5,
                                      bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none",
                                            "alpha": 0.8},
                                      arrowprops={"arrowstyle": "-", "color": "#555555", "linewidth": 0.7,
                                                  "shrinkA": 0, "shrinkB": 4})
                    ann.set_in_layout(False)
                    annotations.append(ann)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: formatting.number(v, 0, lang)))
        ax.yaxis.set_major_formatter(NumberFormatter(lang))
        ax.set_xlim(grid[0] * 0.9, grid[-1])
        ax.set_xlabel(labels.t("plots.funnel.x", lang))
        ax.set_ylabel(ylabel)
        # the y range of the points and the reference, with room for labels; limits outside it are cut
        ys = np.concatenate([y[np.isfinite(y)], [reference]])
        span = max(ys.max() - ys.min(), reference * 0.1)
        ax.set_ylim(max(ys.min() - 0.25 * span, 0.0), ys.max() + 0.25 * span)
        if shown.empty:
            _all_hidden(ax, lang)
        fig.legend_handles = handles
        _legend_again(fig)
        _finish(fig, ax, lang=lang, synthetic=synthetic, n_hidden=n_hidden, title=title)
        if annotations:
            state = {}
            fig.before_draw(lambda renderer: state.update(placed=label_placement.place(
                ax, annotations, renderer, marker_radius_pt=4.5)))
            fig.draw_without_rendering()
            if not all(state["placed"]):
                fig.notes.append(labels.t("plots.funnel.some_unnamed", lang))
        # alt text and data
        t = labels.t
        widest = levels[-1] if levels else None
        sentences = [t("plots.alt.funnel", lang, kind=t("plots.alt.kind.funnel", lang), what=_lower_first(title or ylabel),
                       n=len(shown), ref=ref_text, levels=join_names([f"{level_text[c]} %" if lang == "nb" else f"{level_text[c]}%"
                                                        for c in levels], lang))]
        if widest is not None and len(shown):
            k = len(levels)
            none = t("plots.alt.funnel.none", lang)
            above = [names[i] for i in range(len(shown)) if position[i] == k]
            below = [names[i] for i in range(len(shown)) if position[i] == -k]
            sentences.append(t("plots.alt.funnel.above", lang, level=level_text[widest],
                               names=join_names(above, lang) or none))
            sentences.append(t("plots.alt.funnel.below", lang, level=level_text[widest],
                               names=join_names(below, lang) or none))
            sentences.append(t("plots.alt.funnel.rest", lang, level=level_text[widest]))
            ok = np.isfinite(y)
            if ok.sum() > 1:
                sentences.append(t("plots.alt.range", lang, low=formatting.number(np.nanmin(y), digits, lang),
                                   high=formatting.number(np.nanmax(y), digits, lang)))
            if unc.any():
                sentences.append(t("plots.alt.uncertain_open", lang, n=int(unc.sum())))
        fig.alt.extend(sentences)
        has_ci = {"ci_low", "ci_high"} <= set(table.columns)
        columns = [tables.column_label(label, lang) if label else "#", labels.t("plots.funnel.x", lang), ylabel]
        columns += [t("tables.ci", lang, level=_level(table, lang))] if has_ci else []
        columns += [t("plots.data.position", lang), t("plots.data.note", lang)]

        def where(p: int) -> str:
            if p == 0:
                return t("plots.data.inside", lang)
            return t("plots.data.above" if p > 0 else "plots.data.below", lang, level=level_text[levels[abs(p) - 1]])

        rows = []
        for i, (_, row) in enumerate(shown.iterrows()):
            cells = [names[i], formatting.number(expo[i], 0, lang), formatting.number(y[i], digits, lang)]
            if has_ci:
                cells.append(_interval_cell(float(row["ci_low"]), float(row["ci_high"]), digits, lang))
            cells += [where(int(position[i])), t("plots.data.uncertain", lang) if unc[i] else ""]
            rows.append(cells)
        for _, row in table[flag.eq("suppressed")].iterrows():
            name = tables.value_label(label, row[label], lang) if label is not None else ""
            rows.append([name, formatting.SUPPRESSED, formatting.SUPPRESSED] + ([formatting.SUPPRESSED] if has_ci else [])
                        + [formatting.SUPPRESSED, t("plots.data.suppressed", lang)])
        fig.data = DataTable(columns=columns, rows=rows,
                             numeric=[False, True, True] + ([True] if has_ci else []) + [False, False],
                             notes=[t("plots.data.symbol", lang)] if n_hidden else [])
    return fig


# --------------------------------------------------------------------------- survival


def _group_size(rows: pd.DataFrame) -> float | None:
    """Persons in a survival curve's group (its ``denominator``; ``nan`` if withheld), ``None`` without the column."""
    if "denominator" not in rows.columns:
        return None
    values = pd.to_numeric(rows["denominator"], errors="coerce").to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    return float(values.max()) if values.size else float("nan")




def _pad_risk_labels(risk, first_column: list, renderer) -> None:
    """Keep the group names of the number-at-risk row clear of the numbers at the first time.

    The numbers are centred on their time; at time 0 half of each sticks out left of the axis,
    where the group names are. The names move left by that overhang plus a gap.
    """
    fig = risk.figure
    left = risk.get_window_extent(renderer).x0
    overhang = max([left - t.get_window_extent(renderer).x0 for t in first_column] + [0.0])
    risk.tick_params(axis="y", pad=overhang * 72.0 / fig.dpi + 6.0)


def survival(
    table: pd.DataFrame,
    *,
    time: str = "time",
    group: str | None = None,
    at_risk: str = "n_at_risk",
    at_times: Sequence[float] | None = None,
    start: float | None = None,
    lang: str = "nb",
    title: str | None = None,
    percent: bool | None = None,
    synthetic: bool | None = None,
    min_count: int | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    figsize: tuple[float, float] = (FIGSIZE[0], 4.4),
) -> Chart:
    """Kaplan–Meier step curve with its interval ribbon and a number-at-risk row.

    ``table`` is a graded estimate table with one row per event time (column
    ``time``), ``estimate`` (S(t), or the cumulative share 1 − S(t)),
    ``ci_low``/``ci_high`` and the number at risk (``at_risk``), as
    :mod:`salto_analysis.persistence` returns it. ``start`` is the value at time
    0 drawn before the first row (1 for S(t), 0 for 1 − S(t)); by default none.

    Each curve stops at its first suppressed row (later steps would let the
    hidden one be read off); the values not drawn are counted under the figure,
    and a panel with nothing to draw says so. Curves differ by colour, line style
    and a marker at each time of ``at_times``; uncertain steps carry an open symbol.
    The number-at-risk row gives, for each time in ``at_times``
    (default: the x ticks), the number at risk at the first row at or after it;
    at the start (a time of 0 or less without a row of its own) everyone is at
    risk, so it gives the group's ``denominator`` (persons in the group, as
    :mod:`salto_analysis.persistence` returns it), or nothing if the table has no
    ``denominator``, never the first row's number. Counts from 1 to
    ``min_count − 1`` are shown as ``:`` as in the tables. The group names of that
    row are kept clear of its numbers. The data table beside the figure gives, per
    group and time of ``at_times``, the curve's value there and the number at risk.
    """
    lang = labels.check_lang(lang)
    _check(table, "plots.survival()")
    for name, col in (("time", time), ("at_risk", at_risk), ("group", group)):
        if col is not None and col not in table.columns:
            raise ValueError(f"{name}={col!r} is not a column of the table (columns: {list(table.columns)})")
    min_count = tables.min_count_of(table, min_count)
    scale, percent = _scale(table, percent)
    synthetic = _synthetic(table, synthetic)
    groups = _ordered_values(table[group]) if group is not None else [None]
    n_hidden = 0
    curves = []
    for g in groups:
        sub = table if g is None else table[table[group] == g]
        sub = sub.sort_values(time)
        sup = sub["flag"].astype("object").eq("suppressed").to_numpy()
        cut = int(np.argmax(sup)) if sup.any() else len(sub)
        n_hidden += len(sub) - cut
        curves.append((g, sub, sub.iloc[:cut]))
    level = _level(table, lang)
    ylabel = ylabel if ylabel is not None else tables._estimate_header(table, lang, percent)
    xlabel = xlabel if xlabel is not None else tables.column_label(time, lang)
    digits = _digits(table, percent)

    with plt.rc_context(RC):
        fig = _new_figure(figsize, lang)
        gs = fig.add_gridspec(2, 1, height_ratios=(4.0, 0.5 + 0.35 * len(curves)))
        ax = fig.add_subplot(gs[0])
        risk = fig.add_subplot(gs[1], sharex=ax)
        handles = []
        any_uncertain = False
        drawn = []  # per curve: (t, y, lo, hi, unc) as drawn
        for gi, (g, full, sub) in enumerate(curves):
            style = series_style(gi)
            colour = style["color"]
            t = pd.to_numeric(sub[time], errors="coerce").to_numpy(dtype=float)
            y = pd.to_numeric(sub["estimate"], errors="coerce").to_numpy(dtype=float) * scale
            lo = pd.to_numeric(sub["ci_low"], errors="coerce").to_numpy(dtype=float) * scale
            hi = pd.to_numeric(sub["ci_high"], errors="coerce").to_numpy(dtype=float) * scale
            unc = sub["flag"].astype("object").eq("uncertain").to_numpy()
            any_uncertain |= bool(unc.any())
            if start is not None and (not len(t) or t[0] > 0):
                t = np.concatenate([[0.0], t])
                y = np.concatenate([[start * scale], y])
                lo = np.concatenate([[start * scale], lo])
                hi = np.concatenate([[start * scale], hi])
                unc = np.concatenate([[False], unc])
            drawn.append((t, y, lo, hi, unc))
            if len(t):
                t_end = np.append(t[1:], t[-1])
                ax.step(np.append(t, t_end[-1]), np.append(y, y[-1]), where="post", color=colour, linewidth=1.8,
                        linestyle=style["linestyle"], zorder=2)
                ax.fill_between(t, lo, hi, step="post", color=colour, alpha=0.18, linewidth=0)
                if unc.any():
                    ax.plot(t[unc], y[unc], linestyle="none", marker=style["marker"], markersize=8.5,
                            markerfacecolor="white", markeredgecolor=_dark(colour), markeredgewidth=2.0, zorder=4)
            if g is not None:
                handles.append(Line2D([], [], color=colour, linewidth=1.8, linestyle=style["linestyle"],
                                      marker=style["marker"], markersize=6.5, markeredgecolor=_dark(colour),
                                      markeredgewidth=0.9,
                                      label=tables.value_label(group, g, lang)))
        ax.set_ylabel(ylabel)
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(NumberFormatter(lang))
        if all(sub.empty for _, _, sub in curves):  # every value withheld: say so in the panel
            _all_hidden(ax, lang)
        if at_times is None:
            lim = ax.get_xlim()
            at_times = [v for v in ax.get_xticks() if lim[0] <= v <= lim[1]]
        at_times = [float(v) for v in at_times]
        # a marker on each curve at each time of at_times, so the curves differ by more than colour
        values = []  # per curve: (value, low, high, uncertain) at each time, None where not drawn
        for gi, (t, y, lo, hi, unc) in enumerate(drawn):
            row = []
            for v in at_times:
                idx = np.flatnonzero(t <= v)
                row.append(None if not len(idx) or v > t[-1] else (y[idx[-1]], lo[idx[-1]], hi[idx[-1]],
                                                                   bool(unc[idx[-1]])))
            values.append(row)
            style = series_style(gi)
            marks = [(v, r[0]) for v, r in zip(at_times, row) if r is not None]
            if marks:
                ax.plot(*zip(*marks), linestyle="none", marker=style["marker"], markersize=6.5,
                        color=style["color"], markeredgecolor=_dark(style["color"]), markeredgewidth=0.9, zorder=3)
        ax.set_xticks(at_times)
        ax.tick_params(labelbottom=False)
        # the number-at-risk row: its own axes under the curve, sharing the time axis
        risk.set_title(labels.t("plots.km.at_risk", lang), loc="left", fontsize=MIN_FONT_PT, fontweight="bold")
        risk.grid(False)
        for side in ("left", "top", "right"):
            risk.spines[side].set_visible(False)
        risk.set_ylim(len(curves) - 0.5, -0.5)
        risk.set_yticks(range(len(curves)))
        risk.set_yticklabels(["" if g is None else tables.value_label(group, g, lang) for g, _, _ in curves])
        risk.tick_params(axis="y", length=0, pad=16)
        risk_texts: list[list[str | None]] = []
        first_column = []
        for gi, (g, full, _) in enumerate(curves):
            tt = pd.to_numeric(full[time], errors="coerce").to_numpy(dtype=float)
            nn = pd.to_numeric(full[at_risk], errors="coerce").to_numpy(dtype=float)
            row_texts = []
            for k, v in enumerate(at_times):
                idx = np.flatnonzero(tt >= v)
                if v <= 0 and (not len(idx) or tt[idx[0]] > v):
                    n = _group_size(full)  # the start: everyone in the group is at risk
                    if n is None:
                        row_texts.append(None)
                        continue
                elif not len(idx):
                    row_texts.append(None)
                    continue
                else:
                    n = nn[idx[0]]
                text = (formatting.SUPPRESSED if not np.isfinite(n) or 1 <= n < min_count
                        else formatting.number(n, 0, lang))
                row_texts.append(text)
                artist = risk.text(v, gi, text, fontsize=MIN_FONT_PT, ha="center", va="center")
                if k == 0:
                    first_column.append(artist)
            risk_texts.append(row_texts)
        risk.set_xticks(at_times)
        risk.set_xticklabels([formatting.number(v, 0 if float(v).is_integer() else 1, lang) for v in at_times])
        risk.set_xlabel(xlabel)
        if group is not None or any_uncertain:
            _legend(ax, handles, any_uncertain=any_uncertain, level=level, lang=lang, interval="ribbon",
                    uncertain="point")
        _finish(fig, ax, lang=lang, synthetic=synthetic, n_hidden=n_hidden, title=title)
        if first_column:
            fig.before_draw(lambda renderer: _pad_risk_labels(risk, first_column, renderer))

        # alt text and data
        t_ = labels.t
        val = lambda v: _value_text(v, digits, lang, percent)
        time_text = lambda v: formatting.number(v, 0 if float(v).is_integer() else 1, lang)
        names = [tables.value_label(group, g, lang) if g is not None else None for g, _, _ in curves]
        sentences = [t_("plots.alt.survival", lang, kind=t_("plots.alt.kind.survival", lang),
                        what=_lower_first(title or ylabel), x=_lower_first(xlabel),
                        first=time_text(at_times[0]) if at_times else "", last=time_text(at_times[-1]) if at_times else "")]
        last = []
        for name, (t, y, _, _, _) in zip(names, drawn):
            if len(t):
                text = f"{val(y[-1])} ({time_text(t[-1])})"
                last.append(f"{name}: {text}" if name is not None else text)
        if last:
            sentences.append(t_("plots.alt.survival.last", lang, values="; ".join(last)))
        else:
            sentences.append(t_("plots.alt.nothing", lang))
        n_unc = sum(int(u[1:].sum() if start is not None else u.sum()) for _, _, _, _, u in drawn)
        if n_unc:
            sentences.append(t_("plots.alt.uncertain_open", lang, n=n_unc))
        fig.alt.extend(sentences)
        grouped = group is not None
        columns = ([tables.column_label(group, lang)] if grouped else []) + [
            xlabel, ylabel, t_("tables.ci", lang, level=level), t_("plots.km.at_risk", lang), t_("plots.data.note", lang)]
        rows = []
        for name, row, texts, (_, full, sub) in zip(names, values, risk_texts, curves):
            stopped = len(sub) < len(full)  # the curve stops at a suppressed row
            for v, r, n_text in zip(at_times, row, texts):
                cells = ([name] if grouped else []) + [time_text(v)]
                if r is None:
                    cells += [formatting.SUPPRESSED if stopped else formatting.MISSING] * 2
                else:
                    cells += [formatting.number(r[0], digits, lang), _interval_cell(r[1], r[2], digits, lang)]
                cells.append(n_text if n_text is not None else "")
                cells.append(t_("plots.data.suppressed", lang) if r is None and stopped
                             else t_("plots.data.uncertain", lang) if r is not None and r[3] else "")
                rows.append(cells)
        fig.data = DataTable(columns=columns, rows=rows, numeric=([False] if grouped else []) + [True] * 4 + [False],
                             notes=[t_("plots.data.symbol", lang)] if any(formatting.SUPPRESSED in r for r in rows) else [])
    return fig
