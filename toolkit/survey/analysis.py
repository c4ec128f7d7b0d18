"""From loaded exports to results: scores, levels, matching, statistics and the summary.

``analyse(pre, post, followup)`` takes :class:`~toolkit.survey.loaders.LoadedSurvey` objects
(or DataFrames already in that shape) and returns a :class:`SurveyAnalysis` holding tidy
DataFrames and the ``summary`` dictionary written to ``summary.json``.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from toolkit.errors import InputError
from toolkit.fr import pluriel
from toolkit.survey import stats
from toolkit.survey._format import french_spacing
from toolkit.survey._text import norm_code
from toolkit.survey.instrument import PHASE_FR, Instrument, load_instrument
from toolkit.survey.loaders import EXCLUSION_COLUMNS, LoadedSurvey, load_export, short_label

__all__ = [
    "DIMENSION_FIELDS",
    "SurveyAnalysis",
    "analyse",
    "analyse_files",
    "compute_levels",
    "deduplicate",
    "pseudonymise",
    "score_table",
]

MIN_GROUP = 5
#: The figures of each dimension that summary.json repeats from the dimensions table (all on
#: the same matched pairs).
DIMENSION_FIELDS = (
    "n",
    "median_pre",
    "median_post",
    "W",
    "p",
    "p_holm",
    "rbc",
    "alpha_pre",
    "alpha_post",
    "mean_pre",
    "mean_post",
    "rci_up",
    "rci_down",
)


# ---------------------------------------------------------------------------------------------
# Scores and levels
# ---------------------------------------------------------------------------------------------
def compute_levels(data: pd.DataFrame, instrument: Instrument) -> pd.Series:
    """Level 1-5 per row from the instrument's cumulative, conjunctive rules (vectorised)."""
    level = pd.Series(float(instrument.levels["default"]), index=data.index)
    reached = pd.Series(True, index=data.index)
    for rule in sorted(instrument.levels["rules"], key=lambda r: r["level"]):
        cond = pd.Series(True, index=data.index)
        for c in rule.get("all", []):
            col = data[c["item"]] if c["item"] in data else pd.Series(np.nan, index=data.index)
            if "min" in c:
                cond &= col >= c["min"]
            if "max" in c:
                cond &= col <= c["max"]
            if "equals" in c:
                cond &= col == c["equals"]
            if "in" in c:
                cond &= col.isin(c["in"])
        reached &= cond.fillna(False).astype(bool)
        level[reached] = float(rule["level"])
    return level


def score_table(data: pd.DataFrame, instrument: Instrument, phase: str) -> pd.DataFrame:
    """Per-response scores: level, each dimension (mean of items, reverse-coded), quiz."""
    out = pd.DataFrame(index=data.index)
    if "NIV" in data and phase in ("pre", "post"):
        out["level"] = compute_levels(data, instrument)
        out["level2"] = out["level"] >= 2
    for dim in instrument.dimensions:
        items = [it for it in instrument.dimension_items(dim, phase) if it.code in data]
        if not items:
            continue
        block = reverse_coded(data, items, instrument)
        answered = block.notna().sum(axis=1)
        # A score needs at least half of the items answered.
        out[dim] = block.mean(axis=1).where(answered >= math.ceil(len(items) / 2))
    quiz = [it.code for it in instrument.quiz_items() if it.code in data and phase in it.phases]
    if quiz:
        block = data[quiz].astype(float)
        out["QUIZ"] = block.fillna(0).sum(axis=1).where(block.notna().any(axis=1))
    return out


def reverse_coded(data: pd.DataFrame, items, instrument: Instrument) -> pd.DataFrame:
    block = data[[it.code for it in items]].astype(float)
    for it in items:
        if it.reverse:
            sc = instrument.scale_of(it)
            block[it.code] = sc.min + sc.max - block[it.code]
    return block


# ---------------------------------------------------------------------------------------------
# Duplicates and matching
# ---------------------------------------------------------------------------------------------
def deduplicate(data: pd.DataFrame, file: str, phase: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the latest answer per participant code; the others become exclusions."""
    if data.empty:
        return data, pd.DataFrame(columns=EXCLUSION_COLUMNS)
    t = data["_time"] if "_time" in data else pd.Series(pd.NaT, index=data.index)
    key = pd.DataFrame({"t": pd.to_datetime(t).fillna(pd.Timestamp.min), "row": data["_row"]})
    order = key.sort_values(["t", "row"], kind="stable").index
    ordered = data.loc[order]
    dup = ordered["CODE"].duplicated(keep="last")
    kept = ordered[~dup]
    kept_row = kept.set_index("CODE")["_row"]
    dropped = ordered[dup]
    excl = pd.DataFrame(
        {
            "file": file,
            "phase": phase,
            "row": dropped["_row"].to_numpy(),
            "column": "CODE",
            "reason": (
                "doublon : le même code a répondu à nouveau (ligne "
                + dropped["CODE"].map(kept_row).astype(str)
                + ", la réponse la plus récente, est gardée)"
            ).to_numpy(),
        }
    )
    kept = kept.sort_values("_row").set_index("CODE", drop=False)
    return kept, excl.sort_values("row").reset_index(drop=True)


def pseudonymise(codes, salt: str) -> np.ndarray:
    """Salted SHA-256 of each code, shortened: 'P-' + 10 hex digits."""
    salt_b = salt.encode("utf-8")
    return np.array(
        ["P-" + hashlib.sha256(salt_b + str(c).encode("utf-8")).hexdigest()[:10] for c in codes],
        dtype=object,
    )


# ---------------------------------------------------------------------------------------------
# Result object
# ---------------------------------------------------------------------------------------------
@dataclass
class SurveyAnalysis:
    """Everything the report shows: tidy tables, the summary dict, exclusions and notes."""

    instrument: Instrument
    summary: dict[str, Any]
    participants: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    exclusions: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    privacy: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    #: Problems the trainer must see before reading any figure (terminal and report summary).
    warnings: list[str] = field(default_factory=list)

    def headline(self) -> str:
        s = self.summary
        n = s["n_matched"]
        if not n:
            return "Aucun participant n'a pu être apparié entre les deux questionnaires."
        after = round(s["share_level2_post"] * n)
        before = round(s["share_level2_pre"] * n)
        return (
            f"{after} participants sur {n} sont maintenant au niveau 2 ou plus, contre {before} "
            "avant "
            f"la formation (test exact de McNemar : p {_fmt_p(s['mcnemar']['p_exact'])})."
        )

    def __str__(self) -> str:
        s = self.summary
        lines = [f"ATTENTION : {w}" for w in self.warnings]
        lines += [
            self.headline(),
            f"Réponses : {s['n_pre']} avant, {s['n_post']} après, {s['n_matched']} appariées ; "
            f"{len(s['unmatched_pre'])} sans réponse après, {len(s['unmatched_post'])} sans "
            "réponse avant ; "
            f"{pluriel(len(s['excluded']), 'ligne exclue', aucun='aucune ligne exclue')}.",
        ]
        for code, d in s["dimensions"].items():
            lines.append(
                f"  {self.instrument.dimensions[code]['name']['fr']} ({d['n']} paires) : médiane "
                f"{_num(d['median_pre'])} → "
                f"{_num(d['median_post'])} (r = {_num(d['rbc'], '+.2f')}, p Holm "
                f"{_fmt_p(d['p_holm'])})"
            )
        q = s.get("quiz") or {}
        if q.get("n"):
            lines.append(
                f"  Quiz : {_num(q['mean_pre'])} → {_num(q['mean_post'])} bonnes réponses sur "
                f"{q['max']} (t = {_num(q['t'])}, d_z = {_num(q['dz'])}, p {_fmt_p(q['p'])})"
            )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from html import escape

        dims = self.tables["dimensions"]
        warned = "".join(
            f"<p style='color:#b00020'><b>ATTENTION :</b> {escape(w)}</p>" for w in self.warnings
        )
        return (
            warned
            + f"<p><b>{escape(self.headline())}</b></p>"
            + dims.to_html(index=False, float_format=lambda v: f"{v:.3g}")
        )

    def write(self, out_dir: str | Path) -> dict[str, Path]:
        """Write report.html, summary.json, participants.csv and the other tables."""
        from toolkit.survey.report import write_report

        return write_report(self, out_dir)


def _num(v: Any, fmt: str = ".2f") -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "n.d."
    return format(v, fmt).replace(".", ",")


def _fmt_p(p: float) -> str:
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "n.d."
    return "< 0,001" if p < 0.001 else "= " + f"{p:.3f}".replace(".", ",")


def _clean(value: Any) -> Any:
    """JSON-friendly: numpy scalars to Python, NaN to None."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


# ---------------------------------------------------------------------------------------------
# The analysis
# ---------------------------------------------------------------------------------------------
def _as_loaded(obj, phase: str) -> LoadedSurvey:
    if isinstance(obj, LoadedSurvey):
        return obj
    data = obj.copy()
    if "CODE" in data:
        data["CODE"] = [norm_code(c) if isinstance(c, str) else "" for c in data["CODE"]]
    if "_row" not in data:
        data["_row"] = np.arange(2, len(data) + 2)
    if "_time" not in data:
        data["_time"] = pd.NaT
    return LoadedSurvey(
        path=f"{phase}.csv",
        phase=phase,
        kind="DataFrame",
        data=data,
        exclusions=pd.DataFrame(columns=EXCLUSION_COLUMNS),
        n_rows=len(data),
    )


def analyse(
    pre,
    post,
    followup=None,
    instrument: Instrument | None = None,
    *,
    salt: str | None = None,
    min_group: int = MIN_GROUP,
) -> SurveyAnalysis:
    """Match pre and post (and follow-up) answers by participant code and compute everything."""
    instrument = instrument or load_instrument()
    pre_l = _as_loaded(pre, "pre")
    post_l = _as_loaded(post, "post")
    fu_l = _as_loaded(followup, "followup") if followup is not None else None
    if not salt:
        from toolkit.config import settings

        configured = settings().survey_salt
        salt = configured.reveal() if configured else secrets.token_hex(16)
    notes: list[str] = []
    loads = [x for x in (pre_l, post_l, fu_l) if x is not None]
    _refuse_same_file(loads)
    _refuse_foreign_items(loads, instrument)
    warnings: list[str] = []
    for x in loads:
        notes += x.notes
        warnings += x.warnings
    excl_parts = [x.exclusions for x in loads if len(x.exclusions)]

    pre_d, ex = deduplicate(pre_l.data, Path(pre_l.path).name, "pre")
    excl_parts.append(ex)
    post_d, ex = deduplicate(post_l.data, Path(post_l.path).name, "post")
    excl_parts.append(ex)
    fu_d = None
    if fu_l is not None:
        fu_d, ex = deduplicate(fu_l.data, Path(fu_l.path).name, "followup")
        excl_parts.append(ex)
    excl_parts = [e for e in excl_parts if len(e)]
    exclusions = (
        pd.concat(excl_parts, ignore_index=True)
        if excl_parts
        else pd.DataFrame(columns=EXCLUSION_COLUMNS)
    )
    exclusions["row"] = exclusions["row"].astype(int)

    matched_codes = pre_d.index.intersection(post_d.index, sort=False)
    unmatched_pre_codes = pre_d.index.difference(post_d.index, sort=False)
    unmatched_post_codes = post_d.index.difference(pre_d.index, sort=False)

    pre_scores_all = score_table(pre_d, instrument, "pre")
    post_scores_all = score_table(post_d, instrument, "post")
    pre_s = pre_scores_all.loc[matched_codes]
    post_s = post_scores_all.loc[matched_codes]
    pre_m = pre_d.loc[matched_codes]
    post_m = post_d.loc[matched_codes]
    n = len(matched_codes)
    levels = instrument.level_values

    tables: dict[str, pd.DataFrame] = {}
    pseudo = pseudonymise(matched_codes, salt)

    # Levels and McNemar.
    lvl_pre = pre_s["level"].to_numpy()
    lvl_post = post_s["level"].to_numpy()
    tm = stats.transition_matrix(lvl_pre, lvl_post, levels)
    tables["transitions"] = tm.stack().rename("n").reset_index()
    dist = pd.DataFrame(
        {
            "niveau": levels,
            "nom": [instrument.level_name(v) for v in levels],
            "avant": [int((lvl_pre == v).sum()) for v in levels],
            "apres": [int((lvl_post == v).sum()) for v in levels],
        }
    )
    tables["levels"] = dist
    mc = stats.mcnemar_exact(lvl_pre >= 2, lvl_post >= 2)
    _refuse_identical_answers(pre_m, post_m, instrument, pre_l, post_l)

    # Dimensions.
    dim_rows = []
    rci_cols: dict[str, np.ndarray] = {}
    for dim in instrument.paired_dimensions():
        if dim not in pre_s or dim not in post_s:
            continue
        # Every figure of a dimension comes from the same people: the pairs with both scores.
        ok = (pre_s[dim].notna() & post_s[dim].notna()).to_numpy()
        x_pre, x_post = pre_s[dim][ok], post_s[dim][ok]
        w = stats.wilcoxon_paired(x_pre, x_post)
        if w["n"] == 0:
            notes.append(
                f"Dimension {dim} ({instrument.dimensions[dim]['name']['fr']}) : aucune paire de "
                "réponses complète, dimension omise."
            )
            continue
        a_pre = stats.cronbach_alpha(_items_block(pre_m, dim, instrument, "pre", ok))
        a_post = stats.cronbach_alpha(_items_block(post_m, dim, instrument, "post", ok))
        m_pre = stats.mean_ci(x_pre)
        m_post = stats.mean_ci(x_post)
        pt = stats.paired_t(x_pre, x_post)
        rci = np.full(n, np.nan)
        rci[ok] = stats.reliable_change(x_pre, x_post, a_pre[0])
        rci_cols[dim] = rci
        dim_rows.append(
            {
                "dimension": dim,
                "nom": instrument.dimensions[dim]["name"]["fr"],
                "plus_est_mieux": bool(instrument.dimensions[dim].get("higher_is_better", True)),
                "n": w["n"],
                "median_pre": w["median_pre"],
                "median_post": w["median_post"],
                "mean_pre": m_pre[0],
                "ci_pre_low": m_pre[1],
                "ci_pre_high": m_pre[2],
                "mean_post": m_post[0],
                "ci_post_low": m_post[1],
                "ci_post_high": m_post[2],
                "mean_diff": pt["mean_diff"],
                "ci_diff_low": pt["ci_low"],
                "ci_diff_high": pt["ci_high"],
                "W": w["W"],
                "p": w["p"],
                "rbc": w["rbc"],
                "alpha_pre": a_pre[0],
                "alpha_pre_low": a_pre[1],
                "alpha_pre_high": a_pre[2],
                "alpha_post": a_post[0],
                "alpha_post_low": a_post[1],
                "alpha_post_high": a_post[2],
                "rci_up": int(np.nansum(rci > 1.96)),
                "rci_down": int(np.nansum(rci < -1.96)),
            }
        )
    dims = pd.DataFrame(dim_rows)
    if len(dims):
        dims.insert(dims.columns.get_loc("p") + 1, "p_holm", stats.holm(dims["p"]))
        for rec in dims.to_dict("records"):
            for phase in ("pre", "post"):
                a = rec[f"alpha_{phase}"]
                if a is not None and not math.isnan(a) and a < LOW_ALPHA:
                    warnings.append(
                        french_spacing(
                            f"Dimension « {rec['nom']} » : α de Cronbach {_num(a)} "
                            f"({'avant' if phase == 'pre' else 'après'}, {rec['n']} paires), sous "
                            f"{_num(LOW_ALPHA, '.1f')} : ses questions ne mesurent pas la même "
                            "chose chez ces participants ; interprétez son score avec prudence."
                        )
                    )
    tables["dimensions"] = dims

    # Reliability of every scale (post-only scales included).
    rel_rows = []
    paired_rows = {
        dim: (pre_s[dim].notna() & post_s[dim].notna()).to_numpy()
        for dim in instrument.paired_dimensions()
        if dim in pre_s and dim in post_s
    }
    for dim in instrument.dimensions:
        for phase, frame in (("pre", pre_m), ("post", post_m)):
            block = _items_block(frame, dim, instrument, phase, paired_rows.get(dim))
            if block is None or block.shape[1] < 2:
                continue
            a = stats.cronbach_alpha(block)
            rel_rows.append(
                {
                    "dimension": dim,
                    "phase": phase,
                    "k": block.shape[1],
                    "n": len(block),
                    "alpha": a[0],
                    "ci_low": a[1],
                    "ci_high": a[2],
                }
            )
    tables["reliability"] = pd.DataFrame(rel_rows)

    # Quiz.
    quiz_summary: dict[str, Any] = {"n": 0}
    if "QUIZ" in pre_s and "QUIZ" in post_s:
        qt = stats.paired_t(pre_s["QUIZ"], post_s["QUIZ"])
        qw = stats.wilcoxon_paired(pre_s["QUIZ"], post_s["QUIZ"])
        quiz_summary = {
            "n": qt["n"],
            "max": len(instrument.quiz_items()),
            "mean_pre": qt["mean_pre"],
            "mean_post": qt["mean_post"],
            "mean_diff": qt["mean_diff"],
            "ci_low": qt["ci_low"],
            "ci_high": qt["ci_high"],
            "t": qt["t"],
            "dof": qt["dof"],
            "p": qt["p"],
            "dz": qt["dz"],
            "W": qw["W"],
            "p_wilcoxon": qw["p"],
            "rbc": qw["rbc"],
        }
        per_item = []
        both = (pre_s["QUIZ"].notna() & post_s["QUIZ"].notna()).to_numpy()
        for it in instrument.quiz_items():
            if it.code in pre_m and it.code in post_m:
                per_item.append(
                    {
                        "question": it.code,
                        "texte": it.text["fr"],
                        "n": int(both.sum()),
                        # Unanswered = wrong, as in the quiz score itself.
                        "juste_avant": float(pre_m[it.code][both].fillna(0).mean()),
                        "juste_apres": float(post_m[it.code][both].fillna(0).mean()),
                    }
                )
        tables["quiz_items"] = pd.DataFrame(per_item)
    tables["quiz"] = pd.DataFrame([quiz_summary])

    # Participants (pseudonymised).
    part = pd.DataFrame({"participant": pseudo})
    part["niveau_avant"] = lvl_pre.astype(int) if n else []
    part["niveau_apres"] = lvl_post.astype(int) if n else []
    for dim in instrument.dimensions:
        if dim in pre_s:
            part[f"{dim}_avant"] = pre_s[dim].to_numpy()
        if dim in post_s:
            part[f"{dim}_apres"] = post_s[dim].to_numpy()
        if dim in rci_cols:
            part[f"{dim}_rci"] = rci_cols[dim]
    if "QUIZ" in pre_s:
        part["quiz_avant"] = pre_s["QUIZ"].to_numpy()
    if "QUIZ" in post_s:
        part["quiz_apres"] = post_s["QUIZ"].to_numpy()
    if "NIVAVANT" in post_m:
        part["niveau_retrospectif"] = post_m["NIVAVANT"].to_numpy()
    part = part.sort_values("participant", kind="stable").reset_index(drop=True)

    # Completers (answered after) against non-completers, on pre scores.
    comp_rows = []
    completer = pre_scores_all.index.isin(matched_codes)
    for col in [
        c for c in ("level", *instrument.paired_dimensions(), "QUIZ") if c in pre_scores_all
    ]:
        g = stats.group_comparison(
            pre_scores_all.loc[completer, col], pre_scores_all.loc[~completer, col]
        )
        comp_rows.append({"variable": col, **g})
    tables["attrition"] = pd.DataFrame(comp_rows).rename(
        columns={
            "n_a": "n_complets",
            "n_b": "n_abandons",
            "median_a": "median_complets",
            "median_b": "median_abandons",
            "mean_a": "mean_complets",
            "mean_b": "mean_abandons",
        }
    )

    # Retrospective pre-test (then-test) as a sensitivity check, on self-placement.
    retro_rows = []
    if "NIVAVANT" in post_m and n:
        niv_pre, niv_post, niv_then = pre_m["NIV"], post_m["NIV"], post_m["NIVAVANT"]
        for label, before, after in (
            ("pré-test réel → après", niv_pre, niv_post),
            ("pré-test rétrospectif → après", niv_then, niv_post),
            ("pré-test réel → rétrospectif", niv_pre, niv_then),
        ):
            w = stats.wilcoxon_paired(before, after)
            ok = before.notna() & after.notna()
            retro_rows.append(
                {
                    "comparaison": label,
                    "n": w["n"],
                    "moyenne_avant": float(before[ok].mean()),
                    "moyenne_apres": float(after[ok].mean()),
                    "part_niv2_avant": float((before[ok] >= 2).mean()),
                    "part_niv2_apres": float((after[ok] >= 2).mean()),
                    "W": w["W"],
                    "p": w["p"],
                    "rbc": w["rbc"],
                }
            )
    tables["retrospective"] = pd.DataFrame(retro_rows)

    # Departments (matched participants), with small-cell suppression.
    dept_values = pd.DataFrame(
        {
            "niveau2_avant": (lvl_pre >= 2).astype(float),
            "niveau2_apres": (lvl_post >= 2).astype(float),
            "niveau_moyen_avant": lvl_pre,
            "niveau_moyen_apres": lvl_post,
        }
    )
    dept_col = (
        post_m["DEPT"].where(post_m["DEPT"].notna(), pre_m["DEPT"])
        if "DEPT" in post_m
        else pd.Series(None, index=post_m.index)
    )
    tables["departments"] = stats.department_table(
        dept_col.reset_index(drop=True), dept_values, min_group
    )

    # Follow-up at J+30.
    fu_summary: dict[str, Any] = {}
    if fu_d is not None:
        fu_summary = _followup(fu_d, post_d, matched_codes, tables)

    # Exclusions and summary.
    unmatched_pre = _unmatched(pre_d, unmatched_pre_codes, salt, Path(pre_l.path).name)
    unmatched_post = _unmatched(post_d, unmatched_post_codes, salt, Path(post_l.path).name)
    tables["unmatched"] = pd.DataFrame(
        unmatched_pre + unmatched_post, columns=["file", "row", "participant"]
    )
    tables["exclusions"] = exclusions
    summary = {
        "warnings": warnings,
        "instrument_version": instrument.version,
        "n_pre": len(pre_d),
        "n_post": len(post_d),
        "n_followup": len(fu_d) if fu_d is not None else None,
        "n_matched": n,
        "rows_read": {x.phase: x.n_rows for x in loads},
        "unmatched_pre": unmatched_pre,
        "unmatched_post": unmatched_post,
        "excluded": exclusions[["file", "row", "reason", "column", "phase"]].to_dict("records"),
        "level_pre": {str(v): int(c) for v, c in zip(levels, dist["avant"], strict=True)},
        "level_post": {str(v): int(c) for v, c in zip(levels, dist["apres"], strict=True)},
        "share_level2_pre": mc["share_pre"],
        "share_level2_post": mc["share_post"],
        "mcnemar": {
            "b": mc["b"],
            "c": mc["c"],
            "a": mc["a"],
            "d": mc["d"],
            "p_exact": mc["p_exact"],
            "note": "b = passés au niveau 2 ou plus, c = redescendus sous le niveau 2",
        },
        "dimensions": {
            r["dimension"]: {k: r[k] for k in DIMENSION_FIELDS} for r in dims.to_dict("records")
        },
        "quiz": quiz_summary,
        "followup": fu_summary,
        "departments_hidden": int(tables["departments"]["masque"].sum()),
        "min_group": min_group,
        "methods": {
            "wilcoxon": "scipy.stats.wilcoxon(post, pre, method='asymptotic', correction=True, "
            "zero_method='wilcox')",
            "effect_size": "rank-biserial r = (R+ - R-)/(R+ + R-), positif = hausse",
            "multiple_comparisons": "Holm sur les dimensions "
            "(statsmodels multipletests, method='holm')",
            "mcnemar": "test binomial exact sur b et c (statsmodels mcnemar, exact=True)",
            "same_sample": "toutes les valeurs d'une dimension portent sur les mêmes paires",
            "alpha": "Cronbach, IC de Feldt à 95 %",
            "rci": "Jacobson & Truax, SE = s_pre * sqrt(1 - alpha_pre)",
        },
        "pseudonymisation": "SHA-256 salé des codes participants (sel non enregistré)",
    }
    privacy = []
    for x in loads:
        if x.personal_columns:
            privacy.append(
                f"{Path(x.path).name} : colonnes supprimées à la lecture : "
                f"{', '.join(x.personal_columns)}"
            )
    summary["dropped_personal_columns"] = {Path(x.path).name: x.personal_columns for x in loads}
    summary = _clean(summary)
    return SurveyAnalysis(
        instrument=instrument,
        summary=summary,
        participants=part,
        tables=tables,
        exclusions=exclusions,
        notes=notes,
        privacy=privacy,
        files={x.phase: Path(x.path).name for x in loads},
        warnings=warnings,
    )


def _error(message: str, fix: str) -> InputError:
    """An InputError with French spacing (no-break spaces before « : ; ? » and inside « »)."""
    return InputError(french_spacing(message), french_spacing(fix))


LOW_ALPHA = 0.6


def _refuse_same_file(loads: list[LoadedSurvey]) -> None:
    """The same export given for two phases would show "no change" as a finding."""
    for i, a in enumerate(loads):
        for b in loads[i + 1 :]:
            same_path = Path(a.path).resolve() == Path(b.path).resolve()
            if same_path or (a.digest and a.digest == b.digest):
                raise _error(
                    f"Le même fichier est donné pour « {PHASE_FR[a.phase]} » "
                    f"({Path(a.path).name}) et pour « {PHASE_FR[b.phase]} » "
                    f"({Path(b.path).name}) : contenu identique, octet pour octet.",
                    "Donnez l'export du questionnaire d'avant puis celui d'après la formation "
                    "(deux enquêtes distinctes dans l'outil d'enquête).",
                )


def _refuse_foreign_items(loads: list[LoadedSurvey], instrument: Instrument) -> None:
    """Refuse a file holding answers to questions of another phase (swapped or wrong file)."""
    by_phase = {x.phase: x for x in loads}
    for x in loads:
        if not x.foreign_items:
            continue
        listing = ", ".join(
            f"{code} (colonne « {short_label(header)} », ligne {row})"
            for code, (header, row) in list(x.foreign_items.items())[:4]
        )
        phases = sorted(
            {p for code in x.foreign_items for p in instrument.item(code).phases},
            key=list(PHASE_FR).index,
        )
        other = next((by_phase[p] for p in phases if p in by_phase), None)
        # Swapped files: the file of the other phase lacks the very questions found here.
        swapped = other is not None and not set(x.foreign_items) & set(other.columns.values())
        fix = (
            f"Les fichiers semblent inversés : {Path(other.path).name} a les questions de "
            f"« {PHASE_FR[x.phase]} ». Donnez les fichiers dans l'ordre : "
            "atelier survey analyse AVANT APRES [--followup SUIVI]."
            if swapped and other is not None
            else f"Vérifiez que {Path(x.path).name} est bien l'export du questionnaire "
            f"« {PHASE_FR[x.phase]} » (l'ordre attendu est : AVANT APRES [--followup SUIVI])."
        )
        raise _error(
            f"Le fichier {Path(x.path).name}, donné comme « {PHASE_FR[x.phase]} », contient des "
            "réponses à des questions qui ne sont posées qu'en "
            f"« {' / '.join(PHASE_FR[p] for p in phases)} » : {listing}.",
            fix,
        )


def _refuse_identical_answers(pre_m, post_m, instrument, pre_l, post_l) -> None:
    """Refuse pairs whose answers are all identical: the same responses exported twice."""
    shared = [
        it.code
        for it in instrument.items
        if "pre" in it.phases
        and "post" in it.phases
        and it.type in ("scale", "quiz", "number")
        and it.code in pre_m
        and it.code in post_m
    ]
    if len(pre_m) < 3 or not shared:
        return
    a = pre_m[shared].astype(float).to_numpy()
    b = post_m[shared].astype(float).to_numpy()
    same = ((a == b) | (np.isnan(a) & np.isnan(b))).all(axis=1)
    if same.all():
        raise _error(
            f"Les {len(pre_m)} personnes présentes dans {Path(pre_l.path).name} et "
            f"{Path(post_l.path).name} ont donné exactement les mêmes réponses avant et après, "
            f"sur les {len(shared)} questions communes : c'est sans doute deux fois le même "
            "questionnaire (exporté sous deux formats ou deux noms).",
            "Vérifiez que le second fichier est bien l'export du questionnaire d'après la "
            "formation.",
        )


def _items_block(frame: pd.DataFrame, dim: str, instrument: Instrument, phase: str, rows=None):
    """The dimension's item answers (reverse-coded), on ``rows`` (a mask) if given."""
    items = [it for it in instrument.dimension_items(dim, phase) if it.code in frame]
    if not items:
        return None
    # Columns first, then rows: copying the whole frame per dimension is slow at 10,000.
    block = reverse_coded(frame[[it.code for it in items]], items, instrument)
    if rows is not None:
        block = block[rows]
    return block.dropna(how="all")


def _unmatched(frame: pd.DataFrame, codes, salt: str, file: str) -> list[dict[str, Any]]:
    if len(codes) == 0:
        return []
    rows = frame.loc[codes, "_row"].to_numpy()
    pseudo = pseudonymise(codes, salt)
    return [
        {"file": file, "row": int(r), "participant": p} for r, p in zip(rows, pseudo, strict=True)
    ]


def _followup(fu_d: pd.DataFrame, post_d: pd.DataFrame, matched_codes, tables) -> dict[str, Any]:
    in_post = fu_d.index.isin(post_d.index)
    minutes = fu_d["SUIVI2"] if "SUIVI2" in fu_d else pd.Series(dtype=float)
    m, lo, hi, k = stats.mean_ci(minutes)
    usage_col = "SUIVI1" if "SUIVI1" in fu_d else ("C1" if "C1" in fu_d else None)
    weekly = float((fu_d[usage_col] >= 2).mean()) if usage_col else math.nan
    summary = {
        "n": len(fu_d),
        "n_linked_post": int(in_post.sum()),
        "n_linked_matched": int(fu_d.index.isin(matched_codes).sum()),
        "minutes_n": k,
        "minutes_mean": m,
        "minutes_ci_low": lo,
        "minutes_ci_high": hi,
        "minutes_median": float(minutes.median()) if k else math.nan,
        "minutes_q1": float(minutes.quantile(0.25)) if k else math.nan,
        "minutes_q3": float(minutes.quantile(0.75)) if k else math.nan,
        "hours_per_week_total": float(minutes.sum() / 60) if k else math.nan,
        "share_weekly_use": weekly,
    }
    if usage_col:
        counts = fu_d[usage_col].value_counts().reindex(range(0, 5), fill_value=0)
        tables["followup_usage"] = pd.DataFrame({"frequence": counts.index, "n": counts.to_numpy()})
    # Behaviour at J+30 against just after the training, for people who answered both.
    linked = fu_d.index[in_post]
    rows = []
    for code in ("C1", "C2", "C3", "C4", "C5", "C6"):
        if code in fu_d and code in post_d and len(linked):
            rows.append(
                {
                    "question": code,
                    "n": len(linked),
                    "moyenne_apres": float(post_d.loc[linked, code].mean()),
                    "moyenne_j30": float(fu_d.loc[linked, code].mean()),
                }
            )
    tables["followup_behaviours"] = pd.DataFrame(rows)
    tables["followup_minutes"] = pd.DataFrame(
        [{k: v for k, v in summary.items() if k.startswith("minutes") or k.startswith("hours")}]
    )
    return summary


def analyse_files(
    pre_path: str | Path,
    post_path: str | Path,
    followup_path: str | Path | None = None,
    *,
    instrument: Instrument | None = None,
    likert: dict[str, Any] | None = None,
    column_map: dict[str, str] | None = None,
    sheet: str | None = None,
    salt: str | None = None,
    min_group: int = MIN_GROUP,
) -> SurveyAnalysis:
    """Load the exports (any supported tool) and analyse them."""
    instrument = instrument or load_instrument()
    kw: dict[str, Any] = {"likert": likert, "column_map": column_map, "sheet": sheet}
    pre = load_export(pre_path, "pre", instrument, **kw)
    post = load_export(post_path, "post", instrument, **kw)
    fu = load_export(followup_path, "followup", instrument, **kw) if followup_path else None
    return analyse(pre, post, fu, instrument, salt=salt, min_group=min_group)
