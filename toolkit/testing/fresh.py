"""Run a snippet in a fresh Python process: what a new interpreter imports, prints or shows.

Tests of import costs and of what IPython displays need a process of their own: the test
process has already imported most of the toolkit, and a shell made in it would stay.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path


def fresh_python(code: str, *args: str, cwd: str | Path | None = None,
                 env: Mapping[str, str] | None = None, timeout: float = 120) -> str:
    """The standard output of ``python -c code args`` run by this interpreter, in a new process.

    A failing snippet raises AssertionError with its standard error, so the test says why.
    """
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          cwd=cwd, env=None if env is None else dict(env), timeout=timeout)
    if done.returncode != 0:
        raise AssertionError(f"python -c exited {done.returncode}:\n{done.stderr[-4000:]}")
    return done.stdout
