"""Reliability grading: is a number stable enough to read? And :func:`grade`, which asks
both small-numbers questions of an estimate table and writes its flags.

Every estimate table passes through :func:`grade` before anything shows or publishes
it. :func:`grade` applies disclosure control (:mod:`salto_analysis.disclosure`: primary
``D1`` and secondary ``D2`` suppression) and the reliability rules below, with the
thresholds of a :class:`salto_analysis.policy.Policy`.

**The reliability rules**

* ``proportion``: NCHS Data Presentation Standards for Proportions (Parker et al.
  2017, *Vital Health Stat* 2(175)), as implemented in surveytable's
  ``.lpe_percents``. With Korn–Graubard 95% limits (df-adjusted effective sample size
  ``n* = min(n, n_eff·(t_{n−1}/t_df)²)``, ``n_eff = p(1−p)/se²``; for tables without a
  design — ``TableMeta.design_based`` false — ``n_eff = n`` and ``df = ∞``, so the
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
  - the columns named in ``TableMeta.event_columns``, for a table whose counts have
    other names (they replace the columns above and are also checked for disclosure,
    unless ``TableMeta.disclosure_columns`` is set).

  Events under ``min_events`` (10) → suppress ``C1``; under ``unstable_events`` (20) →
  uncertain ``C3`` (NCHS 2023 and the CDC convention, as for counts). Separately, the
  smaller ``denominator``/``denominator_ref`` under ``min_n_eff`` (30) → suppress
  ``P1`` (a share from fewer persons is not shown, NCHS 2017). A table with none of
  these columns raises ``ValueError``.
* ``summary`` (Gini, Kaplan–Meier, means …): based on fewer than 30 persons
  (``denominator``, else ``count``) → suppress ``S1``; fewer than 20 events
  (``numerator``, else ``count``) → uncertain ``C3``; fewer than 10 persons still at risk
  (``n_at_risk``) → uncertain ``S2``.

**What grading writes.** ``flag`` is ``ok``, ``uncertain`` or ``suppressed``;
``flag_reason`` holds the decisive **codes** (:mod:`salto_analysis.policy`), joined by
``;`` (``"D1"``, ``"P2;P3"``): disclosure codes alone when a row is withheld for privacy,
else the codes of the decisive level. Codes, not words, so the published tables are
the same in every language; tables, figures, warning boxes and the briefing turn them
into words at display (:func:`salto_analysis.policy.code_text`). In suppressed rows every
number outside the grouping columns is removed (set to missing), so the published
table cannot leak it; tables and plots show them as ``:``.

A :class:`~salto_analysis.policy.SmallSampleWarning` is emitted once per graded table
with the number of flagged rows, in the policy's language, naming the table by its
title (:func:`table_name`). A :class:`salto_analysis.page.Page` collects these warnings
and shows the flagged numbers in its warning box instead, so they are never said twice.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from salto_analysis import disclosure, labels
from salto_analysis.disclosure import (
    _check_graded,
    number_columns,
    primary,
    remove_numbers,
)
from salto_analysis.estimates import (
    column_values,
    event_columns,
    group_columns,
    meta_of,
    with_meta,
)
from salto_analysis.policy import (
    CODES,
    SUPPRESSING,
    Policy,
    SmallSampleWarning,
    code_text,
    join_codes,
    policy_of,
    split_codes,
)
from salto_analysis.stats import clopper_pearson_limits, garwood_limits, korn_graubard_n

__all__ = ["grade", "rules", "flagged", "flag_summary", "footnotes", "published", "comparison_events", "table_name"]

_ORDER = {c: i for i, c in enumerate(CODES)}


def table_name(table: pd.DataFrame, lang: str) -> str | None:
    """The name of ``table`` for a sentence in ``lang``, or ``None`` if it has none in that language.

    In order: its ``title`` (a title in the page's language); its ``measure`` translated,
    when it is a key of :mod:`salto_analysis.labels`; the ``measure`` as it is when
    ``lang`` is ``"en"`` (the analysis modules write measures in English).

    >>> from salto_analysis.estimates import estimate_table
    >>> t = estimate_table(pd.DataFrame({"estimate": [], "ci_low": [], "ci_high": []}), kind="count",
    ...     measure="registered cases", unit="cases", method="garwood", confidence_level=0.95)
    >>> table_name(t, "en"), table_name(t, "nb")
    ('registered cases', None)
    """
    labels.check_lang(lang)
    meta = meta_of(table)
    if isinstance(meta.title, str) and meta.title.strip():
        return meta.title.strip()
    measure = meta.measure
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
    kind = meta_of(table).kind
    return labels.t("reliability.warning_unnamed", lang, kind=labels.t(f"reliability.kind.{kind}", lang), **fields)


# --------------------------------------------------------------------------------------
# the NCHS rules
# --------------------------------------------------------------------------------------
def _grade_proportion(table: pd.DataFrame, policy: Policy) -> dict[str, np.ndarray]:
    x = column_values(table, "numerator")
    n = column_values(table, "denominator")
    if x is None or n is None:
        raise ValueError("a 'proportion' table needs 'numerator' and 'denominator' columns to be graded")
    level = policy.grading_confidence_level
    design = meta_of(table).design_based
    edge = (x == 0) | (x == n)
    with np.errstate(invalid="ignore", divide="ignore"):
        if design:
            p = column_values(table, "estimate")
            se = column_values(table, "se")
            if se is None:
                raise ValueError("a design-based 'proportion' table needs an 'se' column to be graded")
            df = column_values(table, "df")
            df = np.full(len(table), np.inf) if df is None else df
            n_eff_raw = p * (1 - p) / se**2
            n_eff = np.where(edge, n, np.minimum(n_eff_raw, n))
            # Korn–Graubard: the df-adjusted effective sample size, capped at n (NCHS 2017)
            n_star = np.where(p > 0, np.minimum(n, korn_graubard_n(n_eff_raw, n, df, confidence_level=level)), n)
            low, high = clopper_pearson_limits(n_star * p, n_star, confidence_level=level)
        else:
            p = x / n
            df = np.full(len(table), np.inf)
            n_eff = n
            low, high = clopper_pearson_limits(x, n, confidence_level=level)
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
    x = column_values(table, "count")
    if x is None:
        raise ValueError(f"a {meta_of(table).kind!r} table needs a 'count' column to be graded")
    low, high = garwood_limits(x, confidence_level=policy.grading_confidence_level)
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = (high - low) / x
        c1 = ~(x >= policy.min_events)
        c2 = ~c1 & ~(rel <= policy.count_rel_width_max)
        shown = ~(c1 | c2)
        c3 = shown & (x < policy.unstable_events)
        df = column_values(table, "df")
        cdf = shown & (df < policy.min_df) if df is not None else np.zeros(len(table), bool)
    return {"C1": c1, "C2": c2, "C3": c3, "Cdf": cdf}


def _min_of(table: pd.DataFrame, names: tuple[str, ...]) -> np.ndarray | None:
    cols = [column_values(table, c) for c in names if c in table.columns]
    if not cols:
        return None
    return np.fmin.reduce(cols) if len(cols) > 1 else cols[0]


def comparison_events(table: pd.DataFrame) -> np.ndarray | None:
    """The events a ``ratio`` or ``difference`` row rests on: its smallest underlying count.

    The smallest of ``count``, ``count_ref`` and the 2×2 cells ``numerator``,
    ``denominator − numerator``, ``numerator_ref``, ``denominator_ref − numerator_ref``
    (those present), or of the columns in ``TableMeta.event_columns``; ``None`` when the
    table has none of them. Missing values are skipped; a row with none is missing.

    >>> from salto_analysis.estimates import estimate_table
    >>> t = estimate_table(pd.DataFrame({"numerator": [30], "denominator": [42], "numerator_ref": [40],
    ...     "denominator_ref": [4040], "estimate": [250.0], "ci_low": [110.0], "ci_high": [560.0]}),
    ...     kind="ratio", measure="odds ratio", unit="odds ratio", method="Woolf", confidence_level=0.95)
    >>> comparison_events(t)  # cells a=30, b=12, c=40, d=4000
    array([12.])
    """
    names = event_columns(table)
    if names is not None:
        return np.fmin.reduce([column_values(table, c) for c in names])
    cells: list[np.ndarray] = []
    for suffix in ("", "_ref"):
        cnt = column_values(table, "count" + suffix)
        if cnt is not None:
            cells.append(cnt)
        num, den = column_values(table, "numerator" + suffix), column_values(table, "denominator" + suffix)
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
        raise ValueError(f"a {meta_of(table).kind!r} table needs underlying counts to be graded: "
                         "'count'/'count_ref', 'numerator'/'denominator' (and '_ref') columns, "
                         "or TableMeta.event_columns")
    with np.errstate(invalid="ignore"):
        if events is not None:
            out["C1"] = ~(events >= policy.min_events)
            out["C3"] = ~out["C1"] & (events < policy.unstable_events)
        if dens is not None:
            out["P1"] = ~(dens >= policy.min_n_eff)
    return out


def _grade_summary(table: pd.DataFrame, policy: Policy) -> dict[str, np.ndarray]:
    n = len(table)
    units = column_values(table, "denominator")
    units = column_values(table, "count") if units is None else units
    events = column_values(table, "numerator")
    events = column_values(table, "count") if events is None else events
    at_risk = column_values(table, "n_at_risk")
    if units is None:
        raise ValueError("a 'summary' table needs 'denominator' or 'count' (the persons it is based on) to be graded")
    with np.errstate(invalid="ignore"):
        s1 = ~(units >= policy.min_units)
        c3 = ~s1 & (events < policy.unstable_events) if events is not None else np.zeros(n, bool)
        s2 = ~s1 & (at_risk < policy.min_at_risk) if at_risk is not None else np.zeros(n, bool)
    return {"S1": s1, "C3": c3, "S2": s2}


# --------------------------------------------------------------------------------------


def rules(table: pd.DataFrame, policy: Policy) -> dict[str, np.ndarray]:
    """The reliability codes of each row (code → boolean array), by the table's kind."""
    kind = meta_of(table).kind
    if kind == "proportion":
        return _grade_proportion(table, policy)
    if kind in ("count", "rate"):
        return _grade_count(table, policy)
    if kind in ("ratio", "difference"):
        return _grade_comparison(table, policy)
    return _grade_summary(table, policy)


# --------------------------------------------------------------------------------------
# grade
# --------------------------------------------------------------------------------------
def grade(table: pd.DataFrame, policy: Policy | None = None, *, secondary: bool = True,
          keep_raw: bool = False) -> pd.DataFrame:
    """Apply the small-numbers policy to an estimate table: set ``flag``/``flag_reason`` and remove suppressed numbers.

    Parameters
    ----------
    table : DataFrame
        An estimate table (:func:`salto_analysis.estimates.estimate_table`); its kind
        chooses the rules (see the module docstring). It is not changed.
    policy : Policy, optional
        Thresholds and the language of the warning; default ``Policy()``.
    secondary : bool
        Apply secondary suppression (additive kinds only). Default true; switch it off
        only for tables that are never published next to their totals.
    keep_raw : bool
        For the analyst's own checks only: keep the removed numbers in extra columns
        named ``raw_<column>`` (``TableMeta.has_raw``). The briefing and all exports use
        :func:`published`, which drops them.

    Returns
    -------
    DataFrame
        A graded copy whose metadata record the ``policy``, the ``flag_codes`` used and
        ``secondary_unresolved`` (sensitive cells that no further suppression could
        protect, because every line that determines them is already fully hidden;
        normally 0, and named in the warning otherwise). Rows that an earlier grading
        suppressed stay suppressed with their reason, so grading twice gives the same table.

    Warns
    -----
    SmallSampleWarning
        Once, if any row is uncertain or suppressed, with the counts.
    """
    policy = policy or Policy()
    if not isinstance(policy, Policy):
        raise ValueError(f"policy={policy!r} must be a salto_analysis.policy.Policy")
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"table must be an estimate table (DataFrame), got {type(table).__name__}")
    meta = meta_of(table)
    kind = meta.kind
    out = table.copy()
    n = len(out)
    groups = [g for g in group_columns(out) if g in out.columns]

    # rows an earlier grading suppressed stay suppressed with their reason (their numbers are gone)
    if "flag" in out.columns:
        prior = out["flag"].astype(object).eq("suppressed").to_numpy()
        prior_codes = [split_codes(r) for r in out["flag_reason"]] if "flag_reason" in out.columns \
            else [[] for _ in range(n)]
    else:
        prior, prior_codes = np.zeros(n, bool), [[] for _ in range(n)]
    prior_disclosure = prior & np.array([any(c.startswith("D") for c in codes) for codes in prior_codes], bool)

    d1 = primary(out, policy)
    rel = rules(out, policy)
    size = {"proportion": column_values(out, "denominator"), "count": column_values(out, "count"),
            "rate": column_values(out, "count")}.get(kind)
    codes: dict[str, np.ndarray] = {"D1": d1, **rel}
    rel_suppressed = np.zeros(n, bool)
    for c, m in rel.items():
        if c in SUPPRESSING:
            rel_suppressed |= m

    d2 = np.zeros(n, bool)
    unresolved = 0
    if secondary and size is not None and groups and (d1 | prior_disclosure).any():
        if kind == "proportion":
            num, den = column_values(out, "numerator"), column_values(out, "denominator")
            values = {"numerator": num, "denominator": den, "complement": den - num}
        else:
            values = {"count": size}
        d2, unresolved = disclosure.secondary(out, groups, policy, d1 | rel_suppressed | prior, d1 | prior_disclosure,
                                              size, values)
    codes["D2"] = d2 & ~prior

    suppressed = d1 | d2 | rel_suppressed | prior
    uncertain = np.zeros(n, bool)
    for c, m in rel.items():
        if c not in SUPPRESSING:
            uncertain |= m
    uncertain &= ~suppressed

    # flag_reason: disclosure codes alone when present, else the codes of the decisive level
    row_codes: list[list[str]] = [[] for _ in range(n)]
    for c in sorted(codes, key=_ORDER.get):
        m = codes[c] & ~prior
        if c == "D2":
            m &= ~d1
        elif c in SUPPRESSING and c != "D1":
            m &= ~(d1 | d2)
        elif c not in SUPPRESSING:
            m &= uncertain
        for i in np.flatnonzero(m):
            row_codes[i].append(c)
    for i in np.flatnonzero(prior):
        row_codes[i] = prior_codes[i]
    reasons = [join_codes(c) if c else pd.NA for c in row_codes]
    used = {c for codes_ in row_codes for c in codes_}
    flag = np.where(suppressed, "suppressed", np.where(uncertain, "uncertain", "ok"))
    out["flag"] = pd.Series(flag, index=out.index, dtype="object")
    out["flag_reason"] = pd.Series(reasons, index=out.index, dtype="object")

    # remove every number of suppressed rows (outside the grouping columns)
    if suppressed.any():
        if keep_raw:
            for c in number_columns(out):
                out["raw_" + c] = table[c].to_numpy()
        remove_numbers(out, suppressed)
    out = with_meta(out, meta, policy=policy, flag_codes=tuple(sorted(used, key=_ORDER.get)),
                    secondary_unresolved=int(unresolved), has_raw=bool(keep_raw or meta.has_raw))
    n_supp, n_unc = int(suppressed.sum()), int(uncertain.sum())
    if n_supp + n_unc:
        msg = _flag_sentence(out, policy.lang, n_supp, n_unc)
        if unresolved:
            msg += " " + labels.t("reliability.unresolved", policy.lang, cells=unresolved)
        warnings.warn(SmallSampleWarning(msg), stacklevel=2)
    return out


def flagged(table: pd.DataFrame) -> pd.DataFrame:
    """The uncertain and suppressed rows of a graded table: grouping columns, ``flag``, ``flag_reason``.

    For notebook warning boxes and the briefing's index of flagged figures; it carries
    no numbers.
    """
    _check_graded(table)
    groups = [g for g in group_columns(table) if g in table.columns]
    return table.loc[table["flag"] != "ok", [*groups, "flag", "flag_reason"]].reset_index(drop=True)


def flag_summary(table: pd.DataFrame, lang: str | None = None) -> str:
    """One sentence counting the suppressed and uncertain figures of a graded table.

    The table is named as in the warning of :func:`grade` (:func:`table_name`).
    """
    _check_graded(table)
    lang = lang or policy_of(table).lang
    n_supp = int((table["flag"] == "suppressed").sum())
    n_unc = int((table["flag"] == "uncertain").sum())
    if n_supp + n_unc == 0:
        return labels.t("reliability.summary_none", lang, rows=len(table))
    return _flag_sentence(table, lang, n_supp, n_unc)


def footnotes(table: pd.DataFrame, lang: str | None = None) -> list[str]:
    """Footnotes for a graded table: the ``:`` symbol (if used) and each review code of a shown number.

    The codes that withhold a number are not footnoted: a withheld number has one public
    reason, the ``:`` (:func:`salto_analysis.policy.public_codes`).
    """
    _check_graded(table)
    policy = policy_of(table)
    lang = lang or policy.lang
    notes = []
    if (table["flag"] == "suppressed").any():
        notes.append(labels.t("common.suppressed_symbol_note", lang, min_count=policy.min_count))
    shown = table.loc[table["flag"] != "suppressed", "flag_reason"]
    codes = {c for r in shown for c in split_codes(r)}
    notes += [code_text(c, policy, lang) for c in meta_of(table).flag_codes if c in codes]
    return notes


def published(table: pd.DataFrame) -> pd.DataFrame:
    """The graded table as it may be published: ``raw_*`` columns dropped, suppressed rows checked empty.

    Raises ``ValueError`` if the table is ungraded or a suppressed row still carries a number.
    """
    _check_graded(table)
    out = table.drop(columns=[c for c in table.columns if str(c).startswith("raw_")])
    out = with_meta(out, meta_of(table), has_raw=False)
    groups = set(group_columns(out))
    supp = (out["flag"] == "suppressed").to_numpy()
    leaking = [c for c in out.columns if c not in groups and c not in ("flag", "flag_reason")
               and pd.api.types.is_numeric_dtype(out[c]) and not pd.api.types.is_bool_dtype(out[c])
               and out.loc[supp, c].notna().any()]
    if leaking:
        raise ValueError(f"suppressed rows still carry numbers in {leaking}; grade the table again")
    return out
