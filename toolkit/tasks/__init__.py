"""Mapping the organisation's tasks: round-table usages, the Automato method, the top-3 mind map."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit._lazy import by_module, lazy_exports

# submodule -> the names it exports, imported on first use (PEP 562).
_LAZY = by_module({
    "toolkit.tasks.automato": (
        "CRITERIA", "QUADRANT_ADVICE", "QUADRANTS", "Plan", "Roi", "analyse", "aptitude",
        "aptitude_level", "load_inventory", "matrix_figure", "place", "plan", "roi", "suggest_tool",
    ),
    "toolkit.tasks.mindmap": ("MindMap", "mind_map", "text_overlaps", "theme_of", "top3_table"),
    "toolkit.tasks.roadmap": ("SPARK", "SPARK_COLUMNS", "STEPS", "indicators", "timeline_figure"),
    "toolkit.tasks.usages": ("summarise_usages", "usage_figure", "validate_usage"),
})

if TYPE_CHECKING:  # pragma: no cover (for type checkers and editors)
    from toolkit.tasks.automato import (
        CRITERIA,
        QUADRANT_ADVICE,
        QUADRANTS,
        Plan,
        Roi,
        analyse,
        aptitude,
        aptitude_level,
        load_inventory,
        matrix_figure,
        place,
        plan,
        roi,
        suggest_tool,
    )
    from toolkit.tasks.mindmap import MindMap, mind_map, text_overlaps, theme_of, top3_table
    from toolkit.tasks.roadmap import SPARK, SPARK_COLUMNS, STEPS, indicators, timeline_figure
    from toolkit.tasks.usages import summarise_usages, usage_figure, validate_usage

__all__ = [
    "CRITERIA",
    "QUADRANTS",
    "QUADRANT_ADVICE",
    "SPARK",
    "SPARK_COLUMNS",
    "STEPS",
    "MindMap",
    "Plan",
    "Roi",
    "analyse",
    "aptitude",
    "aptitude_level",
    "data_path",
    "indicators",
    "load_inventory",
    "matrix_figure",
    "mind_map",
    "place",
    "plan",
    "roi",
    "simulated_text",
    "suggest_tool",
    "summarise_usages",
    "text_overlaps",
    "theme_of",
    "timeline_figure",
    "top3_table",
    "usage_figure",
    "validate_usage",
]

__getattr__, __dir__ = lazy_exports(__name__, _LAZY, globals())


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
