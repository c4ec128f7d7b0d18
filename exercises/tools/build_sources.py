"""Write the exercise source notebooks (source/NN-topic/NN-topic.ipynb) from tools/exNN_*.py.

Usage: python exercises/tools/build_sources.py [--check]
With --check nothing is written; the exit status is 1 when a notebook differs from its content
module (run without --check to refresh it).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import nbformat

TOOLS = Path(__file__).resolve().parent
SOURCE = TOOLS.parent / "source"
MODULES = [
    "ex01_anatomie",
    "ex02_format",
    "ex03_few_shot",
    "ex04_raisonnement",
    "ex05_confidentialite",
    "ex06_automato",
]


def notebooks() -> dict[str, nbformat.NotebookNode]:
    """Assignment name -> generated notebook."""
    sys.path.insert(0, str(TOOLS))
    try:
        result = {}
        for name in MODULES:
            module = importlib.import_module(name)
            result[module.ASSIGNMENT] = module.build().build()
        return result
    finally:
        sys.path.remove(str(TOOLS))


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for assignment, nb in notebooks().items():
        path = SOURCE / assignment / f"{assignment}.ipynb"
        text = nbformat.writes(nb) + "\n"
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    for path in stale:
        verb = "à régénérer" if check else "écrit"
        sys.stdout.write(f"{verb} : {path.relative_to(TOOLS.parent.parent)}\n")
    return 1 if check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
