"""The two figures of notebook 03 that :mod:`salto_analysis.plots` has no helper for.

* :func:`lorenz`: the Lorenz curve of offences over suspects with its bootstrap ribbon and
  the line of equal shares (built on :func:`salto_analysis.plots.estimates`).
* :func:`transitions`: stacked bars of cohort persistence (share still at or above the
  threshold, registered below it, not registered), with the intervals of the two boundaries.

Both follow the conventions of :mod:`salto_analysis.plots` (its style, palette, patterns,
synthetic banner and "values not shown" note): suppressed values are left out and counted,
uncertain ones are drawn light and hatched, and each returns a
:class:`salto_analysis.chart.Chart` with an alt text and a table of the plotted numbers.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from salto_analysis import formatting, labels, plots, tables
from salto_analysis.chart import DataTable, join_names
from salto_analysis.estimates import meta_of

__all__ = ["lorenz", "transitions"]


def lorenz(table: pd.DataFrame, *, lang: str = "nb", title: str | None = None, synthetic: bool | None = None):
    """Lorenz curve of a graded ``lorenz`` table (:func:`salto_analysis.cohorts.concentration`).

    x: share of suspects, from the fewest offences (``person_share``, per cent); y: their
    cumulative share of the offences, with the percentile-bootstrap ribbon. The dotted
    diagonal is the line of equal shares; the curve is closed at (0, 0) and (100, 100) by
    thin dashed lines (those end points hold by definition). The alt text gives the share
    of the offences held by the suspects with the most offences at the point nearest the
    top 10 % (``100 − y`` at ``x`` nearest 90).
    """
    fig = plots.estimates(table, "person_share", kind="line", percent=True, lang=lang, title=title,
                          synthetic=synthetic, xlabel=tables.column_label("person_share", lang),
                          ylabel=labels.t("cohorts.figure.lorenz_y", lang))
    ax = fig.axes[0]
    shown = table[table["flag"] != "suppressed"].sort_values("person_share")
    ax.plot([0, 100], [0, 100], linestyle=":", color="#666666", linewidth=1.2, zorder=1)
    ax.annotate(labels.t("cohorts.figure.equal_shares", lang), xy=(60, 60), xytext=(48, 66),
                fontsize=plots.MIN_FONT_PT, color="#444444", rotation=0,
                bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
    top_sentence = []
    if len(shown):
        x = shown["person_share"].to_numpy(float)
        y = shown["estimate"].to_numpy(float) * 100
        ax.plot([0, x[0]], [0, y[0]], linestyle="--", color=plots.PALETTE[0], linewidth=0.9, alpha=0.6)
        ax.plot([x[-1], 100], [y[-1], 100], linestyle="--", color=plots.PALETTE[0], linewidth=0.9, alpha=0.6)
        inner = (x > 0) & (x < 100) & np.isfinite(y)
        if inner.any():
            k = int(np.argmin(np.where(inner, np.abs(x - 90), np.inf)))
            top = formatting.number(100 - x[k], 0 if float(100 - x[k]).is_integer() else 1, lang)
            top_sentence = [labels.t("cohorts.figure.alt.lorenz_top", lang, top=top,
                                     share=plots._value_text(100 - y[k], 1, lang, True))]
    # the generic sentences of estimates() (from ... to ...) mean little for a Lorenz curve: replace them
    n_unc = int((shown["flag"] == "uncertain").sum())
    if len(shown):
            fig.alt[1:] = top_sentence + [labels.t("cohorts.figure.alt.equal", lang)] + (
            [labels.t("plots.alt.uncertain_open", lang, n=n_unc)] if n_unc else [])
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    return fig


_STATUS_KEYS = ("cohorts.figure.at_or_above", "cohorts.figure.below", "cohorts.figure.not_registered")


def transitions(table: pd.DataFrame, *, lang: str = "nb", title: str | None = None,
                synthetic: bool | None = None, width: float = plots.FIGSIZE[0]):
    """Stacked bars of a graded :func:`salto_analysis.cohorts.transition_table`, one panel per threshold.

    One bar per cohort and follow-up year (``2022 +1`` = the 2022 cohort one year later),
    stacked from the bottom: still at or above the threshold, registered below it, not
    registered (each with its own colour and fill pattern). The error bar at the top of the
    lowest segment is the interval of the share still at or above the threshold; the one at
    the bottom of the highest segment is the interval of the share registered at all
    (1 − not registered). A bar with a suppressed segment is left out (counted in the note
    under the figure), since drawing its other segments would reveal the hidden one. Panels
    are stacked vertically (one per threshold). The alt text gives, per panel, the range of
    each part over the bars shown.
    """
    lang = labels.check_lang(lang)
    plots._check(table, "cohorts.figures.transitions()")
    synthetic = plots._synthetic(table, synthetic)
    thresholds = [t for t in table["offence_threshold"].cat.categories if (table["offence_threshold"] == t).any()]
    level = formatting.percent_level(meta_of(table).confidence_level, lang)
    part_names = [labels.t(key, lang) for key in _STATUS_KEYS]
    n_hidden = 0
    any_uncertain = False
    rows: list[list[str]] = []
    sentences: list[str] = []
    with plt.rc_context(plots.RC):
        fig = plots._new_figure((width, 1.4 + 2.4 * max(len(thresholds), 1)), lang)
        axes = fig.subplots(max(len(thresholds), 1), 1, squeeze=False)[:, 0]
        for ax, th in zip(axes, thresholds):
            sub = table[table["offence_threshold"] == th]
            ticks, ticklabels = [], []
            shown_parts: list[list[float]] = [[], [], []]
            for pos, ((cohort, k), bar) in enumerate(sub.groupby(["cohort", "years_after"], observed=True, sort=True)):
                ticks.append(pos)
                name = f"{cohort} +{k}"
                ticklabels.append(name)
                bar = bar.reset_index(drop=True)  # statuses in the table's order: at or above, below, none
                if (bar["flag"] == "suppressed").any() or len(bar) != 3:
                    n_hidden += len(bar)
                    rows.extend([[str(th), name, part, formatting.SUPPRESSED, formatting.SUPPRESSED,
                                  labels.t("plots.data.suppressed", lang)] for part in part_names[:len(bar)]])
                    continue
                est = bar["estimate"].to_numpy(float) * 100
                lo = bar["ci_low"].to_numpy(float) * 100
                hi = bar["ci_high"].to_numpy(float) * 100
                unc = (bar["flag"] == "uncertain").to_numpy()
                any_uncertain |= bool(unc.any())
                bottom = 0.0
                for s in range(3):
                    style = plots.series_style(s)
                    if unc[s]:
                        ax.bar(pos, est[s], bottom=bottom, width=0.7, color=plots._light(style["color"]),
                               hatch=style["hatch"] + plots.HATCH, edgecolor=plots._dark(style["color"]),
                               hatchcolor=plots._UNCERTAIN_EDGE, linewidth=1.2)
                    else:
                        ax.bar(pos, est[s], bottom=bottom, width=0.7, color=style["color"],
                               hatch=style["hatch"] or None, edgecolor=plots._dark(style["color"]), hatchcolor="white",
                               linewidth=0.8)
                    bottom += est[s]
                    shown_parts[s].append(est[s])
                    rows.append([str(th), name, part_names[s], formatting.number(est[s], 1, lang),
                                 plots._interval_cell(lo[s], hi[s], 1, lang),
                                 labels.t("plots.data.uncertain", lang) if unc[s] else ""])
                ax.errorbar(pos, est[0], yerr=[[max(est[0] - lo[0], 0)], [max(hi[0] - est[0], 0)]], fmt="none",
                            ecolor="#222222", elinewidth=1.0, capsize=2.5)
                ax.errorbar(pos, 100 - est[2], yerr=[[max(hi[2] - est[2], 0)], [max(est[2] - lo[2], 0)]], fmt="none",
                            ecolor="#222222", elinewidth=1.0, capsize=2.5)
            ax.set_xticks(ticks)
            ax.set_xticklabels(ticklabels, rotation=30 if len(ticks) > 5 else 0,
                               ha="right" if len(ticks) > 5 else "center", rotation_mode="anchor")
            ax.set_xlim(-0.6, max(len(ticks), 1) - 0.4)
            ax.set_ylim(0, 100)
            ax.set_ylabel(labels.t("cohorts.figure.cohort_y", lang, group=th))
            ranges = [labels.t("plots.alt.between", lang, name=part_names[s],
                               low=plots._value_text(min(v), 1, lang, True),
                               high=plots._value_text(max(v), 1, lang, True))
                      for s, v in enumerate(shown_parts) if v]
            if ranges:
                sentences.append(f"{th}: {'; '.join(ranges)}.")
        axes[-1].set_xlabel(labels.t("cohorts.figure.cohort_x", lang))
        handles = [Patch(facecolor=plots.series_style(s)["color"], hatch=plots.series_style(s)["hatch"] or None,
                         edgecolor=plots._dark(plots.series_style(s)["color"]), hatchcolor="white", label=part_names[s])
                   for s in range(3)]
        plots._legend(axes[0], handles, any_uncertain=any_uncertain, level=level, lang=lang, interval="bar")
        plots._finish(fig, axes[0], lang=lang, synthetic=synthetic, n_hidden=n_hidden, title=title)
    what = title or labels.t("cohorts.figure.cohort_x", lang)
    fig.alt.append(labels.t("plots.alt.stacked", lang, kind=labels.t("plots.alt.kind.stacked", lang),
                            what=plots._lower_first(what),
                            parts=join_names([plots._lower_first(p) for p in part_names], lang)))
    fig.alt.extend(sentences or [labels.t("plots.alt.nothing", lang)])
    if any_uncertain:
        n_unc = sum(r[-1] == labels.t("plots.data.uncertain", lang) for r in rows)
        fig.alt.append(labels.t("plots.alt.uncertain_hatched", lang, n=n_unc))
    fig.data = DataTable(
        columns=[labels.t("plots.data.panel", lang), labels.t("cohorts.figure.cohort_x", lang),
                 labels.t("plots.data.part", lang), tables._estimate_header(table, lang, True),
                 labels.t("tables.ci", lang, level=level), labels.t("plots.data.note", lang)],
        rows=rows, numeric=[False, False, False, True, True, False],
        notes=[labels.t("plots.data.symbol", lang)] if n_hidden else [])
    return fig
