"""Write the survey results: a self-contained French HTML page, summary.json and CSV tables.

The page has no external resource: charts are matplotlib PNGs embedded in base64, styles are
inline. It opens with a plain-language summary for managers, then the details and methods.
"""

from __future__ import annotations

import base64
import io
import json
import math
from html import escape
from pathlib import Path
from typing import Any

from toolkit.errors import InputError
from toolkit.fr import NARROW_SPACE, nombre, pourcentage, typographie
from toolkit.survey.instrument import PHASE_FR

__all__ = ["render_html", "write_report"]

FREQ_FR = ["Jamais", "< 1 fois/sem.", "1 fois/sem.", "Plusieurs fois/sem.", "Tous les jours"]

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:980px;
margin:2em auto;padding:0 1em;color:#1d2430;line-height:1.5}
h1{font-size:1.7em;margin-bottom:.2em}
h2{border-bottom:2px solid #d9e2ef;padding-bottom:.2em;margin-top:2em}
.summary{background:#f1f6fd;border-left:5px solid #2f6fd0;padding:.8em 1.2em;border-radius:4px}
.summary li{margin:.35em 0}.big{font-size:1.25em;font-weight:600}
table{border-collapse:collapse;margin:.8em 0;font-size:.92em}
th,td{border:1px solid #d9e2ef;padding:.3em .6em;text-align:right}
th{background:#f4f6fa}td:first-child,th:first-child{text-align:left}
.muted{color:#5b6575;font-size:.9em}
img{max-width:100%}
"""


# ---------------------------------------------------------------------------------------------
# Formatting helpers: Babel formats of the course's locale (toolkit.fr, ATELIER_LOCALE)
# ---------------------------------------------------------------------------------------------
def fr(value: Any, digits: int = 2) -> str:
    if value is None:
        return "–"
    try:
        v = float(value)
    except (TypeError, ValueError):
        return escape(str(value))
    return nombre(v, digits, vide="–")


def fr_p(p: Any) -> str:
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "–"
    return f"&lt;{NARROW_SPACE}{nombre(0.001, 3)}" if p < 0.001 else f"={NARROW_SPACE}{fr(p, 3)}"


def pct(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return pourcentage(float(value), 0)


def _table(df, columns: dict[str, str], formats: dict[str, Any] | None = None) -> str:
    formats = formats or {}
    head = "".join(f"<th>{escape(label)}</th>" for label in columns.values())
    body = []
    for rec in df.to_dict("records"):
        cells = []
        for col in columns:
            v = rec.get(col)
            f = formats.get(col)
            cells.append(f"<td>{f(v) if f else escape(str(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


# ---------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------
def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<img alt="graphique" src="data:image/png;base64,{data}">'


def _charts(analysis) -> dict[str, str]:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    import numpy as np

    charts: dict[str, str] = {}
    inst = analysis.instrument
    blue, orange = "#9bb7e0", "#2f6fd0"

    lv = analysis.tables["levels"]
    fig, ax = plt.subplots(figsize=(7, 3.2))
    x = np.arange(len(lv))
    ax.bar(x - 0.2, lv["avant"], 0.4, label="Avant", color=blue)
    ax.bar(x + 0.2, lv["apres"], 0.4, label="Après", color=orange)
    ax.set_xticks(
        x, [f"{n}\n{nm}" for n, nm in zip(lv["niveau"], lv["nom"], strict=True)], fontsize=8
    )
    ax.set_ylabel("Participants")
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    charts["levels"] = _png(fig)

    tm = analysis.tables["transitions"].pivot(
        index="niveau_avant", columns="niveau_apres", values="n"
    )
    fig, ax = plt.subplots(figsize=(4.6, 3.8))
    im = ax.imshow(tm.to_numpy(), cmap="Blues")
    top = max(int(tm.to_numpy().max()), 1)
    for (i, j), v in np.ndenumerate(tm.to_numpy()):
        ax.text(
            j, i, str(int(v)), ha="center", va="center", color="white" if v > top / 2 else "#1d2430"
        )
    ax.set_xticks(range(len(tm.columns)), tm.columns)
    ax.set_yticks(range(len(tm.index)), tm.index)
    ax.set_xlabel("Niveau après")
    ax.set_ylabel("Niveau avant")
    fig.colorbar(im, ax=ax, shrink=0.8)
    charts["transitions"] = _png(fig)

    dims = analysis.tables["dimensions"]
    if len(dims):
        fig, ax = plt.subplots(figsize=(7, 0.6 + 0.55 * len(dims)))
        y = np.arange(len(dims))[::-1]
        for offset, prefix, color, label in (
            (0.12, "pre", blue, "Avant"),
            (-0.12, "post", orange, "Après"),
        ):
            mean = dims[f"mean_{prefix}"].to_numpy()
            err = np.vstack(
                [
                    mean - dims[f"ci_{prefix}_low"].to_numpy(),
                    dims[f"ci_{prefix}_high"].to_numpy() - mean,
                ]
            )
            ax.errorbar(mean, y + offset, xerr=err, fmt="o", color=color, label=label, capsize=3)
        ax.set_yticks(
            y,
            [
                f"{nm} (1 à {inst.scales[inst.dimensions[d]['scale']].max})"
                for nm, d in zip(dims["nom"], dims["dimension"], strict=True)
            ],
        )
        ax.set_xlabel("Score moyen (intervalle de confiance à 95 %)")
        ax.legend(frameon=False, loc="lower right")
        ax.spines[["top", "right"]].set_visible(False)
        charts["dimensions"] = _png(fig)

    qi = analysis.tables.get("quiz_items")
    if qi is not None and len(qi):
        fig, ax = plt.subplots(figsize=(7, 2.8))
        x = np.arange(len(qi))
        ax.bar(x - 0.2, 100 * qi["juste_avant"], 0.4, label="Avant", color=blue)
        ax.bar(x + 0.2, 100 * qi["juste_apres"], 0.4, label="Après", color=orange)
        ax.set_xticks(x, qi["question"])
        ax.set_ylabel("% de bonnes réponses")
        ax.set_ylim(0, 100)
        ax.legend(frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
        charts["quiz"] = _png(fig)

    dep = analysis.tables["departments"]
    shown = dep[~dep["masque"]]
    if len(shown):
        fig, ax = plt.subplots(figsize=(7, 0.6 + 0.45 * len(shown)))
        y = np.arange(len(shown))
        ax.barh(y + 0.2, 100 * shown["niveau2_avant"], 0.4, label="Avant", color=blue)
        ax.barh(y - 0.2, 100 * shown["niveau2_apres"], 0.4, label="Après", color=orange)
        ax.set_yticks(y, [_dept_name(inst, d) for d in shown["departement"]])
        ax.set_xlabel("% au niveau 2 ou plus")
        ax.set_xlim(0, 100)
        ax.legend(frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
        charts["departments"] = _png(fig)

    fm = analysis.tables.get("followup_usage")
    if fm is not None and len(fm):
        fig, ax = plt.subplots(figsize=(7, 2.6))
        ax.bar(FREQ_FR, fm["n"], color=orange)
        ax.set_ylabel("Participants")
        ax.spines[["top", "right"]].set_visible(False)
        charts["followup"] = _png(fig)
    return charts


def _dept_name(instrument, value: str) -> str:
    try:
        item = instrument.item("DEPT")
    except KeyError:
        return str(value)
    for opt in item.options:
        if opt["value"] == value:
            return opt["fr"]
    return str(value)


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------
def _summary_points(analysis) -> list[str]:
    s = analysis.summary
    n = s["n_matched"]
    pts = []
    if not n:
        return ["Aucun participant n'a pu être apparié : vérifiez les codes personnels."]
    before = round(s["share_level2_pre"] * n)
    after = round(s["share_level2_post"] * n)
    p = s["mcnemar"]["p_exact"]
    pts.append(
        f'<span class="big">{after} participants sur {n} sont maintenant au niveau 2 ou plus, '
        f"contre {before} avant.</span>"
    )
    verdict = (
        "un changement trop net pour être dû au hasard"
        if p is not None and p < 0.05
        else "un changement qui pourrait être dû au hasard"
    )
    pts.append(
        f"{s['mcnemar']['b']} personnes ont atteint le niveau 2, {s['mcnemar']['c']} sont "
        "redescendues "
        f"en dessous : {verdict} (test exact de McNemar, p {fr_p(p)})."
    )
    dims = analysis.tables["dimensions"]
    if len(dims):
        good = dims[dims["plus_est_mieux"]]
        if len(good):
            best = good.sort_values("rbc", ascending=False).iloc[0]
            pts.append(
                f"La plus forte progression concerne « {best['nom']} » : score moyen "
                f"{fr(best['mean_pre'])} → {fr(best['mean_post'])} (effet r = {fr(best['rbc'])})."
            )
        for rec in dims[~dims["plus_est_mieux"]].to_dict("records"):
            direction = "baisse" if rec["mean_diff"] < 0 else "hausse"
            pts.append(
                f"L'{rec['nom'].lower()} est en {direction} : {fr(rec['mean_pre'])} → "
                f"{fr(rec['mean_post'])} sur 5."
            )
    q = s.get("quiz") or {}
    if q.get("n"):
        pts.append(
            f"Au quiz, la moyenne passe de {fr(q['mean_pre'], 1)} à {fr(q['mean_post'], 1)} bonnes "
            f"réponses sur {q['max']}."
        )
    fu = s.get("followup") or {}
    if fu.get("n"):
        pts.append(
            f"À un mois, {pct(fu['share_weekly_use'])} des {fu['n']} répondants utilisent l'IA au "
            "moins "
            f"une fois par semaine ; gain déclaré médian : {fr(fu['minutes_median'], 0)} minutes "
            "par semaine."
        )
    if n < 10:
        pts.append(
            f"Attention : seulement {n} personnes appariées ; avec si peu de paires, les tests "
            "statistiques sont peu fiables. Lisez surtout les effectifs."
        )
    pts.append(
        "Ce sont des déclarations des participants, sans groupe témoin : une partie de la "
        "progression peut venir d'autre chose que la formation (voir « Méthodes et précautions »)."
    )
    return pts


def render_html(analysis) -> str:
    """The report page as one HTML string."""
    s = analysis.summary
    inst = analysis.instrument
    t = analysis.tables
    charts = _charts(analysis)
    parts: list[str] = []
    add = parts.append
    add("<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'>")
    add("<meta name='viewport' content='width=device-width, initial-scale=1'>")
    add(f"<title>Atelier IA : résultats de l'enquête</title><style>{CSS}</style></head><body>")
    add("<h1>Atelier IA : qu'a changé la formation ?</h1>")
    files = ", ".join(f"{escape(v)} ({PHASE_FR[k]})" for k, v in analysis.files.items())
    add(
        f"<p class='muted'>Fichiers analysés : {files}. Questionnaire version "
        f"{escape(str(s['instrument_version']))}.</p>"
    )

    add("<h2>En bref</h2><div class='summary'><ul>")
    for point in _summary_points(analysis):
        add(f"<li>{point}</li>")
    add("</ul></div>")

    add("<h2>Participation</h2>")
    add(
        f"<p>{s['n_pre']} réponses avant, {s['n_post']} après ; <b>{s['n_matched']} personnes ont "
        "répondu "
        f"aux deux</b> et sont comparées. {len(s['unmatched_pre'])} n'ont répondu qu'avant, "
        f"{len(s['unmatched_post'])} qu'après (code personnel différent ou absence). "
        f"{len(s['excluded'])} ligne(s) ont été écartées (détail en fin de page).</p>"
    )

    add("<h2>Niveaux avant et après</h2>")
    add(charts["levels"])
    add(_table(t["levels"], {"niveau": "Niveau", "nom": "Nom", "avant": "Avant", "apres": "Après"}))
    add(
        "<p class='muted'>"
        + " ".join(
            f"<b>{k}. {escape(inst.level_name(k))}</b> : "
            f"{escape(inst.levels['descriptions'].get(k, ''))}"
            for k in inst.level_values
        )
        + "</p>"
    )
    add("<h3>D'où viennent les participants ? (transitions)</h3>")
    add(
        "<p>Chaque case compte les personnes passées du niveau de la ligne (avant) au niveau de la "
        "colonne (après). Au-dessus de la diagonale : progression.</p>"
    )
    add(charts["transitions"])

    dims = t["dimensions"]
    if len(dims):
        add("<h2>Compétences et ressenti</h2>")
        add(charts.get("dimensions", ""))
        add(
            _table(
                dims,
                {
                    "nom": "Dimension",
                    "n": "n",
                    "median_pre": "Médiane avant",
                    "median_post": "Médiane après",
                    "mean_diff": "Écart moyen",
                    "rbc": "Effet r",
                    "p_holm": "p (Holm)",
                    "alpha_pre": "α avant",
                    "alpha_post": "α après",
                    "rci_up": "Hausses fiables",
                    "rci_down": "Baisses fiables",
                },
                {
                    "median_pre": fr,
                    "median_post": fr,
                    "mean_diff": fr,
                    "rbc": fr,
                    "p_holm": fr_p,
                    "alpha_pre": fr,
                    "alpha_post": fr,
                },
            )
        )
        add(
            "<p class='muted'>Effet r (corrélation rang-bisériale) : de −1 à +1 ; positif = les "
            "scores "
            "montent. Repères usuels : 0,1 faible, 0,3 moyen, 0,5 fort. Pour « Inquiétude », une "
            "baisse est une bonne nouvelle. α de Cronbach : cohérence des questions d'une même "
            "dimension (au-dessous de 0,7, interpréter avec prudence). « Progrès fiables » : "
            "personnes "
            "dont le changement dépasse l'erreur de mesure (indice de Jacobson et Truax, |RCI| > "
            "1,96).</p>"
        )

    q = s.get("quiz") or {}
    if q.get("n"):
        add("<h2>Quiz de connaissances</h2>")
        add(
            f"<p>Moyenne : {fr(q['mean_pre'])} → {fr(q['mean_post'])} bonnes réponses sur "
            f"{q['max']} "
            f"(écart {fr(q['mean_diff'])}, IC 95 % [{fr(q['ci_low'])} ; {fr(q['ci_high'])}] ; "
            f"t({q['dof']}) = {fr(q['t'])}, p {fr_p(q['p'])} ; d<sub>z</sub> = {fr(q['dz'])} ; "
            f"Wilcoxon p {fr_p(q['p_wilcoxon'])}).</p>"
        )
        add(charts.get("quiz", ""))

    add("<h2>Par service</h2>")
    dep = t["departments"]
    hidden = int(dep["masque"].sum())
    add(
        f"<p>Les services de moins de {s['min_group']} personnes ne sont jamais affichés ; "
        "quand un seul service serait masqué, le plus petit suivant l'est aussi, pour qu'on ne "
        "puisse "
        f"pas retrouver ses chiffres par soustraction. Services masqués : {hidden}.</p>"
    )
    add(charts.get("departments", ""))
    shown = dep.copy()
    shown["nom"] = [_dept_name(inst, d) for d in shown["departement"]]
    shown.loc[shown["masque"], "nom"] = "(masqué)"
    shown = shown.sort_values(["masque", "nom"])
    add(
        _table(
            shown,
            {
                "nom": "Service",
                "n": "n",
                "niveau2_avant": "Niveau ≥ 2 avant",
                "niveau2_apres": "Niveau ≥ 2 après",
            },
            {"n": lambda v: fr(v, 0), "niveau2_avant": pct, "niveau2_apres": pct},
        )
    )

    fu = s.get("followup") or {}
    if fu.get("n"):
        add("<h2>Suivi à un mois (J+30)</h2>")
        add(
            f"<p>{fu['n']} réponses au suivi ({fu['n_linked_post']} reliées à une réponse d'après "
            f"formation). Usage au moins hebdomadaire : {pct(fu['share_weekly_use'])}. Temps "
            "gagné déclaré "
            f"par semaine : médiane {fr(fu['minutes_median'], 0)} min (quartiles "
            f"{fr(fu['minutes_q1'], 0)} "
            f"à {fr(fu['minutes_q3'], 0)}), moyenne {fr(fu['minutes_mean'], 0)} min "
            f"[IC 95 % {fr(fu['minutes_ci_low'], 0)} ; {fr(fu['minutes_ci_high'], 0)}], soit "
            f"{fr(fu['hours_per_week_total'], 0)} heures par semaine pour l'ensemble des "
            "répondants. "
            "Ce sont des estimations personnelles, souvent optimistes.</p>"
        )
        add(charts.get("followup", ""))

    retro = t.get("retrospective")
    if retro is not None and len(retro):
        add("<h2>Contrôle : le « avant » vu après coup</h2>")
        add(
            "<p>Après la formation, on a aussi demandé « où en étiez-vous avant ? ». Les gens "
            "découvrent souvent pendant la formation ce qu'ils ne savaient pas, et se notent plus "
            "bas "
            "après coup (Howard, 1980). Ce contrôle ne remplace pas le vrai questionnaire d'avant, "
            "qui reste la comparaison principale : il peut aussi exagérer l'effet.</p>"
        )
        add(
            _table(
                retro,
                {
                    "comparaison": "Comparaison",
                    "n": "n",
                    "moyenne_avant": "Niveau moyen de départ",
                    "moyenne_apres": "Niveau moyen d'arrivée",
                    "rbc": "Effet r",
                    "p": "p",
                },
                {"moyenne_avant": fr, "moyenne_apres": fr, "rbc": fr, "p": fr_p},
            )
        )

    att = t.get("attrition")
    if att is not None and len(att):
        add("<h2>Ceux qui n'ont pas répondu après</h2>")
        add(
            "<p>Si les personnes qui n'ont répondu qu'avant étaient différentes des autres, la "
            "comparaison serait biaisée. Scores d'avant, test de Mann-Whitney :</p>"
        )
        att = att.copy()
        names = {"level": "Niveau", "QUIZ": "Quiz"}
        names.update({d: spec["name"]["fr"] for d, spec in inst.dimensions.items()})
        att["variable"] = att["variable"].map(lambda v: names.get(v, v))
        add(
            _table(
                att,
                {
                    "variable": "Score",
                    "n_complets": "n (ont répondu après)",
                    "n_abandons": "n (seulement avant)",
                    "mean_complets": "Moyenne (ont répondu après)",
                    "mean_abandons": "Moyenne (seulement avant)",
                    "p": "p",
                },
                {"mean_complets": fr, "mean_abandons": fr, "p": fr_p},
            )
        )

    add("<h2>Méthodes et précautions</h2><ul>")
    for line in (
        "Appariement par code personnel auto-généré (normalisé : majuscules, sans accents ni "
        "séparateurs). En cas de réponses multiples, la plus récente est gardée. Ce procédé perd "
        "ou "
        "confond une partie des paires (McGloin et al., 1996 : 75 % de paires correctes).",
        "Niveau 2 : règle conjonctive, les cinq comportements du niveau 2 déclarés et "
        "auto-positionnement au moins 2 ; règles dans le fichier du questionnaire "
        "(instrument.yml).",
        "Part au niveau 2 avant/après : test exact de McNemar (binomial sur les changements).",
        "Dimensions : test des rangs signés de Wilcoxon (approximation normale avec correction de "
        "continuité, méthode fixée), effet r rang-bisérial, correction de Holm (1979) sur les "
        "dimensions.",
        "Quiz : test t apparié, d<sub>z</sub> = moyenne des écarts / écart-type des écarts, et "
        "Wilcoxon.",
        "Fiabilité : α de Cronbach (1951) avec intervalle de Feldt (1965). Indice de changement "
        "fiable : "
        "Jacobson et Truax (1991), erreur standard à partir de l'α d'avant.",
        "Échelle de compétences adaptée de la SNAIL (Laupichler et al., 2023, licence CC BY 4.0), "
        "traduction libre non validée en français : un indicateur, pas une mesure étalonnée.",
        "Tout est déclaratif et sans groupe témoin : la progression mesurée n'est pas entièrement "
        "attribuable à la formation (effet de l'attention, désirabilité sociale, apprentissage du "
        "questionnaire).",
    ):
        add(f"<li>{line}</li>")
    add("</ul>")

    add("<h2>Confidentialité</h2><ul>")
    if analysis.privacy:
        for line in analysis.privacy:
            add(f"<li>{escape(line)} (noms et adresses e-mail ne sont jamais conservés).</li>")
    else:
        add("<li>Aucune colonne de nom ou d'adresse e-mail dans les fichiers.</li>")
    add(
        "<li>Les codes personnels sont remplacés, dans toutes les sorties, par un pseudonyme "
        "(empreinte SHA-256 salée) ; le sel n'est pas enregistré.</li>"
    )
    add(f"<li>Groupes de moins de {s['min_group']} personnes masqués.</li></ul>")

    add("<h2>Lignes écartées et remarques</h2>")
    ex = t["exclusions"]
    if len(ex):
        add(_table(ex, {"file": "Fichier", "row": "Ligne", "column": "Colonne", "reason": "Motif"}))
    else:
        add("<p>Aucune ligne écartée.</p>")
    if analysis.notes:
        add("<ul>" + "".join(f"<li>{escape(n)}</li>" for n in analysis.notes) + "</ul>")
    add("<p class='muted'>Produit par Atelier IA (atelier survey analyse).</p></body></html>")
    # French spaces before ; : ! ? and inside « » (tags, URLs and the charts are left alone)
    return typographie("\n".join(p for p in parts if p))


def write_report(analysis, out_dir: str | Path) -> dict[str, Path]:
    """Write report.html, summary.json, participants.csv and every table as CSV."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"Impossible de créer le dossier de sortie {out} ({exc.strerror}).",
            "Choisissez un dossier où vous avez le droit d'écrire (option --out).",
        ) from exc
    paths: dict[str, Path] = {}
    paths["report"] = out / "report.html"
    paths["report"].write_text(render_html(analysis), encoding="utf-8")
    paths["summary"] = out / "summary.json"
    paths["summary"].write_text(
        json.dumps(analysis.summary, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    paths["participants"] = out / "participants.csv"
    analysis.participants.to_csv(paths["participants"], index=False, encoding="utf-8")
    for name, table in analysis.tables.items():
        p = out / f"{name}.csv"
        table.to_csv(p, index=False, encoding="utf-8")
        paths[name] = p
    return paths
