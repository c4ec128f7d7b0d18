"""« ✅ Vérifier mon travail » in chromium, in the participant's real JupyterLab.

A released exercise (the footer nbgrader appends at release) is opened as a participant
would: answer cells edited, notebook saved, the footer cell run, its button clicked. The
check runs nbgrader's validator in the sandbox; the screen must show the right verdict in
French, and no traceback nor English nbgrader text, for an empty, a wrong and a right answer.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import pytest

from toolkit.grading import release, sandbox
from toolkit.testing.lab import put_notebook, start_lab

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(not sandbox.available(), reason="bubblewrap (bwrap) absent")]

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "grading" / "fixtures" / "course"
BUTTON = "✅ Vérifier mon travail"
ENGLISH = ("Traceback", "AssertionError", "Validation Results", "You did not provide",
           "The following cell failed", "Cell In[", "most recent call last")

#: Participant answers by grade id (None: the released cell is left as is).
ANSWERS = {
    "vide": {},
    "faux": {"carre": "def carre(x):\n    return x + x",
             "saluer": 'def saluer(nom):\n    return "Salut"'},
    "bon": {"carre": "def carre(x):\n    return x * x",
            "saluer": 'def saluer(nom):\n    return f"Bonjour {nom} !"',
            "reflexion": "Un modèle peut inventer des sources."},
}

# JavaScript run in the page: JupyterLab's own notebook model, as the participant edits it.
FILL_AND_SAVE = """async (answers) => {
  const app = window.jupyterapp;
  const panel = app.shell.currentWidget;
  const cells = panel.content.model.cells;
  let footer = -1;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    const id = (cell.getMetadata('nbgrader') || {}).grade_id;
    if (id && answers[id] !== undefined) cell.sharedModel.setSource(answers[id]);
    if ((cell.getMetadata('tags') || []).includes('verifier-mon-travail')
        && cell.type === 'code') footer = i;
  }
  await app.commands.execute('docmanager:save');
  panel.content.activeCellIndex = footer;
  await app.commands.execute('notebook:run-cell');
  return footer;
}"""


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("cours") / "course"
    shutil.copytree(FIXTURE, root)
    assert release(course=root).ok
    return json.loads((root / "release" / "01-demo" / "01-demo.ipynb").read_text("utf-8"))


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    server = start_lab(ROOT, tmp_path_factory.mktemp("lab"), "--participant")
    try:
        yield server
    finally:
        server.stop()


def _check(page, lab, name: str) -> str:
    """Open ``name``, fill, save, run the footer, click the button: the verdict's text."""
    page.goto(f"{lab.base}/lab/tree/{name}?token={lab.token}")
    page.wait_for_function(
        "window.jupyterapp && window.jupyterapp.shell.currentWidget"
        f" && window.jupyterapp.shell.currentWidget.context.path === {name!r}", timeout=120_000)
    page.evaluate("async () => { await window.jupyterapp.shell.currentWidget.sessionContext"
                  ".ready; }")
    page.evaluate(FILL_AND_SAVE, ANSWERS[name.removesuffix(".ipynb")])
    button = page.get_by_role("button", name=BUTTON)
    button.wait_for(timeout=120_000)
    button.click()
    # The verdict starts with ✓ or ✗ and names the notebook (« Vérification en cours… » first).
    output = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output",
                          has_text=re.compile(r"[✓✗] "))
    output.last.wait_for(timeout=240_000)
    return output.last.inner_text()


@pytest.mark.parametrize("name", ["vide", "faux", "bon"])
def test_the_participant_check_answers_in_french(new_page, artifacts, released, lab, name):
    nb = copy.deepcopy(released)
    assert any("verifier-mon-travail" in c.get("metadata", {}).get("tags", [])
               for c in nb["cells"]), "the release has no « Vérifier mon travail » footer"
    assert put_notebook(lab, f"{name}.ipynb", nb) in (200, 201)
    page, guard, _ = new_page()
    try:
        verdict = _check(page, lab, f"{name}.ipynb")
    finally:
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
    screen = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").inner_text()
    for english in ENGLISH:
        assert english not in screen, (english, screen[-2000:])
    if name == "bon":
        assert verdict.startswith("✓") and "Vous pouvez rendre votre travail" in verdict, verdict
    else:
        assert verdict.startswith("✗") and "à revoir avant de rendre" in verdict, verdict
    if name == "vide":
        assert "La réponse n'est pas encore écrite" in verdict
        assert "réponse non rédigée" in verdict
    if name == "faux":
        assert "carre(3) doit valoir 9" in verdict and "test_saluer" in verdict
    assert guard.external == []
