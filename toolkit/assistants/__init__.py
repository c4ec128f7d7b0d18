"""The library of business assistants ("GPTs"): versioned system prompts, examples, checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit._lazy import by_module, lazy_exports

# submodule -> the names it exports, imported on first use (PEP 562).
_LAZY = by_module({
    "toolkit.assistants.library": (
        "SCHEMA", "Assistant", "AssistantRun", "CheckResult", "Comparison", "compare", "get",
        "library_folders", "list_assistants", "load_file", "validate",
    ),
})

if TYPE_CHECKING:  # pragma: no cover (for type checkers and editors)
    from toolkit.assistants.library import (
        SCHEMA,
        Assistant,
        AssistantRun,
        CheckResult,
        Comparison,
        compare,
        get,
        library_folders,
        list_assistants,
        load_file,
        validate,
    )

__all__ = [
    "SCHEMA",
    "Assistant",
    "AssistantRun",
    "CheckResult",
    "Comparison",
    "compare",
    "get",
    "library_folders",
    "list_assistants",
    "load_file",
    "validate",
]

__getattr__, __dir__ = lazy_exports(__name__, _LAZY, globals())
