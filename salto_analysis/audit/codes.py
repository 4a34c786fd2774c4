"""What a published reason code says about the withheld numbers of its row.

The briefing grades every table with the small-numbers policy (``salto_analysis.reliability``)
and publishes the decisive codes in ``flag_reason`` ("D1: færre enn 5 personer …" or bare
codes "D1;P3"). A code is a statement about the hidden counts, and the attacker uses it.
The rules, with ``m`` = ``min_count`` (the code's text gives the threshold when it has one;
otherwise the defaults of :class:`Thresholds`):

* **D1** (primary suppression): at least one *disclosure value* of the row is in ``1..m−1``.
  Disclosure values: ``count``, ``numerator``, ``denominator − numerator`` and their
  ``_ref`` twins; for curves also ``n_at_risk`` and ``events``.
* every other code: **no** disclosure value is in ``1..m−1`` (each is 0 or at least ``m``),
  because a row with ``D1`` shows ``D1`` alone.
* **D2** (secondary suppression): the row passed the reliability rules, so
  ``count ≥ min_events`` (counts, rates), ``denominator ≥ min_n_eff`` (proportions),
  the persons ≥ ``min_units`` (summaries), and both for comparisons.
* **C1**: the smallest event count of the row is under ``min_events``: with not-D1 a
  count is 0 or ``m..min_events−1``. **C2**: events ≥ ``min_events``.
* **P1**: a proportion from ``n_eff < min_n_eff``; without a survey design (no ``se``
  column) ``n_eff`` is the denominator, so ``denominator < min_n_eff``.
  **P2**/**P3** (Clopper–Pearson width ≥ ``abs_width_max`` / relative width >
  ``rel_width_max``, not narrower than ``abs_width_show``): ``denominator ≥ min_n_eff``, and
  without a design the (numerator, denominator) pairs that give the code are enumerated
  (:func:`proportion_box`), which bounds both.
* **S1**: a summary of fewer than ``min_units`` persons (``denominator``, else ``count``).
* For comparisons (tables with ``_ref`` columns) a suppressing code that is *not* listed
  is false (codes of one level are all listed).

These implications follow the grading rules documented in NCHS *Vital Health Stat* 2(175)
(2017) and 2(200) (2023), as the briefing applies them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from scipy import stats as sps

__all__ = ["CODES", "Thresholds", "parse_codes", "proportion_box", "table_kind", "thresholds_from_reasons"]

CODES = ("D1", "D2", "P1", "P2", "P3", "Pc", "Pdf", "P0", "C1", "C2", "C3", "Cdf", "S1", "S2")
_CODE = re.compile(r"^\s*(D1|D2|P1|P2|P3|Pc|Pdf|P0|C1|C2|C3|Cdf|S1|S2)\b")


@dataclass(frozen=True)
class Thresholds:
    """The published grading thresholds (the defaults are the policy's documented defaults)."""

    min_count: int = 5
    min_n_eff: float = 30
    abs_width_show: float = 0.05
    abs_width_max: float = 0.30
    rel_width_max: float = 1.30
    min_events: int = 10
    min_units: int = 30
    confidence_level: float = 0.95


def parse_codes(reason: str) -> list[str]:
    """The codes in a published ``flag_reason`` ("D1: text; P3: text" or "D1;P3").

    >>> parse_codes("C1: bygger på færre enn 10 hendelser"), parse_codes("D1;P3"), parse_codes("")
    (['C1'], ['D1', 'P3'], [])
    """
    out = []
    for part in str(reason or "").split(";"):
        m = _CODE.match(part)
        if m:
            out.append(m.group(1))
    return out


_NUMBER_IN = {"D1": "min_count", "P1": "min_n_eff", "P2": "abs_width_max", "P3": "rel_width_max",
              "C1": "min_events", "S1": "min_units"}


def thresholds_from_reasons(reasons, base: Thresholds) -> Thresholds:
    """Thresholds stated in published reason texts ("C1: … færre enn 10 …" gives ``min_events=10``)."""
    found: dict[str, float] = {}
    for reason in reasons:
        for part in str(reason or "").split(";"):
            m = _CODE.match(part)
            if not m or m.group(1) not in _NUMBER_IN:
                continue
            num = re.search(r"(\d+(?:[.,]\d+)?)", part[m.end():])
            if not num:
                continue
            value = float(num.group(1).replace(",", "."))
            name = _NUMBER_IN[m.group(1)]
            if name in ("abs_width_max", "rel_width_max"):
                value /= 100
            found.setdefault(name, value)
    if "min_count" in found:
        found["min_count"] = int(found["min_count"])
    if "min_events" in found:
        found["min_events"] = int(found["min_events"])
    return replace(base, **found)


def table_kind(columns) -> str:
    """The kind of a published table as a reader can tell from its columns."""
    cols = set(columns)
    if any(c.endswith("_ref") for c in cols):
        return "ratio"
    if "n_at_risk" in cols:
        return "summary"
    if {"numerator", "denominator"} <= cols:
        return "proportion"
    if "count" in cols:
        return "count"
    return "summary"


def _cp(x: np.ndarray, n: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    a = 1 - level
    with np.errstate(invalid="ignore", divide="ignore"):
        lo = np.where(x > 0, sps.beta.ppf(a / 2, x, n - x + 1), 0.0)
        hi = np.where(x < n, sps.beta.ppf(1 - a / 2, x + 1, n - x), 1.0)
    return lo, hi


@lru_cache(maxsize=16)
def proportion_box(code: str, th: Thresholds) -> tuple[int, int, int, int, int, int] | None:
    """Bounding box ``(x_min, x_max, n_min, n_max, c_min, c_max)`` of the pairs graded ``code``.

    ``x`` is the numerator, ``n`` the denominator and ``c = n − x`` the complement.

    For P2 and P3 without a survey design (Clopper–Pearson limits, ``n_eff = n``), with
    not-D1. Enumerated over ``n`` from ``min_n_eff`` (P2: to 200; P3: to 1000, numerators
    up to 40); ``None`` when the enumeration reaches its edge (no bound is then claimed).
    """
    if code not in ("P2", "P3"):
        return None
    m = th.min_count
    n_hi, x_hi = (200, 200) if code == "P2" else (1000, 40)
    n0 = math.ceil(th.min_n_eff)
    ns = np.arange(n0, n_hi + 1)
    xs = np.arange(0, x_hi + 1)
    n, x = np.meshgrid(ns, xs, indexing="ij")
    valid = x <= n
    lo, hi = _cp(x.astype(float), n.astype(float), th.confidence_level)
    edge = (x == 0) | (x == n)
    width = np.where(edge, 0.0, hi - lo)
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = width / (x / n)
    narrow = width <= th.abs_width_show
    p2 = ~narrow & (width >= th.abs_width_max)
    p3 = ~narrow & ~p2 & (rel > th.rel_width_max)
    not_d1 = ((x == 0) | (x >= m)) & (((n - x) == 0) | ((n - x) >= m))
    sel = valid & not_d1 & (p2 if code == "P2" else p3)
    if not sel.any():
        return None
    xi, ni = x[sel], n[sel]
    if ni.max() >= n_hi or (code == "P3" and xi.max() >= x_hi):
        return None
    ci = ni - xi
    return int(xi.min()), int(xi.max()), int(ni.min()), int(ni.max()), int(ci.min()), int(ci.max())
