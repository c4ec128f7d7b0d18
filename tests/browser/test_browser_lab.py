"""JupyterLab in chromium: the course home opens, the first notebook of session 1 runs offline
and its outputs render: the answer badge, the agenda plot and the level widget."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from toolkit.course.curriculum import load
from toolkit.testing.lab import start_lab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]

# Python run in the page: what the notebook's outputs are, from JupyterLab's own model.
OUTPUT_SUMMARY = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cells = panel.content.model.cells;
  const out = {errors: [], png: 0, widgets: 0, answers: 0, executed: 0, code: 0};
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type !== 'code') continue;
    out.code += 1;
    if (cell.executionCount) out.executed += 1;
    for (const o of cell.outputs.toJSON()) {
      if (o.output_type === 'error') out.errors.push(o.ename + ': ' + o.evalue);
      const data = o.data || {};
      if (data['image/png']) out.png += 1;
      if (data['application/vnd.jupyter.widget-view+json']) out.widgets += 1;
      if ((data['text/html'] || '').toString().includes('atelier-answer')) out.answers += 1;
    }
  }
  return out;
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _first_notebook() -> str:
    """01-acculturation/01-bienvenue.ipynb (its path in the workspace), else the home page."""
    cur = load(ROOT)
    first = cur.sessions[0].modules[0].file if cur.sessions and cur.sessions[0].modules else None
    rel = first if first and (ROOT / first).is_file() else cur.home
    return str(Path(rel).relative_to(Path(cur.home).parent).as_posix())


@pytest.fixture
def lab(tmp_path):
    """The real ``atelier lab`` (trainer's edition) on its workspace under *tmp_path*."""
    server = start_lab(ROOT, tmp_path)
    try:
        yield server.base, server.token
    finally:
        server.stop()


def _run_notebook(page, path: str) -> dict:
    """Open *path* in JupyterLab, run all its cells, wait for the kernel; output summary."""
    page.evaluate(f"window.jupyterapp.commands.execute('docmanager:open', {{path: {path!r}}})"
                  ".then(() => true)")
    page.wait_for_function(
        f"window.jupyterapp.shell.currentWidget.context && "
        f"window.jupyterapp.shell.currentWidget.context.path === {path!r}"
    )
    page.evaluate("""async () => {
        await window.jupyterapp.shell.currentWidget.sessionContext.ready;
    }""")
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells').then(() => true)")
    page.wait_for_function(f"""() => {{
        const s = ({OUTPUT_SUMMARY})();
        return s.executed === s.code;
    }}""", polling=500)
    page.evaluate("""async () => {
        const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
        while (kernel.status !== 'idle') { await new Promise(r => setTimeout(r, 200)); }
    }""")
    return page.evaluate(OUTPUT_SUMMARY)


def test_lab_home_and_first_notebook_render(lab, new_page, artifacts):
    base, token = lab
    first = _first_notebook()
    page, guard, _errors = new_page()
    page.set_default_timeout(120_000)
    # 1. The course home page (LabApp.default_url set by `atelier lab`).
    page.goto(f"{base}/?token={token}")  # redirected to the home notebook
    page.wait_for_function("window.jupyterapp && window.jupyterapp.shell.currentWidget")
    page.wait_for_selector(".jp-NotebookPanel .jp-MarkdownOutput h1")
    home_text = page.inner_text(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownOutput >> nth=0")
    assert "Version du cours" in home_text
    page.screenshot(path=str(artifacts / "1-accueil.png"))

    # 2. The first notebook of session 1, run top to bottom in offline mode.
    summary = _run_notebook(page, first)
    assert summary["errors"] == [], summary["errors"]
    assert summary["executed"] == summary["code"] > 0

    # 3. What participants must see: the answer badge, the agenda plot, the level widget.
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    assert summary["answers"] > 0, "le premier notebook n'affiche aucune réponse du modèle"
    badge = panel.locator(".atelier-answer").first
    badge.wait_for(state="attached")
    badge.scroll_into_view_if_needed()
    assert badge.get_attribute("data-mode") == "offline"
    assert "simulée" in (badge.text_content() or "")
    badge.screenshot(path=str(artifacts / "2-badge.png"))

    assert summary["png"] >= 1, "le graphique du déroulé ne s'affiche pas"
    img = panel.locator(".jp-RenderedImage img").first
    img.scroll_into_view_if_needed()
    assert img.evaluate("i => i.complete && i.naturalWidth > 100")
    img.screenshot(path=str(artifacts / "3-graphique.png"))

    assert summary["widgets"] >= 1, "le widget « Mon niveau » ne s'affiche pas"
    widget = panel.locator(".jp-OutputArea-output .widget-toggle-buttons").first
    widget.wait_for(state="visible")
    widget.scroll_into_view_if_needed()
    assert "Mon niveau" in (widget.text_content() or "")
    widget.locator("button", has_text="2").first.click()  # a participant picks level 2
    page.wait_for_function(
        "() => document.body.innerText.includes('déjà au niveau visé')", timeout=10_000
    )
    widget.screenshot(path=str(artifacts / "4-widget.png"))
    page.screenshot(path=str(artifacts / "5-notebook.png"))
    assert guard.external == [], guard.external
