"""Atelier IA toolkit: the course's single door to language models, and its helpers.

Typical notebook use::

    import toolkit
    toolkit.status()                      # mode, endpoint, key present or not
    toolkit.ask("Rédige trois titres pour une offre d'emploi de comptable.")

Heavy libraries (openai, pandas, matplotlib) load only when first needed, so
``import toolkit`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from toolkit._version import __version__

__all__ = [
    "Answer",
    "Picture",
    "Usage",
    "__version__",
    "ask",
    "chat",
    "count_tokens",
    "doctor",
    "draw",
    "estimate_cost",
    "set_classification",
    "settings",
    "split_tokens",
    "status",
    "usage",
]

# name -> module that defines it; resolved on first access (PEP 562).
_LAZY = {
    "ask": "toolkit.llm.client",
    "chat": "toolkit.llm.client",
    "draw": "toolkit.llm.client",
    "usage": "toolkit.llm.client",
    "estimate_cost": "toolkit.llm.client",
    "Usage": "toolkit.llm.client",
    "Answer": "toolkit.llm.answer",
    "Picture": "toolkit.llm.answer",
    "count_tokens": "toolkit.llm.tokens",
    "split_tokens": "toolkit.llm.tokens",
    "status": "toolkit.llm.status",
    "doctor": "toolkit.llm.status",
    "settings": "toolkit.config",
    "set_classification": "toolkit.llm.routing",
}

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.config import settings
    from toolkit.llm.answer import Answer, Picture
    from toolkit.llm.client import Usage, ask, chat, draw, estimate_cost, usage
    from toolkit.llm.routing import set_classification
    from toolkit.llm.status import doctor, status
    from toolkit.llm.tokens import count_tokens, split_tokens


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        # Subpackages load on first use too: toolkit.privacy, toolkit.prompts, ...
        if name.startswith("_"):
            raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
        try:
            return importlib.import_module(f"toolkit.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"toolkit.{name}":
                raise
            raise AttributeError(f"module 'toolkit' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def _explain_errors_in_kernel() -> None:
    """In a Jupyter kernel, explain the usual Python errors in French (toolkit.course.erreurs)."""
    import sys

    if "ipykernel" not in sys.modules:  # scripts, pytest, the CLI: Python's own tracebacks
        return
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None and getattr(shell, "kernel", None) is not None:
        from toolkit.course.erreurs import install

        install(shell)


_explain_errors_in_kernel()
