"""The two figures of notebook 03 that :mod:`salto_analysis.plots` has no helper for.

* :func:`lorenz`: the Lorenz curve of offences over suspects with its bootstrap ribbon and
  the line of equal shares (built on :func:`salto_analysis.plots.estimates`).
* :func:`transitions`: stacked bars of cohort persistence (share still at or above the
  threshold, registered below it, not registered), with the intervals of the two boundaries.

Both follow the conventions of :mod:`salto_analysis.plots` (they use its style, palette,
synthetic banner and "values not shown" note): suppressed values are left out and counted,
uncertain ones are faded and hatched.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch

from salto_analysis import formatting, labels, plots, tables
from salto_analysis.estimates import meta_of

__all__ = ["lorenz", "transitions"]


def lorenz(table: pd.DataFrame, *, lang: str = "nb", title: str | None = None, synthetic: bool | None = None):
    """Lorenz curve of a graded ``lorenz`` table (:func:`salto_analysis.cohorts.concentration`).

    x: share of suspects, from the fewest offences (``person_share``, per cent); y: their
    cumulative share of the offences, with the percentile-bootstrap ribbon. The dotted
    diagonal is the line of equal shares; the curve is closed at (0, 0) and (100, 100) by
    thin dashed lines (those end points hold by definition).
    """
    fig = plots.estimates(table, "person_share", kind="line", percent=True, lang=lang, title=title,
                          synthetic=synthetic, xlabel=tables.column_label("person_share", lang),
                          ylabel=labels.t("cohorts.figure.lorenz_y", lang))
    ax = fig.axes[0]
    shown = table[table["flag"] != "suppressed"].sort_values("person_share")
    ax.plot([0, 100], [0, 100], linestyle=":", color="#666666", linewidth=1.2, zorder=1)
    ax.annotate(labels.t("cohorts.figure.equal_shares", lang), xy=(60, 60), xytext=(48, 66), fontsize=8.5,
                color="#444444", rotation=0)
    if len(shown):
        x = shown["person_share"].to_numpy(float)
        y = shown["estimate"].to_numpy(float) * 100
        ax.plot([0, x[0]], [0, y[0]], linestyle="--", color=plots.PALETTE[0], linewidth=0.9, alpha=0.6)
        ax.plot([x[-1], 100], [y[-1], 100], linestyle="--", color=plots.PALETTE[0], linewidth=0.9, alpha=0.6)
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    return fig


_STATUS_KEYS = ("cohorts.figure.at_or_above", "cohorts.figure.below", "cohorts.figure.not_registered")


def transitions(table: pd.DataFrame, *, lang: str = "nb", title: str | None = None,
                synthetic: bool | None = None, width: float = 7.0):
    """Stacked bars of a graded :func:`salto_analysis.cohorts.transition_table`, one panel per threshold.

    One bar per cohort and follow-up year (``2022 +1`` = the 2022 cohort one year later),
    stacked from the bottom: still at or above the threshold, registered below it, not
    registered. The error bar at the top of the lowest segment is the interval of the share
    still at or above the threshold; the one at the bottom of the highest segment is the
    interval of the share registered at all (1 − not registered). A bar with a suppressed
    segment is left out (counted in the note under the figure), since drawing its other
    segments would reveal the hidden one. Panels are stacked vertically (one per threshold).
    """
    lang = labels.check_lang(lang)
    plots._check(table, "cohorts.figures.transitions()")
    synthetic = plots._synthetic(table, synthetic)
    thresholds = [t for t in table["offence_threshold"].cat.categories if (table["offence_threshold"] == t).any()]
    n_hidden = 0
    any_uncertain = False
    with plt.rc_context(plots.RC):
        fig, axes = plt.subplots(max(len(thresholds), 1), 1, figsize=(width, 1.2 + 2.6 * max(len(thresholds), 1)),
                                 dpi=plots.DPI, squeeze=False)
        plt.close(fig)
        axes = axes[:, 0]
        for ax, th in zip(axes, thresholds):
            sub = table[table["offence_threshold"] == th]
            ticks, ticklabels = [], []
            for pos, ((cohort, k), bar) in enumerate(sub.groupby(["cohort", "years_after"], observed=True, sort=True)):
                ticks.append(pos)
                ticklabels.append(f"{cohort} +{k}")
                bar = bar.reset_index(drop=True)  # statuses in the table's order: at or above, below, none
                if (bar["flag"] == "suppressed").any() or len(bar) != 3:
                    n_hidden += len(bar)
                    continue
                est = bar["estimate"].to_numpy(float) * 100
                lo = bar["ci_low"].to_numpy(float) * 100
                hi = bar["ci_high"].to_numpy(float) * 100
                unc = (bar["flag"] == "uncertain").to_numpy()
                any_uncertain |= bool(unc.any())
                bottom = 0.0
                for s in range(3):
                    ax.bar(pos, est[s], bottom=bottom, width=0.7, color=plots.PALETTE[s],
                           alpha=plots.UNCERTAIN_ALPHA if unc[s] else 1.0, hatch=plots.HATCH if unc[s] else None,
                           edgecolor="#333333" if unc[s] else plots.PALETTE[s], linewidth=0.6)
                    bottom += est[s]
                ax.errorbar(pos, est[0], yerr=[[est[0] - lo[0]], [hi[0] - est[0]]], fmt="none",
                            ecolor="#222222", elinewidth=1.0, capsize=2.5)
                ax.errorbar(pos, 100 - est[2], yerr=[[hi[2] - est[2]], [est[2] - lo[2]]], fmt="none",
                            ecolor="#222222", elinewidth=1.0, capsize=2.5)
            ax.set_xticks(ticks)
            ax.set_xticklabels(ticklabels, fontsize=8.5)
            ax.set_xlim(-0.6, max(len(ticks), 1) - 0.4)
            ax.set_ylim(0, 100)
            ax.set_ylabel(labels.t("cohorts.figure.cohort_y", lang, group=th))
        axes[-1].set_xlabel(labels.t("cohorts.figure.cohort_x", lang))
        handles = [Patch(facecolor=plots.PALETTE[s], label=labels.t(key, lang)) for s, key in enumerate(_STATUS_KEYS)]
        plots._legend(axes[0], handles, any_uncertain=any_uncertain, level=formatting.percent_level(meta_of(table).confidence_level, lang), lang=lang,
                      interval="bar")
        plots._finish(fig, axes[0], lang=lang, synthetic=synthetic, n_hidden=n_hidden, title=title)
    return fig
