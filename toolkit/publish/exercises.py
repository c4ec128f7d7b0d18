"""Exercise notebooks generated from their one text source (``exercises/text/NN-topic.md``).

Each exercise is authored as one MyST Markdown notebook (jupytext) that a trainer opens and
edits in JupyterLab: instructions, answer and test cells with their nbgrader metadata (points
included) and, on each test cell, the hint shown when a check fails (``atelier.indice``).
:func:`sync_exercises` writes the nbgrader sources ``exercises/source/NN-topic/NN-topic.ipynb``
and the hint table read by :mod:`toolkit.prompts.indices`; ``check=True`` only reports what is
stale (tests and CI). ``curriculum.yml`` is the one list of exercises.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from toolkit.course.curriculum import MANIFEST, Curriculum
from toolkit.course.curriculum import load as load_curriculum
from toolkit.errors import InputError

__all__ = [
    "HINT_KEY",
    "TEXT_DIR",
    "exercise_hints",
    "exercise_names",
    "notebook_from_text",
    "question_key",
    "source_path",
    "sync_exercises",
    "text_path",
]

#: Folder of the text sources, inside ``exercises/`` (outside ``source/``: nbgrader releases
#: every file of an assignment folder, and the text holds the solutions).
TEXT_DIR = "text"
#: Cell metadata holding the hint of a test cell: ``{"atelier": {"indice": "..."}}``.
HINT_KEY = "indice"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def exercise_names(cur: Curriculum) -> list[str]:
    """Exercise ids in the order ``curriculum.yml`` lists them (the one list of exercises)."""
    return list(dict.fromkeys(ex for m in cur.modules() for ex in m.exercises))


def text_path(cur: Curriculum, name: str) -> Path:
    return cur.root / "exercises" / TEXT_DIR / f"{name}.md"


def source_path(cur: Curriculum, name: str) -> Path:
    return cur.root / "exercises" / "source" / name / f"{name}.ipynb"


def question_key(grade_id: str) -> str:
    """The key checks use for a test cell: its grade_id without the ``exNN-`` prefix."""
    return grade_id.split("-", 1)[1] if "-" in grade_id else grade_id


def _prefix(name: str) -> str:
    return "ex" + name.split("-", 1)[0]


def notebook_from_text(path: Path, name: str | None = None):
    """The nbgrader source notebook of one text source (cell ids derived, never random)."""
    import jupytext
    import nbformat

    from toolkit.fr import typographie_notebook

    name = name or path.stem
    try:
        nb = jupytext.read(path, fmt="md:myst")
    except (OSError, ValueError) as exc:
        raise InputError(
            f"La source de l'exercice {path} ne peut pas être lue : {exc}.",
            "Ouvrez-la dans JupyterLab (clic droit → Ouvrir avec → Notebook) pour la réparer.",
        ) from exc
    nb.metadata.pop("jupytext", None)
    typographie_notebook(nb)  # French spaces in the markdown cells, as in the course notebooks
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    nb.nbformat, nb.nbformat_minor = 4, 5
    seen: dict[str, int] = {}
    for i, cell in enumerate(nb.cells, start=1):
        # nbgrader cells keep their grade_id as id (stable diffs); the others get their rank.
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        cell["id"] = gid or f"{_prefix(name)}-libre-{i:02d}"
        if cell["id"] in seen:
            raise InputError(
                f"{path.name}, cellule n° {i} : le grade_id « {cell['id']} » est déjà celui de "
                f"la cellule n° {seen[cell['id']]}.",
                "Donnez à chaque cellule notée un grade_id unique.",
            )
        seen[cell["id"]] = i
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.validate(nb)
    return nb


def exercise_hints(nb, where: str) -> dict[str, str]:
    """``{question key: hint}`` from the test cells of one exercise notebook."""
    hints: dict[str, str] = {}
    for i, cell in enumerate(nb.cells, start=1):
        hint = (cell.metadata.get("atelier") or {}).get(HINT_KEY)
        if not hint:
            continue
        meta = cell.metadata.get("nbgrader", {})
        if not (meta.get("grade") and meta.get("grade_id")):
            raise InputError(
                f"{where}, cellule n° {i} : un indice n'a de sens que sur une cellule de test "
                "notée (nbgrader grade: true).",
                "Déplacez « atelier: indice: … » dans la cellule de vérification de la question.",
            )
        hints[question_key(meta["grade_id"])] = str(hint).strip()
    return hints


def _default_hints_file() -> Path:
    from toolkit.prompts.indices import HINTS_FILE

    return HINTS_FILE


def sync_exercises(
    root: Path | None = None, *, check: bool = False, hints_file: str | os.PathLike | None = None
) -> list[str]:
    """Regenerate every exercise notebook and the hint table from the text sources.

    Returns the paths that were (or, with ``check=True``, would be) rewritten. Raises
    :class:`InputError` when an exercise of ``curriculum.yml`` has no text source, or a text
    source is listed nowhere.
    """
    import nbformat

    cur = load_curriculum(root)
    names = exercise_names(cur)
    text_dir = cur.root / "exercises" / TEXT_DIR
    stray = sorted(p.stem for p in text_dir.glob("*.md") if p.stem not in names)
    if stray:
        raise InputError(
            f"{text_dir} : {', '.join(stray)} n'est listé dans aucun module de {MANIFEST}.",
            f"Ajoutez l'exercice à la liste « exercises: » d'un module de {MANIFEST}, ou "
            "supprimez le fichier.",
        )
    changed: list[str] = []
    hints: dict[str, str] = {}
    for name in names:
        path = text_path(cur, name)
        if not path.is_file():
            raise InputError(
                f"L'exercice « {name} » de {MANIFEST} n'a pas de source {path}.",
                "Créez ce fichier (copiez un exercice existant) ou retirez l'exercice du "
                "manifeste.",
            )
        nb = notebook_from_text(path, name)
        for key, hint in exercise_hints(nb, path.name).items():
            if key in hints:
                raise InputError(
                    f"{path.name} : la question « {key} » a déjà un indice dans un autre "
                    "exercice.", "Donnez un grade_id propre à chaque exercice (préfixe exNN-)."
                )
            hints[key] = hint
        target = source_path(cur, name)
        text = nbformat.writes(nb) + "\n"
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            changed.append(target.relative_to(cur.root).as_posix())
            if not check:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
    hints_path = Path(hints_file) if hints_file else _default_hints_file()
    table = json.dumps(dict(sorted(hints.items())), ensure_ascii=False, indent=2) + "\n"
    if not hints_path.is_file() or hints_path.read_text(encoding="utf-8") != table:
        try:
            changed.append(hints_path.resolve().relative_to(cur.root.resolve()).as_posix())
        except ValueError:  # a hint table outside the course (tests, an installed toolkit)
            changed.append(str(hints_path))
        if not check:
            hints_path.write_text(table, encoding="utf-8")
    return changed
