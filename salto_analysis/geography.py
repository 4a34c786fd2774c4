"""District crosswalk for Oslo's district reform: the optional ``districts_file`` of the notebooks.

Oslo plans a district reform for 2027/2028 (SaLTo action programme 2026–2028), so the
district list is data, not code. A crosswalk file maps every
old district (the official names of ``salto_analysis/data/districts.csv``) to a new
district; :func:`apply` then rewrites the ``district`` column of the register and the
population, and analyses group by the new districts.

File format
-----------
A table (``.csv`` in UTF-8 or Windows-1252 with ``,`` or ``;``, or ``.xlsx``; read like
the inputs by :mod:`salto_analysis.io`) with a header row and these columns
(header names match case-insensitively):

``old_district``  required. An official district name, district code (``01``) or
                  municipal code (``030101``) of ``districts.csv``.
``new_district``  required. The name of the new district the old one belongs to.
``new_code``      optional. A code that orders the new districts in tables (numeric
                  codes sort as numbers). Without it the new districts follow the
                  smallest official code of their old districts.

Other columns (for example ``note``) are ignored. Rules, each refused with a one-line
:class:`salto_analysis.io.InputError` naming file, column, rows and fix:

* every old district of kind ``bydel`` or ``other`` (the 15 bydeler, Sentrum, Marka)
  is listed exactly once; map an unchanged district to itself;
* an old district goes to ONE new district. The register holds only the home district,
  so a district that is split between new districts cannot be mapped person by person
  (that needs addresses); such a split is refused rather than guessed;
* the unknown district (``Uoppgitt``) is not listed: it stays unknown;
* a new name may not be a total label (``Oslo``, ``I alt``...), which the tables use
  for the city row;
* a ``new_code`` is the same for all rows of one new district.

Merging districts sums their residents and registrations, so rates of merged districts
are exact; nothing is dropped. ``salto_analysis/data/district_crosswalk_example.csv``
is an example of the format (an illustration, not the adopted reform).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from salto_analysis import schemas
from salto_analysis.io import InputError
from salto_analysis.io.files import drop_blank_rows, format_of, read_raw
from salto_analysis.reliability import Policy

__all__ = ["Crosswalk", "REQUIRED_COLUMNS", "OPTIONAL_COLUMNS", "load_crosswalk", "apply", "example_path"]

REQUIRED_COLUMNS = ("old_district", "new_district")
OPTIONAL_COLUMNS = ("new_code",)
_FIX_NAMES = "use the official names of salto_analysis/data/districts.csv (or their codes)"


@dataclass(frozen=True)
class Crosswalk:
    """A validated crosswalk: ``mapping`` old name → new name, ``order`` of the new districts.

    ``file`` is the file it was read from (for messages and the notebook's notes).
    """

    mapping: dict[str, str]
    order: tuple[str, ...]
    file: str

    @property
    def changed(self) -> dict[str, str]:
        """The old districts whose name changes (merged or renamed)."""
        return {old: new for old, new in self.mapping.items() if old != new}

    def __repr__(self) -> str:
        return f"Crosswalk({len(self.mapping)} old → {len(self.order)} new districts, file={self.file!r})"


def example_path() -> Path:
    """Path of the example crosswalk shipped with the package."""
    return Path(str(resources.files("salto_analysis.data").joinpath("district_crosswalk_example.csv")))


def _official() -> pd.DataFrame:
    d = schemas.districts()
    return d.assign(code_int=d["code"].astype(int))


def _lookup() -> dict[str, str]:
    """Every accepted spelling of an official district (name, code, code without zero, municipal code)."""
    out: dict[str, str] = {}
    for row in _official().itertuples():
        for key in (row.name_nb, row.code, str(row.code_int), row.municipal_code):
            out[str(key)] = row.name_nb
    return out


def _text(series: pd.Series) -> pd.Series:
    """Cells as stripped text, missing as ``NA``."""
    s = series.astype("object").where(series.notna(), None)
    s = s.map(lambda v: None if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)))
    s = s.map(lambda v: None if v is None or not v.strip() else v.strip())
    return s


def _code_key(code: str):
    return (0, int(code), "") if code.isdigit() else (1, 0, code)


def load_crosswalk(path: str | PathLike) -> Crosswalk:
    """Read and validate a crosswalk file (format in the module docstring).

    Raises :class:`salto_analysis.io.InputError` (one line: file, column, problem, rows
    affected with the first row numbers, header = row 1, and the fix) for every rule broken.

    >>> cw = load_crosswalk(example_path())
    >>> cw.mapping["Sentrum"], len(cw.order)
    ('St. Hanshaugen', 15)
    """
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise InputError(file, "the crosswalk file does not exist",
                         fix="give the path of an existing file in districts_file, or leave it empty for no crosswalk")
    fmt = format_of(path)
    if fmt is None or fmt in ("sav", "parquet"):
        raise InputError(file, "the crosswalk must be a .csv or .xlsx file",
                         fix="save the crosswalk as CSV (UTF-8) with columns old_district,new_district")
    raw = read_raw(path, file, "crosswalk", path.read_bytes() if fmt.startswith("csv") else None)
    drop_blank_rows(raw)
    frame, rows = raw.frame, np.asarray(raw.rows)
    names = {str(c).strip().casefold(): c for c in frame.columns if c is not None}
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise InputError(file, f"missing column(s) {', '.join(missing)} (found: {', '.join(map(str, frame.columns))})",
                         fix="put a header row with old_district,new_district (and optionally new_code)")
    old = _text(frame[names["old_district"]])
    new = _text(frame[names["new_district"]])
    code = _text(frame[names["new_code"]]) if "new_code" in names else None

    checked = {"old_district": old, "new_district": new, **({} if code is None else {"new_code": code})}
    for col, values in checked.items():
        blank = values.isna().to_numpy()
        if blank.any():
            raise InputError(file, "empty cells", column=col, rows=rows[blank], count=int(blank.sum()),
                             fix=f"fill in {col} on every row, or delete rows that are not needed")

    lookup = _lookup()
    official = old.map(lookup)
    unknown = official.isna().to_numpy()
    if unknown.any():
        raise InputError(file, f"unknown old district {old[unknown].iloc[0]!r}", column="old_district",
                         rows=rows[unknown], count=int(unknown.sum()), fix=_FIX_NAMES)
    kinds = dict(zip(_official()["name_nb"], _official()["kind"]))
    is_unknown = official.map(kinds).eq("unknown").to_numpy()
    if is_unknown.any():
        raise InputError(file, "the unknown district is listed", column="old_district", rows=rows[is_unknown],
                         count=int(is_unknown.sum()),
                         fix="delete the row: persons with an unknown home district stay unknown")
    dup = official.duplicated(keep=False).to_numpy()
    if dup.any():
        targets = new[dup].unique()
        what = ("is mapped to several new districts (a split)" if len(targets) > 1 else "is listed more than once")
        raise InputError(file, f"old district {official[dup].iloc[0]!r} {what}", column="old_district",
                         rows=rows[dup], count=int(dup.sum()),
                         fix="list each old district once with ONE new district; a split cannot be mapped "
                             "from the home district alone, so map the old district to the new district "
                             "that takes most of its residents and say so in the report")
    expected = [n for n, k in kinds.items() if k != "unknown"]
    absent = [n for n in expected if n not in set(official)]
    if absent:
        raise InputError(file, f"old district(s) {', '.join(absent)} not listed", column="old_district",
                         fix="list every old district; map a district that does not change to itself")
    totals = {t.casefold() for t in Policy().total_labels} | {n.casefold() for n, k in kinds.items() if k == "unknown"}
    clash = new.str.casefold().isin(totals).to_numpy()
    if clash.any():
        raise InputError(file, f"new district name {new[clash].iloc[0]!r} is reserved for totals or unknowns",
                         column="new_district", rows=rows[clash], count=int(clash.sum()),
                         fix="choose another name for the new district")
    if code is not None:
        per_new = pd.DataFrame({"new": new, "code": code}).drop_duplicates()
        bad_new = per_new["new"][per_new["new"].duplicated()]
        if len(bad_new):
            clash_rows = new.isin(bad_new).to_numpy()
            raise InputError(file, f"new district {bad_new.iloc[0]!r} has more than one new_code", column="new_code",
                             rows=rows[clash_rows], count=int(clash_rows.sum()),
                             fix="give all rows of one new district the same new_code")
        key = dict(zip(per_new["new"], per_new["code"]))
        order = sorted(key, key=lambda n: (_code_key(key[n]), n))
    else:
        codes = official.map(dict(zip(_official()["name_nb"], _official()["code_int"])))
        first = pd.DataFrame({"new": new, "code": codes}).groupby("new", sort=False)["code"].min()
        order = sorted(first.index, key=lambda n: (first[n], n))
    return Crosswalk(mapping=dict(zip(official, new)), order=tuple(order), file=file)


def apply(frame: pd.DataFrame, crosswalk: Crosswalk | None, column: str = "district") -> pd.DataFrame:
    """A copy of ``frame`` with ``column`` rewritten to the new districts of ``crosswalk``.

    ``crosswalk=None`` returns ``frame`` unchanged. The new column is an ordered
    categorical: the new districts in :attr:`Crosswalk.order`, then the unknown district.
    Missing values stay missing. ``attrs`` are kept and gain ``crosswalk`` (the file).
    Raises ``ValueError`` if the column holds a district the crosswalk does not map.
    """
    if crosswalk is None:
        return frame
    if not isinstance(crosswalk, Crosswalk):
        raise ValueError(f"crosswalk={crosswalk!r} must be a geography.Crosswalk (from load_crosswalk) or None")
    if column not in frame.columns:
        raise ValueError(f"column={column!r} is not in the frame (columns: {list(frame.columns)})")
    unknown_names = [n for n, k in zip(_official()["name_nb"], _official()["kind"]) if k == "unknown"]
    values = frame[column].astype("object")
    present = set(values.dropna().unique())
    unmapped = sorted(present - set(crosswalk.mapping) - set(unknown_names))
    if unmapped:
        raise ValueError(f"{column} holds district(s) {unmapped} that the crosswalk {crosswalk.file} does not map")
    mapping = {**crosswalk.mapping, **{u: u for u in unknown_names}}
    out = frame.copy()
    out[column] = pd.Categorical(values.map(mapping), categories=[*crosswalk.order, *unknown_names], ordered=True)
    out.attrs = {**frame.attrs, "crosswalk": crosswalk.file}
    return out
