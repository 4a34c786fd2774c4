"""Read and validate the three inputs: police register, population and Ung i Oslo survey.

:func:`load_register`, :func:`load_population` and :func:`load_survey` read one
file, check it against :data:`salto_analysis.schemas.REGISTER` / ``POPULATION`` /
``SURVEY`` and return a typed :class:`pandas.DataFrame`; :func:`load_all` reads the
three files of a data folder found by :func:`find_input`.

Formats
-------
``.csv`` and ``.csv.gz``
    UTF-8 (with or without BOM) or Windows-1252: the file is decoded as UTF-8
    and, if that fails, as Windows-1252 (Python's ``cp1252`` codec); anything
    else is refused. The separator is the most frequent of ``;`` ``,`` tab ``|``
    outside quotes in the header line. Quoting follows RFC 4180. Numbers may use
    a decimal comma (``1,25``) and spaces as thousands separators (``12 345``).
    Parsing uses pyarrow's multithreaded CSV reader; Python's :mod:`csv`
    module takes over when pyarrow cannot parse a file, to find the exact rows.
``.xlsx``
    The sheet named like the input (``register``...) or else the first sheet;
    the header is the first row.
``.sav``
    SPSS files via pyreadstat. For category columns the value labels are used
    when every label is a recognised spelling, otherwise the codes.
``.parquet``
    Read with pyarrow.

Row numbers
-----------
Errors quote rows as in the file, 1-based with the header as row 1, so the
first data row is row 2 (the row number a spreadsheet shows). For ``.sav`` and
``.parquet`` files, which have no header line, row *n + 1* is record *n*.

Values
------
Column names match case-insensitively, by the schema name or its Norwegian or
English label (``kjønn``, ``Sex`` and ``sex`` all give ``sex``). Code lists
(role, sex, offence type, grade, survey answers, yes/no) match
case-insensitively by code, Norwegian or English label, or a listed synonym
(:func:`accepted_spellings`; ``DATA_DICTIONARY.md`` lists them all).

District names are the exception: they must be spelled exactly as in
``salto_analysis/data/districts.csv`` (case and letters æøåü), or given by district
code (``01``, ``1``) or municipal code (``030101``). A district that differs only in
case or accents (``st. hanshaugen``, ``Grunerlokka``) is refused with a "did you
mean" suggestion. Names are proper nouns from an official list that also keys the
crosswalk for the 2027/2028 district reform; an export that changed their case
has often changed more, and one correction at the source is safer than a guess.

Empty cells and ``NA``, ``N/A``, ``nan``, ``null``, ``none`` (any case) are missing.
Rows in which every cell is empty are dropped and counted
(``rows_dropped_by_reason["blank"]``); every other row is kept.

Refusals and accounting
-----------------------
Every refusal raises :class:`InputError`, a :class:`ValueError` whose one-line
message names the file, the column, the problem, how many rows are affected and
the first of them, and the fix. Values from identifier columns and from dates and
ages (which could identify a child) never appear in a message.

Each returned frame carries ``attrs["accounting"]``, an :class:`Accounting`
record in its plain-dict form (rows read, kept, dropped and excluded by reason,
notices; :meth:`Accounting.from_dict` gives the record back), shown by
:func:`accounting_table`, and ``attrs["synthetic"]``, true when the file's folder
holds a ``manifest.json`` that lists the file as synthetic with a matching
SHA-256.

"Excluded from analysis" is explicit: register rows with an age outside
10-22 stay in the frame with ``in_scope == False`` and are counted by reason
(``age_outside_scope``); analyses filter on ``in_scope``.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import gzip
import hashlib
import io as _io
import json
import math
import re
import unicodedata
import warnings
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from os import PathLike
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from salto_analysis import labels, schemas
from salto_analysis.schemas import Column, Schema

__all__ = [
    "InputError",
    "InputWarning",
    "Notice",
    "Accounting",
    "Inputs",
    "SUPPORTED_EXTENSIONS",
    "load",
    "load_register",
    "load_population",
    "load_survey",
    "load_all",
    "find_input",
    "accounting_table",
    "accepted_spellings",
    "column_spellings",
    "national_id_mask",
]

#: File name endings the loaders read, in the order :func:`find_input` reports them.
SUPPORTED_EXTENSIONS: tuple[str, ...] = (".csv", ".csv.gz", ".xlsx", ".sav", ".parquet")

#: Cell values read as missing (compared case-insensitively after trimming).
NA_TOKENS: tuple[str, ...] = ("", "na", "n/a", "nan", "null", "none")

#: Spellings of true and false for ``bool`` columns (case-insensitive).
BOOL_SPELLINGS: dict[bool, tuple[str, ...]] = {
    True: ("true", "1", "ja", "j", "yes", "y", "sant", "t"),
    False: ("false", "0", "nei", "n", "no", "usant", "f"),
}

#: Date formats accepted in text cells (``.xlsx``, ``.sav`` and ``.parquet`` dates are read as dates).
DATE_FORMATS: tuple[str, ...] = ("YYYY-MM-DD (ISO 8601, optionally with a time)", "DD.MM.YYYY")

_SHOWN_ROWS = 5
_NA = frozenset(NA_TOKENS)
_ID_KINDS = ("id",)


# =========================================================================== errors and records


class InputError(ValueError):
    """A bad input file, described in one line.

    The message names the file, the column (if one is at fault), the problem,
    how many rows are affected and the first of them (1-based, header = row 1),
    and the fix. The parts are also attributes, for tests and callers.

    >>> str(InputError("register.csv", "unknown role 'x'", column="role", rows=[3], count=1,
    ...                fix="use suspect or victim"))
    "register.csv: column 'role': unknown role 'x'; 1 row affected, first rows: 3. Fix: use suspect or victim."
    """

    def __init__(self, file, problem: str, *, fix: str, column: str | None = None,
                 rows: Sequence[int] = (), count: int | None = None, more: Sequence[str] = ()):
        self.file = str(file)
        self.problem = problem
        self.fix = fix
        self.column = column
        self.rows = tuple(int(r) for r in list(rows)[:_SHOWN_ROWS])
        self.count = count
        self.more = tuple(more)
        super().__init__(self._message())

    def _message(self) -> str:
        text = f"{self.file}: "
        if self.column:
            text += f"column{'s' if ',' in self.column else ''} {_quote_columns(self.column)}: "
        text += self.problem
        if self.count is not None:
            text += f"; {self.count} row{'' if self.count == 1 else 's'} affected"
            if self.rows:
                text += ", first rows: " + ", ".join(map(str, self.rows))
        text += f". Fix: {self.fix.rstrip('.')}."
        if self.more:
            text += f" ({len(self.more)} more problem{'' if len(self.more) == 1 else 's'}: {'; '.join(self.more)}.)"
        return " ".join(text.split())  # always one line

    def with_more(self, others: Sequence[InputError]) -> InputError:
        """The same error, noting the other problems found in the same file."""
        more = [f"column {_quote_columns(e.column)}" if e.column else e.problem for e in others]
        return InputError(self.file, self.problem, fix=self.fix, column=self.column, rows=self.rows,
                          count=self.count, more=more)


class InputWarning(UserWarning):
    """Something in an input file the analyst should know about; the load goes on."""


@dataclass(frozen=True)
class Notice:
    """A remark about a load, rendered in Norwegian or English by :meth:`text`.

    ``code`` names a text ``io.notice.<code>`` in :mod:`salto_analysis.labels`,
    ``fields`` fill it in, ``rows`` says how many rows it concerns (if any).
    """

    code: str
    fields: Mapping[str, str] = field(default_factory=dict)
    rows: int | None = None

    def text(self, lang: str = "nb") -> str:
        return labels.t(f"io.notice.{self.code}", lang, **self.fields)


@dataclass(frozen=True)
class Accounting:
    """What happened to the rows of one input file.

    ``rows_read`` data rows were in the file (header not counted);
    ``rows_dropped_by_reason`` were removed (only blank rows are); the remaining
    ``rows_kept`` are in the frame. Of these, ``rows_excluded_by_reason`` are kept
    but marked out of analysis (``in_scope == False``), leaving
    ``rows_in_analysis``.
    """

    kind: str
    file: str
    sha256: str
    format: str
    rows_read: int
    rows_kept: int
    rows_in_analysis: int
    rows_dropped_by_reason: Mapping[str, int] = field(default_factory=dict)
    rows_excluded_by_reason: Mapping[str, int] = field(default_factory=dict)
    notices: tuple[Notice, ...] = ()
    synthetic: bool = False
    encoding: str | None = None
    separator: str | None = None

    def __post_init__(self):
        dropped = sum(self.rows_dropped_by_reason.values())
        if self.rows_read != self.rows_kept + dropped:
            raise ValueError(f"accounting does not add up: {self.rows_read} read != "
                             f"{self.rows_kept} kept + {dropped} dropped")

    def to_dict(self) -> dict:
        """Plain JSON-ready form, as stored in ``DataFrame.attrs["accounting"]``.

        ``attrs`` travel with the frame and pandas writes them as JSON (for example
        in ``to_parquet``), so they hold only plain values.
        """
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["rows_dropped_by_reason"] = dict(self.rows_dropped_by_reason)
        out["rows_excluded_by_reason"] = dict(self.rows_excluded_by_reason)
        out["notices"] = [{"code": n.code, "fields": dict(n.fields), "rows": n.rows} for n in self.notices]
        return out

    @classmethod
    def from_dict(cls, data: Mapping) -> Accounting:
        """The record back from :meth:`to_dict`."""
        fields = dict(data)
        fields["notices"] = tuple(Notice(n["code"], dict(n.get("fields", {})), n.get("rows"))
                                  for n in fields.get("notices", ()))
        return cls(**fields)


class Inputs(NamedTuple):
    """The three inputs of a data folder (``None`` for an optional one that is absent)."""

    register: pd.DataFrame | None
    population: pd.DataFrame | None
    survey: pd.DataFrame | None


def _quote_columns(column: str) -> str:
    return ", ".join(f"'{c.strip()}'" for c in column.split(","))


class _Problems:
    """Collects the refusals of one load so the first can name the others."""

    def __init__(self, file: str):
        self.file = file
        self.errors: list[InputError] = []

    def add(self, problem: str, *, fix: str, column: str | None = None, rows=None, count: int | None = None,
            mask: np.ndarray | None = None, row_numbers: np.ndarray | None = None) -> None:
        if mask is not None:
            hits = np.flatnonzero(mask)
            count = len(hits)
            rows = row_numbers[hits[:_SHOWN_ROWS]]
        self.errors.append(InputError(self.file, problem, fix=fix, column=column,
                                      rows=() if rows is None else rows, count=count))

    def raise_if_any(self) -> None:
        if self.errors:
            raise self.errors[0].with_more(self.errors[1:])


# =========================================================================== reading raw tables


@dataclass
class _Raw:
    """A table as read from the file: header names, raw cell values and file row numbers."""

    frame: pd.DataFrame
    rows: np.ndarray
    format: str
    encoding: str | None = None
    separator: str | None = None
    value_labels: dict[str, dict] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    blank: int = 0  # blank rows: empty lines the CSV parser skipped, then all-empty rows dropped


def _format_of(path: Path) -> str | None:
    name = path.name.lower()
    for ext in sorted(SUPPORTED_EXTENSIONS, key=len, reverse=True):
        if name.endswith(ext):
            return ext[1:]
    return None


def _not_a_table(file: str, why: str) -> InputError:
    return InputError(file, f"the file is not a readable table ({why})",
                      fix="export the data again as CSV (UTF-8), .xlsx, .sav or .parquet")


def _read_raw(path: Path, file: str, kind: str, data: bytes | None) -> _Raw:
    fmt = _format_of(path)
    if fmt in ("csv", "csv.gz"):
        if fmt == "csv.gz":
            try:
                data = gzip.decompress(data)
            except (EOFError, OSError, zlib.error) as exc:
                why = "the gzip stream is truncated" if isinstance(exc, EOFError) else "not valid gzip data"
                raise _not_a_table(file, why) from None
        return _read_csv(data, file)
    if fmt == "xlsx":
        return _read_xlsx(path, file, kind)
    if fmt == "sav":
        return _read_sav(path, file)
    return _read_parquet(path, file)


def _read_csv(data: bytes, file: str) -> _Raw:
    if not data[:65536].strip() and not data.strip():
        raise InputError(file, "the file is empty", fix="export the data again; the file has no header and no rows")
    head = data[:8192]
    if head.startswith(b"PK\x03\x04"):
        raise _not_a_table(file, "it is a zip or Excel file; name it .xlsx if it is one")
    if head.startswith(b"\x1f\x8b"):
        raise _not_a_table(file, "it is gzip-compressed; name it .csv.gz")
    if b"\x00" in head:
        raise _not_a_table(file, "binary data, not text")
    bom = data.startswith(b"\xef\xbb\xbf")
    if bom:
        data = data[3:]
    try:
        data.decode("utf-8")
        encoding = "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError:
        try:
            data = data.decode("cp1252").encode("utf-8")
        except UnicodeDecodeError:
            raise _not_a_table(file, "text that is neither UTF-8 nor Windows-1252") from None
        encoding = "cp1252"

    end_header = data.find(b"\n")
    header_line = (data if end_header < 0 else data[:end_header]).decode("utf-8").rstrip("\r")
    separator = _sniff_separator(header_line)
    names = [n.strip() for n in next(csv.reader([header_line], delimiter=separator))]
    body = b"" if end_header < 0 else data[end_header + 1:]
    if not body.strip():
        raise InputError(file, "the file has a header (row 1) but no data rows",
                         fix="export the data again with its rows")
    frame, rows, skipped = _parse_csv_body(body, separator, len(names), file)
    return _Raw(frame=_name_columns(frame, names), rows=rows, format="csv", encoding=encoding,
                separator=separator, blank=skipped)


def _sniff_separator(header: str) -> str:
    """The most frequent candidate separator outside double quotes in the header line."""
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {sep: unquoted.count(sep) for sep in (";", ",", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _parse_csv_body(body: bytes, sep: str, ncols: int, file: str) -> tuple[pd.DataFrame, np.ndarray, int]:
    """Parse the data rows: pyarrow first, Python's csv module when pyarrow cannot.

    Returns the rows, their file row numbers and the number of empty lines skipped.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(ncols)]
    try:
        table = pacsv.read_csv(
            pa.py_buffer(body),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=True),
            parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False),
        )
    except pa.ArrowInvalid:  # the message quotes row content: never show it
        return _parse_csv_python(body, sep, ncols, file)
    frame = table.to_pandas()
    del table
    rows = _csv_row_numbers(body, len(frame))
    if rows is None:  # quoted line breaks: let the csv module count the lines
        return _parse_csv_python(body, sep, ncols, file)
    return frame, rows, int(rows[-1]) - 1 - len(frame) if len(rows) else 0


def _csv_row_numbers(body: bytes, n: int) -> np.ndarray | None:
    """File row numbers of the records pyarrow parsed (it skips empty lines), or None if unsure."""
    end = len(body)
    while end and body[end - 1] in b"\r\n":
        end -= 1
    if body.count(b"\n", 0, end) + 1 == n:  # one record per line: no empty lines, no quoted line breaks
        return np.arange(2, n + 2)
    lines = body[:end].split(b"\n")
    nonempty = np.fromiter((bool(line.rstrip(b"\r")) for line in lines), dtype=bool, count=len(lines))
    rows = np.flatnonzero(nonempty) + 2
    return rows if len(rows) == n else None


def _parse_csv_python(body: bytes, sep: str, ncols: int, file: str) -> tuple[pd.DataFrame, np.ndarray, int]:
    text = body.rstrip(b"\r\n").decode("utf-8")
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=sep)
    records, rows, bad_rows, bad_counts = [], [], [], set()
    line = 1
    try:
        for record in reader:
            start = line + 1
            line = reader.line_num + 1
            if not record or (len(record) == 1 and not record[0].strip()):
                records.append([""] * ncols)
            elif len(record) != ncols:
                bad_rows.append(start)
                bad_counts.add(len(record))
                continue
            else:
                records.append(record)
            rows.append(start)
    except csv.Error:
        raise _not_a_table(file, f"unreadable CSV quoting near row {line + 1}") from None
    if bad_rows:
        raise InputError(file, f"rows have {' or '.join(map(str, sorted(bad_counts)))} fields where the header "
                         f"has {ncols}", count=len(bad_rows), rows=bad_rows,
                         fix="check separators and quotes in these rows (a value containing the separator "
                             "must be in double quotes)")
    frame = pd.DataFrame(records, columns=[f"c{i}" for i in range(ncols)], dtype="str")
    return frame, np.asarray(rows, dtype=np.int64), 0


def _name_columns(frame: pd.DataFrame, names: Sequence) -> pd.DataFrame:
    """Give the frame the header names; unnamed columns get ``column_<n>`` (empty ones are dropped)."""
    out = {}
    for i, (name, col) in enumerate(zip(names, frame.columns)):
        name = "" if name is None else str(name).replace("\ufeff", "").strip()
        if not name:
            if _blank_mask(frame[col]).all():
                continue
            name = f"column_{i + 1}"
        while name in out:
            name += "_"
        out[name] = frame[col]
    return pd.DataFrame(out, index=frame.index)


def _read_xlsx(path: Path, file: str, kind: str) -> _Raw:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, InvalidFileException, KeyError ...: all mean "not a workbook"
        raise _not_a_table(file, f"not a valid .xlsx workbook: {type(exc).__name__}") from None
    try:
        sheets = {ws.title.casefold(): ws for ws in book.worksheets}
        sheet = sheets.get(kind, book.worksheets[0])
        values = list(sheet.iter_rows(values_only=True))
    finally:
        book.close()
    notices = []
    if len(book.worksheets) > 1:
        notices.append(Notice("sheet", {"sheet": sheet.title, "n": str(len(book.worksheets))}))
    while values and all(v is None or (isinstance(v, str) and not v.strip()) for v in values[-1]):
        values.pop()
    if not values:
        raise InputError(file, "the file is empty", fix="put the header in row 1 and the data below it")
    header, data = values[0], values[1:]
    if not data:
        raise InputError(file, "the file has a header (row 1) but no data rows",
                         fix="export the data again with its rows")
    width = max(len(header), max(len(r) for r in data))
    frame = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in data], dtype=object)
    frame = _name_columns(frame, list(header) + [None] * (width - len(header)))
    return _Raw(frame=frame, rows=np.arange(2, len(data) + 2), format="xlsx", notices=notices)


def _read_sav(path: Path, file: str) -> _Raw:
    import pyreadstat

    try:
        frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=False, user_missing=False)
    except Exception as exc:  # pyreadstat.ReadstatError, PyreadstatError, OSError
        raise _not_a_table(file, f"not a readable SPSS file: {type(exc).__name__}") from None
    if frame.shape[1] == 0:
        raise InputError(file, "the file is empty", fix="save the SPSS file again with its variables")
    if len(frame) == 0:
        raise InputError(file, "the file has variables (row 1) but no cases",
                         fix="save the SPSS file again with its cases")
    frame.columns = [str(c) for c in frame.columns]
    return _Raw(frame=frame.reset_index(drop=True), rows=np.arange(2, len(frame) + 2), format="sav",
                value_labels=dict(meta.variable_value_labels))


def _read_parquet(path: Path, file: str) -> _Raw:
    import pyarrow as pa

    try:
        frame = pd.read_parquet(path)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise _not_a_table(file, f"not a readable Parquet file: {type(exc).__name__}") from None
    if frame.shape[1] == 0:
        raise InputError(file, "the file is empty", fix="write the Parquet file again with its columns")
    if len(frame) == 0:
        raise InputError(file, "the file has columns (row 1) but no data rows",
                         fix="write the Parquet file again with its rows")
    frame.columns = [str(c) for c in frame.columns]
    return _Raw(frame=frame.reset_index(drop=True), rows=np.arange(2, len(frame) + 2), format="parquet")


def _blank_mask(s: pd.Series) -> np.ndarray:
    """Cells that are missing or only whitespace."""
    if pd.api.types.is_string_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype):
        return (s.isna().to_numpy() | (s == "").to_numpy(dtype=bool, na_value=True)
                | s.str.isspace().to_numpy(dtype=bool, na_value=True))
    if s.dtype == object:
        return np.fromiter((v is None or (isinstance(v, float) and math.isnan(v))
                            or (isinstance(v, str) and not v.strip()) for v in s), dtype=bool, count=len(s))
    return s.isna().to_numpy()


def _drop_blank_rows(raw: _Raw) -> None:
    frame = raw.frame
    if frame.shape[1] == 0:
        return
    blank = _blank_mask(frame.iloc[:, 0])
    for col in frame.columns[1:]:
        if not blank.any():
            break
        idx = np.flatnonzero(blank)
        blank[idx] = _blank_mask(frame[col].iloc[idx])
    if blank.any():
        raw.blank += int(blank.sum())
        keep = ~blank
        raw.frame = frame.loc[keep].reset_index(drop=True)
        raw.rows = raw.rows[keep]


# =========================================================================== columns


def _column_key(name: str) -> str:
    return _fold(str(name).replace("\ufeff", "").replace("_", " "))


def column_spellings(schema: Schema) -> dict[str, tuple[str, ...]]:
    """Header names accepted for each column of ``schema``: its name and Norwegian and English labels.

    Matching ignores case and accents (``kjonn`` is ``kjønn``, as SPSS variable
    names are often written), and ``_`` counts as a space.
    """
    out = {}
    for col in schema.columns:
        names = []
        for name in (col.name, col.nb, col.en):
            if _column_key(name) not in (_column_key(n) for n in names):
                names.append(name)
        out[col.name] = tuple(names)
    return out


@cache
def _column_lookup(schema_name: str) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for col, names in column_spellings(schemas.SCHEMAS[schema_name]).items():
        for name in names:
            key = _column_key(name)
            if lookup.setdefault(key, col) != col:
                raise RuntimeError(f"schema {schema_name}: header {name!r} would match two columns")
    return lookup


def _match_columns(raw: _Raw, schema: Schema, file: str, problems: _Problems) -> tuple[dict[str, str], list[str], list[str]]:
    """Map schema column -> file column; also the unknown and the replaced derived columns."""
    lookup = _column_lookup(schema.name)
    matched: dict[str, str] = {}
    unknown, replaced = [], []
    for name in raw.frame.columns:
        target = lookup.get(_column_key(name))
        if target is None:
            unknown.append(name)
        elif target in matched:
            problems.add(f"the header (row 1) has two columns for it ('{matched[target]}' and '{name}')",
                         column=target, fix="keep one of them")
        elif schema[target].derived:
            replaced.append(name)
        else:
            matched[target] = name
    missing = [c for c in schema.required_names if c not in matched]
    if missing:
        labels_ = ", ".join(f"{c} ({schema[c].nb})" for c in missing)
        problems.add(f"required column{'s' if len(missing) > 1 else ''} missing from the header (row 1)",
                     column=", ".join(missing), fix=f"add the column{'s' if len(missing) > 1 else ''} "
                     f"{labels_}; see DATA_DICTIONARY.md")
    for group in schema.one_of:
        if not any(c in matched for c in group):
            problems.add("neither column is in the header (row 1)", column=", ".join(group),
                         fix=f"add one of the columns {' or '.join(group)}")
    return matched, unknown, replaced


# =========================================================================== values


def _canon(v) -> str | None:
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


def _factorize(s: pd.Series) -> tuple[np.ndarray, list[str | None]]:
    """Codes into the distinct values, and those values as canonical text."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    return codes, [_canon(v) for v in list(uniques)]


def _take(codes: np.ndarray, per_unique: np.ndarray, fill) -> np.ndarray:
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


class _Parsed(NamedTuple):
    values: object           # array-like for the frame column
    missing: np.ndarray      # bool: cell empty
    bad: np.ndarray          # bool: cell present but not valid
    bad_values: list[str]    # the distinct invalid values (never shown for ids, dates, ages)


def _parse_numeric(s: pd.Series, integer: bool) -> _Parsed:
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        x = s.to_numpy(dtype="float64", na_value=np.nan)
        missing = np.isnan(x)
        bad = ~missing & (x != np.round(x)) if integer else np.zeros(len(x), dtype=bool)
        return _Parsed(x, missing, bad, [])
    codes, uniques = _factorize(s)
    vals = np.array([np.nan if u is None else (_parse_number(u) if _parse_number(u) is not None else np.inf)
                     for u in uniques], dtype="float64")
    unique_bad = np.isinf(vals)
    if integer:
        unique_bad |= np.isfinite(vals) & (vals != np.round(vals))
    unique_missing = np.array([u is None for u in uniques], dtype=bool)
    x = _take(codes, np.where(unique_bad, np.nan, vals), np.nan)
    return _Parsed(x, _take(codes, unique_missing, True), _take(codes, unique_bad, False),
                   [u for u, b in zip(uniques, unique_bad) if b])


def _parse_dates(s: pd.Series) -> _Parsed:
    codes, uniques = _factorize(s)
    parsed = [None if u is None else _parse_date(u) for u in uniques]
    unique_missing = np.array([u is None for u in uniques], dtype=bool)
    unique_bad = np.array([u is not None and p is None for u, p in zip(uniques, parsed)], dtype=bool)
    days = np.array(["NaT" if p is None else p.isoformat() for p in parsed], dtype="datetime64[D]")
    values = _take(codes, days, np.datetime64("NaT", "D")).astype("datetime64[s]")
    return _Parsed(values, _take(codes, unique_missing, True), _take(codes, unique_bad, False), [])


@cache
def _bool_lookup() -> dict[str, bool]:
    return {s: value for value, spellings in BOOL_SPELLINGS.items() for s in spellings}


def _parse_bools(s: pd.Series) -> _Parsed:
    codes, uniques = _factorize(s)
    lookup = _bool_lookup()
    as_int = np.array([-1 if u is None else {True: 1, False: 0}.get(lookup.get(u.casefold()), -2)
                       for u in uniques], dtype=np.int8)
    x = _take(codes, as_int, np.int8(-1))
    values = pd.arrays.BooleanArray(x == 1, x < 0)
    return _Parsed(values, x == -1, x == -2, [u for u, v in zip(uniques, as_int) if v == -2])


def _parse_ids(s: pd.Series) -> _Parsed:
    if pd.api.types.is_integer_dtype(s.dtype):
        values = s.astype("Int64").astype("str")
        missing = s.isna().to_numpy()
    elif pd.api.types.is_float_dtype(s.dtype):
        values = pd.Series([_canon(v) for v in s], index=s.index, dtype="str")
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
        values = pd.Series([_canon(v) for v in s.astype(object)], index=s.index, dtype="str")
        missing = values.isna().to_numpy()
    values = values.where(~missing, None)
    values = values.astype("str").reset_index(drop=True)
    return _Parsed(values, missing, np.zeros(len(s), dtype=bool), [])


# --------------------------------------------------------------------------- code lists

_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "role": {"suspect": ("mistenkt", "siktet", "mistenkt/siktet", "gjerningsperson"),
             "victim": ("fornærmet", "offer")},
    "sex": {"female": ("f", "k", "kvinne", "jente", "girl", "woman", "kvinnelig"),
            "male": ("m", "mann", "gutt", "boy", "man", "mannlig")},
    "grade": {
        **{g: (f"{g}. trinn", f"{g}.trinn", f"{g} trinn", f"trinn {g}", f"grade {g}", f"{g}. klasse")
           for g in ("8", "9", "10")},
        **{f"VG{i}": (f"vg {i}", f"vg{i}", f"vgs{i}", f"vg{i} (videregående)") for i in (1, 2, 3)},
    },
}


@dataclass(frozen=True)
class _Vocabulary:
    """The values of a category column and every spelling that resolves to one of them."""

    values: tuple[str, ...]
    lookup: dict[str, str]
    case_sensitive: bool
    suggest_from: dict[str, str]  # folded spelling -> value

    def key(self, s: str) -> str:
        s = s.replace("\u2013", "-").replace("\u2014", "-")  # en and em dashes count as hyphens
        return s if self.case_sensitive else s.casefold()

    def resolve(self, s: str) -> str | None:
        return self.lookup.get(self.key(s))

    def suggest(self, s: str) -> str | None:
        folded = _fold(s)
        if folded in self.suggest_from:
            return self.suggest_from[folded]
        close = difflib.get_close_matches(folded, list(self.suggest_from), n=1, cutoff=0.75)
        return self.suggest_from[close[0]] if close else None


def _fold(s: str) -> str:
    """Case- and accent-folded text for "did you mean" (ø->o, æ->ae, å->a, ü->u)."""
    s = s.casefold().replace("ø", "o").replace("æ", "ae")
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return " ".join(s.split())


def accepted_spellings(column: Column) -> dict[str, tuple[str, ...]]:
    """For each value of a category column, the other spellings the loaders accept.

    Districts: the English name, the district code (``01`` and ``1``) and the
    municipal code (``030101``), matched exactly. Other code lists: the Norwegian and
    English labels and the synonyms in ``_SYNONYMS``, matched case-insensitively.
    """
    if column.value_labels is None:
        raise ValueError(f"column {column.name!r} is not a category column")
    if column.value_labels is schemas._DISTRICTS or column.name in ("district", "scene_district"):
        d = schemas.districts()
        out = {}
        for row in d.itertuples():
            spellings = [row.name_en] if row.name_en != row.name_nb else []
            spellings += [row.code, str(int(row.code)), row.municipal_code]
            out[row.name_nb] = tuple(dict.fromkeys(spellings))
        return out
    extra = _SYNONYMS.get(column.name, {})
    out = {}
    for value, (nb, en) in column.value_labels.items():
        spellings = [nb, en, *extra.get(value, ())]
        seen = {value.casefold()}
        keep = []
        for sp in spellings:
            if sp.casefold() not in seen:
                seen.add(sp.casefold())
                keep.append(sp)
        out[value] = tuple(keep)
    return out


@cache
def _vocabulary(schema_name: str, column_name: str) -> _Vocabulary:
    column = schemas.SCHEMAS[schema_name][column_name]
    spellings = accepted_spellings(column)
    district = column.name in ("district", "scene_district")
    lookup: dict[str, str] = {}
    suggest: dict[str, str] = {}
    for value, others in spellings.items():
        for sp in (value, *others):
            key = sp.replace("\u2013", "-").replace("\u2014", "-")
            key = key if district else key.casefold()
            if lookup.setdefault(key, value) != value:
                raise RuntimeError(f"{schema_name}.{column_name}: spelling {sp!r} is ambiguous")
            if not sp.isdigit():
                suggest.setdefault(_fold(sp), value)
    return _Vocabulary(tuple(spellings), lookup, district, suggest)


def _parse_category(s: pd.Series, vocab: _Vocabulary, value_labels: Mapping | None) -> tuple[_Parsed, bool]:
    """Codes into ``vocab.values``; with SPSS value labels, labels are tried first.

    Returns the parse and whether the SPSS labels were used.
    """
    codes, uniques = _factorize(s)
    candidates = []
    if value_labels:
        by_text = {_canon(k): v for k, v in value_labels.items()}
        candidates.append(([None if u is None else _canon(by_text.get(u, u)) for u in uniques], True))
    candidates.append((uniques, False))
    tried = []
    for texts, used_labels in candidates:
        positions = np.array([-1 if t is None else
                              (vocab.values.index(v) if (v := vocab.resolve(t)) is not None else -2)
                              for t in texts], dtype=np.int64)
        tried.append((int((positions == -2).sum()), texts, used_labels, positions))
        if not (positions == -2).any():
            break
    _, texts, used_labels, positions = min(tried, key=lambda t: t[0])  # ties: the labels
    x = _take(codes, positions, -1)
    bad = x == -2
    cat = pd.Categorical.from_codes(np.where(bad, -1, x), categories=list(vocab.values), ordered=True)
    bad_values = [t for t, p in zip(texts, positions) if p == -2]
    return _Parsed(cat, x == -1, bad, bad_values), used_labels


def _show_values(values: Iterable[str], vocab: _Vocabulary | None = None, limit: int = 3) -> str:
    shown = []
    for v in list(values)[:limit]:
        v = v if len(v) <= 40 else v[:37] + "..."
        text = repr(v)
        if vocab is not None and (hint := vocab.suggest(v)) is not None:
            text += f" (did you mean '{hint}'?)"
        shown.append(text)
    return ", ".join(shown)


# =========================================================================== national identity numbers

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
    lengths = s.str.len().to_numpy(dtype="float64", na_value=0)
    cand = np.flatnonzero((lengths >= 10) & (lengths <= 14))
    if not len(cand):
        return out
    sub = s.iloc[cand].str.replace(r"[\s.\-]", "", regex=True)
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


def _check_national_ids(frame: pd.DataFrame, columns: Iterable[str], rows: np.ndarray,
                        problems: _Problems) -> None:
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


# =========================================================================== loading


def load_register(path: str | PathLike) -> pd.DataFrame:
    """Load the police register (one row per case x person x role).

    Returns the columns of :data:`~salto_analysis.schemas.REGISTER`, typed, plus
    any unknown columns of the file (kept as text, with a notice). Derived:

    * ``year`` = calendar year of ``registered_date``;
    * ``age``: given, or ``year - birth_year`` when only the birth year is known
      (the age reached during the registration year, Statistics Norway's
      "alder ved utgangen av året"; it is one year too high for persons registered
      before their birthday). If both are given, ``age`` must be
      ``year - birth_year`` or one less;
    * ``age_group`` 10-14 / 15-17 / 18-22 (:func:`salto_analysis.schemas.age_group`);
    * ``group_offence``: the case has two or more distinct suspects (all rows of
      the case, victims included, carry the flag);
    * ``ssb_offence_group`` from ``salto_analysis/data/offence_groups.csv``;
    * ``in_scope``: age within 10-22. Other rows stay in the frame, excluded from
      analysis and counted as ``age_outside_scope`` in the accounting.

    Refused (:class:`InputError`): missing required columns, unparseable or future
    dates, ages outside 0-120 (given or from birth years), unknown roles, offence
    types or districts, missing values in required columns, duplicate
    case x person x role rows and national identity numbers in any id column.
    """
    return load(path, "register")


def load_population(path: str | PathLike) -> pd.DataFrame:
    """Load population counts by year, district, sex and single year of age.

    Derived: ``age_group``. Refused: negative counts, ages outside 0-120,
    unknown districts or sexes, missing values and duplicate
    year x district x sex x age rows.
    """
    return load(path, "population")


def load_survey(path: str | PathLike, *, expected_waves: Iterable[int] | None = None) -> pd.DataFrame:
    """Load Ung i Oslo survey answers (one row per pupil).

    Survey items are categories with the raw Ungdata codes (``"1"`` = no, not in
    the last 12 months ... ``"5"`` = 11 times or more; ``cannabis_legal``: ``"1"``
    yes, ``"2"`` no, ``"3"`` don't know). Without a ``weight`` column every pupil
    gets weight 1.0 (a notice says so); a weight column must be positive in every row.

    A *wave with no respondents* is refused in two forms: a wave listed in
    ``expected_waves`` that has no rows in the file, and a wave whose rows all
    have every survey item empty (nobody answered). Pupils who answered no item
    in a wave where others did are kept and counted in a notice.

    Refused also: items outside their answer scale, missing, zero or negative
    weights, unknown districts or grades, a file with no survey item column,
    duplicate wave x pupil_id rows and national identity numbers in id columns.
    """
    waves = None
    if expected_waves is not None:
        waves = tuple(expected_waves)
        bad = [w for w in waves if not isinstance(w, (int, np.integer)) or isinstance(w, bool)]
        if bad:
            raise ValueError(f"expected_waves={waves!r} must be whole years, e.g. (2015, 2018, 2021, 2023)")
    return load(path, "survey", expected_waves=waves)


def load(path: str | PathLike, kind: str, *, expected_waves: Sequence[int] | None = None) -> pd.DataFrame:
    """Load one input file of ``kind`` (``register``, ``population`` or ``survey``)."""
    if kind not in schemas.SCHEMAS:
        raise ValueError(f"kind={kind!r} must be one of {', '.join(schemas.SCHEMAS)}")
    if expected_waves is not None and kind != "survey":
        raise ValueError(f"expected_waves={expected_waves!r} applies only to kind='survey'")
    path = Path(path)
    file = str(path)
    schema = schemas.SCHEMAS[kind]
    if _format_of(path) is None:
        raise InputError(file, f"unsupported file type '{''.join(path.suffixes) or path.name}'",
                         fix=f"give a {', '.join(SUPPORTED_EXTENSIONS)} file")
    if not path.is_file():
        raise InputError(file, "file not found", fix="check the path and the file name")
    data = path.read_bytes()
    if not data:
        raise InputError(file, "the file is empty (0 bytes)", fix="export the data again")
    sha = hashlib.sha256(data).hexdigest()
    raw = _read_raw(path, file, kind, data if _format_of(path).startswith("csv") else None)
    del data
    rows_read = len(raw.frame) + raw.blank
    _drop_blank_rows(raw)
    if len(raw.frame) == 0:
        raise InputError(file, "the file has a header (row 1) but every data row is blank",
                         fix="export the data again with its rows")

    problems = _Problems(file)
    matched, unknown, replaced = _match_columns(raw, schema, file, problems)
    problems.raise_if_any()
    frame, notices, excluded, in_analysis = _build(raw, schema, matched, unknown, problems,
                                                   expected_waves=expected_waves)
    problems.raise_if_any()

    notices = list(raw.notices) + notices
    if raw.format == "csv":
        notices.insert(0, Notice("csv_format", {"encoding": _ENCODING_NAMES.get(raw.encoding, raw.encoding),
                                                "separator": {"\t": "tab"}.get(raw.separator, raw.separator)}))
    if unknown:
        notices.append(Notice("extra_columns", {"columns": ", ".join(unknown)}))
    if replaced:
        notices.append(Notice("derived_replaced", {"columns": ", ".join(replaced)}))
    synthetic, manifest_notice = _synthetic_marker(path, sha)
    if manifest_notice:
        notices.append(manifest_notice)
    for n in notices:
        if n.code in ("extra_columns", "derived_replaced", "manifest_mismatch"):
            warnings.warn(f"{file}: {n.text('en')}", InputWarning, stacklevel=3)

    accounting = Accounting(
        kind=kind, file=file, sha256=sha, format=raw.format, rows_read=rows_read,
        rows_kept=len(frame), rows_in_analysis=in_analysis, rows_dropped_by_reason={"blank": raw.blank},
        rows_excluded_by_reason=excluded, notices=tuple(notices), synthetic=synthetic,
        encoding=raw.encoding, separator=raw.separator,
    )
    frame.attrs = {"input": kind, "accounting": accounting.to_dict(), "synthetic": synthetic}
    return frame


_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "cp1252": "Windows-1252"}


def _parse_column(raw: _Raw, col: Column, file_col: str, schema: Schema, problems: _Problems,
                  used_labels: list[str]) -> _Parsed:
    s = raw.frame[file_col]
    rows = raw.rows
    if col.kind == "id":
        parsed = _parse_ids(s)
    elif col.kind == "category":
        vocab = _vocabulary(schema.name, col.name)
        parsed, used = _parse_category(s, vocab, raw.value_labels.get(file_col))
        if used:
            used_labels.append(col.name)
        if parsed.bad.any():
            allowed = ", ".join(vocab.values) if len(vocab.values) <= 8 else \
                f"{len(vocab.values)} values listed in DATA_DICTIONARY.md"
            if col.name in _ITEM_NAMES:
                problem = f"answers outside the item's scale {_show_values(parsed.bad_values)}; allowed codes: {allowed}"
                fix = "recode to the scale, and leave the cell empty for no answer"
            elif vocab.case_sensitive:
                problem = f"unknown {col.en} {_show_values(parsed.bad_values, vocab)}"
                fix = (f"use the official spelling (case and accents as in DATA_DICTIONARY.md) or the district "
                       f"code 01-17 (99 = {schemas.district_names('unknown')[0]})")
            else:
                problem = f"unknown {col.en} {_show_values(parsed.bad_values, vocab)}; allowed: {allowed}"
                fix = "use one of the allowed values or a spelling listed in DATA_DICTIONARY.md"
            problems.add(problem, column=col.name, mask=parsed.bad, row_numbers=rows, fix=fix)
    elif col.kind in ("int", "float"):
        parsed = _parse_numeric(s, integer=col.kind == "int")
        if parsed.bad.any():
            what = "whole numbers" if col.kind == "int" else "numbers"
            problems.add(f"values that are not {what}", column=col.name, mask=parsed.bad, row_numbers=rows,
                         fix=f"give {what} (a decimal comma is fine)")
        x = parsed.values
        lo = -np.inf if col.min is None else col.min
        hi = np.inf if col.max is None else col.max
        out = ~np.isnan(x) & ((x < lo) | (x > hi))
        if out.any():
            problems.add(_range_problem(col, lo, hi), column=col.name, mask=out, row_numbers=rows,
                         fix=_range_fix(col))
    elif col.kind == "date":
        parsed = _parse_dates(s)
        if parsed.bad.any():
            problems.add(f"dates that cannot be read (the values are not shown); accepted formats: "
                         f"{' or '.join(DATE_FORMATS)}", column=col.name, mask=parsed.bad, row_numbers=rows,
                         fix="write the dates as YYYY-MM-DD or DD.MM.YYYY")
        future = parsed.values > np.datetime64(dt.date.today(), "s")
        if future.any():
            problems.add("dates in the future (after today)", column=col.name, mask=future, row_numbers=rows,
                         fix="check the date column; it may hold another date or a mistyped year")
    elif col.kind == "bool":
        parsed = _parse_bools(s)
        if parsed.bad.any():
            problems.add(f"values that are not yes/no {_show_values(parsed.bad_values)}", column=col.name,
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


_ITEM_NAMES = frozenset(schemas.SURVEY_ITEMS)


def _build(raw: _Raw, schema: Schema, matched: dict[str, str], unknown: list[str], problems: _Problems,
           *, expected_waves) -> tuple[pd.DataFrame, list[Notice], dict[str, int], int]:
    """Parse every column, run the schema's own checks and add the derived columns."""
    n = len(raw.frame)
    rows = raw.rows
    columns: dict[str, object] = {}
    missing: dict[str, np.ndarray] = {}
    failed: set[str] = set()
    used_labels: list[str] = []
    notices: list[Notice] = []
    for col in schema.input_columns:
        if col.name not in matched:
            continue
        before = len(problems.errors)
        parsed = _parse_column(raw, col, matched[col.name], schema, problems, used_labels)
        if len(problems.errors) > before:
            failed.add(col.name)
        columns[col.name] = parsed.values
        missing[col.name] = parsed.missing
    if used_labels:
        notices.append(Notice("value_labels", {"columns": ", ".join(used_labels)}))
    id_columns = [c.name for c in schema.input_columns if c.kind == "id" and c.name in matched]
    extra = {name: raw.frame[name].reset_index(drop=True) for name in unknown}
    as_text = {name: _parse_ids(values).values for name, values in extra.items()}
    check_frame = pd.DataFrame({**{c: columns[c] for c in id_columns}, **as_text})
    _check_national_ids(check_frame, [*id_columns, *as_text], rows, problems)

    frame = pd.DataFrame(index=pd.RangeIndex(n))
    for col in schema.input_columns:
        frame[col.name] = _column_values(col, columns.get(col.name), n)
    derived_later = {"weight"} | ({"age"} if schema.name == "register" and "birth_year" in matched else set())
    absent = [c.name for c in schema.input_columns if c.name not in matched and c.name not in derived_later]
    if absent:
        notices.append(Notice("absent_columns", {"columns": ", ".join(absent)}))

    excluded: dict[str, int] = {}
    in_analysis = n
    if schema.name == "register":
        in_analysis, excluded = _derive_register(frame, matched, failed, rows, problems)
    elif schema.name == "population":
        frame["age_group"] = schemas.age_group(frame["age"])
    else:
        _check_survey(frame, matched, failed, missing, rows, problems, notices, expected_waves)
    _check_duplicates(frame, schema, matched, failed, rows, problems)
    for name in unknown:
        frame[name] = extra[name]
    ordered = [c.name for c in schema.columns] + unknown
    return frame[ordered], notices, excluded, in_analysis


def _column_values(col: Column, values, n: int):
    if col.kind == "int":
        if values is None:
            return pd.array([pd.NA] * n, dtype="Int64")
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
        return pd.array([pd.NA] * n, dtype="boolean") if values is None else values
    return pd.Series([None] * n, dtype="str") if values is None else values


def _derive_register(frame: pd.DataFrame, matched, failed, rows, problems) -> tuple[int, dict[str, int]]:
    year = frame["registered_date"].dt.year.astype("Int64")
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
        frame["group_offence"] = pd.array([pd.NA] * len(frame), dtype="boolean")
    else:
        case_codes, case_uniques = pd.factorize(frame["case_id"], use_na_sentinel=True)
        suspect = (frame["role"] == "suspect").to_numpy(dtype=bool, na_value=False) & (case_codes >= 0)
        per_case = np.bincount(case_codes[suspect], minlength=len(case_uniques))
        frame["group_offence"] = pd.array(_take(case_codes, per_case >= 2, False), dtype="boolean")

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


def _check_survey(frame, matched, failed, missing, rows, problems, notices, expected_waves) -> None:
    if "weight" in matched:
        w = frame["weight"].to_numpy()
        nonpos = ~np.isnan(w) & (w <= 0)
        if nonpos.any() and "weight" not in failed:
            problems.add("survey weights that are zero or negative", column="weight", mask=nonpos,
                         row_numbers=rows, fix="survey weights must be positive; fix the weights or drop the "
                                               "column for unweighted estimates")
    else:
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


def _check_duplicates(frame, schema: Schema, matched, failed, rows, problems) -> None:
    key = [c for c in schema.key if c in matched]
    if len(key) != len(schema.key) or set(key) & failed:
        return
    combined = np.zeros(len(frame), dtype=np.int64)
    for c in key:
        codes, uniques = pd.factorize(frame[c], use_na_sentinel=True)
        combined, _ = pd.factorize(combined * (len(uniques) + 1) + codes + 1)
    dup = pd.Series(combined).duplicated().to_numpy()
    if dup.any():
        problems.add(f"duplicate rows: the same {' x '.join(key)} appears more than once (the repeats "
                     f"are counted)", column=", ".join(key), mask=dup, row_numbers=rows,
                     fix="remove the repeated rows, or check that the export did not join tables twice")


def _synthetic_marker(path: Path, sha: str) -> tuple[bool, Notice | None]:
    manifest = path.parent / "manifest.json"
    if not manifest.is_file():
        return False, None
    try:
        entry = json.loads(manifest.read_text(encoding="utf-8")).get("files", {}).get(path.name)
    except (ValueError, AttributeError):
        return False, Notice("manifest_unreadable")
    if not isinstance(entry, Mapping) or entry.get("synthetic") is not True:
        return False, None
    if entry.get("sha256") not in (None, sha):
        return False, Notice("manifest_mismatch")
    return True, Notice("synthetic")


# =========================================================================== folders and accounting


def find_input(data_dir: str | PathLike, kind: str) -> Path:
    """The one file ``<kind>.<ext>`` in ``data_dir`` with a supported extension.

    Raises :class:`InputError` when there is none or more than one.
    """
    if kind not in schemas.SCHEMAS:
        raise ValueError(f"kind={kind!r} must be one of {', '.join(schemas.SCHEMAS)}")
    folder = Path(data_dir)
    if not folder.is_dir():
        raise InputError(folder, "data folder not found", fix="check the data_dir parameter")
    wanted = {f"{kind}{ext}" for ext in SUPPORTED_EXTENSIONS}
    found = sorted(p for p in folder.iterdir() if p.is_file() and p.name.lower() in wanted)
    names = ", ".join(f"{kind}{ext}" for ext in SUPPORTED_EXTENSIONS)
    if not found:
        raise InputError(folder, f"no {kind} file", fix=f"put one of {names} in the folder")
    if len(found) > 1:
        raise InputError(folder, f"{len(found)} {kind} files ({', '.join(p.name for p in found)})",
                         fix="keep exactly one, so it is clear which is read")
    return found[0]


def load_all(data_dir: str | PathLike, *, optional: Iterable[str] = (),
             expected_waves: Iterable[int] | None = None) -> Inputs:
    """Load register, population and survey from ``data_dir``.

    A kind named in ``optional`` may be absent (it is then ``None``); any other
    absent file raises :class:`InputError`.
    """
    optional = tuple([optional] if isinstance(optional, str) else optional)
    bad = [k for k in optional if k not in schemas.SCHEMAS]
    if bad:
        raise ValueError(f"optional={optional!r}: {bad} are not input kinds ({', '.join(schemas.SCHEMAS)})")
    frames = {}
    for kind in schemas.SCHEMAS:
        try:
            path = find_input(data_dir, kind)
        except InputError as exc:
            if kind in optional and exc.problem == f"no {kind} file":
                frames[kind] = None
                continue
            raise
        if kind == "survey":
            frames[kind] = load_survey(path, expected_waves=expected_waves)
        else:
            frames[kind] = load(path, kind)
    return Inputs(**frames)


def _accountings(source) -> list[Accounting]:
    if isinstance(source, Accounting):
        return [source]
    if isinstance(source, pd.DataFrame):
        acc = source.attrs.get("accounting")
        if not isinstance(acc, Mapping):
            raise ValueError("the frame has no attrs['accounting']; load it with salto_analysis.io")
        return [Accounting.from_dict(acc)]
    if source is None:
        return []
    if isinstance(source, Mapping) and "rows_read" in source:
        return [Accounting.from_dict(source)]
    if isinstance(source, Mapping):
        source = list(source.values())
    if isinstance(source, Iterable) and not isinstance(source, (str, bytes)):
        return [a for item in source for a in _accountings(item)]
    raise ValueError(f"cannot read an accounting record from {type(source).__name__}")


def accounting_table(source, lang: str = "nb") -> pd.DataFrame:
    """A tidy table of what each load did with the rows, for the data-quality notebook.

    ``source`` is a loaded frame, an :class:`Accounting` (or its
    :meth:`~Accounting.to_dict` form), or a sequence / mapping / :class:`Inputs` of them. Columns: ``input`` (name of the input), ``file`` (file
    name), ``key`` (stable code), ``item`` (text in ``lang``) and ``rows`` (a count,
    missing for notices that concern no row count). The counts are rows of the input
    files, not statistics about persons; they are not suppressed.
    """
    labels.check_lang(lang)
    records = []
    for acc in _accountings(source):
        schema = schemas.SCHEMAS[acc.kind]
        name = schema.nb if lang == "nb" else schema.en

        def add(key: str, rows, text: str | None = None):
            records.append({"input": name, "file": Path(acc.file).name, "key": key,
                            "item": text if text is not None else labels.t(f"io.{key}", lang), "rows": rows})

        add("rows_read", acc.rows_read)
        for reason, count in acc.rows_dropped_by_reason.items():
            add(f"dropped.{reason}", count)
        add("rows_kept", acc.rows_kept)
        for reason, count in acc.rows_excluded_by_reason.items():
            add(f"excluded.{reason}", count)
        add("rows_in_analysis", acc.rows_in_analysis)
        for notice in acc.notices:
            add(f"notice.{notice.code}", notice.rows, notice.text(lang))
    table = pd.DataFrame.from_records(records, columns=["input", "file", "key", "item", "rows"])
    table["rows"] = table["rows"].astype("Int64")
    return table
