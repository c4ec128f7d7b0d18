"""One LLM interface for the whole course: live, replay and offline modes.

Notebooks and exercises call :func:`ask`, :func:`chat` and :func:`draw` (re-exported by
:mod:`toolkit`), never the SDK.  Submodules: ``client`` (dispatch, budget, streaming),
``live`` (openai SDK), ``replay`` (cassettes), ``offline`` (simulator), ``tokens``,
``pricing``, ``answer`` (result objects), ``status`` (environment report).
"""

# Submodules only: nothing is re-exported here (import them by name).
__all__: list[str] = []
