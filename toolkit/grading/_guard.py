"""Run (from its file, by exec) at the top of each graded test cell: trusted check helpers.

``__ns__`` is the notebook's global namespace. The helpers and the toolkit modules the test
cell imports are loaded again from the installed files, so whatever the submission did to
the old ones (replaced ``verifier_*`` in its globals or in ``toolkit.prompts.checks``,
deleted one and defined a no-op in ``builtins``, planted a module in ``sys.modules`` or an
import hook) is not what judges the answer. Not a complete defence against code that
rewrites the interpreter itself; the sandbox limits what such code can reach.
"""

import builtins as _builtins
import sys as _sys

_HELPERS = ("verifier_contient", "verifier_egal", "verifier_fonction", "verifier_prompt",
            "analyse", "Verdict", "component_key")


def _restore(ns):
    import _frozen_importlib
    import _frozen_importlib_external

    # Import hooks the submission added could hand back its own modules.
    _sys.meta_path[:] = [_frozen_importlib.BuiltinImporter, _frozen_importlib.FrozenImporter,
                         _frozen_importlib_external.PathFinder]
    _sys.path_hooks[:] = [h for h in _sys.path_hooks
                          if getattr(h, "__module__", "") in ("zipimport",
                                                             "_frozen_importlib_external",
                                                             "importlib._bootstrap_external")
                          or h is _frozen_importlib_external.FileFinder.path_hook]
    _sys.path_importer_cache.clear()
    # Names that shadow the helpers from builtins.
    for name in list(vars(_builtins)):
        if name.startswith("verifier_") or name in _HELPERS:
            delattr(_builtins, name)
    # An IPython handler that swallows exceptions would hide a failing check.
    shell = ns.get("get_ipython")
    try:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None:
            shell.set_custom_exc((), None)
    except ImportError:  # pragma: no cover - tests always run under IPython
        shell = None
    # Fresh toolkit modules, from the files: the old objects may have been rebound.
    for key in [k for k in _sys.modules if k == "toolkit" or k.startswith("toolkit.")]:
        del _sys.modules[key]
    import importlib

    checks = importlib.import_module("toolkit.prompts.checks")
    prompts = importlib.import_module("toolkit.prompts")
    hints = importlib.import_module("toolkit.prompts.hints")
    for name in checks.__all__:
        ns[name] = getattr(checks, name)
    ns["analyse"] = prompts.analyse
    if "component_key" in ns:
        ns["component_key"] = hints.component_key
    ns["toolkit"] = _sys.modules["toolkit"]
    # Importing the checks installs the short French display of failures; at grading time
    # the full traceback is kept (the feedback page needs the failing line number).
    if shell is not None:
        shell.set_custom_exc((), None)


_restore(globals()["__ns__"])  # given by the prelude of the test cell
