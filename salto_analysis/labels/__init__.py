"""All report text in Norwegian bokmål (``nb``, the default) and English (``en``).

Notebooks, tables, plots and the briefing take their words from here, so that a
reviewer reading ``lang="nb"`` sees no English and the two languages never drift.
Keys are ``"area.name"``; values are ``{"nb": ..., "en": ...}`` and may contain
``str.format`` fields, the same fields in both languages.

The text lives in one module per area (:data:`AREAS`): ``labels/trends.py`` holds
the keys of notebook 01, ``labels/display.py`` those of tables, figures and report
blocks, and so on. Each module defines one dict ``TEXT``; this package merges them
and refuses a key defined in two modules (``tests/test_labels.py`` also refuses a
key written twice inside one module, which a dict literal would silently overwrite).
Add a key to the module of its area.
"""

from __future__ import annotations

from importlib import import_module

__all__ = ["LANGS", "AREAS", "TEXT", "t", "check_lang"]

LANGS = ("nb", "en")

#: Label module -> the key prefixes it holds.
AREAS: dict[str, tuple[str, ...]] = {
    "common": ("common", "change"),
    "reliability": ("reliability",),
    "io": ("io",),
    "display": ("tables", "plots", "report"),
    "briefing": ("briefing",),
    "quality": ("quality",),
    "trends": ("trends",),
    "overlap": ("overlap",),
    "cohorts": ("cohorts",),
    "drug_use": ("drug_use",),
    "values": ("value",),
}


def _merge() -> dict[str, dict[str, str]]:
    text: dict[str, dict[str, str]] = {}
    owner: dict[str, str] = {}
    for area in AREAS:
        for key, entry in import_module(f"{__name__}.{area}").TEXT.items():
            if key in text:
                raise RuntimeError(f"label key {key!r} is defined in labels/{owner[key]}.py and labels/{area}.py; "
                                   "keep it in the module of its area")
            text[key], owner[key] = entry, area
    return text


TEXT: dict[str, dict[str, str]] = _merge()


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a supported language, else raise a clear ``ValueError``."""
    if lang not in LANGS:
        raise ValueError(f"lang={lang!r} is not supported; use 'nb' (Norwegian bokmål) or 'en' (English)")
    return lang


def t(key: str, lang: str = "nb", /, **fields) -> str:
    """The text for ``key`` in ``lang``, formatted with ``fields``.

    >>> t("common.synthetic_banner", "en")[:14]
    'SYNTHETIC DATA'
    """
    check_lang(lang)
    try:
        entry = TEXT[key]
    except KeyError:
        area = next((a for a, prefixes in AREAS.items() if key.split(".")[0] in prefixes), None)
        where = f"salto_analysis/labels/{area}.py" if area else "the salto_analysis/labels module of its area"
        raise KeyError(f"no report text for {key!r}; add it to {where}") from None
    text = entry[lang]
    return text.format(**fields) if fields else text
