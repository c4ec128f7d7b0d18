"""Prompt analysis against the course's prompt framework, and the checks used by the exercises.

Import-light on purpose (standard library only): the playground widget imports it on start.
"""

from toolkit.prompts.analysis import ComponentResult, PromptReport, analyse
from toolkit.prompts.hints import COMPONENTS, HINTS, LABELS, WEIGHTS

__all__ = ["COMPONENTS", "HINTS", "LABELS", "WEIGHTS", "ComponentResult", "PromptReport", "analyse"]
