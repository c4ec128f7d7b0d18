"""Reading the course sources and turning them into clean copies (shared by every build).

One place knows which notebooks make a session, how the curriculum version is stamped into a
header, how solutions and hidden tests are cleared (the way nbgrader does it) and how a built
file is scanned for anything that must not reach participants.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path

from toolkit.course.curriculum import (
    HEADER_TAG,
    TRAINER_TAG,
    Curriculum,
    Module,
    Session,
    header_markdown,
    home_header_markdown,
)
from toolkit.errors import ConfigError, InputError

#: Delimiters nbgrader uses (``ClearSolutions`` and ``ClearHiddenTests`` defaults).
BEGIN_SOLUTION = "BEGIN SOLUTION"
END_SOLUTION = "END SOLUTION"
BEGIN_HIDDEN = "BEGIN HIDDEN TESTS"
END_HIDDEN = "END HIDDEN TESTS"

#: Stubs that replace a solution, identical to ``exercises/nbgrader_config.py``.
CODE_STUB = "# ✏️ VOTRE RÉPONSE ICI"
TEXT_STUB = "✏️ VOTRE RÉPONSE ICI (remplacez ce texte par votre réponse)"


@dataclass(frozen=True)
class Source:
    """One course notebook as listed in the manifest, with its path on disk."""

    rel: str
    path: Path
    module: Module | None  # None for the course home page

    @property
    def exists(self) -> bool:
        return self.path.is_file()


def session_sources(cur: Curriculum, session: Session) -> list[Source]:
    """The notebooks of *session* in manifest order (missing ones included, see ``exists``)."""
    return [Source(m.file, cur.root / m.file, m) for m in session.modules]


def all_sources(cur: Curriculum, *, tools: bool = True) -> list[Source]:
    """The home page, every session notebook and (optionally) the trainer tools."""
    out = [Source(cur.home, cur.root / cur.home, None)]
    for s in cur.sessions:
        out += session_sources(cur, s)
    if tools:
        out += [Source(m.file, cur.root / m.file, m) for m in cur.tools]
    return out


def find_session(cur: Curriculum, name: str) -> Session:
    """A session by id ("01-acculturation"), number ("1", "01") or name part ("acculturation")."""
    wanted = name.strip().lower()
    for s in cur.sessions:
        number = s.id.split("-", 1)[0]
        if wanted in (s.id.lower(), number, number.lstrip("0")) or (
            len(wanted) >= 4 and wanted in s.id.lower()
        ):
            return s
    return cur.session(name)  # raises the manifest's French error listing the sessions


def read_notebook(path: Path):
    """Read a notebook, with a French error naming the file when it is not valid JSON."""
    import nbformat

    try:
        return nbformat.read(path, as_version=4)
    except (OSError, ValueError) as exc:  # NotJSONError is a ValueError
        raise InputError(
            f"Le notebook {path} ne peut pas être lu : {exc}.",
            "Ouvrez-le dans JupyterLab pour le réparer, ou restaurez-le depuis git.",
        ) from exc


def cell_label(nb, index: int) -> str:
    """« cellule n° 5 (id abc123) » — how a French message names a cell."""
    cell = nb.cells[index]
    cid = cell.get("id")
    return f"cellule n° {index + 1}" + (f" (id {cid})" if cid else "")


def stamp_header(nb, cur: Curriculum, module: Module | None) -> None:
    """Regenerate the header cell from the manifest so it carries the current version."""
    import nbformat

    text = home_header_markdown(cur) if module is None else header_markdown(cur, module)
    idx = next(
        (i for i, c in enumerate(nb.cells) if HEADER_TAG in c.metadata.get("tags", [])), None
    )
    if idx is None:
        cell = nbformat.v4.new_markdown_cell(text)
        cell.metadata["tags"] = [HEADER_TAG]
        cell.metadata["slideshow"] = {"slide_type": "slide"}
        nb.cells.insert(0, cell)
    else:
        nb.cells[idx].source = text
    meta = dict(nb.metadata.get("atelier") or {})
    meta["version"] = cur.version
    nb.metadata["atelier"] = meta


def strip_outputs(nb) -> None:
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs = []
            c.execution_count = None
    nb.metadata.pop("widgets", None)


def _replace_region(source: str, begin: str, end: str, stub: list[str] | None, where: str):
    """Replace (stub) or drop (``stub=None``) the lines between *begin* and *end*."""
    out, inside, found = [], False, False
    for line in source.split("\n"):
        if begin in line:
            if inside:
                raise InputError(
                    f"{where} : « ### {begin} » apparaît deux fois sans « ### {end} » "
                    "entre les deux.",
                    f"Fermez la première zone par « ### {end} ».",
                )
            inside = found = True
            if stub is not None:
                indent = re.match(r"\s*", line).group(0)
                out += [indent + s for s in stub]
        elif end in line:
            if not inside:
                raise InputError(
                    f"{where} : « ### {end} » sans « ### {begin} » avant.",
                    f"Ajoutez « ### {begin} » au début de la zone ou retirez cette ligne.",
                )
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise InputError(
            f"{where} : la zone « ### {begin} » n'est pas fermée.",
            f"Ajoutez « ### {end} » à la fin de la zone.",
        )
    return "\n".join(out), found


def clear_solutions(nb, rel: str) -> int:
    """Replace solutions by the stub and drop hidden tests, as nbgrader does; returns a count.

    Regions between ``### BEGIN SOLUTION`` / ``### END SOLUTION`` become the French stub (same
    indentation); a cell marked ``nbgrader.solution`` without a region becomes the stub; lines
    between ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS`` are removed.
    """
    cleared = 0
    for i, cell in enumerate(nb.cells):
        where = f"{rel}, {cell_label(nb, i)}"
        stub = CODE_STUB if cell.cell_type == "code" else TEXT_STUB
        source, found = _replace_region(
            cell.source, BEGIN_SOLUTION, END_SOLUTION, stub.split("\n"), where
        )
        if not found and cell.metadata.get("nbgrader", {}).get("solution"):
            source, found = stub, True
        source, hidden = _replace_region(source, BEGIN_HIDDEN, END_HIDDEN, None, where)
        if found or hidden:
            cell.source = source
            cleared += 1
    return cleared


def remove_trainer_cells(nb) -> int:
    before = len(nb.cells)
    nb.cells = [c for c in nb.cells if TRAINER_TAG not in c.metadata.get("tags", [])]
    return before - len(nb.cells)


def participant_copy(nb, cur: Curriculum, source: Source):
    """Participant edition: stamped header, no trainer notes, no solutions, no outputs."""
    out = copy.deepcopy(nb)
    stamp_header(out, cur, source.module)
    remove_trainer_cells(out)
    clear_solutions(out, source.rel)
    strip_outputs(out)
    return out


def trainer_copy(nb, cur: Curriculum, source: Source):
    """Trainer edition: everything kept (notes, solutions), stamped header, no outputs."""
    out = copy.deepcopy(nb)
    stamp_header(out, cur, source.module)
    strip_outputs(out)
    return out


# ---- leak detection ----------------------------------------------------------------------

#: Markers that must never appear in what participants receive.
LEAK_MARKERS = (BEGIN_SOLUTION, END_SOLUTION, BEGIN_HIDDEN, END_HIDDEN)


@dataclass(frozen=True)
class Problem:
    """Why a build is refused: the file, the cell and what is wrong (French)."""

    file: str
    cell: str
    what: str

    def __str__(self) -> str:
        return f"{self.file}, {self.cell} : {self.what}"


def output_problems(nb, rel: str) -> list[Problem]:
    """Cells of a source notebook that were saved with outputs or an execution count."""
    problems = []
    for i, c in enumerate(nb.cells):
        if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None):
            problems.append(
                Problem(rel, cell_label(nb, i), "la cellule a été enregistrée avec ses sorties")
            )
    return problems


def leak_problems(
    nb, rel: str, *, hidden_lines: tuple[str, ...] = (), trainer_notes: bool = True
) -> list[Problem]:
    """Solution / hidden-test markers, hidden-test lines or trainer notes left in *nb*."""
    problems = []
    for i, c in enumerate(nb.cells):
        label = cell_label(nb, i)
        for marker in LEAK_MARKERS:
            if marker in c.source:
                problems.append(Problem(rel, label, f"« ### {marker} » est encore présent"))
        for line in hidden_lines:
            if line in c.source:
                problems.append(
                    Problem(rel, label, f"une ligne de test caché est visible : « {line[:60]} »")
                )
        if trainer_notes and TRAINER_TAG in c.metadata.get("tags", []):
            problems.append(Problem(rel, label, "une note pour l'animateur·rice est restée"))
        if c.cell_type == "code" and c.get("outputs"):
            problems.append(Problem(rel, label, "la cellule contient des sorties"))
    return problems


def require_node_assets(folder: Path) -> Path:
    """The npm ``node_modules`` folder with reveal.js, or a French error saying how to get it."""
    if (folder / "reveal.js" / "dist" / "reveal.js").is_file():
        return folder
    raise ConfigError(
        f"reveal.js est introuvable dans {folder} (les fichiers des diaporamas viennent du "
        "registre npm et ne sont pas dans le dépôt).",
        "Lancez « bash tools/browser-deps.sh » (ou « npm ci --prefix slides ») puis recommencez.",
    )
