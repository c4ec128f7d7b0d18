"""Import submissions exported from an LMS, Teams or e-mail into ``submitted/``.

Recognised layouts (ASSIGNMENT is a folder name of ``source/``, compared in lower-case ASCII
with spaces and underscores read as ``-``; STUDENT becomes a normalised id, e.g.
"Marie Dupont" -> ``marie_dupont``):

A. ``STUDENT/ASSIGNMENT/anything.ipynb``            (nbgrader, Teams "Student Work")
B. ``STUDENT/ASSIGNMENT.ipynb``                      (one folder per participant)
C. ``ASSIGNMENT/STUDENT.ipynb``                      (one folder per exercise)
D. ``STUDENT_ASSIGNMENT.ipynb``, ``ASSIGNMENT - Prénom Nom.ipynb``, ``Prénom Nom - ASSIGNMENT``:
   a flat file whose name holds the assignment id; the rest of the name is the student
E. Moodle: ``Prénom Nom_123456_assignsubmission_file_ASSIGNMENT.ipynb``

A browser copy suffix `` (1)`` is ignored. Anything else is listed with its reason; when
several files give the same student and assignment the latest (file or zip date) wins.
"""

from __future__ import annotations

import contextlib
import functools
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from toolkit.errors import InputError
from toolkit.grading._render import block, table
from toolkit.grading.course import Course, ascii_lower, normalise_student_id

SYSTEM_PARTS = {"__MACOSX", ".DS_Store", ".ipynb_checkpoints", "Thumbs.db", "desktop.ini"}
_MOODLE = re.compile(r"_\d+_assignsubmission_[a-z]+_", re.IGNORECASE)
_COPY_SUFFIX = re.compile(r"\s*\(\d+\)$")


@dataclass
class Placed:
    """One file imported as ``submitted/<student>/<assignment>/<notebook>``."""

    origin: str
    student: str
    assignment: str
    notebook: str
    mtime: float
    replaced_existing: bool = False


@dataclass
class Unplaced:
    origin: str
    reason: str


@dataclass
class Duplicate:
    origin: str
    kept: str
    student: str
    assignment: str


@dataclass
class CollectReport:
    """What ``collect`` imported, what it could not place (with why) and duplicates."""

    placed: list[Placed] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [
            f"Rendus importés : {len(self.placed)} ; non placés : {len(self.unplaced)} ; "
            f"doublons écartés : {len(self.duplicates)}"
        ]
        for p in self.placed:
            extra = " (remplace un rendu déjà présent)" if p.replaced_existing else ""
            lines.append(f"  ✓ {p.origin} → {p.student}/{p.assignment}/{p.notebook}{extra}")
        for u in self.unplaced:
            lines.append(f"  ✗ {u.origin} : {u.reason}")
        for d in self.duplicates:
            lines.append(f"  ≠ {d.origin} : doublon de {d.student}/{d.assignment}, "
                         f"le plus récent est gardé ({d.kept})")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = [[p.origin, p.student, p.assignment, "importé"] for p in self.placed]
        rows += [[u.origin, "", "", f"non placé : {u.reason}"] for u in self.unplaced]
        rows += [[d.origin, d.student, d.assignment, f"doublon écarté (gardé : {d.kept})"]
                 for d in self.duplicates]
        return block(str(self).splitlines()[0], [],
                     table(["fichier", "participant", "exercice", "résultat"], rows))


@dataclass
class _Candidate:
    origin: str
    parts: tuple[str, ...]
    mtime: float
    read: Callable[[], bytes]


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", ascii_lower(text)).strip("-")


def _find_assignment(key: str, assignments: dict[str, str]) -> tuple[str, str] | None:
    """(assignment, remainder) when a known assignment id is a whole segment of ``key``."""
    for akey in sorted(assignments, key=len, reverse=True):
        m = re.search(rf"(?:^|-){re.escape(akey)}(?:-|$)", key)
        if m:
            rest = (key[: m.start()] + "-" + key[m.end():]).strip("-")
            return assignments[akey], rest
    return None


def place(parts: tuple[str, ...], assignments: list[str]) -> tuple[str, str] | str:
    """(student_id, assignment) for a relative path, or the French reason it cannot be placed."""
    akeys = {_key(a): a for a in assignments}
    *dirs, filename = parts
    stem = PurePosixPath(filename).stem
    stem = _COPY_SUFFIX.sub("", _MOODLE.sub(" - ", stem))
    dir_assign = [akeys.get(_key(d)) for d in dirs]
    # A: STUDENT/ASSIGNMENT/file.ipynb
    if len(dirs) >= 2 and dir_assign[-1] and not dir_assign[-2]:
        student = normalise_student_id(dirs[-2])
        if student:
            return student, dir_assign[-1]
    # C: ASSIGNMENT/STUDENT.ipynb
    if dirs and dir_assign[-1]:
        found = _find_assignment(_key(stem), akeys)
        rest = found[1] if found else _key(stem)
        student = normalise_student_id(rest)
        if student:
            return student, dir_assign[-1]
        if len(dirs) >= 2:
            student = normalise_student_id(dirs[-2])
            if student:
                return student, dir_assign[-1]
        return "le nom du fichier ne contient pas de nom de participant"
    found = _find_assignment(_key(stem), akeys)
    if not found:
        return ("aucun nom d'exercice connu dans le chemin (attendu : "
                + ", ".join(assignments) + ")")
    assignment, rest = found
    # D/E: flat name holding the student; B: STUDENT/ASSIGNMENT.ipynb
    student = normalise_student_id(rest) or (normalise_student_id(dirs[-1]) if dirs else "")
    if not student:
        return "le nom du fichier ne contient pas de nom de participant"
    return student, assignment


def display_name(parts: tuple[str, ...], student: str, assignment: str) -> str:
    """The participant's name as written in the path (accents, capitals), or "" if unsure."""
    *dirs, filename = parts
    stem = _COPY_SUFFIX.sub("", _MOODLE.sub(" - ", PurePosixPath(filename).stem))
    candidates = [*reversed(dirs), stem]
    for text in candidates:
        # Drop the assignment's own words from a flat name ("01-anatomie - Élodie Müller").
        words = re.split(r"[\s_]+|\s*-\s+|\s+-\s*", text)
        own = set(_key(assignment).split("-"))
        kept = [w for w in words if w and not set(_key(w).split("-")) <= own]
        name = " ".join(kept).strip(" -_")
        if name and normalise_student_id(name) == student:
            return name
    return ""


def _zip_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not info.flag_bits & 0x800:
        # Windows zips store names in the OEM code page without the UTF-8 flag; zipfile
        # decoded them as cp437, which garbles "é". Undo that when the bytes are UTF-8.
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("utf-8")
    return name


def _candidates(path: Path) -> list[_Candidate]:
    out: list[_Candidate] = []
    if path.is_file() and zipfile.is_zipfile(path):
        zf = zipfile.ZipFile(path)
        for info in zf.infolist():
            if info.is_dir():
                continue
            name = _zip_name(info)
            mtime = datetime(*info.date_time).timestamp()
            out.append(_Candidate(f"{path.name}:{name}", PurePosixPath(name).parts, mtime,
                                  functools.partial(zf.read, info)))
    elif path.is_dir():
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            rel = file.relative_to(path)
            out.append(_Candidate(str(rel), rel.parts, file.stat().st_mtime,
                                  file.read_bytes))
    else:
        raise InputError(f"« {path} » n'est ni un dossier ni une archive zip.",
                         "Indiquez le dossier ou le .zip exporté de la plateforme.")
    return out


def collect(path: str | Path, *, course: Course | str | None = None,
            dry_run: bool = False) -> CollectReport:
    """Copy the notebooks found in ``path`` (folder or zip) into ``submitted/``.

    Nothing is dropped silently: every file ends in ``placed``, ``unplaced`` (with a reason)
    or ``duplicates`` (with the file that was kept).
    """
    course = course if isinstance(course, Course) else Course.open(course)
    path = Path(path)
    if not path.exists():
        raise InputError(f"« {path} » est introuvable.", "Vérifiez le chemin de l'export.")
    assignments = course.assignments()
    report = CollectReport()
    chosen: dict[tuple[str, str, str], _Candidate] = {}
    display: dict[str, str] = {}
    for cand in _candidates(path):
        if any(part in SYSTEM_PARTS or part.startswith("._") for part in cand.parts):
            report.unplaced.append(Unplaced(cand.origin, "fichier système ignoré"))
            continue
        if not cand.parts[-1].lower().endswith(".ipynb"):
            report.unplaced.append(Unplaced(cand.origin, "ce n'est pas un notebook (.ipynb)"))
            continue
        where = place(cand.parts, assignments)
        if isinstance(where, str):
            report.unplaced.append(Unplaced(cand.origin, where))
            continue
        student, assignment = where
        display.setdefault(student, display_name(cand.parts, student, assignment))
        notebooks = [p.name for p in course.source_notebooks(assignment)]
        if len(notebooks) == 1:
            notebook = notebooks[0]
        elif cand.parts[-1] in notebooks:
            notebook = cand.parts[-1]
        else:
            report.unplaced.append(Unplaced(
                cand.origin, f"l'exercice {assignment} a plusieurs notebooks "
                f"({', '.join(notebooks)}) et ce nom n'en fait pas partie"))
            continue
        key = (student, assignment, notebook)
        previous = chosen.get(key)
        if previous is None:
            chosen[key] = cand
            continue
        newer, older = (cand, previous) if cand.mtime >= previous.mtime else (previous, cand)
        chosen[key] = newer
        report.duplicates.append(Duplicate(older.origin, newer.origin, student, assignment))
    for (student, assignment, notebook), cand in sorted(chosen.items()):
        target = course.root / "submitted" / student / assignment / notebook
        placed = Placed(cand.origin, student, assignment, notebook, cand.mtime,
                        replaced_existing=target.exists())
        report.placed.append(placed)
        if dry_run:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(cand.read())
        stamp = datetime.fromtimestamp(cand.mtime, tz=timezone.utc)
        (target.parent / "timestamp.txt").write_text(
            stamp.strftime("%Y-%m-%d %H:%M:%S.%f UTC"), encoding="utf-8")
    if not dry_run and display:
        from toolkit.grading.roster import remember

        remember(course, display)
    return report
