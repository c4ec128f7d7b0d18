"""One pipeline for every edition: the same rules checked on each edition of every notebook.

Runs on the real course (notebooks/ and the exercises) and on the small course of conftest.py,
whose notebooks hold solutions, hidden tests and trainer notes in plain cells.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from toolkit.course.curriculum import HEADER_TAG, TRAINER_TAG, header_target, load
from toolkit.publish._sources import all_sources
from toolkit.publish.pipeline import (
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    CODE_STUB,
    EDITIONS,
    END_HIDDEN,
    END_SOLUTION,
    build_edition,
    hidden_test_lines,
    participant_edition,
    secret_hidden_lines,
)

ROOT = Path(__file__).resolve().parents[2]
CUR = load(ROOT)
#: Editions participants receive; all but the slides also lose the trainer notes.
FOR_PARTICIPANTS = ("participant", "hub", "docker", "release", "slides")
WITHOUT_NOTES = ("participant", "hub", "docker", "release")
COURSE_EDITIONS = ("participant", "hub", "docker", "trainer", "slides")
EXERCISE_EDITIONS = ("release", "participant", "trainer")

MARKERS = (BEGIN_SOLUTION, END_SOLUTION, BEGIN_HIDDEN, END_HIDDEN)


def _secret_lines(nb) -> set[str]:
    """Meaningful lines inside solution or hidden regions that appear nowhere outside them."""
    secret, outside = [], []
    for cell in nb.cells:
        inside = False
        for line in cell.source.splitlines():
            if BEGIN_SOLUTION in line or BEGIN_HIDDEN in line:
                inside = True
            elif END_SOLUTION in line or END_HIDDEN in line:
                inside = False
            elif inside and len(line.strip()) > 12:
                secret.append(line.strip())
            elif not inside:
                outside.append(line)
    public = "\n".join(outside)
    return {line for line in secret if line not in public}


def check_edition(source, built, edition: str, cur, rel: str) -> None:
    """The rules every edition obeys (the same function for every notebook and edition)."""
    nbformat.validate(built)
    for cell in built.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (rel, edition)
    assert "widgets" not in built.metadata
    # header stamped from curriculum.yml (exercises: the version only, their cells are locked)
    assert built.metadata["atelier"]["version"] == cur.version, (rel, edition)
    target = header_target(cur, rel)
    if target is not None:
        assert HEADER_TAG in built.cells[0].metadata.get("tags", []), (rel, edition)
        assert built.cells[0].source == target[0], (rel, edition)
    text = "\n".join(c.source for c in built.cells)
    if edition in FOR_PARTICIPANTS:
        for marker in MARKERS:
            assert marker not in text, (rel, edition, marker)
        leaked = [line for line in _secret_lines(source) if line in text]
        assert leaked == [], (rel, edition)
    notes = [c for c in built.cells if TRAINER_TAG in c.metadata.get("tags", [])]
    if edition in WITHOUT_NOTES:
        assert notes == [], (rel, edition)
    else:  # trainer and slides keep them (speaker notes)
        assert len(notes) == sum(TRAINER_TAG in c.metadata.get("tags", []) for c in source.cells)
    if edition == "trainer":  # everything kept: every source cell is still there, unchanged
        kept = {c.source for c in built.cells}
        assert all(c.source in kept for c in source.cells if HEADER_TAG not in
                   c.metadata.get("tags", [])), rel


def _course_notebooks():
    return [src.rel for src in all_sources(CUR) if src.exists]


def _exercise_notebooks():
    return sorted(p.relative_to(ROOT).as_posix()
                  for p in (ROOT / "exercises/source").glob("*/*.ipynb"))


def test_every_edition_has_a_preset():
    assert set(EDITIONS) == set(COURSE_EDITIONS) | set(EXERCISE_EDITIONS)


@pytest.mark.parametrize("edition", COURSE_EDITIONS)
@pytest.mark.parametrize("rel", _course_notebooks())
def test_each_edition_of_every_course_notebook(rel, edition):
    source = nbformat.read(ROOT / rel, as_version=4)
    before = copy.deepcopy(source)
    built = build_edition(source, edition, cur=CUR, rel=rel)
    check_edition(source, built, edition, CUR, rel)
    assert source == before  # the source is never modified


@pytest.mark.parametrize("edition", EXERCISE_EDITIONS)
@pytest.mark.parametrize("rel", _exercise_notebooks())
def test_each_edition_of_every_exercise(rel, edition):
    source = nbformat.read(ROOT / rel, as_version=4)
    built = build_edition(source, edition, cur=CUR, rel=rel)
    check_edition(source, built, edition, CUR, rel)
    if edition == "release":  # nbgrader's own steps: answers show the stub, tests are locked
        for cell in built.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution") and cell.cell_type == "code":
                assert CODE_STUB in cell.source
            if meta.get("grade") and cell.cell_type == "code":
                assert meta.get("locked") and meta.get("checksum")


@pytest.mark.parametrize("edition", COURSE_EDITIONS)
def test_each_edition_of_the_small_course(course, edition):
    """Plain cells with solutions, hidden tests and notes (what the real course may hold)."""
    cur = load(course)
    for src in all_sources(cur):
        if not src.exists:
            continue
        source = nbformat.read(src.path, as_version=4)
        built = build_edition(source, edition, cur=cur, rel=src.rel)
        check_edition(source, built, edition, cur, src.rel)
    intro = build_edition(nbformat.read(course / "notebooks/01-essai/01-intro.ipynb",
                                        as_version=4), edition, cur=cur,
                          rel="notebooks/01-essai/01-intro.ipynb")
    text = "\n".join(c.source for c in intro.cells)
    assert ("SECRET-SOLUTION" in text) == (edition == "trainer")
    assert ("NOTE-ANIMATEUR-INTRO" in text) == (edition in ("trainer", "slides"))


def test_the_checks_fail_on_a_leaky_edition(course):
    """check_edition is not vacuous: a trainer copy presented as participant edition fails."""
    cur = load(course)
    rel = "notebooks/01-essai/01-intro.ipynb"
    source = nbformat.read(course / rel, as_version=4)
    with pytest.raises(AssertionError):
        check_edition(source, build_edition(source, "trainer", cur=cur, rel=rel),
                      "participant", cur, rel)


def test_participant_preset_is_a_plain_call(course):
    cur = load(course)
    rel = "notebooks/01-essai/01-intro.ipynb"
    nb = nbformat.read(course / rel, as_version=4)
    assert participant_edition(nb, cur=cur, rel=rel) == build_edition(
        nb, "participant", cur=cur, rel=rel)


def test_hub_template_is_the_participant_edition(course, tmp_path):
    from toolkit.hub.template import build_course_template

    target = tmp_path / "modele" / "notebooks"
    assert build_course_template(course / "notebooks", target)
    assert not build_course_template(course / "notebooks", target)  # kept once built
    cur = load(course)
    for path in sorted(target.rglob("*.ipynb")):
        rel = "notebooks/" + path.relative_to(target).as_posix()
        source = nbformat.read(course / rel, as_version=4)
        check_edition(source, nbformat.read(path, as_version=4), "hub", cur, rel)
        assert path.stat().st_mode & 0o777 == 0o644


def test_docker_image_step_builds_the_participant_edition(course, tmp_path):
    """The Dockerfile's command, run as the image build runs it (from the course root)."""
    target = tmp_path / "opt" / "notebooks"
    subprocess.run([sys.executable, "-m", "toolkit.hub.template", "notebooks", str(target)],
                   cwd=course, check=True, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    intro = nbformat.read(target / "01-essai/01-intro.ipynb", as_version=4)
    text = "\n".join(c.source for c in intro.cells)
    assert "SECRET-SOLUTION" not in text and "NOTE-ANIMATEUR-INTRO" not in text
    assert CODE_STUB in text and "version du cours 0.2.0" in intro.cells[0].source
    dockerfile = (ROOT / "deploy/docker/Dockerfile").read_text(encoding="utf-8")
    assert "python -m toolkit.hub.template notebooks " in dockerfile


def test_one_hidden_test_extractor():
    source = "x = 1\n### BEGIN HIDDEN TESTS\nassert x == 1\n)\n### END HIDDEN TESTS\nprint(x)"
    assert hidden_test_lines(source) == ["assert x == 1", ")"]
    assert hidden_test_lines(source, min_length=6) == ["assert x == 1"]
    from toolkit.grading.course import hidden_lines

    assert hidden_lines(source) == ["assert x == 1"]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("check(reponse_longue)\n" + source.replace(
        "assert x == 1", "check(reponse_longue)\nassert secret_value == 42"))]
    # a line also visible outside the hidden region is no secret
    assert secret_hidden_lines([nb]) == ("assert secret_value == 42",)
