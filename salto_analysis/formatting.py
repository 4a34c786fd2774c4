"""How numbers are written: the one home for number formatting, symbols and list coercion.

Conventions, the same in tables, figures, sentences and the briefing's index:

* **Symbols** follow Statistics Norway's standard table symbols ("Standardtegn i
  tabeller", ssb.no): :data:`SUPPRESSED` ``:`` for a figure that may not be published
  (withheld for privacy or because it is too uncertain) and :data:`MISSING` ``..`` for a
  figure that is missing or cannot be computed.
* **Numbers** in Norwegian bokmål use a decimal comma and a no-break space as the
  thousands separator (Språkrådet; SSB): ``12 345,6``; English uses ``12,345.6``.
  Negative numbers use the minus sign U+2212, and a value that rounds to zero is written
  without a sign (never ``−0,0``).
* **Intervals** are written ``12,3 (10,1–14,8)``; when a limit is negative the en dash
  would read as a minus, so ``−1,2 (−3,4 til 1,0)`` / ``(−3.4 to 1.0)`` is used instead.
* **p-values** have three decimals, ``<0,001`` below that.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from salto_analysis import labels

__all__ = ["SUPPRESSED", "MISSING", "MINUS", "NBSP", "number", "interval", "p_value", "percent_level", "names",
           "isna"]

#: Statistics Norway's symbol for a figure that may not be published.
SUPPRESSED = ":"
#: Statistics Norway's symbol for a missing figure.
MISSING = ".."
#: The minus sign (U+2212), not a hyphen.
MINUS = "\u2212"
#: The no-break space between thousands in Norwegian.
NBSP = "\u00a0"


def isna(x) -> bool:
    """True for ``None``, ``NaN``, ``pd.NA`` and ``NaT``; False for anything that is not a scalar missing value."""
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def number(value, digits: int = 1, lang: str = "nb", *, sign: bool = False, missing: str = MISSING) -> str:
    """One number in the conventions of ``lang``; a missing value gives ``missing``.

    ``sign=True`` writes ``+`` before a positive value (changes). Infinite values are
    written ``∞`` and ``−∞``.

    >>> number(12345.678, 1, "nb")
    '12\\xa0345,7'
    >>> number(-0.5, 2, "en"), number(-0.04, 1, "nb"), number(4.25, 1, "en", sign=True)
    ('−0.50', '0,0', '+4.2')
    >>> number(None, 1, "nb"), number(float("nan"), 1, "nb", missing=":")
    ('..', ':')
    """
    labels.check_lang(lang)
    if not isinstance(digits, (int, np.integer)) or isinstance(digits, bool) or digits < 0:
        raise ValueError(f"digits={digits!r} must be a whole number >= 0")
    if isna(value):
        return missing
    x = float(value)
    if math.isinf(x):
        return ("" if x > 0 else MINUS) + "∞"
    text = f"{abs(x):,.{int(digits)}f}"
    if lang == "nb":
        text = text.replace(",", NBSP).replace(".", ",")
    rounded_zero = float(f"{abs(x):.{int(digits)}f}") == 0
    if x < 0 and not rounded_zero:
        return MINUS + text
    if sign and x > 0 and not rounded_zero:
        return "+" + text
    return text


def interval(estimate, low, high, digits: int = 1, lang: str = "nb", mark: str = "",
             missing: str = MISSING) -> str:
    """``12,3 (10,1–14,8)``; ``mark`` goes right after the estimate.

    A missing limit gives the estimate alone. With a negative limit the limits are joined
    by ``til`` / ``to`` so that the dash is not read as a minus.

    >>> interval(0.5, -1.25, 2.0, 1, "en")
    '0.5 (−1.2 to 2.0)'
    >>> interval(12.34, 10.1, 14.8, 1, "nb")
    '12,3 (10,1–14,8)'
    """
    est = number(estimate, digits, lang, missing=missing) + mark
    if isna(estimate) or isna(low) or isna(high):
        return est
    lo, hi = number(low, digits, lang), number(high, digits, lang)
    sep = f" {labels.t('tables.interval_to', lang)} " if lo.startswith(MINUS) or hi.startswith(MINUS) else "–"
    return f"{est} ({lo}{sep}{hi})"


def p_value(p, lang: str = "nb") -> str:
    """A p-value with three decimals, ``<0,001`` below that.

    >>> p_value(0.0004, "nb"), p_value(0.0797, "en")
    ('<0,001', '0.080')
    """
    if isna(p):
        return MISSING
    if float(p) < 0.001:
        return "<" + number(0.001, 3, lang)
    return number(p, 3, lang)


def percent_level(confidence_level: float, lang: str = "nb") -> str:
    """A confidence level in percent without needless decimals: ``95``, ``99,8``.

    >>> percent_level(0.95, "nb"), percent_level(0.998, "nb"), percent_level(0.998, "en")
    ('95', '99,8', '99.8')
    """
    pct = round(100 * float(confidence_level), 6)
    return number(pct, 0 if float(pct).is_integer() else 1, lang)


def names(value) -> list[str]:
    """Column names given as one name, a sequence of names or ``None`` (none), as a list.

    >>> names("wave"), names(["wave", "sex"]), names(None)
    (['wave'], ['wave', 'sex'], [])
    """
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)
