"""What a load did with the rows of a file, and whether the file is synthetic.

Each loaded frame carries ``attrs["accounting"]`` (the plain-dict form of
:class:`Accounting`) and ``attrs["synthetic"]``. :func:`accounting_table` turns
one or more of them into the tidy table the data-quality notebook shows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from salto_analysis import labels, schemas

__all__ = ["Notice", "Accounting", "accounting_table", "synthetic_marker"]


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


def synthetic_marker(path: Path, sha: str) -> tuple[bool, Notice | None]:
    """Whether ``manifest.json`` beside the file lists it as synthetic with this SHA-256, and a notice."""
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


def _accountings(source) -> list[Accounting]:
    if isinstance(source, Accounting):
        return [source]
    if isinstance(source, pd.DataFrame):
        acc = source.attrs.get("accounting")
        if isinstance(acc, Accounting):
            return [acc]
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
