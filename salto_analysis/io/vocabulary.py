"""Accepted spellings: of column names, and of the values of code-list columns.

Code lists (role, sex, offence type, grade, survey answers) match
case-insensitively by code, Norwegian or English label or a synonym in
:data:`SYNONYMS`. Districts match exactly (see the package docstring for why),
by official name, English name, district code or municipal code. Unknown values
get a "did you mean" from :mod:`difflib` on case- and accent-folded text.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from salto_analysis import schemas
from salto_analysis.io.values import Parsed, canon, factorize, take
from salto_analysis.schemas import Column, Schema

__all__ = ["SYNONYMS", "Vocabulary", "fold", "accepted_spellings", "column_spellings", "column_lookup",
           "vocabulary", "parse_category", "show_values"]


SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
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
class Vocabulary:
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
        folded = fold(s)
        if folded in self.suggest_from:
            return self.suggest_from[folded]
        close = difflib.get_close_matches(folded, list(self.suggest_from), n=1, cutoff=0.75)
        return self.suggest_from[close[0]] if close else None


def fold(s: str) -> str:
    """Case- and accent-folded text for "did you mean" (ø->o, æ->ae, å->a, ü->u)."""
    s = s.casefold().replace("ø", "o").replace("æ", "ae")
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return " ".join(s.split())


def accepted_spellings(column: Column) -> dict[str, tuple[str, ...]]:
    """For each value of a category column, the other spellings the loaders accept.

    Districts: the English name, the district code (``01`` and ``1``) and the
    municipal code (``030101``), matched exactly. Other code lists: the Norwegian and
    English labels and the synonyms in ``SYNONYMS``, matched case-insensitively.
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
    extra = SYNONYMS.get(column.name, {})
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
def vocabulary(schema_name: str, column_name: str) -> Vocabulary:
    """The :class:`Vocabulary` of a category column (cached)."""
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
                suggest.setdefault(fold(sp), value)
    return Vocabulary(tuple(spellings), lookup, district, suggest)


def parse_category(s: pd.Series, vocab: Vocabulary, value_labels: Mapping | None) -> tuple[Parsed, bool]:
    """Codes into ``vocab.values``; with SPSS value labels, labels are tried first.

    Returns the parse and whether the SPSS labels were used.
    """
    codes, uniques = factorize(s)
    candidates = []
    if value_labels:
        by_text = {canon(k): v for k, v in value_labels.items()}
        candidates.append(([None if u is None else canon(by_text.get(u, u)) for u in uniques], True))
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
    x = take(codes, positions, -1)
    bad = x == -2
    cat = pd.Categorical.from_codes(np.where(bad, -1, x), categories=list(vocab.values), ordered=True)
    bad_values = [t for t, p in zip(texts, positions) if p == -2]
    return Parsed(cat, x == -1, bad, bad_values), used_labels


def show_values(values: Iterable[str], vocab: Vocabulary | None = None, limit: int = 3) -> str:
    """Up to ``limit`` offending values, quoted and shortened, each with its suggestion if any."""
    shown = []
    for v in list(values)[:limit]:
        v = v if len(v) <= 40 else v[:37] + "..."
        text = repr(v)
        if vocab is not None and (hint := vocab.suggest(v)) is not None:
            text += f" (did you mean '{hint}'?)"
        shown.append(text)
    return ", ".join(shown)


def column_key(name: str) -> str:
    """A header name folded for matching: case, accents and ``_`` versus space ignored."""
    return fold(str(name).replace("\ufeff", "").replace("_", " "))


def column_spellings(schema: Schema) -> dict[str, tuple[str, ...]]:
    """Header names accepted for each column of ``schema``: its name and Norwegian and English labels.

    Matching ignores case and accents (``kjonn`` is ``kjønn``, as SPSS variable
    names are often written), and ``_`` counts as a space.
    """
    out = {}
    for col in schema.columns:
        names = []
        for name in (col.name, col.nb, col.en):
            if column_key(name) not in (column_key(n) for n in names):
                names.append(name)
        out[col.name] = tuple(names)
    return out


@cache
def column_lookup(schema_name: str) -> dict[str, str]:
    """Folded header name -> schema column name, for one schema (cached)."""
    lookup: dict[str, str] = {}
    for col, names in column_spellings(schemas.SCHEMAS[schema_name]).items():
        for name in names:
            key = column_key(name)
            if lookup.setdefault(key, col) != col:
                raise RuntimeError(f"schema {schema_name}: header {name!r} would match two columns")
    return lookup
