"""Root pytest configuration: the doctests of ``toolkit/`` run with ``make test`` too.

Every module of the package is collected for its docstring examples (as
``--doctest-modules`` would, but only under ``toolkit/``: the test folders hold fixture
files such as ``nbgrader_config.py`` that are not importable modules).  The doctests run in
a clean environment, like the tests (no setting from the machine or a developer's ``.env``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _pytest.doctest import DoctestModule

TOOLKIT = Path(__file__).resolve().parent / "toolkit"
# Scripts that are not part of the importable package (run by hand to rebuild data files).
_NOT_MODULES = (TOOLKIT / "data",)
# Files executed by ``exec`` inside a kernel, never imported: importing one would run it here
# (the grading guard resets the import machinery of the namespace it is given).
_EXEC_ONLY = (TOOLKIT / "grading" / "_guard.py",)


def pytest_collect_file(file_path: Path, parent):
    if file_path.suffix != ".py" or parent.config.option.doctestmodules:
        return None  # with --doctest-modules, pytest collects them itself
    if TOOLKIT not in file_path.parents or any(d in file_path.parents for d in _NOT_MODULES):
        return None
    if file_path in _EXEC_ONLY:
        return None
    return DoctestModule.from_parent(parent, path=file_path)

_PREFIXES = ("ATELIER_", "OPENAI_", "AZURE_OPENAI_")


@pytest.fixture(autouse=True)
def _doctest_clean_env(request, monkeypatch):
    if not isinstance(request.node, pytest.DoctestItem):
        return
    from toolkit import config

    for name in list(os.environ):
        if name.startswith(_PREFIXES):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(config, "_dotenv_loaded", True)
