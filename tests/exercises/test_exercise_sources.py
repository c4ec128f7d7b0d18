"""The nbgrader source assignments: structure, metadata, generated from text/, solutions pass."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from exercise_names import ASSIGNMENTS  # curriculum.yml is the source

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "exercises"

NBGRADER_KEYS = {"grade", "grade_id", "locked", "schema_version", "solution", "task"}


def _notebook(name: str):
    return nbformat.read(COURSE / "source" / name / f"{name}.ipynb", as_version=4)


def _nbg(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def test_the_course_holds_exactly_the_six_assignments():
    found = sorted(p.name for p in (COURSE / "source").iterdir() if p.is_dir())
    assert found == ASSIGNMENTS
    for name in ASSIGNMENTS:
        assert [p.name for p in (COURSE / "source" / name).iterdir()] == [f"{name}.ipynb"]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_source_notebook_is_valid_and_clean(name):
    nb = _notebook(name)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"] == {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_nbgrader_metadata(name):
    nb = _notebook(name)
    ids = [_nbg(c)["grade_id"] for c in nb.cells if _nbg(c)]
    assert len(ids) == len(set(ids)), "grade_id must be unique"
    tests = [c for c in nb.cells if _nbg(c).get("grade") and c.cell_type == "code"]
    manual = [c for c in nb.cells if _nbg(c).get("grade") and c.cell_type == "markdown"]
    answers = [c for c in nb.cells if _nbg(c).get("solution") and c.cell_type == "code"]
    assert tests and manual and answers
    for cell in nb.cells:
        meta = _nbg(cell)
        if not meta:
            continue
        assert set(meta) >= NBGRADER_KEYS, cell.id
        assert meta["schema_version"] == 3
        if meta["grade"]:
            assert meta["points"] > 0
    for cell in tests:
        assert _nbg(cell)["locked"] and not _nbg(cell)["solution"]
    assert any("### BEGIN HIDDEN TESTS" in c.source for c in tests)
    for cell in tests:
        assert cell.source.count("### BEGIN HIDDEN TESTS") == cell.source.count("### END HIDDEN TESTS")
        assert "BEGIN SOLUTION" not in cell.source
    for cell in manual:
        assert _nbg(cell)["solution"] and not _nbg(cell)["locked"]
    for cell in answers:
        assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source
        assert not _nbg(cell)["locked"]
    # solution regions live only in answer cells (nbgrader refuses them elsewhere)
    for cell in nb.cells:
        if "BEGIN SOLUTION" in cell.source:
            assert _nbg(cell).get("solution"), cell.id


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_exercise_follows_the_pattern(name):
    nb = _notebook(name)
    text = "\n".join(c.source for c in nb.cells)
    first = nb.cells[0].source
    assert first.startswith("# Exercice ")
    assert re.search(r"\*\*Durée\s:\*\* environ \d+ minutes", first)
    assert re.search(r"\*\*Points\s:\*\* \d+", first) and "{points}" not in first
    assert "## À retenir" in nb.cells[-1].source
    assert "toolkit.ask(" in text  # the live answer, as feedback only
    for cell in nb.cells:
        if "toolkit.ask(" in cell.source:
            assert not _nbg(cell).get("grade"), "a model answer must never be graded"
    assert "openai" not in text.lower()


def test_points_total():
    total = {}
    for name in ASSIGNMENTS:
        nb = _notebook(name)
        total[name] = sum(_nbg(c).get("points", 0) for c in nb.cells)
        announced = re.search(r"\*\*Points\s:\*\* (\d+)", nb.cells[0].source).group(1)
        assert int(announced) == total[name]
    assert all(10 <= t <= 20 for t in total.values()), total


def test_sources_are_generated_from_the_text_sources():
    from toolkit.publish.exercises import sync_exercises

    stale = sync_exercises(ROOT, check=True)
    assert stale == [], "run `atelier exercises sync`: " + ", ".join(stale)


def test_nbgrader_config():
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(COURSE)).load_config()
    assert config.CourseDirectory.course_id == "atelier-ia"
    assert config.CourseDirectory.root == str(COURSE)
    assert config.Execute.timeout == 30
    assert config.Execute.interrupt_on_timeout is True
    assert config.Execute.raise_on_iopub_timeout is True
    assert config.Execute.iopub_timeout == 10
    assert config.Execute.shutdown_kernel == "immediate"
    assert config.LimitOutput.max_lines == 1000
    assert Path(config.Exchange.root).is_relative_to(COURSE)


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_solutions_pass_all_their_tests(name, tmp_path):
    """The source (solutions and hidden tests included) runs offline without any error."""
    from nbclient import NotebookClient

    nb = _notebook(name)
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError on the first failing test
    for cell in nb.cells:
        if _nbg(cell).get("grade") and cell.cell_type == "code":
            # nbgrader reads an execution result as partial credit and stderr as a failure
            kinds = {(o.output_type, o.get("name")) for o in cell.outputs}
            assert ("execute_result", None) not in kinds, cell.id
            assert ("stream", "stderr") not in kinds, cell.id
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not any(o.get("output_type") == "error" for o in outputs)
    text = "".join(str(o.get("text", "")) + str(o.get("data", "")) for o in outputs)
    assert "Simulation" in text or "simul" in text.lower()  # offline answers say so
