"""One LLM interface for the whole course: live, replay and offline modes.

Notebooks and exercises call :func:`ask`, :func:`chat` and :func:`draw` (re-exported by
:mod:`toolkit`), never the SDK.  Submodules: ``client`` (public calls and the steps every
mode shares), ``backends`` (one class per mode behind ``Backend.complete(request,
deadline)``), ``live`` (openai SDK within a deadline), ``replay`` (cassettes), ``offline``
(simulator), ``budget`` (usage, reservations), ``streaming`` (cell and terminal display),
``tokens``, ``pricing``, ``answer`` (result objects), ``status`` (environment report).
"""
