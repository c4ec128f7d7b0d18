"""A built deck, served on 127.0.0.1, opened in chromium: it starts offline, moves through
slides, shows the trainer notes in the speaker view and renders formulas with local MathJax."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from toolkit.course.curriculum import load
from toolkit.publish.slides import build_deck, build_slides

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]

MINI = """\
version: 9.9.9
title: Mini
home: notebooks/00-accueil.ipynb
levels: {1: Découverte}
sessions:
  - id: 01-mini
    title: Session mini
    day: J+0
    duration_min: 10
    target_level: 1
    objective: Voir une formule.
    modules:
      - id: 01-formules
        file: notebooks/01-mini/01-formules.ipynb
        title: Formules
        duration_min: 10
        level: 1
"""


def _wait_ready(page):
    page.wait_for_function("document.body.dataset.deckReady === '1'", timeout=30_000)


def _state(page) -> tuple[str, str]:
    indices = page.evaluate("JSON.stringify(Reveal.getIndices())")
    heading = page.evaluate(
        "(() => { const h = Reveal.getCurrentSlide().querySelector('h1, h2, h3');"
        " return h ? h.textContent.trim() : ''; })()"
    )
    return indices, heading


def test_session_deck_runs_offline_and_moves(tmp_path, node_modules, serve, new_page,
                                             artifacts, monkeypatch):
    monkeypatch.setenv("ATELIER_ORGANISATION", "Ville de Genève")
    cur = load(ROOT)
    session = next(s for s in cur.sessions if any((ROOT / m.file).is_file() for m in s.modules))
    report = build_deck(session, cur=cur, out_dir=tmp_path / "build", node_modules=node_modules)
    base = serve(tmp_path / "build")
    page, guard, errors = new_page()
    page.goto(f"{base}/{report.path.name}")
    _wait_ready(page)
    assert page.evaluate("Reveal.getTotalSlides()") == report.slides
    assert "Ville de Genève" in page.inner_text(".atelier-footer")
    assert session.title in page.inner_text("section.present")
    seen = [_state(page)]
    page.screenshot(path=str(artifacts / "diapo-0.png"))
    for i in range(1, 4):
        page.keyboard.press("Space")  # next slide, vertical ones included
        page.wait_for_function(f"JSON.stringify(Reveal.getIndices()) !== {seen[-1][0]!r}")
        seen.append(_state(page))
        page.screenshot(path=str(artifacts / f"diapo-{i}.png"))
    assert len({s[0] for s in seen}) == 4, seen
    assert all(s[1] for s in seen[1:]), seen  # every slide shows a heading
    assert page.locator("aside.notes").count() == report.notes > 0
    # reveal.js, require.js and the theme came from the local server, nothing from outside
    assert guard.external == []
    assert page.evaluate("getComputedStyle(document.querySelector('.reveal h2, .reveal h1'))"
                         ".fontFamily").startswith('"Source Sans Pro"')
    assert errors == [], errors


def test_speaker_view_and_local_mathjax(tmp_path, node_modules, serve, new_page, artifacts):
    course = tmp_path / "mini"
    (course / "notebooks/01-mini").mkdir(parents=True)
    (course / "curriculum.yml").write_text(MINI, encoding="utf-8")
    shutil.copytree(ROOT / "slides/templates", course / "slides/templates")
    shutil.copytree(ROOT / "slides/theme", course / "slides/theme")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    formula = nbformat.v4.new_markdown_cell("## Une formule\n\n$$\\frac{a}{b} = \\sqrt{x^2}$$")
    formula.metadata["slideshow"] = {"slide_type": "slide"}
    note = nbformat.v4.new_markdown_cell("NOTE-PRESENTATEUR : expliquez la fraction.")
    note.metadata.update(tags=["animateur"], slideshow={"slide_type": "notes"})
    nb.cells = [formula, note]
    nbformat.write(nb, course / "notebooks/01-mini/01-formules.ipynb")
    report = build_deck("1", cur=load(course), out_dir=tmp_path / "build",
                        node_modules=node_modules)
    assert report.math
    base = serve(tmp_path / "build")
    page, guard, errors = new_page()
    page.goto(f"{base}/01-mini.html")
    _wait_ready(page)
    page.evaluate("Reveal.slide(3)")  # title, agenda, header, formula
    page.wait_for_selector("section.present .MathJax_CHTML", timeout=30_000)
    page.screenshot(path=str(artifacts / "formule.png"))
    with page.expect_popup() as popup_info:
        page.keyboard.press("s")
    speaker = popup_info.value
    speaker.wait_for_function(
        "document.querySelector('.speaker-controls-notes') && "
        "document.querySelector('.speaker-controls-notes').textContent.includes('NOTE-PRESENTATEUR')",
        timeout=30_000,
    )
    speaker.screenshot(path=str(artifacts / "vue-presentateur.png"))
    assert guard.external == []
    assert not [e for e in errors if "MathJax" in e or "require" in e], errors


def test_arrow_right_reaches_every_slide_in_order(tmp_path, node_modules, serve, new_page,
                                                  artifacts):
    """→ alone goes through the whole deck, vertical sub-slides included (linear mode)."""
    cur = load(ROOT)
    session = next(s for s in cur.sessions if any((ROOT / m.file).is_file() for m in s.modules))
    [report] = build_slides(session.id, cur=cur, out_dir=tmp_path / "build",
                            node_modules=node_modules)
    base = serve(tmp_path / "build")
    page, guard, errors = new_page()
    page.goto(f"{base}/{report.path.name}")
    _wait_ready(page)
    total = page.evaluate("Reveal.getTotalSlides()")
    vertical = page.evaluate("document.querySelectorAll('.slides > section > section').length")
    assert vertical > 0, "the deck has no vertical sub-slide: the test would prove nothing"
    # Every slide in document order, as reveal.js numbers them.
    order = page.evaluate("""() => Reveal.getSlides().map(s => {
        const i = Reveal.getIndices(s); return i.h + '/' + (i.v || 0); })""")
    state = ("(() => { const i = Reveal.getIndices();"
             " return i.h + '/' + (i.v || 0) + '/' + (i.f === undefined ? '' : i.f); })()")
    seen, steps = [page.evaluate(state)], 0
    # → also steps through fragments (same slide, next fragment): press until the end.
    while not page.evaluate("Reveal.isLastSlide() && !Reveal.availableFragments().next"):
        assert steps < 20 * total, f"→ is stuck at {seen[-1]}"
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"{state} !== {seen[-1]!r}", timeout=10_000)
        seen.append(page.evaluate(state))
        steps += 1
    slides = []
    for entry in seen:
        hv = "/".join(entry.split("/")[:2])
        if not slides or slides[-1] != hv:
            slides.append(hv)
    seen = slides
    assert seen == order, (seen, order)
    assert page.evaluate("Reveal.isLastSlide()")
    page.screenshot(path=str(artifacts / "derniere.png"))
    # The index page lists the keys.
    page.goto(f"{base}/index.html")
    text = page.inner_text("body")
    for key in ("→", "←", "Espace", "S", "F", "Échap"):
        assert key in text, key
    assert guard.external == [] and errors == [], (guard.external, errors)
