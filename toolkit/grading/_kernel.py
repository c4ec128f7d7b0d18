"""Launcher of the sandboxed kernels: ipykernel's own, without its debugger and history.

Used by :class:`toolkit.grading.sandbox.SandboxKernelManager` in place of
``ipykernel_launcher``. Grading, ``atelier grade validate``/``check`` and the session 2 code
interpreter never attach a debugger nor recall past sessions, so two costs of every kernel
start are skipped: importing debugpy (ipykernel then starts without its debugger, as it does
where debugpy is not installed) and opening IPython's history database in the sandbox's
throw-away home.
"""

from __future__ import annotations

import sys
from pathlib import Path

#: Options given to every sandboxed kernel after the kernelspec's own.
OPTIONS = ("--HistoryManager.enabled=False",)


def main(argv: list[str]) -> None:
    # As ipykernel_launcher: the working folder leaves sys.path while ipykernel loads
    # (IPython's init_path puts it back for the notebook's code).
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    sys.modules["debugpy"] = None  # type: ignore[assignment]  # import debugpy: ImportError
    from ipykernel import kernelapp

    kernelapp.launch_new_instance(argv=[*argv, *OPTIONS])


if __name__ == "__main__":  # pragma: no cover - runs as the kernel, in its sandbox
    main(sys.argv[1:])
