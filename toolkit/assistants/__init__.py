"""The library of business assistants ("GPTs"): versioned system prompts, examples, checks."""

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
