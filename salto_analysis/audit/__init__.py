"""Disclosure audit of a published briefing: the attack of a reader who reads everything.

:func:`audit` reads only what a reader gets in a briefing folder — ``tables/*.csv`` and
``tables/briefing.xlsx`` (:mod:`.published`) — and, page by page (the CSV prefix before
``__``), builds the attacker's integer programme over the withheld counts from every
relation the published numbers carry (:mod:`.relations`, one function per family; the
reason codes in :mod:`.codes`). For every withheld count, and for counts the tables
imply but never publish (complements, sums of the withheld cells of a line, persons
censored between two points of a curve, steps of a cumulative share, changes since the
previous briefing), it solves the minimum and maximum with HiGHS (:mod:`.model`) and
applies the protection rule (:func:`.core.is_exposed`). ``salto-briefing audit OUT
[--previous PREV_OUT]`` runs it from the command line (:mod:`.cli`).

Method: the feasibility-interval (attacker) audit of τ-ARGUS 4.1 (manual §2.15) and
sdcTable's ``attack()``; Hundepool et al., *Statistical Disclosure Control* (Wiley 2012)
§4.2–4.3 and §5.2 (differencing, linked tables); Fischetti & Salazar-González, *JASA* 95
(2000) 916.

Every relation family (one function each in :mod:`.relations`, listed in
``relations.FAMILIES``): counts are non-negative integers and parts of their whole;
margins (a total label in a grouping column, also across tables with the same grouping
columns); the same count in several tables of a page and counts repeated along a
grouping column; reason codes (:mod:`.codes`); shares × denominators, breakdowns adding
up to their denominator, complements; rates × exposure, count + reference count; curves
(at risk, events, censored); cumulative shares (Lorenz, top shares); the previous
year's briefing (unchanged cells, nested changes, changes of curve increments).

What it does not see yet:

* numbers printed only on the HTML pages — the HTML is not read. The pages print rounded
  copies of table numbers and sentences made from them; beyond those, the sample pages
  print the input accounting tables (file rows, by decision; a notice that counts persons
  is written "fewer than min_count" when small), «147 mistenkte hadde ukjent bostedsbydel»
  (a count quoted in a sentence, written "fewer than min_count" when small), the number of
  districts not assessed, the Gini coefficient expected without concentration, the
  (rounded) numbers at risk drawn under the re-registration figure, figure alt texts and
  the index page's headline rows;
* relations between pages, and relations a reader infers from the meaning of tables
  rather than from their published numbers: the persons in both roles (2,172) minus those
  compared with the population (2,087) are the persons left out; a cohort's size in the
  transitions table equal to a yearly count in the threshold series; a year implied by
  the briefing rather than published as a column; omitted rows meaning zero; a
  breakdown's numerators adding up to its denominator when no published line shows it;
  denominators of survey shares that are nearly equal across indicators;
* gaps inside an interval: a withheld share coded D1 with a known denominator of 227 is
  1–4 or 223–226, reported as [1, 226];
* Kaplan–Meier estimates and their intervals (``S(t)`` steps give events / at risk),
  Gini coefficients, top shares of offences and other magnitude data (offences of the
  most active persons), odds ratios, differences and p-values as equations; the pages
  publish the curve and the concentration tables rounded to 0.001 instead
  (:func:`salto_analysis.disclosure.rounded`), so that their exact fractions cannot be read back;
* P2/P3 codes of survey (design-based) shares, whose widths depend on the design;
* reason codes other than the policy's (the codes' meanings follow
  ``salto_analysis.reliability`` as of this version).
"""

from .cli import main
from .core import INTERNAL_FILE, audit, is_exposed, write_internal
from .published import AuditInputError, read_folder
from .report import AuditReport, Finding, PageSummary

__all__ = ["INTERNAL_FILE", "AuditInputError", "AuditReport", "Finding", "PageSummary", "audit", "is_exposed", "main",
           "read_folder", "write_internal"]
