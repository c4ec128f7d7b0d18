"""The Automato method: task inventory, importance × tedium matrix, aptitude score, ROI and plan.

A task inventory is a tidy table, one row per task (columns in :data:`COLUMNS`).  Each task is
placed in one of four quadrants (:func:`place`), scored for its aptitude to be handed to an
AI tool from five documented criteria (:data:`CRITERIA`, :func:`aptitude`), valued
(:func:`roi`) and given a plan (:func:`plan`): advanced prompt needed?  general assistant
enough?  another AI tool?  expected return?
"""

from __future__ import annotations

import html
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit._display import ShowsStr
from toolkit.errors import InputError
from toolkit.fr import accord, pluriel

__all__ = [
    "COLUMNS",
    "CRITERIA",
    "QUADRANTS",
    "QUADRANT_ADVICE",
    "Criterion",
    "Plan",
    "Roi",
    "analyse",
    "aptitude",
    "aptitude_level",
    "load_inventory",
    "matrix_figure",
    "place",
    "plan",
    "roi",
    "suggest_tool",
]

#: The four quadrants, in the order Automato treats them.
Q_NI_E = "Non-important & Ennuyeux"
Q_I_E = "Important & Ennuyeux"
Q_I_NE = "Important & Non-ennuyeux"
Q_NI_NE = "Non-important & Non-ennuyeux"
QUADRANTS = (Q_I_E, Q_I_NE, Q_NI_E, Q_NI_NE)
_PRIORITY = {Q_NI_E: 0, Q_I_E: 1, Q_I_NE: 2, Q_NI_NE: 3}

QUADRANT_ADVICE = {
    Q_NI_E: "Cible prioritaire : confier le gros du travail à l'IA (ou supprimer la tâche).",
    Q_I_E: "L'IA prépare un premier jet, la personne décide, vérifie et signe.",
    Q_I_NE: "Garder la main ; l'IA en appui ponctuel (relecture, idées, contradicteur).",
    Q_NI_NE: "Ne pas investir de temps : simplifier, regrouper ou abandonner la tâche.",
}

_QUADRANT_COLOURS = {Q_I_E: "#e07b39", Q_I_NE: "#3b7dd8", Q_NI_E: "#2e9e5b", Q_NI_NE: "#8a8a8a"}


@dataclass(frozen=True)
class Criterion:
    """One criterion of the aptitude score, rated 0 (non), 1 (en partie) or 2 (oui)."""

    code: str
    label: str
    question: str
    weight: int
    #: True when "oui" (2) makes the task a better candidate; False when it makes it worse.
    favourable: bool


#: The five criteria of the aptitude-for-automation score (weights sum to 100).
CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "repetitive", "Répétitive",
        "La tâche revient-elle souvent, sous une forme semblable ?", 25, True,
    ),
    Criterion(
        "texte", "À base de texte",
        "L'entrée et le résultat sont-ils surtout du texte ou des tableaux simples ?", 20, True,
    ),
    Criterion(
        "risque", "Risque en cas d'erreur",
        "Une erreur non repérée aurait-elle des conséquences graves "
        "(juridiques, financières, humaines) ?", 20, False,
    ),
    Criterion(
        "sensibilite", "Données sensibles",
        "La tâche touche-t-elle des données personnelles, confidentielles ou secrètes ?", 15,
        False,
    ),
    Criterion(
        "verifiable", "Résultat vérifiable",
        "Peut-on vérifier le résultat facilement et rapidement ?", 20, True,
    ),
)
_CRITERIA_BY_CODE = {c.code: c for c in CRITERIA}

#: Inventory columns: (name, French description, required, default).
COLUMNS: tuple[tuple[str, str, bool, Any], ...] = (
    ("tache", "intitulé de la tâche", True, None),
    ("service", "service ou département", False, ""),
    ("importance", "importance pour la mission, de 1 (faible) à 5 (forte)", True, None),
    ("ennui", "pénibilité ou ennui, de 1 (plaisant) à 5 (très ennuyeux)", True, None),
    ("minutes_gagnees", "minutes gagnées à chaque fois avec l'IA (estimation)", False, 0),
    ("frequence_mois", "nombre de fois par mois", False, 0),
    ("cout_outil_mois", "coût mensuel de l'outil imputé à cette tâche", False, 0),
    *((c.code, f"{c.label} : 0 = non, 1 = en partie, 2 = oui", False, 1) for c in CRITERIA),
)


def _fmt(amount: float) -> str:
    """A rounded amount with a thin space between thousands (French style)."""
    return f"{amount:,.0f}".replace(",", "\u202f")


def _num(value: float) -> str:
    """A number in French notation (decimal comma), without useless zeros."""
    return f"{value:g}".replace(".", ",")


def _check_scale(value: Any, low: float, high: float, what: str, where: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if math.isnan(number) or not low <= number <= high:
        raise InputError(
            f"{where} : « {what} » vaut « {value} », attendu un nombre de {low:g} à {high:g}.",
            f"Corrigez la valeur de « {what} ».",
        )
    return number


def place(importance: float, ennui: float, *, seuil: float = 4) -> str:
    """The quadrant of a task rated 1–5 on importance and tedium.

    A rating of *seuil* or more counts as high: by default 4 or 5 is high, 1 to 3 low (the
    convention of exercise 06-automato).
    """
    imp = _check_scale(importance, 1, 5, "importance", "Matrice")
    enn = _check_scale(ennui, 1, 5, "ennui", "Matrice")
    if imp >= seuil:
        return Q_I_E if enn >= seuil else Q_I_NE
    return Q_NI_E if enn >= seuil else Q_NI_NE


def aptitude(**ratings: float) -> float:
    """Aptitude for automation, 0–100, from the criteria rated 0/1/2 (see :data:`CRITERIA`).

    Favourable criteria add ``weight × note / 2``; unfavourable ones (risk, sensitivity) add
    ``weight × (2 − note) / 2``.  A criterion left out counts as 1 (« en partie »).
    """
    unknown = set(ratings) - set(_CRITERIA_BY_CODE)
    if unknown:
        raise InputError(
            f"{accord(len(unknown), 'Critère inconnu')} : {', '.join(sorted(unknown))}.",
            f"Critères possibles : {', '.join(_CRITERIA_BY_CODE)}.",
        )
    total = 0.0
    for c in CRITERIA:
        note = _check_scale(ratings.get(c.code, 1), 0, 2, c.code, "Aptitude")
        total += c.weight * (note if c.favourable else 2 - note) / 2
    return round(total, 1)


def aptitude_level(score: float) -> str:
    """« Forte » (>= 70), « Moyenne » (40–69) or « Faible » (< 40)."""
    if score >= 70:
        return "Forte"
    if score >= 40:
        return "Moyenne"
    return "Faible"


@dataclass(frozen=True)
class Roi(ShowsStr):
    """Monthly value of the time saved on one task, net of the tool's cost."""

    minutes_gagnees: float
    frequence_mois: float
    cout_horaire: float
    cout_outil_mois: float
    heures_mois: float
    valeur_mois: float
    net_mois: float
    devise: str = "CHF"

    @property
    def net_annee(self) -> float:
        return round(self.net_mois * 12, 2)

    @property
    def rendement(self) -> float | None:
        """ROI as a ratio, (value − tool cost) / tool cost, as in exercise 06; None if free."""
        if self.cout_outil_mois <= 0:
            return None
        return round((self.valeur_mois - self.cout_outil_mois) / self.cout_outil_mois, 2)

    def __str__(self) -> str:
        return (
            f"{_num(self.minutes_gagnees)} min × {_num(self.frequence_mois)} fois/mois = "
            f"{_num(round(self.heures_mois, 1))} h/mois × {_num(self.cout_horaire)} "
            f"{self.devise}/h = "
            f"{_fmt(self.valeur_mois)} {self.devise} − outil {_fmt(self.cout_outil_mois)} "
            f"= {_fmt(self.net_mois)} {self.devise}/mois ({_fmt(self.net_annee)} {self.devise}/an)"
            + (f", soit un rendement de {_fmt(self.rendement * 100)} % du coût de l'outil"
               if self.rendement is not None else "")
        )

    def _repr_html_(self) -> str:
        return f"<p><b>Retour sur investissement</b> : {html.escape(str(self))}</p>"


def roi(
    minutes_gagnees: float,
    frequence_mois: float,
    cout_horaire: float,
    cout_outil_mois: float = 0.0,
    *,
    devise: str = "CHF",
) -> Roi:
    """ROI per month: minutes saved × frequency / 60 × hourly cost − monthly tool cost."""
    minutes = _check_scale(minutes_gagnees, 0, 10_000, "minutes_gagnees", "ROI")
    freq = _check_scale(frequence_mois, 0, 10_000, "frequence_mois", "ROI")
    rate = _check_scale(cout_horaire, 0, 10_000, "cout_horaire", "ROI")
    tool = _check_scale(cout_outil_mois, 0, 1_000_000, "cout_outil_mois", "ROI")
    hours = minutes * freq / 60
    value = hours * rate
    return Roi(
        minutes_gagnees=minutes,
        frequence_mois=freq,
        cout_horaire=rate,
        cout_outil_mois=tool,
        heures_mois=round(hours, 2),
        valeur_mois=round(value, 2),
        net_mois=round(value - tool, 2),
        devise=devise,
    )


#: Keyword rules for "another AI tool" (regex on the task's wording → tool family).
_TOOL_RULES: tuple[tuple[str, str], ...] = (
    (r"proc[eè]s[- ]verba|\bpv\b|compte[- ]rendu|r[ée]union|s[ée]ance|entretien|audio|dict",
     "Transcription et résumé de réunion"),
    (r"pr[ée]sentation|diapo|slides|powerpoint", "Génération de présentations"),
    (r"visuel|affiche|illustration|image|photo|logo", "Génération d'images"),
    (r"tableau|excel|budget|statisti|chiffre|donn[ée]es|factur|rapproch|[ée]cart",
     "Analyse de données (interpréteur de code)"),
    (r"tradu", "Traduction automatique (outil dédié)"),
)


def suggest_tool(task: str) -> str | None:
    """A family of AI tools better suited than a chat assistant, from the task's wording."""
    text = task.lower()
    for pattern, tool in _TOOL_RULES:
        if re.search(pattern, text):
            return tool
    return None


def load_inventory(source, *, name: str | None = None):
    """Read and check a task inventory: a CSV path, a DataFrame or a list of dicts.

    Missing optional columns get their default (criteria: 1).  Errors name the file, the row
    (as numbered in a spreadsheet: header = row 1) and the column.
    """
    import pandas as pd

    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        label = name or path.name
        if not path.is_file():
            raise InputError(
                f"Inventaire introuvable : {path}.", "Vérifiez le chemin du fichier CSV."
            )
        frame = pd.read_csv(path, sep=None, engine="python", encoding="utf-8-sig")
    elif isinstance(source, pd.DataFrame):
        label = name or "l'inventaire"
        frame = source.copy()
    else:
        label = name or "l'inventaire"
        frame = pd.DataFrame(list(source))
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    for col, desc, required, default in COLUMNS:
        if col not in frame.columns:
            if required:
                raise InputError(
                    f"{label} : la colonne « {col} » ({desc}) manque.",
                    f"Ajoutez une colonne « {col} ». Colonnes attendues : "
                    + ", ".join(c[0] for c in COLUMNS if c[2]) + ".",
                )
            frame[col] = default
    if frame.empty:
        raise InputError(f"{label} ne contient aucune tâche.", "Ajoutez au moins une ligne.")
    frame["service"] = frame["service"].fillna("").astype(str)
    ranges = {"importance": (1, 5), "ennui": (1, 5), "minutes_gagnees": (0, 10_000),
              "frequence_mois": (0, 10_000), "cout_outil_mois": (0, 1_000_000)}
    ranges.update({c.code: (0, 2) for c in CRITERIA})
    for i, row in frame.reset_index(drop=True).iterrows():
        where = f"{label}, ligne {i + 2}"
        if not str(row["tache"]).strip() or pd.isna(row["tache"]):
            raise InputError(f"{where} : la colonne « tache » est vide.", "Nommez la tâche.")
        for col, (low, high) in ranges.items():
            value = row[col]
            if col not in ("importance", "ennui") and pd.isna(value):
                continue
            _check_scale(value, low, high, col, where)
    for col, _desc, _req, default in COLUMNS[2:]:
        frame[col] = pd.to_numeric(frame[col]).fillna(default)
    return frame.reset_index(drop=True)


def analyse(
    inventory, *, cout_horaire: float = 60.0, devise: str = "CHF", seuil: float = 4
):
    """The inventory with quadrant, aptitude (score and level), suggested tool and ROI columns."""
    frame = load_inventory(inventory)
    frame["quadrant"] = [
        place(i, e, seuil=seuil) for i, e in zip(frame.importance, frame.ennui, strict=True)
    ]
    frame["aptitude"] = [
        aptitude(**{c.code: row[c.code] for c in CRITERIA}) for _, row in frame.iterrows()
    ]
    frame["niveau_aptitude"] = frame["aptitude"].map(aptitude_level)
    frame["outil_suggere"] = frame["tache"].map(lambda t: suggest_tool(str(t)) or "")
    rois = [
        roi(r.minutes_gagnees, r.frequence_mois, cout_horaire, r.cout_outil_mois, devise=devise)
        for r in frame.itertuples()
    ]
    frame["heures_mois"] = [r.heures_mois for r in rois]
    frame["roi_mois"] = [r.net_mois for r in rois]
    frame["roi_annee"] = [r.net_annee for r in rois]
    frame.attrs["devise"] = devise
    frame.attrs["cout_horaire"] = cout_horaire
    return frame


def _approach(row) -> tuple[str, bool, bool]:
    """(approach, advanced prompt needed, general assistant enough) for one analysed task."""
    if row["aptitude"] < 40:
        return "Ne pas automatiser pour l'instant (aptitude faible)", False, False
    if row["sensibilite"] >= 2:
        return ("Outil interne ou modèle local uniquement (données sensibles), "
                "après masquage"), True, False
    if row["outil_suggere"]:
        return f"Autre outil IA : {row['outil_suggere']}", row["risque"] >= 1, False
    advanced = row["repetitive"] >= 2 or row["risque"] >= 1
    if advanced:
        return ("Assistant métier : prompt avancé réutilisable (rôle, exemples, contrôles)",
                True, False)
    return "Assistant généraliste avec un prompt structuré", False, True


@dataclass
class Plan(ShowsStr):
    """The Automato plan: candidate tasks (tidy DataFrame ``table``) and the full analysis."""

    table: Any
    analysis: Any
    devise: str = "CHF"
    cout_horaire: float = 60.0

    def __str__(self) -> str:
        if self.table.empty:
            return "Aucune tâche candidate : aucune tâche ennuyeuse avec une aptitude suffisante."
        lines = [f"Plan Automato : {pluriel(len(self.table), 'tâche candidate')}"]
        for r in self.table.itertuples():
            lines.append(
                f"{r.priorite}. {r.tache} [{r.quadrant}] aptitude {_num(r.aptitude)}/100 — "
                f"{r.approche} — ROI {_fmt(r.roi_mois)} {self.devise}/mois"
            )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        cols = ["priorite", "tache", "service", "quadrant", "aptitude", "approche",
                "prompt_avance", "assistant_generaliste_suffit", "roi_mois", "verification"]
        view = self.table[cols].rename(columns={
            "priorite": "Priorité", "tache": "Tâche", "service": "Service",
            "quadrant": "Quadrant", "aptitude": "Aptitude /100", "approche": "Approche",
            "prompt_avance": "Prompt avancé ?", "assistant_generaliste_suffit":
            "Assistant généraliste suffit ?", "roi_mois": f"ROI {self.devise}/mois",
            "verification": "Vérification",
        }).replace({True: "oui", False: "non"})
        return view.to_html(index=False, escape=True, float_format=_fmt)

    def to_csv(self, path) -> Path:
        """Write the plan as CSV (``;``, UTF-8 with BOM so that Excel opens it correctly)."""
        path = Path(path)
        self.table.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
        return path

    def to_markdown(self, path=None) -> str:
        """The plan as Markdown; written to *path* when given."""
        lines = [
            "# Plan Automato",
            "",
            f"Coût horaire retenu : {_num(self.cout_horaire)} {self.devise}/h. "
            "ROI = minutes gagnées × fréquence mensuelle / 60 × coût horaire − coût de l'outil.",
            "",
        ]
        if self.table.empty:
            lines.append("Aucune tâche candidate.")
        for r in self.table.itertuples():
            lines += [
                f"## {r.priorite}. {r.tache}",
                "",
                f"- Service : {r.service or '—'}",
                f"- Quadrant : {r.quadrant}",
                f"- Aptitude : {_num(r.aptitude)}/100 ({r.niveau_aptitude})",
                f"- Approche : {r.approche}",
                f"- Prompt avancé nécessaire : {'oui' if r.prompt_avance else 'non'}",
                "- Assistant généraliste suffisant : "
                f"{'oui' if r.assistant_generaliste_suffit else 'non'}",
                f"- ROI attendu : {_fmt(r.roi_mois)} {self.devise}/mois "
                f"({_fmt(r.roi_annee)} {self.devise}/an)",
                f"- Vérification : {r.verification}",
                "",
            ]
        text = "\n".join(lines).rstrip() + "\n"
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text


def plan(
    inventory, *, cout_horaire: float = 60.0, devise: str = "CHF", seuil: float = 4,
    aptitude_min: float = 40,
) -> Plan:
    """Candidate tasks (tedious, aptitude >= *aptitude_min*), unimportant-and-tedious first."""
    frame = analyse(inventory, cout_horaire=cout_horaire, devise=devise, seuil=seuil)
    approaches = [_approach(row) for _, row in frame.iterrows()]
    frame["approche"] = [a[0] for a in approaches]
    frame["prompt_avance"] = [a[1] for a in approaches]
    frame["assistant_generaliste_suffit"] = [a[2] for a in approaches]
    frame["verification"] = [
        "Relecture humaine systématique" if r >= 1 else "Contrôle par sondage"
        for r in frame["risque"]
    ]
    candidates = frame[
        frame["quadrant"].isin([Q_NI_E, Q_I_E]) & (frame["aptitude"] >= aptitude_min)
    ].copy()
    candidates["_ordre"] = candidates["quadrant"].map(_PRIORITY)
    candidates = candidates.sort_values(
        ["_ordre", "roi_mois", "aptitude"], ascending=[True, False, False], kind="stable"
    ).drop(columns="_ordre")
    candidates.insert(0, "priorite", range(1, len(candidates) + 1))
    return Plan(candidates.reset_index(drop=True), frame, devise=devise, cout_horaire=cout_horaire)


def matrix_figure(inventory, *, seuil: float = 4, title: str | None = None):
    """The importance × tedium matrix as a matplotlib Figure (numbered points, legend list)."""
    import matplotlib.pyplot as plt

    frame = inventory if "quadrant" in getattr(inventory, "columns", ()) else analyse(
        inventory, seuil=seuil
    )
    n = len(frame)
    fig = plt.figure(figsize=(12, max(5.5, 0.28 * n + 1.5)))
    ax = fig.add_axes((0.06, 0.1, 0.46, 0.8))
    edge = seuil - 0.5
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0.5, 5.5)
    ax.axvline(edge, color="#444", lw=1.2)
    ax.axhline(edge, color="#444", lw=1.2)
    corners = {
        Q_I_E: (5.45, 5.45, "right"), Q_I_NE: (0.55, 5.45, "left"),
        Q_NI_E: (5.45, 0.55, "right"), Q_NI_NE: (0.55, 0.55, "left"),
    }
    for q, (x, y, ha) in corners.items():
        va = "top" if y > 3 else "bottom"
        ax.text(x, y, q, ha=ha, va=va, fontsize=8, color=_QUADRANT_COLOURS[q], weight="bold")
    # Tasks sharing the same cell are spread on a small circle so that none hides another.
    cells: dict[tuple[float, float], list[int]] = {}
    for i, r in enumerate(frame.itertuples()):
        cells.setdefault((float(r.ennui), float(r.importance)), []).append(i)
    coords: dict[int, tuple[float, float]] = {}
    for (x, y), members in cells.items():
        k = len(members)
        for j, idx in enumerate(members):
            if k == 1:
                coords[idx] = (x, y)
            else:
                angle = 2 * math.pi * j / k
                coords[idx] = (x + 0.28 * math.cos(angle), y + 0.28 * math.sin(angle))
    for i, r in enumerate(frame.itertuples()):
        x, y = coords[i]
        ax.scatter([x], [y], s=260, color=_QUADRANT_COLOURS[r.quadrant], zorder=3,
                   edgecolor="white")
        ax.text(x, y, str(i + 1), ha="center", va="center", fontsize=8, color="white",
                weight="bold", zorder=4)
    ax.set_xlabel("Pénibilité / ennui (1 = plaisant, 5 = très ennuyeux)")
    ax.set_ylabel("Importance (1 = faible, 5 = forte)")
    ax.set_xticks(range(1, 6))
    ax.set_yticks(range(1, 6))
    ax.set_title(title or "Matrice Automato : importance × pénibilité")
    legend = fig.add_axes((0.55, 0.1, 0.44, 0.8))
    legend.axis("off")
    step = min(1 / max(n, 1), 0.07)  # at most 0.07 of the height: a short list stays compact
    for i, r in enumerate(frame.itertuples()):
        label = str(r.tache)
        if len(label) > 62:
            label = label[:61] + "…"
        legend.text(0, 1 - (i + 0.5) * step, f"{i + 1}. {label}", fontsize=8.5, va="center",
                    color=_QUADRANT_COLOURS[r.quadrant])
    return fig
