"""Turn raw cells into typed values: numbers, dates, yes/no and identifiers.

Each parser works on the distinct values of a column (``pandas.factorize``),
so a 2-million-row column with a few thousand distinct dates is parsed a few
thousand times, then spread back with one ``take``. Each returns a
:class:`Parsed`: the values and masks of the missing and the invalid cells.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import cache
from typing import NamedTuple

import numpy as np
import pandas as pd

__all__ = ["NA_TOKENS", "BOOL_SPELLINGS", "DATE_FORMATS", "Parsed", "canon", "factorize", "take",
           "parse_numbers", "parse_dates", "parse_bools", "parse_ids"]

#: Cell values read as missing (compared case-insensitively after trimming).
NA_TOKENS: tuple[str, ...] = ("", "na", "n/a", "nan", "null", "none")

#: Spellings of true and false for ``bool`` columns (case-insensitive).
BOOL_SPELLINGS: dict[bool, tuple[str, ...]] = {
    True: ("true", "1", "ja", "j", "yes", "y", "sant", "t"),
    False: ("false", "0", "nei", "n", "no", "usant", "f"),
}

#: Date formats accepted in text cells (``.xlsx``, ``.sav`` and ``.parquet`` dates are read as dates).
DATE_FORMATS: tuple[str, ...] = ("YYYY-MM-DD (ISO 8601, optionally with a time)", "DD.MM.YYYY")

_NA = frozenset(NA_TOKENS)


def canon(v) -> str | None:
    """One cell value as trimmed text, or ``None`` when missing."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        if math.isnan(v):
            return None
        return str(int(v)) if float(v).is_integer() else repr(float(v))
    if isinstance(v, np.datetime64):
        v = pd.Timestamp(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    s = " ".join(str(v).split())
    return None if s.casefold() in _NA else s


def factorize(s: pd.Series) -> tuple[np.ndarray, list[str | None]]:
    """Codes into the distinct values, and those values as canonical text."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    return codes, [canon(v) for v in list(uniques)]


def take(codes: np.ndarray, per_unique: np.ndarray, fill) -> np.ndarray:
    """Spread per-distinct-value results back to the rows; code -1 (missing) gets ``fill``."""
    out = np.append(per_unique, np.array([fill], dtype=per_unique.dtype))
    return out[np.where(codes < 0, len(per_unique), codes)]


def _parse_number(s: str) -> float | None:
    t = s.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if "," in t and "." in t:  # the later mark is the decimal separator
        t = t.replace(".", "").replace(",", ".") if t.rfind(",") > t.rfind(".") else t.replace(",", "")
    else:
        t = t.replace(",", ".")
    try:
        x = float(t)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_NB_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def _parse_date(s: str) -> dt.date | None:
    if m := _ISO_DATE.fullmatch(s):
        y, mo, d = m.groups()
    elif m := _NB_DATE.fullmatch(s):
        d, mo, y = m.groups()
    else:
        return None
    try:
        return dt.date(int(y), int(mo), int(d))
    except ValueError:
        return None


class Parsed(NamedTuple):
    """A parsed column: its values, and masks of the missing and the invalid cells."""

    values: object           # array-like for the frame column
    missing: np.ndarray      # bool: cell empty
    bad: np.ndarray          # bool: cell present but not valid
    bad_values: list[str]    # the distinct invalid values (never shown for ids, dates, ages)


def parse_numbers(s: pd.Series, integer: bool) -> Parsed:
    """Whole numbers (``integer=True``) or numbers; a decimal comma and spaces in thousands are fine."""
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        x = s.to_numpy(dtype="float64", na_value=np.nan)
        missing = np.isnan(x)
        bad = ~missing & (x != np.round(x)) if integer else np.zeros(len(x), dtype=bool)
        return Parsed(x, missing, bad, [])
    codes, uniques = factorize(s)
    vals = np.array([np.nan if u is None else (_parse_number(u) if _parse_number(u) is not None else np.inf)
                     for u in uniques], dtype="float64")
    unique_bad = np.isinf(vals)
    if integer:
        unique_bad |= np.isfinite(vals) & (vals != np.round(vals))
    unique_missing = np.array([u is None for u in uniques], dtype=bool)
    x = take(codes, np.where(unique_bad, np.nan, vals), np.nan)
    return Parsed(x, take(codes, unique_missing, True), take(codes, unique_bad, False),
                   [u for u, b in zip(uniques, unique_bad) if b])


def parse_dates(s: pd.Series) -> Parsed:
    """Dates in ISO 8601 or DD.MM.YYYY (or already dates), as ``datetime64[s]``."""
    codes, uniques = factorize(s)
    parsed = [None if u is None else _parse_date(u) for u in uniques]
    unique_missing = np.array([u is None for u in uniques], dtype=bool)
    unique_bad = np.array([u is not None and p is None for u, p in zip(uniques, parsed)], dtype=bool)
    days = np.array(["NaT" if p is None else p.isoformat() for p in parsed], dtype="datetime64[D]")
    values = take(codes, days, np.datetime64("NaT", "D")).astype("datetime64[s]")
    return Parsed(values, take(codes, unique_missing, True), take(codes, unique_bad, False), [])


@cache
def _bool_lookup() -> dict[str, bool]:
    return {s: value for value, spellings in BOOL_SPELLINGS.items() for s in spellings}


def parse_bools(s: pd.Series) -> Parsed:
    """Yes/no cells in any spelling of :data:`BOOL_SPELLINGS`, as pandas ``boolean``."""
    codes, uniques = factorize(s)
    lookup = _bool_lookup()
    as_int = np.array([-1 if u is None else {True: 1, False: 0}.get(lookup.get(u.casefold()), -2)
                       for u in uniques], dtype=np.int8)
    x = take(codes, as_int, np.int8(-1))
    values = pd.arrays.BooleanArray(x == 1, x < 0)
    return Parsed(values, x == -1, x == -2, [u for u, v in zip(uniques, as_int) if v == -2])


def parse_ids(s: pd.Series) -> Parsed:
    """Identifiers as trimmed text (numbers written without a decimal part); never invalid."""
    if pd.api.types.is_integer_dtype(s.dtype):
        values = s.astype("Int64").astype("str")
        missing = s.isna().to_numpy()
    elif pd.api.types.is_float_dtype(s.dtype):
        values = pd.Series([canon(v) for v in s], index=s.index, dtype="str")
        missing = values.isna().to_numpy()
    elif pd.api.types.is_string_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype):
        values = s.astype("str")
        missing = values.isna().to_numpy() | (values == "").to_numpy(dtype=bool, na_value=True)
        if not missing.all():
            stripped = values.str.strip()
            changed = (stripped != values).to_numpy(dtype=bool, na_value=False)
            if changed.any():
                values = stripped
                missing = values.isna().to_numpy() | (values == "").to_numpy(dtype=bool, na_value=True)
    else:
        values = pd.Series([canon(v) for v in s.astype(object)], index=s.index, dtype="str")
        missing = values.isna().to_numpy()
    values = values.where(~missing, None)
    values = values.astype("str").reset_index(drop=True)
    return Parsed(values, missing, np.zeros(len(s), dtype=bool), [])
