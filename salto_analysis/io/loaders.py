"""The loaders: read a file, match its columns, parse and check them, derive, account."""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterable, Sequence
from os import PathLike
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from salto_analysis import schemas
from salto_analysis.io import cache
from salto_analysis.io.accounting import Accounting, Notice, synthetic_marker
from salto_analysis.io.checks import KeyCodes, check_duplicates, check_survey, derive_register
from salto_analysis.io.columns import column_values, parse_column
from salto_analysis.io.errors import InputError, InputWarning, Problems
from salto_analysis.io.files import SUPPORTED_EXTENSIONS, Raw, drop_blank_rows, format_of, read_raw
from salto_analysis.io.national_id import check_national_ids
from salto_analysis.io.values import parse_ids
from salto_analysis.io.vocabulary import column_key, column_lookup
from salto_analysis.schemas import Schema

__all__ = ["Inputs", "load", "load_register", "load_population", "load_survey", "load_all", "find_input"]


class Inputs(NamedTuple):
    """The three inputs of a data folder (``None`` for an optional one that is absent)."""

    register: pd.DataFrame | None
    population: pd.DataFrame | None
    survey: pd.DataFrame | None


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
    if format_of(path) is None:
        raise InputError(file, f"unsupported file type '{''.join(path.suffixes) or path.name}'",
                         fix=f"give a {', '.join(SUPPORTED_EXTENSIONS)} file")
    if not path.is_file():
        raise InputError(file, "file not found", fix="check the path and the file name")
    data = path.read_bytes()
    if not data:
        raise InputError(file, "the file is empty (0 bytes)", fix="export the data again")
    sha = hashlib.sha256(data).hexdigest()
    if expected_waves is None:  # the briefing runner's cache of validated inputs, when it announces one
        cached = cache.lookup(path, kind, sha, file=file)
        if cached is not None:
            _warn(file, [Notice(n["code"], n["fields"], n["rows"]) for n in cached.attrs["accounting"]["notices"]])
            return cached
    lookup = column_lookup(schema.name)

    def keep_text(name: str) -> bool:  # identifiers and unknown columns; the rest are code-like
        target = lookup.get(column_key(name))
        return target is None or schema[target].kind == "id"

    raw = read_raw(path, file, kind, data if format_of(path).startswith("csv") else None, keep_text)
    del data
    rows_read = len(raw.frame) + raw.blank
    drop_blank_rows(raw)
    if len(raw.frame) == 0:
        raise InputError(file, "the file has a header (row 1) but every data row is blank",
                         fix="export the data again with its rows")

    problems = Problems(file)
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
    synthetic, manifest_notice = synthetic_marker(path, sha)
    if manifest_notice:
        notices.append(manifest_notice)
    _warn(file, notices)

    accounting = Accounting(
        kind=kind, file=file, sha256=sha, format=raw.format, rows_read=rows_read,
        rows_kept=len(frame), rows_in_analysis=in_analysis, rows_dropped_by_reason={"blank": raw.blank},
        rows_excluded_by_reason=excluded, notices=tuple(notices), synthetic=synthetic,
        encoding=raw.encoding, separator=raw.separator,
    )
    frame.attrs = {"input": kind, "accounting": accounting.to_dict(), "synthetic": synthetic}
    return frame


def _warn(file: str, notices: Iterable[Notice]) -> None:
    """Raise an :class:`InputWarning` for each notice a user should not miss (at the caller of ``load_*``)."""
    for n in notices:
        if n.code in ("extra_columns", "derived_replaced", "manifest_mismatch"):
            warnings.warn(f"{file}: {n.text('en')}", InputWarning, stacklevel=4)


_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "cp1252": "Windows-1252"}


def _match_columns(raw: Raw, schema: Schema, file: str, problems: Problems) -> tuple[dict[str, str], list[str], list[str]]:
    """Map schema column -> file column; also the unknown and the replaced derived columns."""
    lookup = column_lookup(schema.name)
    matched: dict[str, str] = {}
    unknown, replaced = [], []
    for name in raw.frame.columns:
        target = lookup.get(column_key(name))
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


def _build(raw: Raw, schema: Schema, matched: dict[str, str], unknown: list[str], problems: Problems,
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
        parsed = parse_column(raw, col, matched[col.name], schema, problems, used_labels)
        if len(problems.errors) > before:
            failed.add(col.name)
        columns[col.name] = parsed.values
        missing[col.name] = parsed.missing
    if used_labels:
        notices.append(Notice("value_labels", {"columns": ", ".join(used_labels)}))
    id_columns = [c.name for c in schema.input_columns if c.kind == "id" and c.name in matched]
    extra = {name: raw.frame[name].reset_index(drop=True) for name in unknown}
    as_text = {name: parse_ids(values).values for name, values in extra.items()}
    check_frame = pd.DataFrame({**{c: columns[c] for c in id_columns}, **as_text})
    check_national_ids(check_frame, [*id_columns, *as_text], rows, problems)

    frame = pd.DataFrame(index=pd.RangeIndex(n))
    for col in schema.input_columns:
        frame[col.name] = column_values(col, columns.get(col.name), n)
    derived_later = {"weight"} | ({"age"} if schema.name == "register" and "birth_year" in matched else set())
    absent = [c.name for c in schema.input_columns if c.name not in matched and c.name not in derived_later]
    if absent:
        notices.append(Notice("absent_columns", {"columns": ", ".join(absent)}))

    excluded: dict[str, int] = {}
    in_analysis = n
    key_codes = KeyCodes(frame)
    if schema.name == "register":
        in_analysis, excluded = derive_register(frame, matched, failed, rows, problems, key_codes)
    elif schema.name == "population":
        frame["age_group"] = schemas.age_group(frame["age"])
    else:
        check_survey(frame, matched, failed, missing, rows, problems, notices, expected_waves)
    check_duplicates(frame, schema, matched, failed, rows, problems, key_codes)
    for name in unknown:
        frame[name] = extra[name]
    ordered = [c.name for c in schema.columns] + unknown
    return frame[ordered], notices, excluded, in_analysis


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
