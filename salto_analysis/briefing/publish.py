"""The published tables: one CSV per recorded table and one Excel workbook.

* ``tables/<notebook>__<name>.csv``: UTF-8, comma-separated, ``\\n`` line ends,
  the estimate-table columns in the recorded order (flag columns included),
  suppressed numbers as empty cells. Values are written deterministically
  (integers as integers, floats in Python's shortest round-trip form, booleans
  as ``true``/``false``), so two runs on the same inputs give byte-identical
  files (issue 7, item 6).
* ``tables/briefing.xlsx``: a first sheet explaining the columns, the symbol
  ``:`` and the uncertainty marking, then one sheet per table with suppressed
  cells shown as ``:`` and uncertain rows in grey italics. The workbook's
  created/modified times and the zip entries' times are fixed, so it is
  deterministic too.

Only tables that passed :func:`~salto_analysis.briefing.record`'s checks reach
this module, and :func:`write_tables` checks again that no shown count lies in
``1..min_count-1`` and that no identifier column is present.
"""

from __future__ import annotations

import csv
import io as _stdio
import math
import re
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd

from salto_analysis import labels
from salto_analysis.briefing.records import identifier_columns, small_count_cells
from salto_analysis.estimates import COUNT_COLUMNS, ESTIMATE_COLUMNS, EXTRA_COLUMNS

__all__ = ["WORKBOOK", "FIXED_TIME", "csv_value", "write_csv", "write_workbook", "write_notebook_csvs",
           "write_tables_workbook", "write_tables"]

WORKBOOK = "briefing.xlsx"
#: The timestamp written into the workbook (its properties and zip entries).
FIXED_TIME = datetime(2000, 1, 1)
_NUMERIC = (*COUNT_COLUMNS, *ESTIMATE_COLUMNS, *EXTRA_COLUMNS)


def csv_value(value) -> str:
    """One cell as published text: empty for missing, canonical for numbers and booleans.

    >>> [csv_value(v) for v in (None, float("nan"), 3, 2.5, 0.1 + 0.2, True, "Alna")]
    ['', '', '3', '2.5', '0.30000000000000004', 'true', 'Alna']
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _python(value):
    """A pandas/numpy scalar as a plain Python value (``None`` for missing)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def write_csv(table: pd.DataFrame, path: str | Path) -> Path:
    """Write one table as deterministic UTF-8 CSV (see the module docstring)."""
    buffer = _stdio.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([str(c) for c in table.columns])
    for row in table.itertuples(index=False, name=None):
        writer.writerow([csv_value(_python(v)) for v in row])
    path = Path(path)
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


def _sheet_names(keys: list[str]) -> dict[str, str]:
    """Excel sheet names (at most 31 characters, unique, no ``[]:*?/\\``) for ``keys``."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for key in keys:
        base = re.sub(r"[\[\]:*?/\\]", "_", key)[:31]
        name, i = base, 2
        while name.lower() in used:
            suffix = f"~{i}"
            name, i = base[: 31 - len(suffix)] + suffix, i + 1
        used.add(name.lower())
        names[key] = name
    return names


def _fix_zip_times(path: Path) -> None:
    """Rewrite the zip archive at ``path`` with every entry (and the modified time) at :data:`FIXED_TIME`."""
    with zipfile.ZipFile(path) as src:
        entries = [(info, src.read(info)) for info in src.infolist()]
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info, data in entries:
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the save time
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, data)


def write_workbook(tables: dict[str, pd.DataFrame], path: str | Path, *, lang: str,
                   titles: dict[str, str | None], briefing_title: str, min_count: int) -> Path:
    """Write ``tables`` (keyed by published file stem) to one deterministic workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    t = labels.t
    wb = Workbook()
    about = wb.active
    about.title = t("briefing.xlsx.about_sheet", lang)
    bold, grey = Font(bold=True), Font(italic=True, color="FF6B6B6B")
    sheets = _sheet_names(list(tables))

    about.append([t("briefing.xlsx.heading", lang, title=briefing_title)])
    about["A1"].font = Font(bold=True, size=14)
    about.append([])
    about.append([t("briefing.xlsx.symbols", lang)])
    about.cell(about.max_row, 1).font = bold
    for key in ("briefing.xlsx.symbol_suppressed", "briefing.xlsx.symbol_uncertain", "briefing.xlsx.symbol_blank"):
        about.append([t(key, lang, min_count=min_count)])
    about.append([])
    about.append([t("briefing.xlsx.columns", lang)])
    about.cell(about.max_row, 1).font = bold
    about.append([t("briefing.xlsx.column", lang), t("briefing.xlsx.meaning", lang)])
    about.append(["", t("briefing.xlsx.group_columns", lang)])
    for col in (*_NUMERIC, "flag", "flag_reason"):
        about.append([col, t(f"briefing.column.{col}", lang)])
    about.append([])
    about.append([t("briefing.xlsx.sheets", lang)])
    about.cell(about.max_row, 1).font = bold
    about.append([t("briefing.xlsx.sheet", lang), t("briefing.col.table", lang),
                  t("briefing.xlsx.measure", lang), t("briefing.xlsx.csv_file", lang)])
    for key, table in tables.items():
        about.append([sheets[key], titles.get(key) or key, str(table.attrs.get("measure", "")), f"{key}.csv"])
    about.column_dimensions["A"].width = 34
    about.column_dimensions["B"].width = 90
    for row in about.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    for key, table in tables.items():
        ws = wb.create_sheet(sheets[key])
        ws.append([str(c) for c in table.columns])
        for cell in ws[1]:
            cell.font = bold
        flags = table["flag"].tolist() if "flag" in table.columns else [None] * len(table)
        for row, flag in zip(table.itertuples(index=False, name=None), flags):
            values = []
            for col, value in zip(table.columns, row):
                value = _python(value)
                if value is None and flag == "suppressed" and col in _NUMERIC:
                    value = ":"
                values.append(value)
            ws.append(values)
            if flag == "uncertain":
                for cell in ws[ws.max_row]:
                    cell.font = grey
        ws.freeze_panes = "A2"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.creator = "salto-briefing"
    path = Path(path)
    wb.save(path)
    _fix_zip_times(path)
    return path


def _checked(key: str, table: pd.DataFrame) -> int:
    """The table's ``min_count`` after checking it may be published (:class:`ValueError` if not)."""
    ids = identifier_columns(table.columns)
    if ids:
        raise ValueError(f"table {key}: identifier column(s) {ids} may not be published")
    min_count = int(table.attrs.get("min_count", 5))
    small = small_count_cells(table, min_count)
    if small:
        raise ValueError(f"table {key}: counts below min_count={min_count} ({'; '.join(small)})")
    return min_count


def write_notebook_csvs(notebook: str, items: list[pd.DataFrame], folder: str | Path) -> list[Path]:
    """Check and write the CSV files of one notebook's tables; return them in record order.

    The runner's workers call this as each notebook finishes, so the CSV files
    are written while other notebooks still run; :func:`write_tables` does the
    same for every notebook at once.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    keyed = {f"{notebook}__{table.attrs['record_name']}": table for table in items}
    for key, table in keyed.items():
        _checked(key, table)
    return [write_csv(table, folder / f"{key}.csv") for key, table in keyed.items()]


def write_tables_workbook(tables: dict[str, list[pd.DataFrame]], folder: str | Path, *, lang: str,
                          briefing_title: str) -> Path:
    """Write ``tables`` (as for :func:`write_tables`) to ``folder/briefing.xlsx``.

    Every table must have passed :func:`write_notebook_csvs` (the runner's
    workers call it; :func:`write_tables` does both), which checks them.
    """
    Path(folder).mkdir(parents=True, exist_ok=True)
    flat = {f"{notebook}__{table.attrs['record_name']}": table for notebook, items in tables.items() for table in items}
    return write_workbook(flat, Path(folder) / WORKBOOK, lang=lang,
                          titles={key: table.attrs.get("title") for key, table in flat.items()},
                          briefing_title=briefing_title,
                          min_count=min((int(t.attrs.get("min_count", 5)) for t in flat.values()), default=5))


def write_tables(tables: dict[str, list[pd.DataFrame]], folder: str | Path, *, lang: str,
                 briefing_title: str) -> list[Path]:
    """Publish every recorded table; return the files written (CSVs, then the workbook).

    ``tables`` maps each notebook to its recorded tables in record order, as
    rebuilt by :func:`~salto_analysis.briefing.records.from_payload`; the file
    stem of each is ``<notebook>__<attrs["record_name"]>``.
    """
    written = [path for notebook, items in tables.items() for path in write_notebook_csvs(notebook, items, folder)]
    written.append(write_tables_workbook(tables, folder, lang=lang, briefing_title=briefing_title))
    return written
