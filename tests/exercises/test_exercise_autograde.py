"""nbgrader autogrades the exercises as intended: full marks for the solutions, zero when untouched.

Works on a temporary copy of the course (see conftest.py). The grading engine itself (parallel
runs, hostile submissions) is tested in tests/grading/.
"""

from __future__ import annotations

import shutil

import pytest
from exercise_names import ASSIGNMENTS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(nbgrader_course):
    course, api = nbgrader_course
    results = {}
    for name in ASSIGNMENTS:
        assert api.generate_assignment(name)["success"]
        for student, origin in (("solution", "source"), ("vide", "release")):
            target = course / "submitted" / student / name
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(course / origin / name / f"{name}.ipynb", target / f"{name}.ipynb")
            results[name, student] = api.autograde(name, student)
    return course, api, results


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_solution_gets_every_automatic_point(graded, name):
    from nbgrader.api import Gradebook

    _course, api, results = graded
    assert results[name, "solution"]["success"], results[name, "solution"].get("log")
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        submission = gb.find_submission(name, "solution")
        assert submission.max_code_score > 0
        assert submission.code_score == submission.max_code_score
        assert submission.max_written_score > 0  # the reflection, graded by hand
        assert submission.needs_manual_grade


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_untouched_release_gets_no_automatic_point(graded, name):
    from nbgrader.api import Gradebook

    _course, api, results = graded
    assert results[name, "vide"]["success"], results[name, "vide"].get("log")
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        assert gb.find_submission(name, "vide").code_score == 0
