"""The attacker's integer programme and its feasibility intervals.

Unknowns are the withheld counts (non-negative integers) and a few helper variables
(binaries for "either–or" reason codes). Published numbers are constants. Every relation
is a linear row ``lo ≤ Σ aᵢ·xᵢ + c ≤ hi``. For a target expression ``t`` (a withheld cell,
the sum of the withheld cells of a line, a count derived from published numbers) the
feasibility interval ``[min t, max t]`` is the attacker's knowledge (Hundepool et al.,
*Statistical Disclosure Control*, Wiley 2012, §4.2; τ-ARGUS 4.1 manual §2.15;
Fischetti & Salazar-González, *JASA* 95 (2000) 916).

Each bound is first solved as the LP relaxation (``scipy.optimize.linprog``, HiGHS); when
the optimal vertex is integral in every integer variable the LP bound is the integer
bound, otherwise the bound is solved again with integrality (``scipy.optimize.milp``,
HiGHS branch and bound). Integer bounds are rounded inward (⌈lo⌉, ⌊hi⌋). Equalities
between two unknowns are merged before solving (union–find), and every connected group
of unknowns is solved on its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse.csgraph import connected_components

__all__ = ["Lin", "Model", "Solution"]

_TOL = 1e-6


@dataclass(frozen=True)
class Lin:
    """A linear expression ``Σ coef·x_var + const`` (immutable; ``+``, ``-``, ``*`` by numbers)."""

    coefs: tuple[tuple[int, float], ...] = ()
    const: float = 0.0

    @staticmethod
    def of(value: float | None = None, var: int | None = None) -> Lin:
        return Lin(((var, 1.0),), 0.0) if var is not None else Lin((), float(value))

    @property
    def known(self) -> bool:
        return not self.coefs

    def _d(self) -> dict[int, float]:
        return dict(self.coefs)

    def __add__(self, other) -> Lin:
        if not isinstance(other, Lin):
            return Lin(self.coefs, self.const + float(other))
        d = self._d()
        for v, c in other.coefs:
            d[v] = d.get(v, 0.0) + c
        return Lin(tuple((v, c) for v, c in sorted(d.items()) if c != 0), self.const + other.const)

    __radd__ = __add__

    def __neg__(self) -> Lin:
        return Lin(tuple((v, -c) for v, c in self.coefs), -self.const)

    def __sub__(self, other) -> Lin:
        return self + (-other if isinstance(other, Lin) else -float(other))

    def __rsub__(self, other) -> Lin:
        return (-self) + other

    def __mul__(self, k: float) -> Lin:
        k = float(k)
        return Lin(tuple((v, c * k) for v, c in self.coefs if c * k != 0), self.const * k)

    __rmul__ = __mul__


def total(terms) -> Lin:
    out = Lin()
    for t in terms:
        out = out + t
    return out


@dataclass
class Row:
    expr: Lin
    lo: float
    hi: float
    family: str
    verified: bool = True


@dataclass
class Solution:
    """Interval of one target: ``lo``/``hi`` (±inf when unbounded).

    ``status``: "ok" (exact); "inner" (the feasible interval contains ``[lo, hi]``) or
    "outer" (it lies inside ``[lo, hi]``), see ``screens`` in :meth:`Model.solve`;
    "infeasible"; "limit" (solver time limit: the LP bounds, valid but maybe wider).
    """

    lo: float
    hi: float
    status: str = "ok"
    milp_used: bool = False


@dataclass
class Model:
    """Unknowns with bounds, linear rows, and equalities merged by union–find."""

    cap: float = 1e7
    lb: list[float] = field(default_factory=list)
    ub: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    parent: list[int] = field(default_factory=list)
    binaries: set[int] = field(default_factory=set)
    contradictions: list[str] = field(default_factory=list)

    # -- unknowns -------------------------------------------------------------------------
    def var(self, label: str, lb: float = 0.0, ub: float = math.inf, integer: bool = True) -> int:
        self.lb.append(float(lb))
        self.ub.append(float(ub))
        self.integer.append(bool(integer))
        self.labels.append(label)
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def upper(self, e: Lin, *, cap: bool = True) -> float:
        """An upper bound of ``e`` from the unknowns' bounds (``cap``, or ``inf``, when unbounded)."""
        u = e.const
        for v, c in e.coefs:
            r = self.find(v)
            u += c * (self.ub[r] if c > 0 else self.lb[r])
        return u if math.isfinite(u) or not cap else self.cap

    def lower(self, e: Lin) -> float:
        """A lower bound of ``e`` from the unknowns' bounds."""
        return -self.upper(-e, cap=False)

    def binary(self, label: str) -> Lin:
        v = self.var(label, 0, 1, True)
        self.binaries.add(v)
        return Lin.of(var=v)

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def _union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        self.parent[rb] = ra
        self.lb[ra] = max(self.lb[ra], self.lb[rb])
        self.ub[ra] = min(self.ub[ra], self.ub[rb])
        self.integer[ra] = self.integer[ra] or self.integer[rb]

    # -- relations ------------------------------------------------------------------------
    def add(self, expr: Lin, lo: float = -math.inf, hi: float = math.inf, *, family: str,
            verified: bool = True) -> bool:
        """Add ``lo ≤ expr ≤ hi``; returns ``False`` (and records it) when published numbers alone break it."""
        if expr.known:
            ok = lo - _TOL * max(1, abs(lo)) <= expr.const <= hi + _TOL * max(1, abs(hi))
            if not ok:
                self.contradictions.append(f"{family}: {expr.const:g} not in [{lo:g}, {hi:g}]")
            return ok
        if len(expr.coefs) == 1 and expr.coefs[0][1] != 0 and verified:
            (v, c), = expr.coefs       # a bound on one unknown
            a, b = (lo - expr.const) / c, (hi - expr.const) / c
            a, b = (a, b) if c > 0 else (b, a)
            r = self.find(v)
            if self.integer[r]:
                a = math.ceil(a - 1e-9) if math.isfinite(a) else a
                b = math.floor(b + 1e-9) if math.isfinite(b) else b
            self.lb[r] = max(self.lb[r], a)
            self.ub[r] = min(self.ub[r], b)
            self.rows.append(Row(expr, lo, hi, family, verified))
            return True
        if (verified and len(expr.coefs) == 2 and lo == hi == -expr.const
                and sorted(c for _, c in expr.coefs) == [-1.0, 1.0]):
            self._union(expr.coefs[0][0], expr.coefs[1][0])
            self.rows.append(Row(expr, lo, hi, family, verified))
            return True
        self.rows.append(Row(expr, lo, hi, family, verified))
        return True

    def equal(self, a: Lin, b: Lin, *, family: str, verified: bool = True) -> bool:
        return self.add(a - b, 0.0, 0.0, family=family, verified=verified)

    def either_in(self, options: list[tuple[Lin, float, float]], *, family: str, label: str) -> None:
        """At least one ``lo ≤ expr ≤ hi`` of ``options`` holds (one binary per option, big-M ``cap``)."""
        def possible(e: Lin, lo: float, hi: float) -> bool:
            if len(e.coefs) == 1 and e.coefs[0][1] == 1.0:
                r = self.find(e.coefs[0][0])
                return self.lb[r] + e.const <= hi and self.ub[r] + e.const >= lo
            return True

        options = [(e, lo, hi) for e, lo, hi in options if e.known or possible(e, lo, hi)]
        if any(e.known and lo <= e.const <= hi for e, lo, hi in options):
            return
        live = [(e, lo, hi) for e, lo, hi in options if not e.known]
        if not live:
            self.contradictions.append(f"{family}: {label}: none of the options holds for the published numbers")
            return
        if len(live) == 1:
            e, lo, hi = live[0]
            self.add(e, lo, hi, family=family)
            return
        zs = []
        for k, (e, lo, hi) in enumerate(live):
            z = self.binary(f"{label}[{k}]")
            zs.append(z)
            if lo > -math.inf:           # e ≥ lo·z  (e ≥ 0 always, lo ≥ 0)
                self.add(e - z * lo, 0.0, math.inf, family=family)
            if hi < math.inf:            # e ≤ hi + M·(1 − z), M = (upper bound of e) − hi
                big = max(self.upper(e) - hi, 0.0)
                self.add(e + z * big, -math.inf, hi + big, family=family)
        self.add(total(zs), 1.0, math.inf, family=family)

    def zero_or_at_least(self, expr: Lin, m: float, *, family: str, label: str) -> None:
        """``expr = 0`` or ``expr ≥ m`` (a count that is not in ``1..m−1``)."""
        if m <= 1:
            return
        if expr.known:
            if 0 < expr.const < m:
                self.contradictions.append(f"{family}: {label}: {expr.const:g} is in 1..{m - 1:g}")
            return
        if len(expr.coefs) == 1 and expr.coefs[0][1] == 1.0 and expr.const == 0:
            r = self.find(expr.coefs[0][0])
            if self.lb[r] >= m or self.ub[r] <= 0:
                return  # already 0 or at least m
        big = self.upper(expr)
        if big < m:
            self.add(expr, 0.0, 0.0, family=family)  # cannot reach m: it is 0
            return
        b = self.binary(label)
        self.add(expr - b * m, 0.0, math.inf, family=family)     # expr ≥ m·b
        self.add(expr - b * big, -math.inf, 0.0, family=family)  # expr ≤ M·b, M its upper bound

    # -- solving --------------------------------------------------------------------------
    def _canonical(self, expr: Lin) -> Lin:
        d: dict[int, float] = {}
        const = expr.const
        for v, c in expr.coefs:
            r = self.find(v)
            d[r] = d.get(r, 0.0) + c
        return Lin(tuple((v, c) for v, c in sorted(d.items()) if abs(c) > 1e-12), const)

    def _groups(self, use_unverified: bool):
        """Rows in canonical form and the connected group of every root unknown."""
        rows = [(self._canonical(r.expr), r.lo, r.hi) for r in self.rows if use_unverified or r.verified]
        rows = [(e, lo, hi) for e, lo, hi in rows if e.coefs]
        roots = sorted({self.find(i) for i in range(len(self.parent))})
        pos = {r: k for k, r in enumerate(roots)}
        ri, ci = [], []
        for k, (e, _, _) in enumerate(rows):
            for v, _ in e.coefs:
                ri.append(k)
                ci.append(pos[v])
        n = len(roots)
        inc = sparse.csr_matrix((np.ones(len(ri)), (ri, ci)), shape=(len(rows), n))
        adj = (inc.T @ inc) if len(rows) else sparse.csr_matrix((n, n))
        _, comp = connected_components(adj, directed=False)
        return rows, roots, pos, comp

    def groups_of(self, variables, *, use_unverified: bool = True) -> set[int]:
        """The connected groups (numbered as :meth:`solve` numbers them) holding ``variables``."""
        _, _, pos, comp = self._groups(use_unverified)
        return {int(comp[pos[self.find(v)]]) for v in variables}

    def solve(self, targets: list[Lin], *, time_limit: float = 20.0, use_unverified: bool = True,
              skip=None, screens=None) -> list[Solution]:
        """Feasibility interval of every target (see the module docstring).

        ``skip(groups)`` may return true for a target whose connected groups of unknowns
        need not be solved (its solution is then ``None``). ``screens[k]``, when given, is a
        function ``(a, b, side)`` that is true when ``[a, b]`` already settles target ``k``:

        * ``side="inner"``: ``[a, b]`` lies inside the feasible interval — the target's
          values at the integer solutions met while solving earlier targets of its group
          (and a few found with random objectives); its solution gets status "inner";
        * ``side="outer"``: the feasible interval lies inside ``[a, b]`` — the bounds of
          its unknowns after the one-unknown rows; status "outer".

        Either way the target's own two solves are skipped.
        """
        canon = [self._canonical(t) for t in targets]
        rows, roots, pos, comp = self._groups(use_unverified)
        by_comp: dict[int, list[int]] = {}
        out: list[Solution | None] = [None] * len(targets)
        for k, t in enumerate(canon):
            if not t.coefs:
                out[k] = Solution(t.const, t.const)
                continue
            groups = {int(comp[pos[v]]) for v, _ in t.coefs}
            if skip is not None and skip(groups):
                continue
            if len(groups) > 1:  # a sum over independent groups: solve its parts
                parts = [Lin(tuple((v, a) for v, a in t.coefs if int(comp[pos[v]]) == g), 0.0) for g in groups]
                sols = self.solve(parts, time_limit=time_limit, use_unverified=use_unverified)
                out[k] = Solution(sum(s.lo for s in sols) + t.const, sum(s.hi for s in sols) + t.const,
                                  next((s.status for s in sols if s.status != "ok"), "ok"),
                                  any(s.milp_used for s in sols))
                continue
            by_comp.setdefault(groups.pop(), []).append(k)
        rows_of: dict[int, list[int]] = {}
        for k, (e, _, _) in enumerate(rows):
            rows_of.setdefault(int(comp[pos[e.coefs[0][0]]]), []).append(k)
        cache: dict[Lin, Solution] = {}
        for c, tks in by_comp.items():
            members = [roots[j] for j in np.flatnonzero(comp == c)]
            sub = _Sub(self, members, [rows[k] for k in rows_of.get(c, [])], time_limit)
            if screens is not None and len(tks) > 4:
                sub.seed(8)
            for k in tks:
                t = canon[k]
                key = Lin(t.coefs, 0.0)
                s = cache.get(key)
                if s is not None and s.status in ("inner", "outer") and not screens[k](
                        s.lo + t.const, s.hi + t.const, s.status):
                    s = None
                if s is None and screens is not None:
                    lo, hi = self.lower(key), self.upper(key, cap=False)
                    if screens[k](lo + t.const, hi + t.const, "outer"):
                        s = Solution(lo, hi, "outer")
                    else:
                        span = sub.span(key)
                        if span is not None and screens[k](span[0] + t.const, span[1] + t.const, "inner"):
                            s = Solution(span[0], span[1], "inner")
                if s is None:
                    s = sub.interval(key)
                cache[key] = s
                out[k] = Solution(s.lo + t.const, s.hi + t.const, s.status, s.milp_used)
        return out  # type: ignore[return-value]


class _Sub:
    """One connected group of unknowns and its rows, ready for HiGHS."""

    def __init__(self, model: Model, members: list[int], rows: list[tuple[Lin, float, float]], time_limit: float):
        self.index = {v: j for j, v in enumerate(members)}
        n = len(members)
        self.lb = np.array([model.lb[v] for v in members])
        self.ub = np.array([model.ub[v] for v in members])
        self.integer = np.array([model.integer[v] for v in members], dtype=int)
        # the LP relaxation of either–or rows (big-M binaries) is rarely tight: go to the MILP at once
        self.disjunctive = any(v in model.binaries for v in members)
        self.time_limit = time_limit
        r, c, d, lo, hi = [], [], [], [], []
        for k, (e, l, h) in enumerate(rows):
            for v, a in e.coefs:
                r.append(k)
                c.append(self.index[v])
                d.append(a)
            lo.append(l - e.const)
            hi.append(h - e.const)
        self.a = sparse.csr_matrix((d, (r, c)), shape=(len(rows), n))
        self.lo, self.hi = np.array(lo, float), np.array(hi, float)
        eq = np.isclose(self.lo, self.hi)
        up = ~eq & np.isfinite(self.hi)
        dn = ~eq & np.isfinite(self.lo)
        self.a_eq, self.b_eq = (self.a[eq], self.lo[eq]) if eq.any() else (None, None)
        a_ub = sparse.vstack([self.a[up], -self.a[dn]]) if (up.any() or dn.any()) else None
        self.a_ub = a_ub
        self.b_ub = np.concatenate([self.hi[up], -self.lo[dn]]) if a_ub is not None else None
        self.bounds = list(zip(self.lb, [None if not np.isfinite(u) else u for u in self.ub]))
        self.feasible = None
        self.points = np.zeros((0, n))   # integer solutions met so far (for the screen)

    def _keep(self, x) -> None:
        if x is None or len(self.points) >= 256:
            return
        ints = self.integer.astype(bool)
        if np.all(np.abs(x[ints] - np.round(x[ints])) < 1e-7):
            self.points = np.vstack([self.points, np.where(ints, np.round(x), x)])

    def seed(self, k: int) -> None:
        """Integer solutions from ``k`` random objectives (spread for the screen)."""
        rng = np.random.default_rng(len(self.lb))
        for _ in range(k):
            self._bound(rng.standard_normal(len(self.lb)), 1.0)

    def span(self, t: Lin) -> tuple[float, float] | None:
        """Smallest and largest value of ``t`` over the integer solutions met so far."""
        if not len(self.points):
            return None
        cols = [self.index[v] for v, _ in t.coefs]
        vals = self.points[:, cols] @ np.array([a for _, a in t.coefs])
        return float(vals.min()), float(vals.max())

    def _check(self) -> bool:
        if self.feasible is None:
            res = self._milp(np.zeros(len(self.lb)))
            self.feasible = res.status != 2
        return self.feasible

    def _milp(self, c: np.ndarray):
        cons = [LinearConstraint(self.a, self.lo, self.hi)] if self.a.shape[0] else []
        return milp(c, constraints=cons, integrality=self.integer, bounds=Bounds(self.lb, self.ub),
                    options={"time_limit": self.time_limit, "disp": False})

    def _bound(self, c: np.ndarray, sense: float) -> tuple[float, str, bool]:
        """Minimum of ``sense·c·x`` → returned as the bound of ``c·x`` (``sense`` = 1 min, −1 max)."""
        if self.disjunctive:
            mres = self._milp(sense * c)
            self._keep(mres.x)
            if mres.status == 0:
                return sense * mres.fun, "ok", True
            if mres.status == 3:
                return -sense * math.inf, "ok", True
            if mres.status == 2:
                return math.nan, "infeasible", True
            return math.nan, "limit", True
        res = linprog(sense * c, A_ub=self.a_ub, b_ub=self.b_ub, A_eq=self.a_eq, b_eq=self.b_eq,
                      bounds=self.bounds, method="highs")
        if res.status == 3:
            return -sense * math.inf, "ok", False
        if res.status == 2:
            return math.nan, "infeasible", False
        if res.status != 0:
            return math.nan, "limit", False
        x = res.x
        ints = self.integer.astype(bool)
        if not ints.any() or np.all(np.abs(x[ints] - np.round(x[ints])) < 1e-7):
            self._keep(x)
            return sense * res.fun, "ok", False
        mres = self._milp(sense * c)
        self._keep(mres.x)
        if mres.status == 0:
            return sense * mres.fun, "ok", True
        if mres.status == 3:
            return -sense * math.inf, "ok", True
        if mres.status == 2:
            return math.nan, "infeasible", True
        # time limit: the LP bound is still valid (outer)
        return sense * res.fun, "limit", True

    def interval(self, t: Lin) -> Solution:
        if len(t.coefs) == 1 and t.coefs[0][1] == 1.0:
            j = self.index[t.coefs[0][0]]
            if self.lb[j] == self.ub[j] and not self.disjunctive:
                return Solution(float(self.lb[j]), float(self.ub[j]))
        c = np.zeros(len(self.lb))
        for v, a in t.coefs:
            c[self.index[v]] += a
        lo, s1, m1 = self._bound(c, 1.0)
        hi, s2, m2 = self._bound(c, -1.0)
        status = "infeasible" if "infeasible" in (s1, s2) else ("limit" if "limit" in (s1, s2) else "ok")
        if status == "infeasible" or (math.isnan(lo) or math.isnan(hi)):
            return Solution(math.nan, math.nan, "infeasible" if status != "limit" else "limit", m1 or m2)
        integral = all(self.integer[self.index[v]] and float(a).is_integer() for v, a in t.coefs)
        if integral:
            lo = math.ceil(lo - 1e-6) if np.isfinite(lo) else lo
            hi = math.floor(hi + 1e-6) if np.isfinite(hi) else hi
        return Solution(float(lo), float(hi), status, m1 or m2)
