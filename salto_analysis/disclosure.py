"""Disclosure control: may a number be shown at all? (the first small-numbers question)

*Primary suppression* (code ``D1``, :func:`primary`): a count from 1 to
``min_count − 1`` (default 5, so 1–4), and any share or rate whose numerator or
complement (denominator − numerator) is in that range. This is the NCHS "R" rule as
surveytable implements it (CDCgov/surveytable ``R/z_lpe.R``, ``.lpe_n``) with a
configurable threshold (Statistics Norway's example rule is under 3, trusted research
environments use 10).

*Secondary suppression* (code ``D2``, :func:`secondary`), for additive tables (kinds
``proportion``, ``count``, ``rate``), so that no disclosure-suppressed cell can be
worked out from the totals. The table is seen as a cross-classification of its
grouping columns. For each grouping column ``g`` a *line* is a set of rows that agree
on every other grouping column; its sum is assumed to be published (a total row inside
the table — a row whose ``g`` is one of the total labels of the policy or of
``TableMeta.total_labels`` — is part of the line, otherwise the total is assumed known
from elsewhere). Lines with a single row and no total row carry no extra information
and are ignored. Grouping columns listed in ``TableMeta.nonadditive`` (for example a
column of different survey items) split the table into separate sub-tables instead.
The algorithm:

a. *Lines.* The suppressed cells that are linked, through lines, to a ``D1`` cell are
   *sensitive*. While a line holds exactly one suppressed cell and that cell is
   sensitive, the smallest cell of that line that is still shown (by the table's size
   column: ``denominator`` for shares, ``count`` otherwise; positive values before
   zeros, detail cells before total cells) is suppressed too (``D2``).
b. *Exact audit.* Each line is a linear equation in the hidden cells. A hidden cell can
   be worked out exactly if and only if its unit vector lies in the row space of the
   line equations of its connected group of hidden cells. For every sensitive cell that
   can still be worked out, the smallest shown cell on one of its lines is suppressed,
   and step (a) runs again, until none can.
c. *Protection intervals.* Not being solvable exactly is not enough: a reader who knows
   every line sum and that counts are non-negative whole numbers may still narrow a
   hidden count to a few values (Oslo's 3,431 suspects minus the shown districts leave 4
   for two hidden districts: each is 0–4). For every additive count of the table
   (numerator, denominator and their difference for shares; the count for counts and
   rates) and every hidden cell where it is from 1 to ``min_count − 1``, two linear
   programmes give the smallest and largest value the reader can work out; when these
   span fewer than ``Policy.protection`` whole numbers apart (default ``min_count``), or
   when the hidden cells of a line add up to 1 .. ``min_count − 1``, the smallest shown
   cell of a line through it is suppressed too, and (a)–(c) run again. This is the
   protection-interval rule of tau-Argus and sdcTable (Hundepool et al. 2012,
   *Statistical Disclosure Control*, ch. 4; de Wolf 2002), checked here on the true
   values rather than solved as one optimisation.

Cells suppressed only for reliability and not linked to a ``D1`` cell are not
confidential; they may be recoverable from totals and are left as they are.
``ratio``, ``difference`` and ``summary`` tables get primary suppression on all their
underlying counts only: the counts themselves are protected in their own tables.

*Across tables*: when several graded tables of one page show the same persons, the page
links them: :func:`disclosed` gives the rows withheld for disclosure, and
:func:`withhold` withholds further rows as ``D2`` exactly as grading would.

:func:`remove_numbers` is the one place where the numbers of withheld rows are removed.

*Rounding as published* (:func:`rounded`): a share published at full precision is an
exact fraction, and a reader can recover its numerator and denominator from the
decimals (continued fractions), including counts the page does not publish: the
offences of the few most active persons behind a Lorenz point or the Gini coefficient,
or the persons re-registered and censored behind a Kaplan–Meier step. Such tables are
published rounded to :data:`PUBLISHED_DECIMALS` decimals (0.1 percentage point, what
the pages show).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from salto_analysis.estimates import column_values, event_columns, group_columns, meta_of, with_meta
from salto_analysis.policy import DISCLOSURE_CODES, Policy, join_codes, split_codes

__all__ = ["primary", "secondary", "disclosed", "withhold", "remove_numbers", "number_columns", "rounded",
           "PUBLISHED_DECIMALS"]


def _small(values: np.ndarray, min_count: int) -> np.ndarray:
    """Values in 1 .. min_count − 1 (non-integer survey counts: 0 < v < min_count)."""
    with np.errstate(invalid="ignore"):
        return (values > 0) & (values < min_count)


def _disclosure_values(table: pd.DataFrame, kind: str) -> list[np.ndarray]:
    """The counts of persons that primary suppression checks, by kind (see module docstring)."""
    names = meta_of(table).disclosure_columns
    out: list[np.ndarray] = []
    if names is None and kind in ("ratio", "difference") and meta_of(table).event_columns is not None:
        names = event_columns(table)
    if names is not None:
        missing = [c for c in names if c not in table.columns]
        if missing:
            raise ValueError(f"TableMeta.disclosure_columns names column(s) {missing} not in the table")
        return [column_values(table, c) for c in names]
    for suffix in ("", "_ref"):
        num, den = column_values(table, "numerator" + suffix), column_values(table, "denominator" + suffix)
        if num is not None:
            out.append(num)
            if den is not None:
                out.append(den - num)
        cnt = column_values(table, "count" + suffix)
        if cnt is not None:
            out.append(cnt)
    if kind == "summary":
        for c in ("n_at_risk", "events"):
            v = column_values(table, c)
            if v is not None:
                out.append(v)
    return out


def primary(table: pd.DataFrame, policy: Policy) -> np.ndarray:
    """Rows with a count of persons in 1 .. ``min_count − 1`` (code ``D1``), as a boolean array."""
    kind = meta_of(table).kind
    d1 = np.zeros(len(table), bool)
    for v in _disclosure_values(table, kind):
        d1 |= _small(v, policy.min_count)
    return d1


# --------------------------------------------------------------------------------------
# secondary suppression
# --------------------------------------------------------------------------------------
class _Lines:
    """Membership of rows in the lines (margins) of an additive table, as flat arrays."""

    def __init__(self, table: pd.DataFrame, groups: list[str], total_labels: set[str]):
        self.n = len(table)
        rows, lines, total = [], [], []
        nonadd = [g for g in meta_of(table).nonadditive if g in groups]
        additive = [g for g in groups if g not in nonadd]
        codes = {}
        is_total = {}
        for g in groups:
            codes[g] = pd.factorize(table[g].astype("object").where(table[g].notna(), "\x00<NA>"))[0]
            is_total[g] = (table[g].astype("object").isin(total_labels).to_numpy() if g in additive
                           else np.zeros(self.n, bool))
        next_line = 0
        idx = np.arange(self.n)
        for g in additive:
            others = [h for h in groups if h != g]
            if others:
                key = np.zeros(self.n, dtype=np.int64)
                for h in others:
                    key = key * (codes[h].max() + 2) + codes[h] + 1
                line = pd.factorize(key)[0]
            else:
                line = np.zeros(self.n, dtype=np.int64)
            detail = ~is_total[g]
            n_detail = np.bincount(line[detail], minlength=line.max() + 1 if self.n else 0)
            has_total = np.bincount(line[~detail], minlength=len(n_detail)) > 0
            keep_line = (n_detail >= 2) | has_total
            keep = keep_line[line]
            rows.append(idx[keep])
            lines.append(line[keep] + next_line)
            total.append(~detail[keep])
            next_line += len(n_detail)
        self.rows = np.concatenate(rows) if rows else np.zeros(0, np.int64)
        self.lines = np.concatenate(lines) if lines else np.zeros(0, np.int64)
        self.total = np.concatenate(total) if total else np.zeros(0, bool)
        self.n_lines = next_line

    def count(self, mask: np.ndarray) -> np.ndarray:
        """Number of rows of ``mask`` in each line."""
        return np.bincount(self.lines, weights=mask[self.rows].astype(float), minlength=self.n_lines)

    def matrix(self) -> sparse.csr_matrix:
        """Line × row incidence matrix, +1 for detail cells and −1 for the total cell."""
        coef = np.where(self.total, -1.0, 1.0)
        return sparse.csr_matrix((coef, (self.lines, self.rows)), shape=(self.n_lines, self.n))


def _pick_partners(lines: _Lines, line_ids: np.ndarray, suppressed: np.ndarray, size: np.ndarray) -> np.ndarray:
    """For each line in ``line_ids``, the row of its smallest shown cell (−1 if none)."""
    want = np.zeros(lines.n_lines, bool)
    want[line_ids] = True
    sel = want[lines.lines] & ~suppressed[lines.rows]
    if not sel.any():
        return np.zeros(0, np.int64)
    cand = pd.DataFrame({
        "line": lines.lines[sel],
        "row": lines.rows[sel],
        "zero": ~(size[lines.rows[sel]] > 0),
        "total": lines.total[sel],
        "size": np.nan_to_num(size[lines.rows[sel]], nan=np.inf),
    })
    best = cand.sort_values(["line", "zero", "total", "size", "row"], kind="stable").drop_duplicates("line")
    return best["row"].to_numpy()


def _determined(a: np.ndarray, tol: float = 1e-9) -> np.ndarray:
    """Columns (hidden cells) whose value follows exactly from the equations ``a``.

    Cell ``j`` is determined iff ``e_j`` lies in the row space of ``a``, i.e. its squared
    projection onto that space is 1.
    """
    m, k = a.shape
    if m == 0 or k == 0:
        return np.zeros(k, bool)
    # The projection onto the row space of ``a`` via the smaller Gram matrix (cheaper
    # than an SVD of the wide matrix; the entries are small integers, so well scaled).
    if m <= k:
        lam, u = np.linalg.eigh(a @ a.T)
        keep = lam > lam.max() * 1e-10
        b = a.T @ u[:, keep]
        proj = (b**2 / lam[keep]).sum(axis=1)
    else:
        lam, v = np.linalg.eigh(a.T @ a)
        keep = lam > lam.max() * 1e-10
        proj = (v[:, keep] ** 2).sum(axis=1)
    return proj > 1 - tol


def secondary(table: pd.DataFrame, groups: list[str], policy: Policy, suppressed: np.ndarray,
              d1: np.ndarray, size: np.ndarray, values: dict[str, np.ndarray] | None = None
              ) -> tuple[np.ndarray, int]:
    """Rows to suppress in addition (``D2``) and the number of unresolved sensitive cells.

    ``values`` are the additive counts of the table by name (for a share: numerator,
    denominator and their difference; for a count: the count); step (c) of the module
    docstring protects every one of them that is from 1 to ``min_count − 1``. Without
    ``values``, ``size`` alone is protected.
    """
    total_labels = set(policy.total_labels) | set(meta_of(table).total_labels)
    lines = _Lines(table, groups, total_labels)
    if lines.n_lines == 0 or not d1.any():
        return np.zeros(len(table), bool), 0
    hidden = suppressed.copy()
    mat = lines.matrix()
    unresolved = 0
    for _ in range(10 * len(table) + 10):
        # sensitive = hidden cells connected to a D1 cell through lines
        sensitive = d1.copy()
        while True:
            line_sens = lines.count(sensitive) > 0
            new = hidden & (np.bincount(lines.rows, weights=line_sens[lines.lines].astype(float),
                                        minlength=len(table)) > 0)
            new |= sensitive
            if (new == sensitive).all():
                break
            sensitive = new
        # (a) lines with exactly one hidden cell that is sensitive
        one = (lines.count(hidden) == 1) & (lines.count(sensitive) == 1)
        if one.any():
            partners = _pick_partners(lines, np.flatnonzero(one), hidden, size)
            if len(partners):
                hidden[partners] = True
                continue
        # (b) exact audit per connected group of hidden cells
        h = np.flatnonzero(hidden)
        sub = mat[:, h]
        line_ids = np.flatnonzero(sub.getnnz(axis=1) > 0)
        sub = sub[line_ids]
        adj = (sub.T @ sub) if sub.shape[0] else sparse.csr_matrix((len(h), len(h)))
        n_comp, comp = connected_components(abs(adj) > 0, directed=False)
        shown_count = lines.count(~hidden)
        exposed: list[np.ndarray] = []
        unresolved = 0
        for c in range(n_comp):
            cells = np.flatnonzero(comp == c)
            if not sensitive[h[cells]].any():
                continue
            block = sub[:, cells]
            in_block = np.flatnonzero(block.getnnz(axis=1) > 0)
            dense = block[in_block].toarray()
            det = _determined(dense) & sensitive[h[cells]]
            if not det.any():
                continue
            # certificate: line weights y with y @ dense = e_j; adding a hidden cell to any
            # line with y != 0 breaks it
            cert = np.linalg.pinv(dense.T)
            for j in np.flatnonzero(det):
                y = cert[:, j]
                used = line_ids[in_block[np.abs(y) > 1e-9]]
                open_lines = used[shown_count[used] > 0]
                if len(open_lines):
                    exposed.append(open_lines)
                else:
                    unresolved += 1
        if not exposed:
            exposed = _narrow_cells(lines, hidden, values if values is not None else {"size": size}, policy)
            if not exposed:
                break
        added = False
        for options in exposed:
            # among the lines of the certificate, take the one whose smallest shown cell is smallest
            partners = _pick_partners(lines, options, hidden, size)
            if len(partners) == 0:
                continue
            keys = [(not size[r] > 0, float(np.nan_to_num(size[r], nan=np.inf)), int(r)) for r in partners]
            best = min(keys)[2]
            if not hidden[best]:
                hidden[best] = True
                added = True
                break  # re-run the cheap line step before auditing again
        if not added:
            break
    return hidden & ~suppressed, unresolved


def _narrow_cells(lines: _Lines, hidden: np.ndarray, values: dict[str, np.ndarray], policy: Policy
                  ) -> list[np.ndarray]:
    """Step (c): the lines to open for every hidden count that a reader can narrow too far.

    For each column of ``values`` and each connected group of hidden cells, the reader
    knows every line sum and that counts are non-negative. A hidden count ``v`` from 1 to
    ``min_count − 1`` is exposed when the whole numbers it can take, ``[⌈min⌉, ⌊max⌋]`` from
    two linear programmes (scipy's HiGHS), span fewer than ``policy.protection`` values
    apart (the protection interval of tau-Argus and sdcTable, with the upper and lower
    protection levels together); and the hidden cells of a line must not add up to
    1 .. ``min_count − 1`` (that sum is published in effect: the line total minus the shown
    cells). Returns, per exposed count, the lines through it that still have a shown cell.
    """
    from scipy.optimize import linprog

    m, p_level = policy.min_count, policy.protection
    h = np.flatnonzero(hidden)
    if not len(h) or m <= 1 or p_level == 0:
        return []
    mat = lines.matrix()
    sub = mat[:, h]
    line_ids = np.flatnonzero(sub.getnnz(axis=1) > 0)
    sub = sub[line_ids]
    shown_count = lines.count(~hidden)
    adj = (sub.T @ sub) if sub.shape[0] else sparse.csr_matrix((len(h), len(h)))
    n_comp, comp = connected_components(abs(adj) > 0, directed=False)
    out: list[np.ndarray] = []
    for v in values.values():
        vh = np.nan_to_num(np.asarray(v, float)[h], nan=0.0)
        small = (vh >= 1) & (vh < m)
        # the hidden cells of a line add up to a number the reader knows
        line_sum = np.abs(sub @ vh)
        bad = (line_sum >= 1 - 1e-9) & (line_sum < m - 1e-9)
        for k in np.flatnonzero(bad):
            open_lines = line_ids[[k]][shown_count[line_ids[[k]]] > 0]
            if len(open_lines):
                out.append(open_lines)
        for c in range(n_comp):
            cells = np.flatnonzero(comp == c)
            targets = cells[small[cells]]
            if not len(targets):
                continue
            block = sub[:, cells]
            rows_in = np.flatnonzero(block.getnnz(axis=1) > 0)
            a_eq = block[rows_in].toarray()
            b_eq = a_eq @ vh[cells]
            for j in targets:
                jj = int(np.flatnonzero(cells == j)[0])
                cost = np.zeros(len(cells))
                cost[jj] = 1.0
                lo = linprog(cost, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
                hi = linprog(-cost, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
                low = np.ceil(lo.fun - 1e-7) if lo.status == 0 else 0.0
                high = np.floor(-hi.fun + 1e-7) if hi.status == 0 else np.inf
                if high - low < p_level:
                    through = np.flatnonzero(a_eq[:, jj] != 0)
                    cand = line_ids[rows_in[through]]
                    open_lines = cand[shown_count[cand] > 0]
                    if len(open_lines):
                        out.append(open_lines)
    return out


# --------------------------------------------------------------------------------------
# removing numbers, across tables
# --------------------------------------------------------------------------------------
def number_columns(table: pd.DataFrame) -> list[str]:
    """The numeric columns outside the grouping and flag columns (and ``raw_*``): what suppression removes."""
    groups = set(group_columns(table))
    return [c for c in table.columns if c not in groups and c not in ("flag", "flag_reason")
            and not str(c).startswith("raw_") and pd.api.types.is_numeric_dtype(table[c])
            and not pd.api.types.is_bool_dtype(table[c])]


def remove_numbers(out: pd.DataFrame, mask: np.ndarray) -> None:
    """Set every number of the rows ``mask`` to missing, in place (integer columns become ``Int64``)."""
    for c in number_columns(out):
        if pd.api.types.is_integer_dtype(out[c]):
            out[c] = out[c].astype("Int64")
        out.loc[mask, c] = pd.NA if str(out[c].dtype) == "Int64" else np.nan


def _check_graded(table: pd.DataFrame) -> None:
    if not meta_of(table).graded or "flag" not in table.columns:
        raise ValueError("the table has not been graded; call reliability.grade(table, policy) first")


def disclosed(table: pd.DataFrame) -> np.ndarray:
    """Rows of a graded table suppressed for disclosure (``D1`` or ``D2``), not only as too uncertain.

    Cross-table protection starts from these: a cell withheld only for reliability is not
    confidential (see the module docstring).
    """
    _check_graded(table)
    supp = (table["flag"] == "suppressed").to_numpy()
    privacy = np.array([bool(DISCLOSURE_CODES.intersection(split_codes(r))) for r in table["flag_reason"]], bool)
    return supp & privacy


def withhold(table: pd.DataFrame, mask, policy: Policy | None = None) -> pd.DataFrame:
    """Secondary suppression across tables: withhold the rows ``mask`` that are still shown, as ``D2``.

    For a page whose tables share numbers (a cell hidden in one table must not be
    recoverable from another). Like grading: the rows' numbers outside the grouping
    columns are removed, ``flag`` is ``suppressed``, ``flag_reason`` is ``D2``, and
    ``D2`` joins the metadata's ``flag_codes``. Rows already suppressed keep their
    reason. Returns a copy (or the table itself when nothing changes); ``policy`` is
    accepted for symmetry with grading and checked, the code does not depend on it.
    """
    _check_graded(table)
    mask = np.asarray(mask)
    if mask.dtype != bool or mask.shape != (len(table),):
        raise ValueError(f"mask must be {len(table)} true/false values, one per row; got dtype {mask.dtype}, "
                         f"shape {mask.shape}")
    if policy is not None and not isinstance(policy, Policy):
        raise ValueError(f"policy={policy!r} must be a salto_analysis.policy.Policy")
    new = mask & table["flag"].astype("object").ne("suppressed").to_numpy()
    if not new.any():
        return table
    meta = meta_of(table)
    out = with_meta(table, flag_codes=tuple(split_codes(join_codes([*meta.flag_codes, "D2"]))))
    out = out.copy()
    remove_numbers(out, new)
    out.loc[new, "flag"] = "suppressed"
    out.loc[new, "flag_reason"] = "D2"
    return out


#: Decimals of a share (or index) published by :func:`rounded`: 0.1 percentage point, as the pages show.
PUBLISHED_DECIMALS = 3


def rounded(table: pd.DataFrame, decimals: int = PUBLISHED_DECIMALS,
            columns=("estimate", "ci_low", "ci_high")) -> pd.DataFrame:
    """A graded table with ``columns`` rounded to ``decimals`` decimals, as published (see the
    module docstring). Rounding comes after grading and withholding, which use the exact values.

    >>> t = pd.DataFrame({"estimate": [0.040056898533714, float("nan")], "ci_low": [0.0337, None]})
    >>> rounded(t).to_dict("list")
    {'estimate': [0.04, nan], 'ci_low': [0.034, nan]}
    """
    if not isinstance(decimals, (int, np.integer)) or decimals < 0:
        raise ValueError(f"decimals={decimals!r} must be a whole number of at least 0")
    out = table.copy()
    for c in columns:
        if c in out.columns:
            out[c] = pd.to_numeric(out[c], errors="coerce").round(int(decimals))
    return out
