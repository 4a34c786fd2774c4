"""Repeat offenders: offence counts per person, concentration, cohort persistence, debut, offence mix.

The analyses behind ``notebooks/03_repeat_offenders.ipynb`` (issue 5). Everything starts
from an :class:`OffenderPanel`, built once from the loaded register by :func:`prepare`;
the table builders below return *ungraded* estimate tables
(:func:`salto_analysis.estimates.estimate_table`) that the notebook grades with
:func:`salto_analysis.reliability.grade` and then passes through :func:`protect`, which
adds the cross-table suppression that grading one table at a time cannot see.
:func:`build` does all of it for the notebook and returns the page.

Modules, by stage: ``panel`` (the panel, parameters, labels of count groups), ``counts``
(bands and the threshold series), ``offence_shares`` (concentration), ``transitions``
(cohort persistence), ``groups`` (debut, victimisation before the first offence, offence
mix), ``reregistration_time`` (Kaplan–Meier and log-rank), ``privacy`` (breakdowns, suppression
summary, cross-table protection), ``page`` (everything the notebook shows) and ``figures``
(the Lorenz curve and the stacked persistence bars).

Conventions (stated in the notebook's reading notes)
----------------------------------------------------
* **Offences per person in a year** are the distinct ``case_id`` values in which the person is
  registered as a suspect with a ``registered_date`` in that year. SaLTo counts registered
  offences (*straffbare forhold*); a case in this register has one main offence, so one case
  counts as one offence, and a case with three suspects counts once for each of them.
* **Ages.** Only rows in SaLTo's scope (``in_scope``: age 10–22) are used. The offence count
  that defines the repeat-offender groups uses offences registered at ages
  ``age_min..age_max`` (10–17 by default: SaLTo's *gjengangere* are under 18). Follow-up
  (cohort persistence, re-registration) counts registrations at all ages in scope, because
  turning 18 does not end offending; persons are never followed past age 22.
* **Thresholds** are "at or above": the 4+ group holds persons with 4 or more offences in the
  year (SaLTo's definition of a gjenganger), the 10+ group those with 10 or more (the police's).
  Bands are 1, 2–3, 4–9 and 10+.
* Group labels are written with numbers only ("4+", "1–3", "10–14"), so tables read the same
  in Norwegian and English.

Privacy
-------
The panel holds one row per person and year (integer codes, never the ``person_id``); its
``repr`` shows only sizes. Every table is an aggregate. The builders make structural choices
that suppression cannot make afterwards: concentration groups and Lorenz points are only
published when every difference between two published group sizes is 0 or at least
``min_count`` persons (otherwise the difference of two shares would reveal the offences of a
group of 1..min_count−1 persons), and the Kaplan–Meier curve is evaluated only at months where
the number of re-registrations since the previous shown month is 0 or at least ``min_count``.
:func:`protect` then makes sure that a count hidden in one table cannot be recovered from
another (band counts, threshold counts and the group sizes of the repeat-group tables of the
reporting year are linked: 4+ = (4–9) + (10+), and all suspects = every band).
"""

from .counts import band_table, threshold_series
from .groups import debut_table, left_censoring_table, offence_mix_table, victim_before_table
from .offence_shares import (TOP_PERCENTS, Concentration, accept_groups, concentration, gini_from_frequencies,
                             top_size, truncated_chance_gini)
from .page import RepeatOffendersPage, build
from .panel import (BANDS, DEBUT_AGE_GROUPS, DEBUT_AGES, OffenderPanel, accounting_table, band_label, check_parameters,
                    prepare, threshold_label)
from .privacy import breakdown_shown, breakdown_tables, crossed_breakdown, protect, suppression_summary
from .reregistration_time import followup, logrank_table, reregistration, reregistration_at
from .transitions import censoring, transition_table

__all__ = [
    "BANDS", "DEBUT_AGES", "DEBUT_AGE_GROUPS", "TOP_PERCENTS",
    "OffenderPanel", "Concentration", "RepeatOffendersPage",
    "check_parameters", "prepare", "accounting_table", "band_label", "threshold_label",
    "band_table", "threshold_series",
    "concentration", "top_size", "gini_from_frequencies", "truncated_chance_gini", "accept_groups",
    "transition_table", "censoring",
    "debut_table", "victim_before_table", "left_censoring_table", "offence_mix_table",
    "followup", "reregistration", "reregistration_at", "logrank_table",
    "breakdown_tables", "crossed_breakdown", "breakdown_shown", "suppression_summary", "protect",
    "build",
]
