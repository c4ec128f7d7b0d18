"""French typography of every message the grading code writes (U+202F / U+00A0 spaces).

The check is the course's own (``toolkit.fr.defauts_typographiques``, as in
``tests/test_fr.py``), run on the string literals of ``toolkit/grading``: those that are
French (a non-ASCII letter, or a space before ``: ; ? !``), SQL left out.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from toolkit.fr import defauts_typographiques

GRADING = Path(__file__).resolve().parents[2] / "toolkit" / "grading"
SOURCES = sorted(GRADING.rglob("*.py"))
_SQL = re.compile(r"\b(SELECT|UPDATE|INSERT|WHERE|DELETE)\b")
_FRENCH = re.compile(r"[^\x00-\x7f]| [:;?!]")


def _literals(source: str):
    """(line, text) of each string literal that is not a docstring; f-strings as one text."""
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    inner = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            inner.update(id(v) for v in node.values)
            yield node.lineno, "".join(v.value if isinstance(v, ast.Constant) else "X"
                                       for v in node.values)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in docstrings and id(node) not in inner):
            yield node.lineno, node.value


def french_faults(source: str) -> list[str]:
    return [f"ligne {line} : {fault!r}" for line, text in _literals(source)
            if _FRENCH.search(text) and not _SQL.search(text)
            for fault in defauts_typographiques(text)]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_every_grading_message_follows_french_typography(path):
    faults = french_faults(path.read_text(encoding="utf-8"))
    assert not faults, f"{path.name} :\n" + "\n".join(faults[:10])


def test_the_check_sees_a_plain_space_and_spares_sql_and_english():
    space = " "  # a plain space before the mark: what the check must catch
    assert french_faults(f'x = f"{{a}}{space}: {{b}}"\n')
    assert french_faults(f'y = "délai dépassé{space}; relancez"\n')
    assert not french_faults(f'q = "SELECT 1 WHERE name ={space}?"\nh = "kept per cell; dropped"\n')
    assert not french_faults('x = "délai dépassé\u202f: relancez"\n')
