"""Sentences made from numbers: the honest sentence for a change.

A sentence on a page is made from the same row, and the same decision rule, as the table
beside it, never written twice (:func:`change_sentence`). A change is called a rise or a
fall only when its interval excludes no change and, when the table adjusts for many
comparisons (Benjamini–Hochberg), when its adjusted p-value is below ``1 − confidence_level``;
otherwise the sentence says it is within what chance variation could produce.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from salto_analysis import labels
from salto_analysis.formatting import NBSP, number, percent_level
from salto_analysis.stats import Comparison, check_confidence_level

__all__ = ["change_sentence"]


def _get(values, name):
    if isinstance(values, Mapping):
        return values.get(name)
    if isinstance(values, pd.Series):
        return values.get(name)
    return getattr(values, name, None)


def _isnan(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, (float, np.floating)) and math.isnan(v))


def change_sentence(result=None, lang: str = "nb", *, subject: str | None = None, unit: str | None = None,
             confidence_level: float = 0.95, digits: int | None = None, **values) -> str:
    """The honest sentence for one change, in Norwegian bokmål (default) or English.

    ``result`` is a row of a change table (a ``Series``; :mod:`salto_analysis.change`), a
    :class:`salto_analysis.stats.Comparison` (:func:`salto_analysis.change.count_change`), a mapping, or
    ``None`` with the values as keywords. It reads:

    * ``percent_change``, ``percent_low``, ``percent_high`` → a percent change
      ("Anmeldelsene gikk ned 5 % (95 % KI −9 % til −1 %)");
    * otherwise ``estimate``, ``ci_low``, ``ci_high`` of a difference of proportions →
      percentage points ("Andelen gikk opp 4,6 prosentpoeng (95 % KI +1,2 til +8,0 prosentpoeng)");
    * ``p_adjusted`` if present, and ``flag``.

    The change is called a rise or a fall only when the interval excludes no change (and,
    when ``p_adjusted`` is given, when it is below ``1 − confidence_level``); otherwise the
    sentence says the change is within what chance variation could produce. A suppressed
    row gives the sentence for ``:``; an uncertain row gets a note. ``unit`` forces
    ``"percent"`` or ``"points"``; ``subject`` is the noun phrase ("Anmeldelsene").

    >>> change_sentence(percent_change=-5.2, percent_low=-9.1, percent_high=-1.3, subject="Anmeldelsene")
    'Anmeldelsene gikk ned 5\u00a0% (95\u00a0% KI −9\u00a0% til −1\u00a0%)'
    >>> change_sentence(percent_change=-3, percent_low=-9, percent_high=4, lang="en")
    'The change (−3%) is within what chance variation could produce (95% CI −9% to +4%)'
    """
    labels.check_lang(lang)
    level = check_confidence_level(confidence_level)
    src = dict(values)
    if isinstance(result, Comparison):
        src = {**{"estimate": result.estimate, "ci_low": result.ci_low, "ci_high": result.ci_high,
                  "p_value": result.p_value}, **result.extra, **src}
        if result.statistic == "difference":
            src.setdefault("unit", "points")
        level = result.confidence_level
    elif result is not None:
        for name in ("percent_change", "percent_low", "percent_high", "estimate", "ci_low", "ci_high",
                     "p_adjusted", "flag"):
            v = _get(result, name)
            if v is not None and name not in src:
                src[name] = v
    flag = src.get("flag")
    if isinstance(flag, str) and flag == "suppressed":
        return labels.t("change.suppressed", lang)
    unit = unit or src.get("unit") or ("percent" if not _isnan(src.get("percent_change")) else "points")
    if unit not in ("percent", "points"):
        raise ValueError(f"unit={unit!r} must be 'percent' or 'points'")
    if unit == "percent":
        change, low, high = (src.get(k) for k in ("percent_change", "percent_low", "percent_high"))
        digits = 0 if digits is None else digits
    else:
        change, low, high = (None if _isnan(src.get(k)) else 100 * float(src[k])
                             for k in ("estimate", "ci_low", "ci_high"))
        digits = 1 if digits is None else digits
    if any(_isnan(v) for v in (change, low, high)):
        return labels.t("change.suppressed", lang)
    change, low, high = float(change), float(low), float(high)

    def fmt(v, with_unit=True, sign=True):
        d = digits
        if float(f"{abs(v):.{d}f}") == 0 and v != 0:
            d = digits + 1  # never print a real change as 0
        text = number(v, d, lang, sign=sign)
        if not with_unit:
            return text
        if unit == "percent":
            return text + (f"{NBSP}%" if lang == "nb" else "%")
        return f"{text} {labels.t('change.points', lang)}"

    pct_level = percent_level(level, lang)
    ci_label = labels.t("change.ci_label", lang, level=pct_level).replace(" %", f"{NBSP}%")
    lo_txt = fmt(low, with_unit=unit == "percent")
    hi_txt = fmt(high)
    subject = subject or labels.t("change.subject", lang)
    p_adj = src.get("p_adjusted")
    significant = (low > 0 or high < 0)
    adjusted_out = not _isnan(p_adj) and float(p_adj) >= 1 - level
    if significant and adjusted_out:
        text = labels.t("change.chance_adjusted", lang, change=fmt(change), ci_label=ci_label, low=lo_txt,
                        high=hi_txt)
    elif significant:
        key = "change.up" if change > 0 else "change.down"
        text = labels.t(key, lang, subject=subject, change=fmt(abs(change), sign=False), ci_label=ci_label,
                        low=lo_txt, high=hi_txt)
    else:
        text = labels.t("change.chance", lang, change=fmt(change), ci_label=ci_label, low=lo_txt, high=hi_txt)
    if isinstance(flag, str) and flag == "uncertain":
        text += ". " + labels.t("change.uncertain_note", lang)
    return text
