"""The nbgrader course folder: where it is, its assignments, its configuration and API object.

Everything that needs nbgrader goes through :func:`make_api`, which loads the course's own
``nbgrader_config.py`` and then applies the toolkit's overrides.
"""

from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import ConfigError, InputError
from toolkit.publish.pipeline import BEGIN_HIDDEN, END_HIDDEN, hidden_test_lines

#: Default course root, relative to the repository root.
DEFAULT_COURSE = "exercises"

#: Folder (inside the course) for files the toolkit adds: flags, original submissions.
STATE_DIR = ".atelier"

#: Lines that delimit hidden tests in nbgrader source notebooks (one definition, in the
#: notebook pipeline).
HIDDEN_BEGIN = f"### {BEGIN_HIDDEN}"
HIDDEN_END = f"### {END_HIDDEN}"


def ascii_lower(text: str) -> str:
    """Lower-case ASCII transliteration ("Élodie Müller" -> "elodie muller")."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def normalise_student_id(name: str) -> str:
    """Student id safe for paths: ASCII, lower case, words joined by ``_``.

    >>> normalise_student_id("Marie-Hélène  DUPONT")
    'marie_helene_dupont'
    """
    return re.sub(r"[^a-z0-9]+", "_", ascii_lower(name)).strip("_")


@dataclass(frozen=True)
class Course:
    """An nbgrader course folder (``source/``, ``release/``, ``submitted/``...)."""

    root: Path

    @classmethod
    def open(cls, path: str | os.PathLike | None = None) -> Course:
        root = Path(path or DEFAULT_COURSE).resolve()
        if not (root / "source").is_dir():
            raise ConfigError(
                f"Le dossier de cours « {root} » n'a pas de sous-dossier source/.",
                "Lancez la commande depuis la racine du dépôt ou indiquez le cours avec "
                "--course DOSSIER.",
            )
        return cls(root)

    # ---- folders -------------------------------------------------------------------------
    def folder(self, name: str) -> Path:
        return self.root / name

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    @property
    def flags_path(self) -> Path:
        return self.state_dir / "flags.json"

    # ---- assignments ---------------------------------------------------------------------
    def assignments(self) -> list[str]:
        """Assignment ids: the folders of ``source/`` holding at least one notebook."""
        src = self.root / "source"
        return sorted(
            p.name for p in src.iterdir()
            if p.is_dir() and not p.name.startswith(".") and any(p.glob("*.ipynb"))
        )

    def check_assignment(self, assignment: str) -> str:
        known = self.assignments()
        if assignment not in known:
            from difflib import get_close_matches

            close = get_close_matches(assignment, known, n=1)
            hint = f"Vouliez-vous dire « {close[0]} » ? " if close else ""
            raise InputError(
                f"L'exercice « {assignment} » n'existe pas dans {self.root / 'source'}.",
                f"{hint}Exercices disponibles : {', '.join(known) or 'aucun'}.",
            )
        return assignment

    def source_notebooks(self, assignment: str) -> list[Path]:
        return sorted((self.root / "source" / assignment).glob("*.ipynb"))

    def release_notebook(self, assignment: str, name: str) -> Path:
        return self.root / "release" / assignment / name

    def submissions(self, assignment: str | None = None) -> list[tuple[str, str]]:
        """(student, assignment) pairs found in ``submitted/``."""
        sub = self.root / "submitted"
        if not sub.is_dir():
            return []
        wanted = [assignment] if assignment else self.assignments()
        pairs = []
        for student_dir in sorted(p for p in sub.iterdir() if p.is_dir()):
            for a in wanted:
                if (student_dir / a).is_dir():
                    pairs.append((student_dir.name, a))
        return pairs

    def db_url(self) -> str:
        """The gradebook URL (``CourseDirectory.db_url``, default ``<course>/gradebook.db``)."""
        return load_config(self).CourseDirectory.get(
            "db_url", f"sqlite:///{self.root / 'gradebook.db'}")

    def unknown_submissions(self) -> list[tuple[str, str]]:
        """(student, folder) pairs in ``submitted/`` whose folder is not an assignment."""
        sub = self.root / "submitted"
        if not sub.is_dir():
            return []
        known = set(self.assignments())
        return [(s.name, d.name) for s in sorted(sub.iterdir()) if s.is_dir()
                for d in sorted(s.iterdir()) if d.is_dir() and d.name not in known]

    def hidden_test_lines(self, assignment: str) -> list[str]:
        """Stripped lines between the hidden-test delimiters of the source notebooks."""
        lines: list[str] = []
        for path in self.source_notebooks(assignment):
            nb = json.loads(path.read_text(encoding="utf-8"))
            for cell in nb.get("cells", []):
                src = cell.get("source", "")
                src = "".join(src) if isinstance(src, list) else src
                lines.extend(hidden_lines(src))
        return lines


def hidden_lines(source: str) -> list[str]:
    """Non-trivial stripped lines (6 characters or more) inside hidden-test regions."""
    return hidden_test_lines(source, min_length=6)


def load_config(course: Course | None, overrides: dict | None = None):
    """traitlets Config: the course's ``nbgrader_config.py`` then ``overrides``.

    ``overrides`` maps "Class.trait" to a value, e.g. ``{"Execute.timeout": 5}``.
    """
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    cfg = Config()
    if course is not None:
        path = course.root / "nbgrader_config.py"
        if path.exists():
            try:
                cfg.merge(PyFileConfigLoader(path.name, path=str(course.root)).load_config())
            except Exception as exc:
                raise ConfigError(
                    f"Le fichier {path} ne peut pas être chargé : {exc}",
                    "Corrigez ce fichier de configuration nbgrader.",
                ) from exc
        cfg.CourseDirectory.root = str(course.root)
    for key, value in (overrides or {}).items():
        cls, trait = key.split(".", 1)
        setattr(cfg[cls], trait, value)
    return cfg


def make_api(course: Course, overrides: dict | None = None, log_level: str = "ERROR"):
    """An ``NbGraderAPI`` bound to ``course`` (nbgrader is imported here, not at import time)."""
    import logging

    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    # nbgrader calls alembic through the environment's bin folder.
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    cfg = load_config(course, overrides)
    cfg.NbGraderAPI.log_level = log_level
    coursedir = CourseDirectory(config=cfg)
    # The API probes the exchange folder at start and logs a critical "Unwritable directory"
    # when there is none (one laptop, no hub): irrelevant here, so keep it quiet.
    logger = logging.getLogger("traitlets")
    previous = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        api = NbGraderAPI(coursedir=coursedir, config=cfg)
    finally:
        logger.setLevel(previous)
    api.log.setLevel(getattr(logging, log_level))
    return api


def nbgrader_error_summary(result: dict) -> str:
    """Last meaningful line of an nbgrader API error (traceback or log)."""
    for text in (result.get("error") or "", result.get("log") or ""):
        lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
        for line in reversed(lines):
            if not line.startswith(("File ", "^", "~")):
                return line[:300]
    return "erreur inconnue de nbgrader"
