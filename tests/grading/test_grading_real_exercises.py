"""The real course (exercises/) through release, autograde, feedback and export, in a copy.

Skipped until exercises/source/ exists. Never writes into the repository's exercises/.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from toolkit.grading import autograde, export_grades, generate_feedback, release
from toolkit.grading.course import Course

EXERCISES = Path(__file__).resolve().parents[2] / "exercises"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not any(EXERCISES.glob("source/*/*.ipynb")),
                       reason="exercises/source/ is not written yet"),
]


@pytest.fixture(scope="module")
def real_course(tmp_path_factory):
    root = tmp_path_factory.mktemp("real") / "exercises"
    shutil.copytree(EXERCISES, root, ignore=shutil.ignore_patterns(
        "release", "submitted", "autograded", "feedback", "exchange", "exports",
        "gradebook.db", ".atelier", ".ipynb_checkpoints"))
    report = release(course=root)
    assert report.ok, str(report)
    course = Course.open(root)
    for a in course.assignments():
        for student, folder in (("solution", "source"), ("vide", "release")):
            for nb in (root / folder / a).glob("*.ipynb"):
                dest = root / "submitted" / student / a / nb.name
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(nb, dest)
        broken = root / "submitted" / "casse" / a / f"{a}.ipynb"
        broken.parent.mkdir(parents=True, exist_ok=True)
        src = json.loads((root / "source" / a / f"{a}.ipynb").read_text("utf-8"))
        src["cells"] = [c for c in src["cells"]
                        if not c.get("metadata", {}).get("nbgrader", {}).get("grade")]
        broken.write_text(json.dumps(src), encoding="utf-8")
    return root, autograde(course=root, workers=2, progress=False)


def test_every_real_submission_is_graded(real_course):
    _, report = real_course
    assert report.flagged == [], str(report)


def test_solutions_score_and_blank_releases_do_not(real_course, tmp_path):
    root, _ = real_course
    tidy = export_grades(tmp_path / "notes", course=root).tidy
    by = tidy.set_index(["participant", "exercice"])["points"]
    for a in Course.open(root).assignments():
        assert by[("solution", a)] > 0, a
        assert by[("vide", a)] == 0, a
        # deleted test cells are restored: graded with the source tests like the solution
        assert by[("casse", a)] == by[("solution", a)], a


def test_real_feedback_has_no_hidden_test(real_course):
    root, report = real_course
    result = generate_feedback(course=root)
    assert not result.failed, str(result)
    assert len(result.written) == len(report.graded)
