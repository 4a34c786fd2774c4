"""The victim–offender overlap in the police register (notebook 02, issue 5).

Children exposed to violence are more likely to offend later: the victim–offender
overlap (Jennings, Piquero & Reingle 2012, *Aggression and Violent Behavior*
17:16–26). This package measures it in the register with intervals; every result is an
estimate table (:mod:`salto_analysis.estimates`) for :func:`salto_analysis.reliability.grade`.
No function returns a person-level row or identifier.

Read it by stage, in the order of the notebook:

* :mod:`~salto_analysis.overlap.selection` — who is counted: :func:`select` finds the
  suspects (S), victims (V) and persons in both roles (B) of the window, with their age
  group, sex and home district from their first registration in the window, and
  :func:`row_accounting` says what happened to every register row;
* :mod:`~salto_analysis.overlap.shares` — 1. :func:`overlap_shares`: B/S and B/V, in
  total and by age group, sex or district (Wilson intervals);
* :mod:`~salto_analysis.overlap.population` — 2. the 2×2 table against the population
  of the same ages (:func:`two_by_two`, :func:`coverage`, :func:`suspect_shares`) and
  :func:`relative_odds`: odds ratio (Woolf; exact conditional for small cells) and risk
  ratio (Katz, :func:`salto_analysis.stats.risk_ratio`). Associations in registered data, not causes;
* :mod:`~salto_analysis.overlap.order` — 3. what came first (:func:`temporal_order`),
  unknown earlier history (:func:`left_censoring`) and the months from victim to suspect
  (:func:`time_to_suspect`, order-statistic intervals of
  :func:`salto_analysis.stats.quantile_interval`);
* :mod:`~salto_analysis.overlap.matrix` — 4. :func:`type_matrix`, victim-of-type ×
  suspect-of-type with totals;
* :mod:`~salto_analysis.overlap.protect` — :func:`protect`, cross-table suppression;
* :mod:`~salto_analysis.overlap.page` — the notebook's page: :func:`build` computes,
  titles, grades and protects every table of :data:`TABLES` on a
  :class:`salto_analysis.page.Page`; :func:`note_fields` holds what the notes quote.

Every public name is available as ``salto_analysis.overlap.<name>``. ``risk_ratio`` and
``quantile_interval`` are general statistics and live in :mod:`salto_analysis.stats`; they
are re-exported here for code written against the earlier layout.
"""

from __future__ import annotations

from salto_analysis.stats import quantile_interval, risk_ratio  # re-exported: they lived here before

from .matrix import type_matrix
from .order import (
    DAYS_PER_MONTH,
    ORDER_CATEGORIES,
    QUANTILES,
    left_censoring,
    temporal_order,
    time_to_suspect,
)
from .page import RATIO_COUNT_COLUMNS, TABLES, build, note_fields
from .population import EXACT_BELOW, coverage, relative_odds, suspect_shares, two_by_two
from .protect import protect
from .selection import TYPE_GROUPS, TYPE_SERIOUSNESS, Selection, check_parameters, row_accounting, select
from .shares import BREAKDOWNS, overlap_shares

__all__ = [
    "TYPE_GROUPS",
    "TYPE_SERIOUSNESS",
    "ORDER_CATEGORIES",
    "QUANTILES",
    "DAYS_PER_MONTH",
    "EXACT_BELOW",
    "BREAKDOWNS",
    "Selection",
    "check_parameters",
    "select",
    "row_accounting",
    "note_fields",
    "overlap_shares",
    "two_by_two",
    "coverage",
    "suspect_shares",
    "risk_ratio",
    "relative_odds",
    "temporal_order",
    "left_censoring",
    "quantile_interval",
    "time_to_suspect",
    "type_matrix",
    "protect",
    "TABLES",
    "RATIO_COUNT_COLUMNS",
    "build",
]
