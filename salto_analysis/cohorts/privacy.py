"""Privacy: breakdowns of the small repeat groups, what suppression hid, and cross-table protection.

A group of about 50 persons broken down by district × sex × age identifies people. The
notebook shows only one-way breakdowns that survive suppression (:func:`breakdown_shown`),
reports the crossed breakdown only as a count of hidden cells, and passes every graded table
through :func:`protect`, which hides numbers that could otherwise be worked out from another
table of the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from salto_analysis import disclosure, labels, schemas
from salto_analysis.policy import Policy
from salto_analysis.estimates import meta_of

from .panel import (BANDS, OffenderPanel, below_label, check_level, check_parameters, link, make_table, proportion,
                    threshold_label, year_counts)

__all__ = ["breakdown_tables", "crossed_breakdown", "breakdown_shown", "suppression_summary", "protect"]


# --------------------------------------------------------------------------------------
# 7. privacy: breakdowns of the threshold groups
# --------------------------------------------------------------------------------------
_BREAKDOWNS = ("sex", "age_group", "district")


def breakdown_tables(panel: OffenderPanel, year: int, thresholds: Sequence[int], *,
                     confidence_level: float = 0.95) -> dict[str, pd.DataFrame]:
    """One-way breakdowns of each threshold group of ``year`` by sex, age group and home district.

    Proportion tables (``offence_threshold``, dimension): persons in the category over the
    group's size, Wilson intervals. Persons without a registered sex are left out of the sex
    breakdown (its denominator is the persons with a registered sex; the fact
    ``not_included`` of its metadata counts the others). Only breakdowns that survive
    suppression should be shown (:func:`breakdown_shown`).
    """
    year = panel.check_year(year)
    level = check_level(confidence_level)
    thresholds, _, _ = check_parameters(thresholds=list(thresholds))
    sel = year_counts(panel, year)
    sel = sel.assign(age_group=schemas.age_group(sel["age"].astype("float")))
    out = {}
    for dim in _BREAKDOWNS:
        parts, not_included = [], {}
        for t in thresholds:
            grp = sel[sel["offences"] >= t]
            known = grp[dim].notna()
            not_included[threshold_label(t)] = int((~known).sum())
            grp = grp[known]
            cats = list(grp[dim].cat.categories)
            if dim == "age_group":
                cats = [g for g in cats if schemas.AGE_GROUPS[g][0] <= panel.age_max]
            cnt = grp.groupby(dim, observed=False).size().reindex(cats, fill_value=0)
            if dim == "district":  # the 15 districts always; Sentrum, Marka, Uoppgitt when present
                other = schemas.districts().set_index("name_nb")["kind"]
                cnt = cnt[[c for c in cnt.index if other.get(c) == "bydel" or cnt[c] > 0]]
            parts.append(pd.DataFrame({"offence_threshold": threshold_label(t), dim: cnt.index.astype(object),
                                       "numerator": cnt.to_numpy(), "denominator": len(grp)}))
        frame = pd.concat(parts, ignore_index=True)
        frame["offence_threshold"] = pd.Categorical(frame["offence_threshold"],
                                                    categories=[threshold_label(t) for t in thresholds], ordered=True)
        frame[dim] = pd.Categorical(frame[dim], categories=list(sel[dim].cat.categories), ordered=True)
        frame = frame.assign(**proportion(frame["numerator"], frame["denominator"], level))
        out[dim] = make_table(frame, groups=["offence_threshold", dim], kind="proportion",
                          measure="cohorts.measure.share_of_group", unit="proportion",
                          method="Wilson score interval", confidence_level=level,
                          nonadditive=["offence_threshold"], year=year, breakdown=dim,
                          not_included=not_included, link=link("by_threshold", year=year, column="offence_threshold"),
                          synthetic=panel.synthetic)
    return out


def crossed_breakdown(panel: OffenderPanel, year: int, threshold: int, *,
                      confidence_level: float = 0.95) -> pd.DataFrame:
    """District × sex × age group of one threshold group: the breakdown that identifies people.

    Built only to count how many of its cells suppression would hide
    (:func:`suppression_summary`); the notebook never shows it.
    """
    year = panel.check_year(year)
    level = check_level(confidence_level)
    sel = year_counts(panel, year)
    sel = sel.assign(age_group=schemas.age_group(sel["age"].astype("float")))
    grp = sel[(sel["offences"] >= threshold) & sel["sex"].notna()]
    ages = [g for g in schemas.AGE_GROUPS if schemas.AGE_GROUPS[g][0] <= panel.age_max]
    cnt = grp.groupby(["district", "sex", "age_group"], observed=False).size()
    frame = cnt.reset_index(name="numerator")
    frame = frame[frame["age_group"].isin(ages)].reset_index(drop=True)
    frame["denominator"] = len(grp)
    frame = frame.assign(**proportion(frame["numerator"], frame["denominator"], level))
    return make_table(frame, groups=["district", "sex", "age_group"], kind="proportion",
                  measure="cohorts.measure.share_of_group", unit="proportion", method="Wilson score interval",
                  confidence_level=level, year=year, threshold=int(threshold), synthetic=panel.synthetic)


def breakdown_shown(table: pd.DataFrame) -> list[str]:
    """The threshold groups of a graded breakdown that survive suppression and may be shown.

    A group's breakdown survives when at least two of its categories, and at least half of
    them, are shown (not suppressed). Otherwise it says little beyond what it hides, and the
    page reports it in a sentence instead. Returns the ``offence_threshold`` labels in order.
    """
    if not meta_of(table).graded:
        raise ValueError("the breakdown has not been graded; call reliability.grade(table, policy) first")
    out = []
    for label, part in table.groupby("offence_threshold", observed=True, sort=True):
        shown = int((part["flag"] != "suppressed").sum())
        if shown >= 2 and shown >= len(part) / 2:
            out.append(str(label))
    return out


def suppression_summary(tables_: Mapping[str, pd.DataFrame], lang: str = "nb", *,
                        detail: bool = False) -> pd.DataFrame:
    """How many cells of each graded table were withheld, and how many are shown but uncertain.

    Columns: ``table`` (the title given as key), ``cells``, ``withheld`` and ``uncertain``
    (shown but marked). Counts of table cells, not of persons; display with
    :func:`salto_analysis.tables.plain`. This is what a page publishes: one number for
    the withheld cells, since the reasons (fewer than ``min_count`` persons, hidden so that
    others cannot be worked out, too uncertain) would each narrow what a withheld cell can
    hold (issue 11). ``detail=True`` splits ``withheld`` into ``privacy`` (code D1),
    ``secondary`` (D2) and ``reliability`` (the rest), for internal use only.
    """
    labels.check_lang(lang)
    records = []
    for title, table in tables_.items():
        if not meta_of(table).graded:
            raise ValueError(f"table {title!r} has not been graded; call reliability.grade first")
        supp = table["flag"].astype("object").eq("suppressed")
        reason = table["flag_reason"].astype("object").fillna("").astype(str)
        d1 = supp & reason.str.startswith("D1")
        d2 = supp & reason.str.startswith("D2")
        record = {"table": title, "cells": len(table), "withheld": int(supp.sum())}
        if detail:
            record.update(privacy=int(d1.sum()), secondary=int(d2.sum()), reliability=int((supp & ~d1 & ~d2).sum()))
        record["uncertain"] = int(table["flag"].astype("object").eq("uncertain").sum())
        records.append(record)
    columns = ["table", "cells", "withheld"] + (["privacy", "secondary", "reliability"] if detail else []) + ["uncertain"]
    out = pd.DataFrame.from_records(records, columns=columns)
    return out.rename(columns={c: labels.t(f"cohorts.summary.{c}", lang) for c in out.columns})


# --------------------------------------------------------------------------------------
# cross-table protection
# --------------------------------------------------------------------------------------
def _atoms(thresholds: Iterable[int]) -> list[tuple[int, int | None]]:
    edges = sorted({b[1] for b in BANDS} | set(int(t) for t in thresholds))
    return [(lo, edges[i + 1] - 1 if i + 1 < len(edges) else None) for i, lo in enumerate(edges)]


def _vector(atoms, lo: int, hi: int | None) -> np.ndarray:
    """Indicator of the atoms inside the count range lo..hi."""
    return np.array([a_lo >= lo and (hi is None or (a_hi is not None and a_hi <= hi)) for a_lo, a_hi in atoms],
                    dtype=float)


def _in_span(v: np.ndarray, rows: list[np.ndarray]) -> bool:
    if not rows:
        return False
    m = np.vstack(rows)
    return np.linalg.matrix_rank(np.vstack([m, v])) == np.linalg.matrix_rank(m)


def protect(tables_: Mapping[str, pd.DataFrame], panel: OffenderPanel, policy: Policy) -> dict[str, pd.DataFrame]:
    """Cross-table secondary suppression of the reporting year's graded tables.

    :func:`salto_analysis.reliability.grade` protects each table against its own margins.
    The tables of this notebook also share numbers: the persons in each band (1, 2–3, 4–9,
    10+), the size T of each threshold group (the series, the share of offences held by the
    group, the breakdowns, the repeat group of the debut and mix tables), the size N − T of
    the other suspects, and all suspects N. Each is a sum of *atoms* (persons with counts in
    the ranges cut by the band edges and the thresholds), so a hidden number can be worked out
    exactly when its atom vector lies in the span of the shown ones. For every sensitive
    number (a count of 1..min_count−1 persons) that could be, more numbers are hidden
    (code D2) — band cells first, smallest first, then threshold groups — until none can
    (an exact audit, as in reliability's step (b)). A hidden group size hides every row that
    shows it. Rows that :func:`concentration` withheld (its fact ``withheld``) are marked D2.

    Give every graded table of the notebook; tables without links are returned unchanged.
    """
    if not isinstance(policy, Policy):
        raise ValueError(f"policy={policy!r} must be a Policy")
    out = dict(tables_)
    for name, t in out.items():
        if not meta_of(t).graded:
            raise ValueError(f"table {name!r} has not been graded; call reliability.grade(table, policy) first")
        withheld = meta_of(t).fact('withheld') or []
        if withheld:
            mask = np.zeros(len(t), bool)
            mask[list(withheld)] = True
            out[name] = disclosure.withhold(t, mask, policy)
        # the sex breakdown leaves out persons without a registered sex; its denominator is
        # T − u, so a small u (1..min_count−1) could be worked out from T: withhold those rows
        if meta_of(t).fact('breakdown') == "sex":
            for label, u in (meta_of(t).fact('not_included') or {}).items():
                if 1 <= u < policy.min_count:
                    rows = (t["offence_threshold"].astype(object) == label).to_numpy()
                    out[name] = disclosure.withhold(out[name], rows, policy)
    links = {name: meta_of(t).fact('cohorts_link') for name, t in out.items() if meta_of(t).fact('cohorts_link') is not None}
    if not links:
        return out
    years = {lk["year"] for lk in links.values()}
    if len(years) != 1:
        raise ValueError(f"the linked tables are for different years {sorted(years)}; protect one year at a time")
    year = years.pop()
    thresholds: set[int] = set()
    for name, lk in links.items():
        t = out[name]
        if lk["kind"] in ("series", "by_threshold"):
            thresholds |= {int(str(v).rstrip("+")) for v in t[lk["column"]].astype(object).unique()}
        elif lk["kind"] == "repeat_split":
            thresholds.add(int(lk["threshold"]))
    atoms = _atoms(thresholds)
    counts = panel.counts(year)
    atom_values = np.array([((counts >= lo) & (counts <= (hi if hi is not None else np.inf))).sum()
                            for lo, hi in atoms], dtype=float)

    # cells: name -> (vector, [(table, row mask, exact)])
    cells: dict[str, tuple[np.ndarray, list]] = {}

    def add(cell: str, vec: np.ndarray, table: str, mask: np.ndarray, exact: bool = True) -> None:
        if not mask.any():
            return
        cells.setdefault(cell, (vec, []))[1].append((table, mask, exact))

    for name, lk in links.items():
        t = out[name]
        if lk["kind"] == "bands":
            for label, lo, hi in BANDS:
                add(f"band {label}", _vector(atoms, lo, hi), name, (t["offence_band"].astype(object) == label).to_numpy())
        elif lk["kind"] == "series":
            for th in thresholds:
                mask = ((t["offence_threshold"].astype(object) == threshold_label(th)) & (t["year"] == year)).to_numpy()
                add(f"T {th}", _vector(atoms, th, None), name, mask)
        elif lk["kind"] == "by_threshold":
            exact = meta_of(t).fact('breakdown') != "sex"
            for th in thresholds:
                add(f"T {th}", _vector(atoms, th, None), name,
                    (t["offence_threshold"].astype(object) == threshold_label(th)).to_numpy(), exact)
        elif lk["kind"] == "repeat_split":
            th = int(lk["threshold"])
            grp = t["repeat_group"].astype(object)
            add(f"T {th}", _vector(atoms, th, None), name, (grp == threshold_label(th)).to_numpy())
            add(f"N-T {th}", _vector(atoms, 1, th - 1), name, (grp == below_label(th)).to_numpy())

    def shown(cell: str) -> bool:
        return any(e and out[tn]["flag"].astype(object).ne("suppressed").to_numpy()[m].any()
                   for tn, m, e in cells[cell][1])

    def value(cell: str) -> float:
        return float(cells[cell][0] @ atom_values)

    small = {c for c in cells if 1 <= value(c) < policy.min_count}
    all_vec = np.ones(len(atoms))  # all suspects N: always known
    # a hidden (small) threshold group hides the other suspects' rows too, since N is known
    hidden_new: set[str] = set()
    for c in small:
        if c.startswith("T ") and f"N-T {c[2:]}" in cells:
            hidden_new.add(f"N-T {c[2:]}")
        if c.startswith("N-T ") and f"T {c[4:]}" in cells:
            hidden_new.add(f"T {c[4:]}")
    # grading has suppressed every exact occurrence of a small count; kept as a safeguard
    hidden_new |= {c for c in small if shown(c)}
    for _ in range(4 * len(cells) + 4):
        known = [cells[c][0] for c in cells if c not in hidden_new and shown(c)] + [all_vec]
        exposed = [c for c in small if _in_span(cells[c][0], known)]
        if not exposed:
            break
        target = cells[exposed[0]][0]
        candidates = sorted((c for c in cells if c not in hidden_new and shown(c)),
                            key=lambda c: (not c.startswith("band"), value(c)))
        chosen = None
        for c in candidates:
            rest = [cells[o][0] for o in cells if o not in hidden_new and o != c and shown(o)] + [all_vec]
            if not _in_span(target, rest):
                chosen = c
                break
        chosen = chosen or (candidates[0] if candidates else None)
        if chosen is None:
            break
        hidden_new.add(chosen)
    # a threshold group hidden here hides the other suspects' rows too (and the other way round)
    for c in list(hidden_new):
        if c.startswith("T ") and f"N-T {c[2:]}" in cells:
            hidden_new.add(f"N-T {c[2:]}")
        if c.startswith("N-T ") and f"T {c[4:]}" in cells:
            hidden_new.add(f"T {c[4:]}")
    for c in hidden_new:
        for tn, mask, _ in cells[c][1]:
            out[tn] = disclosure.withhold(out[tn], mask, policy)
    return out
