"""Round-table records (how each participant used AI since session 1) and their aggregate.

A record names the task, its kind, the tool, the department, the minutes saved per week, a
satisfaction from 1 to 5 and the problems met; :func:`validate_usage` checks one record,
:func:`summarise_usages` and :func:`usage_figure` aggregate many.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from toolkit._display import ShowsStr
from toolkit.errors import InputError
from toolkit.fr import nombre, pluriel

__all__ = [
    "COLLECTION",
    "SERVICES",
    "TASK_KINDS",
    "TOOLS",
    "UsageSummary",
    "summarise_usages",
    "usage_figure",
    "validate_usage",
]

#: Shared-folder collection of the round table.
COLLECTION = "tour-de-table"

TASK_KINDS = (
    "Rédaction",
    "Résumé et synthèse",
    "Courriels",
    "Traduction",
    "Recherche d'information",
    "Analyse de données",
    "Tableur et formules",
    "Présentation et réunion",
    "Idées et brainstorming",
    "Autre",
)
SERVICES = (
    "Administration",
    "Accueil et population",
    "Communication",
    "Direction",
    "Finances",
    "Informatique",
    "Juridique",
    "RH",
    "Autre",
)
TOOLS = (
    "Copilot (Microsoft 365)",
    "ChatGPT",
    "Mistral Le Chat",
    "Albert (État)",
    "Outil interne",
    "DeepL",
    "Autre",
)


def _h(minutes: float) -> str:
    """Minutes as hours with one decimal, in the course's locale."""
    return nombre(minutes / 60, 1)


def validate_usage(record: dict[str, Any]) -> dict[str, Any]:
    """A cleaned copy of one round-table record; :class:`InputError` names the bad field."""
    clean: dict[str, Any] = {}
    tache = str(record.get("tache") or "").strip()
    if not tache:
        raise InputError("Le champ « tâche » est vide.", "Décrivez la tâche en quelques mots.")
    if len(tache) > 200:
        raise InputError(
            "Le champ « tâche » dépasse 200 caractères.", "Résumez la tâche en une phrase."
        )
    clean["tache"] = tache
    for key, allowed, label in (
        ("type_tache", TASK_KINDS, "type de tâche"),
        ("service", SERVICES, "service"),
    ):
        value = str(record.get(key) or "").strip()
        if value not in allowed:
            raise InputError(
                f"Le champ « {label} » vaut « {value} », qui n'est pas dans la liste.",
                f"Choisissez parmi : {', '.join(allowed)}.",
            )
        clean[key] = value
    outil = str(record.get("outil") or "").strip()
    if not outil:
        raise InputError("Le champ « outil » est vide.", "Indiquez l'outil utilisé.")
    clean["outil"] = outil[:60]
    for key, low, high, label in (
        ("minutes_gagnees", 0, 2400, "minutes gagnées par semaine"),
        ("satisfaction", 1, 5, "satisfaction"),
    ):
        raw = record.get(key)
        try:
            number = float(raw) if raw is not None else float("nan")
        except (TypeError, ValueError):
            number = float("nan")
        if not low <= number <= high:
            raise InputError(
                f"Le champ « {label} » vaut « {record.get(key)} », attendu de {low} à {high}.",
                f"Saisissez un nombre entre {low} et {high}.",
            )
        clean[key] = round(number)
    clean["problemes"] = str(record.get("problemes") or "").strip()[:300]
    return clean


@dataclass
class UsageSummary(ShowsStr):
    """The round-table aggregate: counts, time saved, satisfaction, problems met."""

    responses: int
    participants_files: int
    minutes_week: int
    satisfaction_median: float
    by_kind: Any
    by_service: Any
    problems: list[str]

    def __str__(self) -> str:
        lines = [
            f"{pluriel(self.responses, 'usage partagé', aucun='aucun usage partagé')} "
            f"({pluriel(self.participants_files, 'saisi', aucun='aucun saisi')} en "
            f"séance), {nombre(self.minutes_week)}\u00a0min gagnées par semaine au total "
            f"(≈ {_h(self.minutes_week)}\u00a0h), "
            f"satisfaction médiane {nombre(self.satisfaction_median, 1)}/5.",
            "Par type de tâche : "
            + ", ".join(f"{k} ({nombre(v)})" for k, v in self.by_kind["usages"].items()),
        ]
        if self.problems:
            lines.append("Problèmes rencontrés : " + " ; ".join(self.problems[:8]))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(p)}</li>" for p in self.problems[:10])
        return (
            f"<p><b>{pluriel(self.responses, 'usage partagé', aucun='aucun usage partagé')}</b> "
            f"({pluriel(self.participants_files, 'saisi', aucun='aucun saisi')} en séance) · "
            f"<b>{nombre(self.minutes_week)}</b>\u00a0min gagnées par semaine "
            f"(≈ {_h(self.minutes_week)}\u00a0h)"
            f" · satisfaction médiane <b>{nombre(self.satisfaction_median, 1)}/5</b></p>"
            + self.by_kind.to_html(float_format=nombre)
            + (f"<p><b>Problèmes rencontrés</b></p><ul>{items}</ul>" if items else "")
        )


def summarise_usages(frame) -> UsageSummary:
    """Aggregate round-table rows (from :func:`toolkit.course.sharedfolder.read_records`)."""
    import pandas as pd

    if frame is None or len(frame) == 0:
        raise InputError(
            "Aucune réponse au tour de table pour l'instant.",
            "Faites remplir le formulaire, ou chargez le fichier d'exemple.",
        )
    data = frame.copy()
    data["minutes_gagnees"] = pd.to_numeric(data["minutes_gagnees"], errors="coerce").fillna(0)
    data["satisfaction"] = pd.to_numeric(data["satisfaction"], errors="coerce")
    by_kind = (
        data.groupby("type_tache")
        .agg(usages=("tache", "size"), minutes=("minutes_gagnees", "sum"),
             satisfaction=("satisfaction", "mean"))
        .sort_values("usages", ascending=False)
        .round(1)
    )
    by_service = (
        data.groupby("service")
        .agg(usages=("tache", "size"), minutes=("minutes_gagnees", "sum"))
        .sort_values("minutes", ascending=False)
    )
    problems = [str(p) for p in data.get("problemes", pd.Series(dtype=str)).fillna("")
                if str(p).strip()]
    live = int((data["source"] == "participant").sum()) if "source" in data else len(data)
    return UsageSummary(
        responses=len(data),
        participants_files=live,
        minutes_week=int(data["minutes_gagnees"].sum()),
        satisfaction_median=float(data["satisfaction"].median()),
        by_kind=by_kind,
        by_service=by_service,
        problems=problems,
    )


def usage_figure(frame, *, source: str | None = None):
    """Three panels: usages by kind of task, minutes saved by department, satisfaction.

    *source*, printed under the figure, says by default where the rows come from: the
    round table of the session, the course's example data, or both.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    summary = summarise_usages(frame)
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.8), gridspec_kw={"width_ratios": [1.2, 1.2, 0.8]})
    kinds = summary.by_kind["usages"].sort_values()
    axes[0].barh(kinds.index, kinds.values, color="#3b7dd8")
    axes[0].set_title("Usages par type de tâche")
    axes[0].set_xlabel("nombre d'usages")
    services = summary.by_service["minutes"].sort_values()
    axes[1].barh(services.index, services.values, color="#2e9e5b")
    axes[1].set_title("Minutes gagnées par semaine, par service")
    axes[1].set_xlabel("minutes par semaine")
    sat = frame["satisfaction"].astype(float).round().value_counts().reindex(range(1, 6),
                                                                               fill_value=0)
    axes[2].bar([str(i) for i in sat.index], sat.values, color="#e07b39")
    axes[2].set_title("Satisfaction (1 à 5)")
    axes[2].set_xlabel("note")
    for ax in axes:
        ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(
        f"Tour de table\u00a0: {pluriel(summary.responses, 'usage')}, "
        f"{_h(summary.minutes_week)}\u00a0h gagnées "
        "par semaine (déclaratif)", weight="bold",
    )
    if source is None:
        origins = set(frame["source"].dropna()) if "source" in frame else {"participant"}
        source = ("données d'exemple" if origins == {"exemple"}
                  else "tour de table de la séance et données d'exemple" if "exemple" in origins
                  else "tour de table de la séance")
    # Usages and people come in whole numbers: integer ticks, French digits.
    french = FuncFormatter(lambda value, _pos: nombre(value))
    for ax, axis in ((axes[0], "xaxis"), (axes[1], "xaxis"), (axes[2], "yaxis")):
        getattr(ax, axis).set_major_locator(MaxNLocator(integer=True))
        getattr(ax, axis).set_major_formatter(french)
    fig.text(0.99, 0.01, f"Source\u00a0: {source}", ha="right", fontsize=8, color="#555")
    fig.tight_layout(rect=(0, 0.03, 1, 0.95))
    return fig
