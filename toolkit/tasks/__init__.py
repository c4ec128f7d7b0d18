"""Mapping the organisation's tasks: round-table usages, the Automato method, the top-3 mind map."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit._lazy import lazy_package

if TYPE_CHECKING:  # pragma: no cover (for type checkers and editors)
    from toolkit.tasks.automato import CRITERIA as CRITERIA
    from toolkit.tasks.automato import QUADRANT_ADVICE as QUADRANT_ADVICE
    from toolkit.tasks.automato import QUADRANTS as QUADRANTS
    from toolkit.tasks.automato import Plan as Plan
    from toolkit.tasks.automato import Roi as Roi
    from toolkit.tasks.automato import analyse as analyse
    from toolkit.tasks.automato import aptitude as aptitude
    from toolkit.tasks.automato import aptitude_level as aptitude_level
    from toolkit.tasks.automato import load_inventory as load_inventory
    from toolkit.tasks.automato import matrix_figure as matrix_figure
    from toolkit.tasks.automato import place as place
    from toolkit.tasks.automato import plan as plan
    from toolkit.tasks.automato import roi as roi
    from toolkit.tasks.automato import suggest_tool as suggest_tool
    from toolkit.tasks.mindmap import MindMap as MindMap
    from toolkit.tasks.mindmap import mind_map as mind_map
    from toolkit.tasks.mindmap import text_overlaps as text_overlaps
    from toolkit.tasks.mindmap import theme_of as theme_of
    from toolkit.tasks.mindmap import top3_table as top3_table
    from toolkit.tasks.roadmap import SPARK as SPARK
    from toolkit.tasks.roadmap import SPARK_COLUMNS as SPARK_COLUMNS
    from toolkit.tasks.roadmap import STEPS as STEPS
    from toolkit.tasks.roadmap import indicators as indicators
    from toolkit.tasks.roadmap import timeline_figure as timeline_figure
    from toolkit.tasks.usages import summarise_usages as summarise_usages
    from toolkit.tasks.usages import usage_figure as usage_figure
    from toolkit.tasks.usages import validate_usage as validate_usage

# submodule -> the names it exports, imported on first use (PEP 562).
lazy_package(globals(), {
    "toolkit.tasks.automato": (
        "CRITERIA", "QUADRANT_ADVICE", "QUADRANTS", "Plan", "Roi", "analyse", "aptitude",
        "aptitude_level", "load_inventory", "matrix_figure", "place", "plan", "roi",
        "suggest_tool",
    ),
    "toolkit.tasks.mindmap": ("MindMap", "mind_map", "text_overlaps", "theme_of", "top3_table"),
    "toolkit.tasks.roadmap": ("SPARK", "SPARK_COLUMNS", "STEPS", "indicators", "timeline_figure"),
    "toolkit.tasks.usages": ("summarise_usages", "usage_figure", "validate_usage"),
}, local=("data_path", "simulated_text"))


def simulated_text(name: str) -> str:
    """A prepared answer of the course (``toolkit/data/exemples``), by key or file name.

    Kept for older notebooks: new ones use :func:`toolkit.course.prepared.text`.
    """
    from toolkit.course import prepared

    return prepared.text(name.removesuffix(".md"))


def data_path(name: str):
    """Path of a file shipped for session 2 (``toolkit/data/session2/<name>``)."""
    from importlib.resources import files

    from toolkit.errors import InputError

    path = files("toolkit") / "data" / "session2" / name
    if not path.is_file():
        raise InputError(
            f"Fichier d'exemple introuvable : {name}.",
            "Réinstallez le paquet atelier-ia (pip install -e .).",
        )
    return path
