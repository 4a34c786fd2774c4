"""Shared machinery of the notebook tests (``tests/test_notebook_*.py``).

Each notebook test module executes its notebook on ``data/sample/`` with papermill as the
briefing runs it (kernel ``python3``, ``cwd=notebooks/``, the briefing's environment flag
set so that the recorded tables travel in the executed notebook), then reads the outputs
with the functions here:

* :func:`execute` runs a notebook into a scratch folder and reads the result back;
* :func:`outputs`, :func:`shown_text`, :func:`recorded` and :func:`html_tables` collect what
  a reader sees and the tables the page records for publication;
* :func:`input_identifiers` and :func:`leaked_identifiers` look for person, case, pupil and
  school identifiers of the input files in those outputs;
* :func:`small_values`, :func:`count_cells` and :func:`leading_number` look for counts from
  1 to ``min_count - 1``;
* :func:`has_banner` and :func:`has_warning_box` check the synthetic-data banner and the
  warning box.

The functions return what they find; the assertions stay in the test modules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from salto_analysis import labels
from salto_analysis.briefing.records import ENV_FLAG, MIMETYPE, from_payload

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SAMPLE = ROOT / "data" / "sample"
IDENTIFIER_COLUMNS = ("case_id", "person_id", "pupil_id", "school_id")


def execute(notebook: Path, workdir: Path, **parameters) -> nbformat.NotebookNode:
    """Execute ``notebook`` with ``parameters`` into ``workdir`` and return the executed notebook.

    Papermill with kernel ``python3``, ``cwd`` the notebook's folder, no progress bar and a
    300 s cell timeout, with :data:`salto_analysis.briefing.records.ENV_FLAG` set in the
    environment the kernel inherits, so that ``record()`` emits its table payloads. A failing
    cell raises ``papermill.PapermillExecutionError``.
    """
    import papermill as pm

    out = Path(workdir) / notebook.name
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ENV_FLAG, "1")
        pm.execute_notebook(str(notebook), str(out), parameters=parameters, kernel_name="python3",
                            cwd=str(notebook.parent), progress_bar=False, execution_timeout=300)
    return nbformat.read(out, as_version=4)


def outputs(nb: nbformat.NotebookNode) -> list[dict]:
    """Every output of every code cell, in order."""
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def shown_text(nb: nbformat.NotebookNode) -> str:
    """Everything a reader can see: streams, errors, HTML, Markdown and plain text of every output."""
    parts = []
    for o in outputs(nb):
        if o.output_type == "stream":
            parts.append(o.text)
        elif o.output_type == "error":
            parts.append(f"{o.ename}: {o.evalue}")
        elif "data" in o:
            for mime in ("text/html", "text/markdown", "text/plain"):
                if mime in o.data:
                    parts.append(str(o.data[mime]))
    return "\n".join(parts)


def recorded(nb: nbformat.NotebookNode) -> list[pd.DataFrame]:
    """The tables the page recorded for publication (the briefing's payloads), in order."""
    return [from_payload(o.data[MIMETYPE]) for o in outputs(nb) if "data" in o and MIMETYPE in o.data]


def recorded_by_name(nb: nbformat.NotebookNode) -> dict[str, pd.DataFrame]:
    """The recorded tables keyed by their ``attrs["record_name"]``."""
    return {t.attrs["record_name"]: t for t in recorded(nb)}


def input_identifiers(frames: Iterable[pd.DataFrame], columns: Iterable[str] = IDENTIFIER_COLUMNS) -> set[str]:
    """The values, as text, of the identifier ``columns`` that the input ``frames`` have."""
    ids: set[str] = set()
    for frame in frames:
        for col in columns:
            if col in frame.columns:
                ids |= set(frame[col].dropna().astype(str))
    return ids


def leaked_identifiers(nb: nbformat.NotebookNode, identifiers: set[str]) -> list[str]:
    """The ``identifiers`` that occur as a word in the shown outputs or in a recorded table's CSV.

    Words are runs of letters, digits, ``_`` and ``-``, so an identifier is found wherever it
    stands on its own, whether in HTML, plain text or a table cell. Sorted; empty when none.
    """
    text = shown_text(nb) + "".join("\n" + t.to_csv(index=False) for t in recorded(nb))
    tokens = set(re.findall(r"[A-Za-z0-9_\-]+", text))
    return sorted(tokens & identifiers)


def small_values(values: pd.Series, min_count: int) -> bool:
    """Whether any non-missing value of ``values`` lies in ``1..min_count-1``.

    The rule is docs/small-numbers.md#primary-suppression.
    """
    return bool(values.dropna().astype(float).between(1, min_count - 1).any())


class _Tables(HTMLParser):
    """The tables of the rendered HTML: caption, header cells and body rows as text."""

    def __init__(self):
        super().__init__()
        self.tables, self._cell, self._row, self._in = [], None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "head": [], "rows": []})
        elif tag == "caption":
            self._in = "caption"
        elif tag in ("th", "td"):
            self._cell = ""
        elif tag == "tr":
            self._row = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in = None
        elif tag in ("th", "td") and self._row is not None:
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            t = self.tables[-1]
            if t["head"]:
                t["rows"].append(self._row)
            else:
                t["head"] = self._row
            self._row = None

    def handle_data(self, data):
        if self._in == "caption":
            self.tables[-1]["caption"] += data
        elif self._cell is not None:
            self._cell += data


def html_tables(nb: nbformat.NotebookNode) -> list[dict]:
    """The shown tables (HTML outputs of class ``salto-table``) as ``{"caption", "head", "rows"}`` of text."""
    parser = _Tables()
    for o in outputs(nb):
        html = o.get("data", {}).get("text/html")
        if html and "salto-table" in html:
            parser.feed(html)
    return parser.tables


def leading_number(text: str) -> int | None:
    """The leading whole number of a cell ('1 234', '1\u2009234', '13¹', '40 (29–54)'), or None."""
    m = re.match(r"^\s*([\d\u00a0 ,]+?)(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]|\s*\(|$)", text.replace("\u2009", ""))
    if not m:
        return None
    digits = re.sub(r"[\s\u00a0,]", "", m.group(1))
    return int(digits) if digits.isdigit() else None


def count_cells(tables: list[dict], is_count: Callable[[dict, str], bool]) -> Iterator[tuple[str, str, str, int | None]]:
    """``(caption, header, cell text, leading number)`` of every body cell under a count column.

    ``is_count(table, header)`` says which columns of a table (from :func:`html_tables`) hold
    counts; the number is :func:`leading_number` of the cell (None for ``:`` or text).
    """
    for t in tables:
        for row in t["rows"]:
            for head, cell in zip(t["head"], row):
                if is_count(t, head):
                    yield t["caption"], head, cell, leading_number(cell)


def figure_count(nb: nbformat.NotebookNode) -> int:
    """How many figures the outputs show (a PNG image, or an HTML ``<figure>`` holding one)."""
    n = 0
    for o in outputs(nb):
        data = o.get("data", {})
        if "image/png" in data or "image/svg+xml" in data:
            n += 1
        elif "<figure" in str(data.get("text/html", "")):
            n += str(data["text/html"]).count("<figure")
    return n


def has_banner(text: str, lang: str) -> bool:
    """Whether ``text`` shows the synthetic-data banner (its HTML class and its text in ``lang``)."""
    return 'class="salto-banner"' in text and labels.t("common.synthetic_banner", lang) in text


def has_warning_box(text: str, lang: str) -> bool:
    """Whether ``text`` shows the warning box (its HTML class and its title in ``lang``)."""
    return 'class="salto-warning"' in text and labels.t("report.warning.title", lang) in text
