"""``atelier grade export --format moodle``: a real nbgrader gradebook to Moodle's import CSV.

Moodle's gradebook import (Grades > Import > CSV file) reads a UTF-8 file with a header row,
a chosen separator (comma here), one identifier column mapped at import (« Map from » a column
to « Map to » username or email address) and one column per grade item; a number is a grade
(decimal point), an empty cell leaves the grade untouched.  The reader below applies those
rules to the file, so the test fails if the file stops being importable as documented.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path

import pytest

from toolkit.cli import main
from toolkit.grading.export import MOODLE_EMAIL, MOODLE_ID, MOODLE_QUIZ, export_moodle

ROOT = Path(__file__).resolve().parents[2]


def moodle_import(path: Path, map_from: str) -> dict[str, dict[str, float | None]]:
    """Read the file as Moodle's CSV import does: ``{identifier: {item: grade or None}}``."""
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "a BOM would become part of the first header"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter=",")
        header = next(reader)
        assert map_from in header and len(set(header)) == len(header)
        items = [h for h in header if h not in (MOODLE_ID, MOODLE_EMAIL)]
        out = {}
        for row in reader:
            assert len(row) == len(header)
            values = dict(zip(header, row, strict=True))
            out[values[map_from]] = {i: float(values[i]) if values[i] else None for i in items}
    return out


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A course with a real gradebook: alice graded, carol waiting for manual grading, bob
    nothing handed in."""
    from nbgrader.api import Gradebook

    # nbgrader runs its alembic command from the environment's bin folder.
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    root = tmp_path / "cours"
    for a in ("01-anatomie-du-prompt", "05-confidentialite"):
        (root / "source" / a).mkdir(parents=True)
        (root / "source" / a / f"{a}.ipynb").write_text(json.dumps(
            {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for a, top in (("01-anatomie-du-prompt", 5), ("05-confidentialite", 3)):
            gb.add_assignment(a)
            gb.add_notebook(a, a)
            gb.add_grade_cell("q1", a, a, max_score=top, cell_type="code")
        gb.add_student("alice", email="alice@exemple.org")
        gb.add_student("bob", email="bob@exemple.org")
        gb.add_student("carol")
        for student, a, score, manual in (("alice", "01-anatomie-du-prompt", 3.5, False),
                                          ("alice", "05-confidentialite", 3, False),
                                          ("carol", "01-anatomie-du-prompt", 2, True)):
            gb.add_submission(a, student)
            grade = gb.find_grade("q1", a, a, student)
            grade.auto_score, grade.needs_manual_grade = score, manual
            gb.db.commit()
            (root / "autograded" / student / a).mkdir(parents=True)
    return root


def test_moodle_csv_round_trips_through_the_documented_import(course, tmp_path):
    table = export_moodle(tmp_path / "notes", course=course)
    path = table.files[0]
    assert path.name == "notes-moodle.csv"
    by_user = moodle_import(path, MOODLE_ID)
    assert by_user == {
        "alice": {"01-anatomie-du-prompt": 3.5, "05-confidentialite": 3.0},
        "bob": {"01-anatomie-du-prompt": None, "05-confidentialite": None},
        # Waiting for manual grading: not a grade yet, so Moodle records nothing.
        "carol": {"01-anatomie-du-prompt": None, "05-confidentialite": None},
    }
    by_email = moodle_import(path, MOODLE_EMAIL)
    assert by_email["alice@exemple.org"] == by_user["alice"]
    # The same figures as the gradebook's own export.
    tidy = table.tidy.set_index(["participant", "exercice"])
    assert tidy.at[("alice", "01-anatomie-du-prompt"), "points"] == 3.5


def test_moodle_quiz_column_from_the_survey_through_the_roster(course, tmp_path, capsys,
                                                               monkeypatch, survey):
    roster = tmp_path / "participants.csv"
    roster.write_text("nom;identifiant;code\nAlice A;alice;SY28AS\nBob B;bob;\n",
                      encoding="utf-8")
    monkeypatch.chdir(ROOT)
    assert main(["grade", "export", "--format", "moodle", "--course", str(course), "--output",
                 str(tmp_path / "m"), "--survey", str(ROOT / "toolkit/data/survey"),
                 "--participants", str(roster)]) == 0
    rows = moodle_import(tmp_path / "m-moodle.csv", MOODLE_ID)
    assert rows["alice"][MOODLE_QUIZ] == survey.evaluation("SY28AS").quiz_post
    assert rows["bob"][MOODLE_QUIZ] is None
    assert "m-moodle.csv" in capsys.readouterr().out


def test_xapi_completions_parse_back_as_statements(course, tmp_path):
    from tincan import Statement

    from toolkit.grading.export import XAPI_COMPLETED, export_xapi

    path = export_xapi(tmp_path / "notes", course=course, base="https://hub.exemple.org/").files[0]
    raw = json.loads(path.read_text(encoding="utf-8"))
    statements = [Statement(s) for s in raw]  # the library's own parser validates each one
    # Only alice's two graded exercises are completions (carol waits, bob handed nothing in).
    assert sorted((s.actor.mbox, s.object.id, s.result.score.raw, s.result.score.max)
                  for s in statements) == [
        ("mailto:alice@exemple.org", "https://hub.exemple.org/exercices/01-anatomie-du-prompt",
         3.5, 5.0),
        ("mailto:alice@exemple.org", "https://hub.exemple.org/exercices/05-confidentialite",
         3.0, 3.0),
    ]
    assert {s.verb.id for s in statements} == {XAPI_COMPLETED}
    assert all(s.result.completion for s in statements)
    assert statements[0].result.score.scaled == 0.7
