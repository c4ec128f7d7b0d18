"""Prompt analysis against the course's prompt framework, and the checks used by the exercises.

Import-light on purpose (standard library only): the playground widget imports it on start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit._lazy import lazy_package

if TYPE_CHECKING:  # pragma: no cover (for type checkers and editors)
    from toolkit.prompts.analysis import ComponentResult as ComponentResult
    from toolkit.prompts.analysis import PromptReport as PromptReport
    from toolkit.prompts.analysis import analyse as analyse
    from toolkit.prompts.hints import COMPONENTS as COMPONENTS
    from toolkit.prompts.hints import HINTS as HINTS
    from toolkit.prompts.hints import LABELS as LABELS
    from toolkit.prompts.hints import WEIGHTS as WEIGHTS

# submodule -> the names it exports, imported on first use (PEP 562).
lazy_package(globals(), {
    "toolkit.prompts.analysis": ("ComponentResult", "PromptReport", "analyse"),
    "toolkit.prompts.hints": ("COMPONENTS", "HINTS", "LABELS", "WEIGHTS"),
})
