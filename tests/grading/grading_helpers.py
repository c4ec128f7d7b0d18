"""Helpers for the grading tests: build participant submissions from the release."""

from __future__ import annotations

import copy
import json
from pathlib import Path

FIXTURE_COURSE = Path(__file__).parent / "fixtures" / "course"
ASSIGNMENT = "01-demo"
GOOD_CARRE = "def carre(x):\n    return x * x"
GOOD_SALUER = 'def saluer(nom):\n    return f"Bonjour {nom} !"'


def release_nb(root: Path) -> dict:
    return json.loads((root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text("utf-8"))


def cell_index(nb: dict, grade_id: str) -> int:
    for i, cell in enumerate(nb["cells"]):
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return i
    raise KeyError(grade_id)


def answered(root: Path, carre: str = GOOD_CARRE, saluer: str = GOOD_SALUER,
             reflexion: str | None = "Un modèle peut inventer des sources.") -> dict:
    """The released notebook filled in by a participant."""
    nb = copy.deepcopy(release_nb(root))
    nb["cells"][cell_index(nb, "carre")]["source"] = carre
    nb["cells"][cell_index(nb, "saluer")]["source"] = saluer
    if reflexion is not None:
        nb["cells"][cell_index(nb, "reflexion")]["source"] = reflexion
    return nb


def submit(root: Path, student: str, content, name: str = f"{ASSIGNMENT}.ipynb") -> Path:
    """Write a submission (dict -> JSON, str/bytes as is) into submitted/."""
    folder = root / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(content, dict):
        path.write_text(json.dumps(content), encoding="utf-8")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path
