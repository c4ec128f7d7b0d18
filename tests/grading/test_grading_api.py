"""The public API is what __all__ says, and `atelier --help` does not import nbgrader."""

from __future__ import annotations

import toolkit.grading
from toolkit.testing.fresh import fresh_python


def test_all_names_are_exported():
    for name in toolkit.grading.__all__:
        assert hasattr(toolkit.grading, name), name


def test_cli_help_does_not_import_nbgrader():
    code = ("import sys; from toolkit.cli import build_parser; "
            "build_parser(['grade', '--help']).format_help(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'nbgrader', 'pandas', 'nbformat', 'openpyxl', 'tqdm'}))")
    assert fresh_python(code).strip() == "[]"
