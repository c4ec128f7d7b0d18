"""Prepare one submission for nbgrader (in a worker) and read notes from its graded notebooks.

``submitted/`` is never changed: the submission is copied to a staging folder
(``.atelier/staging/<participant>/<exercice>/``, nbgrader's ``submitted_directory`` for the
run), where the notebook to grade is chosen, upgraded and repaired.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

from toolkit.fr import accord
from toolkit.grading._kernel_ext import TRUNCATED
from toolkit.grading.course import Course
from toolkit.grading.precheck import precheck

#: nbgrader's submitted_directory during autograde, relative to the course root.
STAGING = ".atelier/staging"



def staging_folder(course: Course, student: str, assignment: str) -> Path:
    return course.root / STAGING / student / assignment


def _when(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime).strftime("%d/%m/%Y %H:%M")


def prepare_submission(course: Course, student: str, assignment: str
                       ) -> tuple[str | None, list[str]]:
    """Stage and pre-check one submission: (French flag reason or None, notes)."""
    original = course.root / "submitted" / student / assignment
    folder = staging_folder(course, student, assignment)
    shutil.rmtree(folder, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(original, folder, symlinks=True)
    notes: list[str] = []
    expected = [p.name for p in course.source_notebooks(assignment)]
    present = sorted((p for p in folder.glob("*.ipynb") if p.is_file()),
                     key=lambda p: (p.stat().st_mtime, p.name))
    if len(expected) == 1 and len(present) > 1:
        # Several notebooks for one exercise: the newest is the participant's last word.
        newest, ignored = present[-1], present[:-1]
        for p in ignored:
            p.unlink()
        notes.append(f"plusieurs notebooks rendus : {newest.name} (le plus récent, "
                     f"{_when(original / newest.name)}) est corrigé ; ignoré"
                     f"{'s' * (len(ignored) > 1)} : "
                     + ", ".join(f"{p.name} ({_when(original / p.name)})" for p in ignored))
        present = [newest]
    names = [p.name for p in present]
    if len(expected) == 1 and expected[0] not in names and len(present) == 1:
        present[0].rename(folder / expected[0])
        notes.append(f"notebook renommé : {present[0].name} → {expected[0]}")
    names = sorted(p.name for p in folder.glob("*.ipynb"))
    for name in expected:
        path = folder / name
        if not path.exists():
            return (f"notebook {name} absent du rendu "
                    f"(trouvés : {', '.join(names) or 'aucun'}) ; demandez au participant "
                    f"de rendre {name}"), notes
        check = precheck(path, course.release_notebook(assignment, name))
        if not check.ok:
            return f"{name} : {check.reason}", notes
        if check.repaired is not None:
            path.write_text(json.dumps(check.repaired, ensure_ascii=False, indent=1),
                            encoding="utf-8")
        notes += check.notes
    return None, notes


def execution_notes(course: Course, student: str, assignment: str) -> list[str]:
    """Notes read from the autograded notebooks: interrupted and truncated cells."""
    marker = TRUNCATED.split("{")[0].strip()
    notes = []
    for src in course.source_notebooks(assignment):
        path = course.root / "autograded" / student / assignment / src.name
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue

        def name(i: int, c: dict) -> str:
            return c.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"n°{i + 1}"

        cells = list(enumerate(nb.get("cells", [])))
        interrupted = [name(i, c) for i, c in cells
                       if any(o.get("ename") == "KeyboardInterrupt" for o in c.get("outputs", []))]
        truncated = [name(i, c) for i, c in cells
                     if any(marker in "".join(o.get("text", "")) for o in c.get("outputs", []))]
        if interrupted:
            notes.append(f"{src.name}\u00a0: " + accord(
                len(interrupted), "cellule interrompue après le délai, notée 0",
                "cellules interrompues après le délai, notées 0") + "\u00a0: "
                + ", ".join(interrupted))
        if truncated:
            notes.append(f"{src.name} : sortie tronquée (trop de texte affiché) : "
                         + ", ".join(truncated))
    return notes
