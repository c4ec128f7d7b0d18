"""Reading the course sources and scanning built files (shared by every build).

One place knows which notebooks make a session and how a built file is scanned for anything
that must not reach participants; the editions themselves come from :mod:`.pipeline`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from toolkit.course.curriculum import TRAINER_TAG, Curriculum, Module, Session
from toolkit.errors import ConfigError, InputError
from toolkit.publish.pipeline import (
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    END_HIDDEN,
    END_SOLUTION,
    cell_label,
)


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
