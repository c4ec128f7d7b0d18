"""Both editions of ``atelier lab`` in chromium: a notebook runs in each; the participant's has
no trainer cell and no nbgrader control (the trainer's has them, so the check can fail); the
repository's notebooks are never written; an edit saved in the browser survives the next
course version."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import nbformat
import pytest

from toolkit.course.curriculum import TRAINER_TAG, load
from toolkit.course.workspace import prepare_workspace
from toolkit.testing.lab import start_lab, tracked_notebooks_digest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = "01-acculturation/01-bienvenue.ipynb"

# What JupyterLab shows of nbgrader: its commands, its menu, its notebook toolbar buttons.
NBGRADER_UI = """() => {
  const app = window.jupyterapp;
  const commands = ['nbgrader:open-create-assignment', 'nbgrader:open-formgrader',
                    'nbgrader:open-course-list', 'nbgrader:open-assignment-list']
                   .filter(c => app.commands.hasCommand(c));
  const menus = Array.from(document.querySelectorAll('.lm-MenuBar-itemLabel'))
                     .map(e => e.textContent.trim());
  const buttons = Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden)'
                    + ' .jp-Toolbar button, .jp-NotebookPanel:not(.lm-mod-hidden) .jp-Toolbar'
                    + ' [title]')).map(e => (e.textContent + ' ' + (e.title || '')).trim());
  return {commands, nbgraderMenu: menus.some(m => /nbgrader/i.test(m)),
          validate: buttons.some(b => /Validate/.test(b)),
          createPanel: !!document.querySelector('[id*="create_assignment"],'
                                                + ' [id*="create-assignment"]')};
}"""

CELL_TAGS = """() => {
  const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
  const tags = [];
  for (let i = 0; i < cells.length; i++) { tags.push(cells.get(i).getMetadata('tags') || []); }
  return tags;
}"""


def _open_and_run(page, path: str) -> dict:
    page.evaluate(f"window.jupyterapp.commands.execute('docmanager:open', {{path: {path!r}}})"
                  ".then(() => true)")
    page.wait_for_function(
        "window.jupyterapp.shell.currentWidget && window.jupyterapp.shell.currentWidget.context"
        f" && window.jupyterapp.shell.currentWidget.context.path === {path!r}")
    page.evaluate("async () => { await window.jupyterapp.shell.currentWidget.sessionContext"
                  ".ready; }")
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells').then(() => 1)")
    page.wait_for_function("""() => {
        const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
        for (let i = 0; i < cells.length; i++) {
          const c = cells.get(i);
          if (c.type === 'code' && !c.executionCount) return false;
        }
        return true;
    }""", polling=500)
    page.evaluate("""async () => {
        const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
        while (kernel.status !== 'idle') { await new Promise(r => setTimeout(r, 200)); }
    }""")
    return page.evaluate("""() => {
        const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
        const errors = [];
        for (let i = 0; i < cells.length; i++) {
          const c = cells.get(i);
          if (c.type !== 'code') continue;
          for (const o of c.outputs.toJSON()) {
            if (o.output_type === 'error') errors.push(o.ename + ': ' + o.evalue);
          }
        }
        return errors;
    }""")


@pytest.mark.parametrize("edition", ["trainer", "participant"])
def test_each_edition_in_the_browser(edition, tmp_path, new_page, artifacts):
    before = tracked_notebooks_digest(ROOT)
    lab = start_lab(ROOT, tmp_path, *(["--participant"] if edition == "participant" else []))
    try:
        page, guard, _errors = new_page()
        page.set_default_timeout(150_000)
        page.goto(f"{lab.base}/?token={lab.token}")  # redirected to the home notebook
        page.wait_for_function("window.jupyterapp && window.jupyterapp.shell.currentWidget")
        page.wait_for_selector(".jp-NotebookPanel .jp-MarkdownOutput h1")
        # French, and no « Oui / Non » news bubble on the first load.
        menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
        assert "Fichier" in menus, menus
        assert not page.locator(".jp-Notification-Toast-content, .Toastify__toast").count()
        errors = _open_and_run(page, NOTEBOOK)
        assert errors == [], errors
        page.screenshot(path=str(artifacts / f"{edition}.png"))
        tags = page.evaluate(CELL_TAGS)
        ui = page.evaluate(NBGRADER_UI)
        if edition == "participant":
            assert not [t for t in tags if TRAINER_TAG in t], "trainer cell in the participant's"
            assert ui == {"commands": [], "nbgraderMenu": False, "validate": False,
                          "createPanel": False}, ui
            # The participant edits their answer in the browser and saves it.
            page.evaluate("""async () => {
                const panel = window.jupyterapp.shell.currentWidget;
                const cells = panel.content.model.cells;
                for (let i = 0; i < cells.length; i++) {
                  const c = cells.get(i);
                  if (c.type === 'code') {
                    c.sharedModel.setSource('# ÉDITÉ DANS LE NAVIGATEUR\\n' + c.sharedModel.getSource());
                    break;
                  }
                }
                await panel.context.save();
            }""")
        else:
            assert [t for t in tags if TRAINER_TAG in t], "the trainer's edition lost its notes"
            assert ui["nbgraderMenu"] and "nbgrader:open-create-assignment" in ui["commands"], ui
            # What autosave does after a walk through the course: outputs saved (here, now).
            page.evaluate("async () => { await window.jupyterapp.shell.currentWidget.context"
                          ".save(); }")
        assert guard.external == [], guard.external
    finally:
        out = lab.stop()
    assert "Espace de travail" in out, out[-2000:]
    ws = tmp_path / "ateliers" / load(ROOT).version / (
        "participant" if edition == "participant" else "animateur")
    saved = nbformat.read(ws / NOTEBOOK, as_version=4)
    assert any(c.outputs for c in saved.cells if c.cell_type == "code"), "saved elsewhere"
    if edition == "participant":
        for path in ws.rglob("*.ipynb"):
            nb = json.loads(path.read_text(encoding="utf-8"))
            assert not [c for c in nb["cells"] if TRAINER_TAG in c["metadata"].get("tags", [])], \
                path
        # The next course version keeps the cell edited (and saved) in the browser.
        cur = dataclasses.replace(load(ROOT), version="99.0.0")
        report = prepare_workspace("participant", cur=cur,
                                   target=tmp_path / "ateliers" / "99.0.0" / "participant")
        assert report.seeded_from == ws
        merged = nbformat.read(report.path / NOTEBOOK, as_version=4)
        assert any(c.source.startswith("# ÉDITÉ DANS LE NAVIGATEUR") for c in merged.cells)
    # The repository's notebooks were never written, whatever the lab did.
    assert tracked_notebooks_digest(ROOT) == before
