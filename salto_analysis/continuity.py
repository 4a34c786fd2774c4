"""Withholding across years: what last year's briefing withheld stays withheld (issue 11).

Each yearly briefing publishes back series (register coverage by district since the
register starts, offence counts for the last years, the re-registration curve of every
cohort so far). The same cell of an earlier year then appears in two briefings. Secondary
suppression is decided table by table, so last year's briefing may have withheld a cell
(to protect a small count in its line) that this year's, with other partners, shows: a
reader who puts the two briefings side by side learns the hidden cell, and through the
line's total the small count it protected. Statistics Norway meets the same problem in
its own back series; the standard answer is to keep a published suppression pattern
(Hundepool et al. 2012, *Statistical Disclosure Control*, sec. 4.4 on linked tables).

Rule: a row of a table that last year's briefing published in the same file (same
notebook, same table name, same grouping values) as withheld is withheld again, as
``D2`` (secondary), whatever this year's grading says. Withholding a further cell never
narrows what a reader can work out about the others, so the rest of the protection
stands. A cell shown last year and withheld this year is visible in last year's briefing
anyway; the briefing's disclosure audit, which reads both briefings, checks that no
small count can be worked out from the two together.

The briefing runner tells each notebook's kernel where last year's briefing is and
which notebook it runs, through :data:`PREVIOUS_ENV` and :data:`NOTEBOOK_ENV`;
outside a briefing run (an analyst in JupyterLab) nothing is carried.
"""

from __future__ import annotations

import csv
import os
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from salto_analysis.estimates import group_columns

__all__ = ["PREVIOUS_ENV", "NOTEBOOK_ENV", "withheld_before", "carry_forward"]

#: Environment variable with the folder of last year's published briefing (set by the runner).
PREVIOUS_ENV = "SALTO_PREVIOUS_BRIEFING"
#: Environment variable with the name of the notebook the kernel runs (set by the runner).
NOTEBOOK_ENV = "SALTO_NOTEBOOK"


@lru_cache(maxsize=256)
def _withheld(path: str) -> tuple[tuple[str, ...], frozenset] | None:
    """The header and the withheld rows (as tuples of published text) of a published CSV."""
    file = Path(path)
    if not file.is_file():
        return None
    with file.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows or "flag" not in rows[0]:
        return None
    header = tuple(rows[0])
    flag = header.index("flag")
    return header, frozenset(tuple(r) for r in rows[1:] if len(r) == len(header) and r[flag] == "suppressed")


def withheld_before(table: pd.DataFrame, file: str | Path) -> np.ndarray:
    """Rows of ``table`` whose grouping values match a row withheld in the published CSV ``file``.

    The grouping values are compared as published text
    (:func:`salto_analysis.briefing.publish.csv_value`). A file that does not exist, or
    that lacks one of the table's grouping columns, matches nothing.
    """
    from salto_analysis.briefing.publish import _python, csv_value

    found = _withheld(str(Path(file).resolve()))
    none = np.zeros(len(table), dtype=bool)
    if found is None:
        return none
    header, rows = found
    groups = group_columns(table)
    if not groups or any(g not in header for g in groups):
        return none
    positions = [header.index(g) for g in groups]
    keys = {tuple(r[p] for p in positions) for r in rows}
    mine = zip(*(table[g].map(lambda v: csv_value(_python(v))) for g in groups))
    return np.fromiter((k in keys for k in mine), dtype=bool, count=len(table))


def carry_forward(table: pd.DataFrame, name: str, environ=None) -> pd.DataFrame:
    """``table`` (graded, published as ``name``) with the rows last year's briefing withheld
    withheld again as ``D2`` (module docstring). Unchanged outside a briefing run, or when
    last year's briefing has no such table."""
    from salto_analysis.disclosure import withhold

    environ = os.environ if environ is None else environ
    previous, notebook = environ.get(PREVIOUS_ENV), environ.get(NOTEBOOK_ENV)
    if not previous or not notebook or not len(table):
        return table
    mask = withheld_before(table, Path(previous) / "tables" / f"{notebook}__{name}.csv")
    return withhold(table, mask) if mask.any() else table
