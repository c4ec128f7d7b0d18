"""Issue item 4, safety of releases: generate_assignment works and the student copy leaks nothing.

Runs nbgrader's Python API on a temporary copy of exercises/ so the repository never gets a
release/ folder or a gradebook.db.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from exercise_names import ASSIGNMENTS  # curriculum.yml is the source

from toolkit.publish.pipeline import CODE_STUB, TEXT_STUB, hidden_test_lines

ROOT = Path(__file__).resolve().parents[2]


def _solution_lines(cell) -> list[str]:
    """Meaningful lines inside ### BEGIN/END SOLUTION regions of a source cell."""
    lines, inside = [], False
    for line in cell.source.splitlines():
        if "BEGIN SOLUTION" in line:
            inside = True
        elif "END SOLUTION" in line:
            inside = False
        elif inside and len(line.strip()) > 12:
            lines.append(line.strip())
    return lines


def _outside_regions(source: str) -> str:
    kept, inside = [], False
    for line in source.splitlines():
        if "BEGIN SOLUTION" in line or "BEGIN HIDDEN TESTS" in line:
            inside = True
        elif "END SOLUTION" in line or "END HIDDEN TESTS" in line:
            inside = False
        elif not inside:
            kept.append(line)
    return "\n".join(kept)


@pytest.fixture(scope="module")
def released(nbgrader_course):
    """Generate every assignment of the temporary course with NbGraderAPI."""
    course, api = nbgrader_course
    results = {name: api.generate_assignment(name) for name in ASSIGNMENTS}
    return course, results


def test_repository_stays_clean(released):
    assert not (ROOT / "exercises" / "release").exists()
    assert not (ROOT / "exercises" / "gradebook.db").exists()


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_generate_assignment_succeeds(released, name):
    course, results = released
    assert results[name]["success"], results[name].get("error") or results[name].get("log")
    assert (course / "release" / name / f"{name}.ipynb").exists()


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_release_holds_no_solution_no_hidden_test_no_output(released, name):
    course, _ = released
    source = nbformat.read(course / "source" / name / f"{name}.ipynb", as_version=4)
    release_path = course / "release" / name / f"{name}.ipynb"
    release = nbformat.read(release_path, as_version=4)
    raw = release_path.read_text(encoding="utf-8")

    assert "BEGIN SOLUTION" not in raw and "END SOLUTION" not in raw
    assert "HIDDEN TESTS" not in raw
    for cell in release.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    released_text = "\n".join(c.source for c in release.cells)
    # lines that also appear outside the secret regions (e.g. a call shared by the visible
    # test) prove nothing; every other secret line must be gone
    public = "\n".join(_outside_regions(c.source) for c in source.cells)
    for cell in source.cells:
        for line in _solution_lines(cell) + hidden_test_lines(cell.source):
            if line.startswith("#") or line in public:
                continue
            assert line not in released_text, f"secret line leaked: {line!r}"
    # every answer cell now shows the French stub and test cells are locked
    for cell in release.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            assert CODE_STUB in cell.source
        if meta.get("grade") and cell.cell_type == "code":
            assert meta.get("locked")
        if meta.get("solution") and cell.cell_type == "markdown":
            assert TEXT_STUB in cell.source
    # no file other than the notebook is released (no helper module, no data with answers)
    assert sorted(p.name for p in release_path.parent.iterdir()) == [f"{name}.ipynb"]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_release_edition_is_what_nbgrader_generates(released, name):
    """The pipeline's release preset gives nbgrader's own output: cells, metadata, checksums."""
    from toolkit.course.curriculum import load
    from toolkit.publish.pipeline import build_edition

    course, _ = released
    source = nbformat.read(course / "source" / name / f"{name}.ipynb", as_version=4)
    ours = build_edition(source, "release", cur=load(ROOT), course=course,
                         rel=f"exercises/source/{name}/{name}.ipynb")
    theirs = nbformat.read(course / "release" / name / f"{name}.ipynb", as_version=4)
    assert [(c.cell_type, c.id, c.source, c.metadata) for c in ours.cells] == [
        (c.cell_type, c.id, c.source, c.metadata) for c in theirs.cells]
    assert {k: v for k, v in ours.metadata.items() if k != "atelier"} == theirs.metadata
    check = [c for c in theirs.cells if "verifier-mon-travail" in c.metadata.get("tags", [])]
    assert check and check[-1] is theirs.cells[-1]  # the check button ends every release
    assert "bouton_verifier()" in check[-1].source


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_released_stub_is_valid_python_and_fails_kindly(released, name):
    """An untouched release compiles; its visible checks fail with a French message."""
    course, _ = released
    release = nbformat.read(course / "release" / name / f"{name}.ipynb", as_version=4)
    for cell in release.cells:
        if cell.cell_type == "code":
            source = re.sub(r"^\s*[%!].*$", "", cell.source, flags=re.MULTILINE)
            compile(source, f"{name}:{cell.id}", "exec")


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_untouched_release_runs_and_scores_nothing(released, name, tmp_path):
    """Executed as handed out, every visible test fails with a French AssertionError."""
    from nbclient import NotebookClient

    course, _ = released
    nb = nbformat.read(course / "release" / name / f"{name}.ipynb", as_version=4)
    NotebookClient(
        nb, timeout=120, kernel_name="python3", allow_errors=True,
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and cell.cell_type == "code":
            errors = [o for o in cell.outputs if o.get("output_type") == "error"]
            assert errors, f"{cell.id} passes on an empty answer"
            assert errors[0]["ename"] == "AssertionError", (cell.id, errors[0]["ename"])
