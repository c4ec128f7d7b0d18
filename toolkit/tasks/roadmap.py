"""The 60-day integration plan (timeline figure), the SPARK stages, and follow-up indicators.

The 60-day plan and the Automato method are J.-B. Berthoux's (the course's source).
:data:`STEPS` is the plan's seven steps from J+0 to J+60 (the table of the course design);
:func:`timeline_figure` draws them; :func:`indicators` computes the follow-up indicators
available in the shared folder and the assistants library (round table, top 3, versions).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SPARK", "SPARK_COLUMNS", "STEPS", "Step", "indicators", "timeline_figure"]


@dataclass(frozen=True)
class Step:
    day: int
    number: str
    title: str
    delivered: str


#: The seven steps of the 60-day plan (steps 3 and 4 share J+20).
STEPS: tuple[Step, ...] = (
    Step(0, "1", "Formation d'acculturation", "session 1, questionnaires avant / après"),
    Step(15, "2", "Formation aux applications métier",
         "session 2, bibliothèque d'assistants, carte des tâches"),
    Step(20, "3", "Task force IA", "référent·es par service, méthode Automato"),
    Step(20, "4", "Assistants partagés (« GPTs »)",
         "assistants versionnés, améliorés par les expert·es"),
    Step(30, "5", "Applications utiles", "transcription, présentations, traduction"),
    Step(40, "6", "POC et automatisation sans code", "traitements par lots, premiers flux"),
    Step(60, "7", "Solutions sur mesure", "RAG sur les documents internes, applications"),
)

#: The five stages of the SPARK method: the question each answers, what to do, and where the
#: workshop covers it.  Stage 2 is choosing the *tools* (evaluate them, then run a pilot), as in
#: the source; choosing the tasks belongs to the Automato method.  The stage titles are the
#: course's own French wording (the source's letter-by-letter names were not available to us):
#: check them against the source before a release.
SPARK: tuple[tuple[str, str, str, str], ...] = (
    ("Potentiel", "Où l'IA peut-elle aider, et qu'en pensent les équipes ?",
     "recenser les usages et les tâches ; écouter les craintes avant de décider",
     "tour de table, inventaire Automato, carte mentale du top 3"),
    ("Choix des outils", "Avec quels outils ?",
     "évaluer les outils (données, hébergement, sécurité, coût), puis mener un pilote avec "
     "un petit groupe avant de généraliser",
     "comparaison des outils autorisés, pilote avec les volontaires de la session 2"),
    ("Accompagnement", "Qui aide les collègues au quotidien ?",
     "des ambassadeurs ou ambassadrices par service ; une bibliothèque de prompts et "
     "d'assistants partagés",
     "référent·es (task force, J+20), bibliothèque d'assistants versionnés"),
    ("Déploiement", "Comment passer à tous ?",
     "licences pour les personnes formées, règles d'usage claires, formation de chacun·e",
     "sessions 1 et 2, règles d'organisation (session 1, module 5)"),
    ("Suivi (KPI)", "Est-ce que cela marche, et qui continue d'aider ?",
     "indicateurs simples suivis régulièrement ; accompagnement continu (questions, "
     "nouvelles versions des assistants)",
     "usage hebdomadaire, temps gagné, satisfaction, incidents, versions d'assistants"),
)

#: Column headings of :data:`SPARK` for a table.
SPARK_COLUMNS = ("étape", "question", "ce qu'il faut faire", "dans cet atelier")


def timeline_figure(today: int | None = None):
    """The 60-day plan as a timeline (matplotlib Figure); *today* (J+n) is marked if given."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(13, 4.6))
    ax.set_xlim(-4, 66)
    ax.set_ylim(-3.2, 3.2)
    ax.axis("off")
    ax.annotate("", xy=(64, 0), xytext=(-2, 0),
                arrowprops={"arrowstyle": "->", "lw": 2, "color": "#2c3e50"})
    colours = ("#1f77b4", "#2e9e5b", "#e07b39", "#d35d9c", "#8e44ad", "#17a2b8", "#c0392b")
    # Boxes alternate above / below the axis; their x is nudged so that neighbours (the two
    # J+20 steps, J+15 next to them) never overlap.
    box_x = {"1": 0, "2": 11, "3": 20, "4": 27, "5": 33, "6": 43, "7": 60}
    for i, step in enumerate(STEPS):
        up = i % 2 == 0
        y = 1.0 if up else -1.0
        x = box_x[step.number]
        ax.plot([step.day, x], [0, y], color=colours[i], lw=1.3)
        ax.plot([step.day], [0], "o", color=colours[i], ms=10, zorder=3)
        ax.text(x, y, f"{step.number}. {step.title}\n{_wrap(step.delivered, 28)}",
                ha="center", va="bottom" if up else "top", fontsize=8.5,
                bbox={"boxstyle": "round,pad=0.4", "fc": "white", "ec": colours[i]})
    for day in sorted({s.day for s in STEPS}):
        ax.text(day + 0.6, -0.12, f"J+{day}", ha="left", va="top", fontsize=9, color="#333")
    if today is not None:
        ax.plot([today], [0.28], marker="v", color="#b3261e", ms=9)
        ax.text(today + 0.8, 0.3, "aujourd'hui", color="#b3261e", ha="left", va="bottom",
                fontsize=9)
    ax.set_title("Le plan d'intégration à 60 jours", fontsize=13, weight="bold")
    fig.tight_layout()
    return fig


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def indicators(folder=None):
    """Follow-up indicators found in the shared folder and the library (tidy DataFrame)."""
    import pandas as pd

    from toolkit.assistants import list_assistants
    from toolkit.course.sharedfolder import read_records

    rows = []
    usages = read_records("tour-de-table", folder)
    rows.append(("Usages partagés au tour de table", len(usages), "réponses"))
    if len(usages):
        minutes = pd.to_numeric(usages.get("minutes_gagnees"), errors="coerce").sum()
        rows.append(("Temps gagné déclaré", round(float(minutes) / 60, 1), "heures / semaine"))
        rows.append(("Satisfaction médiane",
                     float(pd.to_numeric(usages.get("satisfaction"), errors="coerce").median()),
                     "sur 5"))
    top3 = read_records("top3", folder)
    rows.append(("Top 3 déposés", len(top3), "participant·es"))
    library = list_assistants()
    rows.append(("Assistants dans la bibliothèque", library["id"].nunique(), "assistants"))
    rows.append(("Versions d'assistants", len(library), "versions"))
    return pd.DataFrame(rows, columns=["indicateur", "valeur", "unite"])
