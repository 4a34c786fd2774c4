"""Parse one column of a raw table against its schema column, recording each refusal."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from salto_analysis import schemas
from salto_analysis.io.errors import Problems
from salto_analysis.io.files import Raw
from salto_analysis.io.values import DATE_FORMATS, Parsed, parse_bools, parse_dates, parse_ids, parse_numbers
from salto_analysis.io.vocabulary import parse_category, show_values, vocabulary
from salto_analysis.schemas import Column, Schema

__all__ = ["ITEM_NAMES", "parse_column", "column_values"]

ITEM_NAMES = frozenset(schemas.SURVEY_ITEMS)


def parse_column(raw: Raw, col: Column, file_col: str, schema: Schema, problems: Problems,
                  used_labels: list[str]) -> Parsed:
    """Parse one column by its kind, adding a refusal to ``problems`` for invalid, out-of-range or missing cells."""
    s = raw.frame[file_col]
    rows = raw.rows
    if col.kind == "id":
        parsed = parse_ids(s)
    elif col.kind == "category":
        vocab = vocabulary(schema.name, col.name)
        parsed, used = parse_category(s, vocab, raw.value_labels.get(file_col))
        if used:
            used_labels.append(col.name)
        if parsed.bad.any():
            allowed = ", ".join(vocab.values) if len(vocab.values) <= 8 else \
                f"{len(vocab.values)} values listed in DATA_DICTIONARY.md"
            if col.name in ITEM_NAMES:
                problem = f"answers outside the item's scale {show_values(parsed.bad_values)}; allowed codes: {allowed}"
                fix = "recode to the scale, and leave the cell empty for no answer"
            elif vocab.case_sensitive:
                problem = f"unknown {col.en} {show_values(parsed.bad_values, vocab)}"
                fix = (f"use the official spelling (case and accents as in DATA_DICTIONARY.md) or the district "
                       f"code 01-17 (99 = {schemas.district_names('unknown')[0]})")
            else:
                problem = f"unknown {col.en} {show_values(parsed.bad_values, vocab)}; allowed: {allowed}"
                fix = "use one of the allowed values or a spelling listed in DATA_DICTIONARY.md"
            problems.add(problem, column=col.name, mask=parsed.bad, row_numbers=rows, fix=fix)
    elif col.kind in ("int", "float"):
        parsed = parse_numbers(s, integer=col.kind == "int")
        if parsed.bad.any():
            what = "whole numbers" if col.kind == "int" else "numbers"
            problems.add(f"values that are not {what}", column=col.name, mask=parsed.bad, row_numbers=rows,
                         fix=f"give {what} (a decimal comma is fine)")
        x = parsed.values
        lo = -np.inf if col.min is None else col.min
        hi = np.inf if col.max is None else col.max
        # survey weights must be positive: the schema's minimum 0 is exclusive for them
        below = x <= lo if col.name == "weight" else x < lo
        out = ~np.isnan(x) & (below | (x > hi))
        if out.any():
            problems.add(_range_problem(col, lo, hi), column=col.name, mask=out, row_numbers=rows,
                         fix=_range_fix(col))
    elif col.kind == "date":
        parsed = parse_dates(s)
        if parsed.bad.any():
            problems.add(f"dates that cannot be read (the values are not shown); accepted formats: "
                         f"{' or '.join(DATE_FORMATS)}", column=col.name, mask=parsed.bad, row_numbers=rows,
                         fix="write the dates as YYYY-MM-DD or DD.MM.YYYY")
        future = parsed.values > np.datetime64(dt.date.today(), "s")
        if future.any():
            problems.add("dates in the future (after today)", column=col.name, mask=future, row_numbers=rows,
                         fix="check the date column; it may hold another date or a mistyped year")
    elif col.kind == "bool":
        parsed = parse_bools(s)
        if parsed.bad.any():
            problems.add(f"values that are not yes/no {show_values(parsed.bad_values)}", column=col.name,
                         mask=parsed.bad, row_numbers=rows,
                         fix="use true/false, 1/0, ja/nei or yes/no, or leave empty if unknown")
    else:  # pragma: no cover - schema kinds are fixed
        raise RuntimeError(f"unknown column kind {col.kind!r}")
    if not col.nullable and parsed.missing.any():
        if col.name == "weight":
            problems.add("missing survey weights", column=col.name, mask=parsed.missing, row_numbers=rows,
                         fix="every pupil needs a positive weight; or drop the column for unweighted estimates")
        else:
            problems.add("missing values", column=col.name, mask=parsed.missing, row_numbers=rows,
                         fix=f"fill in {col.name} ({col.nb}) in every row")
    return parsed


def _range_problem(col: Column, lo: float, hi: float) -> str:
    if col.name == "population":
        return "negative population counts"
    if col.name == "weight":
        return "survey weights that are zero or negative"
    if col.name == "age":
        return f"ages outside {lo:g}-{hi:g} (the values are not shown)"
    if np.isinf(hi):
        return f"values below {lo:g}"
    return f"values outside {lo:g}-{hi:g}"


def _range_fix(col: Column) -> str:
    if col.name == "population":
        return "population counts are zero or more; check the source table"
    if col.name == "weight":
        return "survey weights must be positive; fix the weights or drop the column for unweighted estimates"
    if col.name == "age":
        return "check the age column (age in whole years at registration)"
    return f"check the {col.name} column"


ITEM_NAMES = frozenset(schemas.SURVEY_ITEMS)


def column_values(col: Column, values, n: int):
    """The frame column for a parsed column, or an all-missing one of the right dtype when it is absent."""
    if col.kind == "int":
        if values is None:
            return pd.arrays.IntegerArray(np.zeros(n, dtype="int64"), np.ones(n, dtype=bool))
        x = np.asarray(values, dtype="float64")
        return pd.arrays.IntegerArray(np.where(np.isnan(x), 0, x).astype("int64"), np.isnan(x))
    if col.kind == "float":
        return np.full(n, np.nan) if values is None else np.asarray(values, dtype="float64")
    if col.kind == "category":
        if values is None:
            return pd.Categorical.from_codes(np.full(n, -1), categories=list(col.values), ordered=True)
        return values
    if col.kind == "date":
        return np.full(n, np.datetime64("NaT", "s")) if values is None else values
    if col.kind == "bool":
        return pd.arrays.BooleanArray(np.zeros(n, dtype=bool), np.ones(n, dtype=bool)) if values is None else values
    return pd.Series(np.full(n, np.nan), dtype="str") if values is None else values
