"""The indicators of notebook 04 and their derivation from the raw Ungdata items.

One documented mapping (:data:`INDICATORS`, shown by :func:`definitions`). The frequency
items are positive when the pupil used the substance *at least once in the last 12 months*
(answers 2–5 of :data:`salto_analysis.schemas.FREQUENCY_12M`) — the Ungdata definition in
FHI's public-health profiles ("Alkohol, har vært beruset", "Har brukt cannabis";
Ungdata indicators; ungdata.no). ``pro_legalisation`` is positive for "Ja"; "Nei" *and* "Vet ikke"
are negative, so "Vet ikke" stays in the denominator (the share in favour of all who
answered). A missing answer is item non-response: left out of that indicator and counted.
A code outside the answer scale raises ``ValueError``. :func:`derive` works through the
distinct answers (``pandas.factorize``), never row by row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salto_analysis import labels, schemas

__all__ = ["Indicator", "INDICATORS", "DEFAULT_INDICATORS", "SCHOOL_LEVELS", "definitions", "derive"]



@dataclass(frozen=True)
class Indicator:
    """One binary indicator derived from one raw survey item.

    ``positive`` and ``negative`` are the raw answer codes that count as 1 and 0; every
    other code is outside the scale (an error); a missing answer is item non-response.
    ``rule`` names the rule and source texts in :mod:`salto_analysis.labels`
    (``drug_use.rule.<rule>``, ``drug_use.source.<rule>``).
    """

    name: str
    item: str
    positive: tuple[str, ...]
    negative: tuple[str, ...]
    rule: str

    def label(self, lang: str = "nb") -> str:
        return labels.t(f"value.indicator.{self.name}", lang)

_AT_LEAST_ONCE = ("2", "3", "4", "5")  # FREQUENCY_12M: once, 2-5, 6-10, 11+ times

_NOT_IN_12M = ("1",)

#: The indicators of notebook 04, in display order.
INDICATORS: dict[str, Indicator] = {
    i.name: i
    for i in (
        Indicator("drunk", "drunk_12m", _AT_LEAST_ONCE, _NOT_IN_12M, "frequency"),
        Indicator("cannabis", "cannabis_12m", _AT_LEAST_ONCE, _NOT_IN_12M, "frequency"),
        Indicator("other_drugs", "other_drugs_12m", _AT_LEAST_ONCE, _NOT_IN_12M, "frequency"),
        Indicator("cocaine", "cocaine_12m", _AT_LEAST_ONCE, _NOT_IN_12M, "frequency"),
        Indicator("nitrous_oxide", "nitrous_oxide_12m", _AT_LEAST_ONCE, _NOT_IN_12M, "frequency"),
        Indicator("vaping", "vaping_12m", _AT_LEAST_ONCE, _NOT_IN_12M, "frequency"),
        # YES_NO_DONT_KNOW: 1 Ja, 2 Nei, 3 Vet ikke ("Vet ikke" stays in the denominator)
        Indicator("pro_legalisation", "cannabis_legal", ("1",), ("2", "3"), "legal"),
    )
}

DEFAULT_INDICATORS: tuple[str, ...] = tuple(INDICATORS)

#: School levels and their grades (ungdomsskole 8-10, videregående VG1-VG3).
SCHOOL_LEVELS: dict[str, tuple[str, ...]] = {
    "lower_secondary": ("8", "9", "10"),
    "upper_secondary": ("VG1", "VG2", "VG3"),
}

_GRADES = tuple(schemas.GRADE)


def _indicators(indicators) -> list[Indicator]:
    if indicators is None:
        indicators = DEFAULT_INDICATORS
    if isinstance(indicators, str):
        indicators = [indicators]
    out = []
    for name in indicators:
        if name not in INDICATORS:
            raise ValueError(f"indicator {name!r} is not known; choose from {', '.join(INDICATORS)}")
        out.append(INDICATORS[name])
    if not out:
        raise ValueError(f"indicators={list(indicators)!r} is empty; choose from {', '.join(INDICATORS)}")
    if len({i.name for i in out}) != len(out):
        raise ValueError(f"indicators={list(indicators)!r} lists an indicator more than once")
    return out


def definitions(indicators=None, lang: str = "nb") -> pd.DataFrame:
    """The indicator mapping as a small table for the notebook (not an estimate table).

    One row per indicator: its label, the raw item (name and question), the rule
    (which answers count as yes, which as no, what happens to missing answers) and the
    source of the definition. Headers are already in ``lang``.
    """
    labels.check_lang(lang)
    rows = []
    for ind in _indicators(indicators):
        col = schemas.SURVEY[ind.item]
        question = col.nb if lang == "nb" else col.en
        rows.append({
            labels.t("drug_use.def.indicator", lang): ind.label(lang),
            labels.t("drug_use.def.item", lang): f"{ind.item} ({question})",
            labels.t("drug_use.def.rule", lang): labels.t(f"drug_use.rule.{ind.rule}", lang),
            labels.t("drug_use.def.source", lang): labels.t(f"drug_use.source.{ind.rule}", lang),
        })
    return pd.DataFrame(rows)


def _code_text(value) -> str:
    """A raw answer as its code text: 2, 2.0, "2" and " 2 " all give "2"."""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def _binary(values: pd.Series, ind: Indicator) -> np.ndarray:
    """0/1/NaN for one raw item, vectorised through the distinct answers; out-of-scale → ValueError."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    keys = [_code_text(u) for u in uniques]
    lookup = np.full(len(keys) + 1, np.nan)  # the last slot takes code -1 (missing)
    bad = []
    for k, key in enumerate(keys):
        if key in ind.positive:
            lookup[k] = 1.0
        elif key in ind.negative:
            lookup[k] = 0.0
        elif key != "":  # an empty string is a missing answer, as in the loaders
            bad.append(k)
    if bad:
        n_bad = int(np.isin(codes, bad).sum())
        allowed = ", ".join((*ind.positive, *ind.negative)) if ind.rule == "legal" else "1, 2, 3, 4, 5"
        shown = ", ".join(repr(keys[k]) for k in bad[:5])
        raise ValueError(
            f"survey item {ind.item!r} (indicator {ind.name!r}) has value(s) {shown} outside its answer scale "
            f"in {n_bad} row(s); allowed codes: {allowed} (see DATA_DICTIONARY.md). Load the survey with "
            f"salto_analysis.io.load_survey, or recode the item to the raw Ungdata codes"
        )
    return lookup[codes]


def _recode(values: pd.Series, allowed: Sequence[str], column: str, *, nullable: bool) -> pd.Categorical:
    """``values`` as a categorical over ``allowed``, built from codes (no per-row strings)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    keys = [_code_text(u) for u in uniques]
    bad = [k for k in keys if k not in allowed]
    if bad or (not nullable and (codes < 0).any()):
        what = f"value(s) {bad[:5]}" if bad else f"{int((codes < 0).sum())} missing value(s)"
        raise ValueError(f"survey column {column!r} has {what}; allowed: {', '.join(allowed)}")
    lookup = np.array([list(allowed).index(k) for k in keys] + [-1], dtype=np.int64)
    return pd.Categorical.from_codes(lookup[codes], categories=list(allowed), ordered=True)


def derive(survey_frame: pd.DataFrame, indicators=None) -> pd.DataFrame:
    """The design columns and one 0/1 column per indicator (``NaN`` = item non-response).

    Parameters
    ----------
    survey_frame : DataFrame
        The survey as :func:`salto_analysis.io.load_survey` returns it: ``wave``,
        ``school_id``, ``grade``, optional ``district``, ``sex``, ``weight`` (1 when absent)
        and the raw items with their Ungdata codes (text ``"1"``.. or whole numbers).
    indicators : list of str, optional
        Names from :data:`INDICATORS` (default all).

    Returns
    -------
    DataFrame
        ``wave``, ``school_id``, ``district`` (if present), ``grade``, ``school_level``,
        ``sex`` (if present), ``weight`` and the indicator columns (float). ``pupil_id``
        is not carried over. ``attrs["item_nonresponse"]`` maps indicator → number of
        missing answers; ``attrs["synthetic"]`` is copied from the input.

    Raises
    ------
    ValueError
        A design column or an item is missing, a grade is unknown, or an answer is outside
        its scale (message names the item, the bad codes and how many rows).
    """
    if not isinstance(survey_frame, pd.DataFrame):
        raise ValueError(f"survey must be a DataFrame (from salto_analysis.io.load_survey), "
                         f"got {type(survey_frame).__name__}")
    inds = _indicators(indicators)
    need = ["wave", "school_id", "grade"] + [i.item for i in inds]
    missing = [c for c in need if c not in survey_frame.columns]
    if missing:
        raise ValueError(f"the survey has no column(s) {missing}, needed for the indicators "
                         f"{[i.name for i in inds if i.item in missing] or ''} or the design; "
                         f"add them or choose other indicators")
    out = pd.DataFrame(index=pd.RangeIndex(len(survey_frame)))
    wave = pd.to_numeric(survey_frame["wave"], errors="coerce")
    if wave.isna().any() or not (wave == wave.round()).all():
        raise ValueError("survey column 'wave' must hold whole years in every row")
    out["wave"] = wave.to_numpy(dtype=np.int64)
    school = survey_frame["school_id"]
    if school.isna().any():
        raise ValueError(f"survey column 'school_id' is missing in {int(school.isna().sum())} row(s); "
                         "every pupil needs a school (the cluster)")
    out["school_id"] = school.array
    if "district" in survey_frame.columns:
        out["district"] = survey_frame["district"].array
    grade = _recode(survey_frame["grade"], _GRADES, "grade", nullable=False)
    out["grade"] = grade
    level_of = [list(SCHOOL_LEVELS).index(lvl) for g in _GRADES for lvl, gs in SCHOOL_LEVELS.items() if g in gs]
    out["school_level"] = pd.Categorical.from_codes(np.array(level_of)[grade.codes],
                                                    categories=list(SCHOOL_LEVELS), ordered=True)
    if "sex" in survey_frame.columns:
        out["sex"] = _recode(survey_frame["sex"], tuple(schemas.SEX), "sex", nullable=True)
    if "weight" in survey_frame.columns:
        w = pd.to_numeric(survey_frame["weight"], errors="coerce").to_numpy(dtype=float)
        if not (np.isfinite(w) & (w > 0)).all():
            raise ValueError("survey column 'weight' must be positive in every row")
        out["weight"] = w
    else:
        out["weight"] = 1.0
    nonresponse = {}
    for ind in inds:
        out[ind.name] = _binary(survey_frame[ind.item], ind)
        nonresponse[ind.name] = int(np.isnan(out[ind.name].to_numpy()).sum())
    out.attrs = {
        "indicators": [i.name for i in inds],
        "item_nonresponse": nonresponse,
        "synthetic": bool(survey_frame.attrs.get("synthetic", False)),
        "weighted": "weight" in survey_frame.columns and not bool(
            (survey_frame["weight"] == 1).all()),
    }
    return out
