"""The small-numbers policy: its thresholds (:class:`Policy`) and its flag codes.

One :class:`Policy` object holds every threshold of the three questions the package
asks of a number before it is shown (``docs/small-numbers.md``):

1. **Disclosure** (:mod:`salto_analysis.disclosure`): may the number be shown at all?
2. **Reliability** (:mod:`salto_analysis.reliability`): is it stable enough to read?
3. **Protection**: can a withheld number be worked out from everything else published?

Grading (:func:`salto_analysis.reliability.grade`) writes **codes** into a table's
``flag_reason`` column, never words: ``"D1"``, ``"P2;P3"``. The codes are
language-independent, so published CSV files are the same bytes in every language;
:func:`code_text` turns a code into words in ``nb`` or ``en`` at display.

========  ===========  =====================================================================
code      effect       meaning
========  ===========  =====================================================================
``D1``    suppressed   a count of 1 .. ``min_count − 1`` persons or cases (primary)
``D2``    suppressed   withheld so that another hidden number cannot be worked out (secondary)
``P1``    suppressed   proportion: effective sample size under ``min_n_eff``
``P2``    suppressed   proportion: interval ``abs_width_max`` or wider
``P3``    suppressed   proportion: interval wider than ``rel_width_max`` of the share
``Pc``    uncertain    proportion: the complement's interval is relatively too wide
``Pdf``   uncertain    fewer than ``min_df`` degrees of freedom
``P0``    uncertain    a share of exactly 0 or 1
``C1``    suppressed   count or comparison from fewer than ``min_events`` events
``C2``    suppressed   count: interval wider than ``count_rel_width_max`` of it
``C3``    uncertain    from fewer than ``unstable_events`` events (unstable)
``Cdf``   uncertain    count with fewer than ``min_df`` degrees of freedom
``S1``    suppressed   summary of fewer than ``min_units`` persons
``S2``    uncertain    survival: fewer than ``min_at_risk`` persons still at risk
========  ===========  =====================================================================

Sources: NCHS Data Presentation Standards for Proportions (Parker et al. 2017, *Vital
Health Stat* 2(175)); NCHS standards for counts and rates (*Vital Health Stat* 2(200),
2023); Statistics Norway's rules for small cells; the CDC WONDER convention that rates
from fewer than 20 events are unstable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from salto_analysis import labels

__all__ = ["Policy", "SmallSampleWarning", "CODES", "SUPPRESSING", "DISCLOSURE_CODES", "code_text", "split_codes",
           "join_codes", "public_codes", "policy_of"]

#: Every flag code, in the order footnotes list them.
CODES = ("D1", "D2", "P1", "P2", "P3", "Pc", "Pdf", "P0", "C1", "C2", "C3", "Cdf", "S1", "S2")
#: The codes that withhold a number (the others mark a shown number as uncertain).
SUPPRESSING = frozenset({"D1", "D2", "P1", "P2", "P3", "C1", "C2", "S1"})
#: The codes that withhold a number to protect privacy (not only because it is uncertain).
DISCLOSURE_CODES = frozenset({"D1", "D2"})
_ORDER = {c: i for i, c in enumerate(CODES)}


class SmallSampleWarning(UserWarning):
    """Emitted once per graded table that has uncertain or suppressed rows."""


@dataclass(frozen=True)
class Policy:
    """Thresholds of the small-numbers policy (defaults: NCHS standards, SaLTo disclosure rule).

    Attributes
    ----------
    min_count : int
        Disclosure threshold: counts ``1 .. min_count − 1`` are suppressed (default 5).
        Statistics Norway's example rule corresponds to 3, trusted research environments to 10.
        ``min_count=1`` switches primary suppression off.
    protection : int or None
        The protection interval: a reader who combines the published figures must not be
        able to narrow a withheld count from 1 to ``min_count − 1`` to fewer than this many
        whole numbers apart (``max − min``). ``None`` (the default) means ``min_count``: a
        withheld 3 may not be pinned to 0–4, only to 0–5 or wider. ``0`` switches the rule
        off (then only exact recovery is prevented). See :mod:`salto_analysis.disclosure`, step (c).
    min_n_eff : float
        NCHS 2017: proportions with an effective sample size below this are suppressed (30).
    abs_width_show : float
        NCHS 2017: a Korn–Graubard interval at most this wide is always shown (0.05).
    abs_width_max : float
        NCHS 2017: an interval at least this wide is suppressed (0.30).
    rel_width_max : float
        NCHS 2017: relative width (width / p) above this is suppressed (1.30).
    complement_rel_width_max : float
        NCHS 2017: width / (1 − p) above this flags the shown value ``Pc`` (1.30).
    min_df : float
        Degrees of freedom below this flag a shown value for review (8).
    min_events : int
        NCHS 2023: counts and rates from fewer events are suppressed (10).
    count_rel_width_max : float
        NCHS 2023: relative width of the 95% Poisson interval above this is suppressed (1.60).
    unstable_events : int
        Shown counts and rates from fewer events are marked unstable (20).
    min_units : int
        Summaries (Gini, survival …) of fewer persons are suppressed (30).
    min_at_risk : int
        Survival estimates with fewer persons still at risk are marked uncertain (10).
    confidence_level : float
        Level of the intervals the pages *show* (0.95); the grading itself always
        measures widths at ``grading_confidence_level``.
    grading_confidence_level : float
        Level of the intervals the rules measure (0.95, as NCHS), whatever level the table shows.
    total_labels : tuple of str
        Values of a grouping column that mark a total (margin) row for secondary suppression.
    lang : str
        Language of ``flag_reason`` and warnings: ``"nb"`` (default) or ``"en"``.
    """

    min_count: int = 5
    protection: int | None = None
    min_n_eff: float = 30
    abs_width_show: float = 0.05
    abs_width_max: float = 0.30
    rel_width_max: float = 1.30
    complement_rel_width_max: float = 1.30
    min_df: float = 8
    min_events: int = 10
    count_rel_width_max: float = 1.60
    unstable_events: int = 20
    min_units: int = 30
    min_at_risk: int = 10
    confidence_level: float = 0.95
    grading_confidence_level: float = 0.95
    total_labels: tuple[str, ...] = ("Total", "total", "I alt", "i alt", "Alle", "alle", "All", "all",
                                     "Oslo", "Oslo i alt", "Hele Oslo")
    lang: str = "nb"

    def __post_init__(self) -> None:
        if not isinstance(self.min_count, (int, np.integer)) or isinstance(self.min_count, bool) or self.min_count < 1:
            raise ValueError(f"min_count={self.min_count!r} must be a whole number of at least 1")
        if self.protection is None:
            object.__setattr__(self, "protection", int(self.min_count))
        elif isinstance(self.protection, bool) or not isinstance(self.protection, (int, np.integer)) \
                or self.protection < 0:
            raise ValueError(f"protection={self.protection!r} must be a whole number of at least 0 (or None for "
                             "min_count)")
        for name in ("min_n_eff", "abs_width_show", "abs_width_max", "rel_width_max", "complement_rel_width_max",
                     "min_df", "min_events", "count_rel_width_max", "unstable_events", "min_units", "min_at_risk"):
            value = getattr(self, name)
            if not isinstance(value, (int, float, np.integer, np.floating)) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name}={value!r} must be a non-negative number")
        if not self.abs_width_show <= self.abs_width_max:
            raise ValueError(f"abs_width_show={self.abs_width_show!r} must not exceed "
                             f"abs_width_max={self.abs_width_max!r}")
        if isinstance(self.confidence_level, bool) or not isinstance(self.confidence_level, (int, float)) \
                or not 0 < self.confidence_level < 1:
            raise ValueError(f"confidence_level={self.confidence_level!r} must be between 0 and 1")
        if not 0 < self.grading_confidence_level < 1:
            raise ValueError(f"grading_confidence_level={self.grading_confidence_level!r} must be between 0 and 1")
        if isinstance(self.total_labels, str):
            raise ValueError(f"total_labels={self.total_labels!r} must be a tuple of labels, not one string")
        object.__setattr__(self, "total_labels", tuple(self.total_labels))
        labels.check_lang(self.lang)

    def text_fields(self) -> dict[str, str]:
        """Thresholds formatted for the flag texts (percent and percentage points as whole numbers)."""
        return {
            "min_count": f"{self.min_count}",
            "min_n_eff": f"{self.min_n_eff:g}",
            "abs_width_max": f"{100 * self.abs_width_max:g}",
            "rel_width_max": f"{100 * self.rel_width_max:g}",
            "complement_rel_width_max": f"{100 * self.complement_rel_width_max:g}",
            "min_df": f"{self.min_df:g}",
            "min_events": f"{self.min_events:g}",
            "count_rel_width_max": f"{100 * self.count_rel_width_max:g}",
            "unstable_events": f"{self.unstable_events:g}",
            "min_units": f"{self.min_units:g}",
            "min_at_risk": f"{self.min_at_risk:g}",
        }


def split_codes(reason) -> list[str]:
    """The codes of one ``flag_reason`` value (``"D1;P3"`` → ``["D1", "P3"]``; missing → ``[]``).

    >>> split_codes("P2;P3"), split_codes(None)
    (['P2', 'P3'], [])
    """
    if reason is None or reason is pd.NA or (isinstance(reason, float) and np.isnan(reason)):
        return []
    codes = [c.strip() for c in str(reason).split(";") if c.strip()]
    bad = [c for c in codes if c not in _ORDER]
    if bad:
        raise ValueError(f"flag_reason={reason!r} holds unknown code(s) {bad}; codes are {', '.join(CODES)}")
    return codes


def join_codes(codes) -> str:
    """Codes as one ``flag_reason`` value, in :data:`CODES` order, without repeats.

    >>> join_codes(["P3", "P2", "P3"])
    'P2;P3'
    """
    return ";".join(sorted(set(codes), key=_ORDER.__getitem__))


def code_text(code: str, policy: Policy | None = None, lang: str | None = None) -> str:
    """``"CODE: short text"`` for a flag code, in ``lang`` (default: the policy's language).

    >>> code_text("D1", Policy(min_count=5), "en")
    'D1: fewer than 5 persons (privacy)'
    """
    policy = policy or Policy()
    if code not in _ORDER:
        raise ValueError(f"code={code!r} is not a flag code; codes are {', '.join(CODES)}")
    return labels.t(f"reliability.{code}", lang or policy.lang, **policy.text_fields())


def public_codes(flag, reason) -> str | None:
    """The part of a row's reason that may be published: ``None`` for a withheld row.

    A withheld number gets one public reason, the symbol ``:`` ("too few or too uncertain to
    show"), whatever withheld it: a code telling "1–4 persons" (``D1``) from "fewer than 10
    events, possibly 0" (``C1``) or "withheld to protect another cell" (``D2``) would narrow
    the hidden count for a reader who combines it with the published totals. Shown numbers
    keep their review codes (``Pc``, ``C3`` ...), which say why a shown number is uncertain.
    The full codes stay in the briefing's internal audit file, never in what is published.

    >>> public_codes("suppressed", "D1"), public_codes("uncertain", "C3"), public_codes("ok", None)
    (None, 'C3', None)
    """
    if flag == "suppressed":
        return None
    codes = split_codes(reason)
    return join_codes(codes) if codes else None


def policy_of(table: pd.DataFrame) -> Policy:
    """The :class:`Policy` a table was graded with; ``Policy()`` if it was not graded.

    >>> policy_of(pd.DataFrame()).min_count
    5
    """
    from salto_analysis.estimates import has_meta, meta_of

    pol = meta_of(table).policy if has_meta(table) else None
    return pol if isinstance(pol, Policy) else Policy()
