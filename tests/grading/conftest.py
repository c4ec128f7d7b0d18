"""Fixtures for the grading tests: temporary copies of the tiny nbgrader course."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from grading_helpers import FIXTURE_COURSE


@pytest.fixture
def course_copy(tmp_path) -> Path:
    """A fresh, unreleased copy of the fixture course."""
    root = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, root)
    return root


@pytest.fixture(scope="session")
def released_course(tmp_path_factory) -> Path:
    """The fixture course with release/ and gradebook.db generated once per session."""
    from toolkit.grading import release

    root = tmp_path_factory.mktemp("released") / "course"
    shutil.copytree(FIXTURE_COURSE, root)
    report = release(course=root)
    assert report.ok, str(report)
    return root


@pytest.fixture
def released_copy(released_course, tmp_path) -> Path:
    root = tmp_path / "course"
    shutil.copytree(released_course, root)
    return root
