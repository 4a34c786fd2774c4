"""Checks across columns and the derived columns: register ages and flags, survey waves, duplicate keys."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salto_analysis import schemas
from salto_analysis.io.accounting import Notice
from salto_analysis.io.errors import Problems
from salto_analysis.io.values import take
from salto_analysis.schemas import Schema

__all__ = ["KeyCodes", "derive_register", "check_survey", "check_duplicates"]


class KeyCodes:
    """Factorised codes of frame columns, each computed once per load.

    Hashing two million identifiers takes a noticeable fraction of a second, and
    ``case_id`` serves both the group-offence flag and the duplicate check.
    """

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self._codes: dict[str, tuple[np.ndarray, int]] = {}

    def __call__(self, column: str) -> tuple[np.ndarray, int]:
        """Codes (-1 for missing) and the number of distinct values of ``column``."""
        if column not in self._codes:
            s = self.frame[column]
            if isinstance(s.array, pd.arrays.ArrowStringArray):
                # one dictionary over the combined chunks: about 3x faster than pandas.factorize
                # on a chunked pyarrow column with a million distinct values
                encoded = s.array.__arrow_array__().combine_chunks().dictionary_encode()
                codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
                self._codes[column] = (codes.astype(np.int64), len(encoded.dictionary))
            else:
                codes, uniques = pd.factorize(s, use_na_sentinel=True)
                self._codes[column] = (codes.astype(np.int64, copy=False), len(uniques))
        return self._codes[column]


def derive_register(frame: pd.DataFrame, matched: dict[str, str], failed: set[str], rows: np.ndarray,
                    problems: Problems, key_codes: KeyCodes) -> tuple[int, dict[str, int]]:
    """Add ``year``, ``age``, ``age_group``, ``group_offence``, ``ssb_offence_group`` and ``in_scope``.

    ``age`` from the birth year alone is ``year - birth_year`` (the age reached
    during the registration year); given both, ``age`` must be that or one less.
    Returns the number of rows in analysis and the rows excluded by reason.
    Derivations that depend on a column that already failed are skipped; the
    load is refused anyway.
    """
    dates = frame["registered_date"].to_numpy()
    year = pd.Series(pd.arrays.IntegerArray(dates.astype("datetime64[Y]").astype(np.int64) + 1970,
                                            np.isnat(dates)), index=frame.index)
    frame["year"] = year
    ok_date = "registered_date" not in failed
    if "age" not in matched and "birth_year" in matched and ok_date and "birth_year" not in failed:
        age = (year - frame["birth_year"]).astype("Int64")
        out = (age.lt(0) | age.gt(120)).to_numpy(dtype=bool, na_value=False)
        if out.any():
            problems.add("birth years giving ages outside 0-120 at registration (the values are not shown)",
                         column="birth_year", mask=out, row_numbers=rows,
                         fix="check the birth_year column (four-digit year of birth)")
        frame["age"] = age
    elif "age" in matched and "birth_year" in matched and ok_date and not {"age", "birth_year"} & failed:
        diff = (year - frame["birth_year"] - frame["age"])
        bad = ~diff.isin([0, 1]).to_numpy(dtype=bool, na_value=True) & diff.notna().to_numpy()
        if bad.any():
            problems.add("ages that do not match birth_year and the registration year (the values are not "
                         "shown)", column="age", mask=bad, row_numbers=rows,
                         fix="age must be year - birth_year or one less; correct one of the two columns")
    frame["age_group"] = schemas.age_group(frame["age"])

    if {"case_id", "role"} & failed or "person_id" in failed:
        n = len(frame)
        frame["group_offence"] = pd.arrays.BooleanArray(np.zeros(n, dtype=bool), np.ones(n, dtype=bool))
    else:
        case_codes, n_cases = key_codes("case_id")
        suspect = (frame["role"] == "suspect").to_numpy(dtype=bool, na_value=False) & (case_codes >= 0)
        per_case = np.bincount(case_codes[suspect], minlength=n_cases)
        frame["group_offence"] = pd.array(take(case_codes, per_case >= 2, False), dtype="boolean")

    groups = schemas.offence_groups().set_index("offence_type")["ssb_group_nb"]
    ssb_values = list(schemas.REGISTER["ssb_offence_group"].values)
    offence = frame["offence_type"].cat
    code_map = np.array([ssb_values.index(groups[c]) for c in offence.categories] + [-1], dtype=np.int64)
    frame["ssb_offence_group"] = pd.Categorical.from_codes(code_map[offence.codes.to_numpy()],
                                                           categories=ssb_values, ordered=True)
    age = frame["age"]
    in_scope = age.between(schemas.SCOPE_AGE_MIN, schemas.SCOPE_AGE_MAX).to_numpy(dtype=bool, na_value=False)
    frame["in_scope"] = in_scope
    return int(in_scope.sum()), {"age_outside_scope": int((~in_scope).sum())}


def check_survey(frame: pd.DataFrame, matched: dict[str, str], failed: set[str], missing: dict[str, np.ndarray],
                 rows: np.ndarray, problems: Problems, notices: list[Notice], expected_waves) -> None:
    """Weight 1.0 when the column is absent, items present, no wave without respondents."""
    if "weight" not in matched:  # zero, negative and missing weights are refused in columns.parse_column
        frame["weight"] = 1.0
        notices.append(Notice("no_weight"))
    items = [c for c in schemas.SURVEY_ITEMS if c in matched]
    if not items:
        problems.add("the header (row 1) has none of the survey item columns",
                     column=", ".join(schemas.SURVEY_ITEMS), fix="add at least one item column; see DATA_DICTIONARY.md")
        return
    none_answered = np.logical_and.reduce([missing[c] for c in items])
    wave = frame["wave"]
    if "wave" not in failed:
        waves_none = pd.Series(none_answered).groupby(wave.to_numpy(dtype="float64", na_value=np.nan)).all()
        empty_waves = [int(w) for w, empty in waves_none.items() if empty]
        if empty_waves:
            mask = wave.isin(empty_waves).to_numpy(dtype=bool, na_value=False)
            problems.add(f"wave {', '.join(map(str, empty_waves))} has no respondents: every survey item is "
                         f"empty in all its rows", column="wave", mask=mask, row_numbers=rows,
                         fix="export the answers of that wave, or leave the wave out of the file")
            none_answered &= ~mask
        if expected_waves is not None:
            present = set(wave.dropna().astype(int))
            absent = [w for w in expected_waves if w not in present]
            if absent:
                problems.add(f"expected wave {', '.join(map(str, absent))} has no respondents (no rows)",
                             column="wave",
                             fix="add the missing wave to the file or drop it from expected_waves")
    if none_answered.any():
        notices.append(Notice("no_items_answered", {}, rows=int(none_answered.sum())))


def check_duplicates(frame: pd.DataFrame, schema: Schema, matched: dict[str, str], failed: set[str],
                     rows: np.ndarray, problems: Problems, key_codes: KeyCodes) -> None:
    """Refuse repeats of the schema's key.

    The key columns' codes are combined into one int64 code per row (mixed radix,
    re-factorised only when the product of the cardinalities would overflow), and
    the repeats are all but the first occurrence of each code (``numpy.unique``).
    """
    key = [c for c in schema.key if c in matched]
    if len(key) != len(schema.key) or set(key) & failed:
        return
    combined, size = np.zeros(len(frame), dtype=np.int64), 1
    for c in key:
        codes, n = key_codes(c)
        if size * (n + 1) >= 2**62:
            combined, uniques = pd.factorize(combined)
            size = len(uniques)
        combined = combined * (n + 1) + codes + 1
        size *= n + 1
    _, first = np.unique(combined, return_index=True)  # first occurrence of each key
    dup = np.ones(len(combined), dtype=bool)
    dup[first] = False
    if dup.any():
        problems.add(f"duplicate rows: the same {' x '.join(key)} appears more than once (the repeats "
                     f"are counted)", column=", ".join(key), mask=dup, row_numbers=rows,
                     fix="remove the repeated rows, or check that the export did not join tables twice")
