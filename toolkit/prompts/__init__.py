"""Prompt analysis against the course's prompt framework, and the checks used by the exercises.

Import-light on purpose (standard library only): the playground widget imports it on start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit._lazy import lazy_exports

# name -> submodule that defines it, imported on first use (PEP 562).
_LAZY = {
    "ComponentResult": "toolkit.prompts.analysis",
    "PromptReport": "toolkit.prompts.analysis",
    "analyse": "toolkit.prompts.analysis",
    "COMPONENTS": "toolkit.prompts.hints",
    "HINTS": "toolkit.prompts.hints",
    "LABELS": "toolkit.prompts.hints",
    "WEIGHTS": "toolkit.prompts.hints",
}

if TYPE_CHECKING:  # pragma: no cover (for type checkers and editors)
    from toolkit.prompts.analysis import ComponentResult, PromptReport, analyse
    from toolkit.prompts.hints import COMPONENTS, HINTS, LABELS, WEIGHTS

__all__ = ["COMPONENTS", "HINTS", "LABELS", "WEIGHTS", "ComponentResult", "PromptReport", "analyse"]

__getattr__, __dir__ = lazy_exports(__name__, _LAZY, globals())
