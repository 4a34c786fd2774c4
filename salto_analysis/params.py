"""Validation of notebook parameters, in the cell right after the ``parameters`` cell.

Papermill injects parameters without checking them (papermill issues #55, #667 and
#818; ``docs/conventions.md#pitfalls-we-work-around``), and a wrong value otherwise surfaces as a
confusing error deep inside an analysis. :func:`validate` checks the parameters
that notebooks share and fails with ONE :class:`ParameterError` (a ``ValueError``)
that names each bad parameter, its value and what is allowed::

    p = params.validate(data_dir=data_dir, year=year, lang=lang, min_count=min_count,
                        notebook="00_data_quality")

Shared parameters and their rules:

``data_dir``          an existing folder holding the inputs (``register.*``,
                      ``population.*``, ``survey.*``; :func:`salto_analysis.io.find_input`)
``year``              a whole number; 0 means the latest year in the data, otherwise
                      1990–2100 (check it against the data with :func:`resolve_year`)
``years_back``        a whole number from 1 to 50
``lang``              ``"nb"`` or ``"en"``
``min_count``         a whole number ≥ 1; below 3 (Statistics Norway's example rule:
                      cells of fewer than 3 may be suppressed) a warning is given
``confidence_level``  a number strictly between 0 and 1
``age_groups``        a list of age groups from :data:`salto_analysis.schemas.AGE_GROUPS`
``districts``         a list of official district names (``salto_analysis/data/districts.csv``)
``waves``             a list of survey years (whole numbers 1990–2100)
``items``             a list of survey items (:data:`salto_analysis.schemas.SURVEY_ITEMS`)
``districts_file``    empty (no crosswalk) or an existing file

:func:`policy` builds the :class:`salto_analysis.policy.Policy` from the
parameters, so every notebook grades its tables the same way.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Iterable, Mapping
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from salto_analysis import labels, schemas
from salto_analysis.policy import Policy

__all__ = ["ParameterError", "Parameters", "KNOWN", "validate", "inputs_of", "resolve_year", "policy"]

#: Inputs looked for in ``data_dir`` unless ``inputs=`` says otherwise.
DEFAULT_INPUTS = ("register", "population", "survey")
#: Statistics Norway's example disclosure threshold ("for eksempel færre enn 3").
SSB_MIN_COUNT = 3
_YEAR_RANGE = (1990, 2100)


class ParameterError(ValueError):
    """A notebook parameter has a wrong type or value; the message says which and what is allowed."""


class Parameters(Mapping):
    """The validated parameters, by name and as attributes (``p.year``, ``p["year"]``).

    ``data_dir`` is a :class:`pathlib.Path`; lists are tuples.
    """

    def __init__(self, values: Mapping):
        object.__setattr__(self, "_values", dict(values))

    def __getitem__(self, key):
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self):
        return len(self._values)

    def __getattr__(self, name):
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"no parameter {name!r} was validated (have: {', '.join(self._values)})") from None

    def __setattr__(self, name, value):
        raise AttributeError("validated parameters are read-only")

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._values.items())
        return f"Parameters({inner})"


# --------------------------------------------------------------------------- single checks
# Each returns the normalised value or raises _Bad(message without the name).


class _Bad(Exception):
    pass


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _integer(value, lo: int | None = None, hi: int | None = None, what: str = "a whole number") -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise _Bad(f"must be {what}, got {type(value).__name__}")
    value = int(value)
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise _Bad(f"must be {what}")
    return value


def _check_data_dir(value, inputs: Iterable[str]) -> Path:
    if not isinstance(value, (str, PathLike)) or str(value).strip() == "":
        raise _Bad("must be the path of the data folder (text), "
                   "for example '../data/sample' from the notebooks folder")
    path = Path(value).expanduser()
    if not path.is_dir():
        where = path.resolve(strict=False)
        raise _Bad(f"is not an existing folder (looked for {where}, from working folder {Path.cwd()}); "
                   "give the folder that holds the input files")
    missing = []
    for kind in inputs:
        from salto_analysis import io

        try:
            io.find_input(path, kind)
        except io.InputError as exc:
            missing.append(f"{kind}: {exc.problem}" if hasattr(exc, "problem") else f"{kind}: {exc}")
    if missing:
        names = ", ".join(f"{k}.*" for k in inputs)
        raise _Bad(f"does not hold the inputs ({'; '.join(missing)}); it needs exactly one each of {names} "
                   f"with an extension the loaders read (.csv, .csv.gz, .xlsx, .sav, .parquet)")
    return path


def _check_year(value) -> int:
    lo, hi = _YEAR_RANGE
    what = f"0 (the latest year in the data) or a year from {lo} to {hi}"
    year = _integer(value, what=what)
    if year != 0 and not lo <= year <= hi:
        raise _Bad(f"must be {what}")
    return year


def _check_lang(value) -> str:
    if value not in labels.LANGS:
        raise _Bad("must be 'nb' (Norwegian bokmål) or 'en' (English)")
    return value


def _check_min_count(value) -> int:
    return _integer(value, 1, None, what="a whole number of at least 1 (5 is the project default)")


def _check_confidence_level(value) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise _Bad(f"must be a number between 0 and 1 such as 0.95, got {type(value).__name__}")
    value = float(value)
    if not 0 < value < 1:
        raise _Bad("must be a number strictly between 0 and 1, such as 0.95 (not a percentage)")
    return value


def _as_list(value) -> list:
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise _Bad(f"must be a list, for example [{_show(value)}], got {type(value).__name__}")
    return list(value)


def _check_subset(allowed: Iterable[str], what: str):
    allowed = tuple(allowed)

    def check(value) -> tuple[str, ...]:
        items = _as_list(value)
        if not items:
            raise _Bad(f"must list at least one {what}; allowed: {', '.join(allowed)}")
        unknown = [v for v in items if v not in allowed]
        if unknown:
            raise _Bad(f"has unknown {what}(s) {unknown}; allowed: {', '.join(allowed)}")
        if len(set(items)) != len(items):
            raise _Bad(f"lists a {what} more than once")
        return tuple(items)

    return check


def _check_waves(value) -> tuple[int, ...]:
    items = _as_list(value)
    if not items:
        raise _Bad("must list at least one survey year")
    lo, hi = _YEAR_RANGE
    out = []
    for v in items:
        try:
            out.append(_integer(v, lo, hi, what=f"a list of survey years from {lo} to {hi}"))
        except _Bad as exc:
            raise _Bad(f"{exc} (one value is {_show(v)})") from None
    return tuple(out)


def _check_years_back(value) -> int:
    return _integer(value, 1, 50, what="a whole number of years from 1 to 50")


def _check_optional_file(value) -> Path | None:
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    if not isinstance(value, (str, PathLike)):
        raise _Bad("must be the path of a file, or empty for none")
    path = Path(value).expanduser()
    if not path.is_file():
        raise _Bad(f"is not an existing file (looked for {path.resolve(strict=False)}); give a file or leave it empty")
    return path


#: The shared parameters :func:`validate` knows.
KNOWN = ("data_dir", "year", "years_back", "lang", "min_count", "confidence_level", "age_groups",
         "districts", "waves", "items", "districts_file")


def inputs_of(notebook: str) -> tuple[str, ...]:
    """The inputs notebook ``notebook`` reads, as ``notebooks/briefing.yml`` declares them (the one place)."""
    from salto_analysis.briefing.config import DEFAULT_BRIEFING, load_briefing

    briefing = load_briefing(DEFAULT_BRIEFING)
    for entry in briefing.notebooks:
        if entry.name == notebook:
            return entry.inputs
    raise ValueError(f"notebook={notebook!r} is not listed in {DEFAULT_BRIEFING} (notebooks: "
                     f"{', '.join(briefing.names)}); add it there with the inputs it reads")


def validate(*, notebook: str | None = None, inputs: Iterable[str] | None = None, **values) -> Parameters:
    """Check the shared notebook parameters; raise one :class:`ParameterError` listing every problem.

    Pass the notebook's parameters by name (only the shared ones listed in the
    module docstring). ``data_dir`` must hold the input files of ``notebook``, as
    ``notebooks/briefing.yml`` declares them (:func:`inputs_of`), or ``inputs`` when no
    notebook is named (default all three). Returns the normalised values as :class:`Parameters`.

    Warns (``UserWarning``) when ``min_count`` is below 3, Statistics Norway's
    example threshold: counts of 1 or 2 persons would then be shown.

    >>> validate(lang="en", min_count=5).min_count
    5
    >>> validate(lang="se")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ...
    salto_analysis.params.ParameterError: notebook parameter lang='se' must be 'nb' (Norwegian bokmål) or 'en' (English)
    """
    if notebook is not None and inputs is not None:
        raise ValueError("give notebook= (its inputs come from notebooks/briefing.yml) or inputs=, not both")
    if notebook is not None:
        inputs = inputs_of(notebook)
    inputs = DEFAULT_INPUTS if inputs is None else (inputs,) if isinstance(inputs, str) else tuple(inputs)
    bad_inputs = [k for k in inputs if k not in schemas.SCHEMAS]
    if bad_inputs:
        raise ValueError(f"inputs={inputs!r}: {bad_inputs} are not input kinds ({', '.join(schemas.SCHEMAS)})")
    unknown = [k for k in values if k not in KNOWN]
    if unknown:
        raise ValueError(
            f"params.validate() does not know parameter(s) {unknown}; it checks the shared ones "
            f"({', '.join(KNOWN)}). Check notebook-specific parameters in the notebook's library module."
        )
    checks = {
        "data_dir": lambda v: _check_data_dir(v, inputs),
        "year": _check_year,
        "years_back": _check_years_back,
        "lang": _check_lang,
        "min_count": _check_min_count,
        "confidence_level": _check_confidence_level,
        "age_groups": _check_subset(schemas.AGE_GROUPS, "age group"),
        "districts": _check_subset(schemas.district_names(), "district"),
        "waves": _check_waves,
        "items": _check_subset(schemas.SURVEY_ITEMS, "survey item"),
        "districts_file": _check_optional_file,
    }
    out, problems = {}, []
    for name, value in values.items():
        try:
            out[name] = checks[name](value)
        except _Bad as exc:
            problems.append(f"{name}={_show(value)} {exc}")
    if problems:
        if len(problems) == 1:
            raise ParameterError(f"notebook parameter {problems[0]}")
        raise ParameterError(f"{len(problems)} notebook parameters are wrong: " + "; ".join(problems))
    if "min_count" in out and out["min_count"] < SSB_MIN_COUNT:
        warnings.warn(
            f"min_count={out['min_count']} is below {SSB_MIN_COUNT}, Statistics Norway's example threshold: "
            f"counts of {'1' if out['min_count'] == 2 else 'any size'} persons will be shown. "
            "Use at least 3 for anything published (the project default is 5).",
            UserWarning,
            stacklevel=2,
        )
    return Parameters(out)


def resolve_year(year: int, data, *, column: str = "year", name: str = "year", exact: bool = False) -> int:
    """The reporting year: ``year`` itself if the data covers it, the latest year if ``year`` is 0.

    ``data`` is a frame with a ``column`` of years (the register), a Series or
    an iterable of years. The data covers the years from its first to its last: a
    year inside that span without a row is a year with no cases, which the pages
    report as such (a small extract). With ``exact=True`` (survey waves, which are
    not every year) ``year`` must be one of the years the data has. Raises
    :class:`ParameterError` naming the years the data has when ``year`` is not covered.

    >>> resolve_year(0, [2019, 2021, 2020]), resolve_year(2020, [2019, 2021])
    (2021, 2020)
    """
    try:
        year = _check_year(year)
    except _Bad as exc:
        raise ParameterError(f"notebook parameter {name}={_show(year)} {exc}") from None
    if isinstance(data, pd.DataFrame):
        if column not in data.columns:
            raise ValueError(f"the data has no column {column!r} to take the years from")
        data = data[column]
    years = sorted({int(y) for y in pd.Series(list(data) if not isinstance(data, pd.Series) else data).dropna()})
    if not years:
        raise ParameterError(f"notebook parameter {name}={year}: the data has no years at all")
    if year == 0:
        return years[-1]
    if year not in years if exact else not years[0] <= year <= years[-1]:
        span = f"{years[0]}–{years[-1]}" if years == list(range(years[0], years[-1] + 1)) else ", ".join(map(str, years))
        raise ParameterError(
            f"notebook parameter {name}={year} is not in the data, which has {span}; "
            f"use one of those years or 0 for the latest ({years[-1]})"
        )
    return year


def policy(min_count: int = Policy.min_count, confidence_level: float = Policy.confidence_level,
           lang: str = Policy.lang) -> Policy:
    """The :class:`salto_analysis.policy.Policy` for a notebook's parameters.

    ``min_count`` sets the disclosure threshold and ``lang`` the language of the page.
    ``confidence_level`` is the level of the intervals the notebook *shows*; it does not
    change the grading, which measures interval widths at 95 % as the NCHS standards are
    defined (``Policy.grading_confidence_level``). The defaults are the policy's.
    Raises :class:`ParameterError` for bad values.
    """
    problems = []
    for name, value, check in (("min_count", min_count, _check_min_count),
                               ("confidence_level", confidence_level, _check_confidence_level),
                               ("lang", lang, _check_lang)):
        try:
            check(value)
        except _Bad as exc:
            problems.append(f"{name}={_show(value)} {exc}")
    if problems:
        raise ParameterError("notebook parameter " + "; ".join(problems))
    return Policy(min_count=int(min_count), confidence_level=float(confidence_level), lang=lang)
