"""Stage 4: the type-specific overlap, victim-of-type × suspect-of-type.

Each person in both roles counts once, by the most serious type they were registered
as a victim of and as a suspect of (:data:`~salto_analysis.overlap.selection.TYPE_SERIOUSNESS`);
the table has row and column totals so that :func:`salto_analysis.reliability.grade`
applies secondary suppression across them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from salto_analysis import stats

from .selection import TOTAL, TYPE_GROUPS, Selection

__all__ = ["type_matrix"]


def type_matrix(selection: Selection, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Persons in both roles by victim-of-type × suspect-of-type, with totals.

    Each person counts once: in the row of the most serious type they were registered
    as a victim of in the window and the column of the most serious type they were
    registered as a suspect of (:data:`~salto_analysis.overlap.selection.TYPE_SERIOUSNESS`).
    Rows and columns are the :data:`~salto_analysis.overlap.selection.TYPE_GROUPS` the
    selected offence types allow, plus ``total``; cells add up to the totals, so grading
    applies secondary suppression across rows and columns.
    Garwood intervals, kind ``count``.
    """
    stats.check_confidence_level(confidence_level)
    both = selection.both
    groups = list(selection.type_groups)
    k = len(TYPE_GROUPS)
    cell = both["victim_type"].cat.codes.to_numpy() * k + both["suspect_type"].cat.codes.to_numpy()
    m = np.bincount(cell, minlength=k * k).reshape(k, k)
    keep = [TYPE_GROUPS.index(g) for g in groups]
    m = m[np.ix_(keep, keep)]
    full = np.zeros((len(groups) + 1, len(groups) + 1), dtype=np.int64)
    full[:-1, :-1] = m
    full[:-1, -1] = m.sum(axis=1)
    full[-1, :-1] = m.sum(axis=0)
    full[-1, -1] = m.sum()
    names = [*groups, TOTAL]
    vt, st_ = np.meshgrid(np.arange(len(names)), np.arange(len(names)), indexing="ij")
    data = pd.DataFrame({
        "victim_type": pd.Categorical.from_codes(vt.ravel(), categories=names, ordered=True),
        "suspect_type": pd.Categorical.from_codes(st_.ravel(), categories=names, ordered=True),
        "persons": full.ravel(),
    })
    return stats.count_table(data, count="persons", groups=["victim_type", "suspect_type"],
                             confidence_level=confidence_level, measure="overlap_type_matrix", unit="persons",
                             synthetic=selection.synthetic)
