"""What a reader gets in a briefing folder: the published tables, read back as numbers.

A briefing folder holds ``tables/<page>__<name>.csv`` (one file per table, withheld numbers
as empty cells) and ``tables/briefing.xlsx`` (a first sheet explaining the symbols and
listing which sheet holds which CSV file, then one sheet per table, withheld numbers shown
as ``:``). :func:`read_folder` reads both and merges them: a number published in either is
known. The HTML pages are not read (see the package docstring for the numbers they hold
that the tables do not).

Column roles follow the published column list (the workbook's first sheet): grouping
columns come first in every table, then the numbers. Of the numbers, the *count columns*
(:data:`COUNT_COLUMNS`) are non-negative integers about persons or cases (``exposure`` is a
population); the rest (estimates, intervals, p-values …) are derived.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "COUNT_COLUMNS",
    "NUMBER_COLUMNS",
    "PROTECTED_COLUMNS",
    "AuditInputError",
    "Publication",
    "Table",
    "is_total_label",
    "read_folder",
]

#: Columns holding counts (non-negative integers): the unknowns of the attacker's programme.
COUNT_COLUMNS = ("numerator", "denominator", "count", "exposure", "n_at_risk", "events",
                 "numerator_ref", "denominator_ref", "count_ref", "exposure_ref")
#: Count columns whose withheld values must stay protected (``exposure`` is a population figure).
PROTECTED_COLUMNS = ("numerator", "denominator", "count", "n_at_risk", "events",
                     "numerator_ref", "denominator_ref", "count_ref")
#: Every published number column name (anything else before the first of these is a grouping column).
NUMBER_COLUMNS = (*COUNT_COLUMNS, "estimate", "ci_low", "ci_high", "se", "n_eff", "deff", "df", "p_value",
                  "p_adjusted", "percent_change", "percent_low", "percent_high", "estimate_ref", "estimate_to",
                  "n_periods", "dispersion", "quasi")
_FLAGS = ("flag", "flag_reason")

_TOTAL = re.compile(r"^(i alt|total|totalt|alle|all|begge kjønn|both sexes|hele oslo|oslo|oslo i alt)"
                    r"(\s.*)?$", re.IGNORECASE)


class AuditInputError(ValueError):
    """The folder is not a published briefing (one-line message naming the path and the fix)."""


def is_total_label(value: str) -> bool:
    """Whether a grouping value marks a total (margin) row: «I alt», «Total», «Alle trinn», «Oslo» …

    >>> [is_total_label(v) for v in ("I alt", "Alle trinn", "Oslo", "Gamle Oslo", "All", "Allerede")]
    [True, True, True, False, True, False]
    """
    return bool(_TOTAL.match(str(value).strip()))


@dataclass
class Table:
    """One published table: grouping values as text, numbers as floats (``nan`` = not published)."""

    name: str                      # file stem, e.g. "01_crime_trends__districts"
    frame: pd.DataFrame
    groups: list[str]
    numbers: list[str]
    withheld: np.ndarray           # rows flagged "suppressed"
    reasons: list[str]             # published flag_reason per row ("" when none)
    decimals: dict[str, int] = field(default_factory=dict)   # printed decimals of numeric grouping columns
    text: dict[str, list[str]] = field(default_factory=dict)  # number columns as printed (for their precision)

    @property
    def page(self) -> str:
        """The notebook the table belongs to (the file name before ``__``)."""
        return self.name.split("__", 1)[0]

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    def counts(self) -> list[str]:
        """The count columns of this table."""
        return [c for c in self.numbers if c in COUNT_COLUMNS]

    def value(self, row: int, column: str) -> float:
        return float(self.frame.at[row, column])

    def keys(self, row: int) -> dict[str, str]:
        return dict(zip(self.groups, self.key_tuples()[row]))

    def key_tuples(self) -> list[tuple[str, ...]]:
        """The grouping values of every row, as tuples (cached)."""
        cached = self.__dict__.get("_keys")
        if cached is None:
            cached = list(zip(*[self.frame[g].tolist() for g in self.groups])) if self.groups \
                else [()] * len(self.frame)
            self.__dict__["_keys"] = cached
        return cached


@dataclass
class Publication:
    """All tables of one briefing folder, and what the folder says about ``min_count``."""

    folder: Path
    tables: dict[str, Table]
    min_count: int | None
    min_count_source: str
    notes: list[str]

    def pages(self) -> dict[str, list[Table]]:
        out: dict[str, list[Table]] = {}
        for t in self.tables.values():
            out.setdefault(t.page, []).append(t)
        return out


def _number(text: str) -> float:
    text = text.strip()
    if text in ("", ":"):
        return math.nan
    if text in ("true", "false"):
        return 1.0 if text == "true" else 0.0
    return float(text)


def _decimals(values: list[str]) -> int:
    d = 0
    for v in values:
        if re.fullmatch(r"-?\d+\.\d+", v.strip()):
            d = max(d, len(v.strip().split(".")[1]))
    return d


def _table(name: str, header: list[str], rows: list[list[str]], where: str) -> Table:
    first = next((i for i, c in enumerate(header) if c in NUMBER_COLUMNS or c in _FLAGS), len(header))
    groups = header[:first]
    numbers = [c for c in header[first:] if c not in _FLAGS]
    data: dict[str, list] = {g: [r[i] for r in rows] for i, g in enumerate(groups)}
    decimals = {g: _decimals(data[g]) for g in groups}
    for c in numbers:
        i = header.index(c)
        try:
            data[c] = [_number(r[i]) for r in rows]
        except ValueError:
            bad = next(r[i] for r in rows if not re.fullmatch(r"\s*(-?[\d.eE+-]+|nan|inf|:|true|false)?\s*", r[i]))
            raise AuditInputError(f"{where}: column {c!r} holds {bad!r}, not a number; "
                                  "is this a published briefing table?") from None
    frame = pd.DataFrame(data, columns=[*groups, *numbers])
    flag = [r[header.index("flag")] if "flag" in header else "" for r in rows]
    reason = [r[header.index("flag_reason")] if "flag_reason" in header else "" for r in rows]
    text = {c: [r[header.index(c)] for r in rows] for c in numbers}
    return Table(name=name, frame=frame, groups=groups, numbers=numbers,
                 withheld=np.array([f == "suppressed" for f in flag], bool), reasons=reason, decimals=decimals,
                 text=text)


def _read_csv(path: Path) -> Table:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        raise AuditInputError(f"{path}: empty file; a published table has a header line")
    header, body = rows[0], rows[1:]
    body = [r + [""] * (len(header) - len(r)) for r in body]
    return _table(path.stem, header, body, str(path))


_MIN_COUNT = re.compile(r"(?:færre enn|fewer than)\s+(\d+)", re.IGNORECASE)


def _merge_workbook(path: Path, tables: dict[str, Table], notes: list[str]) -> int | None:
    """Read the workbook; add any number it shows that the CSV withholds; return ``min_count`` it states."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    sheets = wb.sheetnames
    min_count = None
    mapping: dict[str, str] = {}
    about = wb[sheets[0]]
    for row in about.iter_rows(values_only=True):
        cells = [c for c in row if c is not None]
        if not cells:
            continue
        if min_count is None and isinstance(cells[0], str) and cells[0].startswith(("«:»", "“:”", '":"')):
            m = _MIN_COUNT.search(cells[0])
            if m:
                min_count = int(m.group(1))
        if len(cells) >= 4 and isinstance(cells[-1], str) and cells[-1].endswith(".csv"):
            mapping[str(cells[0])] = cells[-1][:-4]
    unread = 0
    for sheet, stem in mapping.items():
        if sheet not in sheets or stem not in tables:
            notes.append(f"workbook sheet {sheet!r} names {stem}.csv, which is not in the folder")
            continue
        table = tables[stem]
        values = list(wb[sheet].iter_rows(values_only=True))
        header = [str(c) for c in values[0]]
        if header != [*table.groups, *table.numbers, *[c for c in _FLAGS if c in header]]:
            notes.append(f"workbook sheet {sheet!r} has other columns than {stem}.csv; sheet not compared")
            unread += 1
            continue
        body = values[1:]
        if len(body) != len(table.frame):
            notes.append(f"workbook sheet {sheet!r} has {len(body)} rows, {stem}.csv {len(table.frame)}; "
                         "sheet not compared")
            unread += 1
            continue
        for c in table.numbers:
            j = header.index(c)
            col = table.frame[c].to_numpy()
            for i, row in enumerate(body):
                v = row[j]
                if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isnan(col[i]):
                    notes.append(f"{stem}: the workbook shows {c}={v} in row {i + 1} that the CSV withholds; "
                                 "the audit uses it")
                    table.frame.at[i, c] = float(v)
                elif isinstance(v, (int, float)) and not isinstance(v, bool) and not math.isclose(
                        float(v), col[i], rel_tol=1e-12, abs_tol=1e-12):
                    notes.append(f"{stem}: row {i + 1}, {c}: workbook {v} differs from CSV {col[i]}")
    missing = sorted(set(tables) - set(mapping.values()))
    if missing:
        notes.append(f"{len(missing)} CSV table(s) have no workbook sheet: {', '.join(missing[:5])}")
    wb.close()
    return min_count


def read_folder(folder: str | Path, *, workbook: bool = True) -> Publication:
    """Read a published briefing folder (the folder holding ``tables/``, or ``tables/`` itself)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise AuditInputError(f"{folder}: no such folder; give the briefing's output folder (the one holding tables/)")
    tdir = folder / "tables" if (folder / "tables").is_dir() else folder
    files = sorted(tdir.glob("*__*.csv"))
    if not files:
        raise AuditInputError(f"{folder}: no published tables (tables/<page>__<name>.csv); "
                              "give the briefing's output folder")
    tables = {p.stem: _read_csv(p) for p in files}
    notes: list[str] = []
    min_count, source = None, "not stated"
    book = tdir / "briefing.xlsx"
    if workbook and book.is_file():
        min_count = _merge_workbook(book, tables, notes)
        if min_count is not None:
            source = "the workbook's explanation sheet"
    elif workbook:
        notes.append("no tables/briefing.xlsx: only the CSV files were read")
    if min_count is None:
        for t in tables.values():
            for r in t.reasons:
                m = re.search(r"D1:[^;]*?(\d+)", r)
                if m:
                    min_count, source = int(m.group(1)), f"the D1 reason text in {t.file}"
                    break
            if min_count is not None:
                break
    return Publication(folder=folder, tables=tables, min_count=min_count, min_count_source=source, notes=notes)
