"""Stage 1: the overlap shares among the registered persons.

The share of suspects who were also victims (B/S) and of victims who were also
suspects (B/V), in total and by age group, sex or district (:data:`BREAKDOWNS`);
Wilson intervals (Brown, Cai & DasGupta 2001) from :func:`salto_analysis.stats.proportion_table`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from salto_analysis import stats

from .selection import TOTAL, UNKNOWN, Selection

__all__ = ["BREAKDOWNS", "overlap_shares"]

#: Breakdowns of :func:`overlap_shares`.
BREAKDOWNS: tuple[str, ...] = ("age_group", "sex", "district")


def _with_total(counts: pd.DataFrame, by: str, categories: Sequence[str]) -> pd.DataFrame:
    """``counts`` (indexed by category) with a total row first, the index as an ordered categorical."""
    total = counts.sum().to_frame().T
    total.index = [TOTAL]
    out = pd.concat([total, counts])
    out.index = pd.CategoricalIndex(out.index, categories=[TOTAL, *categories], ordered=True, name=by)
    return out


def _breakdown(persons: pd.DataFrame, by: str) -> tuple[pd.Series, list[str]]:
    """The ``by`` column as text, with ``unknown`` for missing sex, and its ordered categories."""
    col = persons[by]
    values = col.astype("object").where(col.notna(), UNKNOWN)
    cats = [c for c in col.cat.categories if (col == c).any()]
    if (values == UNKNOWN).any():
        cats.append(UNKNOWN)
    return values, cats


def overlap_shares(selection: Selection, by: str | None = None, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Share of suspects who were also victims, and of victims who were also suspects.

    Column ``among`` is ``suspects`` (B/S: numerator B, denominator S) or ``victims``
    (B/V). With ``by`` (``age_group``, ``sex`` or ``district``) there is one row per
    group and a ``total`` row; missing sex is its own group ``unknown`` so that the
    groups add up to the total. Wilson intervals; ungraded estimate table of kind
    ``proportion`` (``among`` is non-additive, so secondary suppression works within
    each share).
    """
    stats.check_confidence_level(confidence_level)
    if by is not None and by not in BREAKDOWNS:
        raise ValueError(f"by={by!r} must be None or one of {', '.join(BREAKDOWNS)}")
    p = selection.persons
    both = p["suspect"] & p["victim"]
    frame = pd.DataFrame({"S": p["suspect"].astype(int), "V": p["victim"].astype(int), "B": both.astype(int)})
    if by is None:
        counts = frame.sum().to_frame().T
        groups = []
    else:
        values, cats = _breakdown(p, by)
        counts = _with_total(frame.groupby(values.to_numpy(), sort=False).sum().reindex(cats, fill_value=0),
                             by, cats).reset_index()
        groups = [by]
    parts = []
    for among, den in (("suspects", "S"), ("victims", "V")):
        part = counts.assign(among=among, numerator=counts["B"], denominator=counts[den])
        parts.append(part[["among", *groups, "numerator", "denominator"]])
    data = pd.concat(parts, ignore_index=True)
    data["among"] = pd.Categorical(data["among"], categories=["suspects", "victims"], ordered=True)
    table = stats.proportion_table(data, numerator="numerator", denominator="denominator",
                                   groups=["among", *groups], confidence_level=confidence_level,
                                   measure="overlap_shares", unit="proportion", nonadditive=["among"],
                                   synthetic=selection.synthetic)
    return table
