"""All report text in Norwegian bokmål (``nb``, the default) and English (``en``).

Notebooks, tables, plots and the briefing take their words from here, so that a
reviewer reading ``lang="nb"`` sees no English and the two languages never drift.
Keys are ``"area.name"``; values are ``{"nb": ..., "en": ...}`` and may contain
``str.format`` fields.

Each area has its own block below; add keys to the block of the module that
uses them.
"""

from __future__ import annotations

__all__ = ["LANGS", "TEXT", "t", "check_lang"]

LANGS = ("nb", "en")

TEXT: dict[str, dict[str, str]] = {}

# --- common -----------------------------------------------------------------------------
TEXT.update({
    "common.synthetic_banner": {
        "nb": "SYNTETISKE DATA – tallene er laget for utprøving og beskriver ingen virkelige personer.",
        "en": "SYNTHETIC DATA – the figures are made up for testing and describe no real persons.",
    },
    "common.suppressed_symbol_note": {
        "nb": "«:» betyr at tallet er skjult for å verne personvernet (færre enn {min_count}) "
              "eller fordi det er for usikkert til å vises.",
        "en": "“:” means the figure is withheld to protect privacy (fewer than {min_count}) "
              "or because it is too uncertain to show.",
    },
})

# --- reliability (salto_analysis.reliability) ---------------------------------------------
# --- end reliability

# --- io (salto_analysis.io) --------------------------------------------------------------
# --- end io

# --- tables and plots (salto_analysis.tables, salto_analysis.plots, salto_analysis.report) --
# --- end tables and plots

# --- briefing (salto_analysis.briefing) ---------------------------------------------------
# --- end briefing

# --- trends (salto_analysis.trends, notebook 01) ------------------------------------------
# --- end trends

# --- overlap (salto_analysis.overlap, notebook 02) ----------------------------------------
# --- end overlap

# --- cohorts (salto_analysis.cohorts, notebook 03) ----------------------------------------
# --- end cohorts

# --- drug use (salto_analysis.drug_use, notebook 04) --------------------------------------
# --- end drug use


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
        raise KeyError(f"no report text for {key!r}; add it to salto_analysis/labels.py") from None
    text = entry[lang]
    return text.format(**fields) if fields else text
