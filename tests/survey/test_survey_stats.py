"""Every statistic checked against scipy, pingouin or statsmodels on the same data.

Reference values come from survey-methods.md §6 (pingouin 0.7.0 docstrings, re-run).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats as ss
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar
from statsmodels.stats.multitest import multipletests

from toolkit.survey import stats
from toolkit.survey.analysis import analyse_files
from toolkit.survey.sample import sample_paths

X = [20, 22, 19, 20, 22, 18, 24, 20, 19, 24, 26, 13]
Y = [38, 37, 33, 29, 14, 12, 20, 22, 17, 25, 26, 16]


@pytest.fixture(scope="module")
def sample():
    p = sample_paths()
    return analyse_files(p["pre"], p["post"], p["followup"], salt="test")


# ---- reference table (survey-methods.md §6) -----------------------------------------------
def test_cronbach_reference_values():
    data = pg.read_dataset("cronbach_wide_missing")
    a, lo, hi = stats.cronbach_alpha(data)
    assert a == pytest.approx(0.732660835214447, abs=1e-12)
    assert (round(lo, 3), round(hi, 3)) == (0.435, 0.909)
    a, lo, hi = stats.cronbach_alpha(data, nan_policy="listwise")
    assert a == pytest.approx(0.8016949152542373, abs=1e-12)
    assert (round(lo, 3), round(hi, 3)) == (0.581, 0.933)
    a, lo, hi = stats.cronbach_alpha(data.fillna(data.median()))
    assert a == pytest.approx(0.7380191693290734, abs=1e-12)
    assert (round(lo, 3), round(hi, 3)) == (0.447, 0.911)
    long = pg.read_dataset("cronbach_alpha")
    wide = long.pivot(index="Subj", columns="Items", values="Scores")
    a, lo, hi = stats.cronbach_alpha(wide)
    assert a == pytest.approx(0.5917188485995826, abs=1e-12)
    assert (round(lo, 3), round(hi, 3)) == (0.195, 0.84)


def test_wilcoxon_reference_values():
    # x = "pre", y = "post" in the reference; our function takes (pre, post) and tests post - pre.
    res = stats.wilcoxon_paired(pre=Y, post=X)
    assert res["W"] == 20.5
    assert res["p"] == pytest.approx(0.2857652190231508, abs=1e-12)  # asymptotic + correction
    assert res["rbc"] == pytest.approx(-0.378788, abs=1e-6)
    ref = pg.wilcoxon(X, Y)
    assert ref["W_val"].iloc[0] == 20.5
    assert ref["p_val"].iloc[0] == pytest.approx(0.288086, abs=1e-6)  # pingouin's exact-ish p
    assert res["rbc"] == pytest.approx(ref["RBC"].iloc[0], abs=1e-12)
    assert ss.wilcoxon(X, Y, method="asymptotic").pvalue == pytest.approx(
        0.2661660677806492, abs=1e-12
    )


def test_paired_t_reference_values():
    pre = [5.5, 2.4, 6.8, 9.6, 4.2]
    post = [6.4, 3.4, 6.4, 11.0, 4.8]
    res = stats.paired_t(pre=post, post=pre)  # the reference computes pre - post
    ref = pg.ttest(pre, post, paired=True)
    assert res["t"] == pytest.approx(-2.3078, abs=1e-4)
    assert res["t"] == pytest.approx(ref["T"].iloc[0], abs=1e-12)
    assert res["p"] == pytest.approx(ref["p_val"].iloc[0], abs=1e-12)
    assert res["dof"] == 4
    assert [round(res["ci_low"], 2), round(res["ci_high"], 2)] == [-1.54, 0.14]
    assert list(ref["CI95"].iloc[0]) == [-1.54, 0.14]
    # d_z is not pingouin's cohen_d (d_av): check both so nobody swaps them.
    assert ref["cohen_d"].iloc[0] == pytest.approx(0.2508, abs=1e-4)
    assert abs(res["dz"]) == pytest.approx(abs(res["t"]) / np.sqrt(5), abs=1e-12)
    with_nan = stats.paired_t(pre=[6.4, 3.4, 6.4, 11.0, 4.8], post=[5.5, 2.4, np.nan, 9.6, 4.2])
    assert with_nan["t"] == pytest.approx(-5.902, abs=1e-3) and with_nan["n"] == 4


def test_dz_reference_value():
    x = [1, 2, 3, 4, 5, 6, 7]
    y = [1, 3, 5, 7, 9, 11, 13]
    res = stats.paired_t(pre=y, post=x)
    assert res["dz"] == pytest.approx(-1.3887301496588271, abs=1e-12)
    assert res["dz"] == pytest.approx(
        pg.compute_effsize(x, y, paired=True, eftype="cohen_dz"), abs=1e-12
    )


def test_mcnemar_reference_values():
    data = pg.read_dataset("chi2_mcnemar")
    _, ref = pg.chi2_mcnemar(data, "treatment_X", "treatment_Y")
    res = stats.mcnemar_exact(data["treatment_X"].astype(bool), data["treatment_Y"].astype(bool))
    assert [[res["a"], res["b"]], [res["c"], res["d"]]] == [[20, 40], [8, 12]]
    assert res["chi2"] == pytest.approx(20.020833, abs=1e-6)
    assert res["p_exact"] == pytest.approx(ref["p_exact"].iloc[0], rel=1e-9)
    sm = sm_mcnemar(np.array([[20, 40], [8, 12]]), exact=True)
    assert res["p_exact"] == pytest.approx(sm.pvalue, rel=1e-12)


def test_holm_matches_statsmodels_and_pingouin():
    p = [0.50, 0.003, 0.32, 0.054, 0.0003]
    ours = stats.holm(p)
    np.testing.assert_allclose(ours, multipletests(p, method="holm")[1], rtol=1e-12)
    np.testing.assert_allclose(ours, pg.multicomp(p, method="holm")[1], rtol=1e-12)
    with_nan = stats.holm([0.01, np.nan, 0.04])
    assert np.isnan(with_nan[1]) and with_nan[0] == pytest.approx(0.02)


# ---- the same checks on the sample data ------------------------------------------------------
def _paired(sample, dim):
    part = sample.participants
    return part[f"{dim}_avant"].to_numpy(), part[f"{dim}_apres"].to_numpy()


def test_dimension_wilcoxon_against_scipy_and_pingouin(sample):
    dims = sample.tables["dimensions"].set_index("dimension")
    for dim, row in dims.iterrows():
        pre, post = _paired(sample, dim)
        sc = ss.wilcoxon(post, pre, method="asymptotic", correction=True, zero_method="wilcox")
        assert row["W"] == pytest.approx(sc.statistic)
        assert row["p"] == pytest.approx(sc.pvalue, rel=1e-12)
        pgw = pg.wilcoxon(post, pre)
        assert row["rbc"] == pytest.approx(pgw["RBC"].iloc[0], abs=1e-12)
        assert row["median_pre"] == pytest.approx(np.median(pre))
    np.testing.assert_allclose(
        dims["p_holm"], multipletests(dims["p"], method="holm")[1], rtol=1e-12
    )
    # Summary mirrors the table.
    for dim in dims.index:
        assert sample.summary["dimensions"][dim]["p_holm"] == pytest.approx(dims.loc[dim, "p_holm"])


def test_dimension_alpha_against_pingouin(sample):
    # Rebuild the item block of one dimension from the loaded files and compare.
    from toolkit.survey.analysis import _items_block, deduplicate
    from toolkit.survey.loaders import load_export

    p = sample_paths()
    pre = load_export(p["pre"], "pre", sample.instrument)
    post = load_export(p["post"], "post", sample.instrument)
    pre_d, _ = deduplicate(pre.data, "a", "pre")
    post_d, _ = deduplicate(post.data, "b", "post")
    codes = pre_d.index.intersection(post_d.index, sort=False)
    dims = sample.tables["dimensions"].set_index("dimension")
    for dim in dims.index:
        block = _items_block(pre_d.loc[codes], dim, sample.instrument, "pre")
        ref_a, ref_ci = pg.cronbach_alpha(block)
        assert dims.loc[dim, "alpha_pre"] == pytest.approx(ref_a, abs=1e-12)
        assert round(dims.loc[dim, "alpha_pre_low"], 3) == pytest.approx(ref_ci[0])
        assert round(dims.loc[dim, "alpha_pre_high"], 3) == pytest.approx(ref_ci[1])
    # CONF3 is reverse-coded: without reversing, alpha collapses.
    block = pre_d.loc[codes, ["CONF1", "CONF2", "CONF3"]].astype(float)
    assert pg.cronbach_alpha(block)[0] < dims.loc["CONF", "alpha_pre"] - 0.3


def test_quiz_against_scipy_and_pingouin(sample):
    q = sample.summary["quiz"]
    pre, post = sample.participants["quiz_avant"], sample.participants["quiz_apres"]
    sc = ss.ttest_rel(post, pre)
    assert q["t"] == pytest.approx(sc.statistic, rel=1e-12)
    assert q["p"] == pytest.approx(sc.pvalue, rel=1e-12)
    assert q["dz"] == pytest.approx(
        pg.compute_effsize(post, pre, paired=True, eftype="cohen_dz"), rel=1e-12
    )
    ref = pg.ttest(post, pre, paired=True)
    assert q["t"] == pytest.approx(ref["T"].iloc[0], rel=1e-12)
    lo, hi = ref["CI95"].iloc[0]
    assert (round(q["ci_low"], 2), round(q["ci_high"], 2)) == (lo, hi)
    w = ss.wilcoxon(post, pre, method="asymptotic", correction=True)
    assert q["p_wilcoxon"] == pytest.approx(w.pvalue, rel=1e-12)


def test_mcnemar_on_sample_against_statsmodels(sample):
    part = sample.participants
    before, after = part["niveau_avant"] >= 2, part["niveau_apres"] >= 2
    table = pd.crosstab(before, after).reindex(
        index=[False, True], columns=[False, True], fill_value=0
    )
    sm = sm_mcnemar(table.to_numpy(), exact=True)
    mc = sample.summary["mcnemar"]
    assert (mc["b"], mc["c"]) == (int(table.loc[False, True]), int(table.loc[True, False]))
    assert mc["p_exact"] == pytest.approx(sm.pvalue, rel=1e-12)
    assert sample.summary["share_level2_pre"] == pytest.approx(before.mean())
    assert sample.summary["share_level2_post"] == pytest.approx(after.mean())
    _, pgres = pg.chi2_mcnemar(
        pd.DataFrame({"x": before.astype(int), "y": after.astype(int)}), "x", "y"
    )
    assert mc["p_exact"] == pytest.approx(pgres["p_exact"].iloc[0], rel=1e-9)


def test_transition_matrix_sums(sample):
    tr = sample.tables["transitions"]
    n = sample.summary["n_matched"]
    assert tr["n"].sum() == n
    by_pre = tr.groupby("niveau_avant")["n"].sum()
    assert by_pre.to_dict() == {int(k): v for k, v in sample.summary["level_pre"].items()}
    by_post = tr.groupby("niveau_apres")["n"].sum()
    assert by_post.to_dict() == {int(k): v for k, v in sample.summary["level_post"].items()}


def test_rci_formula(sample):
    dims = sample.tables["dimensions"].set_index("dimension")
    pre, post = _paired(sample, "TU")
    se = np.std(pre, ddof=1) * np.sqrt(1 - dims.loc["TU", "alpha_pre"])
    expected = (post - pre) / (np.sqrt(2) * se)
    np.testing.assert_allclose(sample.participants["TU_rci"], expected, rtol=1e-12)
    assert dims.loc["TU", "rci_up"] == int((expected > 1.96).sum())


def test_attrition_against_pingouin_mwu(sample):
    att = sample.tables["attrition"].set_index("variable")
    # Rebuild the groups from the participants table and the unmatched rows.
    from toolkit.survey.analysis import deduplicate, score_table
    from toolkit.survey.loaders import load_export

    p = sample_paths()
    pre_d, _ = deduplicate(load_export(p["pre"], "pre").data, "a", "pre")
    post_d, _ = deduplicate(load_export(p["post"], "post").data, "b", "post")
    scores = score_table(pre_d, sample.instrument, "pre")
    done = scores.index.isin(post_d.index)
    for var in ("TU", "QUIZ"):
        ref = pg.mwu(scores.loc[done, var], scores.loc[~done, var], alternative="two-sided")
        sc = ss.mannwhitneyu(scores.loc[done, var], scores.loc[~done, var], method="asymptotic")
        assert att.loc[var, "U"] == pytest.approx(ref["U_val"].iloc[0])
        assert att.loc[var, "p"] == pytest.approx(sc.pvalue, rel=1e-12)
        assert abs(att.loc[var, "rbc"]) == pytest.approx(abs(ref["RBC"].iloc[0]), abs=1e-12)


def test_department_suppression_rules():
    groups = pd.Series(["A"] * 3 + ["B"] * 6 + ["C"] * 10 + ["D"] * 12)
    values = pd.DataFrame({"x": np.arange(31, dtype=float)})
    t = stats.department_table(groups, values, 5).set_index("departement")
    # A < 5 is hidden; hiding only A would let anyone subtract it from the total: B goes too.
    assert t.loc["A", "masque"] and t.loc["B", "masque"]
    assert not t.loc["C", "masque"] and not t.loc["D", "masque"]
    assert t.loc[["A", "B"], ["n", "x"]].isna().all().all()
    assert t.loc["C", "n"] == 10
    # Two small groups that together are still < 5: the next one is hidden as well.
    g2 = pd.Series(["A"] * 1 + ["B"] * 2 + ["C"] * 7 + ["D"] * 9)
    t2 = stats.department_table(g2, pd.DataFrame({"x": np.zeros(19)}), 5).set_index("departement")
    assert t2["masque"].to_dict() == {"A": True, "B": True, "C": True, "D": False}
    # Nothing to hide.
    g3 = pd.Series(["A"] * 5 + ["B"] * 6)
    assert not stats.department_table(g3, pd.DataFrame({"x": np.zeros(11)}), 5)["masque"].any()


def test_sample_departments_never_show_small_groups(sample):
    dep = sample.tables["departments"]
    assert not (dep.loc[~dep["masque"], "n"] < 5).any()
    assert dep["masque"].sum() >= 2  # JUR (4 people) and the next smallest
    assert dep.loc[dep["masque"], "n"].isna().all()


def test_mean_ci_matches_scipy():
    v = np.array([3.0, 4.5, 2.0, 5.5, 4.0, np.nan])
    m, lo, hi, n = stats.mean_ci(v)
    ref = ss.t.interval(0.95, 4, loc=np.nanmean(v), scale=ss.sem(v[~np.isnan(v)]))
    assert (lo, hi) == pytest.approx(ref) and n == 5 and m == pytest.approx(3.8)


def test_degenerate_inputs_do_not_crash():
    assert stats.wilcoxon_paired([1, 2, 3], [1, 2, 3])["p"] == 1.0
    assert np.isnan(stats.wilcoxon_paired([], [])["p"])
    assert np.isnan(stats.paired_t([1], [2])["t"])
    assert np.isnan(
        stats.cronbach_alpha(pd.DataFrame({"a": [1.0, 1.0, 1.0], "b": [2.0, 2.0, 2.0]}))[0]
    )
    assert stats.mcnemar_exact([True, False], [True, False])["p_exact"] == 1.0
