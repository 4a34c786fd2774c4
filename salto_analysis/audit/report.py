"""The audit's result: every checked quantity with its feasibility interval, per page and in total."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

__all__ = ["AuditReport", "Finding", "PageSummary"]


def _num(v: float) -> str:
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    if math.isnan(v):
        return "?"
    return f"{v:.0f}" if float(v).is_integer() else f"{v:g}"


@dataclass
class Finding:
    """One checked quantity.

    ``kind`` is "withheld" (a withheld count cell) or a count that was never published:
    "complement" (denominator − numerator of a withheld share), "line sum" (the withheld
    cells of one line together), "censored" (persons censored between two points of a
    curve), "step" (persons between two points of a cumulative share), "difference"
    (the change of a cell since the previous briefing).
    """

    briefing: str              # "current" or "previous"
    page: str
    file: str
    keys: dict[str, str]
    column: str
    kind: str
    lo: float
    hi: float
    exposed: bool
    reason: str = ""
    status: str = "ok"         # "ok"; with audit(exact=False) "inner" (the feasible interval contains
    #                            [lo, hi]) or "outer" (it lies inside [lo, hi]);
    #                            "infeasible" (relations contradict); "limit" (solver time limit)

    @property
    def width(self) -> float:
        return self.hi - self.lo

    def where(self) -> str:
        prefix = "previous briefing: " if self.briefing == "previous" else ""
        keys = ", ".join(f"{k}={v}" for k, v in self.keys.items())
        return f"{prefix}{self.file}, {keys}, {self.column}" if keys else f"{prefix}{self.file}, {self.column}"

    def interval(self) -> str:
        if self.status == "inner":  # the feasible interval contains [lo, hi]
            return f"[≤{_num(self.lo)}, ≥{_num(self.hi)}]"
        if self.status == "outer":  # the feasible interval lies inside [lo, hi]
            return f"[≥{_num(self.lo)}, ≤{_num(self.hi)}]"
        return f"[{_num(self.lo)}, {_num(self.hi)}]"

    def line(self) -> str:
        code = self.reason.split(":")[0].strip() if self.reason else ""
        extra = f" ({code})" if code else ""
        tag = "" if self.kind == "withheld" else f" [{self.kind}]"
        return f"{self.where()}: {self.interval()}{extra}{tag}"


@dataclass
class PageSummary:
    page: str
    withheld_tried: int
    derived_tried: int
    exposed: int
    narrowest: Finding | None


@dataclass
class AuditReport:
    """Result of :func:`salto_analysis.audit.audit`.

    ``findings`` holds every checked quantity (``exposed`` tells which leak);
    ``pages`` one summary per page; ``notes`` relations that were rejected or could not be
    used, and what the audit did not read; ``relations`` how many rows each relation
    family added.
    """

    folder: Path
    previous: Path | None
    min_count: int
    min_count_source: str
    protection: int
    findings: list[Finding] = field(default_factory=list)
    pages: list[PageSummary] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    relations: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def exposed(self) -> list[Finding]:
        return [f for f in self.findings if f.exposed]

    @property
    def undecided(self) -> list[Finding]:
        """Quantities the audit could not decide: contradicting relations, or a solver limit on a safe-looking bound."""
        return [f for f in self.findings if f.status == "infeasible" or (f.status == "limit" and not f.exposed)]

    @property
    def ok(self) -> bool:
        """True when nothing is exposed and nothing is undecided (the audit fails closed)."""
        return not self.exposed and not self.undecided

    def to_frame(self) -> pd.DataFrame:
        """One row per finding (keys joined as ``name=value`` text)."""
        return pd.DataFrame([{
            "briefing": f.briefing, "page": f.page, "file": f.file,
            "keys": "; ".join(f"{k}={v}" for k, v in f.keys.items()), "column": f.column, "kind": f.kind,
            "lo": f.lo, "hi": f.hi, "exposed": f.exposed, "reason": f.reason, "status": f.status,
        } for f in self.findings])

    def text(self) -> str:
        """The printed report: per page what was tried and the narrowest interval, then every exposed cell."""
        title = f"Disclosure audit of {self.folder}" + (f" with the previous briefing {self.previous}"
                                                        if self.previous else "")
        rule = (f"min_count {self.min_count} ({self.min_count_source}); protection level {self.protection}: "
                f"a withheld count is exposed when its feasible interval is narrower than {self.protection} "
                f"or lies inside 1..{self.min_count - 1}; a count never published when its interval lies "
                f"inside 1..{self.min_count - 1}.")
        out = [title, rule, ""]
        for p in self.pages:
            narrow = f"narrowest: {p.narrowest.line()}" if p.narrowest else "nothing withheld"
            out.append(f"{p.page}: {p.withheld_tried} withheld cell(s) and {p.derived_tried} derived count(s) "
                       f"tried, {p.exposed} exposed; {narrow}")
        exposed = self.exposed
        out.append("")
        out.append(f"EXPOSED: {len(exposed)}" if exposed else "Nothing exposed.")
        for f in exposed:
            out.append(f"  {f.line()}")
        bad = self.undecided
        if bad:
            out.append("")
            out.append(f"UNDECIDED: {len(bad)} (the relations contradict the published numbers, or the solver "
                       "stopped; see the notes)")
            for f in bad:
                out.append(f"  {f.where()}: {f.status}")
        if self.relations:
            out.append("")
            out.append("Relations used: " + ", ".join(f"{k} {v}" for k, v in self.relations.items()))
        if self.notes:
            out.append("")
            out.append("Notes:")
            out += [f"  - {n}" for n in self.notes]
        out.append("")
        out.append(f"({self.seconds:.1f} s)")
        return "\n".join(out)
