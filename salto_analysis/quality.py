"""The data page of the briefing: what the numbers rest on, and what to check first.

:func:`build` gathers everything ``notebooks/00_data_quality.ipynb`` shows for
the inputs loaded by :func:`salto_analysis.io.load_all`, for the data up to and
including the reporting year:

* **row accounting** per input file (:func:`salto_analysis.io.accounting_table`):
  rows read, kept, excluded from the analysis by reason, and the loaders' notices;
* **synthetic-data status** per input (``meta_of(df).synthetic``);
* **coverage**: registered cases per year (:func:`cases_by_year`), register rows
  in the analysis by year and home district,
  population aged 10–22 by year and district, survey respondents by wave and
  district (:func:`register_coverage`, :func:`population_coverage`,
  :func:`survey_coverage`);
* **missing values** per column (:func:`missing_values`);
* **checks** a reviewer would want (:func:`checks`).

Small numbers
-------------
The data page follows the same rules as every page. Coverage counts and missing
values count persons (or registrations of persons), so they are estimate tables
graded by the page (:class:`salto_analysis.page.Page`) with the notebook's policy:
counts from 1 to ``min_count − 1`` are shown as ``:``.

Two kinds of number are shown as they are, by decision:

* the **row accounting** counts rows of the input *files*, not persons; the reasons
  describe the processing (blank rows, ages outside 10–22), every count is a
  city-wide total with no breakdown by district, year or age, and a reviewer
  needs the exact numbers to reconcile the files with their source
  (this is also how :func:`salto_analysis.io.accounting_table` documents them);
* the **number of schools** per survey wave is a count of schools, the survey's
  clusters, which decides the design's degrees of freedom.

Counts that a check quotes (registrations in a year) are city-wide totals; a
count from 1 to ``min_count − 1`` is still written ``:``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salto_analysis import formatting, labels, plots, report, schemas, stats, tables
from salto_analysis.estimates import with_meta
from salto_analysis.page import Page
from salto_analysis.policy import Policy

__all__ = [
    "QualityPage",
    "TABLES",
    "build",
    "synthetic_status",
    "is_synthetic",
    "accounting",
    "cases_by_year",
    "register_coverage",
    "population_coverage",
    "survey_coverage",
    "missing_values",
    "complete_columns",
    "checks",
    "check_year_volumes",
    "check_latest_year_complete",
    "check_population_districts",
    "check_unknown_district",
    "check_survey_schools",
    "LOW_VOLUME_RATIO",
    "MIN_SCHOOLS",
    "MAX_UNKNOWN_DISTRICT_SHARE",
]

#: A year whose registrations are below this share of the median of the
#: neighbouring years (or above its inverse) is reported as unusual.
LOW_VOLUME_RATIO = 0.5
#: Waves with fewer schools have fewer than 8 degrees of freedom (schools − 1 in a
#: cluster design without strata), which the NCHS proportion standard flags for review.
MIN_SCHOOLS = 9
#: Above this share of register rows with unknown home district, district rates are too low.
MAX_UNKNOWN_DISTRICT_SHARE = 0.05
_UNKNOWN_DISTRICT = "Uoppgitt"
_INPUTS = ("register", "population", "survey")


# --------------------------------------------------------------------------- helpers


def _frames(inputs) -> dict[str, pd.DataFrame | None]:
    """``{kind: frame}`` from :class:`salto_analysis.io.Inputs`, a mapping or a sequence of frames."""
    if hasattr(inputs, "_asdict"):
        inputs = inputs._asdict()
    if isinstance(inputs, Mapping):
        bad = [k for k in inputs if k not in _INPUTS]
        if bad:
            raise ValueError(f"inputs has unknown kind(s) {bad}; use {', '.join(_INPUTS)}")
        return {k: inputs.get(k) for k in _INPUTS}
    raise ValueError(f"inputs must be salto_analysis.io.Inputs or a mapping of frames, got {type(inputs).__name__}")


def _year_values(frame: pd.DataFrame, column: str) -> pd.Series:
    return pd.to_numeric(frame[column], errors="coerce")


def _up_to(frame: pd.DataFrame, column: str, year: int) -> pd.DataFrame:
    return frame[_year_values(frame, column).le(year).to_numpy(dtype=bool, na_value=False)]


def _in_scope(register: pd.DataFrame) -> pd.DataFrame:
    if "in_scope" in register.columns:
        return register[register["in_scope"].to_numpy(dtype=bool, na_value=False)]
    return register


def _count(n, min_count: int, lang: str) -> str:
    """A city-wide count for a check's text; 1..min_count-1 is written ':'."""
    n = int(n)
    return formatting.SUPPRESSED if 1 <= n < min_count else formatting.number(n, 0, lang)


# --------------------------------------------------------------------------- pieces


def synthetic_status(inputs) -> dict[str, bool]:
    """``{kind: True/False}`` for the inputs present, from the loaders' ``attrs["synthetic"]``."""
    return {k: bool(f.attrs.get("synthetic", False)) for k, f in _frames(inputs).items() if f is not None}


def is_synthetic(inputs) -> bool:
    """True if any input is synthetic: the page and its figures then carry the banner."""
    return any(synthetic_status(inputs).values())


def accounting(inputs, lang: str = "nb", min_count: int = 5) -> pd.DataFrame:
    """The loaders' row accounting of every input: ``input``, ``file``, ``item``, ``rows``.

    Rows of the files, shown as they are (see the module docstring), with one exception:
    a loader's notice (rows that stay in the data but have something to say, for example
    survey pupils who answered none of the items) counts *persons* when the file has one
    row per person, and takes part in no sum of the accounting. A notice of 1 to
    ``min_count − 1`` rows is therefore written "fewer than ``min_count``" in the item
    and its count left blank (issue 11). The stable ``key`` column of
    :func:`salto_analysis.io.accounting_table` is left out of the display.
    """
    from salto_analysis import io

    frames = [f for f in _frames(inputs).values() if f is not None]
    table = io.accounting_table(frames, lang)
    small = table["key"].str.startswith("notice.") & table["rows"].between(1, min_count - 1).fillna(False)
    if small.any():
        few = labels.t("quality.fewer_than", lang, min_count=min_count)
        table.loc[small, "item"] = table.loc[small, "item"] + ": " + few
        table.loc[small, "rows"] = pd.NA
    return table[["input", "file", "item", "rows"]].reset_index(drop=True)


def _cases_per_year(register: pd.DataFrame, year: int) -> pd.Series:
    """Distinct cases with a person aged 10–22 per year, from the register's first year to ``year``;
    a year of that span without a case counts 0 (a gap is what the volume check looks for)."""
    reg = _up_to(_in_scope(register), "year", year)
    per_year = reg.groupby(reg["year"].astype("int64"))["case_id"].nunique()
    years = pd.to_numeric(register["year"], errors="coerce").dropna()
    if len(years) and int(years.min()) <= year:
        per_year = per_year.reindex(range(int(years.min()), year + 1), fill_value=0)
    return per_year.astype("int64").sort_index()


def cases_by_year(register: pd.DataFrame, *, year: int, confidence_level: float = 0.95) -> pd.DataFrame:
    """Registered cases per year: distinct ``case_id`` with a person aged 10–22, years up to ``year``
    (from the register's first year; a year without a case is a 0).

    The count behind :func:`check_year_volumes`, as a count table (exact Poisson
    intervals), for the page's figure; the page grades it.
    """
    per_year = _cases_per_year(register, year)
    df = pd.DataFrame({"year": per_year.index.astype("int64"), "cases": per_year.to_numpy(dtype="int64")})
    t = stats.count_table(df, count="cases", groups=["year"], confidence_level=confidence_level,
                          measure="registered cases", unit="cases")
    return t


def register_coverage(register: pd.DataFrame, *, year: int, confidence_level: float = 0.95) -> pd.DataFrame:
    """Register rows in the analysis (case × person × role, age 10–22) by year and home district.

    Years up to and including ``year``. A count table (exact Poisson intervals from
    :func:`salto_analysis.stats.count_table`); the page grades it.
    """
    reg = _up_to(_in_scope(register), "year", year)
    df = pd.DataFrame({"year": reg["year"].astype("int64"), "district": reg["district"], "rows": 1})
    t = stats.count_table(df, count="rows", groups=["year", "district"], confidence_level=confidence_level,
                          measure="register rows in the analysis", unit="rows (case x person x role)")
    return t


def _complete(table: pd.DataFrame) -> pd.DataFrame:
    """A count or share of a whole file (every population row, every respondent, every value):
    there is no sampling error to put an interval on, so the limits are left empty and the
    page shows the number alone (issue 12). Grading still applies its disclosure and size rules."""
    out = with_meta(table, method="complete count of the file: no interval (no sampling error)")
    out["ci_low"] = np.nan
    out["ci_high"] = np.nan
    return out


def population_coverage(population: pd.DataFrame, *, year: int, confidence_level: float = 0.95) -> pd.DataFrame:
    """Population aged 10–22 by year and district (years up to ``year``), a count table without
    intervals (the population file is a complete count, :func:`_complete`)."""
    pop = _up_to(population, "year", year)
    ages = pd.to_numeric(pop["age"], errors="coerce")
    pop = pop[ages.between(schemas.SCOPE_AGE_MIN, schemas.SCOPE_AGE_MAX).to_numpy(dtype=bool, na_value=False)]
    df = pd.DataFrame({"year": pop["year"].astype("int64"), "district": pop["district"],
                       "population": pd.to_numeric(pop["population"]).astype("int64")})
    t = stats.count_table(df, count="population", groups=["year", "district"], confidence_level=confidence_level,
                          measure="population aged 10-22", unit="persons")
    return _complete(t)


def survey_coverage(survey: pd.DataFrame, *, year: int, confidence_level: float = 0.95) -> pd.DataFrame:
    """Survey respondents by wave and district (waves up to ``year``), a count table without
    intervals (every respondent of the file is counted, :func:`_complete`)."""
    sv = _up_to(survey, "wave", year)
    df = pd.DataFrame({"wave": sv["wave"].astype("int64"), "district": sv["district"], "respondents": 1})
    t = stats.count_table(df, count="respondents", groups=["wave", "district"], confidence_level=confidence_level,
                          measure="survey respondents", unit="pupils")
    return _complete(t)


def _schema_columns(kind: str, frame: pd.DataFrame) -> list[str]:
    return [c.name for c in schemas.SCHEMAS[kind].input_columns if c.name in frame.columns]


def _missing_counts(inputs, year: int) -> pd.DataFrame:
    records = []
    for kind, frame in _frames(inputs).items():
        if frame is None:
            continue
        col = "wave" if kind == "survey" else "year"
        part = _up_to(frame, col, year)
        for name in _schema_columns(kind, part):
            records.append({"input": kind, "column": name, "missing": int(part[name].isna().sum()),
                            "rows": len(part)})
    out = pd.DataFrame.from_records(records, columns=["input", "column", "missing", "rows"])
    order = [c.name for k in _INPUTS for c in schemas.SCHEMAS[k].columns]
    out["input"] = pd.Categorical(out["input"], categories=list(_INPUTS), ordered=True)
    out["column"] = pd.Categorical(out["column"], categories=list(dict.fromkeys(order)), ordered=True)
    return out


def missing_values(inputs, *, year: int, confidence_level: float = 0.95) -> pd.DataFrame:
    """Share of missing values for every input column that has any, as a proportion table.

    Rows of the data up to ``year``; input columns of the schemas only (derived
    columns follow from them). Columns without a missing value are left out, because a
    share of exactly 0 says nothing about reliability (:func:`complete_columns`
    lists them). The table is marked ``nonadditive`` on both grouping columns, since
    missing counts of different columns do not add up to a published total. The shares
    describe the whole file, so they carry no interval (:func:`_complete`; before, the page
    showed "0,1 (0,1–0,1)").
    """
    counts = _missing_counts(inputs, year)
    counts = counts[counts["missing"] > 0]
    t = stats.proportion_table(counts, numerator="missing", denominator="rows", groups=["input", "column"],
                               confidence_level=confidence_level, measure="share of values missing",
                               nonadditive=["input", "column"])
    return _complete(t)


def complete_columns(inputs, *, year: int) -> dict[str, list[str]]:
    """``{kind: [columns without any missing value]}`` for the data up to ``year``."""
    counts = _missing_counts(inputs, year)
    out: dict[str, list[str]] = {}
    for row in counts[counts["missing"] == 0].itertuples(index=False):
        out.setdefault(str(row.input), []).append(str(row.column))
    return out


# --------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class _Check:
    key: str
    ok: bool
    detail: str

    def row(self, lang: str) -> dict[str, str]:
        return {"check": labels.t(f"quality.check.{self.key}", lang),
                "result": labels.t("quality.result.ok" if self.ok else "quality.result.warning", lang),
                "detail": self.detail}


def check_year_volumes(register: pd.DataFrame, *, year: int, min_count: int = Policy.min_count, lang: str = "nb",
                       ratio: float = LOW_VOLUME_RATIO) -> _Check:
    """Years with unusually few (or many) registered cases relative to their neighbours.

    Cases are distinct ``case_id`` with a person aged 10–22, per year from the
    register's first year up to ``year`` (a year without a case counts 0). A year is unusual when its count is below ``ratio`` times the median
    of the years within two years of it (at least two such years needed), or above
    that median divided by ``ratio``: a sign of a partial or duplicated extract
    rather than of behaviour.
    """
    if not 0 < ratio < 1:
        raise ValueError(f"ratio={ratio!r} must be between 0 and 1")
    per_year = _cases_per_year(register, year)
    unusual = []
    for y, n in per_year.items():
        near = per_year[(per_year.index != y) & (abs(per_year.index - y) <= 2)]
        if len(near) < 2:
            continue
        median = float(near.median())
        if median > 0 and (n < ratio * median or n > median / ratio):
            if 1 <= n < min_count:
                # no percentage next to a withheld count: it would give the count back
                unusual.append(labels.t("quality.detail.volume_year_small", lang, year=y, min_count=min_count,
                                        median=_count(round(median), min_count, lang)))
            else:
                unusual.append(labels.t("quality.detail.volume_year", lang, year=y, n=_count(n, min_count, lang),
                                        median=_count(round(median), min_count, lang),
                                        percent=formatting.number(100 * n / median, 0, lang)))
    if unusual:
        return _Check("year_volumes", False, "; ".join(unusual))
    return _Check("year_volumes", True, labels.t("quality.detail.volume_ok", lang, first=int(per_year.index.min()),
                                                 last=int(per_year.index.max())) if len(per_year) else
                  labels.t("quality.detail.no_register", lang))


def check_latest_year_complete(register: pd.DataFrame, *, year: int, lang: str = "nb") -> _Check:
    """Does the register reach into December of the reporting year? (Only the month is shown.)"""
    dates = pd.to_datetime(register["registered_date"], errors="coerce")
    dates = dates[(dates.dt.year == year).to_numpy(dtype=bool, na_value=False)]
    if dates.empty:
        return _Check("latest_year", False, labels.t("quality.detail.no_rows_year", lang, year=year))
    month = int(dates.max().month)
    name = labels.t("quality.months", lang).split(",")[month - 1]
    if month < 12:
        return _Check("latest_year", False, labels.t("quality.detail.year_partial", lang, year=year, month=name))
    return _Check("latest_year", True, labels.t("quality.detail.year_complete", lang, year=year))


def check_population_districts(register: pd.DataFrame, population: pd.DataFrame | None, *, year: int,
                               lang: str = "nb") -> _Check:
    """Every home district with registrations in ``year`` needs a population aged 10–22 that year.

    Otherwise its rate per 1,000 cannot be computed (the analyses raise a clear
    error rather than show a missing rate). The unknown district is not checked.
    """
    reg = _in_scope(register)
    reg = reg[(pd.to_numeric(reg["year"], errors="coerce") == year).to_numpy(dtype=bool, na_value=False)]
    districts = [d for d in pd.unique(reg["district"].dropna()) if d != _UNKNOWN_DISTRICT]
    if population is None:
        return _Check("population_districts", False, labels.t("quality.detail.no_population", lang))
    pop = population[(pd.to_numeric(population["year"], errors="coerce") == year).to_numpy(dtype=bool,
                                                                                             na_value=False)]
    if pop.empty:
        years = sorted({int(y) for y in pd.to_numeric(population["year"], errors="coerce").dropna()})
        span = f"{years[0]}–{years[-1]}" if years else "–"
        return _Check("population_districts", False,
                      labels.t("quality.detail.population_year_missing", lang, year=year, years=span))
    ages = pd.to_numeric(pop["age"], errors="coerce")
    pop = pop[ages.between(schemas.SCOPE_AGE_MIN, schemas.SCOPE_AGE_MAX).to_numpy(dtype=bool, na_value=False)]
    total = pop.groupby(pop["district"].astype("object"))["population"].sum()
    absent = [d for d in districts if total.get(d, 0) <= 0]
    order = {name: k for k, name in enumerate(schemas.district_names())}
    absent.sort(key=lambda d: order.get(d, 99))
    if absent:
        names = ", ".join(tables.value_label("district", d, lang) for d in absent)
        return _Check("population_districts", False,
                      labels.t("quality.detail.districts_absent", lang, year=year, districts=names))
    return _Check("population_districts", True,
                  labels.t("quality.detail.districts_ok", lang, year=year, n=len(districts)))


def check_unknown_district(register: pd.DataFrame, *, year: int, lang: str = "nb",
                           max_share: float = MAX_UNKNOWN_DISTRICT_SHARE) -> _Check:
    """The share of rows in ``year`` with unknown home district; above ``max_share`` district rates are too low."""
    reg = _in_scope(register)
    reg = reg[(pd.to_numeric(reg["year"], errors="coerce") == year).to_numpy(dtype=bool, na_value=False)]
    if reg.empty:
        return _Check("unknown_district", False, labels.t("quality.detail.no_rows_year", lang, year=year))
    share = float((reg["district"].astype("object") == _UNKNOWN_DISTRICT).mean())
    pct = formatting.number(100 * share, 1, lang)
    limit = formatting.number(100 * max_share, 0, lang)
    key = "quality.detail.unknown_high" if share > max_share else "quality.detail.unknown_ok"
    return _Check("unknown_district", share <= max_share, labels.t(key, lang, year=year, percent=pct, limit=limit))


def check_survey_schools(survey: pd.DataFrame | None, *, year: int, lang: str = "nb",
                         min_schools: int = MIN_SCHOOLS) -> _Check:
    """Schools per survey wave up to ``year``; fewer than ``min_schools`` leaves under 8 degrees of freedom."""
    if survey is None:
        return _Check("survey_schools", False, labels.t("quality.detail.no_survey", lang))
    sv = _up_to(survey, "wave", year)
    if sv.empty:
        return _Check("survey_schools", False, labels.t("quality.detail.no_waves", lang, year=year))
    per_wave = sv.groupby(sv["wave"].astype("int64"))["school_id"].nunique().sort_index()
    listing = ", ".join(labels.t("quality.detail.wave_schools", lang, wave=w, n=int(n)) for w, n in per_wave.items())
    few = per_wave[per_wave < min_schools]
    if len(few):
        return _Check("survey_schools", False, labels.t("quality.detail.few_schools", lang, listing=listing,
                                                        min=min_schools, waves=", ".join(map(str, few.index))))
    return _Check("survey_schools", True, labels.t("quality.detail.schools_ok", lang, listing=listing))


def checks(inputs, *, year: int, min_count: int = Policy.min_count, lang: str = "nb") -> pd.DataFrame:
    """All checks as a small table: ``check``, ``result`` (ok / check this) and ``detail``, in ``lang``."""
    frames = _frames(inputs)
    reg, pop, sv = frames["register"], frames["population"], frames["survey"]
    found: list[_Check] = []
    if reg is not None:
        found += [
            check_year_volumes(reg, year=year, min_count=min_count, lang=lang),
            check_latest_year_complete(reg, year=year, lang=lang),
            check_population_districts(reg, pop, year=year, lang=lang),
            check_unknown_district(reg, year=year, lang=lang),
        ]
    found.append(check_survey_schools(sv, year=year, lang=lang))
    return pd.DataFrame([c.row(lang) for c in found], columns=["check", "result", "detail"])


# --------------------------------------------------------------------------- the page

#: The graded tables of the page, in the order recorded, with their title keys
#: (``cases_by_year`` is shown as a figure).
TABLES: dict[str, str] = {
    "cases_by_year": "quality.table.cases_by_year",
    "register_coverage": "quality.table.register_coverage",
    "population_coverage": "quality.table.population_coverage",
    "survey_coverage": "quality.table.survey_coverage",
    "missing_values": "quality.table.missing",
}
_PIVOT = {"register_coverage": "year", "population_coverage": "year", "survey_coverage": "wave"}
#: Why a table of the page has no row (labels keys).
_EMPTY = {"cases_by_year": "quality.not_shown.no_register_rows",
          "register_coverage": "quality.not_shown.no_register_rows",
          "population_coverage": "quality.not_shown.no_population_rows",
          "survey_coverage": "quality.not_shown.no_survey_rows",
          "missing_values": "quality.not_shown.no_missing"}


class QualityPage(Page):
    """Everything the data page shows: the graded tables, the row accounting, the checks, the notes."""

    def __init__(self, *, status: dict[str, bool], complete: dict[str, list[str]], **kw):
        super().__init__(**kw)
        self.status, self.complete = status, complete

    def markdown(self, name: str):
        """Note ``name`` as Markdown: ``synthetic`` (the synthetic-data status) or ``complete``
        (the columns without missing values)."""
        if name == "synthetic":
            return report.text(self.synthetic_note())
        if name == "complete":
            return report.text(self.complete_note())
        raise ValueError(f"name={name!r} is not a note of the page; notes: synthetic, complete")

    def complete_note(self) -> str:
        """One sentence per input naming the columns without missing values."""
        parts = []
        for kind, cols in self.complete.items():
            schema = schemas.SCHEMAS[kind]
            names = ", ".join(tables.column_label(c, self.lang) for c in cols)
            parts.append(labels.t("quality.complete_columns", self.lang,
                                  input=schema.nb if self.lang == "nb" else schema.en, columns=names))
        return " ".join(parts) if parts else labels.t("quality.complete_none", self.lang)

    def synthetic_note(self) -> str:
        """The synthetic-data status in words."""
        values = set(self.status.values())
        key = "quality.synthetic.yes" if values == {True} else (
            "quality.synthetic.no" if values == {False} else "quality.synthetic.mixed")
        names = ", ".join(
            (schemas.SCHEMAS[k].nb if self.lang == "nb" else schemas.SCHEMAS[k].en)
            for k, v in self.status.items() if v)
        return labels.t(key, self.lang, inputs=names)


def _cases_figure(page: QualityPage):
    return plots.estimates(page["cases_by_year"], "year", kind="bar", **page.figure_kw("cases_by_year"))


def build(inputs, *, year: int, policy: Policy) -> QualityPage:
    """The whole data page for the reporting ``year`` (see the module docstring), graded with ``policy``."""
    if not isinstance(policy, Policy):
        raise ValueError(f"policy={policy!r} must be a salto_analysis.policy.Policy (see salto_analysis.params.policy)")
    frames = _frames(inputs)
    reg, pop, sv = frames["register"], frames["population"], frames["survey"]
    status = synthetic_status(frames)
    page = QualityPage(policy=policy, synthetic=any(status.values()), status=status,
                       complete=complete_columns(frames, year=year),
                       fields={"year": year, "min_count": policy.min_count})
    kw = {"year": year, "confidence_level": policy.confidence_level}
    built = {
        "cases_by_year": cases_by_year(reg, **kw) if reg is not None else None,
        "register_coverage": register_coverage(reg, **kw) if reg is not None else None,
        "population_coverage": population_coverage(pop, **kw) if pop is not None else None,
        "survey_coverage": survey_coverage(sv, **kw) if sv is not None else None,
        "missing_values": missing_values(frames, **kw),
    }
    for name, table in built.items():
        if table is None:
            page.skip(name, "quality.no_input")
        elif not len(table):  # nothing up to the reporting year: say so rather than show an empty table
            page.skip(name, _EMPTY[name])
        else:
            opts = {"pivot": _PIVOT[name]} if name in _PIVOT else {}
            page.add(name, table, title=TABLES[name], **opts)
    page.add_plain("accounting", accounting(frames, policy.lang, min_count=policy.min_count))
    page.add_plain("checks", checks(frames, year=year, min_count=policy.min_count, lang=policy.lang))
    if "cases_by_year" in page:
        page.add_figure("cases_by_year", _cases_figure, title=TABLES["cases_by_year"])
    return page
