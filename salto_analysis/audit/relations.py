"""The relation families: every way the published numbers of a page tie the withheld counts together.

Each family is one function ``family(attack, page)`` (``previous_year`` takes two pages) that
adds rows to the attacker's programme (:class:`~salto_analysis.audit.model.Model`) and
targets to check. A relation that rests on an assumption about the table (that a total row
is the sum of the rows above it, that a count repeats across a column …) is first tested
on the rows where every number is published: one published counter-example rejects it for
the table (noted in the report), at least one published example *verifies* it, and a
relation that no row can test is used as *unverified* (the solver drops unverified rows
if they make the programme infeasible). To add a family, write a function of the same
shape and list it in :data:`FAMILIES`.

Families (a reader who knows what the page shows can use all of them):

1. :func:`counts` — counts are non-negative integers; ``numerator ≤ denominator``.
2. :func:`margins` — a grouping column with a total label («I alt», «Total», «Oslo»,
   «Alle trinn» …): the detail rows add up to the total row, also when detail and total
   rows are published in different tables with the same grouping columns.
3. :func:`same_count` — the same count published in several tables of the page (same
   grouping values, a missing grouping column meaning its total), and counts that repeat
   along a grouping column inside a table (the same persons counted under two headings,
   one denominator for every row of a breakdown).
4. :func:`reason_codes` — what each published reason code says about the hidden counts
   (:mod:`salto_analysis.audit.codes`).
5. :func:`shares` — numerator = estimate × denominator (within the estimate's printed
   precision); the numerators of a breakdown that add up to its common denominator
   (complements); the complement ``denominator − numerator`` of a withheld share is a
   count to protect too.
6. :func:`rates` — count = rate × exposure / scale (scale found from the published rows);
   a count plus its reference count that is the same in every row (a district and the
   rest of the city).
7. :func:`curves` — Kaplan–Meier-type tables (``n_at_risk``, ``events``): the
   cumulative numerator grows by the events, and previous at-risk − at-risk − events =
   persons censored in between, ≥ 0 (a count to protect).
8. :func:`cumulative_shares` — Lorenz curves and top shares: a person share printed as
   a grouping value pins its numerator (``share × denominator``), and the steps between
   consecutive points are counts of persons.
9. :func:`previous_year` — the same cell in the previous year's briefing: equal when the
   table's published cells are all unchanged, otherwise (nested populations, every
   change of one sign) the change is a count of persons.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from .codes import Thresholds, parse_codes, proportion_box, table_kind
from .model import Lin, Model, total
from .published import COUNT_COLUMNS, PROTECTED_COLUMNS, Table, is_total_label

#: Withheld cells held to the protection level; the other protected columns (group sizes
#: ``denominator`` and the reference group's counts ``*_ref``) only must not be pinned inside
#: ``1..min_count−1``, and a withheld share's persons without the property are checked as
#: its complement.
WIDTH_COLUMNS = ("count", "numerator", "n_at_risk", "events")

__all__ = [
    "FAMILIES",
    "WIDTH_COLUMNS",
    "Attack",
    "Page",
    "Target",
    "counts",
    "cumulative_shares",
    "curves",
    "margins",
    "previous_year",
    "rates",
    "reason_codes",
    "same_count",
    "shares",
]


@dataclass
class Target:
    """A quantity whose feasibility interval is checked.

    ``rule`` "width": a withheld cell (exposed when narrower than the protection level or
    inside ``1..min_count−1``); "inside": a count that was never published (exposed when
    its interval lies inside ``1..min_count−1``).
    """

    expr: Lin
    briefing: str
    file: str
    keys: dict[str, str]
    column: str
    kind: str
    rule: str
    reason: str = ""


@dataclass
class Page:
    """One page (notebook) of one briefing: its tables, and the cell → expression map."""

    tag: str
    name: str
    tables: list[Table]
    cells: dict[tuple[str, int, str], Lin] = field(default_factory=dict)

    def cell(self, t: Table, i: int, c: str) -> Lin | None:
        """The published value (a constant) or the unknown of a count cell; ``None`` for other columns."""
        return self.cells.get((t.name, i, c))

    def number(self, t: Table, i: int, c: str) -> float:
        return float(t.frame.at[i, c]) if c in t.frame.columns else math.nan


@dataclass
class Attack:
    """The programme under construction: model, thresholds, targets, and what each family did."""

    model: Model
    th: Thresholds
    targets: list[Target] = field(default_factory=list)
    used: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    notes: list[str] = field(default_factory=list)
    pages: dict[str, Page] = field(default_factory=dict)

    @property
    def m(self) -> int:
        return self.th.min_count

    def page(self, tables: list[Table], tag: str, name: str) -> Page:
        """Register a page: one unknown per blank count cell, a target per withheld protected cell."""
        page = Page(tag, name, tables)
        self.pages[tag] = page
        for t in tables:
            for c in t.counts():
                col = t.frame[c].to_numpy(dtype=float)
                shown = col[~np.isnan(col)]
                integer = bool(np.all(shown == np.round(shown))) if len(shown) else c != "exposure"
                for i, v in enumerate(col):
                    if math.isnan(v):
                        var = self.model.var(f"{tag}:{t.name}:{i}:{c}", 0.0, math.inf, integer)
                        page.cells[(t.name, i, c)] = Lin.of(var=var)
                        if t.withheld[i] and c in PROTECTED_COLUMNS:
                            rule = "width" if c in WIDTH_COLUMNS else "inside"
                            self.targets.append(Target(Lin.of(var=var), tag, t.file, t.keys(i), c, "withheld",
                                                       rule, t.reasons[i]))
                    else:
                        page.cells[(t.name, i, c)] = Lin.of(v)
        return page

    def add(self, expr: Lin, lo: float = -math.inf, hi: float = math.inf, *, family: str, verified: bool = True):
        self.used[family] += 1
        return self.model.add(expr, lo, hi, family=family, verified=verified)

    def target(self, expr: Lin, page: Page, t: Table | None, keys: dict, column: str, kind: str) -> None:
        if expr.known and not (1 <= expr.const <= self.m - 1):
            return  # a published difference outside 1..m−1 needs no solving
        self.targets.append(Target(expr, page.tag, t.file if t else page.name, keys, column, kind, "inside"))


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------
def _lines(t: Table, g: str, rows=None) -> dict[tuple, list[int]]:
    """Rows of ``t`` grouped by every grouping column except ``g`` (a *line* along ``g``)."""
    j = t.groups.index(g)
    keys = t.key_tuples()
    out: dict[tuple, list[int]] = defaultdict(list)
    for i in range(len(keys)) if rows is None else rows:
        out[keys[i][:j] + keys[i][j + 1:]].append(i)
    return out


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _half_unit(text: str) -> float:
    """Half a unit of the last printed digit of a published number ("0.25" → 0.005)."""
    text = text.strip().lower()
    mant = text.split("e")[0]
    exp = int(text.split("e")[1]) if "e" in text else 0
    dec = len(mant.split(".")[1]) if "." in mant else 0
    return 0.5 * 10.0 ** (exp - dec)


# --------------------------------------------------------------------------------------
# 1. counts
# --------------------------------------------------------------------------------------
def counts(att: Attack, page: Page) -> None:
    """Counts are non-negative integers (the unknowns' bounds) and parts are at most their whole."""
    for t in page.tables:
        pairs = [(a, b) for a, b in (("numerator", "denominator"), ("numerator_ref", "denominator_ref"),
                                     ("n_at_risk", "denominator"), ("events", "denominator"))
                 if a in t.numbers and b in t.numbers]
        for i in range(len(t.frame)):
            for a, b in pairs:
                x, n = page.cell(t, i, a), page.cell(t, i, b)
                if not (x.known and n.known):
                    att.add(n - x, 0.0, math.inf, family="counts")


# --------------------------------------------------------------------------------------
# 2. margins
# --------------------------------------------------------------------------------------
def _cubes(page: Page) -> list[list[Table]]:
    """Tables of the page with the same grouping columns whose shared cells agree, stacked."""
    by_groups: dict[tuple, list[Table]] = defaultdict(list)
    for t in page.tables:
        if t.groups:
            by_groups[tuple(t.groups)].append(t)
    cubes: list[list[Table]] = []
    for tables in by_groups.values():
        mine: list[list[Table]] = []
        for t in tables:
            for cube in mine:
                if all(_agree(page, t, u) for u in cube):
                    cube.append(t)
                    break
            else:
                mine.append([t])
        cubes += mine
    return cubes


def _agree(page: Page, a: Table, b: Table) -> bool:
    """No shared key of ``a`` and ``b`` holds different published counts."""
    idx = {k: i for i, k in enumerate(a.key_tuples())}
    for j, key in enumerate(b.key_tuples()):
        i = idx.get(key)
        if i is None:
            continue
        for c in set(a.counts()) & set(b.counts()):
            x, y = page.number(a, i, c), page.number(b, j, c)
            if not math.isnan(x) and not math.isnan(y) and not _close(x, y):
                return False
    return True


def margins(att: Attack, page: Page) -> None:
    """Detail rows add up to the total row of their line (a grouping value with a total label)."""
    for cube in _cubes(page):
        groups = cube[0].groups
        entry: dict[tuple, tuple[Table, int]] = {}
        for t in cube:
            for i, key in enumerate(t.key_tuples()):
                entry.setdefault(key, (t, i))
        columns = sorted({c for t in cube for c in t.counts()}, key=COUNT_COLUMNS.index)
        for j, g in enumerate(groups):
            lines: dict[tuple, dict[str, list[tuple]]] = defaultdict(lambda: {"total": [], "detail": []})
            for key in entry:
                other = key[:j] + key[j + 1:]
                lines[other]["total" if is_total_label(key[j]) else "detail"].append(key)
            lines = {k: v for k, v in lines.items() if len(v["total"]) == 1 and v["detail"]}
            if not lines:
                continue
            for c in columns:
                built = []
                passed = failed = 0
                for other, parts in lines.items():
                    keys = parts["detail"] + parts["total"]
                    if any(c not in entry[k][0].numbers for k in keys):
                        continue
                    det = [page.cell(*entry[k], c) for k in parts["detail"]]
                    tot = page.cell(*entry[parts["total"][0]], c)
                    expr = total(det) - tot
                    if expr.known:
                        if _close(expr.const, 0.0):
                            passed += 1
                        else:
                            failed += 1
                        continue
                    shown = sum(d.const for d in det if d.known)
                    if tot.known and shown > tot.const + 1e-6:
                        failed += 1
                        continue
                    built.append((other, parts, det, expr))
                name = f"{cube[0].name} ({'+'.join(t.name.split('__')[1] for t in cube)})" if len(cube) > 1 \
                    else cube[0].name
                if failed:
                    if built:
                        att.notes.append(f"margins: {name}, {c} along {g}: {failed} line(s) do not add up; "
                                         "not used")
                    continue
                for other, parts, det, expr in built:
                    att.add(expr, 0.0, 0.0, family="margins", verified=passed > 0)
                    hidden = [d for d in det if not d.known]
                    if len(hidden) >= 2:
                        t0, _ = entry[parts["detail"][0]]
                        keys = dict(zip([h for h in groups if h != g], other))
                        keys[g] = "withheld rows"
                        att.target(total(hidden), page, t0, keys, c, "line sum")


# --------------------------------------------------------------------------------------
# 3. same count
# --------------------------------------------------------------------------------------
def _normal_keys(t: Table) -> dict[tuple, int]:
    out: dict[tuple, int] = {}
    dup = set()
    for i, values in enumerate(t.key_tuples()):
        key = tuple(sorted((g, str(v)) for g, v in zip(t.groups, values) if not is_total_label(v)))
        if key in out:
            dup.add(key)
        out[key] = i
    for key in dup:
        del out[key]
    return out


def same_count(att: Attack, page: Page) -> None:
    """One count published in several places must be the same number (verified on published pairs)."""
    keyed = [(t, _normal_keys(t)) for t in page.tables]
    for a in range(len(keyed)):
        ta, ka = keyed[a]
        for b in range(a + 1, len(keyed)):
            tb, kb = keyed[b]
            common = ka.keys() & kb.keys()
            if not common:
                continue
            for c in set(ta.counts()) & set(tb.counts()):
                pairs = [(page.cell(ta, ka[k], c), page.cell(tb, kb[k], c)) for k in common]
                shown = [(x, y) for x, y in pairs if x.known and y.known]
                if not shown or any(not _close(x.const, y.const) for x, y in shown):
                    continue
                for x, y in pairs:
                    if not (x.known and y.known):
                        att.add(x - y, 0.0, 0.0, family="same count")
    # repeated along a grouping column inside one table
    for t in page.tables:
        for g in t.groups:
            if any(is_total_label(v) for v in t.frame[g]):
                continue  # details of a total are parts, not repeats
            lines = _lines(t, g)
            if all(len(r) < 2 for r in lines.values()):
                continue
            for c in t.counts():
                evidence, broken, todo = 0, False, []
                for rows in lines.values():
                    cells = [page.cell(t, i, c) for i in rows]
                    known = [x.const for x in cells if x.known]
                    if any(not _close(k, known[0]) for k in known):
                        broken = True
                        break
                    evidence += max(0, len(known) - 1)
                    if len(known) < len(cells):
                        todo.append(cells)
                if broken or evidence < 2 or not todo:
                    continue
                for cells in todo:
                    ref = next((x for x in cells if x.known), cells[0])
                    for x in cells:
                        if x is not ref and not x.known:
                            att.add(x - ref, 0.0, 0.0, family="same count")


# --------------------------------------------------------------------------------------
# 4. reason codes
# --------------------------------------------------------------------------------------
def reason_codes(att: Attack, page: Page) -> None:
    """Constraints from the published reason code of each withheld row (see :mod:`.codes`)."""
    th, m, model = att.th, att.m, att.model
    fam = "reason codes"
    for t in page.tables:
        kind = table_kind(t.numbers)
        design = "se" in t.numbers
        for i in np.flatnonzero(t.withheld):
            codes = parse_codes(t.reasons[i])
            if not codes:
                continue
            v = {c: page.cell(t, i, c) for c in t.counts()}
            for s in ("", "_ref"):
                if "numerator" + s in v and "denominator" + s in v:
                    v["complement" + s] = v["denominator" + s] - v["numerator" + s]
            disclosure = [v[c] for c in ("count", "numerator", "complement", "count_ref", "numerator_ref",
                                         "complement_ref") if c in v]
            if kind == "summary":
                disclosure += [v[c] for c in ("n_at_risk", "events") if c in v]
            label = f"{page.tag}:{t.name}:{i}"
            att.used[fam] += 1
            if kind == "ratio":
                events = [v[c] for c in ("count", "count_ref", "numerator", "complement", "numerator_ref",
                                         "complement_ref") if c in v]
            else:
                events = [v["count"]] if "count" in v else []
            dens = [v[c] for c in ("denominator", "denominator_ref") if c in v]
            units = v.get("denominator", v.get("count"))
            n_min = math.ceil(th.min_n_eff)
            # bounds first (they make some either–or rows below unnecessary)
            bounds: list[tuple] = []
            either: list[tuple] = []
            if "D2" in codes:
                if kind in ("count", "ratio"):
                    bounds += [(e, th.min_events, math.inf) for e in events]
                if kind in ("proportion", "ratio"):
                    bounds += [(d, n_min, math.inf) for d in dens]
                if kind == "summary" and units is not None:
                    bounds.append((units, th.min_units, math.inf))
            if "C1" in codes and events:
                either.append(([(e, 0, th.min_events - 1) for e in events], ":C1"))
            if "C2" in codes:
                bounds += [(e, th.min_events, math.inf) for e in events]
            if "P1" in codes:
                if kind == "ratio" and dens:
                    either.append(([(d, 0, n_min - 1) for d in dens], ":P1"))
                elif kind == "proportion" and not design and "denominator" in v:
                    bounds.append((v["denominator"], 0, n_min - 1))
            if kind == "ratio":
                if "C1" in codes and "P1" not in codes:
                    bounds += [(d, n_min, math.inf) for d in dens]
                if "P1" in codes and "C1" not in codes:
                    bounds += [(e, th.min_events, math.inf) for e in events]
            for code in ("P2", "P3"):
                if code in codes and kind == "proportion" and "denominator" in v:
                    bounds.append((v["denominator"], n_min, math.inf))
                    box = None if design else proportion_box(code, th)
                    if box is not None:
                        x0, x1, n0, n1, c0, c1 = box
                        bounds += [(v["numerator"], x0, x1), (v["denominator"], n0, n1), (v["complement"], c0, c1)]
            if "S1" in codes and units is not None:
                bounds.append((units, 0, math.ceil(th.min_units) - 1))
            bounds += [opts[0] for opts, _ in either if len(opts) == 1]
            either = [(opts, tag) for opts, tag in either if len(opts) > 1]
            for e, lo, hi in bounds:
                model.add(e, lo, hi, family=fam)
            if "D1" in codes:
                model.either_in([(d, 1, m - 1) for d in disclosure], family=fam, label=label + ":D1")
            else:
                for k, d in enumerate(disclosure):
                    model.zero_or_at_least(d, m, family=fam, label=f"{label}:notD1[{k}]")
            for options, tag in either:
                model.either_in(options, family=fam, label=label + tag)


# --------------------------------------------------------------------------------------
# 5. shares
# --------------------------------------------------------------------------------------
def shares(att: Attack, page: Page) -> None:
    """Numerator = estimate × denominator; breakdowns that add up to their denominator; complements."""
    for t in page.tables:
        if not {"numerator", "denominator"} <= set(t.numbers):
            continue
        kind = table_kind(t.numbers)
        # (a) estimate × denominator, when the estimate is a share of this row (checked on published rows)
        if "estimate" in t.numbers and kind == "proportion" and "se" not in t.numbers:
            f = t.frame
            full = f["numerator"].notna() & f["denominator"].notna() & f["estimate"].notna() & (f["denominator"] > 0)
            ok = full.any() and np.allclose(f.loc[full, "estimate"], f.loc[full, "numerator"] / f.loc[full, "denominator"],
                                            rtol=1e-9, atol=1e-12)
            if ok:
                for i in np.flatnonzero(f["estimate"].notna().to_numpy()):
                    x, n = page.cell(t, i, "numerator"), page.cell(t, i, "denominator")
                    if x.known and n.known:
                        continue
                    p = float(f.at[i, "estimate"])
                    h = max(_half_unit(t.text["estimate"][i]), 4e-16 * abs(p))
                    att.add(x - n * (p - h), 0.0, math.inf, family="shares")
                    att.add(x - n * (p + h), -math.inf, 0.0, family="shares")
        # (b) a breakdown whose numerators add up to the common denominator of its line
        if kind == "proportion":
            for g in t.groups:
                lines = _lines(t, g)
                if all(len(r) < 2 for r in lines.values()):
                    continue
                passed, failed, todo = 0, 0, []
                for rows in lines.values():
                    if len(rows) < 2:
                        continue
                    dens = [page.cell(t, i, "denominator") for i in rows]
                    known = [d.const for d in dens if d.known]
                    if not known or any(not _close(k, known[0]) for k in known):
                        failed += bool(known) and len(set(known)) > 1
                        continue
                    nums = [page.cell(t, i, "numerator") for i in rows]
                    expr = total(nums) - known[0]
                    if expr.known and len(known) == len(rows):
                        passed += _close(expr.const, 0)
                        failed += not _close(expr.const, 0)
                    else:
                        todo.append((rows, dens, nums, known[0]))
                if failed or not passed:
                    continue
                for rows, dens, nums, d in todo:
                    att.add(total(nums), d, d, family="shares")
                    for x in dens:
                        if not x.known:
                            att.add(x, d, d, family="shares")
                    hidden = [x for x in nums if not x.known]
                    if len(hidden) >= 2:
                        keys = {h: t.frame.at[rows[0], h] for h in t.groups if h != g}
                        keys[g] = "withheld rows"
                        att.target(total(hidden), page, t, keys, "numerator", "line sum")
        # (c) the complement of a withheld share is a count of persons too
        for i in np.flatnonzero(t.withheld):
            x, n = page.cell(t, i, "numerator"), page.cell(t, i, "denominator")
            if not (x.known and n.known):
                att.target(n - x, page, t, t.keys(i), "denominator − numerator", "complement")


# --------------------------------------------------------------------------------------
# 6. rates
# --------------------------------------------------------------------------------------
def rates(att: Attack, page: Page) -> None:
    """Count = rate × exposure / scale, and count + reference count constant across rows."""
    for t in page.tables:
        f = t.frame
        if {"count", "exposure", "estimate"} <= set(t.numbers) and table_kind(t.numbers) == "count":
            full = f["count"].gt(0) & f["exposure"].gt(0) & f["estimate"].notna()
            if full.any():
                scale = (f.loc[full, "estimate"] * f.loc[full, "exposure"] / f.loc[full, "count"]).to_numpy()
                s = float(np.median(scale))
                if s > 0 and np.allclose(scale, s, rtol=1e-9) and _close(10 ** round(math.log10(s)), s):
                    s = 10.0 ** round(math.log10(s))
                    for i in np.flatnonzero(f["estimate"].notna().to_numpy()):
                        x, e = page.cell(t, i, "count"), page.cell(t, i, "exposure")
                        if x.known and e.known:
                            continue
                        r = float(f.at[i, "estimate"])
                        h = max(_half_unit(t.text["estimate"][i]), 4e-16 * abs(r))
                        att.add(x * s - e * (r - h), 0.0, math.inf, family="rates")
                        att.add(x * s - e * (r + h), -math.inf, 0.0, family="rates")
        for c in ("count", "exposure", "numerator", "denominator"):
            if c not in t.numbers or c + "_ref" not in t.numbers:
                continue
            both = f[c].notna() & f[c + "_ref"].notna()
            sums = (f.loc[both, c] + f.loc[both, c + "_ref"]).to_numpy()
            if len(sums) < 2 or not np.allclose(sums, sums[0], rtol=0, atol=1e-6):
                continue
            for i in np.flatnonzero(~both.to_numpy()):
                att.add(page.cell(t, i, c) + page.cell(t, i, c + "_ref"), sums[0], sums[0], family="rates")


# --------------------------------------------------------------------------------------
# 7. curves
# --------------------------------------------------------------------------------------
def _time_column(t: Table) -> str | None:
    for g in reversed(t.groups):
        try:
            vals = t.frame[g].astype(float)
        except ValueError:
            continue
        if vals.notna().all():
            return g
    return None


def curves(att: Attack, page: Page) -> None:
    """At-risk, events and censoring of Kaplan–Meier-type curves (OpenSAFELY ``kaplan-meier-function``)."""
    for t in page.tables:
        if "n_at_risk" not in t.numbers or "numerator" not in t.numbers:
            continue
        g = _time_column(t)
        if g is None:
            continue
        has_events = "events" in t.numbers
        lines = _lines(t, g)
        built, negative = [], 0
        for other, rows in lines.items():
            rows = sorted(rows, key=lambda i: float(t.frame.at[i, g]))
            prev_ar = page.cell(t, rows[0], "denominator") if "denominator" in t.numbers else None
            prev_num = Lin.of(0.0)
            prev_time = "0"
            for i in rows:
                ar, num = page.cell(t, i, "n_at_risk"), page.cell(t, i, "numerator")
                ev = page.cell(t, i, "events") if has_events else num - prev_num
                if has_events:
                    built.append((num - prev_num - ev, None, None, None))
                if prev_ar is not None:
                    cens = prev_ar - ar - ev
                    if cens.known and cens.const < -1e-6:
                        negative += 1
                    keys = dict(zip([h for h in t.groups if h != g], other))
                    keys[g] = f"{prev_time}–{t.frame.at[i, g]}"
                    built.append((None, cens, keys, i))
                prev_ar, prev_num, prev_time = ar, num, t.frame.at[i, g]
        if negative:
            att.notes.append(f"curves: {t.name}: at-risk numbers do not fall by the events in {negative} step(s); "
                             "censoring not derived")
        for step, cens, keys, i in built:
            if step is not None:
                if step.known and not _close(step.const, 0):
                    continue
                att.add(step, 0.0, 0.0, family="curves")
            elif not negative:
                att.add(cens, 0.0, math.inf, family="curves")
                att.target(cens, page, t, keys, "censored", "censored")


# --------------------------------------------------------------------------------------
# 8. cumulative shares
# --------------------------------------------------------------------------------------
def cumulative_shares(att: Attack, page: Page) -> None:
    """A person share printed as a grouping value pins the numerator; steps between points are persons."""
    for t in page.tables:
        if not {"numerator", "denominator"} <= set(t.numbers):
            continue
        f = t.frame
        for g in t.groups:
            try:
                share = f[g].astype(float).to_numpy()
            except ValueError:
                continue
            h = 0.5 * 10.0 ** (-t.decimals.get(g, 0))
            full = (f["numerator"].notna() & f["denominator"].notna() & f["denominator"].gt(0)).to_numpy()
            if full.sum() < 2:
                continue
            pct = 100 * f["numerator"].to_numpy(float)[full] / f["denominator"].to_numpy(float)[full]
            if not np.all(np.abs(pct - share[full]) <= h + 1e-9):
                continue
            for i in range(len(f)):
                x, n = page.cell(t, i, "numerator"), page.cell(t, i, "denominator")
                if x.known and n.known:
                    continue
                att.add(x * 100 - n * (share[i] - h), 0.0, math.inf, family="cumulative shares")
                att.add(x * 100 - n * (share[i] + h), -math.inf, 0.0, family="cumulative shares")
            for other, rows in _lines(t, g).items():
                rows = sorted(rows, key=lambda i: share[i])
                prev = None
                for i in rows:
                    x = page.cell(t, i, "numerator")
                    if prev is not None:
                        step = x - page.cell(t, prev, "numerator")
                        att.add(step, 0.0, math.inf, family="cumulative shares")
                        keys = dict(zip([h2 for h2 in t.groups if h2 != g], other))
                        keys[g] = f"{f.at[prev, g]}–{f.at[i, g]}"
                        att.target(step, page, t, keys, "persons in step", "step")
                    prev = i
                if prev is not None:
                    rest = page.cell(t, prev, "denominator") - page.cell(t, prev, "numerator")
                    keys = dict(zip([h2 for h2 in t.groups if h2 != g], other))
                    keys[g] = f"above {f.at[prev, g]}"
                    att.target(rest, page, t, keys, "persons in step", "step")


# --------------------------------------------------------------------------------------
# 9. previous year
# --------------------------------------------------------------------------------------
_YEAR_NAMES = ("year", "wave", "cohort", "år", "aar")


def _year_column(t: Table) -> str | None:
    """A grouping column naming calendar years (by name, or values all four-digit years)."""
    for g in t.groups:
        values = t.frame[g].astype(str)
        if g.lower() in _YEAR_NAMES or values.str.fullmatch(r"(19|20)\d\d").all():
            return g
    return None


def _cumulative(t: Table, c: str, g: str) -> bool:
    """Whether published ``c`` never falls along the time column ``g`` in any line (a cumulative count)."""
    for rows in _lines(t, g).values():
        rows = sorted(rows, key=lambda i: float(t.frame.at[i, g]))
        v = t.frame[c].to_numpy(float)[rows]
        v = v[~np.isnan(v)]
        if np.any(np.diff(v) < -1e-9):
            return False
    return True


def previous_year(att: Attack, cur: Page, prev: Page) -> None:
    """The same cell in last year's briefing (Hundepool et al. 2012, §5.2, differencing).

    Per table and count column, on the cells published in both briefings (same file,
    same grouping values):

    * all equal (at least two): the table is not revised, so a cell withheld in one
      briefing equals the other briefing's cell;
    * otherwise, when the cells refer to fixed periods (a year column) or to points of a
      curve (a time column), and every change has one sign (at least five), the two
      populations are nested (late registrations, a cohort grown by a year): each change
      is a count of persons, and for a cumulative count along the time column so is the
      change of every increment between two points published in both briefings (the
      persons of the new cohort re-registered between them).
    """
    prev_tables = {t.name: t for t in prev.tables}
    for t in cur.tables:
        p = prev_tables.get(t.name)
        if p is None or p.groups != t.groups:
            continue
        kp = {k: i for i, k in enumerate(p.key_tuples())}
        pairs = [(i, kp[k]) for i, k in enumerate(t.key_tuples()) if k in kp]
        if not pairs:
            continue
        time_col = _time_column(t) if "n_at_risk" in t.numbers else None  # a curve
        periodic = _year_column(t) is not None or time_col is not None
        for c in sorted(set(t.counts()) & set(p.counts())):
            cells = [(cur.cell(t, i, c), prev.cell(p, j, c), i) for i, j in pairs]
            shown = [(x.const - y.const) for x, y, _ in cells if x.known and y.known]
            if not shown:
                continue
            if all(_close(d, 0) for d in shown):
                if len(shown) >= 2:
                    for x, y, _ in cells:
                        if not (x.known and y.known):
                            att.add(x - y, 0.0, 0.0, family="previous year")
                continue
            up, down = all(d >= -1e-9 for d in shown), all(d <= 1e-9 for d in shown)
            if len(shown) < 5 or not (up or down) or c == "exposure" or not periodic:
                continue
            diffs = {}
            for x, y, i in cells:
                diff = x - y if up else y - x
                diffs[i] = diff
                if not (x.known and y.known):
                    att.add(diff, 0.0, math.inf, family="previous year")
                att.target(diff, cur, t, t.keys(i), f"{c}, change from the previous briefing", "difference")
            if time_col is None or not (_cumulative(t, c, time_col) and _cumulative(p, c, time_col)):
                continue
            j = t.groups.index(time_col)
            for other, rows in _lines(t, time_col).items():
                rows = sorted((i for i in rows if i in diffs), key=lambda i: float(t.frame.at[i, time_col]))
                steps = [(a, b, diffs[b] - diffs[a]) for a, b in itertools.pairwise(rows)]
                if any(d.known and d.const < -1e-9 for _, _, d in steps):
                    continue  # the changes are not nested along the curve
                for a, b, d in steps:
                    if not d.known:
                        att.add(d, 0.0, math.inf, family="previous year")
                    keys = dict(zip([h for h in t.groups if h != time_col], other))
                    keys[time_col] = f"{t.key_tuples()[a][j]}–{t.key_tuples()[b][j]}"
                    att.target(d, cur, t, keys, f"{c} between the points, change from the previous briefing",
                               "difference")


FAMILIES = (counts, margins, same_count, reason_codes, shares, rates, curves, cumulative_shares)
