"""Stage 3: what came first among persons in both roles, and how long between.

Whether the first victim registration came before the first suspect registration,
after it, or on the same day (which includes the same case): :func:`temporal_order`.
The first registrations are looked for in all years of the data up to ``year``, not
only in the window. The time between them (victim first) is summarised by quartiles
with distribution-free order-statistic intervals (:func:`time_to_suspect`, with
:func:`salto_analysis.stats.quantile_interval`). History before the data starts is
unknown (left censoring): :func:`left_censoring` counts the persons whose first
registration is in the first year of the data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from salto_analysis import stats
from salto_analysis.estimates import estimate_table

from .selection import Selection

__all__ = ["ORDER_CATEGORIES", "QUANTILES", "DAYS_PER_MONTH", "temporal_order", "left_censoring",
           "time_to_suspect"]

#: Temporal-order categories among persons in both roles.
ORDER_CATEGORIES: tuple[str, ...] = ("victim_first", "same_day", "suspect_first")

#: Quantiles of the time from first victimisation to first suspect registration.
QUANTILES: dict[str, float] = {"q25": 0.25, "median": 0.5, "q75": 0.75}

#: Days per month (365.25 / 12) for durations in months.
DAYS_PER_MONTH = 365.25 / 12


def _order_codes(both: pd.DataFrame) -> np.ndarray:
    """Per person in both roles, the index of their category in :data:`ORDER_CATEGORIES`."""
    fv = both["first_victim"].to_numpy(dtype="int64")
    fs = both["first_suspect"].to_numpy(dtype="int64")
    return np.where(fv < fs, 0, np.where(fv == fs, 1, 2))


def temporal_order(selection: Selection, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Which came first among persons in both roles: victim, suspect, or the same day.

    ``temporal_order`` is ``victim_first`` (first victim registration before the first
    suspect registration), ``same_day`` (both on the same day, which includes being
    registered in both roles in the same case) or ``suspect_first``. First registrations
    are taken over all data years up to ``year`` (not only the window). Numerator: persons
    in the category; denominator: persons in both roles. The ``victim_first`` row is the
    share victimised before their first suspect registration. Wilson intervals, kind
    ``proportion``; the three rows add up to the denominator.
    """
    stats.check_confidence_level(confidence_level)
    both = selection.both
    counts = np.bincount(_order_codes(both), minlength=3)
    data = pd.DataFrame({"temporal_order": pd.Categorical(list(ORDER_CATEGORIES), categories=list(ORDER_CATEGORIES),
                                                          ordered=True),
                         "numerator": counts, "denominator": len(both)})
    return stats.proportion_table(data, numerator="numerator", denominator="denominator", groups=["temporal_order"],
                                  confidence_level=confidence_level, measure="overlap_temporal_order",
                                  synthetic=selection.synthetic)


def left_censoring(selection: Selection, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Persons in both roles whose first registration falls in the first year of the data.

    Their history before the data starts is unknown, so their temporal order may be
    wrong (left censoring). One row: numerator those persons, denominator all persons
    in both roles. Wilson interval, kind ``proportion``.
    """
    stats.check_confidence_level(confidence_level)
    both = selection.both
    first = both["first_registration"].to_numpy(dtype="int64").astype("datetime64[D]")
    first_year = first.astype("datetime64[Y]").astype(np.int64) + 1970
    data = pd.DataFrame({"numerator": [int((first_year == selection.first_data_year).sum())],
                         "denominator": [len(both)]})
    return stats.proportion_table(data, numerator="numerator", denominator="denominator",
                                  confidence_level=confidence_level, measure="overlap_left_censoring",
                                  synthetic=selection.synthetic, first_data_year=selection.first_data_year)


def time_to_suspect(selection: Selection, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Months from first victimisation to first suspect registration (victim-first persons).

    Rows ``time_quantile`` ``q25``, ``median``, ``q75`` (:data:`QUANTILES`), each with the
    order-statistic interval of :func:`salto_analysis.stats.quantile_interval`; ``denominator`` is the number
    of persons in both roles who were victims first. A month is 365.25/12 days. Only
    persons who became suspects by the end of ``year`` are included, so long times are
    under-represented (right truncation). Kind ``summary``: suppressed when based on
    fewer than 30 persons.
    """
    level = stats.check_confidence_level(confidence_level)
    both = selection.both
    first = _order_codes(both) == 0
    days = (both["first_suspect"].to_numpy(dtype="int64")[first]
            - both["first_victim"].to_numpy(dtype="int64")[first]).astype(float)
    est, low, high = stats.quantile_interval(days, list(QUANTILES.values()), confidence_level=level)
    data = pd.DataFrame({
        "time_quantile": pd.Categorical(list(QUANTILES), categories=list(QUANTILES), ordered=True),
        "denominator": len(days),
        "estimate": est / DAYS_PER_MONTH,
        "ci_low": low / DAYS_PER_MONTH,
        "ci_high": high / DAYS_PER_MONTH,
    })
    return estimate_table(data, groups=["time_quantile"], kind="summary", measure="overlap_time_to_suspect",
                          unit="months", method="sample quantile (type 7) with order-statistic interval "
                          "(Conover 1999, section 3.2)", confidence_level=level,
                          disclosure_columns=["denominator"], synthetic=selection.synthetic)
