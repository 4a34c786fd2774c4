"""Ung i Oslo drug-use trends (notebook 04): indicators, design-based prevalence, change and trend.

Ung i Oslo (NOVA) invites every pupil from grade 8 to VG3; pupils are clustered in
schools, so intervals that treat pupils as independent are too narrow. Everything here is
design-based, in the stages the notebook follows:

1. **Indicators** (:data:`INDICATORS`, :func:`definitions`, :func:`derive`). Binary
   indicators from the raw Ungdata items, one documented mapping. The frequency items are
   positive when the pupil used the substance *at least once in the last 12 months* — the
   Ungdata definition used in FHI's public-health profiles (indicators "Alkohol, har vært
   beruset" and "Har brukt cannabis"; published_figures.md §1). ``pro_legalisation`` is
   positive for "Ja"; "Nei" *and* "Vet ikke" are negative, so "Vet ikke" stays in the
   denominator (the share in favour of all who answered). A missing answer (item
   non-response) is left out of that indicator and counted (:func:`item_nonresponse`); a code
   outside the answer scale raises ``ValueError``.
2. **Prevalence** (:func:`prevalence`) by wave × school level × grade × sex with
   :class:`salto_analysis.survey.Design`: schools are the clusters (PSUs), each wave is a
   stratum of its own (the waves are separate surveys), districts are strata within the
   wave where the design has them (every school in one district, at least two schools per
   district and wave; otherwise the notebook says why not), weights where present. School
   level subtotals (``grade == "all"``) sit in the same table, so one grading protects the
   grades from being worked out from their school level.
3. **Change** between two waves (:func:`changes`): the difference of the two domain shares of
   the *pooled* design, in which the school is the PSU across waves
   (:meth:`salto_analysis.survey.Design.difference` through
   :func:`salto_analysis.change.survey_change`), so the covariance from the same schools
   taking part in both waves is in the standard error (stats_reference.md §4: "if the same
   schools appear in both waves ... model the pooled data with school clusters"); t interval
   and test with ``df = #PSU − #strata`` of the two domains (as R's ``svyby`` domains).
4. **Trend** over all waves (:func:`trends`, :func:`logistic_trend`):
   ``logit P(y=1) = β0 + β1·year``, the weighted maximum-likelihood fit with the
   design-based (Binder 1983) sandwich variance
   ``H⁻¹ [Σ_h n_h/(n_h−1) Σ_k (s_hk − s̄_h)(s_hk − s̄_h)ᵀ] H⁻¹``, schools as PSUs across waves —
   what R's ``svyglm(y ~ wave, family = quasibinomial)`` computes (checked against R in
   tests/test_drug_use.py); t quantiles with ``df = degf − 1`` as ``summary.svyglm``.
   Reported as the odds ratio per year, ``exp(β1)``.
5. **Districts** (:func:`districts`): the latest wave by district with the whole city
   (``"Oslo"``, a total row) in one table.

Benjamini–Hochberg adjustment (:func:`salto_analysis.change.adjust_pvalues`) runs across the
whole change table and the whole trend table (``p_adjusted``), and
:func:`salto_analysis.change.sentence` writes the honest change sentences.

Why the trend is not :func:`salto_analysis.change.survey_trend`: that function fits one
row-level statsmodels GLM per group, which is too slow for the 1,500,000-pupil benchmark
(``benchmarks/bench_drug_use.py`` measures both); here all groups of an indicator are fitted
at once from sufficient statistics (the weighted sums by wave for the fit, the residual sums by
school × wave for the sandwich). It also uses the district strata when the design has them,
and R's ``svyglm`` variance (``G/(G−1)``) where ``survey_trend`` uses statsmodels' correction
(larger by ``sqrt((N−1)/(N−2))``, negligible at these sizes).

Every function returns an *ungraded* estimate table (:mod:`salto_analysis.estimates`); the
notebook grades each with :func:`salto_analysis.reliability.grade` before showing it.
Person-level rows never leave this module: :func:`derive` drops ``pupil_id`` and the tables
hold only domain sums.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps
from scipy.special import expit

from salto_analysis import change, labels, schemas, stats, survey
from salto_analysis.estimates import estimate_table

__all__ = [
    "Indicator",
    "INDICATORS",
    "DEFAULT_INDICATORS",
    "BY_OPTIONS",
    "SCHOOL_LEVELS",
    "ALL_GRADES",
    "CITY",
    "check_options",
    "definitions",
    "derive",
    "prepare",
    "item_nonresponse",
    "prevalence",
    "changes",
    "trends",
    "logistic_trend",
    "districts",
    "label",
    "trend_figures",
    "district_figures",
    "change_sentences",
    "design_note",
    "excluded_note",
    "not_computed_note",
    "deff_note",
    "response_rate_note",
    "nonresponse_note",
    "method_note",
    "district_note",
    "Results",
    "analyse",
    "intro",
    "reading_notes",
]

# --------------------------------------------------------------------------- indicators


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
        return labels.t(f"drug_use.indicator.{self.name}", lang)


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
#: Grouping columns the prevalence table can be split by (besides wave and school level).
BY_OPTIONS: tuple[str, ...] = ("grade", "sex")
#: School levels and their grades (ungdomsskole 8-10, videregående VG1-VG3).
SCHOOL_LEVELS: dict[str, tuple[str, ...]] = {
    "lower_secondary": ("8", "9", "10"),
    "upper_secondary": ("VG1", "VG2", "VG3"),
}
#: ``grade`` value of the school-level subtotal rows (a total label of reliability.Policy).
ALL_GRADES = "all"
#: ``district`` value of the whole-city row (a total label of reliability.Policy).
CITY = "Oslo"
_TOTAL_LABELS = (ALL_GRADES, CITY)
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


def check_options(*, indicators, by, district_breakdown, ci_method, waves=()) -> dict:
    """Check notebook 04's own parameters; raise one ``ParameterError`` naming every bad one.

    ``indicators``: names from :data:`INDICATORS`; ``by``: a list drawn from
    :data:`BY_OPTIONS` (may be empty); ``district_breakdown``: ``True``/``False``;
    ``ci_method``: one of :data:`salto_analysis.survey.CI_METHODS`; ``waves``: a list of
    survey years, empty for all waves in the data (checked against the data by
    :func:`prepare`). Returns the normalised values.
    """
    from salto_analysis.params import ParameterError

    problems, out = [], {}

    def as_list(name, value):
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            problems.append(f"{name}={value!r} must be a list, for example {name}=[{value!r}]")
            return None
        return list(value)

    ind = as_list("indicators", indicators)
    if ind is not None:
        bad = [v for v in ind if v not in INDICATORS]
        if bad or not ind or len(set(ind)) != len(ind):
            why = (f"has unknown indicator(s) {bad}" if bad else "is empty" if not ind else "repeats an indicator")
            problems.append(f"indicators={ind!r} {why}; allowed: {', '.join(INDICATORS)}")
        else:
            out["indicators"] = tuple(ind)
    b = as_list("by", by)
    if b is not None:
        bad = [v for v in b if v not in BY_OPTIONS]
        if bad or len(set(b)) != len(b):
            problems.append(f"by={b!r} must list columns from {', '.join(BY_OPTIONS)} (each at most once); "
                            f"districts are shown with district_breakdown=True")
        else:
            out["by"] = tuple(v for v in BY_OPTIONS if v in b)
    if not isinstance(district_breakdown, (bool, np.bool_)):
        problems.append(f"district_breakdown={district_breakdown!r} must be True or False")
    else:
        out["district_breakdown"] = bool(district_breakdown)
    if ci_method not in survey.CI_METHODS:
        problems.append(f"ci_method={ci_method!r} must be one of {', '.join(survey.CI_METHODS)}")
    else:
        out["ci_method"] = ci_method
    w = as_list("waves", waves)
    if w is not None:
        bad = [v for v in w if isinstance(v, bool) or not isinstance(v, (int, np.integer))]
        if bad:
            problems.append(f"waves={w!r} must be whole survey years such as [2018, 2023], or [] for all waves")
        else:
            out["waves"] = tuple(sorted({int(v) for v in w}))
    if problems:
        head = "notebook parameter " if len(problems) == 1 else f"{len(problems)} notebook parameters are wrong: "
        raise ParameterError(head + "; ".join(problems))
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


# --------------------------------------------------------------------------- analysis frame


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
    and their totals agree. Adds the ``stratum`` column: the wave, or wave × district when
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
    nonresponse = {i: int(frame[i].isna().sum()) for i in attrs["indicators"]}
    strata, why = _strata_decision(frame)
    if strata:
        frame["stratum"] = frame["wave"].to_numpy() * 1000 + _factor(frame["district"])[0]
    else:
        frame["stratum"] = frame["wave"]
    frame.attrs = {
        **attrs,
        "item_nonresponse": nonresponse,
        "waves": chosen,
        "by": [b for b in by],
        "excluded": excluded,
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


# --------------------------------------------------------------------------- item non-response


def item_nonresponse(frame: pd.DataFrame, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Estimate table of the share of pupils who did not answer each item, by wave.

    ``numerator`` is the number of missing answers, ``denominator`` the pupils in the
    analysis frame of the wave; Wilson interval (a plain share of the respondents, not a
    design-based estimate). Ungraded.
    """
    attrs = _frame_attrs(frame)
    names = attrs["indicators"]
    counts = frame[names].isna().groupby(frame["wave"], sort=True).sum()
    pupils = frame.groupby("wave", sort=True).size()
    df = counts.reset_index().melt(id_vars="wave", var_name="indicator", value_name="missing")
    df["pupils"] = df["wave"].map(pupils).astype(np.int64)
    df["missing"] = df["missing"].astype(np.int64)
    df["indicator"] = pd.Categorical(df["indicator"], categories=attrs["indicators"], ordered=True)
    table = stats.proportion_table(df, numerator="missing", denominator="pupils", groups=["indicator", "wave"],
                                   confidence_level=confidence_level, measure="item non-response",
                                   nonadditive=["indicator", "wave"], synthetic=attrs["synthetic"])
    return table


# --------------------------------------------------------------------------- prevalence


def _categorical_grade(values) -> pd.Categorical:
    return pd.Categorical(np.asarray(values, dtype=object), categories=[*_GRADES, ALL_GRADES], ordered=True)


def prevalence(frame: pd.DataFrame, *, confidence_level: float = 0.95, ci_method: str = "korn-graubard"
               ) -> pd.DataFrame:
    """Design-based prevalence of every indicator by wave × school level (× grade) (× sex).

    ``frame`` comes from :func:`prepare`; its ``attrs["by"]`` says whether grade and sex
    split the table. With grade, each school level also has a subtotal row
    (``grade == "all"``). One :meth:`salto_analysis.survey.Design.proportion` pass per
    indicator and level of detail (see the module docstring for the design). Domains in
    which nobody answered the item (an item not asked that wave) are left out and listed
    in ``attrs["no_answers"]``.

    Returns an ungraded estimate table, groups ``indicator, wave, school_level[, grade][, sex]``,
    with ``numerator``, ``denominator``, ``estimate``, ``se``, ``ci_low``, ``ci_high``,
    ``n_eff``, ``deff``, ``df``. ``attrs["nonadditive"]`` is ``["indicator", "wave"]``
    (each indicator and wave is its own table for secondary suppression).
    """
    attrs = _frame_attrs(frame)
    by = attrs["by"]
    with_grade = "grade" in by
    sex = ["sex"] if "sex" in by else []
    design = _design(frame)
    parts, no_answers = [], []
    for name in attrs["indicators"]:
        levels = [["wave", "school_level", "grade", *sex]] if with_grade else []
        levels.append(["wave", "school_level", *sex])
        for k, dom in enumerate(levels):
            t = design.proportion(name, by=dom, confidence_level=confidence_level, ci_method=ci_method)
            t = pd.DataFrame(t)  # drop the per-call attrs
            if with_grade:
                t["grade"] = t["grade"].astype(object) if k == 0 else ALL_GRADES
            t.insert(0, "indicator", name)
            parts.append(t)
    table = pd.concat(parts, ignore_index=True)
    table["indicator"] = pd.Categorical(table["indicator"], categories=attrs["indicators"], ordered=True)
    if with_grade:
        table["grade"] = _categorical_grade(table["grade"])
    groups = ["indicator", "wave", "school_level", *(["grade"] if with_grade else []), *sex]
    empty = table["denominator"] == 0
    if empty.any():
        pairs = table.loc[empty, ["indicator", "wave"]].drop_duplicates()
        no_answers = [(str(i), int(w)) for i, w in pairs.itertuples(index=False)]
    table = table.loc[~empty].sort_values(groups, kind="stable").reset_index(drop=True)
    method = f"Taylor linearisation (R survey), schools as clusters; {ci_method} interval"
    return estimate_table(
        table, groups=groups, kind="proportion", measure="prevalence", unit="proportion", method=method,
        confidence_level=confidence_level, design_based=True, ci_method=ci_method,
        nonadditive=["indicator", "wave"], total_labels=list(_TOTAL_LABELS), synthetic=attrs["synthetic"],
        no_answers=no_answers, design=dict(attrs["design"]),
    )


# --------------------------------------------------------------------------- linearisation helpers


def _factor(values) -> tuple[np.ndarray, int]:
    codes, uniques = pd.factorize(values, sort=True)
    return codes.astype(np.int64), len(uniques)


def _stratum_variance(totals: np.ndarray, psu_stratum: np.ndarray, n_h: np.ndarray) -> np.ndarray:
    """``Σ_h n_h/(n_h−1) Σ_k (t_hk − t̄_h)(t_hk − t̄_h)ᵀ`` for PSU totals ``totals[g, k, :]``.

    ``totals`` has shape (groups, PSUs, p); ``t̄_h`` is the mean over *all* ``n_h`` PSUs of
    stratum ``h`` (PSUs without members of a group contribute zeros, R's domain convention).
    Returns shape (groups, p, p).
    """
    n_groups, n_psu, p = totals.shape
    n_strata = len(n_h)
    onehot = np.zeros((n_psu, n_strata))
    onehot[np.arange(n_psu), psu_stratum] = 1.0
    s1 = np.einsum("gkp,kh->ghp", totals, onehot)  # stratum sums
    s2 = np.einsum("gkp,gkq,kh->ghpq", totals, totals, onehot)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(n_h > 1, n_h / (n_h - 1), 0.0)
        centred = s2 - np.einsum("ghp,ghq->ghpq", s1, s1) / n_h[None, :, None, None]
    return np.einsum("ghpq,h->gpq", centred, scale)


def _psu_structure(cluster: pd.Series, strata: pd.Series | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """PSU code per row, stratum code per row, stratum of each PSU, PSUs per stratum."""
    h, n_strata = _factor(strata) if strata is not None else (np.zeros(len(cluster), np.int64), 1)
    c, _ = _factor(cluster)
    psu, n_psu = _factor(h * (c.max() + 1 if len(c) else 1) + c)
    psu_stratum = np.zeros(n_psu, np.int64)
    psu_stratum[psu] = h
    n_h = np.bincount(psu_stratum, minlength=n_strata).astype(float)
    return psu, h, psu_stratum, n_h


def _domain_df(group: np.ndarray, psu: np.ndarray, psu_stratum: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group: PSUs with members minus strata with members (R's degf of the domain)."""
    n_psu = len(psu_stratum)
    present = np.zeros(n_groups * n_psu, bool)
    present[group * n_psu + psu] = True
    present = present.reshape(n_groups, n_psu)
    strata = np.zeros((n_groups, int(psu_stratum.max()) + 1 if n_psu else 0), bool)
    rows, cols = np.nonzero(present)
    strata[rows, psu_stratum[cols]] = True
    return (present.sum(1) - strata.sum(1)).astype(float)


def _groups(data: pd.DataFrame, by: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Group code per row (−1 where a ``by`` value is missing) and the group keys, sorted."""
    if not by:
        return np.zeros(len(data), np.int64), pd.DataFrame(index=[0])
    grouped = data[by].reset_index(drop=True).groupby(by, observed=True, sort=True)
    codes = grouped.ngroup().to_numpy()
    keys = grouped.size().index.to_frame(index=False)
    return np.where(np.isnan(codes), -1, codes).astype(np.int64), keys


def _check_columns(data: pd.DataFrame, *cols) -> None:
    for col in cols:
        if col is not None and col not in data.columns:
            raise ValueError(f"column {col!r} is not in the data (columns: {list(data.columns)})")


@dataclass(frozen=True)
class _TrendDesign:
    """The parts of a trend fit that do not depend on the variable (built once for many items)."""

    groups: np.ndarray  # group code per row, -1 = a missing by value
    keys: pd.DataFrame  # one row per group
    waves: np.ndarray  # wave code per row
    years: np.ndarray  # the year of each wave code
    weights: np.ndarray
    psu: np.ndarray  # PSU code per row
    psu_stratum: np.ndarray  # stratum of each PSU
    n_h: np.ndarray  # PSUs per stratum


def _trend_design(data: pd.DataFrame, by: list[str], wave: str, cluster: str, strata: str | None,
                  weight: str | None) -> _TrendDesign:
    psu, _, psu_stratum, n_h = _psu_structure(data[cluster], data[strata] if strata else None)
    gcodes, gkeys = _groups(data, by)
    wcodes, wave_values = pd.factorize(data[wave], sort=True)
    w = data[weight].to_numpy(dtype=float) if weight else np.ones(len(data))
    return _TrendDesign(gcodes, gkeys, np.asarray(wcodes, np.int64), np.asarray(wave_values, dtype=float), w, psu,
                        psu_stratum, n_h)


def _fit_trend(td: _TrendDesign, y_all: np.ndarray, level: float, max_iter: int = 50) -> pd.DataFrame:
    """Weighted logistic fit on the year and its design-based sandwich, for every group at once."""
    n_groups, n_w, n_psu = len(td.keys), len(td.years), len(td.psu_stratum)
    valid = ~np.isnan(y_all) & (td.groups >= 0)
    g, y, k, wc, ww = td.groups[valid], y_all[valid], td.psu[valid], td.waves[valid], td.weights[valid]
    t = td.years - td.years.mean() if n_w else td.years
    X = np.stack([np.ones(n_w), t], axis=1)  # (waves, 2)
    gw = g * n_w + wc
    W = np.bincount(gw, weights=ww, minlength=n_groups * n_w).reshape(n_groups, n_w)
    Y = np.bincount(gw, weights=ww * y, minlength=n_groups * n_w).reshape(n_groups, n_w)
    beta = np.zeros((n_groups, 2))
    converged = np.zeros(n_groups, bool)
    cov = np.full((n_groups, 2, 2), np.nan)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        p0 = Y.sum(1) / W.sum(1)
        beta[:, 0] = np.log(p0 / (1 - p0))
        fit = np.isfinite(beta[:, 0]) & ((W > 0).sum(1) >= 2)  # both outcomes, two waves or more
        for _ in range(max_iter):
            mu = expit(beta @ X.T)  # (groups, waves)
            score = (Y - W * mu) @ X
            hess = np.einsum("gw,wp,wq->gpq", W * mu * (1 - mu), X, X)
            step = np.zeros_like(beta)
            step[fit] = np.linalg.solve(hess[fit], score[fit][..., None])[..., 0]
            beta = beta + step
            converged = fit & np.all(np.abs(step) < 1e-10, axis=1)
            if (converged == fit).all():
                break
        mu = expit(beta @ X.T)
        hess = np.einsum("gw,wp,wq->gpq", W * mu * (1 - mu), X, X)
        # score totals by PSU: the residual sums by (group, PSU, wave) times x of the wave
        key = (g * n_psu + k) * n_w + wc
        size = n_groups * n_psu * n_w
        resid = (np.bincount(key, weights=ww * y, minlength=size).reshape(n_groups, n_psu, n_w)
                 - np.bincount(key, weights=ww, minlength=size).reshape(n_groups, n_psu, n_w) * mu[:, None, :])
        meat = _stratum_variance(resid @ X, td.psu_stratum, td.n_h)
        if converged.any():
            bread = np.linalg.inv(hess[converged])
            cov[converged] = bread @ meat[converged] @ bread
        df = _domain_df(g, k, td.psu_stratum, n_groups) - 1
        b1 = beta[:, 1]
        se = np.sqrt(cov[:, 1, 1])
        ok = converged & np.isfinite(se) & (se > 0) & (df > 0)
        q = sps.t.ppf(0.5 + level / 2, np.where(ok, df, np.nan))
        pval = 2 * sps.t.sf(np.abs(b1 / se), np.where(ok, df, np.nan))
    out = td.keys.copy()
    out["numerator"] = np.bincount(g, weights=y, minlength=n_groups).round().astype(np.int64)
    out["denominator"] = np.bincount(g, minlength=n_groups)
    out["estimate"] = np.where(ok, np.exp(b1), np.nan)
    out["se"] = np.where(ok, se, np.nan)
    out["ci_low"] = np.where(ok, np.exp(b1 - q * se), np.nan)
    out["ci_high"] = np.where(ok, np.exp(b1 + q * se), np.nan)
    out["df"], out["p_value"] = np.where(df > 0, df, np.nan), np.where(ok, pval, np.nan)
    out.attrs["not_converged"] = int((fit & ~converged).sum())
    return out


_TREND_METHOD = ("survey-weighted logistic regression on the year, design-based sandwich variance with schools as "
                 "PSUs (R svyglm, quasibinomial); t interval and test")


def logistic_trend(data: pd.DataFrame, variable: str, *, by: Sequence[str] = (), wave: str = "wave",
                   cluster: str = "school_id", strata: str | None = None, weight: str | None = "weight",
                   confidence_level: float = 0.95, max_iter: int = 50) -> pd.DataFrame:
    """Trend of a 0/1 ``variable`` over waves: survey-weighted logistic regression on the year.

    For each ``by`` group, ``logit P(y=1) = β0 + β1·(year − ȳ)`` is fitted by weighted
    maximum likelihood (Newton–Raphson on the weighted sums by wave, which are sufficient
    because the only covariate is the wave). The variance is the design-based sandwich of
    R's ``svyglm`` (Binder 1983): ``H⁻¹ V H⁻¹`` with ``H = Σ w μ(1−μ) x xᵀ`` and ``V`` the
    with-replacement variance of the PSU totals of the scores ``w·x·(y − μ)``, centred within
    strata, times ``n_h/(n_h−1)``. PSUs are ``cluster`` (the school) across all waves; a
    group's PSUs without members count in ``n_h`` (R's domain convention). Interval and
    test use ``t`` with ``df = #PSU − #strata − 1`` of the group (R's ``summary.svyglm``:
    degf + 1 − number of coefficients). A group without both outcomes or with fewer than
    two waves gets no estimate.

    Returns an ungraded estimate table of kind ``ratio``: ``estimate`` is the odds ratio per
    year ``exp(β1)`` with its interval; ``se`` is the standard error of ``β1`` (log scale);
    ``numerator``/``denominator`` are the positives and answers summed over waves.
    """
    level = stats.check_confidence_level(confidence_level)
    by = list(by)
    _check_columns(data, variable, wave, cluster, strata, weight, *by)
    td = _trend_design(data, by, wave, cluster, strata, weight)
    out = _fit_trend(td, data[variable].to_numpy(dtype=float), level, max_iter)
    return estimate_table(
        out, groups=by, kind="ratio", measure="odds ratio per year", unit="odds ratio", method=_TREND_METHOD,
        confidence_level=level, design_based=True, waves=[int(v) for v in td.years],
        not_converged=out.attrs["not_converged"],
    )


# --------------------------------------------------------------------------- change and trend tables


def _group_columns(frame: pd.DataFrame) -> list[str]:
    return ["school_level", *(["sex"] if "sex" in frame.attrs["by"] else [])]


def _blocked(shown: pd.DataFrame, groups: list[str], waves: Iterable[int]) -> set[tuple]:
    """(indicator, *group values) with a suppressed school-level prevalence row in ``waves``."""
    if not shown.attrs.get("graded"):
        raise ValueError("prevalence= must be the graded prevalence table (reliability.grade(prevalence(...)))")
    sub = shown
    if "grade" in sub.columns:
        sub = sub[sub["grade"].astype(object) == ALL_GRADES]
    sub = sub[sub["wave"].isin(list(waves)) & (sub["flag"] == "suppressed")]
    return {tuple(str(v) for v in r) for r in sub[["indicator", *groups]].itertuples(index=False)}


def _drop_blocked(table: pd.DataFrame, groups: list[str], blocked: set) -> tuple[pd.DataFrame, list]:
    keys = [tuple(str(v) for v in r) for r in table[["indicator", *groups]].itertuples(index=False)]
    drop = np.array([k in blocked for k in keys], dtype=bool)
    out = table.loc[~drop].reset_index(drop=True)
    out.attrs = dict(table.attrs)
    return out, [k for k, d in zip(keys, drop) if d]


def changes(frame: pd.DataFrame, prevalence: pd.DataFrame | None = None, *, confidence_level: float = 0.95,
            wave_from: int | None = None, wave_to: int | None = None) -> pd.DataFrame:
    """Change in every indicator between two waves (default: the last two) by school level (× sex).

    :func:`wave_difference` for each indicator (schools as PSUs across the two waves,
    districts as strata when the prevalence design has them), then Benjamini–Hochberg across
    the whole table (:func:`adjust_bh`). With ``prevalence`` (the *graded* prevalence table),
    a group is computed only where both shares are shown there (not suppressed), so the
    change cannot reveal a withheld share; the others are listed in ``attrs["not_computed"]``.
    Returns an ungraded estimate table (kind ``difference``), or an empty one when fewer than
    two waves are selected.
    """
    attrs = _frame_attrs(frame)
    waves = attrs["waves"]
    wave_from = waves[-2] if wave_from is None and len(waves) > 1 else wave_from
    wave_to = waves[-1] if wave_to is None else wave_to
    groups = _group_columns(frame)
    parts = []
    if wave_from is not None and wave_from != wave_to:
        design = _pooled_design(frame)
        for name in attrs["indicators"]:
            t = pd.DataFrame(change.survey_change(design, name, over="wave", from_level=wave_from, to_level=wave_to,
                                                  by=groups, confidence_level=confidence_level))
            t.insert(0, "indicator", name)
            parts.append(t)
    cols = ["indicator", *groups, "numerator", "denominator", "numerator_ref", "denominator_ref", "estimate",
            "ci_low", "ci_high", "se", "df", "p_value", "estimate_ref", "estimate_to"]
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
    table["indicator"] = pd.Categorical(table["indicator"], categories=attrs["indicators"], ordered=True)
    table = table[(table["denominator"] > 0) & (table["denominator_ref"] > 0)] if len(table) else table
    not_computed = []
    if prevalence is not None and len(table):
        table, not_computed = _drop_blocked(table, groups, _blocked(prevalence, groups, [wave_from, wave_to]))
    table = estimate_table(
        table.reset_index(drop=True), groups=["indicator", *groups], kind="difference",
        measure=f"change {wave_from}-{wave_to}", unit="proportion difference",
        method="difference of two domain shares of the pooled design (schools as PSUs across waves, covariance "
               "included; survey.Design.difference); t interval and test", confidence_level=confidence_level,
        design_based=True, wave_from=wave_from, wave_to=wave_to, synthetic=attrs["synthetic"],
        not_computed=not_computed,
    )
    return change.adjust_pvalues(table, method="fdr_bh")


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


def trends(frame: pd.DataFrame, prevalence: pd.DataFrame | None = None, *, confidence_level: float = 0.95
           ) -> pd.DataFrame:
    """Trend of every indicator over all selected waves by school level (× sex).

    :func:`logistic_trend` per indicator (odds ratio per year, schools as PSUs across waves,
    districts as strata when the prevalence design has them), then Benjamini–Hochberg across
    the whole table. With ``prevalence`` (graded), a group is computed only if none of its
    shares in any wave is suppressed. Needs at least two waves; otherwise the table is empty.
    """
    attrs = _frame_attrs(frame)
    groups = _group_columns(frame)
    strata = _pooled_strata(frame)
    parts = []
    if len(attrs["waves"]) > 1:
        level = stats.check_confidence_level(confidence_level)
        td = _trend_design(frame, groups, "wave", "school_id", strata, "weight")
        for name in attrs["indicators"]:
            t = pd.DataFrame(_fit_trend(td, frame[name].to_numpy(dtype=float), level))
            t.insert(0, "indicator", name)
            parts.append(t)
    cols = ["indicator", *groups, "numerator", "denominator", "estimate", "se", "ci_low", "ci_high", "df", "p_value"]
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
    table["indicator"] = pd.Categorical(table["indicator"], categories=attrs["indicators"], ordered=True)
    not_computed = []
    if prevalence is not None and len(table):
        table, not_computed = _drop_blocked(table, groups, _blocked(prevalence, groups, attrs["waves"]))
    waves = attrs["waves"]
    table = estimate_table(
        table.reset_index(drop=True), groups=["indicator", *groups], kind="ratio", measure="odds ratio per year",
        unit="odds ratio", method=_TREND_METHOD, confidence_level=confidence_level,
        design_based=True, wave_from=waves[0], wave_to=waves[-1], synthetic=attrs["synthetic"],
        not_computed=not_computed,
    )
    return change.adjust_pvalues(table, method="fdr_bh")


# --------------------------------------------------------------------------- districts


def districts(frame: pd.DataFrame, *, wave: int | None = None, confidence_level: float = 0.95,
              ci_method: str = "korn-graubard") -> pd.DataFrame:
    """Prevalence of every indicator by district in one wave (default the latest), with the whole city.

    Domains of the prevalence design (:func:`prevalence`), so the district intervals carry
    the school clustering; the city row (``district == "Oslo"``, a total row for secondary
    suppression) is the whole wave. Each wave is a stratum of that design, so the wave's own
    rows give exactly the same estimates, variances and degrees of freedom as the domains of
    the pooled design; only they are used. Districts are in code order (never ranked).
    Ungraded; many rows will be flagged, which the notebook shows.
    """
    attrs = _frame_attrs(frame)
    if "district" not in frame.columns:
        raise ValueError("the survey has no district column, so district_breakdown=True cannot be used")
    wave = attrs["waves"][-1] if wave is None else int(wave)
    if wave not in attrs["waves"]:
        raise ValueError(f"wave={wave!r} is not among the selected waves {attrs['waves']}")
    one = frame.loc[frame["wave"].to_numpy() == wave]
    design = _design(one)
    seen = {str(d) for d in pd.unique(one["district"].dropna())}
    order = [d for d in schemas.district_names() if d in seen]
    cats = [*order, *sorted(seen - set(order)), CITY]
    parts = []
    for name in attrs["indicators"]:
        t = pd.DataFrame(design.proportion(name, by=["district"], confidence_level=confidence_level,
                                           ci_method=ci_method))
        c = pd.DataFrame(design.proportion(name, confidence_level=confidence_level, ci_method=ci_method))
        c.insert(0, "district", CITY)
        t = pd.concat([t, c], ignore_index=True)
        t["district"] = pd.Categorical(t["district"].astype(object), categories=cats, ordered=True)
        t.insert(0, "indicator", name)
        parts.append(t)
    table = pd.concat(parts, ignore_index=True)
    table["indicator"] = pd.Categorical(table["indicator"], categories=attrs["indicators"], ordered=True)
    table = table[table["denominator"] > 0].sort_values(["indicator", "district"]).reset_index(drop=True)
    return estimate_table(
        table, groups=["indicator", "district"], kind="proportion", measure=f"prevalence by district {wave}",
        unit="proportion", method=f"Taylor linearisation (R survey), schools as clusters; {ci_method} interval",
        confidence_level=confidence_level, design_based=True, ci_method=ci_method, nonadditive=["indicator"],
        total_labels=list(_TOTAL_LABELS), synthetic=attrs["synthetic"], wave=wave,
    )


# --------------------------------------------------------------------------- display helpers


def _value_text(column: str, value, lang: str) -> str:
    value = str(value)
    if column == "indicator" and value in INDICATORS:
        return INDICATORS[value].label(lang)
    if column == "school_level" and value in SCHOOL_LEVELS:
        return labels.t(f"drug_use.school_level.{value}", lang)
    if column == "grade" and value == ALL_GRADES:
        return labels.t("drug_use.grade.all", lang)
    if column == "grade" and value in schemas.GRADE:
        pair = schemas.GRADE[value]
        return pair[0] if lang == "nb" else pair[1]
    return value


def label(table: pd.DataFrame, lang: str = "nb") -> pd.DataFrame:
    """A copy of a (graded) table with ``indicator``, ``school_level`` and ``grade`` in words.

    The codes become ordered categoricals of their labels in ``lang`` (the order of the
    codes is kept); every other column and ``attrs`` are unchanged. Use it for what is
    shown and recorded; compute on the coded tables.
    """
    labels.check_lang(lang)
    out = table.copy()
    for col in ("indicator", "school_level", "grade"):
        if col not in out.columns:
            continue
        s = out[col]
        cats = list(s.cat.categories) if isinstance(s.dtype, pd.CategoricalDtype) else list(pd.unique(s))
        mapping = {c: _value_text(col, c, lang) for c in cats}
        out[col] = pd.Categorical(s.astype(object).map(mapping), categories=list(dict.fromkeys(mapping.values())),
                                  ordered=True)
    out.attrs = dict(table.attrs)
    return out


def _group_label(school_level: str, sex, lang: str) -> str:
    text = labels.t(f"drug_use.school_level.{school_level}", lang)
    if sex is not None and not pd.isna(sex):
        text += ", " + labels.t(f"drug_use.sex.{sex}", lang)
    return text


def trend_figures(prevalence: pd.DataFrame, lang: str = "nb") -> list:
    """One line figure per indicator: share over waves by school level (× sex), with interval ribbons.

    Takes the *graded* prevalence table (coded, not :func:`label`-ed). Uses the school-level
    rows; :func:`salto_analysis.plots.estimates` draws uncertain points faded and leaves
    suppressed points out with a note under the figure.
    """
    from salto_analysis import plots

    labels.check_lang(lang)
    sub = prevalence
    if "grade" in sub.columns:
        sub = sub[sub["grade"].astype(object) == ALL_GRADES]
    figures = []
    has_sex = "sex" in sub.columns
    waves = sorted(int(w) for w in sub["wave"].unique())
    for name in [c for c in sub["indicator"].cat.categories if (sub["indicator"] == c).any()]:
        part = sub[sub["indicator"] == name].copy()
        grp = [_group_label(lv, sx if has_sex else None, lang)
               for lv, sx in zip(part["school_level"].astype(object),
                                 part["sex"].astype(object) if has_sex else [None] * len(part))]
        order = [_group_label(lv, sx, lang) for lv in SCHOOL_LEVELS
                 for sx in (schemas.SEX if has_sex else [None])]
        part["group"] = pd.Categorical(grp, categories=order, ordered=True)
        part.attrs = dict(prevalence.attrs)
        fig = plots.estimates(part, x="wave", group="group", kind="line", lang=lang,
                              title=INDICATORS[name].label(lang), xlabel=labels.t("drug_use.fig.wave", lang))
        fig.axes[0].set_xticks(waves)
        figures.append(fig)
    return figures


def district_figures(table: pd.DataFrame, lang: str = "nb") -> list:
    """One point figure per indicator: each district with its interval, the whole city as a band.

    Takes the *graded* district table. Districts stay in code order; the city estimate is a
    horizontal line with its interval as a shaded band (when the city row is shown).
    """
    from salto_analysis import plots

    labels.check_lang(lang)
    figures = []
    level = f"{100 * table.attrs.get('confidence_level', 0.95):g}".replace(".", "," if lang == "nb" else ".")
    for name in [c for c in table["indicator"].cat.categories if (table["indicator"] == c).any()]:
        part = table[table["indicator"] == name]
        city = part[part["district"].astype(object) == CITY]
        part = part[part["district"].astype(object) != CITY].copy()
        part["district"] = part["district"].cat.remove_unused_categories()
        part.attrs = dict(table.attrs)
        fig = plots.estimates(part, x="district", kind="point", lang=lang, figsize=(8.0, 4.4),
                              title=labels.t("drug_use.fig.district", lang, indicator=INDICATORS[name].label(lang),
                                             wave=table.attrs.get("wave", "")))
        ax = fig.axes[0]
        if len(city) and city["flag"].iat[0] != "suppressed":
            est, lo, hi = (100 * float(city[c].iat[0]) for c in ("estimate", "ci_low", "ci_high"))
            ax.axhspan(lo, hi, color="#999999", alpha=0.2, linewidth=0, zorder=0)
            ax.axhline(est, color="#444444", linestyle="--", linewidth=1.2, zorder=1,
                       label=labels.t("drug_use.fig.city", lang, level=level))
            handles, _ = ax.get_legend_handles_labels()
            ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
        figures.append(fig)
    return figures


def change_sentences(table: pd.DataFrame, lang: str = "nb") -> str:
    """The honest change sentences of a graded change table, one Markdown bullet per row.

    Each bullet names the group in bold, then the sentence of
    :func:`salto_analysis.change.sentence`, which uses the Benjamini–Hochberg-adjusted
    p-value: a change whose adjusted p-value is not below ``1 − confidence_level`` is reported
    as within chance variation, a withheld one as ``:``.
    """
    labels.check_lang(lang)
    lines = []
    has_sex = "sex" in table.columns
    level = table.attrs.get("confidence_level", 0.95)
    subject = labels.t("drug_use.share_subject", lang)
    for _, row in table.iterrows():
        group = _group_label(str(row["school_level"]), row["sex"] if has_sex else None, lang)
        name = f"{INDICATORS[str(row['indicator'])].label(lang)}, {group[:1].lower()}{group[1:]}"
        text = change.sentence(row, lang=lang, subject=subject, unit="points", confidence_level=level)
        lines.append(f"- **{name}:** {text}.")
    return "\n".join(lines)


def design_note(frame: pd.DataFrame, lang: str = "nb") -> str:
    """One sentence on the design used: clusters, strata (or why none), weights."""
    d = _frame_attrs(frame)["design"]
    weights = labels.t("drug_use.note.weights" if d["weighted"] else "drug_use.note.no_weights", lang)
    if d["district_strata"]:
        return labels.t("drug_use.note.design.strata", lang, weights=weights)
    return labels.t("drug_use.note.design.no_strata", lang, weights=weights,
                    why=labels.t(f"drug_use.note.why.{d['why_not']}", lang))


def excluded_note(frame: pd.DataFrame, lang: str = "nb") -> str:
    """How many pupils were left out of every table, and why."""
    from salto_analysis import tables

    excluded = {k: v for k, v in _frame_attrs(frame)["excluded"].items() if v}
    if not excluded:
        return labels.t("drug_use.note.excluded_none", lang)
    return " ".join(labels.t("drug_use.note.excluded", lang, n=tables.format_number(v, 0, lang),
                             what=tables.column_label(k, lang).lower()) for k, v in excluded.items())


def not_computed_note(table: pd.DataFrame, lang: str = "nb") -> str | None:
    """The groups a change or trend table left out because a share was withheld (or ``None``)."""
    items = table.attrs.get("not_computed") or []
    if not items:
        return None
    texts = []
    for key in items:
        ind, level, *rest = key
        group = _group_label(level, rest[0] if rest else None, lang)
        texts.append(f"{INDICATORS[ind].label(lang)} ({group[:1].lower()}{group[1:]})")
    return labels.t("drug_use.note.not_computed", lang, groups="; ".join(texts))


def deff_note(prevalence: pd.DataFrame, lang: str = "nb") -> str:
    """The one-sentence design-effect explanation, with the median design effect of the shown rows.

    The median is over the most detailed shown rows (grades when the table has them, else
    school levels); it is left out when no row with a design effect is shown.
    """
    from salto_analysis import tables

    text = labels.t("drug_use.reading.deff", lang)
    shown = prevalence[(prevalence["flag"] != "suppressed") & prevalence["deff"].notna()]
    if "grade" in shown.columns and (shown["grade"].astype(object) != ALL_GRADES).any():
        shown = shown[shown["grade"].astype(object) != ALL_GRADES]
    if not len(shown):
        return text
    deff = float(np.median(shown["deff"]))
    n = float(np.median(shown["denominator"]))
    return text + " " + labels.t("drug_use.reading.deff_median", lang, deff=tables.format_number(deff, 1, lang),
                                 n=tables.format_number(round(n, -1), 0, lang),
                                 n_eff=tables.format_number(round(n / deff, -1) if deff > 0 else n, 0, lang))


def response_rate_note(survey_frame: pd.DataFrame, lang: str = "nb") -> str:
    """The response rate by wave when the data has it, else a sentence saying it is not in the data.

    The survey schema has no invitation counts; a response rate is taken from
    ``attrs["response_rate"]`` (a mapping wave → share) when a loader or the analyst
    provides it.
    """
    from salto_analysis import tables

    rates = survey_frame.attrs.get("response_rate")
    if not rates:
        return labels.t("drug_use.reading.no_response_rate", lang)
    parts = [f"{w}: {tables.format_number(100 * float(r), 0, lang)} %" for w, r in sorted(dict(rates).items())]
    return labels.t("drug_use.reading.response_rate", lang, rates=", ".join(parts))


# --------------------------------------------------------------------------- the notebook page


@dataclass
class Results:
    """Every graded table of notebook 04, with the page language and the analysis frame's facts.

    The tables are coded (``indicator`` names, ``school_level`` codes); :meth:`table`
    gives the labelled copy that is shown and recorded. ``districts`` is ``None`` without
    the district breakdown; ``change`` and ``trend`` are empty with a single wave.
    """

    lang: str
    waves: list[int]
    indicators: list[str]
    nonresponse: pd.DataFrame
    prevalence: pd.DataFrame
    change: pd.DataFrame
    trend: pd.DataFrame
    districts: pd.DataFrame | None

    _TITLES = {"nonresponse": "drug_use.t.nonresponse", "prevalence": "drug_use.t.prevalence",
               "latest": "drug_use.t.prevalence_latest", "change": "drug_use.t.change",
               "trend": "drug_use.t.trend", "districts": "drug_use.t.districts", "headline": "drug_use.t.prevalence_latest"}

    def _fields(self) -> dict:
        return {"wave": self.waves[-1], "wave_from": self.waves[-2] if len(self.waves) > 1 else self.waves[-1],
                "wave_to": self.waves[-1]}

    def title(self, name: str) -> str:
        """The title of table ``name`` in the page's language."""
        fields = self._fields()
        if name == "trend":
            fields["wave_from"] = self.waves[0]
        return labels.t(self._TITLES[name], self.lang, **fields)

    def table(self, name: str) -> pd.DataFrame:
        """The labelled graded table ``name``: one of ``nonresponse``, ``prevalence``, ``latest``
        (the prevalence rows of the latest wave), ``change``, ``trend``, ``districts`` or
        ``headline`` (the latest wave's school-level rows of cannabis and cocaine, or of the
        first two indicators). Row subsets of a graded table are still graded."""
        if name in ("latest", "headline"):
            t = self.prevalence[self.prevalence["wave"] == self.waves[-1]]
            if name == "headline":
                if "grade" in t.columns:
                    t = t[t["grade"].astype(object) == ALL_GRADES]
                pick = [i for i in ("cannabis", "cocaine") if i in self.indicators] or self.indicators[:2]
                t = t[t["indicator"].astype(object).isin(pick)]
            t = t.reset_index(drop=True)
            t.attrs = dict(self.prevalence.attrs)
        else:
            t = getattr(self, name)
            if t is None:
                raise ValueError(f"table {name!r} was not computed (district_breakdown=False)")
        return label(t, self.lang)

    def shown(self) -> list[tuple[str, pd.DataFrame]]:
        """(title, labelled table) of every table on the page, for the warning box."""
        names = ["nonresponse", "prevalence", "change", "trend"] + (["districts"] if self.districts is not None else [])
        return [(self.title(n), self.table(n)) for n in names]


def analyse(frame: pd.DataFrame, policy, *, confidence_level: float = 0.95, ci_method: str = "korn-graubard",
            district_breakdown: bool = False) -> Results:
    """Compute and grade every table of notebook 04 with ``policy`` (a :class:`reliability.Policy`).

    Item non-response, prevalence, change between the last two waves, trend over all
    waves and (with ``district_breakdown``) the latest wave by district. Change and trend
    use the *graded* prevalence so they are computed only where the shares they rest on
    can be shown (see :func:`changes`).
    """
    from salto_analysis import reliability

    attrs = _frame_attrs(frame)
    kw = {"confidence_level": confidence_level}
    prev = reliability.grade(prevalence(frame, ci_method=ci_method, **kw), policy)
    return Results(
        lang=policy.lang,
        waves=list(attrs["waves"]),
        indicators=list(attrs["indicators"]),
        nonresponse=reliability.grade(item_nonresponse(frame, **kw), policy),
        prevalence=prev,
        change=reliability.grade(changes(frame, prev, **kw), policy),
        trend=reliability.grade(trends(frame, prev, **kw), policy),
        districts=reliability.grade(districts(frame, ci_method=ci_method, **kw), policy) if district_breakdown
        else None,
    )


def intro(frame: pd.DataFrame, lang: str = "nb") -> str:
    """The page's opening sentence: what it shows, for which indicators and waves."""
    attrs = _frame_attrs(frame)
    names = ", ".join(INDICATORS[i].label(lang).lower() for i in attrs["indicators"])
    return labels.t("drug_use.intro", lang, indicators=names, waves=", ".join(map(str, attrs["waves"])))


def reading_notes(survey_frame: pd.DataFrame, frame: pd.DataFrame, results: Results, min_count: int) -> str:
    """The reading notes as Markdown: census survey, response rate, design, design effect, flags."""
    lang = results.lang
    parts = [labels.t("drug_use.reading.census", lang), response_rate_note(survey_frame, lang),
             design_note(frame, lang), deff_note(results.prevalence, lang),
             labels.t("drug_use.reading.flags", lang, min_count=min_count)]
    return "\n\n".join(p for p in parts if p)


def nonresponse_note(frame: pd.DataFrame, lang: str = "nb") -> str:
    """Who is left out of every table, and how item non-response is handled."""
    return excluded_note(frame, lang) + " " + labels.t("drug_use.note.nonresponse", lang)


def method_note(results: Results) -> str:
    """How change and trend were computed, with the Benjamini–Hochberg families and skipped groups."""
    lang = results.lang
    n_change = results.change.attrs.get("p_adjustment", {}).get("n_tests", 0)
    n_trend = results.trend.attrs.get("p_adjustment", {}).get("n_tests", 0)
    text = labels.t("drug_use.note.change", lang, wave_from=results.waves[-2], wave_to=results.waves[-1],
                    wave_first=results.waves[0], n_change=n_change, n_trend=n_trend)
    skipped = [n for n in (not_computed_note(results.change, lang), not_computed_note(results.trend, lang)) if n]
    return "\n\n".join([text, *skipped])


def district_note(lang: str = "nb") -> str:
    """What the district figures can and cannot say."""
    return labels.t("drug_use.note.districts", lang,
                    district_meaning=labels.t("drug_use.note.district_meaning", lang))
