"""autograde() against hostile submissions, with real nbgrader: nothing lost, run always ends.

One run grades them all (2 workers, 3 s per cell, 30 s per submission); the tests below
check each outcome, the persisted flags, the export and the feedback of that run.
"""

from __future__ import annotations

import copy
import html
import json
import shutil

import pytest
from grading_helpers import ASSIGNMENT, GOOD_CARRE, answered, cell_index, submit

from toolkit.grading import autograde, export_grades, generate_feedback, grades_table
from toolkit.grading.course import Course
from toolkit.grading.flags import load_flags

pytestmark = pytest.mark.slow

KI_LOOP = ("import time\nwhile True:\n    try:\n        time.sleep(0.05)\n"
           "    except KeyboardInterrupt:\n        pass")


def _hostile(root):
    """student id -> submission content."""
    good = answered(root)
    edited = answered(root, carre="def carre(x):\n    return x + x")
    edited["cells"][cell_index(edited, "test_carre")]["source"] = "pass  # test neutralisé"
    deleted = copy.deepcopy(good)
    del deleted["cells"][cell_index(deleted, "test_carre")]
    stripped = copy.deepcopy(good)
    for cell in stripped["cells"]:
        cell["metadata"].pop("nbgrader", None)
    empty_nb = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return {
        "alice": good,
        "boucle_infinie": answered(root, carre=GOOD_CARRE + "\nwhile True:\n    pass"),
        "boucle_ki": answered(root, carre=GOOD_CARRE + "\n" + KI_LOOP),
        "test_modifie": edited,
        "test_supprime": deleted,
        "meta_effacees": stripped,
        "import_casse": answered(root, carre="import module_qui_nexiste_pas\n" + GOOD_CARRE),
        "sys_exit": answered(root, carre="import sys\nsys.exit()\n" + GOOD_CARRE),
        "os_exit": answered(root, carre="import os\nos._exit(3)\n" + GOOD_CARRE),
        "sortie_enorme": answered(root, carre=GOOD_CARRE + "\nfor i in range(100000):\n"
                                                         "    print('ligne', i)"),
        "cache_rate": answered(root, carre="def carre(x):\n    return abs(x) * x"),
        "pas_json": "def carre(x):\n    return x * x\n",
        "pas_notebook": {"bonjour": "monde"},
        "fichier_vide": b"",
        "notebook_vide": empty_nb,
    }


@pytest.fixture(scope="module")
def graded(released_course, tmp_path_factory):
    root = tmp_path_factory.mktemp("graded") / "course"
    shutil.copytree(released_course, root)
    for student, content in _hostile(root).items():
        submit(root, student, content)
    submit(root, "mal_nomme", answered(root), name="mon travail (1).ipynb")
    report = autograde(course=root, workers=2, cell_timeout=3, submission_timeout=30,
                       progress=False)
    return root, report


def _scores(root):
    table = grades_table(Course.open(root)).tidy.set_index("participant")
    return table


def test_every_submission_ends_graded_or_flagged(graded):
    root, report = graded
    students = {p.name for p in (root / "submitted").iterdir()}
    assert {r.student for r in report.results} == students
    assert len(report.results) == 16
    assert all(r.status in {"corrigé", "signalé"} for r in report.results)
    assert all(r.reason for r in report.flagged)
    assert "16 rendus" in report.summary()


def test_unusable_files_are_flagged_with_reasons(graded):
    _, report = graded
    assert "JSON invalide" in report.get("pas_json").reason
    assert "pas de liste de cellules" in report.get("pas_notebook").reason
    assert "vide" in report.get("fichier_vide").reason
    assert "notebook vide" in report.get("notebook_vide").reason


def test_loop_catching_keyboardinterrupt_is_stopped_and_flagged(graded):
    _, report = graded
    result = report.get("boucle_ki")
    assert not result.graded
    assert "délai" in result.reason or "temps maximal" in result.reason


def test_plain_infinite_loop_is_interrupted_and_graded(graded):
    root, report = graded
    result = report.get("boucle_infinie")
    assert result.graded
    assert any("interrompue" in n for n in result.notes)
    assert _scores(root).loc["boucle_infinie", "points"] == 3  # carre was defined first


def test_test_cells_edited_or_deleted_are_graded_with_the_source_tests(graded):
    root, report = graded
    scores = _scores(root)
    # the neutralised test is restored: carre is wrong, so only saluer scores
    assert scores.loc["test_modifie", "points"] == 1
    # the deleted test is put back: the correct carre earns its 2 points
    assert scores.loc["test_supprime", "points"] == 3
    assert any("restaurées" in n for n in report.get("test_supprime").notes)
    assert scores.loc["meta_effacees", "points"] == 3
    assert scores.loc["alice", "points"] == 3
    # the repair happens on a staged copy: submitted/ keeps what the participant handed in
    kept = json.loads((root / "submitted" / "test_supprime" / ASSIGNMENT
                       / f"{ASSIGNMENT}.ipynb").read_text("utf-8"))
    assert "test_carre" not in json.dumps(kept)
    assert not (root / ".atelier" / "staging" / "test_supprime").exists()


def test_crashing_code_does_not_stop_the_run(graded):
    root, report = graded
    scores = _scores(root)
    assert report.get("import_casse").graded
    assert scores.loc["import_casse", "points"] == 1
    assert report.get("sys_exit").graded
    assert scores.loc["sys_exit", "points"] == 1
    result = report.get("os_exit")  # the kernel dies: flagged, never lost
    assert result.status in {"corrigé", "signalé"}
    if not result.graded:
        assert result.reason


def test_huge_output_is_truncated(graded):
    root, report = graded
    assert report.get("sortie_enorme").graded
    nb = root / "autograded" / "sortie_enorme" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert nb.stat().st_size < 200_000


def test_wrongly_named_notebook_is_renamed_and_graded(graded):
    _, report = graded
    result = report.get("mal_nomme")
    assert result.graded
    assert any("renommé" in n for n in result.notes)


def test_flags_are_persisted_and_exported_as_flags_not_zero(graded, tmp_path):
    root, report = graded
    flags = load_flags(root / ".atelier" / "flags.json")[ASSIGNMENT]
    assert set(flags) == {r.student for r in report.flagged}
    table = export_grades(tmp_path / "notes", course=root)
    tidy = table.tidy.set_index("participant")
    for student in flags:
        assert tidy.loc[student, "statut"] == "signalé"
        assert tidy.loc[student, "points"] != tidy.loc[student, "points"]  # NaN, not 0
    wide = table.wide.set_index("participant")
    assert wide.loc["pas_json", "total"] != wide.loc["pas_json", "total"]
    assert wide.loc["alice", "total"] == 3
    csv = (tmp_path / "notes.csv").read_text(encoding="utf-8-sig")
    assert "pas_json;;signalé;" in csv

    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "notes.xlsx")["Notes"]
    statuses = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    flagged_cell = statuses["pas_json"][2]
    assert flagged_cell.value == "signalé"
    assert flagged_cell.fill.fgColor.rgb.endswith("F8CBAD")


def test_feedback_never_shows_hidden_tests(graded):
    root, report = graded
    result = generate_feedback(course=root)
    assert not result.failed, str(result)
    pages = list((root / "feedback").glob(f"*/{ASSIGNMENT}/*.html"))
    assert len(pages) == len(report.graded)
    assert set(result.skipped) == {f"{r.student}/{ASSIGNMENT}" for r in report.flagged}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "verification_cachee_zq" not in text
        assert "ligne_secrete_4242" not in text
        assert "carre(-7)" not in text
        # no test code at all, visible or hidden: each check shows its French verdict
        assert "assert carre(3)" not in text
        assert "Vérification «\u202ftest_carre\u202f»" in html.unescape(text)
    edited = (root / "feedback" / "test_modifie" / ASSIGNMENT / f"{ASSIGNMENT}.html")
    assert "carre(3) doit valoir 9" in html.unescape(edited.read_text("utf-8"))
    # the autograded notebook did run the hidden test: it failed for cache_rate
    autograded = root / "autograded" / "cache_rate" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert "verification_cachee_zq" in autograded.read_text(encoding="utf-8")
    assert _scores(root).loc["cache_rate", "points"] == 1


def test_no_kernel_survives_the_run(graded):
    root, _ = graded
    assert _kernels_under(root) == []


def test_regrading_a_fixed_submission_clears_its_flag(graded, tmp_path):
    root, _ = graded
    copy_root = tmp_path / "course"
    shutil.copytree(root, copy_root)
    submit(copy_root, "pas_json", answered(copy_root))
    report = autograde(course=copy_root, students=["pas_json"], workers=1, cell_timeout=3,
                       progress=False)
    assert report.get("pas_json").graded
    assert "pas_json" not in load_flags(copy_root / ".atelier" / "flags.json")[ASSIGNMENT]


def test_report_renders_in_french(graded):
    _, report = graded
    text = str(report)
    assert "Signalés (non notés, à vérifier)" in text
    assert "<table>" in report._repr_html_()
    assert json.dumps(report.get("alice").notes) == "[]"


def _kernels_under(root):
    psutil = pytest.importorskip("psutil")
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        try:
            if "ipykernel" in " ".join(proc.info["cmdline"] or []) and str(root) in proc.cwd():
                found.append(proc.pid)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def test_outer_time_limit_kills_a_submission_that_ignores_interrupts(released_copy):
    submit(released_copy, "boucle_ki", answered(released_copy,
                                                carre=GOOD_CARRE + "\n" + KI_LOOP))
    report = autograde(course=released_copy, workers=1, cell_timeout=3, submission_timeout=4,
                       progress=False)
    assert report.get("boucle_ki").reason.startswith("temps maximal par rendu dépassé (4 s)")
    assert not (released_copy / "autograded" / "boucle_ki" / ASSIGNMENT).exists()
    assert _kernels_under(released_copy) == []


def test_no_sandbox_is_said_in_the_report():
    from toolkit.grading.autograde import AutogradeReport

    assert "SANS ISOLEMENT" in AutogradeReport(sandboxed=False).summary()
    assert "SANS ISOLEMENT" not in AutogradeReport().summary()


@pytest.mark.parametrize("change", [{}, {"points": "deux"}, {"grade_id": 3}, {"extra": 1},
                                    {"solution": None}])
def test_nbgrader_metadata_is_validated_as_before_with_its_schema_checked_once(change):
    """The grading processes' faster metadata check accepts and refuses what nbgrader's does,
    with the same message (nbgrader's own schema and validator, before and after)."""
    import jsonschema
    from nbformat.v4 import new_code_cell
    from nbgrader.nbgraderformat import MetadataValidator, common

    from toolkit.grading._worker import check_nbgrader_schema_once

    meta = {"grade": True, "solution": False, "locked": True, "grade_id": "q1", "points": 2,
            "schema_version": 3, "task": False, **change}
    cell = new_code_cell("assert True", metadata={"nbgrader": meta})

    def outcome():
        try:
            MetadataValidator().validate_cell(copy.deepcopy(cell))
        except jsonschema.ValidationError as exc:
            return exc.message
        return "valide"

    original = common.jsonschema
    before = outcome()
    try:
        check_nbgrader_schema_once()
        assert common.jsonschema is not original
        after, again = outcome(), outcome()  # the second one uses the kept, checked schema
    finally:
        common.jsonschema = original
    assert after == again == before
    assert (before == "valide") == (not change)
