"""Run the attack page by page and decide which quantities are exposed."""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
import pandas as pd

from .codes import Thresholds, thresholds_from_reasons
from .model import Model
from .published import AuditInputError, Publication, Table, read_folder
from .relations import FAMILIES, Attack, Target, previous_year
from .report import AuditReport, Finding, PageSummary

__all__ = ["audit", "is_exposed"]


def is_exposed(rule: str, lo: float, hi: float, min_count: int, protection: int) -> bool:
    """The protection rule.

    A withheld count (``rule="width"``) is exposed when ``hi − lo < protection`` or when
    ``[lo, hi]`` lies inside ``1..min_count−1``; a count never published
    (``rule="inside"``: complements, sums of withheld cells, censored persons, steps,
    changes) when ``[lo, hi]`` lies inside ``1..min_count−1``. This is the
    protection-interval criterion of τ-ARGUS (manual 4.1, §2.9) with a width of
    ``protection`` (default ``min_count``).

    >>> is_exposed("width", 4, 4, 5, 5), is_exposed("width", 0, 9, 5, 5), is_exposed("inside", 0, 3, 5, 5)
    (True, False, False)
    """
    if math.isnan(lo) or math.isnan(hi):
        return False
    inside = lo >= 1 and hi <= min_count - 1
    if rule == "width":
        return inside or (hi - lo) < protection
    return inside


def _surely_safe(rule: str, a: float, b: float, min_count: int, protection: int) -> bool:
    """Whether every interval containing ``[a, b]`` passes :func:`is_exposed`."""
    outside = a < 1 or b > min_count - 1
    return outside and (rule != "width" or b - a >= protection)


def _cap(tables: list[Table]) -> float:
    top = 0.0
    for t in tables:
        for c in t.counts():
            v = t.frame[c].to_numpy(dtype=float)
            v = v[~np.isnan(v)]
            if len(v):
                top = max(top, float(v.max()))
    return max(1e4, 10 * top)


def _build(tables: list[Table], prev_tables: list[Table] | None, th: Thresholds, name: str) -> Attack:
    att = Attack(Model(cap=_cap(tables + (prev_tables or []))), th)
    cur = att.page(tables, "current", name)
    for family in FAMILIES:
        family(att, cur)
    if prev_tables:
        prev = att.page(prev_tables, "previous", name)
        for family in FAMILIES:
            family(att, prev)
        previous_year(att, cur, prev)
    return att


def _solve(att: Attack, notes: list[str], name: str, exact: bool = True, protection: int = 5):
    """Solve every target; previous-briefing targets only where the current briefing reaches them."""
    m = att.m
    screens = None if exact else [
        (lambda a, b, side, rule=t.rule: _surely_safe(rule, a, b, m, protection) if side == "inner"
         else is_exposed(rule, a, b, m, protection)) for t in att.targets]

    def run(use_unverified: bool):
        current = [v for t in att.targets if t.briefing == "current" for v, _ in t.expr.coefs]
        current += [v for key, cell in att.pages["current"].cells.items() for v, _ in cell.coefs]
        current += [v for r in att.model.rows if r.family == "previous year" for v, _ in r.expr.coefs]
        live = att.model.groups_of(current, use_unverified=use_unverified)
        sols = att.model.solve([t.expr for t in att.targets], use_unverified=use_unverified,
                               skip=lambda groups: not (groups & live), screens=screens)
        return sols

    sols = run(True)
    if any(s is not None and s.status == "infeasible" for s in sols):
        retry = run(False)
        if not any(s is not None and s.status == "infeasible" for s in retry):
            notes.append(f"{name}: the unverified relations contradict the published numbers; solved without them")
            return retry
        notes.append(f"{name}: the relations contradict the published numbers for some cells "
                     f"({'; '.join(att.model.contradictions[:3]) or 'no single relation is to blame'})")
    return sols


def _key(t: Target) -> tuple:
    return (t.file, tuple(t.keys.items()), t.column, t.kind)


#: Name of the internal file (beside, never inside, the published folder) that says which withheld
#: rows were withheld to protect a small count (code D1), written by :func:`write_internal`.
INTERNAL_FILE = "withheld_codes.csv"


def _row_key(file: str, keys: dict) -> tuple:
    return (file, tuple(sorted((str(k), str(v)) for k, v in keys.items())))


def write_internal(out_dir: str | Path, codes_by_file: dict[str, list], path: str | Path) -> Path:
    """Write the internal codes file for the published folder ``out_dir``.

    ``codes_by_file`` maps a published CSV's file name to its rows' full reason codes (the
    ``internal`` part of the record payloads), in row order. The file has one row per
    withheld row: ``file``, ``keys`` (the grouping values as the audit reads them, JSON) and
    ``codes``. It is for the briefing's own audit and for the analysts, and is never
    published: a withheld number's public reason is only ``:``.
    """
    import json

    cur = read_folder(out_dir, workbook=False)
    rows = []
    for t in cur.tables.values():
        codes = codes_by_file.get(t.file)
        if codes is None:
            continue
        for i in range(min(len(codes), len(t.frame))):
            if t.withheld[i]:
                rows.append({"file": t.file, "keys": json.dumps(t.keys(i), ensure_ascii=False, sort_keys=True),
                             "codes": codes[i] or ""})
    path = Path(path)
    pd.DataFrame(rows, columns=["file", "keys", "codes"]).to_csv(path, index=False)
    return path


def _read_internal(internal) -> dict[tuple, set[str]] | None:
    import json

    if internal is None:
        return None
    frame = internal if isinstance(internal, pd.DataFrame) else pd.read_csv(internal, dtype=str, keep_default_na=False)
    return {_row_key(r.file, json.loads(r.keys)): set(filter(None, str(r.codes).split(";")))
            for r in frame.itertuples(index=False)}


def audit(out_dir: str | Path, previous: str | Path | None = None, protection: int | None = None, *,
          min_count: int | None = None, exact: bool = True, internal=None) -> AuditReport:
    """Audit a published briefing folder as an attacker who reads everything in it.

    Parameters
    ----------
    out_dir : path
        The briefing's output folder (the one holding ``tables/``).
    previous : path, optional
        The previous year's briefing folder: its cells join the programme (same file and
        grouping values = the same cell; see :func:`.relations.previous_year`).
    protection : int, optional
        Protection level: a withheld count whose feasible interval is narrower than this is
        exposed. Default ``min_count``.
    min_count : int, optional
        Counts ``1..min_count−1`` are small. Default: what the folder states (the workbook's
        explanation sheet, else the D1 reason text), else 5.
    exact : bool
        True (default): the exact interval of every quantity. False: a quantity settled
        without solving gets no solves of its own — safe because its values at integer
        solutions already met span a safe interval (status "inner": the feasible interval
        contains ``[lo, hi]``), or exposed because the bounds of its unknowns already
        expose it (status "outer": the feasible interval lies inside ``[lo, hi]``). Much
        faster on large tables; the decisions are the same.
    internal : path or DataFrame, optional
        The internal codes file (:func:`write_internal`), for the briefing's own audit. The
        attack is the same; what changes is which narrow intervals count: a withheld cell
        whose codes hold no ``D1`` was withheld as too uncertain or to protect another cell,
        so narrowing it only matters when its interval lies inside ``1..min_count−1``.
        Without it every withheld cell is treated as if it might hide a small count.

    Returns
    -------
    AuditReport
        Every withheld cell and derived count with its interval; ``report.ok`` is true when
        nothing is exposed. Previous-briefing cells are reported only when the current
        briefing narrows them further than the previous briefing alone did.
    """
    t0 = time.perf_counter()
    sensitive = _read_internal(internal)
    cur = read_folder(out_dir)
    prev: Publication | None = read_folder(previous) if previous is not None else None
    notes = list(cur.notes) + ([f"previous briefing: {n}" for n in prev.notes] if prev else [])
    if min_count is not None:
        if not isinstance(min_count, (int, np.integer)) or isinstance(min_count, bool) or min_count < 1:
            raise AuditInputError(f"min_count={min_count!r} must be a whole number of at least 1")
        m, source = int(min_count), "given"
    elif cur.min_count is not None:
        m, source = cur.min_count, cur.min_count_source
    elif prev is not None and prev.min_count is not None:
        m, source = prev.min_count, "the previous briefing"
    else:
        m, source = 5, "not stated in the folder; the default 5 assumed"
    if prev is not None and prev.min_count is not None and prev.min_count != m:
        notes.append(f"the previous briefing states min_count {prev.min_count}, this one {m}")
    if protection is None:
        protection = m
    if not isinstance(protection, (int, np.integer)) or isinstance(protection, bool) or protection < 1:
        raise AuditInputError(f"protection={protection!r} must be a whole number of at least 1")
    reasons = [r for t in cur.tables.values() for r in t.reasons]
    th = thresholds_from_reasons(reasons, Thresholds(min_count=m))
    if th.min_count != m:
        th = Thresholds(**{**th.__dict__, "min_count": m})
    report = AuditReport(folder=Path(out_dir), previous=Path(previous) if previous is not None else None,
                         min_count=m, min_count_source=source, protection=int(protection), notes=notes)
    cur_pages = cur.pages()
    prev_pages = prev.pages() if prev else {}
    relations: dict[str, int] = {}
    for name in sorted(cur_pages):
        att = _build(cur_pages[name], prev_pages.get(name), th, name)
        sols = _solve(att, notes, name, exact, protection)
        for k, v in att.used.items():
            relations[k] = relations.get(k, 0) + v
        notes += [f"{name}: {n}" for n in att.notes]
        found = []
        for t, s in zip(att.targets, sols):
            if s is None:
                continue  # a previous-briefing quantity the current briefing does not reach
            rule = t.rule
            if (sensitive is not None and rule == "width" and t.briefing == "current"
                    and "D1" not in sensitive.get(_row_key(t.file, t.keys), {"D1"})):
                rule = "inside"  # withheld as too uncertain or for another cell: its own value is not small
            exposed = s.status == "outer" or (s.status not in ("infeasible", "inner")
                                              and is_exposed(rule, s.lo, s.hi, m, protection))
            found.append((t, Finding(t.briefing, name, t.file, t.keys, t.column, t.kind, s.lo, s.hi, exposed,
                                     t.reason, s.status)))
        # a previous-briefing quantity counts only when this briefing narrows it further
        again = [(t, f) for t, f in found if f.exposed and t.briefing == "previous"]
        if again:
            alone = _build(prev_pages[name], None, th, name)
            wanted = {_key(t) for t, _ in again}
            picked = [x for x in alone.targets if _key(x) in wanted]
            baseline = {_key(x): b for x, b in zip(picked, alone.model.solve([x.expr for x in picked]))}
            for t, f in again:
                b = baseline.get(_key(t))
                f.exposed = b is None or b.status != "ok" or (b.hi - b.lo) > (f.hi - f.lo)
        found = [f for _, f in found]
        report.findings += found
        mine = [f for f in found if f.briefing == "current"]
        withheld = [f for f in mine if f.kind == "withheld" and f.status in ("ok", "limit", "outer")]
        narrowest = min(withheld, key=lambda f: (f.width, f.lo), default=None)
        report.pages.append(PageSummary(name, sum(f.kind == "withheld" for f in mine),
                                        sum(f.kind != "withheld" for f in mine),
                                        sum(f.exposed for f in found), narrowest))
    notes.append("not read: numbers that appear only on the HTML pages (see salto_analysis.audit)")
    report.relations = relations
    report.seconds = time.perf_counter() - t0
    return report
