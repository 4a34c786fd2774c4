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

What it does not see yet:

* numbers printed only on the HTML pages (texts such as the data page's count of pupils
  who answered none of the items, the privacy notes' counts of withheld cells, numbers
  in figure captions and alt texts, the index page's headline rows) — the HTML is not read;
* relations between pages (a cohort size on one page equal to a count on another);
* relations a reader infers from the meaning of a table rather than from its published
  numbers: a cohort's size equal to a count in a differently-labelled table, a year
  implied by the briefing rather than published as a column, omitted rows meaning zero;
* Kaplan–Meier estimates and their intervals (``S(t)`` steps give ``events/at-risk``
  ratios), Gini coefficients, top shares of offences and other magnitude data (counts of
  offences of the most active persons), odds ratios and p-values as equations;
* survey (design-based) proportions beyond their unweighted counts and the not-D1 rule;
* P2/P3 codes of design-based shares (their widths depend on the design).
"""

from .cli import main
from .core import audit, is_exposed
from .published import AuditInputError, read_folder
from .report import AuditReport, Finding, PageSummary

__all__ = ["audit", "is_exposed", "AuditReport", "Finding", "PageSummary", "AuditInputError", "read_folder", "main"]
