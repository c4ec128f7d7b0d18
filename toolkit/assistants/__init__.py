"""The library of business assistants ("GPTs"): versioned system prompts, examples, checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit._lazy import lazy_exports

# name -> submodule that defines it, imported on first use (PEP 562).
_LAZY = {
    "SCHEMA": "toolkit.assistants.library",
    "Assistant": "toolkit.assistants.library",
    "AssistantRun": "toolkit.assistants.library",
    "CheckResult": "toolkit.assistants.library",
    "Comparison": "toolkit.assistants.library",
    "compare": "toolkit.assistants.library",
    "get": "toolkit.assistants.library",
    "library_folders": "toolkit.assistants.library",
    "list_assistants": "toolkit.assistants.library",
    "load_file": "toolkit.assistants.library",
    "validate": "toolkit.assistants.library",
}

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
