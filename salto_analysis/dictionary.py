"""Render ``data/sample/DATA_DICTIONARY.md`` from the input schemas.

The dictionary is generated, never edited by hand: every column of
:data:`salto_analysis.schemas.SCHEMAS` with its Norwegian and English name, kind,
whether it is required, its description and, for code lists, every value with
its Norwegian and English label and the other spellings :mod:`salto_analysis.io`
accepts. ``tests/test_dictionary.py`` fails when the committed file differs from
:func:`render`.

Run ``python -m salto_analysis.dictionary`` (or ``make dictionary``) after
changing ``schemas.py``, ``salto_analysis/data/*.csv`` or the accepted spellings
in ``salto_analysis/io/vocabulary.py``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from salto_analysis import io, schemas
from salto_analysis.schemas import Column, Schema

__all__ = ["DEFAULT_PATH", "render", "write", "main"]

#: Where the dictionary lives in a source checkout.
DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "sample" / "DATA_DICTIONARY.md"

_KIND_TEXT = {
    "id": "text (pseudonymised identifier)",
    "category": "code list",
    "int": "whole number",
    "float": "number",
    "date": "date",
    "bool": "yes/no",
}


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _row(*cells) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _kind(col: Column) -> str:
    text = _KIND_TEXT[col.kind]
    if col.kind in ("int", "float") and (col.min is not None or col.max is not None):
        if col.name == "weight":
            return f"{text}, > 0"
        lo = "" if col.min is None else f"{col.min:g}"
        hi = "" if col.max is None else f"{col.max:g}"
        text += f", {lo}–{hi}" if hi else f", ≥ {lo}"
    if col.kind == "category":
        text += f" ({len(col.values)} values)"
    return text


def _required(schema: Schema, col: Column) -> str:
    if col.derived:
        return "derived"
    for group in schema.one_of:
        if col.name in group:
            return "one of " + " / ".join(group)
    if col.required:
        return "required" + ("" if not col.nullable else ", may be empty")
    return "optional" + (", may be empty" if col.nullable else "")


#: Names of the code lists that several columns share.
_LIST_NAMES = {
    id(schemas.FREQUENCY_12M): "frequency_12m",
    id(schemas.YES_NO_DONT_KNOW): "yes_no_dont_know",
    id(schemas._DISTRICTS): "district",
}


def _code_lists() -> dict[tuple, tuple[str, list[str], Column]]:
    """Distinct code lists: key -> (name, [schema.column using it], first column)."""
    lists: dict[tuple, tuple[str, list[str], Column]] = {}
    for schema in schemas.SCHEMAS.values():
        for col in schema.columns:
            if col.value_labels is None:
                continue
            key = (tuple(col.value_labels.items()),
                   tuple(io.accepted_spellings(col).items()) if not col.derived else ())
            if key not in lists:
                lists[key] = (_LIST_NAMES.get(id(col.value_labels), col.name), [], col)
            lists[key][1].append(f"{schema.name}.{col.name}")
    return lists


def _list_name(lists, col: Column) -> str:
    key = (tuple(col.value_labels.items()),
           tuple(io.accepted_spellings(col).items()) if not col.derived else ())
    return lists[key][0]


def _formats() -> list[str]:
    missing = ", ".join(f"`{t}`" for t in io.NA_TOKENS if t) + " and an empty cell"
    true_ = ", ".join(f"`{t}`" for t in io.BOOL_SPELLINGS[True])
    false_ = ", ".join(f"`{t}`" for t in io.BOOL_SPELLINGS[False])
    return [
        "## Files and formats",
        "",
        "A data folder holds one file per input, named `register`, `population` and `survey` "
        f"with one of the endings {', '.join(f'`{e}`' for e in io.SUPPORTED_EXTENSIONS)} "
        "(`salto_analysis.io.find_input`).",
        "",
        "| format | how it is read |",
        "|---|---|",
        "| `.csv`, `.csv.gz` | UTF-8 (with or without BOM) or Windows-1252; separator `;`, `,`, tab or `|` "
        "(sniffed from the header line); quotes as in RFC 4180; decimal comma (`1,25`) and spaces "
        "as thousands separators (`12 345`) are accepted |",
        "| `.xlsx` | the sheet named like the input (`register` ...) or else the first sheet; header in row 1 |",
        "| `.sav` | SPSS via pyreadstat; for code-list columns the value labels are used when every label "
        "is a spelling listed below, otherwise the codes |",
        "| `.parquet` | Apache Parquet via pyarrow |",
        "",
        "- **Column names** match without regard to case or accents, by the column name or its Norwegian or "
        "English name below (`kjønn`, `kjonn`, `Sex` and `sex` are all `sex`); `_` counts as a space. "
        "Unknown columns are kept unchanged, with a notice.",
        f"- **Missing values:** {missing} (any case).",
        f"- **Yes/no:** true is {true_}; false is {false_} (any case).",
        f"- **Dates:** {' or '.join(io.DATE_FORMATS)}; Excel, SPSS and Parquet dates are read as dates. "
        "Dates after today are refused.",
        "- **Code lists** match without regard to case, by code, Norwegian or English label or a listed "
        "synonym. **Districts** are the exception: the official name exactly as written here (case and "
        "letters æøåü), the English name, the district code or the municipal code.",
        "- **Identity numbers:** a value in an id column (or an unknown column) that looks like a Norwegian "
        "national identity number (11 digits with valid check digits, including D-numbers) is refused: "
        "the data must be pseudonymised first. Do not use 11-digit numbers as pseudonyms.",
        "- **Errors** name the file, the column, the first rows as numbered in the file (header = row 1, "
        "first data row = row 2; for `.sav` and `.parquet` record *n* is row *n + 1*), how many rows are "
        "affected and the fix.",
        "- **Accounting:** every load counts the rows read, blank rows dropped, rows kept and rows kept "
        "but excluded from analysis (register ages outside 10–22: `in_scope` is false); "
        "`salto_analysis.io.accounting_table` shows them.",
        "",
    ]


def _schema_section(schema: Schema, lists) -> list[str]:
    out = [f"## {schema.name}: {schema.nb} / {schema.en}", "", schema.description, ""]
    if schema.key:
        out.append(f"One row per {' × '.join(f'`{k}`' for k in schema.key)} (a repeated key is refused).")
    for group in schema.one_of:
        out.append(f"At least one of {' or '.join(f'`{c}`' for c in group)} must be present.")
    out += ["", "| column | norsk | English | kind | required | description |", "|---|---|---|---|---|---|"]
    for col in schema.columns:
        desc = col.description
        if col.value_labels is not None:
            desc += f" Values: code list `{_list_name(lists, col)}`."
        out.append(_row(f"`{col.name}`", col.nb, col.en, _kind(col), _required(schema, col), desc))
    out.append("")
    if schema.name == "survey":
        out += ["Without a `weight` column every pupil has weight 1 (a notice says so). A wave in which every "
                "survey item is empty in every row, or a wave passed in `expected_waves` that has no rows, is "
                "refused as a wave with no respondents.", ""]
    return out


def _code_list_section(lists) -> list[str]:
    out = ["## Code lists", ""]
    for name, used_by, col in lists.values():
        out += [f"### `{name}`", "", "Used by " + ", ".join(f"`{u}`" for u in used_by) + ".", ""]
        derived = col.derived
        if derived:
            out += ["| value | norsk | English |", "|---|---|---|"]
        else:
            out += ["| value | norsk | English | accepted spellings besides the value |", "|---|---|---|---|"]
        spellings = {} if derived else io.accepted_spellings(col)
        for value, (nb, en) in col.value_labels.items():
            cells = [f"`{value}`", nb, en]
            if not derived:
                cells.append(", ".join(f"`{s}`" for s in spellings[value]) or "–")
            out.append(_row(*cells))
        out.append("")
    return out


def render() -> str:
    """The text of ``DATA_DICTIONARY.md``."""
    lists = _code_lists()
    lines = [
        "# Data dictionary: SaLTo analysis inputs",
        "",
        "<!-- Generated by `python -m salto_analysis.dictionary` from salto_analysis/schemas.py; "
        "do not edit by hand. -->",
        "",
        "The inputs of `salto_analysis`: the police register, the population and the Ung i Oslo school "
        "survey. The files in `data/sample/` follow these schemas but are **synthetic** (see `README.md` "
        "and `manifest.json` there); real extracts are confidential and never belong in the repository.",
        "",
        *_formats(),
    ]
    for schema in schemas.SCHEMAS.values():
        lines += _schema_section(schema, lists)
    lines += _code_list_section(lists)
    return "\n".join(lines).rstrip("\n") + "\n"


def write(path: str | Path = DEFAULT_PATH) -> Path:
    """Write the dictionary to ``path`` and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m salto_analysis.dictionary", description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_PATH, help="where to write (default: %(default)s)")
    args = parser.parse_args(argv)
    print(f"wrote {write(args.output)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
