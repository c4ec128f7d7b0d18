"""Mapping the organisation's tasks: round-table usages, the Automato method, the top-3 mind map."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit._lazy import lazy_exports

# name -> submodule that defines it, imported on first use (PEP 562).
_LAZY = {
    "CRITERIA": "toolkit.tasks.automato",
    "QUADRANT_ADVICE": "toolkit.tasks.automato",
    "QUADRANTS": "toolkit.tasks.automato",
    "Plan": "toolkit.tasks.automato",
    "Roi": "toolkit.tasks.automato",
    "analyse": "toolkit.tasks.automato",
    "aptitude": "toolkit.tasks.automato",
    "aptitude_level": "toolkit.tasks.automato",
    "load_inventory": "toolkit.tasks.automato",
    "matrix_figure": "toolkit.tasks.automato",
    "place": "toolkit.tasks.automato",
    "plan": "toolkit.tasks.automato",
    "roi": "toolkit.tasks.automato",
    "suggest_tool": "toolkit.tasks.automato",
    "MindMap": "toolkit.tasks.mindmap",
    "mind_map": "toolkit.tasks.mindmap",
    "text_overlaps": "toolkit.tasks.mindmap",
    "theme_of": "toolkit.tasks.mindmap",
    "top3_table": "toolkit.tasks.mindmap",
    "SPARK": "toolkit.tasks.roadmap",
    "STEPS": "toolkit.tasks.roadmap",
    "indicators": "toolkit.tasks.roadmap",
    "timeline_figure": "toolkit.tasks.roadmap",
    "summarise_usages": "toolkit.tasks.usages",
    "usage_figure": "toolkit.tasks.usages",
    "validate_usage": "toolkit.tasks.usages",
}

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
    from toolkit.tasks.roadmap import SPARK, STEPS, indicators, timeline_figure
    from toolkit.tasks.usages import summarise_usages, usage_figure, validate_usage

__all__ = [
    "CRITERIA",
    "QUADRANTS",
    "QUADRANT_ADVICE",
    "SPARK",
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
    """A prepared answer shipped for the offline demos (``data/session2/simulations/<name>``).

    Notebooks pass it as ``simulated=``: it is used in offline mode only, still labelled as a
    simulated answer; live and replay modes ignore it.
    """
    return data_path(f"simulations/{name}").read_text(encoding="utf-8").strip()


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
