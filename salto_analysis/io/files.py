"""Read a file into a raw table: header names, cell values and the file row of each record.

Nothing is validated here beyond "is this a table at all"; :mod:`.loaders`
checks the values. CSV is decoded as UTF-8, else Windows-1252 (Python's
``cp1252`` codec); the separator is sniffed from the header line; pyarrow parses
the rows and Python's :mod:`csv` module (RFC 4180 quoting) takes over when
pyarrow cannot, so that the offending rows can be named.
"""

from __future__ import annotations

import csv
import gzip
import io as _io
import math
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from salto_analysis.io.accounting import Notice
from salto_analysis.io.errors import InputError

__all__ = ["SUPPORTED_EXTENSIONS", "Raw", "format_of", "read_raw", "drop_blank_rows"]

#: File name endings the loaders read, in the order :func:`~salto_analysis.io.find_input` reports them.
SUPPORTED_EXTENSIONS: tuple[str, ...] = (".csv", ".csv.gz", ".xlsx", ".sav", ".parquet")


@dataclass
class Raw:
    """A table as read from the file: header names, raw cell values and file row numbers."""

    frame: pd.DataFrame
    rows: np.ndarray
    format: str
    encoding: str | None = None
    separator: str | None = None
    value_labels: dict[str, dict] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    blank: int = 0  # blank rows: empty lines the CSV parser skipped, then all-empty rows dropped


def format_of(path: Path) -> str | None:
    """``csv``, ``csv.gz``, ``xlsx``, ``sav`` or ``parquet`` from the file name, else ``None``."""
    name = path.name.lower()
    for ext in sorted(SUPPORTED_EXTENSIONS, key=len, reverse=True):
        if name.endswith(ext):
            return ext[1:]
    return None


def _not_a_table(file: str, why: str) -> InputError:
    return InputError(file, f"the file is not a readable table ({why})",
                      fix="export the data again as CSV (UTF-8), .xlsx, .sav or .parquet")


def read_raw(path: Path, file: str, kind: str, data: bytes | None,
             keep_text: Callable[[str], bool] = lambda name: True) -> Raw:
    """Read ``path`` (CSV from ``data``, its bytes) into a :class:`Raw` table, or raise :class:`InputError`.

    CSV columns for which ``keep_text(header name)`` is false (code lists, dates,
    numbers: few distinct values) come back as categoricals of their text, which
    pyarrow builds while parsing; identifiers stay plain text.
    """
    fmt = format_of(path)
    if fmt in ("csv", "csv.gz"):
        if fmt == "csv.gz":
            try:
                data = gzip.decompress(data)
            except (EOFError, OSError, zlib.error) as exc:
                why = "the gzip stream is truncated" if isinstance(exc, EOFError) else "not valid gzip data"
                raise _not_a_table(file, why) from None
        return _read_csv(data, file, keep_text)
    if fmt == "xlsx":
        return _read_xlsx(path, file, kind)
    if fmt == "sav":
        return _read_sav(path, file)
    return _read_parquet(path, file)


def _read_csv(data: bytes, file: str, keep_text: Callable[[str], bool]) -> Raw:
    """Decode, sniff the separator, parse; refuse empty, binary and undecodable files."""
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
    if not body[:65536].strip() and not body.strip():
        raise InputError(file, "the file has a header (row 1) but no data rows",
                         fix="export the data again with its rows")
    dictionary = [not keep_text(name) for name in names]
    frame, rows, skipped = _parse_csv_body(body, separator, dictionary, file)
    return Raw(frame=_name_columns(frame, names), rows=rows, format="csv", encoding=encoding,
                separator=separator, blank=skipped)


def _sniff_separator(header: str) -> str:
    """The most frequent candidate separator outside double quotes in the header line."""
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {sep: unquoted.count(sep) for sep in (";", ",", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _parse_csv_body(body: bytes, sep: str, dictionary: list[bool], file: str) -> tuple[pd.DataFrame, np.ndarray, int]:
    """Parse the data rows: pyarrow first, Python's csv module when pyarrow cannot.

    Every cell is read as text (never type-inferred, so ``01`` stays ``01``); the
    columns flagged in ``dictionary`` are dictionary-encoded as they are parsed.
    Returns the rows, their file row numbers and the number of empty lines skipped.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    ncols = len(dictionary)
    names = [f"c{i}" for i in range(ncols)]
    types = {n: pa.dictionary(pa.int32(), pa.string()) if d else pa.string() for n, d in zip(names, dictionary)}
    try:
        table = pacsv.read_csv(
            pa.py_buffer(body),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=True),
            parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=False,
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


def _read_xlsx(path: Path, file: str, kind: str) -> Raw:
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
    return Raw(frame=frame, rows=np.arange(2, len(data) + 2), format="xlsx", notices=notices)


def _read_sav(path: Path, file: str) -> Raw:
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
    return Raw(frame=frame.reset_index(drop=True), rows=np.arange(2, len(frame) + 2), format="sav",
                value_labels=dict(meta.variable_value_labels))


def _read_parquet(path: Path, file: str) -> Raw:
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
    return Raw(frame=frame.reset_index(drop=True), rows=np.arange(2, len(frame) + 2), format="parquet")


def _blank_mask(s: pd.Series) -> np.ndarray:
    """Cells that are missing or only whitespace."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = s.cat.categories
        blank_codes = [i for i, c in enumerate(cats) if isinstance(c, str) and not c.strip()]
        codes = s.cat.codes.to_numpy()
        return (codes < 0) | np.isin(codes, blank_codes)
    if pd.api.types.is_string_dtype(s.dtype):
        return (s.isna().to_numpy() | (s == "").to_numpy(dtype=bool, na_value=True)
                | s.str.isspace().to_numpy(dtype=bool, na_value=True))
    if s.dtype == object:
        return np.fromiter((v is None or (isinstance(v, float) and math.isnan(v))
                            or (isinstance(v, str) and not v.strip()) for v in s), dtype=bool, count=len(s))
    return s.isna().to_numpy()


def drop_blank_rows(raw: Raw) -> None:
    """Drop the rows in which every cell is empty, counting them in ``raw.blank``."""
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
