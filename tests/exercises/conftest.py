"""A temporary copy of the nbgrader course with its API, so tests never write into exercises/."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

_GENERATED = (
    "release", "submitted", "autograded", "feedback", "exchange", "gradebook.db",
    ".ipynb_checkpoints", "__pycache__",
)


@pytest.fixture(scope="module")
def nbgrader_course(tmp_path_factory):
    """(course folder, NbGraderAPI) on a fresh copy of exercises/, its own gradebook."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    # nbgrader's gradebook calls the `alembic` script: the environment's bin must be on PATH.
    mp = pytest.MonkeyPatch()
    mp.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    course = tmp_path_factory.mktemp("course") / "exercises"
    shutil.copytree(ROOT / "exercises", course, ignore=shutil.ignore_patterns(*_GENERATED))
    config = Config()
    config.merge(PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config())
    assert config.CourseDirectory.root == str(course)  # the copy's config points to the copy
    config.CourseDirectory.db_url = f"sqlite:///{course / 'gradebook.db'}"
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    yield course, api
    mp.undo()
