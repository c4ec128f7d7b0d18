"""The public API is what __all__ says, and `atelier --help` does not import nbgrader."""

from __future__ import annotations

import subprocess
import sys

import toolkit.grading


def test_all_names_are_exported():
    for name in toolkit.grading.__all__:
        assert hasattr(toolkit.grading, name), name


def test_cli_help_does_not_import_nbgrader():
    code = ("import sys; from toolkit.cli import build_parser; "
            "build_parser(['grade', '--help']).format_help(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'nbgrader', 'pandas', 'nbformat', 'openpyxl', 'tqdm'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
