"""Participant handouts (``atelier editions --html``): alt text from the notebook, offline, fr."""

from __future__ import annotations

import base64
import re

import nbformat
import pytest

from toolkit.publish.editions import (
    PARTICIPANT_DIR,
    EditionsReport,
    _alt_problems,
    image_alt,
    write_handouts,
)

PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")).decode()


def plot_cell(source: str, **metadata):
    cell = nbformat.v4.new_code_cell(source, metadata=metadata)
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": PNG})]
    return cell


@pytest.mark.parametrize(("cell", "alt"), [
    (plot_cell("plt.plot(x)", alt="Courbe des coûts par mois"), "Courbe des coûts par mois"),
    (plot_cell("ax.set_title('Niveaux avant et après')\nplt.show()"), "Niveaux avant et après"),
    (plot_cell('plt.title("Jetons par requête")'), "Jetons par requête"),
    (plot_cell('df.plot(kind="bar", title="Temps gagné")'), "Temps gagné"),
    (plot_cell("plt.plot(x)"), None),
])
def test_alt_comes_from_the_cell_metadata_or_the_figure_title(cell, alt):
    assert image_alt(cell) == alt


def test_an_image_without_alt_is_a_problem_naming_the_notebook_and_cell():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Titre\n![](schema.png) et ![Schéma du flux](b.png)"),
        plot_cell("plt.plot(x)"),
        plot_cell("plt.title('Bon titre')"),
    ])
    problems = _alt_problems(nb, "participant-html/01/x.ipynb")
    assert [(p.cell, "schema.png" in p.what) for p in problems] == [("cellule 1", True),
                                                                  ("cellule 2", False)]
    assert nb.cells[2].outputs[0].metadata["alt"] == "Bon titre"


def test_handout_is_french_offline_and_keeps_the_alt(tmp_path):
    root = tmp_path / "editions"
    folder = root / PARTICIPANT_DIR / "01-mini"
    folder.mkdir(parents=True)
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Mon module\n\nTexte."),
        plot_cell("ax.set_title('Répartition des niveaux')"),
    ])
    path = folder / "01-module.ipynb"
    nbformat.write(nb, path)
    report = EditionsReport(root, "9.9.9", participant=[path])
    pages = write_handouts(report, pdf=False)
    html = pages[0].read_text(encoding="utf-8")
    assert '<html lang="fr">' in html and "<title>Mon module</title>" in html
    assert 'alt="Répartition des niveaux"' in html
    assert not re.search(r"<script[^>]+src=\"https?://", html)  # nothing fetched online
    assert not report.problems
