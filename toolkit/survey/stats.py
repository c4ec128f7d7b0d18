"""Paired statistics for pre/post surveys, each returning plain numbers or tidy DataFrames.

Conventions: ``d = post - pre``; Wilcoxon p-values use scipy's asymptotic method with
continuity correction (pinned so results do not change with scipy versions, see
survey-methods.md §5); the rank-biserial correlation is positive when scores went up.
Checked against scipy, pingouin and statsmodels in ``tests/survey/test_survey_stats.py``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "cronbach_alpha",
    "department_table",
    "group_comparison",
    "holm",
    "mcnemar_exact",
    "mean_ci",
    "paired_t",
    "reliable_change",
    "transition_matrix",
    "wilcoxon_paired",
]


def _pairs(pre, post) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(pre, dtype=float)
    y = np.asarray(post, dtype=float)
    ok = ~(np.isnan(x) | np.isnan(y))
    return x[ok], y[ok]


def mean_ci(values, ci: float = 0.95) -> tuple[float, float, float, int]:
    """Mean with a t-based confidence interval: (mean, low, high, n)."""
    from scipy import stats

    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    n = v.size
    if n == 0:
        return (math.nan, math.nan, math.nan, 0)
    m = float(v.mean())
    if n < 2:
        return (m, math.nan, math.nan, n)
    half = float(stats.t.ppf(0.5 + ci / 2, n - 1) * v.std(ddof=1) / math.sqrt(n))
    return (m, m - half, m + half, n)


def wilcoxon_paired(pre, post) -> dict[str, Any]:
    """Wilcoxon signed-rank test on ``post - pre`` (pairs with a missing value dropped).

    Returns n, n_nonzero, median_pre, median_post, W (scipy's two-sided statistic, the
    smaller rank sum), p (asymptotic, continuity-corrected, zeros dropped: "wilcox"),
    rbc = (R+ - R-) / (R+ + R-), the rank-biserial correlation (positive = increase).
    """
    from scipy import stats

    x, y = _pairs(pre, post)
    d = y - x
    nz = d[d != 0]
    out: dict[str, Any] = {
        "n": int(d.size),
        "n_nonzero": int(nz.size),
        "median_pre": float(np.median(x)) if x.size else math.nan,
        "median_post": float(np.median(y)) if y.size else math.nan,
        "W": math.nan,
        "p": math.nan,
        "rbc": math.nan,
    }
    if nz.size == 0:
        if d.size:
            out.update(W=0.0, p=1.0, rbc=0.0)
        return out
    ranks = stats.rankdata(np.abs(nz))
    r_plus = float(ranks[nz > 0].sum())
    r_minus = float(ranks[nz < 0].sum())
    res = stats.wilcoxon(
        y, x, zero_method="wilcox", correction=True, method="asymptotic", nan_policy="omit"
    )
    out.update(
        W=float(res.statistic), p=float(res.pvalue), rbc=(r_plus - r_minus) / (r_plus + r_minus)
    )
    return out


def paired_t(pre, post, ci: float = 0.95) -> dict[str, Any]:
    """Paired t-test on ``post - pre`` with d_z = mean(d) / sd(d) and a CI of the mean change."""
    from scipy import stats

    x, y = _pairs(pre, post)
    d = y - x
    n = int(d.size)
    out: dict[str, Any] = {
        "n": n,
        "mean_pre": float(x.mean()) if n else math.nan,
        "mean_post": float(y.mean()) if n else math.nan,
        "mean_diff": float(d.mean()) if n else math.nan,
        "sd_diff": float(d.std(ddof=1)) if n > 1 else math.nan,
        "t": math.nan,
        "dof": n - 1,
        "p": math.nan,
        "ci_low": math.nan,
        "ci_high": math.nan,
        "dz": math.nan,
    }
    if n < 2:
        return out
    sd = out["sd_diff"]
    if sd == 0:
        out.update(t=math.inf if out["mean_diff"] else math.nan, p=0.0 if out["mean_diff"] else 1.0)
        return out
    res = stats.ttest_rel(y, x)
    half = float(stats.t.ppf(0.5 + ci / 2, n - 1) * sd / math.sqrt(n))
    out.update(
        t=float(res.statistic),
        p=float(res.pvalue),
        ci_low=out["mean_diff"] - half,
        ci_high=out["mean_diff"] + half,
        dz=out["mean_diff"] / sd,
    )
    return out


def mcnemar_exact(before, after) -> dict[str, Any]:
    """Exact McNemar test on two paired booleans (e.g. "level >= 2" before and after).

    Table (rows = before, columns = after): a = no/no, b = no/yes (gained),
    c = yes/no (lost), d = yes/yes. p_exact is
    ``statsmodels.stats.contingency_tables.mcnemar(table, exact=True)`` (two-sided binomial
    test of b among b + c); chi2 is the continuity-corrected statistic, as pingouin's.
    """
    from statsmodels.stats.contingency_tables import mcnemar

    x = np.asarray(before, dtype=bool)
    y = np.asarray(after, dtype=bool)
    a = int((~x & ~y).sum())
    b = int((~x & y).sum())
    c = int((x & ~y).sum())
    d = int((x & y).sum())
    n = a + b + c + d
    if b + c == 0:
        p, chi2 = 1.0, 0.0
    else:
        p = float(mcnemar(np.array([[a, b], [c, d]]), exact=True).pvalue)
        chi2 = (abs(b - c) - 1) ** 2 / (b + c)
    return {
        "n": n,
        "a": a,
        "b": b,
        "c": c,
        "d": d,
        "share_pre": (c + d) / n if n else math.nan,
        "share_post": (b + d) / n if n else math.nan,
        "chi2": float(chi2),
        "p_exact": min(p, 1.0),
    }


def holm(pvalues) -> np.ndarray:
    """Holm step-down adjusted p-values (statsmodels ``multipletests``); NaN stays NaN."""
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(pvalues, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        out[ok] = multipletests(p[ok], method="holm")[1]
    return out


def cronbach_alpha(
    items: pd.DataFrame, ci: float = 0.95, nan_policy: str = "pairwise"
) -> tuple[float, float, float]:
    """Cronbach's alpha with a Feldt confidence interval: (alpha, low, high).

    Same definition as ``pingouin.cronbach_alpha`` (pairwise covariances by default; n is the
    number of rows given; ``nan_policy="listwise"`` drops incomplete rows from the covariances),
    but the bounds are not rounded.
    """
    from scipy.stats import f

    if nan_policy not in ("pairwise", "listwise"):
        raise ValueError("nan_policy must be 'pairwise' or 'listwise'")
    data = items.astype(float)
    # As pingouin 0.7, n is counted before listwise deletion (it reproduces the published
    # reference values; the analysis itself uses the pairwise policy, where this is moot).
    n, k = data.shape
    if nan_policy == "listwise":
        data = data.dropna(axis=0, how="any")
    if k < 2 or n < 3:
        return (math.nan, math.nan, math.nan)
    cov = data.cov().to_numpy()
    total = cov.sum()
    if not np.isfinite(total) or total <= 0:
        return (math.nan, math.nan, math.nan)
    alpha = (k / (k - 1)) * (1 - np.trace(cov) / total)
    df1 = n - 1
    df2 = df1 * (k - 1)
    a = 1 - ci
    low = 1 - (1 - alpha) * f.isf(a / 2, df1, df2)
    high = 1 - (1 - alpha) * f.isf(1 - a / 2, df1, df2)
    return (float(alpha), float(low), float(high))


def reliable_change(pre, post, reliability: float, sd_pre: float | None = None) -> np.ndarray:
    """Jacobson & Truax reliable change index per person: (post - pre) / S_diff.

    S_diff = sqrt(2) * SE, SE = sd_pre * sqrt(1 - reliability); sd_pre defaults to the SD of
    ``pre`` (ddof=1). |RCI| > 1.96 means a reliable change.
    """
    x = np.asarray(pre, dtype=float)
    y = np.asarray(post, dtype=float)
    if sd_pre is None:
        ok = x[~np.isnan(x)]
        sd_pre = float(ok.std(ddof=1)) if ok.size >= 2 else math.nan
    if not (
        np.isfinite(reliability) and 0 < reliability < 1 and np.isfinite(sd_pre) and sd_pre > 0
    ):
        return np.full(x.shape, np.nan)
    s_diff = math.sqrt(2) * sd_pre * math.sqrt(1 - reliability)
    return (y - x) / s_diff


def transition_matrix(level_pre, level_post, levels) -> pd.DataFrame:
    """Counts of participants by level before (rows) and after (columns), all levels shown."""
    table = pd.crosstab(
        pd.Categorical(np.asarray(level_pre), categories=levels),
        pd.Categorical(np.asarray(level_post), categories=levels),
        dropna=False,
    )
    table.index = pd.Index(levels, name="niveau_avant")
    table.columns = pd.Index(levels, name="niveau_apres")
    return table


def group_comparison(values_a, values_b) -> dict[str, Any]:
    """Mann-Whitney U (two-sided, asymptotic with continuity correction) between two groups.

    rbc = 1 - 2U/(n_a n_b) with U the statistic of group a (as ``pingouin.mwu``'s RBC sign is
    positive when group a tends to be larger... see tests for the exact correspondence).
    """
    from scipy import stats

    a = np.asarray(values_a, dtype=float)
    b = np.asarray(values_b, dtype=float)
    a = a[~np.isnan(a)]
    b = b[~np.isnan(b)]
    out: dict[str, Any] = {
        "n_a": int(a.size),
        "n_b": int(b.size),
        "median_a": float(np.median(a)) if a.size else math.nan,
        "median_b": float(np.median(b)) if b.size else math.nan,
        "mean_a": float(a.mean()) if a.size else math.nan,
        "mean_b": float(b.mean()) if b.size else math.nan,
        "U": math.nan,
        "p": math.nan,
        "rbc": math.nan,
    }
    if a.size == 0 or b.size == 0:
        return out
    res = stats.mannwhitneyu(
        a, b, alternative="two-sided", use_continuity=True, method="asymptotic"
    )
    u = float(res.statistic)
    out.update(U=u, p=float(res.pvalue), rbc=2 * u / (a.size * b.size) - 1)
    return out


def department_table(groups: pd.Series, values: pd.DataFrame, min_n: int = 5) -> pd.DataFrame:
    """Per-group summary with small-cell suppression.

    Groups with fewer than ``min_n`` people are hidden; if the hidden people could be worked
    out by subtraction from the total (only one group hidden, or the hidden groups together
    under ``min_n``), the next smallest groups are hidden too. Hidden rows keep only
    ``masque = True``: no count, no figure.
    ``values`` holds per-person columns; their means are reported per group.
    """
    frame = values.copy()
    g = groups.astype(object)
    frame["_group"] = g.where(g.notna(), "(non renseigné)").astype(str).to_numpy()
    agg = frame.groupby("_group", sort=True).agg(["mean"])
    agg.columns = [c[0] for c in agg.columns]
    counts = frame.groupby("_group").size()
    agg.insert(0, "n", counts)
    agg = agg.sort_values("n", kind="stable")
    hidden = (agg["n"] < min_n).to_numpy().copy()
    order = list(range(len(agg)))
    if hidden.any():
        # Remainder rule: hide more groups until the hidden total is safe and not unique.
        while True:
            hidden_n = int(agg["n"].to_numpy()[hidden].sum())
            if (hidden.sum() >= 2 and hidden_n >= min_n) or hidden.all():
                break
            nxt = next(i for i in order if not hidden[i])
            hidden[nxt] = True
    agg["masque"] = hidden
    cols = [c for c in agg.columns if c != "masque"]
    agg[cols] = agg[cols].astype(float)
    agg.loc[agg["masque"], cols] = np.nan
    agg.index.name = "departement"
    return agg.reset_index()
