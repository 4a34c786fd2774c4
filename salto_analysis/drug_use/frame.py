"""The analysis frame of notebook 04 and its survey designs.

:func:`prepare` derives the indicators, keeps the chosen waves and the pupils with every
``by`` value (counting those left out), and decides the design:

* **prevalence design** (:func:`_design`): schools are the PSUs, each wave is a stratum of
  its own (the waves are separate surveys), and districts are strata within the wave where
  the design has them — every school in one district and at least two schools per district
  and wave (:func:`_strata_decision`; otherwise ``attrs["design"]["why_not"]`` says why);
  weights where present;
* **pooled design** (:func:`_pooled_design`): the waves together with the *school* as the
  PSU across waves, so a school that takes part in several waves links them (change and
  trend).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from salto_analysis import survey

from .indicators import derive

__all__ = ["BY_OPTIONS", "prepare"]


#: Grouping columns the prevalence table can be split by (besides wave and school level).
BY_OPTIONS: tuple[str, ...] = ("grade", "sex")


def _strata_decision(frame: pd.DataFrame) -> tuple[bool, str | None]:
    """Whether districts can be strata: every school in one district per wave, ≥ 2 schools each."""
    if "district" not in frame.columns:
        return False, "no_district"
    if frame["district"].isna().any():
        return False, "not_nested"
    per_school = frame.groupby(["wave", "school_id"], observed=True, sort=False)["district"].nunique()
    if (per_school > 1).any():
        return False, "not_nested"
    schools = frame.drop_duplicates(["wave", "school_id"]).groupby(["wave", "district"], observed=True).size()
    if (schools < 2).any():
        return False, "lonely"
    return True, None


def prepare(survey_frame: pd.DataFrame, *, indicators=None, waves=None, by: Sequence[str] = BY_OPTIONS
            ) -> pd.DataFrame:
    """The analysis frame of notebook 04: :func:`derive`, the chosen waves, the design.

    ``waves`` (default or empty: every wave in the data) must all be in the data, else
    :class:`salto_analysis.params.ParameterError` names the waves the data has. Pupils
    without a value of a ``by`` column (only ``sex`` can be missing) are left out of every
    table and counted in ``attrs["excluded"]``, so that all tables describe the same pupils
    and their totals agree. A wave answered by a single school is left out
    (``attrs["one_school_waves"]``, its pupils counted in ``attrs["one_school_pupils"]``):
    with one cluster in its stratum the design has no variance estimate, and one school is
    not the city. Adds the ``stratum`` column: the wave, or wave × district when
    districts can be strata (see :func:`_strata_decision`; ``attrs["design"]`` says which
    and why).
    """
    from salto_analysis.params import ParameterError

    by = tuple(by)
    bad = [b for b in by if b not in BY_OPTIONS]
    if bad:
        raise ValueError(f"by={list(by)!r}: {bad} are not allowed; use columns from {', '.join(BY_OPTIONS)}")
    frame = derive(survey_frame, indicators)
    present = sorted(int(w) for w in np.unique(frame["wave"].to_numpy()))
    if waves is None or len(waves) == 0:
        chosen = present
    else:
        chosen = sorted({int(w) for w in waves})
        absent = [w for w in chosen if w not in present]
        if absent:
            raise ParameterError(f"notebook parameter waves={list(waves)!r}: the data has no wave {absent}; "
                                 f"it has {', '.join(map(str, present))} (use [] for all)")
    keep = np.isin(frame["wave"].to_numpy(), chosen)
    excluded = {}
    for col in by:
        if col in frame.columns:
            miss = keep & frame[col].isna().to_numpy()
            excluded[col] = int(miss.sum())
            keep &= ~miss
        elif col == "sex":
            raise ValueError("by contains 'sex' but the survey has no sex column; remove 'sex' from by")
    attrs = dict(frame.attrs)
    frame = frame.loc[keep].reset_index(drop=True)
    # a wave answered by one school has no design-based variance (the schools are the clusters,
    # and each wave is a stratum): it is left out, and the page says so
    schools = frame.groupby("wave", sort=True)["school_id"].nunique()
    one_school = [int(w) for w, n in schools.items() if n < 2]
    gone = np.isin(frame["wave"].to_numpy(), one_school)
    one_school_pupils = int(gone.sum())
    frame = frame.loc[~gone].reset_index(drop=True)
    chosen = [w for w in chosen if w not in one_school]
    nonresponse = {i: int(frame[i].isna().sum()) for i in attrs["indicators"]}
    strata, why = _strata_decision(frame)
    if strata:
        frame["stratum"] = frame["wave"].to_numpy() * 1000 + pd.factorize(frame["district"], sort=True)[0]
    else:
        frame["stratum"] = frame["wave"]
    frame.attrs = {
        **attrs,
        "item_nonresponse": nonresponse,
        "waves": chosen,
        "by": [b for b in by],
        "excluded": excluded,
        "one_school_waves": one_school,
        "one_school_pupils": one_school_pupils,
        "design": {"district_strata": strata, "why_not": why, "weighted": attrs.get("weighted", False),
                   "schools": int(frame.drop_duplicates(["wave", "school_id"]).shape[0])},
    }
    return frame


def _frame_attrs(frame: pd.DataFrame) -> dict:
    if "design" not in frame.attrs:
        raise ValueError("the frame has no design; build it with drug_use.prepare(survey, ...)")
    return frame.attrs


def _design(frame: pd.DataFrame) -> survey.Design:
    return survey.Design(frame, cluster="school_id", strata="stratum", weight="weight", nest=True)


def _pooled_strata(frame: pd.DataFrame) -> str | None:
    """Strata of the pooled (all-waves) design: districts if they are strata of the prevalence
    design and every school stays in one district across the waves, else none."""
    if not frame.attrs["design"]["district_strata"]:
        return None
    one = (frame.groupby("school_id", observed=True, sort=False)["district"].nunique() <= 1).all()
    return "district" if one else None


def _pooled_design(frame: pd.DataFrame) -> survey.Design:
    """The waves pooled into one design with the *school* as PSU, so that a school taking part in
    several waves links them (used for the change between waves)."""
    return survey.Design(frame, cluster="school_id", strata=_pooled_strata(frame), weight="weight")


def _group_columns(frame: pd.DataFrame) -> list[str]:
    return ["school_level", *(["sex"] if "sex" in frame.attrs["by"] else [])]
