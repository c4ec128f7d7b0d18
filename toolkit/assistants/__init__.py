"""The library of business assistants ("GPTs"): versioned system prompts, examples, checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit._lazy import lazy_package

if TYPE_CHECKING:  # pragma: no cover (for type checkers and editors)
    from toolkit.assistants.library import SCHEMA as SCHEMA
    from toolkit.assistants.library import Assistant as Assistant
    from toolkit.assistants.library import AssistantRun as AssistantRun
    from toolkit.assistants.library import CheckResult as CheckResult
    from toolkit.assistants.library import Comparison as Comparison
    from toolkit.assistants.library import compare as compare
    from toolkit.assistants.library import get as get
    from toolkit.assistants.library import library_folders as library_folders
    from toolkit.assistants.library import list_assistants as list_assistants
    from toolkit.assistants.library import load_file as load_file
    from toolkit.assistants.library import validate as validate

# submodule -> the names it exports, imported on first use (PEP 562).
lazy_package(globals(), {
    "toolkit.assistants.library": (
        "SCHEMA", "Assistant", "AssistantRun", "CheckResult", "Comparison", "compare", "get",
        "library_folders", "list_assistants", "load_file", "validate",
    ),
})
