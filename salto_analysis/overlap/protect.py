"""Cross-table protection of the graded overlap tables (:func:`protect`).

:func:`salto_analysis.reliability.grade` protects each table against its own totals;
:func:`protect` makes sure no table undoes the suppression in another one that shows the
same persons. Rows are withheld with :func:`salto_analysis.disclosure.withhold` (code
``D2``), starting from the rows :func:`salto_analysis.disclosure.disclosed` marks.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from salto_analysis import disclosure
from salto_analysis.estimates import meta_of
from salto_analysis.policy import policy_of

__all__ = ["protect"]


def _left_out_levels(by_sex: pd.DataFrame | None, total: pd.DataFrame | None, compared: pd.DataFrame) -> set:
    """Sex levels of ``compared`` (suspect_shares) whose left-out counts are small (see :func:`protect`)."""
    if by_sex is None and total is None:
        return set()
    min_count = policy_of(compared).min_count
    victim = (compared["victim_status"].cat.codes == 0).to_numpy()  # first category: victims
    levels = set()
    for level in compared["sex"].astype("object").unique():
        here = (compared["sex"].astype("object") == level).to_numpy()
        everyone = None
        if by_sex is not None and (by_sex["sex"].astype("object") == level).any():
            everyone = by_sex[(by_sex["sex"].astype("object") == level).to_numpy()]
        elif total is not None and (compared["sex"].cat.codes[here] == 0).all():
            everyone = total
        if everyone is None or not victim[here].any() or not (~victim)[here].any():
            continue
        among = everyone["among"].cat.codes.to_numpy()  # 0: suspects (B/S), 1: victims (B/V)
        s_row, v_row = everyone[among == 0], everyone[among == 1]
        c_vic, c_not = compared[here & victim], compared[here & ~victim]
        num = lambda frame, col: pd.to_numeric(frame[col], errors="coerce").astype("float64").iloc[0]  # noqa: E731
        a, v_pop, c = num(c_vic, "numerator"), num(c_vic, "denominator"), num(c_not, "numerator")
        both, suspects, victims = num(s_row, "numerator"), num(s_row, "denominator"), num(v_row, "denominator")
        d_both, d_victims, d_suspects = both - a, victims - v_pop, suspects - (a + c)
        diffs = np.array([d_both, d_victims, d_suspects, d_suspects + d_victims - d_both])
        if ((diffs >= 1) & (diffs < min_count)).any():  # nan (a withheld figure) never counts
            levels.add(level)
    return levels


def protect(graded_tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Cross-table suppression for the graded overlap tables (keys as in :data:`~salto_analysis.overlap.page.TABLES`).

    :func:`salto_analysis.reliability.grade` protects each table against its own totals.
    Two pairs of this notebook's tables show the same numbers:

    * ``suspect_shares`` and ``relative_odds`` show the same 2×2 cells for each sex (and
      the total). If either table withholds a row of a sex for disclosure (D1/D2), every
      row of that sex is withheld in both (D2), so the counts of one table cannot undo
      the suppression in the other.
    * ``time_to_suspect`` is based on the persons of the ``victim_first`` row of
      ``temporal_order`` (its denominator). If that row is withheld for disclosure, the
      whole ``time_to_suspect`` table is withheld (D2).

    And the comparison with the population leaves out persons without a home district in
    the population file or without a sex (:func:`~salto_analysis.overlap.population.two_by_two`), so the difference between
    ``shares_by_sex`` (everyone; ``shares_total`` for the total) and ``suspect_shares`` (the
    persons compared) counts the left-out suspects, victims, persons in both roles and
    persons in either role of each sex. When one of these differences can be worked out
    and is from 1 to ``min_count − 1``, that sex is withheld (D2) in ``suspect_shares``
    and ``relative_odds``.

    * ``shares_total`` and ``shares_by_*`` show the persons in both roles twice, once among
      the suspects and once among the victims: the two rows of a breakdown value share
      their numerator. A value withheld for disclosure in one of the two lines is withheld
      in the other too (D2), so that the shown numerator of one line cannot fill in the
      other line's sum.

    Returns every table (the changed ones withheld); the page derives ``relative_odds_total``
    (the headline rows) from the protected ``relative_odds`` afterwards.
    """
    out = dict(graded_tables)
    for name, t in out.items():
        if not meta_of(t).graded:
            raise ValueError(f"table {name!r} has not been graded; build the page with overlap.build")
    if "suspect_shares" in out and "relative_odds" in out:
        shares, odds = out["suspect_shares"], out["relative_odds"]
        levels = set(shares.loc[disclosure.disclosed(shares), "sex"].astype("object")) | \
            set(odds.loc[disclosure.disclosed(odds), "sex"].astype("object"))
        levels |= _left_out_levels(out.get("shares_by_sex"), out.get("shares_total"), shares)
        if levels:
            out["suspect_shares"] = disclosure.withhold(shares, shares["sex"].astype("object").isin(levels).to_numpy())
            out["relative_odds"] = disclosure.withhold(odds, odds["sex"].astype("object").isin(levels).to_numpy())
    for name in [n for n in out if n == "shares_total" or n.startswith("shares_by_")]:
        t = out[name]
        by = [g for g in meta_of(t).groups if g != "among"]
        if not by or "among" not in t.columns:
            continue
        gone = disclosure.disclosed(t)
        keys = t[by].astype("object").apply(tuple, axis=1)
        hidden_keys = set(keys[gone])
        out[name] = disclosure.withhold(t, keys.isin(hidden_keys).to_numpy())
    if "temporal_order" in out and "time_to_suspect" in out:
        order = out["temporal_order"]
        first = (order["temporal_order"].cat.codes == 0).to_numpy()
        if disclosure.disclosed(order)[first].any():
            time = out["time_to_suspect"]
            out["time_to_suspect"] = disclosure.withhold(time, np.ones(len(time), bool))
    return out
