"""The one notebook-transform pipeline: every edition is built by :func:`build_edition`.

An edition is a named preset, a list of nbgrader's and nbconvert's own preprocessors
configured from the course's ``exercises/nbgrader_config.py`` (solution stubs, delimiters)::

    participant  no trainer notes (tag ``animateur``), no solution, no hidden test, no output,
                 header stamped from ``curriculum.yml``          (atelier editions, atelier lab)
    hub, docker  the participant preset, for the hub template and the participant image
    trainer      everything kept (notes, solutions), header stamped, no output
    slides       no solution, no hidden test, header stamped; trainer notes kept (speaker notes)
    release      nbgrader's own ``generate_assignment`` preprocessors, without the gradebook;
                 the course version in the metadata (the cells are checksummed)

The stub that replaces a solution and the hidden-test extractor are defined here, once.
nbconvert and nbgrader are imported only when an edition is built.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from nbconvert.preprocessors import Preprocessor
    from nbformat import NotebookNode

    from toolkit.course.curriculum import Curriculum

__all__ = [
    "BEGIN_HIDDEN",
    "BEGIN_SOLUTION",
    "CODE_STUB",
    "EDITIONS",
    "END_HIDDEN",
    "END_SOLUTION",
    "STUB_MARK",
    "TEXT_STUB",
    "Edition",
    "build_edition",
    "cell_label",
    "hidden_test_lines",
    "participant_edition",
    "secret_hidden_lines",
]

#: Delimiters of nbgrader's ``ClearSolutions`` and ``ClearHiddenTests`` (their defaults).
BEGIN_SOLUTION = "BEGIN SOLUTION"
END_SOLUTION = "END SOLUTION"
BEGIN_HIDDEN = "BEGIN HIDDEN TESTS"
END_HIDDEN = "END HIDDEN TESTS"

#: What participants see in place of a solution. ``exercises/nbgrader_config.py`` hands these
#: to nbgrader; the checks recognise an unanswered cell by ``STUB_MARK``.
STUB_MARK = "VOTRE RÉPONSE ICI"
CODE_STUB = f"# ✏️ {STUB_MARK}"
TEXT_STUB = f"✏️ {STUB_MARK} (remplacez ce texte par votre réponse)"

Edition = Literal["participant", "hub", "docker", "trainer", "slides", "release"]

#: Each preset: (stamp header, drop trainer notes, clear solutions and hidden tests).
_PRESETS: dict[str, tuple[bool, bool, bool]] = {
    "participant": (True, True, True),
    "hub": (True, True, True),
    "docker": (True, True, True),
    "trainer": (True, False, False),
    "slides": (True, False, True),
}
EDITIONS: tuple[str, ...] = (*_PRESETS, "release")


def _nbgrader_config(cur: Curriculum | None, course: Path | None):
    """The course's nbgrader configuration (stubs, delimiters), with the toolkit's stubs."""
    folder = course or (cur.root / "exercises" if cur is not None else None)
    if folder is None:
        return _load_config(None, 0)
    config_file = Path(folder) / "nbgrader_config.py"
    stamp = config_file.stat().st_mtime_ns if config_file.is_file() else 0
    return _load_config(str(folder), stamp)


@lru_cache(maxsize=8)
def _load_config(folder: str | None, _mtime_ns: int):
    """Loaded once per course and version of its config file (an edition per notebook)."""
    from traitlets.config import Config

    from toolkit.grading.course import Course, load_config

    cfg = load_config(Course(Path(folder))) if folder is not None else Config()
    cfg.ClearSolutions.setdefault("code_stub", {"python": CODE_STUB})
    cfg.ClearSolutions.setdefault("text_stub", TEXT_STUB)
    return cfg


def _preprocessors(edition: str, cfg):
    """The preprocessor instances of *edition*, in order."""
    from nbconvert.preprocessors import ClearOutputPreprocessor, TagRemovePreprocessor
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions

    from toolkit.course.curriculum import TRAINER_TAG
    from toolkit.publish._preprocessors import CheckRegions, ClearWidgetState, StampHeader

    if edition == "release":
        from nbgrader.converters import GenerateAssignment
        from nbgrader.preprocessors import SaveCells

        # nbgrader's own list for generate_assignment; the gradebook step is left to
        # `atelier grade release` (the bundle never ships a gradebook).
        classes = GenerateAssignment.class_traits()["preprocessors"].make_dynamic_default()
        return [CheckRegions(config=cfg)] + [
            cls(config=cfg) for cls in classes if cls is not SaveCells
        ] + [StampHeader(config=cfg), ClearWidgetState(config=cfg)]
    stamp, drop_notes, clear = _PRESETS[edition]
    steps: list[Preprocessor] = [CheckRegions(config=cfg)]
    if stamp:
        steps.append(StampHeader(config=cfg))
    if drop_notes:
        steps.append(TagRemovePreprocessor(config=cfg, remove_cell_tags={TRAINER_TAG},
                                           enabled=True))
    if clear:
        # Course notebooks hold worked answers in plain cells (no nbgrader metadata), so the
        # metadata is not enforced there; the release keeps nbgrader's strict default.
        steps += [ClearSolutions(config=cfg, enforce_metadata=False),
                  ClearHiddenTests(config=cfg, enforce_metadata=False)]
    steps += [ClearOutputPreprocessor(config=cfg, enabled=True), ClearWidgetState(config=cfg)]
    return steps


def build_edition(
    nb: NotebookNode,
    edition: Edition,
    *,
    cur: Curriculum | None = None,
    rel: str | None = None,
    course: Path | None = None,
) -> NotebookNode:
    """A new notebook: *nb* as *edition* presents it (the source is never modified).

    *cur* (the manifest) stamps the header of the notebook at *rel* (its path from the course
    root, also used to name it in errors); *course* is the nbgrader course folder whose
    ``nbgrader_config.py`` configures the stubs (default: ``exercises/`` of *cur*).
    Raises :class:`~toolkit.errors.InputError` naming the notebook and the cell when a
    solution or hidden-test region is not closed.
    """
    if edition not in EDITIONS:
        from toolkit.errors import InputError

        raise InputError(f"Édition « {edition} » inconnue.",
                         f"Éditions possibles : {', '.join(EDITIONS)}.")
    out = copy.deepcopy(nb)
    cfg = _nbgrader_config(cur, course)
    resources = {"atelier": {"curriculum": cur, "rel": rel or "notebook"},
                 "metadata": {"path": str(course or ".")}}
    for step in _preprocessors(edition, cfg):
        out, resources = step.preprocess(out, resources)
    return out


def participant_edition(nb: NotebookNode, *, cur: Curriculum | None = None,
                        rel: str | None = None) -> NotebookNode:
    """The participant preset, as a plain call (``atelier editions``, ``atelier lab``)."""
    return build_edition(nb, "participant", cur=cur, rel=rel)


def cell_label(nb: NotebookNode, index: int) -> str:
    """« cellule n° 5 (id abc123) » — how a French message names a cell."""
    cell = nb.cells[index]
    cid = cell.get("id")
    return f"cellule n° {index + 1}" + (f" (id {cid})" if cid else "")


# ---- hidden tests ------------------------------------------------------------------------

def hidden_test_lines(source: str, *, min_length: int = 1) -> list[str]:
    """Stripped lines inside the hidden-test regions of a cell source.

    *min_length* leaves out short lines (a closing bracket) that prove nothing when found
    elsewhere.
    """
    out, inside = [], False
    for line in source.splitlines():
        if BEGIN_HIDDEN in line:
            inside = True
        elif END_HIDDEN in line:
            inside = False
        elif inside and len(line.strip()) >= max(min_length, 1):
            out.append(line.strip())
    return out


def secret_hidden_lines(notebooks: Iterable[NotebookNode], *, min_length: int = 12
                        ) -> tuple[str, ...]:
    """Hidden-test lines of *notebooks* that appear nowhere outside a hidden region.

    A line also visible in the same notebook (a visible test calling the same checker) is not
    a secret; every other one must never reach participants.
    """
    secret: list[str] = []
    for nb in notebooks:
        hidden = [line for c in nb.cells
                  for line in hidden_test_lines(c.source, min_length=min_length)]
        visible = set()
        for c in nb.cells:
            inside = False
            for line in c.source.splitlines():
                if BEGIN_HIDDEN in line:
                    inside = True
                elif END_HIDDEN in line:
                    inside = False
                elif not inside:
                    visible.add(line.strip())
        secret += [line for line in hidden if line not in visible]
    return tuple(dict.fromkeys(secret))
