"""Refuse Norwegian national identity numbers: the data must be pseudonymised first."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from salto_analysis.io.errors import Problems

__all__ = ["national_id_mask", "check_national_ids"]

_W1 = np.array([3, 7, 6, 1, 8, 9, 4, 5, 2, 1], dtype=np.int64)
_W2 = np.array([5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1], dtype=np.int64)


def national_id_mask(values: pd.Series) -> np.ndarray:
    """True where a value looks like a Norwegian national identity number.

    A value qualifies when, after removing spaces, dots and hyphens, it is 11
    digits (or 10, an 11-digit number whose leading zero a spreadsheet dropped)
    whose first six digits are a possible date (day 01-31, or 41-71 for a
    D-number; month 01-12, 41-52 for an H-number or 81-92 for Skatteetaten's
    synthetic test numbers) and whose control digits are valid. Control digits
    follow Skatteetaten's modulus-11 rule: with weights (3 7 6 1 8 9 4 5 2 1) on
    digits 1-10 and (5 4 3 2 7 6 5 4 3 2 1) on digits 1-11 both weighted sums are
    divisible by 11. For numbers issued from 2032 Skatteetaten also accepts a
    remainder of 1, 2 or 3 in the first sum ("Nye fødselsnummer og d-nummer fra
    2032", skatteetaten.no); those are refused too.

    The check is vectorised: candidate strings are turned into an ``(n, 11)``
    digit array and the weighted sums are one matrix product.

    >>> national_id_mask(pd.Series(["01819012365", "01819012364", "abc"])).tolist()
    [True, False, False]
    """
    s = pd.Series(values, copy=False)
    if pd.api.types.is_numeric_dtype(s.dtype):
        s = s.astype("Int64").astype("str")
    elif not pd.api.types.is_string_dtype(s.dtype) or isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype("str")
    out = np.zeros(len(s), dtype=bool)
    # candidates: digits, possibly split by spaces, dots or hyphens (one vectorised regex pass)
    shaped = s.str.fullmatch(r"[0-9][0-9 .\-]{8,12}[0-9]").to_numpy(dtype=bool, na_value=False)
    cand = np.flatnonzero(shaped)
    if not len(cand):
        return out
    sub = s.iloc[cand]
    split = sub.str.contains(r"[ .\-]", regex=True).to_numpy(dtype=bool, na_value=False)
    if split.any():
        sub = sub.copy()
        sub.iloc[np.flatnonzero(split)] = sub.iloc[np.flatnonzero(split)].str.replace(r"[ .\-]", "", regex=True)
    ok = sub.str.fullmatch(r"[0-9]{10,11}").to_numpy(dtype=bool, na_value=False)
    cand, sub = cand[ok], sub[ok]
    if not len(cand):
        return out
    sub = sub.str.zfill(11)
    digits = (np.frombuffer("".join(sub.tolist()).encode("ascii"), dtype=np.uint8).reshape(-1, 11)
              - ord("0")).astype(np.int64)
    day = digits[:, 0] * 10 + digits[:, 1]
    month = digits[:, 2] * 10 + digits[:, 3]
    day_ok = ((day >= 1) & (day <= 31)) | ((day >= 41) & (day <= 71))
    month_ok = ((month >= 1) & (month <= 12)) | ((month >= 41) & (month <= 52)) | ((month >= 81) & (month <= 92))
    k1_ok = (digits[:, :10] @ _W1) % 11 <= 3
    k2_ok = (digits @ _W2) % 11 == 0
    out[cand] = day_ok & month_ok & k1_ok & k2_ok
    return out


def check_national_ids(frame: pd.DataFrame, columns: Iterable[str], rows: np.ndarray,
                        problems: Problems) -> None:
    """Refuse any of ``columns`` that holds a national identity number (values never shown)."""
    for col in columns:
        s = frame[col]
        if not (pd.api.types.is_string_dtype(s.dtype) or pd.api.types.is_integer_dtype(s.dtype)):
            continue
        mask = national_id_mask(s)
        if mask.any():
            problems.add("values look like Norwegian national identity numbers (fødselsnummer or "
                         "D-number: 11 digits with valid check digits); the values are not shown",
                         column=col, mask=mask, row_numbers=rows,
                         fix="the data must be pseudonymised first: replace every identity number with a "
                             "pseudonym that is not an 11-digit number, then delete this file")
