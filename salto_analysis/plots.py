"""One small plot style for every notebook (matplotlib only).

* Every estimate is drawn with its interval (``ci_low``/``ci_high``): error bars
  for bars and points, a ribbon for lines and survival curves.
* **Uncertain** estimates (``flag == "uncertain"``) are drawn faded and hatched
  (bars) or as faded open markers (points and lines), and the legend says so.
* **Suppressed** estimates are left out, and a note under the figure says how
  many values are not shown ("3 values are not shown: too few or too uncertain").
* The **synthetic-data banner** is written on the figure when the data is the
  synthetic sample (``synthetic=True`` or the table's metadata).
* Axis labels are Norwegian by default (``lang="en"`` for English), from
  :mod:`salto_analysis.labels` and :mod:`salto_analysis.schemas`.
* Colours are the Okabe–Ito palette, which stays distinguishable with the
  common forms of colour blindness (Okabe & Ito 2008, "Color Universal Design";
  recommended by Wong 2011, *Nature Methods* 8:441).
* Figures are 7 x 4 inches at 100 dpi (700 x 400 PNG, typically 30–60 kB), so the
  reviewer HTML stays small and opens offline (no plotly/altair JavaScript).

Functions return a :class:`matplotlib.figure.Figure` that is already closed in
pyplot, so it displays once when it is the last expression of a notebook cell.

Also here: :func:`funnel` (rates against population with control limits around
a reference rate, Spiegelhalter 2005) and :func:`survival` (a Kaplan–Meier step
curve with a number-at-risk row).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import Formatter, FuncFormatter
from scipy import stats as sps

from salto_analysis import formatting, labels, tables
from salto_analysis.estimates import check_estimate_table, has_meta, meta_of

__all__ = [
    "PALETTE",
    "DPI",
    "FIGSIZE",
    "UNCERTAIN_ALPHA",
    "HATCH",
    "RC",
    "estimates",
    "funnel",
    "funnel_limits",
    "survival",
    "NumberFormatter",
]

#: Okabe–Ito colour-blind-safe palette (black moved last).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
DPI = 100
FIGSIZE = (7.0, 4.0)
#: Opacity of uncertain estimates.
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
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "legend.frameon": False,
    "legend.fontsize": 9,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "hatch.linewidth": 0.8,
}
_KINDS = ("bar", "line", "point")


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


def _finish(fig, ax, *, lang: str, synthetic: bool, n_hidden: int, title: str | None,
            extra_bottom: float = 0.0) -> None:
    """Title, synthetic banner, and the note on values not shown."""
    bottom = 0.0
    if n_hidden:
        note = (labels.t("plots.not_shown_one", lang) if n_hidden == 1
                else labels.t("plots.not_shown", lang, n=n_hidden))
        fig.text(0.01, 0.01, note, ha="left", va="bottom", fontsize=8.5, style="italic", color="#333333")
        bottom = 0.06
    top = 1.0
    if synthetic:
        fig.text(0.99, 0.99, labels.t("plots.synthetic", lang), ha="right", va="top", fontsize=9,
                 fontweight="bold", color="#5c0011",
                 bbox={"boxstyle": "round,pad=0.3", "facecolor": "#fde2e1", "edgecolor": "#b00020"})
        top = 0.93
    if title:
        ax.set_title(title, loc="left")
    fig.set_layout_engine("constrained", rect=(0, bottom + extra_bottom, 1, top - bottom - extra_bottom))


def _scale(table: pd.DataFrame, percent: bool | None) -> tuple[float, bool]:
    if percent is None:
        percent = tables._percent_default(table)
    return (100.0 if percent else 1.0), bool(percent)


def _level(table: pd.DataFrame, lang: str) -> str:
    return formatting.percent_level(meta_of(table).confidence_level, lang)


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
            fontsize=9, style="italic", color="#333333", wrap=True)


def _arms(y: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> list[np.ndarray]:
    """Error-bar arms ``[y − lo, hi − y]`` clipped at 0.

    A limit can sit a rounding error on the wrong side of its estimate (an upper limit of
    0.9999999999999999 for an estimate of 1); matplotlib refuses negative arms, so such an
    arm is drawn with length 0.
    """
    return [np.clip(y - lo, 0, None), np.clip(hi - y, 0, None)]


def _legend(ax, handles: list, *, any_uncertain: bool, level: str, lang: str, interval: str) -> None:
    extra = []
    if interval == "bar":
        extra.append(Line2D([], [], color="#333333", marker="|", linestyle="-", markersize=8,
                            label=labels.t("plots.interval", lang, level=level)))
    else:
        extra.append(Patch(facecolor="#333333", alpha=0.2, label=labels.t("plots.interval", lang, level=level)))
    if any_uncertain:
        extra.append(Patch(facecolor="#999999", alpha=UNCERTAIN_ALPHA, hatch=HATCH, edgecolor="#333333",
                           label=labels.t("plots.uncertain", lang)))
    ax.legend(handles=handles + extra, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)


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
):
    """Plot the estimates of a graded table against ``x``, one colour per ``group``.

    ``kind="bar"`` (dodged bars with error bars), ``"line"`` (lines with an
    interval ribbon; for series such as years) or ``"point"`` (points with
    error bars). Suppressed rows are left out (a line breaks there) and counted
    in a note under the figure; uncertain rows are faded and hatched or drawn as
    open markers. Shares are drawn in percent by default.
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

    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=figsize, dpi=DPI)
        plt.close(fig)
        handles = []
        width = 0.8 / max(len(groups), 1)
        for gi, g in enumerate(groups):
            colour = PALETTE[gi % len(PALETTE)]
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
            if kind == "bar":
                offset = (gi - (len(groups) - 1) / 2) * width
                for solid, sel in ((True, ~unc & ~sup), (False, unc & ~sup)):
                    if not sel.any():
                        continue
                    ax.bar(px[sel] + offset, y[sel], width=width * 0.95, color=colour,
                           alpha=1.0 if solid else UNCERTAIN_ALPHA, hatch=None if solid else HATCH,
                           edgecolor=colour if solid else "#333333", linewidth=0.6)
                    ok = sel & np.isfinite(lo) & np.isfinite(hi)
                    ax.errorbar(px[ok] + offset, y[ok], yerr=_arms(y[ok], lo[ok], hi[ok]), fmt="none",
                                ecolor="#222222", elinewidth=1.0, capsize=2.5,
                                alpha=1.0 if solid else UNCERTAIN_ALPHA + 0.2)
                if label is not None:
                    handles.append(Patch(facecolor=colour, label=label))
            else:
                offset = 0.0 if numeric_x or len(groups) == 1 else (gi - (len(groups) - 1) / 2) * width * 0.5
                xx = px + offset
                if kind == "line":
                    ax.plot(xx, y, color=colour, linewidth=1.8, zorder=2)
                    ax.fill_between(xx, lo, hi, color=colour, alpha=0.18, linewidth=0, zorder=1)
                else:
                    ok = ~sup & ~unc & np.isfinite(lo) & np.isfinite(hi)
                    ax.errorbar(xx[ok], y[ok], yerr=_arms(y[ok], lo[ok], hi[ok]), fmt="none",
                                ecolor=colour, elinewidth=1.2, capsize=3, zorder=2)
                    ku = unc & np.isfinite(lo) & np.isfinite(hi)
                    ax.errorbar(xx[ku], y[ku], yerr=_arms(y[ku], lo[ku], hi[ku]), fmt="none",
                                ecolor=colour, elinewidth=1.2, capsize=3, alpha=UNCERTAIN_ALPHA + 0.2,
                                linestyle="--", zorder=2)
                solid = ~unc & ~sup
                ax.plot(xx[solid], y[solid], linestyle="none", marker="o", markersize=6, color=colour, zorder=3)
                ax.plot(xx[unc], y[unc], linestyle="none", marker="o", markersize=6, markerfacecolor="white",
                        markeredgecolor=colour, alpha=UNCERTAIN_ALPHA + 0.25, zorder=3)
                if label is not None:
                    handles.append(Line2D([], [], color=colour, marker="o", label=label))
        if not numeric_x:
            ax.set_xticks([pos[v] for v in xs])
            ax.set_xticklabels([tables.value_label(x, v, lang) for v in xs],
                               rotation=30 if len(xs) > 6 else 0, ha="right" if len(xs) > 6 else "center")
        else:
            ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel(xlabel if xlabel is not None else tables.column_label(x, lang))
        ax.set_ylabel(ylabel if ylabel is not None else tables._estimate_header(table, lang, percent))
        ax.yaxis.set_major_formatter(NumberFormatter(lang))
        lows = pd.to_numeric(shown["ci_low"], errors="coerce").to_numpy(dtype=float)
        lows = lows[np.isfinite(lows)]
        if kind == "bar" or not lows.size or lows.min() >= 0:
            ax.set_ylim(bottom=0)
        if shown.empty:  # every value withheld: say so in the panel
            _all_hidden(ax, lang)
        if group is not None or any_uncertain:
            _legend(ax, handles, any_uncertain=any_uncertain, level=_level(table, lang), lang=lang,
                    interval="ribbon" if kind == "line" else "bar")
        _finish(fig, ax, lang=lang, synthetic=synthetic, n_hidden=n_hidden, title=title)
    return fig


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
):
    """Funnel plot: each unit's rate against its population, with control limits.

    ``table`` is a graded rate table (``kind="rate"``) with ``count``,
    ``exposure`` (population) and ``estimate`` per ``TableMeta.scale`` (default
    1,000, as :func:`salto_analysis.stats.rate_table` sets it) persons, one row per unit
    (district). ``reference`` is the reference rate in the same unit (the city rate); by
    default the pooled rate of the rows shown. Limits: :func:`funnel_limits` at 95 % and
    99.8 % (about 2 and 3 standard deviations, Spiegelhalter 2005). Units are not ranked; uncertain
    ones are faded, suppressed ones left out and counted under the figure.
    ``label`` names a column whose values are written next to the points.
    """
    lang = labels.check_lang(lang)
    _check(table, "plots.funnel()")
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
    finite = np.isfinite(expo) & (expo > 0)
    lo_x = max(np.nanmin(expo[finite]) * 0.5, 1.0) if finite.any() else 100.0
    hi_x = np.nanmax(expo[finite]) * 1.15 if finite.any() else 10000.0
    grid = np.linspace(lo_x, hi_x, 300)
    ref_text = formatting.number(reference, 1, lang)

    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=figsize, dpi=DPI)
        plt.close(fig)
        handles = [Line2D([], [], color="#000000", linewidth=1.2,
                          label=labels.t("plots.funnel.reference", lang, rate=ref_text))]
        ax.axhline(reference, color="#000000", linewidth=1.2, zorder=1)
        styles = ("--", "-")
        for k, c in enumerate(confidence_levels):
            low, high = funnel_limits(reference / per, grid, c)
            ls = styles[min(k, len(styles) - 1)]
            ax.plot(grid, low * per, color="#555555", linestyle=ls, linewidth=1.0, zorder=1)
            ax.plot(grid, high * per, color="#555555", linestyle=ls, linewidth=1.0, zorder=1)
            lv = formatting.number(c * 100, 0 if float(c * 100).is_integer() else 1, lang)
            handles.append(Line2D([], [], color="#555555", linestyle=ls, linewidth=1.0,
                                  label=labels.t("plots.funnel.limit", lang, level=lv)))
        ax.plot(expo[~unc], y[~unc], linestyle="none", marker="o", markersize=6, color=PALETTE[0], zorder=3)
        ax.plot(expo[unc], y[unc], linestyle="none", marker="o", markersize=6, markerfacecolor="white",
                markeredgecolor=PALETTE[0], alpha=UNCERTAIN_ALPHA + 0.25, zorder=3)
        if unc.any():
            handles.append(Line2D([], [], linestyle="none", marker="o", markerfacecolor="white",
                                  markeredgecolor=PALETTE[0], alpha=UNCERTAIN_ALPHA + 0.25,
                                  label=labels.t("plots.uncertain_point", lang)))
        if label is not None:
            for xv, yv, name, u in zip(expo, y, shown[label], unc):
                if np.isfinite(xv) and np.isfinite(yv):
                    ax.annotate(tables.value_label(label, name, lang), (xv, yv), xytext=(4, 3),
                                textcoords="offset points", fontsize=7.5,
                                color=tables.FADED_COLOUR if u else "#222222")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: formatting.number(v, 0, lang)))
        ax.yaxis.set_major_formatter(NumberFormatter(lang))
        ax.set_xlim(left=0)
        ax.set_xlabel(labels.t("plots.funnel.x", lang))
        ax.set_ylabel(ylabel if ylabel is not None else tables._estimate_header(table, lang, False))
        ax.set_ylim(bottom=0)
        if shown.empty:
            _all_hidden(ax, lang)
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
        _finish(fig, ax, lang=lang, synthetic=synthetic, n_hidden=n_hidden, title=title)
    return fig


# --------------------------------------------------------------------------- survival


def _group_size(rows: pd.DataFrame) -> float | None:
    """Persons in a survival curve's group (its ``denominator``; ``nan`` if withheld), ``None`` without the column."""
    if "denominator" not in rows.columns:
        return None
    values = pd.to_numeric(rows["denominator"], errors="coerce").to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    return float(values.max()) if values.size else float("nan")


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
    figsize: tuple[float, float] = (7.0, 4.6),
):
    """Kaplan–Meier step curve with its interval ribbon and a number-at-risk row.

    ``table`` is a graded estimate table with one row per event time (column
    ``time``), ``estimate`` (S(t), or the cumulative share 1 − S(t)),
    ``ci_low``/``ci_high`` and the number at risk (``at_risk``), as
    :mod:`salto_analysis.persistence` returns it. ``start`` is the value at time
    0 drawn before the first row (1 for S(t), 0 for 1 − S(t)); by default none.

    Each curve stops at its first suppressed row (later steps would let the
    hidden one be read off); the values not drawn are counted under the figure,
    and a panel with nothing to draw says so. Uncertain stretches are drawn faded
    and dashed. The number-at-risk row gives, for each time in ``at_times``
    (default: the x ticks), the number at risk at the first row at or after it;
    at the start (a time of 0 or less without a row of its own) everyone is at
    risk, so it gives the group's ``denominator`` (persons in the group, as
    :mod:`salto_analysis.persistence` returns it), or nothing if the table has no
    ``denominator``, never the first row's number. Counts from 1 to
    ``min_count − 1`` are shown as ``:`` as in the tables.
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

    with plt.rc_context(RC):
        fig = plt.figure(figsize=figsize, dpi=DPI)
        plt.close(fig)
        gs = fig.add_gridspec(2, 1, height_ratios=(4.0, 0.4 + 0.3 * len(curves)))
        ax = fig.add_subplot(gs[0])
        risk = fig.add_subplot(gs[1], sharex=ax)
        handles = []
        any_uncertain = False
        for gi, (g, full, sub) in enumerate(curves):
            colour = PALETTE[gi % len(PALETTE)]
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
            for k in range(len(t)):
                t_end = t[k + 1] if k + 1 < len(t) else t[k]
                faded = bool(unc[k])
                ax.plot([t[k], t_end], [y[k], y[k]], color=colour, linewidth=1.8,
                        alpha=UNCERTAIN_ALPHA + 0.25 if faded else 1.0, linestyle="--" if faded else "-")
                if k + 1 < len(t):
                    ax.plot([t_end, t_end], [y[k], y[k + 1]], color=colour, linewidth=1.8,
                            alpha=UNCERTAIN_ALPHA + 0.25 if unc[k + 1] else 1.0)
            if len(t):
                ax.fill_between(t, lo, hi, step="post", color=colour, alpha=0.18, linewidth=0)
            if g is not None:
                handles.append(Line2D([], [], color=colour, linewidth=1.8, label=tables.value_label(group, g, lang)))
        ax.set_ylabel(ylabel if ylabel is not None else tables._estimate_header(table, lang, percent))
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(NumberFormatter(lang))
        if all(sub.empty for _, _, sub in curves):  # every value withheld: say so in the panel
            _all_hidden(ax, lang)
        if at_times is None:
            lim = ax.get_xlim()
            at_times = [v for v in ax.get_xticks() if lim[0] <= v <= lim[1]]
        at_times = [float(v) for v in at_times]
        ax.set_xticks(at_times)
        ax.tick_params(labelbottom=False)
        # the number-at-risk row: its own axes under the curve, sharing the time axis
        risk.set_title(labels.t("plots.km.at_risk", lang), loc="left", fontsize=9, fontweight="bold")
        risk.grid(False)
        for side in ("left", "top", "right"):
            risk.spines[side].set_visible(False)
        risk.set_ylim(len(curves) - 0.5, -0.5)
        risk.set_yticks(range(len(curves)))
        risk.set_yticklabels(["" if g is None else tables.value_label(group, g, lang) for g, _, _ in curves])
        risk.tick_params(axis="y", length=0, pad=16)
        for gi, (g, full, _) in enumerate(curves):
            risk.get_yticklabels()[gi].set_color(PALETTE[gi % len(PALETTE)] if g is not None else "#222222")
            tt = pd.to_numeric(full[time], errors="coerce").to_numpy(dtype=float)
            nn = pd.to_numeric(full[at_risk], errors="coerce").to_numpy(dtype=float)
            for v in at_times:
                idx = np.flatnonzero(tt >= v)
                if v <= 0 and (not len(idx) or tt[idx[0]] > v):
                    n = _group_size(full)  # the start: everyone in the group is at risk
                    if n is None:
                        continue
                elif not len(idx):
                    continue
                else:
                    n = nn[idx[0]]
                text = (formatting.SUPPRESSED if not np.isfinite(n) or 1 <= n < min_count
                        else formatting.number(n, 0, lang))
                risk.text(v, gi, text, fontsize=8.5, ha="center", va="center")
        risk.set_xticks(at_times)
        risk.set_xticklabels([formatting.number(v, 0 if float(v).is_integer() else 1, lang) for v in at_times])
        risk.set_xlabel(xlabel if xlabel is not None else tables.column_label(time, lang))
        if group is not None or any_uncertain:
            _legend(ax, handles, any_uncertain=any_uncertain, level=level, lang=lang, interval="ribbon")
        _finish(fig, ax, lang=lang, synthetic=synthetic, n_hidden=n_hidden, title=title)
    return fig
