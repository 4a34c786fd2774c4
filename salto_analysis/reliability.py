"""The small-numbers policy: disclosure control and reliability grading of estimate tables.

Every estimate table passes through :func:`grade` before anything shows or publishes it.
Grading answers two separate questions (DESIGN.md, "Small numbers"):

1. **Disclosure** — may the number be shown at all?

   *Primary suppression* (code ``D1``): a count from 1 to ``min_count − 1`` (default 5,
   so 1–4), and any share or rate whose numerator or complement (denominator − numerator)
   is in that range. This is surveytable's NCHS "R" rule (CDCgov/surveytable
   ``R/z_lpe.R``, ``.lpe_n``) with a configurable threshold (Statistics Norway's example
   rule is under 3, trusted research environments use 10).

   *Secondary suppression* (code ``D2``), for additive tables (kinds ``proportion``,
   ``count``, ``rate``), so that no disclosure-suppressed cell can be worked out from the
   totals. The table is seen as a cross-classification of its grouping columns. For each
   grouping column ``g`` a *line* is a set of rows that agree on every other grouping
   column; its sum is assumed to be published (a total row inside the table — a row
   whose ``g`` is one of the total labels, see :class:`Policy` — is part of the line,
   otherwise the total is assumed known from elsewhere). Lines with a single row and no
   total row carry no extra information and are ignored. Grouping columns listed in
   ``table.attrs["nonadditive"]`` (for example a column of different survey items) split
   the table into separate sub-tables instead. The algorithm:

   a. *Lines.* The suppressed cells that are linked, through lines, to a ``D1`` cell
      are *sensitive*. While a line holds exactly one suppressed cell and that cell is
      sensitive, the smallest cell of that line that is still shown (by the table's size
      column: ``denominator`` for shares, ``count`` otherwise; positive values before
      zeros, detail cells before total cells) is suppressed too (``D2``).
   b. *Exact audit.* Each line is a linear equation in the hidden cells. A hidden cell
      can be worked out exactly if and only if its unit vector lies in the row space of
      the line equations of its connected group of hidden cells (computed with an SVD).
      For every sensitive cell that can still be worked out, the smallest shown cell on
      one of its lines is suppressed, and step (a) runs again, until none can.

   Cells suppressed only for reliability (below) and not linked to a ``D1`` cell are
   not confidential; they may be recoverable from totals and are left as they are.
   ``ratio``, ``difference`` and ``summary`` tables get primary suppression on all their
   underlying counts only: the counts themselves are protected in their own tables.

   *Across tables*: when several graded tables of one page show the same persons, the
   analysis module links them: :func:`disclosed` gives the rows withheld for
   disclosure, :func:`withhold` withholds further rows as ``D2`` exactly as :func:`grade`
   would, and :func:`policy_of` reads the policy a table was graded with.

2. **Reliability** — is the number stable enough to read?

   * ``proportion``: NCHS Data Presentation Standards for Proportions (Parker et al.
     2017, *Vital Health Stat* 2(175)), as implemented in surveytable's
     ``.lpe_percents``. With Korn–Graubard 95% limits (df-adjusted effective sample size
     ``n* = min(n, n_eff·(t_{n−1}/t_df)²)``, ``n_eff = p(1−p)/se²``; for tables without a
     design — ``attrs["design_based"]`` not true — ``n_eff = n`` and ``df = ∞``, so the
     limits are Clopper–Pearson): ``n_eff < 30`` → suppress ``P1``; absolute width
     ``≤ 0.05`` → show; width ``≥ 0.30`` → suppress ``P2``; relative width ``> 130 %`` →
     suppress ``P3``. Shown values are flagged ``uncertain`` when the complement's relative
     width ``> 130 %`` (``Pc``, only for widths above 0.05), ``df < 8`` (``Pdf``) or
     ``p ∈ {0, 1}`` (``P0``; its width counts as 0 and ``n_eff = n``).
   * ``count`` and ``rate``: NCHS 2023 (*Vital Health Stat* 2(200), Table A; surveytable
     ``.lpe_counts``): show if the count is ``≥ 10`` (``C1``) and the relative width of the
     95% Garwood interval, ``(U − L)/x``, is ``≤ 160 %`` (``C2``); shown counts with
     ``df < 8`` are flagged ``Cdf``. Shown figures from fewer than 20 events are flagged
     ``uncertain`` (``C3``, "unstable", the CDC WISQARS/WONDER convention).
   * ``ratio`` and ``difference`` (rate ratios, odds and risk ratios, differences of
     shares, trends): graded on the **events** they rest on, the smallest count of the two
     groups compared. A comparison is only as stable as its scarcest count, whatever
     the ratio is called, so the smallest of these columns (those present) is used:

     - ``count`` and ``count_ref``: the events of each group (rate ratios; also
       hazard ratios, whose ``count`` are the events);
     - ``numerator``, ``denominator − numerator``, ``numerator_ref`` and
       ``denominator_ref − numerator_ref``: the four cells ``a``, ``b``, ``c``, ``d`` of
       the 2×2 table (odds ratios, risk ratios, differences of shares). The non-events
       count as much as the events: Woolf's variance of ``ln OR`` is
       ``1/a + 1/b + 1/c + 1/d``, and a difference between 95 % and 98 % is the one
       between 5 % and 2 %. A table of one group (a trend over years) has two cells;
     - the columns named in ``attrs["event_columns"]``, for a table whose counts have
       other names (they replace the columns above and are also checked for disclosure,
       unless ``attrs["disclosure_columns"]`` is set).

     Events under ``min_events`` (10) → suppress ``C1``; under ``unstable_events`` (20) →
     uncertain ``C3`` (NCHS 2023 and the CDC convention, as for counts). Separately, the
     smaller ``denominator``/``denominator_ref`` under ``min_n_eff`` (30) → suppress
     ``P1`` (a share from fewer persons is not shown, NCHS 2017). A table with none of
     these columns raises ``ValueError``.
   * ``summary`` (Gini, Kaplan–Meier, means …): based on fewer than 30 persons
     (``denominator``, else ``count``) → suppress ``S1``; fewer than 20 events
     (``numerator``, else ``count``) → uncertain ``C3``; fewer than 10 persons still at risk
     (``n_at_risk``) → uncertain ``S2``.

``flag`` is ``ok``, ``uncertain`` or ``suppressed``; ``flag_reason`` lists the decisive
codes as ``"CODE: short text"`` in the policy's language (from :mod:`salto_analysis.labels`),
separated by ``"; "``. In suppressed rows every number outside the grouping columns is
removed (set to missing), so the published table cannot leak it; tables and plots show
them as ``:``. A :class:`SmallSampleWarning` is emitted once per graded table with the
number of flagged rows, in the policy's language. It names the table
(:func:`table_name`) by ``attrs["title"]`` — the title in the page's language, which an
analysis module sets *before* grading — else by ``attrs["measure"]`` when that is a key
of :mod:`salto_analysis.labels`, else (measures are written in English) by the measure
only in English; a Norwegian warning without a title says what kind of figures the
table holds instead, so no English words end up inside a Norwegian sentence.
"""

from __future__ import annotations

import dataclasses
import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy import stats as sps
from scipy.sparse.csgraph import connected_components

from . import labels
from .estimates import KINDS, group_columns

__all__ = [
    "Policy",
    "SmallSampleWarning",
    "CODES",
    "grade",
    "flagged",
    "flag_summary",
    "footnotes",
    "published",
    "code_text",
    "comparison_events",
    "table_name",
    "policy_of",
    "disclosed",
    "withhold",
]

CODES = ("D1", "D2", "P1", "P2", "P3", "Pc", "Pdf", "P0", "C1", "C2", "C3", "Cdf", "S1", "S2")
_SUPPRESSING = {"D1", "D2", "P1", "P2", "P3", "C1", "C2", "S1"}
_ORDER = {c: i for i, c in enumerate(CODES)}


class SmallSampleWarning(UserWarning):
    """Emitted once per graded table that has uncertain or suppressed rows."""


@dataclass(frozen=True)
class Policy:
    """Thresholds of the small-numbers policy (defaults: NCHS standards, SaLTo disclosure rule).

    Attributes
    ----------
    min_count : int
        Disclosure threshold: counts ``1 .. min_count − 1`` are suppressed (default 5).
        Statistics Norway's example rule corresponds to 3, trusted research environments to 10.
        ``min_count=1`` switches primary suppression off.
    min_n_eff : float
        NCHS 2017: proportions with an effective sample size below this are suppressed (30).
    abs_width_show : float
        NCHS 2017: a Korn–Graubard interval at most this wide is always shown (0.05).
    abs_width_max : float
        NCHS 2017: an interval at least this wide is suppressed (0.30).
    rel_width_max : float
        NCHS 2017: relative width (width / p) above this is suppressed (1.30).
    complement_rel_width_max : float
        NCHS 2017: width / (1 − p) above this flags the shown value ``Pc`` (1.30).
    min_df : float
        Degrees of freedom below this flag a shown value for review (8).
    min_events : int
        NCHS 2023: counts and rates from fewer events are suppressed (10).
    count_rel_width_max : float
        NCHS 2023: relative width of the 95% Poisson interval above this is suppressed (1.60).
    unstable_events : int
        Shown counts and rates from fewer events are marked unstable (20).
    min_units : int
        Summaries (Gini, survival …) of fewer persons are suppressed (30).
    min_at_risk : int
        Survival estimates with fewer persons still at risk are marked uncertain (10).
    grading_confidence_level : float
        Level of the intervals the rules measure (0.95, as NCHS), whatever level the table shows.
    total_labels : tuple of str
        Values of a grouping column that mark a total (margin) row for secondary suppression.
    lang : str
        Language of ``flag_reason`` and warnings: ``"nb"`` (default) or ``"en"``.
    """

    min_count: int = 5
    min_n_eff: float = 30
    abs_width_show: float = 0.05
    abs_width_max: float = 0.30
    rel_width_max: float = 1.30
    complement_rel_width_max: float = 1.30
    min_df: float = 8
    min_events: int = 10
    count_rel_width_max: float = 1.60
    unstable_events: int = 20
    min_units: int = 30
    min_at_risk: int = 10
    grading_confidence_level: float = 0.95
    total_labels: tuple[str, ...] = ("Total", "total", "I alt", "i alt", "Alle", "alle", "All", "all",
                                     "Oslo", "Oslo i alt", "Hele Oslo")
    lang: str = "nb"

    def __post_init__(self) -> None:
        if not isinstance(self.min_count, (int, np.integer)) or isinstance(self.min_count, bool) or self.min_count < 1:
            raise ValueError(f"min_count={self.min_count!r} must be a whole number of at least 1")
        for name in ("min_n_eff", "abs_width_show", "abs_width_max", "rel_width_max", "complement_rel_width_max",
                     "min_df", "min_events", "count_rel_width_max", "unstable_events", "min_units", "min_at_risk"):
            value = getattr(self, name)
            if not isinstance(value, (int, float, np.integer, np.floating)) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name}={value!r} must be a non-negative number")
        if not self.abs_width_show <= self.abs_width_max:
            raise ValueError(f"abs_width_show={self.abs_width_show!r} must not exceed "
                             f"abs_width_max={self.abs_width_max!r}")
        if not 0 < self.grading_confidence_level < 1:
            raise ValueError(f"grading_confidence_level={self.grading_confidence_level!r} must be between 0 and 1")
        if isinstance(self.total_labels, str):
            raise ValueError(f"total_labels={self.total_labels!r} must be a tuple of labels, not one string")
        object.__setattr__(self, "total_labels", tuple(self.total_labels))
        labels.check_lang(self.lang)

    def text_fields(self) -> dict[str, str]:
        """Thresholds formatted for the flag texts (percent and percentage points as whole numbers)."""
        return {
            "min_count": f"{self.min_count}",
            "min_n_eff": f"{self.min_n_eff:g}",
            "abs_width_max": f"{100 * self.abs_width_max:g}",
            "rel_width_max": f"{100 * self.rel_width_max:g}",
            "complement_rel_width_max": f"{100 * self.complement_rel_width_max:g}",
            "min_df": f"{self.min_df:g}",
            "min_events": f"{self.min_events:g}",
            "count_rel_width_max": f"{100 * self.count_rel_width_max:g}",
            "unstable_events": f"{self.unstable_events:g}",
            "min_units": f"{self.min_units:g}",
            "min_at_risk": f"{self.min_at_risk:g}",
        }


def table_name(table: pd.DataFrame, lang: str) -> str | None:
    """The name of ``table`` for a sentence in ``lang``, or ``None`` if it has none in that language.

    In order: ``attrs["title"]`` (a title in the page's language); ``attrs["measure"]``
    translated, when it is a key of :mod:`salto_analysis.labels`; ``attrs["measure"]`` as
    it is when ``lang`` is ``"en"`` (the analysis modules write measures in English).

    >>> t = pd.DataFrame(); t.attrs = {"measure": "registered cases"}
    >>> table_name(t, "en"), table_name(t, "nb")
    ('registered cases', None)
    """
    labels.check_lang(lang)
    title = table.attrs.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    measure = table.attrs.get("measure")
    if not isinstance(measure, str) or not measure.strip():
        return None
    if measure in labels.TEXT:
        return labels.t(measure, lang)
    return measure.strip() if lang == "en" else None


def _flag_sentence(table: pd.DataFrame, lang: str, n_supp: int, n_unc: int) -> str:
    """«k av n tall i tabellen «name» er merket …», or with the kind of figures when unnamed."""
    fields = {"flagged": n_supp + n_unc, "rows": len(table), "suppressed": n_supp, "uncertain": n_unc}
    name = table_name(table, lang)
    if name is not None:
        return labels.t("reliability.warning", lang, measure=name, **fields)
    kind = table.attrs.get("kind")
    kind = kind if kind in KINDS else "summary"
    return labels.t("reliability.warning_unnamed", lang, kind=labels.t(f"reliability.kind.{kind}", lang), **fields)


def code_text(code: str, policy: Policy | None = None, lang: str | None = None) -> str:
    """``"CODE: short text"`` for a flag code, in ``lang`` (default: the policy's language)."""
    policy = policy or Policy()
    if code not in CODES:
        raise ValueError(f"code={code!r} is not a flag code; codes are {', '.join(CODES)}")
    return labels.t(f"reliability.{code}", lang or policy.lang, **policy.text_fields())


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------
def _col(table: pd.DataFrame, name: str) -> np.ndarray | None:
    if name not in table.columns:
        return None
    return pd.to_numeric(table[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _small(values: np.ndarray, min_count: int) -> np.ndarray:
    """Values in 1 .. min_count − 1 (non-integer survey counts: 0 < v < min_count)."""
    with np.errstate(invalid="ignore"):
        return (values > 0) & (values < min_count)


def _disclosure_values(table: pd.DataFrame, kind: str) -> list[np.ndarray]:
    """The counts of persons that primary suppression checks, by kind (see module docstring)."""
    names = table.attrs.get("disclosure_columns")
    out: list[np.ndarray] = []
    if names is None and kind in ("ratio", "difference") and table.attrs.get("event_columns") is not None:
        names = _event_columns(table)
    if names is not None:
        missing = [c for c in names if c not in table.columns]
        if missing:
            raise ValueError(f"attrs['disclosure_columns'] names column(s) {missing} not in the table")
        return [_col(table, c) for c in names]
    for suffix in ("", "_ref"):
        num, den = _col(table, "numerator" + suffix), _col(table, "denominator" + suffix)
        if num is not None:
            out.append(num)
            if den is not None:
                out.append(den - num)
        cnt = _col(table, "count" + suffix)
        if cnt is not None:
            out.append(cnt)
    if kind == "summary":
        for c in ("n_at_risk", "events"):
            v = _col(table, c)
            if v is not None:
                out.append(v)
    return out


def _kg_limits(p, n_star, a):
    """Korn–Graubard (beta) limits with effective sample size ``n_star``."""
    with np.errstate(invalid="ignore", divide="ignore"):
        x = n_star * p
        low = np.where(x > 0, sps.beta.ppf(a / 2, x, n_star - x + 1), 0.0)
        high = np.where(x < n_star, sps.beta.ppf(1 - a / 2, x + 1, n_star - x), 1.0)
    return low, high


def _grade_proportion(table: pd.DataFrame, policy: Policy) -> dict[str, np.ndarray]:
    x = _col(table, "numerator")
    n = _col(table, "denominator")
    if x is None or n is None:
        raise ValueError("a 'proportion' table needs 'numerator' and 'denominator' columns to be graded")
    a = 1 - policy.grading_confidence_level
    design = bool(table.attrs.get("design_based", False))
    edge = (x == 0) | (x == n)
    with np.errstate(invalid="ignore", divide="ignore"):
        if design:
            p = _col(table, "estimate")
            se = _col(table, "se")
            if se is None:
                raise ValueError("a design-based 'proportion' table needs an 'se' column to be graded")
            df = _col(table, "df")
            df = np.full(len(table), np.inf) if df is None else df
            n_eff_raw = p * (1 - p) / se**2
            n_eff = np.where(edge, n, np.minimum(n_eff_raw, n))
            t_n = sps.t.ppf(a / 2, n - 1)
            t_df = np.where(df > 0, sps.t.ppf(a / 2, np.where(df > 0, df, 1)), np.nan)
            ratio2 = np.where(df > 0, (t_n / t_df) ** 2, 0.0)
            n_star = np.where(p > 0, np.minimum(n, n_eff_raw * ratio2), n)
            low, high = _kg_limits(p, n_star, a)
        else:
            p = x / n
            df = np.full(len(table), np.inf)
            n_eff = n
            low = np.where(x > 0, sps.beta.ppf(a / 2, x, n - x + 1), 0.0)
            high = np.where(x < n, sps.beta.ppf(1 - a / 2, x + 1, n - x), 1.0)
        width = np.where(edge, 0.0, high - low)
        rel = width / p
        comp = width / (1 - p)
        # nan comparisons are False; a missing n_eff (e.g. denominator 0) is treated as too small
        p1 = ~(n_eff >= policy.min_n_eff)
        narrow = ~p1 & (width <= policy.abs_width_show)
        p2 = ~p1 & ~narrow & ~(width < policy.abs_width_max)
        p3 = ~p1 & ~narrow & ~p2 & ~(rel <= policy.rel_width_max)
        shown = ~(p1 | p2 | p3)
        pc = shown & ~narrow & (comp > policy.complement_rel_width_max)
        pdf = shown & (df < policy.min_df)
        p0 = shown & edge
    return {"P1": p1, "P2": p2, "P3": p3, "Pc": pc, "Pdf": pdf, "P0": p0}


def _grade_count(table: pd.DataFrame, policy: Policy) -> dict[str, np.ndarray]:
    x = _col(table, "count")
    if x is None:
        raise ValueError(f"a {table.attrs['kind']!r} table needs a 'count' column to be graded")
    a = 1 - policy.grading_confidence_level
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(x > 0, sps.chi2.ppf(a / 2, 2 * x) / 2, 0.0)
        high = sps.chi2.ppf(1 - a / 2, 2 * x + 2) / 2
        rel = (high - low) / x
        c1 = ~(x >= policy.min_events)
        c2 = ~c1 & ~(rel <= policy.count_rel_width_max)
        shown = ~(c1 | c2)
        c3 = shown & (x < policy.unstable_events)
        df = _col(table, "df")
        cdf = shown & (df < policy.min_df) if df is not None else np.zeros(len(table), bool)
    return {"C1": c1, "C2": c2, "C3": c3, "Cdf": cdf}


def _min_of(table: pd.DataFrame, names: tuple[str, ...]) -> np.ndarray | None:
    cols = [_col(table, c) for c in names if c in table.columns]
    if not cols:
        return None
    return np.fmin.reduce(cols) if len(cols) > 1 else cols[0]


def _event_columns(table: pd.DataFrame) -> list[str]:
    """``attrs["event_columns"]``, checked: a list of column names of the table."""
    names = table.attrs["event_columns"]
    if isinstance(names, str) or not all(isinstance(c, str) for c in names) or not len(names):
        raise ValueError(f"attrs['event_columns']={names!r} must be a non-empty list of column names")
    missing = [c for c in names if c not in table.columns]
    if missing:
        raise ValueError(f"attrs['event_columns'] names column(s) {missing} not in the table")
    return list(names)


def comparison_events(table: pd.DataFrame) -> np.ndarray | None:
    """The events a ``ratio`` or ``difference`` row rests on: its smallest underlying count.

    The smallest of ``count``, ``count_ref`` and the 2×2 cells ``numerator``,
    ``denominator − numerator``, ``numerator_ref``, ``denominator_ref − numerator_ref``
    (those present), or of the columns in ``attrs["event_columns"]``; ``None`` when the
    table has none of them. Missing values are skipped; a row with none is missing.

    >>> from salto_analysis.estimates import estimate_table
    >>> t = estimate_table(pd.DataFrame({"numerator": [30], "denominator": [42], "numerator_ref": [40],
    ...     "denominator_ref": [4040], "estimate": [250.0], "ci_low": [110.0], "ci_high": [560.0]}),
    ...     kind="ratio", measure="odds ratio", unit="odds ratio", method="Woolf", confidence_level=0.95)
    >>> comparison_events(t)  # cells a=30, b=12, c=40, d=4000
    array([12.])
    """
    if table.attrs.get("event_columns") is not None:
        return np.fmin.reduce([_col(table, c) for c in _event_columns(table)])
    cells: list[np.ndarray] = []
    for suffix in ("", "_ref"):
        cnt = _col(table, "count" + suffix)
        if cnt is not None:
            cells.append(cnt)
        num, den = _col(table, "numerator" + suffix), _col(table, "denominator" + suffix)
        if num is not None:
            cells.append(num)
            if den is not None:
                cells.append(den - num)
    if not cells:
        return None
    return np.fmin.reduce(cells)


def _grade_comparison(table: pd.DataFrame, policy: Policy) -> dict[str, np.ndarray]:
    """Rate ratios, odds and risk ratios, differences and trends: see the module docstring."""
    n = len(table)
    out = {k: np.zeros(n, bool) for k in ("C1", "C3", "P1")}
    events = comparison_events(table)
    dens = _min_of(table, ("denominator", "denominator_ref"))
    if events is None and dens is None:
        raise ValueError(f"a {table.attrs['kind']!r} table needs underlying counts to be graded: "
                         "'count'/'count_ref', 'numerator'/'denominator' (and '_ref') columns, "
                         "or attrs['event_columns']")
    with np.errstate(invalid="ignore"):
        if events is not None:
            out["C1"] = ~(events >= policy.min_events)
            out["C3"] = ~out["C1"] & (events < policy.unstable_events)
        if dens is not None:
            out["P1"] = ~(dens >= policy.min_n_eff)
    return out


def _grade_summary(table: pd.DataFrame, policy: Policy) -> dict[str, np.ndarray]:
    n = len(table)
    units = _col(table, "denominator")
    units = _col(table, "count") if units is None else units
    events = _col(table, "numerator")
    events = _col(table, "count") if events is None else events
    at_risk = _col(table, "n_at_risk")
    if units is None:
        raise ValueError("a 'summary' table needs 'denominator' or 'count' (the persons it is based on) to be graded")
    with np.errstate(invalid="ignore"):
        s1 = ~(units >= policy.min_units)
        c3 = ~s1 & (events < policy.unstable_events) if events is not None else np.zeros(n, bool)
        s2 = ~s1 & (at_risk < policy.min_at_risk) if at_risk is not None else np.zeros(n, bool)
    return {"S1": s1, "C3": c3, "S2": s2}


# --------------------------------------------------------------------------------------
# secondary suppression
# --------------------------------------------------------------------------------------
class _Lines:
    """Membership of rows in the lines (margins) of an additive table, as flat arrays."""

    def __init__(self, table: pd.DataFrame, groups: list[str], total_labels: set[str]):
        self.n = len(table)
        rows, lines, total = [], [], []
        nonadd = [g for g in table.attrs.get("nonadditive", []) if g in groups]
        additive = [g for g in groups if g not in nonadd]
        codes = {}
        is_total = {}
        for g in groups:
            codes[g] = pd.factorize(table[g].astype("object").where(table[g].notna(), "\x00<NA>"))[0]
            is_total[g] = (table[g].astype("object").isin(total_labels).to_numpy() if g in additive
                           else np.zeros(self.n, bool))
        next_line = 0
        idx = np.arange(self.n)
        for g in additive:
            others = [h for h in groups if h != g]
            if others:
                key = np.zeros(self.n, dtype=np.int64)
                for h in others:
                    key = key * (codes[h].max() + 2) + codes[h] + 1
                line = pd.factorize(key)[0]
            else:
                line = np.zeros(self.n, dtype=np.int64)
            detail = ~is_total[g]
            n_detail = np.bincount(line[detail], minlength=line.max() + 1 if self.n else 0)
            has_total = np.bincount(line[~detail], minlength=len(n_detail)) > 0
            keep_line = (n_detail >= 2) | has_total
            keep = keep_line[line]
            rows.append(idx[keep])
            lines.append(line[keep] + next_line)
            total.append(~detail[keep])
            next_line += len(n_detail)
        self.rows = np.concatenate(rows) if rows else np.zeros(0, np.int64)
        self.lines = np.concatenate(lines) if lines else np.zeros(0, np.int64)
        self.total = np.concatenate(total) if total else np.zeros(0, bool)
        self.n_lines = next_line

    def count(self, mask: np.ndarray) -> np.ndarray:
        """Number of rows of ``mask`` in each line."""
        return np.bincount(self.lines, weights=mask[self.rows].astype(float), minlength=self.n_lines)

    def matrix(self) -> sparse.csr_matrix:
        """Line × row incidence matrix, +1 for detail cells and −1 for the total cell."""
        coef = np.where(self.total, -1.0, 1.0)
        return sparse.csr_matrix((coef, (self.lines, self.rows)), shape=(self.n_lines, self.n))


def _pick_partners(lines: _Lines, line_ids: np.ndarray, suppressed: np.ndarray, size: np.ndarray) -> np.ndarray:
    """For each line in ``line_ids``, the row of its smallest shown cell (−1 if none)."""
    want = np.zeros(lines.n_lines, bool)
    want[line_ids] = True
    sel = want[lines.lines] & ~suppressed[lines.rows]
    if not sel.any():
        return np.zeros(0, np.int64)
    cand = pd.DataFrame({
        "line": lines.lines[sel],
        "row": lines.rows[sel],
        "zero": ~(size[lines.rows[sel]] > 0),
        "total": lines.total[sel],
        "size": np.nan_to_num(size[lines.rows[sel]], nan=np.inf),
    })
    best = cand.sort_values(["line", "zero", "total", "size", "row"], kind="stable").drop_duplicates("line")
    return best["row"].to_numpy()


def _determined(a: np.ndarray, tol: float = 1e-9) -> np.ndarray:
    """Columns (hidden cells) whose value follows exactly from the equations ``a``.

    Cell ``j`` is determined iff ``e_j`` lies in the row space of ``a``, i.e. its squared
    projection onto that space is 1.
    """
    m, k = a.shape
    if m == 0 or k == 0:
        return np.zeros(k, bool)
    # The projection onto the row space of ``a`` via the smaller Gram matrix (cheaper
    # than an SVD of the wide matrix; the entries are small integers, so well scaled).
    if m <= k:
        lam, u = np.linalg.eigh(a @ a.T)
        keep = lam > lam.max() * 1e-10
        b = a.T @ u[:, keep]
        proj = (b**2 / lam[keep]).sum(axis=1)
    else:
        lam, v = np.linalg.eigh(a.T @ a)
        keep = lam > lam.max() * 1e-10
        proj = (v[:, keep] ** 2).sum(axis=1)
    return proj > 1 - tol


def _secondary(table: pd.DataFrame, groups: list[str], policy: Policy, suppressed: np.ndarray,
               d1: np.ndarray, size: np.ndarray) -> tuple[np.ndarray, int]:
    """Rows to suppress in addition (``D2``) and the number of unresolved sensitive cells."""
    total_labels = set(policy.total_labels) | set(table.attrs.get("total_labels", ()))
    lines = _Lines(table, groups, total_labels)
    if lines.n_lines == 0 or not d1.any():
        return np.zeros(len(table), bool), 0
    hidden = suppressed.copy()
    mat = lines.matrix()
    unresolved = 0
    for _ in range(10 * len(table) + 10):
        # sensitive = hidden cells connected to a D1 cell through lines
        sensitive = d1.copy()
        while True:
            line_sens = lines.count(sensitive) > 0
            new = hidden & (np.bincount(lines.rows, weights=line_sens[lines.lines].astype(float),
                                        minlength=len(table)) > 0)
            new |= sensitive
            if (new == sensitive).all():
                break
            sensitive = new
        # (a) lines with exactly one hidden cell that is sensitive
        one = (lines.count(hidden) == 1) & (lines.count(sensitive) == 1)
        if one.any():
            partners = _pick_partners(lines, np.flatnonzero(one), hidden, size)
            if len(partners):
                hidden[partners] = True
                continue
        # (b) exact audit per connected group of hidden cells
        h = np.flatnonzero(hidden)
        sub = mat[:, h]
        line_ids = np.flatnonzero(sub.getnnz(axis=1) > 0)
        sub = sub[line_ids]
        adj = (sub.T @ sub) if sub.shape[0] else sparse.csr_matrix((len(h), len(h)))
        n_comp, comp = connected_components(abs(adj) > 0, directed=False)
        shown_count = lines.count(~hidden)
        exposed: list[np.ndarray] = []
        unresolved = 0
        for c in range(n_comp):
            cells = np.flatnonzero(comp == c)
            if not sensitive[h[cells]].any():
                continue
            block = sub[:, cells]
            in_block = np.flatnonzero(block.getnnz(axis=1) > 0)
            dense = block[in_block].toarray()
            det = _determined(dense) & sensitive[h[cells]]
            if not det.any():
                continue
            # certificate: line weights y with y @ dense = e_j; adding a hidden cell to any
            # line with y != 0 breaks it
            cert = np.linalg.pinv(dense.T)
            for j in np.flatnonzero(det):
                y = cert[:, j]
                used = line_ids[in_block[np.abs(y) > 1e-9]]
                open_lines = used[shown_count[used] > 0]
                if len(open_lines):
                    exposed.append(open_lines)
                else:
                    unresolved += 1
        if not exposed:
            break
        added = False
        for options in exposed:
            # among the lines of the certificate, take the one whose smallest shown cell is smallest
            partners = _pick_partners(lines, options, hidden, size)
            if len(partners) == 0:
                continue
            keys = [(not size[r] > 0, float(np.nan_to_num(size[r], nan=np.inf)), int(r)) for r in partners]
            best = min(keys)[2]
            if not hidden[best]:
                hidden[best] = True
                added = True
                break  # re-run the cheap line step before auditing again
        if not added:
            break
    return hidden & ~suppressed, unresolved


# --------------------------------------------------------------------------------------
# grade
# --------------------------------------------------------------------------------------
def grade(table: pd.DataFrame, policy: Policy | None = None, *, secondary: bool = True,
          keep_raw: bool = False) -> pd.DataFrame:
    """Apply the small-numbers policy to an estimate table: set ``flag``/``flag_reason`` and remove suppressed numbers.

    Parameters
    ----------
    table : DataFrame
        An estimate table (:func:`salto_analysis.estimates.estimate_table`); its
        ``attrs["kind"]`` chooses the rules (see the module docstring).
    policy : Policy, optional
        Thresholds and language; default ``Policy()``.
    secondary : bool
        Apply secondary suppression (additive kinds only). Default true; switch it off
        only for tables that are never published next to their totals.
    keep_raw : bool
        For the analyst's own checks only: keep the removed numbers in extra columns
        named ``raw_<column>`` and mark ``attrs["has_raw"] = True``. The briefing and all
        exports use :func:`published`, which drops them.

    Returns
    -------
    DataFrame
        A graded copy. ``attrs`` gain ``graded=True``, ``policy`` (the thresholds as a dict),
        ``flag_codes`` (the codes used) and ``secondary_unresolved`` (sensitive cells that
        no further suppression could protect, because every line that determines them is
        already fully hidden; normally 0, and named in the warning otherwise). Rows that
        an earlier grading suppressed stay suppressed with their reason, so grading twice
        gives the same table.

    Warns
    -----
    SmallSampleWarning
        Once, if any row is uncertain or suppressed, with the counts.
    """
    policy = policy or Policy()
    if not isinstance(policy, Policy):
        raise ValueError(f"policy={policy!r} must be a reliability.Policy")
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"table must be an estimate table (DataFrame), got {type(table).__name__}")
    kind = table.attrs.get("kind")
    if kind not in KINDS:
        raise ValueError(f"table.attrs['kind']={kind!r} must be one of {', '.join(KINDS)}; "
                         "build tables with salto_analysis.estimates.estimate_table")
    out = table.copy()
    out.attrs = dict(table.attrs)
    n = len(out)
    groups = [g for g in group_columns(out) if g in out.columns]

    # rows an earlier grading suppressed stay suppressed with their reason (their numbers are gone)
    if "flag" in out.columns:
        prior = out["flag"].astype(object).eq("suppressed").to_numpy()
        prior_reason = out["flag_reason"].astype(object).to_numpy() if "flag_reason" in out.columns \
            else np.full(n, None, dtype=object)
    else:
        prior, prior_reason = np.zeros(n, bool), np.full(n, None, dtype=object)
    prior_disclosure = prior & np.array([isinstance(r, str) and r.startswith("D") for r in prior_reason], bool)

    d1 = np.zeros(n, bool)
    for v in _disclosure_values(out, kind):
        d1 |= _small(v, policy.min_count)

    if kind == "proportion":
        rel = _grade_proportion(out, policy)
        size = _col(out, "denominator")
    elif kind in ("count", "rate"):
        rel = _grade_count(out, policy)
        size = _col(out, "count")
    elif kind in ("ratio", "difference"):
        rel = _grade_comparison(out, policy)
        size = None
    else:
        rel = _grade_summary(out, policy)
        size = None
    codes: dict[str, np.ndarray] = {"D1": d1, **rel}
    rel_suppressed = np.zeros(n, bool)
    for c, m in rel.items():
        if c in _SUPPRESSING:
            rel_suppressed |= m

    d2 = np.zeros(n, bool)
    unresolved = 0
    if secondary and size is not None and groups and (d1 | prior_disclosure).any():
        d2, unresolved = _secondary(out, groups, policy, d1 | rel_suppressed | prior, d1 | prior_disclosure, size)
    codes["D2"] = d2 & ~prior

    suppressed = d1 | d2 | rel_suppressed | prior
    uncertain = np.zeros(n, bool)
    for c, m in rel.items():
        if c not in _SUPPRESSING:
            uncertain |= m
    uncertain &= ~suppressed

    # flag_reason: disclosure codes alone when present, else the codes of the decisive level
    texts = {c: code_text(c, policy) for c in CODES}
    reason = np.full(n, "", dtype=object)
    used: set[str] = set()
    for c in sorted(codes, key=_ORDER.get):
        m = codes[c] & ~prior
        if c == "D1":
            pass
        elif c == "D2":
            m &= ~d1
        elif c in _SUPPRESSING:
            m &= ~(d1 | d2)
        else:
            m &= uncertain
        if m.any():
            used.add(c)
            reason[m] = np.where(reason[m] == "", texts[c], reason[m] + "; " + texts[c])
    for i in np.flatnonzero(prior):
        if isinstance(prior_reason[i], str):
            reason[i] = prior_reason[i]
            used.update(part.split(":")[0] for part in prior_reason[i].split("; ") if part.split(":")[0] in CODES)
    flag = np.where(suppressed, "suppressed", np.where(uncertain, "uncertain", "ok"))
    out["flag"] = pd.Series(flag, index=out.index, dtype="object")
    out["flag_reason"] = pd.Series(np.where(reason == "", pd.NA, reason), index=out.index, dtype="object")

    # remove every number of suppressed rows (outside the grouping columns)
    if suppressed.any():
        numeric = _number_columns(out, groups)
        if keep_raw:
            for c in numeric:
                out["raw_" + c] = table[c].to_numpy()
        _blank(out, suppressed, numeric)
    if keep_raw:
        out.attrs["has_raw"] = True

    out.attrs.update({
        "graded": True,
        "policy": dataclasses.asdict(policy),
        "flag_codes": sorted(used, key=_ORDER.get),
        "secondary_unresolved": int(unresolved),
    })
    n_supp, n_unc = int(suppressed.sum()), int(uncertain.sum())
    if n_supp + n_unc:
        msg = _flag_sentence(out, policy.lang, n_supp, n_unc)
        if unresolved:
            msg += " " + labels.t("reliability.unresolved", policy.lang, cells=unresolved)
        warnings.warn(SmallSampleWarning(msg), stacklevel=2)
    return out


def _number_columns(table: pd.DataFrame, groups) -> list[str]:
    """The numeric columns outside the grouping and flag columns (and ``raw_*``): what suppression removes."""
    return [c for c in table.columns if c not in groups and c not in ("flag", "flag_reason")
            and not str(c).startswith("raw_") and pd.api.types.is_numeric_dtype(table[c])
            and not pd.api.types.is_bool_dtype(table[c])]


def _blank(out: pd.DataFrame, mask: np.ndarray, columns: list[str]) -> None:
    """Set ``columns`` of the rows ``mask`` to missing, in place (integer columns become ``Int64``)."""
    for c in columns:
        if pd.api.types.is_integer_dtype(out[c]):
            out[c] = out[c].astype("Int64")
        out.loc[mask, c] = pd.NA if str(out[c].dtype) == "Int64" else np.nan


def _check_graded(table: pd.DataFrame) -> None:
    if not table.attrs.get("graded") or "flag" not in table.columns:
        raise ValueError("the table has not been graded; call reliability.grade(table, policy) first")


def flagged(table: pd.DataFrame) -> pd.DataFrame:
    """The uncertain and suppressed rows of a graded table: grouping columns, ``flag``, ``flag_reason``.

    For notebook warning boxes and the briefing's index of flagged figures; it carries
    no numbers.
    """
    _check_graded(table)
    groups = [g for g in group_columns(table) if g in table.columns]
    rows = table.loc[table["flag"] != "ok", [*groups, "flag", "flag_reason"]].reset_index(drop=True)
    rows.attrs = {k: table.attrs[k] for k in ("measure", "unit", "kind") if k in table.attrs}
    return rows


def flag_summary(table: pd.DataFrame, lang: str | None = None) -> str:
    """One sentence counting the suppressed and uncertain figures of a graded table.

    The table is named as in the warning of :func:`grade` (:func:`table_name`).
    """
    _check_graded(table)
    lang = lang or table.attrs.get("policy", {}).get("lang", "nb")
    n_supp = int((table["flag"] == "suppressed").sum())
    n_unc = int((table["flag"] == "uncertain").sum())
    if n_supp + n_unc == 0:
        return labels.t("reliability.summary_none", lang, rows=len(table))
    return _flag_sentence(table, lang, n_supp, n_unc)


def footnotes(table: pd.DataFrame, lang: str | None = None) -> list[str]:
    """Footnotes for a graded table: the ``:`` symbol (if used) and each flag code that occurs."""
    _check_graded(table)
    policy = policy_of(table)
    lang = lang or policy.lang
    notes = []
    if (table["flag"] == "suppressed").any():
        notes.append(labels.t("common.suppressed_symbol_note", lang, min_count=policy.min_count))
    notes += [code_text(c, policy, lang) for c in table.attrs.get("flag_codes", [])]
    return notes


def published(table: pd.DataFrame) -> pd.DataFrame:
    """The graded table as it may be published: ``raw_*`` columns dropped, suppressed rows checked empty.

    Raises ``ValueError`` if the table is ungraded or a suppressed row still carries a number.
    """
    _check_graded(table)
    out = table.drop(columns=[c for c in table.columns if c.startswith("raw_")])
    out.attrs = {k: v for k, v in table.attrs.items() if k != "has_raw"}
    groups = set(group_columns(out))
    supp = (out["flag"] == "suppressed").to_numpy()
    leaking = [c for c in out.columns if c not in groups and c not in ("flag", "flag_reason")
               and pd.api.types.is_numeric_dtype(out[c]) and not pd.api.types.is_bool_dtype(out[c])
               and out.loc[supp, c].notna().any()]
    if leaking:
        raise ValueError(f"suppressed rows still carry numbers in {leaking}; grade the table again")
    return out


# --------------------------------------------------------------------------------------
# across tables
# --------------------------------------------------------------------------------------
def policy_of(table: pd.DataFrame) -> Policy:
    """The :class:`Policy` a table was graded with (``attrs["policy"]``); ``Policy()`` if unknown.

    :func:`grade` stores the policy as a dict; a :class:`Policy` object is accepted too.
    Keys that are not policy fields are ignored, and a stored policy that no longer
    validates gives the default.

    >>> policy_of(pd.DataFrame()).min_count
    5
    """
    pol = table.attrs.get("policy")
    if isinstance(pol, Policy):
        return pol
    if isinstance(pol, dict):
        names = {f.name for f in dataclasses.fields(Policy)}
        kw = {k: v for k, v in pol.items() if k in names}
        if "total_labels" in kw:
            kw["total_labels"] = tuple(kw["total_labels"])
        try:
            return Policy(**kw)
        except (TypeError, ValueError):
            pass
    return Policy()


_DISCLOSURE = re.compile(r"(?:^|; )D[12]:")


def disclosed(table: pd.DataFrame) -> np.ndarray:
    """Rows of a graded table suppressed for disclosure (``D1`` or ``D2``), not only as too uncertain.

    Cross-table protection starts from these: a cell withheld only for reliability is not
    confidential (see the module docstring).
    """
    _check_graded(table)
    reason = table["flag_reason"].astype("object").fillna("").astype(str)
    return (table["flag"] == "suppressed").to_numpy() & reason.str.contains(_DISCLOSURE).to_numpy()


def withhold(table: pd.DataFrame, mask, policy: Policy | None = None) -> pd.DataFrame:
    """Secondary suppression across tables: withhold the rows ``mask`` that are still shown, as ``D2``.

    For an analysis module whose tables share numbers (a cell hidden in one table must
    not be recoverable from another). Like :func:`grade`: the rows' numbers outside the
    grouping columns are removed, ``flag`` is ``suppressed``, ``flag_reason`` the ``D2``
    text in the policy's language (default :func:`policy_of` the table), and ``D2`` joins
    ``attrs["flag_codes"]``. Rows already suppressed keep their reason. Returns a copy (or
    the table itself when nothing changes).
    """
    _check_graded(table)
    mask = np.asarray(mask)
    if mask.dtype != bool or mask.shape != (len(table),):
        raise ValueError(f"mask must be {len(table)} true/false values, one per row; got dtype {mask.dtype}, "
                         f"shape {mask.shape}")
    if policy is not None and not isinstance(policy, Policy):
        raise ValueError(f"policy={policy!r} must be a reliability.Policy")
    new = mask & table["flag"].astype("object").ne("suppressed").to_numpy()
    if not new.any():
        return table
    out = table.copy()
    out.attrs = dict(table.attrs)
    groups = [g for g in group_columns(out) if g in out.columns]
    _blank(out, new, _number_columns(out, groups))
    out.loc[new, "flag"] = "suppressed"
    out.loc[new, "flag_reason"] = code_text("D2", policy or policy_of(table))
    codes = set(out.attrs.get("flag_codes", [])) | {"D2"}
    out.attrs["flag_codes"] = [c for c in CODES if c in codes]
    return out
