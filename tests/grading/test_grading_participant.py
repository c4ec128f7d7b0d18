"""What participants see, in a real kernel (nbclient): short French failures, « Vérifier mon
travail » through the sandbox, never a traceback.

The issue asks for a browser test of the check button; this drives the same path (the
function the button calls, in a real kernel, on a saved notebook) without a browser.
"""

from __future__ import annotations

import json

import nbformat
import pytest
from grading_helpers import ASSIGNMENT, answered, submit
from nbclient import NotebookClient

from toolkit.grading import sandbox
from toolkit.prompts.failures import short_failure

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("ename", "evalue", "first", "second"), [
    ("AssertionError", "Votre PROMPT n'est pas encore complet :\n  • Rôle manquant.\n"
     "Indice : commencez par « Tu es… ».\n\nScore 20/100", "Votre PROMPT n'est pas encore",
     "Indice : commencez"),
    ("AssertionError", "", "Une vérification a échoué.", "Relisez la consigne"),
    ("AssertionError", "un test caché a échoué", "Un test caché a échoué", "d'autres exemples"),
    ("NameError", "name 'PROMPT' is not defined", "« PROMPT » n'est pas défini.",
     "Exécutez d'abord"),
    ("NotImplementedError", "", "La réponse n'est pas encore écrite.", "NotImplementedError"),
    ("ZeroDivisionError", "division by zero", "erreur ZeroDivisionError", "Relisez la ligne"),
])
def test_short_failure_is_one_or_two_french_lines(ename, evalue, first, second):
    lines = short_failure(ename, evalue)
    assert 1 <= len(lines) <= 2
    assert first in lines[0]
    assert second in lines[-1]
    assert not any("Traceback" in ln or "File " in ln for ln in lines)


def _run(cells, path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    NotebookClient(nb, timeout=120, allow_errors=True, kernel_name="python3",
                   resources={"metadata": {"path": str(path)}}).execute()
    return nb


def _text(outputs) -> str:
    """What the participant reads: the text and HTML forms of the outputs."""
    import html

    return html.unescape(json.dumps(outputs, ensure_ascii=False))


def test_failed_checks_in_the_notebook_show_french_lines_not_tracebacks(tmp_path):
    nb = _run([
        "from toolkit.prompts.checks import verifier_egal",
        "verifier_egal({'role'}, {'role', 'format'}, nom=\"l'ensemble\", indice='Relisez le "
        "tableau.')",
        "assert 2 + 2 == 5, 'Le total est faux.'",
        "1 / 0",
    ], tmp_path)
    for cell in nb.cells[1:3]:
        (error,) = [o for o in cell.outputs if o.output_type == "error"]
        shown = "\n".join(error.traceback)
        assert "✗" in shown
        assert "Traceback" not in shown and "File " not in shown and "----" not in shown
        assert len(error.traceback) <= 2
    assert "Indice : Relisez le tableau." in "\n".join(nb.cells[1].outputs[0].traceback)
    # Other errors keep IPython's own display (they are the participant's own bugs).
    assert nb.cells[3].outputs[0].ename == "ZeroDivisionError"


@pytest.mark.skipif(not sandbox.available(), reason="bubblewrap (bwrap) absent")
def test_verifier_mon_travail_empty_wrong_and_right(released_copy):
    empty = released_copy / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    wrong = submit(released_copy, "w", answered(released_copy,
                                                carre="def carre(x):\n    return x + x"))
    right = submit(released_copy, "r", answered(released_copy))
    nb = _run(["from toolkit.grading import verifier_mon_travail",
               *(f"verifier_mon_travail({str(p)!r})" for p in (empty, wrong, right))],
              released_copy)
    shown = [_text(c.outputs) for c in nb.cells[1:]]
    assert "à revoir avant de rendre" in shown[0]
    assert "La réponse n'est pas encore écrite" in shown[0]
    assert "carre(3) doit valoir 9" in shown[1]
    assert "Vous pouvez rendre votre travail" in shown[2]
    for text in shown:
        assert "Traceback" not in text and "Validation Results" not in text
        assert "failed" not in text and "AssertionError" not in text
    # the check ran in a throw-away copy: the participant's folder is unchanged
    assert sorted(p.name for p in right.parent.iterdir()) == [f"{ASSIGNMENT}.ipynb"]


@pytest.mark.skipif(not sandbox.available(), reason="bubblewrap (bwrap) absent")
def test_guarded_test_cell_reports_the_participant_line_numbers(tmp_path):
    # The guard's prelude line is not counted: the feedback page finds the failing line
    # (visible here) and so keeps the visible message instead of « test caché ».
    from toolkit.grading.execute import GuardedExecute
    from toolkit.grading.feedback import _failing_line, strip_hidden_from_cell

    sandbox.configure(enabled=True)
    meta = {"nbgrader": {"grade": True, "solution": False, "locked": True, "grade_id": "t",
                         "points": 1, "schema_version": 3}}
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("from toolkit.prompts.checks import verifier_egal"),
                nbformat.v4.new_code_cell("x = 1\nverifier_egal(1, 2, nom='x')\n"
                                          "### BEGIN HIDDEN TESTS\nassert False\n"
                                          "### END HIDDEN TESTS", metadata=meta)]
    GuardedExecute(timeout=120).preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    cell = nb.cells[1]
    assert cell.source.startswith("x = 1")  # the prelude is never saved
    (error,) = [o for o in cell.outputs if o.output_type == "error"]
    assert _failing_line(error.traceback) == 2
    strip_hidden_from_cell(cell)
    assert "ce n'est pas ce qui est attendu" in cell.outputs[-1]["evalue"]
