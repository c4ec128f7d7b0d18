"""Write the survey results: a self-contained French HTML page, summary.json and CSV tables.

The page is the Jinja2 template ``toolkit/data/templates/survey/report.html.j2`` (as the slides
are templates too); this module prepares its context: figures formatted the French way by
Babel (:mod:`toolkit.survey._format`), charts as matplotlib PNGs embedded in base64, no
external resource. It opens with a plain-language summary and the warnings, then details.
"""

from __future__ import annotations

import base64
import io
import json
import math
import re
import textwrap
from importlib import resources
from pathlib import Path
from typing import Any

from toolkit.errors import InputError
from toolkit.survey._format import french_spacing, num, p_value, percent, plural
from toolkit.survey.instrument import PHASE_FR
from toolkit.survey.loaders import short_label

__all__ = ["render_html", "write_report"]

FREQ_FR = ["Jamais", "< 1 fois/sem.", "1 fois/sem.", "Plusieurs fois/sem.", "Tous les jours"]
TEMPLATE = "report.html.j2"

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:980px;
margin:2em auto;padding:0 1em;color:#1d2430;line-height:1.5}
h1{font-size:1.7em;margin-bottom:.2em}
h2{border-bottom:2px solid #d9e2ef;padding-bottom:.2em;margin-top:2em}
.summary{background:#f1f6fd;border-left:5px solid #2f6fd0;padding:.8em 1.2em;border-radius:4px}
.warning{background:#fff4e0;border-left:5px solid #c25e00;padding:.6em 1.2em;border-radius:4px;
margin-bottom:1em}
.summary li{margin:.35em 0}.big{font-size:1.25em;font-weight:600}
table{border-collapse:collapse;margin:.8em 0;font-size:.92em}
caption{caption-side:bottom;text-align:left;color:#5b6575;font-size:.9em;padding-top:.3em}
th,td{border:1px solid #d9e2ef;padding:.3em .6em;text-align:right}
th{background:#f4f6fa}td:first-child,th:first-child{text-align:left}
.muted{color:#5b6575;font-size:.9em}.low{color:#b00020;font-weight:600}
img{max-width:100%}
"""


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
        ax.set_xlabel("Score moyen des paires (intervalle de confiance à 95 %)")
        ax.legend(frameon=False, loc="lower right")
        ax.spines[["top", "right"]].set_visible(False)
        charts["dimensions"] = _png(fig)

    qi = analysis.tables.get("quiz_items")
    if qi is not None and len(qi):
        # Labelled with the questions themselves: codes (QZ1...) mean nothing to a reader.
        labels = [
            "\n".join(textwrap.wrap(textwrap.shorten(text, 90, placeholder="…"), 45))
            for text in qi["texte"]
        ]
        fig, ax = plt.subplots(figsize=(7.5, 0.8 + 0.75 * len(qi)))
        y = np.arange(len(qi))[::-1]
        ax.barh(y + 0.2, 100 * qi["juste_avant"], 0.4, label="Avant", color=blue)
        ax.barh(y - 0.2, 100 * qi["juste_apres"], 0.4, label="Après", color=orange)
        ax.set_yticks(y, labels, fontsize=8)
        ax.set_xlabel("% de bonnes réponses")
        ax.set_xlim(0, 100)
        ax.legend(frameon=False, loc="lower right")
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
# Template context
# ---------------------------------------------------------------------------------------------
def _environment():
    import jinja2

    root = Path(str(resources.files("toolkit") / "data" / "templates" / "survey"))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(root),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(num=num, pct=percent, p=p_value)
    env.globals.update(plural=plural, cell=_cell)
    return env


def _cell(value: Any, format_name: str):
    """A table cell in the format its column names (see the template's ``table`` macro)."""
    from toolkit.survey.analysis import LOW_ALPHA

    formats = {
        "text": lambda v: v,
        "num": num,
        "int": lambda v: num(v, 0),
        "pct": percent,
        "p": p_value,
        "alpha": lambda v: _alpha_cell(v, LOW_ALPHA),
        "column": short_label,
    }
    return formats[format_name](value)


def _alpha_cell(value: Any, low: float):
    from markupsafe import Markup, escape

    text = num(value)
    if value is not None and not math.isnan(float(value)) and float(value) < low:
        return (
            Markup('<span class="low" title="α faible : score peu cohérent">')
            + escape(text)
            + Markup("\u00a0⚠</span>")
        )
    return text


def _records(table) -> list[dict[str, Any]]:
    """The rows of a result table (a DataFrame, possibly absent or empty) as dicts."""
    return table.to_dict("records") if table is not None and len(table) else []


def _context(analysis) -> dict[str, Any]:
    from markupsafe import Markup

    from toolkit.survey.analysis import LOW_ALPHA

    s = analysis.summary
    inst = analysis.instrument
    t = analysis.tables
    n = s["n_matched"]
    # Every chart name the template knows; a chart not drawn (no quiz...) renders as nothing.
    charts = dict.fromkeys(
        ("levels", "transitions", "dimensions", "quiz", "departments", "followup"), Markup("")
    )
    charts.update({k: Markup(v) for k, v in _charts(analysis).items()})
    mc = s["mcnemar"]
    dims = _records(t["dimensions"])
    for rec in dims:
        rec["scale_max"] = inst.scales[inst.dimensions[rec["dimension"]]["scale"]].max
    good = [r for r in dims if r["plus_est_mieux"]]
    best = max(good, key=lambda r: r["rbc"]) if good else None
    dep = t["departments"].copy()
    dep["nom"] = [_dept_name(inst, d) for d in dep["departement"]]
    dep.loc[dep["masque"], "nom"] = "(masqué)"
    names = {"level": "Niveau", "QUIZ": "Quiz"}
    names.update({d: spec["name"]["fr"] for d, spec in inst.dimensions.items()})
    attrition = _records(t.get("attrition"))
    for rec in attrition:
        rec["nom"] = names.get(rec["variable"], rec["variable"])
    b, c = mc["b"], mc["c"]
    return {
        "css": Markup(CSS),
        "s": s,
        "n": n,
        "files": ", ".join(f"{v} ({PHASE_FR[k]})" for k, v in analysis.files.items()),
        "warnings": analysis.warnings,
        "level2_before": round(s["share_level2_pre"] * n) if n else 0,
        "level2_after": round(s["share_level2_post"] * n) if n else 0,
        "gained": plural(b, "personne a atteint le niveau 2", "personnes ont atteint le niveau 2"),
        "lost": plural(c, "est redescendue", "sont redescendues"),
        "mc_significant": mc["p_exact"] is not None and mc["p_exact"] < 0.05,
        "best": best,
        "reversed_dims": [r for r in dims if not r["plus_est_mieux"]],
        "quiz": s.get("quiz") or {"n": 0},
        "fu": s.get("followup") or {"n": 0},
        "charts": charts,
        "levels": _records(t["levels"]),
        "level_descriptions": [
            (k, inst.level_name(k), inst.levels["descriptions"].get(k, ""))
            for k in inst.level_values
        ],
        "dimensions": dims,
        "low_alpha": LOW_ALPHA,
        "quiz_items": _records(t.get("quiz_items")),
        "hidden": int(t["departments"]["masque"].sum()),
        "departments": _records(dep.sort_values(["masque", "nom"])),
        "retrospective": _records(t.get("retrospective")),
        "attrition": attrition,
        "privacy": analysis.privacy,
        "exclusions": _records(t["exclusions"]),
        "notes": analysis.notes,
    }


_TAG = re.compile(r"(<style>.*?</style>|<[^>]+>)", re.S)


def _typeset(html: str) -> str:
    """French spacing in the text between tags (not inside tags or the style sheet)."""
    parts = _TAG.split(html)
    return "".join(p if p.startswith("<") else french_spacing(p) for p in parts)


def render_html(analysis) -> str:
    """The report page as one HTML string."""
    html = _environment().get_template(TEMPLATE).render(**_context(analysis))
    return _typeset(html)


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
