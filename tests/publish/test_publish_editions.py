"""``atelier editions``: participant (clean) and trainer (complete) editions of every notebook."""

from __future__ import annotations

import nbformat
import pytest

from toolkit.errors import InputError
from toolkit.publish.editions import build_editions
from toolkit.publish.pipeline import CODE_STUB, TEXT_STUB, build_edition


def _text(nb) -> str:
    return "\n".join(c.source for c in nb.cells)


def test_participant_and_trainer_editions(course, tmp_path):
    nb_path = course / "notebooks/01-essai/01-intro.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells[4].outputs = [nbformat.v4.new_output("stream", text="bonjour\n")]
    nb.cells[4].execution_count = 3
    nbformat.write(nb, nb_path)
    (course / "notebooks/01-essai/image.png").write_bytes(b"png")

    report = build_editions(tmp_path / "ed")
    assert report.ok, report.problems
    part = tmp_path / "ed/participant"
    trainer = tmp_path / "ed/animateur"
    assert sorted(p.relative_to(part).as_posix() for p in part.rglob("*.ipynb")) == [
        "00-accueil.ipynb", "01-essai/01-intro.ipynb", "01-essai/02-suite.ipynb"]
    # trainer tools only in the trainer edition, in a folder named animateur/
    assert (trainer / "outils/01-outil.ipynb").is_file()
    assert not (part / "outils").exists()
    assert report.missing == ["notebooks/01-essai/03-absent.ipynb", "notebooks/02-vide/01-rien.ipynb"]

    p = nbformat.read(part / "01-essai/01-intro.ipynb", as_version=4)
    text = _text(p)
    assert "NOTE-ANIMATEUR-INTRO" not in text and "REPONSE-ATTENDUE-INTRO" not in text
    assert not any("animateur" in c.metadata.get("tags", []) for c in p.cells)
    assert "SECRET-SOLUTION" not in text and "BEGIN SOLUTION" not in text
    assert f"    \"\"\"Salue la personne.\"\"\"\n    {CODE_STUB}" in text  # indentation kept, like nbgrader
    assert all(c.outputs == [] and c.execution_count is None
               for c in p.cells if c.cell_type == "code")
    suite = nbformat.read(part / "01-essai/02-suite.ipynb", as_version=4)
    assert TEXT_STUB in _text(suite) and "TEXTE-SOLUTION-LIBRE" not in _text(suite)
    # version stamped in the header from curriculum.yml (the source header was stale)
    assert "version du cours 0.2.0" in p.cells[0].source and "0.0.1" not in p.cells[0].source
    assert p.metadata["atelier"]["version"] == "0.2.0"
    home = nbformat.read(part / "00-accueil.ipynb", as_version=4)
    assert "Version du cours\u00a0: **0.2.0**" in home.cells[0].source
    # support files travel with the notebooks
    assert (part / "01-essai/image.png").is_file()

    t = nbformat.read(trainer / "01-essai/01-intro.ipynb", as_version=4)
    assert "NOTE-ANIMATEUR-INTRO" in _text(t) and "SECRET-SOLUTION" in _text(t)
    assert "version du cours 0.2.0" in t.cells[0].source
    assert all(c.outputs == [] for c in t.cells if c.cell_type == "code")
    # the sources are untouched
    assert nbformat.read(nb_path, as_version=4).cells[4].execution_count == 3


def test_rebuild_replaces_old_editions(course, tmp_path):
    build_editions(tmp_path / "ed")
    (course / "notebooks/01-essai/02-suite.ipynb").unlink()
    build_editions(tmp_path / "ed")
    assert not (tmp_path / "ed/participant/01-essai/02-suite.ipynb").exists()


def test_hidden_tests_removed_and_errors_name_the_cell(nbt):
    md, code, notebook = nbt.md, nbt.code, nbt.notebook
    nb = notebook([
        md("intro"),
        code("x = 1\n### BEGIN HIDDEN TESTS\nassert x == 1\n### END HIDDEN TESTS\nprint(x)"),
    ])
    assert build_edition(nb, "participant", rel="a.ipynb").cells[1].source == "x = 1\nprint(x)"
    assert "HIDDEN" in nb.cells[1].source  # the source is never modified
    broken = notebook([md("a"), code("### BEGIN SOLUTION\nx = 1\n")])
    with pytest.raises(InputError, match=r"b\.ipynb, cellule n° 2.*pas fermée"):
        build_edition(broken, "participant", rel="b.ipynb")
    stray = notebook([code("x = 1\n### END SOLUTION")])
    with pytest.raises(InputError, match="cellule n° 1"):
        build_edition(stray, "trainer", rel="c.ipynb")
    nested = notebook([code("### BEGIN HIDDEN TESTS\n### BEGIN HIDDEN TESTS\n### END HIDDEN TESTS")])
    with pytest.raises(InputError, match=r"d\.ipynb, cellule n° 1.*deux fois"):
        build_edition(nested, "slides", rel="d.ipynb")


def test_solution_cell_by_metadata_becomes_the_stub(course, tmp_path, nbt):
    md, code, notebook, write = nbt.md, nbt.code, nbt.notebook, nbt.write
    cell = code("reponse = 42")
    cell.metadata["nbgrader"] = {"solution": True, "grade_id": "q1"}
    write(course / "notebooks/01-essai/02-suite.ipynb", notebook([md("# Suite", "slide"), cell]))
    build_editions(tmp_path / "ed")
    nb = nbformat.read(tmp_path / "ed/participant/01-essai/02-suite.ipynb", as_version=4)
    assert nb.cells[-1].source == CODE_STUB


def test_cli_editions(course, tmp_path, capsys):
    from toolkit.cli import main

    assert main(["editions", "--out", str(tmp_path / "ed")]) == 0
    assert "participant : 3 notebooks" in capsys.readouterr().out
    intro = nbformat.read(tmp_path / "ed/participant/01-essai/01-intro.ipynb", as_version=4)
    assert CODE_STUB in _text(intro)
