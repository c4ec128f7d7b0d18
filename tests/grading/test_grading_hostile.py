"""The hostile set (built by ``hostile.py``) through the real, sandboxed ``autograde``.

One run grades every class; then: each outcome as expected (score or flag reason), no file
changed outside the participants' autograded folders (course hashed before and after), no
process left, no grader variable in any output, no network request received.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import threading
from pathlib import Path
from typing import ClassVar

import hostile
import psutil
import pytest
from hostile import ASSIGNMENT, HIDDEN_MARK, SECRET_NAME, SECRET_VALUE, SLEEP_MARK

from toolkit.grading import autograde, generate_feedback, grades_table, release, sandbox
from toolkit.grading.course import Course

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not sandbox.available(), reason="bubblewrap (bwrap) absent")]

#: What grading itself writes: the graded copies, feedback, the toolkit's state, the gradebook.
OWN_OUTPUTS = ("autograded", "feedback", ".atelier", "gradebook.db")


def _hashes(root: Path) -> dict[str, str]:
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if rel.parts[0] in OWN_OUTPUTS or "__pycache__" in rel.parts:
            continue
        out[str(rel)] = (hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file()
                         else "dir")
    return out


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self):
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def run(tmp_path_factory, released_course):
    root = hostile.build_course(tmp_path_factory.mktemp("hostile") / "course")
    assert release(course=root).ok
    other = json.loads((released_course / "source" / "01-demo" / "01-demo.ipynb")
                       .read_text("utf-8"))
    cases = hostile.cases(root, other_course_nb=other)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    hostile.submit_all(root, cases, port=server.server_address[1])
    before = _hashes(root)
    old = os.environ.get(SECRET_NAME)
    os.environ[SECRET_NAME] = SECRET_VALUE
    try:
        report = autograde(course=root, workers=2, progress=False)
        feedback = generate_feedback(course=root)
    finally:
        if old is None:
            os.environ.pop(SECRET_NAME)
        else:
            os.environ[SECRET_NAME] = old
        server.shutdown()
    return root, cases, report, feedback, before


def test_every_class_ends_as_expected(run):
    root, cases, report, _, _ = run
    points = grades_table(Course.open(root)).tidy.set_index("participant")["points"]
    wrong = []
    for student, case in cases.items():
        result = report.get(student, ASSIGNMENT)
        if case.reason is not None:
            if result.graded or case.reason not in result.reason:
                wrong.append(f"{student}: expected flag « {case.reason} », got {result}")
            continue
        if not result.graded:
            wrong.append(f"{student}: expected graded, got {result}")
        elif points[student] != case.points:
            wrong.append(f"{student}: expected {case.points} points, got {points[student]}")
        if case.note and not any(case.note in n for n in result.notes):
            wrong.append(f"{student}: expected a note with « {case.note} », got {result.notes}")
    assert not wrong, "\n".join(wrong)


def test_tampering_scores_what_the_empty_answer_scores(run):
    root, cases, _, _, _ = run
    points = grades_table(Course.open(root)).tidy.set_index("participant")["points"]
    for student in cases:
        if student.startswith("triche_"):
            assert points[student] == points["vide"], student


def test_nothing_changed_outside_the_autograded_folders(run):
    root, _, _, _, before = run
    after = _hashes(root)
    assert after == before
    # what the code wrote in its own folder stayed in the sandbox too
    assert not list((root / "autograded").rglob("local_file.txt"))
    assert not list((root / "autograded").rglob("planted.txt"))


def test_no_process_survives(run):
    left = [p.info["cmdline"] for p in psutil.process_iter(["cmdline"])
            if p.info["cmdline"] and SLEEP_MARK in p.info["cmdline"]]
    assert left == []


def test_no_grader_secret_and_no_private_file_in_any_output(run):
    root, _, report, _, _ = run
    assert SECRET_VALUE not in str(report)
    for folder in ("autograded", "feedback"):
        for path in (root / folder).rglob("*"):
            if path.is_file():
                text = path.read_text("utf-8", errors="replace")
                assert SECRET_VALUE not in text, path
                assert SECRET_NAME not in text, path
    graded = json.loads((root / "autograded" / "lit_les_secrets" / ASSIGNMENT
                         / f"{ASSIGNMENT}.ipynb").read_text("utf-8"))
    outputs = json.dumps([c.get("outputs", []) for c in graded["cells"]])
    assert HIDDEN_MARK not in outputs and "BEGIN SOLUTION" not in outputs
    assert "illisible" in outputs  # the source and the gradebook were hidden from it


def test_no_network_request_reached_the_grader(run):
    assert _Recorder.hits == []


def test_a_repaired_notebook_never_has_duplicate_cell_ids(run):
    root, _, _, _, _ = run
    for path in (root / "autograded").rglob("*.ipynb"):
        ids = [c.get("id") for c in json.loads(path.read_text("utf-8"))["cells"] if c.get("id")]
        assert len(ids) == len(set(ids)), path


def test_feedback_pages_are_french_and_show_no_test_code(run):
    root, _, _, feedback, _ = run
    assert feedback.written, str(feedback)
    from toolkit.grading.feedback import html_text

    for rel in feedback.written:
        text = html_text((root / rel).read_text("utf-8"))  # what the participant reads
        for english in ("Grade cell", "Student's answer", "Comments:", "Test cell",
                        "No response", "Score:"):
            assert english not in text, (rel, english)
        assert "verifier_fonction(double" not in text and "verifier_egal(REPONSE" not in text
        assert "AssertionError" not in text and "Traceback" not in text
        assert "Votre réponse" in text and "points" in text
    wrong = (root / "feedback" / "faux" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text("utf-8")
    assert "ce n'est pas ce qui est attendu" in html_text(wrong)


def test_flag_reasons_are_in_the_csv_and_names_in_the_gradebook(run, tmp_path):
    import sqlite3

    from toolkit.grading import export_grades

    root, _, report, _, _ = run
    export_grades(tmp_path / "notes", course=root, excel=False)
    csv_text = (tmp_path / "notes.csv").read_text("utf-8-sig")
    assert "raisons" in csv_text.splitlines()[0]
    flagged = report.get("metadonnees_corrompues", ASSIGNMENT)
    assert flagged.reason.split(" ; ")[0] in csv_text
    with sqlite3.connect(root / "gradebook.db") as db:
        names = dict(db.execute("SELECT id, last_name FROM student").fetchall())
    assert names["triche_module"] == "Module" and None not in names.values()
