"""Design-based estimation for school surveys (Ung i Oslo): weights, schools as clusters, strata.

The method is that of R's ``survey`` package (Lumley 2004; ``svydesign``, ``svymean``,
``svyby``, ``svyciprop``), reimplemented for one-stage designs and all domains at once:

* **Estimate.** The weighted share in domain ``d``: ``p̂_d = Σ w·y·1_d / Σ w·1_d``.
* **Variance (Taylor linearisation).** With ``z_i = w_i·1_d(i)·(y_i − p̂_d) / Σ w·1_d`` and
  ``z_hk`` its total over primary sampling unit (PSU, the school) ``k`` of stratum ``h``,
  ``v(p̂_d) = Σ_h (1 − f_h) · n_h/(n_h − 1) · Σ_k (z_hk − z̄_h)²``, where ``n_h`` counts
  *all* PSUs of stratum ``h`` in the design (domain estimation keeps every PSU, the ones
  without members of the domain contribute ``z_hk = 0``) and ``f_h`` is the first-stage
  sampling fraction from ``fpc`` (0 without it: with-replacement approximation).
* **Degrees of freedom** (one convention for :meth:`Design.proportion`, :meth:`Design.mean`
  and :meth:`Design.difference`). R's ``degf`` of the domain's subset design, as ``svyby``
  and ``svyciprop`` use it: the number of PSUs with *rows* in the domain minus the number of
  strata with rows in the domain, whether or not those rows answered the item. Without
  domains this is :attr:`Design.degf`, ``#PSU − #strata``. (A school whose pupils all skipped
  the item still counts, as in R; only :meth:`Design.trend` counts PSUs with answers, as R's
  ``svyglm``, which drops incomplete rows from the design.)
* **Effective sample size and design effect.** ``n_eff = p̂(1−p̂)/v``,
  ``deff = v / (p̂(1−p̂)/n)`` with ``n`` the domain's unweighted sample size. At
  ``p̂ ∈ {0, 1}`` the variance is 0: ``n_eff = n`` and ``deff`` is missing (the NCHS
  convention).
* **Intervals** (``ci_method``):

  - ``korn-graubard`` (R ``svyciprop(method="beta")``; Korn & Graubard 1998, *Survey
    Methodology* 24(2):193–201): ``n* = n_eff·(t_{N−1}/t_df)²`` with ``N`` the domain's rows
    (R's ``nrow(design)``: answered or not), limits
    ``Beta⁻¹(a/2; n*p̂, n*(1−p̂)+1)`` and ``Beta⁻¹(1−a/2; n*p̂+1, n*(1−p̂))``; ``n*`` is not
    capped at ``n`` (as R; the NCHS grading in :mod:`salto_analysis.reliability` caps it).
  - ``xlogit`` (R ``method="xlogit"``; SUDAAN, Stata ``citype(logit)``):
    ``expit(logit(p̂) ± t_df · se/(p̂(1−p̂)))``.
  - ``logit`` (R ``method="logit"``, a quasi-binomial ``svyglm`` with only an intercept):
    for one proportion its sandwich variance equals the delta-method variance, so the
    limits are those of ``xlogit``; both names are accepted.
  - ``wilson``: the Wilson score interval with ``n_eff`` in place of ``n`` and the
    quantile of ``t_df`` (Franco et al. 2019, *JSSAM* 7(3):334–364).

  At ``p̂ ∈ {0, 1}`` none of these works (R returns ``NA``); the interval is then the
  Clopper–Pearson interval with the domain's ``n`` (the NCHS limit case), and the row is
  flagged ``P0`` by :func:`salto_analysis.reliability.grade`.

  With a variance of exactly 0 and ``0 < p̂ < 1`` (a census, ``fpc`` equal to the number of
  PSUs, or identical PSU shares) the interval is the point ``(p̂, p̂)`` for every method, as
  R's ``xlogit``. (R's ``beta`` gives ``(0.5, 0.5)`` whatever ``p̂``: its ``n* = ∞`` makes
  both quantiles those of ``Beta(∞, ∞)``; that agrees with ours only at ``p̂ = 0.5``.)

* **Missing intervals, and why** (a convention the grading reads from the columns).
  ``ci_low`` and ``ci_high`` are missing in exactly two cases, for every ``ci_method``:

  - *no answers*: ``denominator == 0`` — the domain has rows but every value of the item
    is missing (or the data are empty); ``estimate``, ``se``, ``n_eff`` and ``deff`` are
    missing too;
  - *no degrees of freedom*: ``denominator > 0`` and ``df < 1`` — all the domain's rows lie
    in one PSU (or in strata with one PSU each), so there is no variance estimate to build
    an interval on; R's ``svyciprop`` returns ``NA`` for every method. The estimate is kept.

Rows with a missing ``variable`` (item non-response) or a missing domain value are
excluded from the estimates but keep their PSU in the variance (and, for a missing
``variable``, in the domain's degrees of freedom); their numbers are reported in
the fact ``excluded`` of the table's metadata. Empty data give a table without rows
when ``by`` is given, else one row with ``denominator`` 0 (the *no answers* case above).

Only one-stage designs are implemented (PSUs within optional strata; later stages are
covered by the with-replacement approximation, as R does when only ``id=~school`` is
given). Ung i Oslo invites all pupils: intervals then express non-response and
super-population uncertainty, not sampling error (super-population inference; Korn &
Graubard 1999, *Analysis of Health Surveys*, Wiley).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps
from scipy.special import expit

from .estimates import estimate_table
from .formatting import names
from .stats import (
    _wilson_p,
    check_confidence_level,
    clopper_pearson_limits,
    korn_graubard_n,
)

__all__ = ["Design", "CI_METHODS", "proportion"]

CI_METHODS = ("korn-graubard", "logit", "xlogit", "wilson")
_LONELY = ("fail", "certainty")


def _py(value):
    """A NumPy scalar as the plain Python value (for readable error messages)."""
    return value.item() if isinstance(value, np.generic) else value


class Design:
    """A one-stage survey design in the style of R's ``svydesign``.

    Parameters
    ----------
    data : DataFrame
        One row per respondent (pupil).
    cluster : str, optional
        Column of the primary sampling unit (the school). Default: every row is its own PSU.
    strata : str, optional
        Column of the strata. Default: one stratum.
    weight : str, optional
        Column of sampling weights (positive). Default: all 1.
    fpc : str, optional
        Finite population correction for the first stage, constant within strata: either
        the population number of PSUs in the stratum (values > 1) or the sampling
        fraction (all values ≤ 1), as in R.
    nest : bool
        If false (R's default) a cluster id may not occur in two strata; if true, clusters
        are identified within their stratum.
    lonely_psu : {"fail", "certainty"}
        A stratum with a single PSU has no variance estimate: ``"fail"`` raises (R's
        default), ``"certainty"`` lets it contribute nothing (R's ``survey.lonely.psu``).

    The PSU codes, strata and weights are read from ``data`` when the design is built, and
    the domain codes of each ``by`` when it is first used (then reused by every estimate by
    the same domains); build a new Design after changing those columns of ``data``, as R's
    ``svydesign`` keeps its own copy of the data.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"school": [1, 1, 2, 2, 3, 3], "y": [1, 0, 1, 1, 0, 0]})
    >>> Design(d, cluster="school").proportion("y")[["numerator", "denominator", "estimate", "df"]]
       numerator  denominator  estimate   df
    0          3            6       0.5  2.0
    """

    def __init__(self, data: pd.DataFrame, *, cluster: str | None = None, strata: str | None = None,
                 weight: str | None = None, fpc: str | None = None, nest: bool = False,
                 lonely_psu: str = "fail"):
        if not isinstance(data, pd.DataFrame):
            raise ValueError(f"data must be a pandas DataFrame, got {type(data).__name__}")
        if lonely_psu not in _LONELY:
            raise ValueError(f"lonely_psu={lonely_psu!r} must be one of {', '.join(_LONELY)}")
        for role, col in (("cluster", cluster), ("strata", strata), ("weight", weight), ("fpc", fpc)):
            if col is not None and col not in data.columns:
                raise ValueError(f"{role} column {col!r} is not in the data (columns: {list(data.columns)})")
            if col is not None and data[col].isna().any():
                k = int(data[col].isna().sum())
                raise ValueError(f"{role} column {col!r} has {k} missing value(s) (first rows "
                                 f"{list(data.index[data[col].isna()][:3])}); a design needs it complete")
        self.data = data
        self.cluster, self.strata, self.weight, self.fpc = cluster, strata, weight, fpc
        self.lonely_psu = lonely_psu
        self._domain_cache: dict[tuple, tuple] = {}
        self._domain_design_cache: dict[tuple, tuple] = {}
        n = len(data)
        if weight is None:
            w = np.ones(n)
        else:
            if not pd.api.types.is_numeric_dtype(data[weight]) or pd.api.types.is_bool_dtype(data[weight]):
                raise ValueError(f"weight column {weight!r} must be numeric, got dtype {data[weight].dtype}")
            w = data[weight].to_numpy(dtype=float)
            bad = ~(w > 0) | ~np.isfinite(w)
            if bad.any():
                raise ValueError(f"weight column {weight!r} must be positive and finite; {int(bad.sum())} row(s) "
                                 f"are not, first value {_py(w[bad][0])!r}")
        self._w = w
        h = np.zeros(n, np.int64) if strata is None else pd.factorize(data[strata], sort=True)[0]
        self._stratum_labels = None if strata is None else pd.factorize(data[strata], sort=True)[1]
        if cluster is None:
            psu = np.arange(n, dtype=np.int64)
        else:
            cl = pd.factorize(data[cluster])[0]
            if not nest:
                spans = pd.Series(h).groupby(cl).nunique()
                if (spans > 1).any():
                    ex = pd.factorize(data[cluster])[1][spans.index[spans > 1][0]]
                    raise ValueError(f"cluster {_py(ex)!r} of column {cluster!r} occurs in several strata of "
                                     f"{strata!r}; pass nest=True if clusters are numbered within strata")
            psu = pd.factorize(h * ((cl.max() + 1) if n else 1) + cl)[0]
        self._h = h
        self._psu = psu
        self.n_psu = int(psu.max() + 1) if n else 0
        self.n_strata = int(h.max() + 1) if n else 0
        psu_stratum = np.zeros(self.n_psu, np.int64)
        psu_stratum[psu] = h
        self._psu_stratum = psu_stratum
        n_h = np.bincount(psu_stratum, minlength=self.n_strata).astype(float)
        self._n_h = n_h
        lonely = n_h == 1
        if lonely.any() and lonely_psu == "fail":
            lab = self._stratum_labels[np.flatnonzero(lonely)[0]] if self._stratum_labels is not None else 0
            raise ValueError(f"stratum {_py(lab)!r} has only one PSU, so its variance cannot be estimated; "
                             f"{int(lonely.sum())} such stratum/strata. Merge strata or pass lonely_psu='certainty'")
        f_h = np.zeros(self.n_strata)
        if fpc is not None:
            if not pd.api.types.is_numeric_dtype(data[fpc]):
                raise ValueError(f"fpc column {fpc!r} must be numeric, got dtype {data[fpc].dtype}")
            fv = data[fpc].to_numpy(dtype=float)
            per = pd.Series(fv).groupby(h).agg(["min", "max"])
            if (per["min"] != per["max"]).any():
                raise ValueError(f"fpc column {fpc!r} must be constant within each stratum")
            vals = per["min"].to_numpy()
            if (vals <= 0).any():
                raise ValueError(f"fpc column {fpc!r} must be positive; got {_py(vals[vals <= 0][0])!r}")
            if (fv <= 1).all():
                f_h = vals
            else:
                if (vals < n_h).any():
                    i = int(np.flatnonzero(vals < n_h)[0])
                    raise ValueError(f"fpc column {fpc!r}: population size {_py(vals[i])!r} is smaller than the "
                                     f"{int(n_h[i])} sampled PSUs of its stratum")
                f_h = n_h / vals
        with np.errstate(divide="ignore", invalid="ignore"):
            self._scale_h = np.where(n_h > 1, (1 - f_h) * n_h / (n_h - 1), 0.0)
        self._f_h = f_h

    # ----------------------------------------------------------------------------------
    @property
    def degf(self) -> int:
        """Design degrees of freedom: number of PSUs minus number of strata (R ``degf``)."""
        return self.n_psu - self.n_strata

    def __repr__(self) -> str:
        parts = [f"{len(self.data)} rows", f"{self.n_psu} PSUs" + (f" ({self.cluster})" if self.cluster else ""),
                 f"{self.n_strata} strata" + (f" ({self.strata})" if self.strata else "")]
        if self.weight:
            parts.append(f"weights {self.weight}")
        if self.fpc:
            parts.append(f"fpc {self.fpc}")
        return f"Design({', '.join(parts)})"

    def _describe(self) -> dict:
        return {"n_rows": len(self.data), "n_psu": self.n_psu, "n_strata": self.n_strata, "cluster": self.cluster,
                "strata": self.strata, "weight": self.weight, "fpc": self.fpc, "degf": self.degf}

    # ----------------------------------------------------------------------------------
    def _domains(self, by: list[str]):
        """Domain code per row (−1 = missing domain value), the domain keys frame, rows with a missing value.

        Coded once per ``by`` and design (every estimate by the same domains reuses the codes);
        the codes are read-only and the keys frame is a copy.
        """
        key = tuple(by)
        if key not in self._domain_cache:
            dom, frame, n_missing = self._code_domains(list(by))
            dom.flags.writeable = False
            self._domain_cache[key] = (dom, frame, n_missing)
        dom, frame, n_missing = self._domain_cache[key]
        return dom, frame.copy(), n_missing

    def _domain_design(self, by: list[str]):
        """The domains' own designs, as R's ``subset(design, domain)``: rows in each domain (answered
        or not), its (domain, PSU) pairs ``kd``, ``kp`` and its ``degf`` = PSUs − strata with rows in
        the domain. Cached per ``by`` like the domain codes."""
        key = tuple(by)
        if key not in self._domain_design_cache:
            dom, keys, _ = self._domains(by)
            n_dom = len(keys)
            use = dom >= 0
            d = dom[use]
            kd, kp, _ = self._psu_totals(d, self._psu[use], np.zeros(len(d)), n_dom)
            dh = kd * self.n_strata + self._psu_stratum[kp]
            degf = self._domain_degf(kd, dh, n_dom)
            n_rows = np.bincount(d, minlength=n_dom)
            for arr in (kd, kp, degf, n_rows):
                arr.flags.writeable = False
            self._domain_design_cache[key] = (kd, kp, degf, n_rows)
        return self._domain_design_cache[key]

    def _code_domains(self, by: list[str]):
        """Domain code per row and keys (:meth:`_domains` without the cache), sorted as the by values."""
        n = len(self.data)
        if not by:
            return np.zeros(n, np.int64), pd.DataFrame(index=[0]), 0
        codes, levels = [], []
        for col in by:
            s = self.data[col]
            if isinstance(s.dtype, pd.CategoricalDtype):
                c = s.cat.codes.to_numpy().astype(np.int64)
                u = s.cat.categories
            else:
                c, u = pd.factorize(s, sort=True)
            codes.append(c)
            levels.append(u)
        missing = np.zeros(n, bool)
        key = np.zeros(n, np.int64)
        for c, u in zip(codes, levels):
            missing |= c < 0
            key = key * (len(u) + 1) + np.where(c < 0, 0, c)
        n_keys = math.prod(len(u) + 1 for u in levels)
        if n_keys <= max(4 * n, 1 << 20):
            # few possible keys: the present ones by counting, in O(n) (same order as np.unique)
            uniq = np.flatnonzero(np.bincount(key[~missing], minlength=n_keys))
            lookup = np.full(n_keys, -1, np.int64)
            lookup[uniq] = np.arange(len(uniq))
            dom = np.where(missing, -1, lookup[key])
        else:
            uniq, dom = np.unique(np.where(missing, -1, key), return_inverse=True)
            if missing.any():  # -1 sorts first
                dom = dom - 1
                uniq = uniq[1:]
        keys = {}
        rem = uniq.copy()
        for col, u in reversed(list(zip(by, levels))):
            idx = rem % (len(u) + 1)
            rem = rem // (len(u) + 1)
            vals = u.take(idx)
            keys[col] = pd.Categorical(vals, categories=u, ordered=getattr(self.data[col].dtype, "ordered", False)) \
                if isinstance(self.data[col].dtype, pd.CategoricalDtype) else vals
        frame = pd.DataFrame({col: keys[col] for col in by})
        return dom.astype(np.int64), frame, int(missing.sum())

    def _variable(self, variable: str, binary: bool, purpose: str = "a proportion") -> tuple[np.ndarray, np.ndarray]:
        if not isinstance(variable, str) or variable not in self.data.columns:
            raise ValueError(f"variable {variable!r} is not a column of the data (columns: {list(self.data.columns)})")
        s = self.data[variable]
        if not (pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s)):
            raise ValueError(f"variable {variable!r} must be numeric or boolean (0/1), got dtype {s.dtype}; "
                             "recode it to 0/1 first")
        y = s.to_numpy(dtype=float, na_value=np.nan)
        valid = ~np.isnan(y)
        if binary:
            bad = valid & (y != 0) & (y != 1)
            if bad.any():
                vals = sorted(set(y[bad].tolist()))[:5]
                raise ValueError(f"variable {variable!r} must be 0/1 (or boolean) for {purpose}; "
                                 f"{int(bad.sum())} row(s) have other values, e.g. {vals}")
        return y, valid

    def _domain_moments(self, y: np.ndarray, valid: np.ndarray, dom: np.ndarray, n_dom: int) -> dict:
        """Weighted means, linearisation variances, df and counts of all domains in one pass."""
        use = valid & (dom >= 0)
        d = dom[use]
        w = self._w[use]
        yy = y[use]
        psu = self._psu[use]
        W = np.bincount(d, weights=w, minlength=n_dom)
        T = np.bincount(d, weights=w * yy, minlength=n_dom)
        with np.errstate(invalid="ignore", divide="ignore"):
            est = T / W
            z = w * (yy - est[d]) / W[d]
        kd, kp, zk = self._psu_totals(d, psu, z, n_dom)
        var = self._psu_variance(kd, kp, zk, n_dom)
        n = np.bincount(d, minlength=n_dom)
        x = np.bincount(d, weights=yy, minlength=n_dom)
        return {"estimate": est, "var": var, "n": n, "x": x, "W": W,
                "excluded_missing": int((~valid).sum()), "psu_totals": (kd, kp, zk)}

    def _psu_totals(self, d: np.ndarray, psu: np.ndarray, z: np.ndarray, n_dom: int):
        """Totals of ``z`` (shape (n,) or (n, p)) by (domain ``d``, PSU): the domain and PSU of each
        (domain, PSU) pair present, and its totals. Dense bincounts when domains × PSUs is small,
        else sorted unique keys."""
        cols = z[:, None] if z.ndim == 1 else z
        if n_dom * self.n_psu <= 4_000_000:
            key = d * self.n_psu + psu
            size = n_dom * self.n_psu
            present = np.bincount(key, minlength=size) > 0
            kd, kp = np.divmod(np.flatnonzero(present), self.n_psu)
            totals = np.stack([np.bincount(key, weights=c, minlength=size)[present] for c in cols.T], axis=1)
        else:
            keys, inv = np.unique(d * self.n_psu + psu, return_inverse=True)
            totals = np.stack([np.bincount(inv, weights=c, minlength=len(keys)) for c in cols.T], axis=1)
            kd, kp = np.divmod(keys, self.n_psu)
        return kd, kp, (totals[:, 0] if z.ndim == 1 else totals)

    def _psu_variance(self, kd: np.ndarray, kp: np.ndarray, zk: np.ndarray, n_dom: int) -> np.ndarray:
        """Variance of each domain from its linearised totals ``zk`` by (domain ``kd``, PSU ``kp``).

        ``v = Σ_h (1 − f_h)·n_h/(n_h − 1)·(Σ_k z_hk² − (Σ_k z_hk)²/n_h)`` over all ``n_h`` PSUs
        of stratum ``h`` (absent PSUs have ``z = 0``).
        """
        kh = self._psu_stratum[kp]
        dh = kd * self.n_strata + kh
        size = n_dom * self.n_strata
        s1 = np.bincount(dh, weights=zk, minlength=size).reshape(n_dom, self.n_strata)
        s2 = np.bincount(dh, weights=zk**2, minlength=size).reshape(n_dom, self.n_strata)
        with np.errstate(invalid="ignore", divide="ignore"):
            ss = s2 - s1**2 / self._n_h
        return np.clip(ss, 0, None) @ self._scale_h

    def _domain_degf(self, kd: np.ndarray, dh: np.ndarray, n_dom: int) -> np.ndarray:
        """PSUs present minus strata present, per domain (R ``degf`` of the subset design)."""
        n_psu_d = np.bincount(kd, minlength=n_dom)
        n_strata_d = (np.bincount(dh, minlength=n_dom * self.n_strata).reshape(n_dom, self.n_strata) > 0).sum(axis=1)
        return n_psu_d - n_strata_d

    def _psu_covariance(self, kd: np.ndarray, kp: np.ndarray, zk: np.ndarray, n_dom: int):
        """Covariance matrices and df of each domain from vector totals ``zk`` (shape (m, p)) by (domain, PSU).

        ``V = Σ_h (1 − f_h)·n_h/(n_h − 1)·(Σ_k z_hk z_hkᵀ − (Σ_k z_hk)(Σ_k z_hk)ᵀ/n_h)``: the
        matrix form of :meth:`_psu_variance` (R ``svyrecvar`` for one stage). Shape (n_dom, p, p).
        """
        p = zk.shape[1]
        dh = kd * self.n_strata + self._psu_stratum[kp]
        size = n_dom * self.n_strata
        s1 = np.stack([np.bincount(dh, weights=zk[:, i], minlength=size) for i in range(p)], axis=1)
        s2 = np.empty((size, p, p))
        for i in range(p):
            for j in range(i, p):
                s2[:, i, j] = s2[:, j, i] = np.bincount(dh, weights=zk[:, i] * zk[:, j], minlength=size)
        n_h = np.tile(self._n_h, n_dom)
        with np.errstate(invalid="ignore", divide="ignore"):
            centred = s2 - s1[:, :, None] * s1[:, None, :] / n_h[:, None, None]
        scale = np.tile(self._scale_h, n_dom)
        cov = (centred * scale[:, None, None]).reshape(n_dom, self.n_strata, p, p).sum(axis=1)
        return cov, self._domain_degf(kd, dh, n_dom)

    # ----------------------------------------------------------------------------------
    def proportion(self, variable: str, *, by: str | Sequence[str] | None = None, confidence_level: float = 0.95,
                   ci_method: str = "korn-graubard", measure: str | None = None) -> pd.DataFrame:
        """Estimate table of the weighted share of ``variable == 1`` in each domain of ``by``.

        Columns: the ``by`` columns, ``numerator`` and ``denominator`` (unweighted counts),
        ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``n_eff``, ``deff``, ``df``, ``flag``,
        ``flag_reason`` (ungraded until :func:`salto_analysis.reliability.grade`). Domains are
        the combinations of ``by`` present in the data; all are computed in one pass.
        See the module docstring for the method. ``df`` is R's ``degf`` of the domain (PSUs
        minus strata with rows in the domain, answered or not; :attr:`degf` without ``by``).
        ``ci_low``/``ci_high`` are missing exactly when ``denominator == 0`` (no answers) or
        ``df < 1`` (no degrees of freedom), see "Missing intervals" in the module docstring.
        """
        level = check_confidence_level(confidence_level)
        if ci_method not in CI_METHODS:
            raise ValueError(f"ci_method={ci_method!r} must be one of {', '.join(CI_METHODS)}")
        by = names(by)
        missing_by = [c for c in by if c not in self.data.columns]
        if missing_by:
            raise ValueError(f"by column(s) {missing_by} not in the data (columns: {list(self.data.columns)})")
        y, valid = self._variable(variable, binary=True)
        dom, keys, n_missing_by = self._domains(by)
        m = self._domain_moments(y, valid, dom, len(keys))
        _, _, degf, n_rows = self._domain_design(by)
        p, var, df, n = m["estimate"], m["var"], degf.astype(float), m["n"].astype(float)
        se = np.where(n > 0, np.sqrt(var), np.nan)
        edge = (p == 0) | (p == 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            n_eff = np.where(edge, n, p * (1 - p) / var)
            deff = np.where(edge, np.nan, var / (p * (1 - p) / n))
        low, high = _ci(p, se, n, n_eff, df, level, ci_method, n_rows=n_rows.astype(float))
        table = keys.copy()
        table["numerator"] = m["x"].round().astype(np.int64)
        table["denominator"] = m["n"].astype(np.int64)
        table["estimate"], table["se"] = p, se
        table["ci_low"], table["ci_high"] = low, high
        table["n_eff"], table["deff"], table["df"] = n_eff, deff, df
        excluded = {"missing_variable": int((~valid).sum()),
                    "missing_domain": int((valid & (dom < 0)).sum())}
        return estimate_table(
            table, groups=by, kind="proportion", measure=measure or variable, unit="proportion",
            method=f"Taylor linearisation (R survey); {ci_method} interval", confidence_level=level,
            design_based=True, design=self._describe(), ci_method=ci_method, excluded=excluded,
            n_excluded=int(sum(excluded.values())),
        )

    def difference(self, variable: str, *, over: str, from_level, to_level, by: str | Sequence[str] | None = None,
                   confidence_level: float = 0.95, measure: str | None = None) -> pd.DataFrame:
        """Change in the weighted share of ``variable == 1`` from ``over == from_level`` to ``to_level``, by domain.

        Both waves are domains of the one design, so a school (PSU) that takes part in
        both waves contributes the *difference* of its linearised totals,
        ``z_k(to) − z_k(from)``, and the covariance between the waves is included (a
        difference of domain means in R: ``svyby`` + ``svycontrast``). ``estimate`` is
        ``p̂_to − p̂_from``; the interval is ``± t_df · se`` with ``df`` = PSUs with rows (answered
        or not) in either wave minus strata with rows (R ``degf`` of the two waves' subset of the
        design); ``p_value`` is the two-sided t-test of no change. Kind
        ``difference``; ``numerator``/``denominator`` belong to ``to_level`` and
        ``numerator_ref``/``denominator_ref`` to ``from_level``.
        """
        level = check_confidence_level(confidence_level)
        by = names(by)
        if over not in self.data.columns:
            raise ValueError(f"over column {over!r} is not in the data (columns: {list(self.data.columns)})")
        if over in by:
            raise ValueError(f"over={over!r} must not also be in by={by!r}")
        for name, lev in (("from_level", from_level), ("to_level", to_level)):
            if not (self.data[over] == lev).any():
                raise ValueError(f"{name}={lev!r} does not occur in column {over!r}")
        y, valid = self._variable(variable, binary=True)
        dom, keys, _ = self._domains([*by, over])
        m = self._domain_moments(y, valid, dom, len(keys))
        if by:
            pair, pairs = pd.factorize(pd.MultiIndex.from_frame(keys[by].astype(object)))
            pair_keys = pairs.to_frame(index=False)
            pair_keys.columns = by
            for col in by:  # restore categorical dtypes
                if isinstance(keys[col].dtype, pd.CategoricalDtype):
                    pair_keys[col] = pd.Categorical(pair_keys[col], categories=keys[col].cat.categories)
        else:
            pair, pair_keys = np.zeros(len(keys), np.int64), pd.DataFrame(index=[0])
        n_pair = len(pair_keys)
        role = np.where(keys[over].to_numpy() == to_level, 1, np.where(keys[over].to_numpy() == from_level, -1, 0))
        to_idx = np.full(n_pair, -1)
        from_idx = np.full(n_pair, -1)
        to_idx[pair[role == 1]] = np.flatnonzero(role == 1)
        from_idx[pair[role == -1]] = np.flatnonzero(role == -1)
        kd, kp, zk = m["psu_totals"]
        sign = role[kd]
        keep = sign != 0
        key = pair[kd[keep]] * self.n_psu + kp[keep]
        uk, inv = np.unique(key, return_inverse=True)
        zdiff = np.bincount(inv, weights=sign[keep] * zk[keep], minlength=len(uk))
        var = self._psu_variance(uk // self.n_psu, uk % self.n_psu, zdiff, n_pair)
        # df of the pair's design: PSUs with rows (answered or not) in either wave, minus strata
        ad, ap, _, _ = self._domain_design([*by, over])
        in_pair = role[ad] != 0
        up = np.unique(pair[ad[in_pair]] * self.n_psu + ap[in_pair])
        pd_, pp_ = np.divmod(up, self.n_psu)
        df = self._domain_degf(pd_, pd_ * self.n_strata + self._psu_stratum[pp_], n_pair)
        both = (to_idx >= 0) & (from_idx >= 0)
        est_to = np.where(to_idx >= 0, m["estimate"][to_idx], np.nan)
        est_from = np.where(from_idx >= 0, m["estimate"][from_idx], np.nan)
        diff = np.where(both, est_to - est_from, np.nan)
        se = np.where(both, np.sqrt(var), np.nan)
        df = np.where(both, df, np.nan).astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            q = sps.t.ppf(0.5 + level / 2, np.where(df > 0, df, np.nan))
            p = 2 * sps.t.sf(np.abs(diff / se), np.where(df > 0, df, np.nan))
        table = pair_keys.copy()
        table["numerator"] = np.where(to_idx >= 0, m["x"][to_idx], 0).round().astype(np.int64)
        table["denominator"] = np.where(to_idx >= 0, m["n"][to_idx], 0).astype(np.int64)
        table["numerator_ref"] = np.where(from_idx >= 0, m["x"][from_idx], 0).round().astype(np.int64)
        table["denominator_ref"] = np.where(from_idx >= 0, m["n"][from_idx], 0).astype(np.int64)
        table["estimate"] = diff
        table["ci_low"], table["ci_high"] = diff - q * se, diff + q * se
        table["se"], table["df"], table["p_value"] = se, df, p
        table["estimate_ref"], table["estimate_to"] = est_from, est_to
        return estimate_table(
            table, groups=by, kind="difference", measure=measure or f"change in {variable}",
            unit="proportion difference", method="Taylor linearisation of the difference of two domain means "
            "(covariance through shared PSUs included); t interval and test", confidence_level=level,
            design_based=True, design=self._describe(), over=over, from_level=from_level, to_level=to_level,
        )

    def trend(self, variable: str, *, time: str = "wave", by: str | Sequence[str] | None = None,
              centre: float | None = None, confidence_level: float = 0.95, max_iter: int = 50,
              measure: str | None = None) -> pd.DataFrame:
        """Trend of a 0/1 ``variable`` over ``time``: survey-weighted logistic regression, every domain at once.

        For each domain of ``by``, ``logit P(y=1) = β0 + β1·(time − centre)`` is fitted by
        weighted maximum likelihood, as R ``svyglm(y ~ time, design, family = quasibinomial)``
        on the domain (Binder 1983; Lumley 2010, ch. 5):

        * **Fit.** The only covariate is ``time``, so the weighted sums ``Σw`` and ``Σw·y`` by
          domain × PSU × time value are sufficient for the fit and its variance (one pass over
          the rows); Newton–Raphson runs on the sums by domain × time value for all domains at
          once (to steps below 1e-10, at most ``max_iter``).
        * **Variance.** The sandwich ``H⁻¹ V H⁻¹`` with ``H = Σ w·μ(1−μ)·x xᵀ`` and ``V`` the
          design covariance of the PSU totals of the scores ``w·x·(y − μ)``, centred within
          strata and times ``(1 − f_h)·n_h/(n_h − 1)`` (:meth:`_psu_covariance`). PSUs without
          members of the domain count in ``n_h`` with zero scores (R's domain convention: ``n_h``
          is every PSU of the design, not only the domain's own).
        * **Interval and test.** ``t`` with ``df = #PSU − #strata − 1`` of the domain (PSUs and
          strata with answers; R ``summary.svyglm``: design degf + 1 − 2 coefficients).
        * No estimate where a domain lacks both outcomes, has fewer than two time values,
          the fit does not converge (separation; counted in the fact ``not_converged``) or
          ``df < 1``.

        Rows with a missing ``variable`` or ``time`` (item non-response) or a missing domain value
        are excluded and counted in the fact ``excluded``; their PSUs stay in the design.

        Returns an estimate table of kind ``ratio``: ``estimate`` is the odds ratio per unit of
        ``time`` ``exp(β1)`` with its interval, ``se`` the standard error of ``β1`` (log scale),
        ``p_value`` the test of no trend, ``numerator``/``denominator`` the unweighted positives
        and answers over all times, ``n_clusters`` the PSUs with answers in the domain.
        The fact ``centre`` is the centring value (default: the mean of ``time`` over the rows
        used; it changes only the intercept).
        """
        level = check_confidence_level(confidence_level)
        by = names(by)
        missing_cols = [c for c in (time, *by) if c not in self.data.columns]
        if missing_cols:
            raise ValueError(f"column(s) {missing_cols} not in the data (columns: {list(self.data.columns)})")
        if not (isinstance(max_iter, (int, np.integer)) and max_iter >= 1):
            raise ValueError(f"max_iter={max_iter!r} must be a positive whole number")
        ts = self.data[time]
        if not (pd.api.types.is_numeric_dtype(ts) or pd.api.types.is_bool_dtype(ts)):
            raise ValueError(f"time column {time!r} must be numeric, got dtype {ts.dtype}")
        y, valid = self._variable(variable, binary=True, purpose="a logistic trend")
        dom, keys, _ = self._domains(by)
        tdom, tkeys, _ = self._domains([time])  # time values coded once per design, sorted
        n_dom = len(keys)
        has_time = tdom >= 0
        use = np.flatnonzero(valid & has_time & (dom >= 0))
        tvalues = tkeys[time].to_numpy(dtype=float)
        n_t = len(tvalues)
        # Sums by cell (domain, PSU, time value) are sufficient for the fit and the variance:
        # unweighted n and y, weighted w and w·y.
        cell = (dom[use] * self.n_psu + self._psu[use]) * n_t + tdom[use]
        w = self._w[use]
        cells, (c_n, c_y, c_w, c_wy) = _cell_sums(cell, [None, y[use], w, w * y[use]], n_dom * self.n_psu * n_t)
        kd, rest = np.divmod(cells, self.n_psu * n_t)
        kp, kt = np.divmod(rest, n_t)
        if centre is None:
            centre = float(c_n @ tvalues[kt] / c_n.sum()) if c_n.sum() else 0.0
        centre = float(centre)
        X = np.stack([np.ones(n_t), tvalues - centre], axis=1)  # (time values, 2)
        dt = kd * n_t + kt
        W = np.bincount(dt, weights=c_w, minlength=n_dom * n_t).reshape(n_dom, n_t)
        Y = np.bincount(dt, weights=c_wy, minlength=n_dom * n_t).reshape(n_dom, n_t)
        beta, fit, converged = _logistic_newton(W, Y, X, max_iter)
        cov = np.full((n_dom, 2, 2), np.nan)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            mu = expit(beta @ X.T)  # (domains, time values)
            hess = np.einsum("dt,tp,tq->dpq", W * mu * (1 - mu), X, X)
            # score totals by (domain, PSU): Σ over the PSU's cells of (Σw·y − Σw·μ)·x
            scores = (c_wy - c_w * mu[kd, kt])[:, None] * X[kt]
            pairs, pair = np.unique(cells // n_t, return_inverse=True)
            totals = np.stack([np.bincount(pair, weights=c, minlength=len(pairs)) for c in scores.T], axis=1)
            pd_, pp_ = np.divmod(pairs, self.n_psu)
            meat, degf = self._psu_covariance(pd_, pp_, totals, n_dom)
            if converged.any():
                bread = np.linalg.inv(hess[converged])
                cov[converged] = bread @ meat[converged] @ bread
            df = degf.astype(float) - 1
            b1, se = beta[:, 1], np.sqrt(cov[:, 1, 1])
            ok = converged & np.isfinite(se) & (se > 0) & (df > 0)
            dfq = np.where(ok, df, np.nan)
            q = sps.t.ppf(0.5 + level / 2, dfq)
            pval = 2 * sps.t.sf(np.abs(b1 / se), dfq)
        table = keys.copy()
        table["numerator"] = np.bincount(kd, weights=c_y, minlength=n_dom).round().astype(np.int64)
        table["denominator"] = np.bincount(kd, weights=c_n, minlength=n_dom).round().astype(np.int64)
        table["n_clusters"] = np.bincount(pd_, minlength=n_dom).astype(np.int64)
        table["estimate"] = np.where(ok, np.exp(b1), np.nan)
        table["se"] = np.where(ok, se, np.nan)
        table["ci_low"] = np.where(ok, np.exp(b1 - q * se), np.nan)
        table["ci_high"] = np.where(ok, np.exp(b1 + q * se), np.nan)
        table["df"] = np.where(df > 0, df, np.nan)
        table["p_value"] = np.where(ok, pval, np.nan)
        excluded = {"missing_variable": int((~valid).sum()), "missing_time": int((valid & ~has_time).sum()),
                    "missing_domain": int((valid & has_time & (dom < 0)).sum())}
        return estimate_table(
            table, groups=by, kind="ratio", measure=measure or f"trend in {variable}",
            unit=f"odds ratio per {time}", method="survey-weighted logistic regression on "
            f"{time} (R svyglm, quasibinomial): design-based sandwich variance, PSUs of the whole design; "
            "t interval and test", confidence_level=level, design_based=True, design=self._describe(),
            time=time, centre=centre, times=tvalues[W.sum(axis=0) > 0].tolist(),
            not_converged=int((fit & ~converged).sum()),
            excluded=excluded, n_excluded=int(sum(excluded.values())),
        )

    def mean(self, variable: str, *, by: str | Sequence[str] | None = None, confidence_level: float = 0.95,
             measure: str | None = None) -> pd.DataFrame:
        """Estimate table of the weighted mean of a numeric ``variable`` by domain (kind ``summary``).

        Same linearisation as :meth:`proportion` (R ``svymean``); the interval is Wald with
        the ``t_df`` quantile and ``df`` the domain's ``degf`` (module docstring; missing when
        ``df < 1`` or the domain has no answers). ``denominator`` is the unweighted number of
        respondents.
        """
        level = check_confidence_level(confidence_level)
        by = names(by)
        y, valid = self._variable(variable, binary=False)
        dom, keys, _ = self._domains(by)
        m = self._domain_moments(y, valid, dom, len(keys))
        se = np.where(m["n"] > 0, np.sqrt(m["var"]), np.nan)
        df = self._domain_design(by)[2].astype(float)
        with np.errstate(invalid="ignore"):
            q = sps.t.ppf(0.5 + level / 2, np.where(df > 0, df, np.nan))
        table = keys.copy()
        table["denominator"] = m["n"].astype(np.int64)
        table["estimate"], table["se"] = m["estimate"], se
        table["ci_low"], table["ci_high"] = m["estimate"] - q * se, m["estimate"] + q * se
        table["df"] = df
        return estimate_table(table, groups=by, kind="summary", measure=measure or variable, unit="mean",
                              method="Taylor linearisation (R survey); Wald t interval", confidence_level=level,
                              design_based=True, design=self._describe(),
                              excluded={"missing_variable": m["excluded_missing"]})


def _cell_sums(cell: np.ndarray, weights: list, size: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """The cells present (sorted codes) and the sums of each of ``weights`` (``None``: a count) over them.

    Dense bincounts when the ``size`` of the code space is at most four times the number of
    rows (or 2^20), else sorted unique codes.
    """
    if size <= max(4 * len(cell), 1 << 20):
        counts = np.bincount(cell, minlength=size)
        present = np.flatnonzero(counts)
        return present, [counts[present].astype(float) if wt is None else
                         np.bincount(cell, weights=wt, minlength=size)[present] for wt in weights]
    present, inv = np.unique(cell, return_inverse=True)
    return present, [np.bincount(inv, weights=wt, minlength=len(present)).astype(float) for wt in weights]


def _logistic_newton(W: np.ndarray, Y: np.ndarray, X: np.ndarray, max_iter: int):
    """Weighted logistic fits of every row of ``W`` (weights) and ``Y`` (weighted positives) on ``X``.

    ``W`` and ``Y`` have shape (groups, covariate patterns), ``X`` shape (patterns, p). Newton–Raphson
    from the intercept-only fit, all groups at once. A group is fitted when both outcomes occur and
    at least two patterns have weight; it has converged when a step is below 1e-10 in every
    coefficient. A group whose information matrix becomes singular (separation: the fit runs off
    to infinity) stops unconverged. Returns ``beta`` (groups, p), ``fit`` and ``converged``.
    """
    n_groups, p = len(W), X.shape[1]
    beta = np.zeros((n_groups, p))
    converged = np.zeros(n_groups, bool)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        p0 = Y.sum(1) / W.sum(1)
        beta[:, 0] = np.log(p0 / (1 - p0))
        fit = np.isfinite(beta[:, 0]) & ((W > 0).sum(1) >= 2)
        active = fit.copy()
        for _ in range(max_iter):
            idx = np.flatnonzero(active)
            if not idx.size:
                break
            mu = expit(beta[idx] @ X.T)
            score = (Y[idx] - W[idx] * mu) @ X
            hess = np.einsum("gw,wp,wq->gpq", W[idx] * mu * (1 - mu), X, X)
            det = np.linalg.det(hess)
            solvable = np.isfinite(det) & (det > 0) & np.isfinite(score).all(axis=1)
            active[idx[~solvable]] = False
            idx, hess, score = idx[solvable], hess[solvable], score[solvable]
            step = np.linalg.solve(hess, score[..., None])[..., 0]
            beta[idx] += step
            done = idx[np.all(np.abs(step) < 1e-10, axis=1)]
            converged[done] = True
            active[done] = False
    return beta, fit, converged


def _ci(p, se, n, n_eff, df, level, method, *, n_rows):
    """Interval limits for design-based proportions (see the module docstring).

    The formulas live in :mod:`salto_analysis.stats`: Korn–Graubard is the Clopper–Pearson
    interval with the effective sample size of :func:`~salto_analysis.stats.korn_graubard_n`
    (``t(n_rows − 1)``, ``n_rows`` the domain's rows as R's ``nrow(design)``), ``wilson`` the
    Wilson score interval with ``n_eff`` and a t quantile. Missing where the domain has no
    answers (``n = 0``) or no degrees of freedom (``df < 1``); ``(p, p)`` where the variance is
    exactly 0 with ``0 < p < 1``.
    """
    a = 1 - level
    edge = (p == 0) | (p == 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        t_df = sps.t.ppf(1 - a / 2, np.where(df > 0, df, np.nan))
        if method == "korn-graubard":
            n_star = korn_graubard_n(n_eff, n_rows, df, confidence_level=level)
            low, high = clopper_pearson_limits(n_star * p, n_star, confidence_level=level)
        elif method in ("logit", "xlogit"):
            lp = np.log(p / (1 - p))
            half = t_df * se / (p * (1 - p))
            low, high = expit(lp - half), expit(lp + half)
        else:  # wilson with n_eff and t quantile
            low, high = _wilson_p(p, n_eff, t_df)
        # p in {0, 1}: Clopper-Pearson with the domain's n (NCHS limit case)
        cp_low, cp_high = clopper_pearson_limits(p * n, n, confidence_level=level)
        low = np.where(edge, cp_low, low)
        high = np.where(edge, cp_high, high)
        # zero variance (a census with identical PSU shares): no uncertainty, the interval is the point
        point = ~edge & (se == 0)
        low, high = np.where(point, p, low), np.where(point, p, high)
        # no answers, or no degrees of freedom for a variance: missing (R returns NA)
        missing = ~(n > 0) | ~(df >= 1)
        low, high = np.where(missing, np.nan, low), np.where(missing, np.nan, high)
    return np.clip(low, 0, 1), np.clip(high, 0, 1)


def proportion(
    data: pd.DataFrame,
    variable: str,
    *,
    by: str | Sequence[str] | None = None,
    weight: str | None = None,
    cluster: str | None = None,
    strata: str | None = None,
    fpc: str | None = None,
    confidence_level: float = 0.95,
    ci_method: str = "korn-graubard",
) -> pd.DataFrame:
    """Design-based share of ``variable == 1`` by domain: ``Design(data, ...).proportion(variable, ...)``.

    Returns an estimate table with one row per domain (each combination of ``by``) and
    columns ``numerator``, ``denominator`` (unweighted counts), ``estimate``, ``se``,
    ``ci_low``, ``ci_high``, ``n_eff``, ``deff``, ``df``, ``flag``, ``flag_reason``.
    Taylor linearisation with strata, clusters (schools), weights and optional finite
    population correction, as R ``survey``; see the module docstring. Agrees with R's
    ``svymean`` standard errors and ``svyciprop`` (``beta``, ``xlogit``) intervals, also
    by domain as ``svyby`` (tests/test_survey.py).

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"school": [1, 1, 2, 2, 3, 3], "grade": [8, 9, 8, 9, 8, 9],
    ...                   "y": [1, 0, 1, 1, 0, 0]})
    >>> proportion(d, "y", by="grade", cluster="school")[["grade", "numerator", "denominator", "estimate"]]
       grade  numerator  denominator  estimate
    0      8          2            3  0.666667
    1      9          1            3  0.333333
    """
    design = Design(data, cluster=cluster, strata=strata, weight=weight, fpc=fpc)
    return design.proportion(variable, by=by, confidence_level=confidence_level, ci_method=ci_method)
