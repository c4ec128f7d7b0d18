"""One source per exercise: the MyST text in exercises/text/ generates the notebook and its hints."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jupytext
import nbformat
import pytest
from exercise_names import ASSIGNMENTS

from toolkit.errors import InputError
from toolkit.publish.exercises import (
    exercise_hints,
    notebook_from_text,
    question_key,
    sync_exercises,
)

ROOT = Path(__file__).resolve().parents[2]
TEXT = ROOT / "exercises" / "text"


@pytest.fixture
def course(tmp_path):
    """A copy of the manifest and the exercise sources, with its own hint table."""
    root = tmp_path / "cours"
    (root / "exercises").mkdir(parents=True)
    shutil.copy(ROOT / "curriculum.yml", root / "curriculum.yml")
    for part in ("text", "source"):
        shutil.copytree(ROOT / "exercises" / part, root / "exercises" / part)
    hints = tmp_path / "indices.json"
    sync_exercises(root, hints_file=hints)
    return root, hints


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_each_exercise_has_exactly_one_text_source():
    assert sorted(p.stem for p in TEXT.glob("*.md")) == ASSIGNMENTS
    # no Python module under exercises/ holds cell sources (only nbgrader's own config)
    modules = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "exercises").rglob("*.py"))
    assert modules == ["exercises/nbgrader_config.py"]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_text_source_is_a_myst_notebook_jupyterlab_opens(name):
    nb = jupytext.read(TEXT / f"{name}.md")  # format from the file's own header
    assert nb.metadata["jupytext"]["text_representation"]["format_name"] == "myst"
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert graded and all(c.metadata["nbgrader"].get("points", 0) > 0 for c in graded)


def test_an_edited_text_source_makes_the_check_fail_until_synced(course):
    root, hints = course
    src = root / "exercises/text/01-anatomie-du-prompt.md"
    _edit(src, "## Question 1 — Qu'est-ce qui manque ?", "## Question 1 — Que manque-t-il ?")
    stale = sync_exercises(root, check=True, hints_file=hints)
    assert stale == ["exercises/source/01-anatomie-du-prompt/01-anatomie-du-prompt.ipynb"]
    assert sync_exercises(root, hints_file=hints) == stale
    nb = nbformat.read(root / stale[0], as_version=4)
    assert any("Que manque-t-il" in c.source for c in nb.cells)
    assert sync_exercises(root, check=True, hints_file=hints) == []


def test_an_edited_hint_reaches_the_hint_table(course):
    root, hints = course
    src = root / "exercises/text/06-automato.md"
    _edit(src, "indice: Gain annuel", "indice: NOUVEL INDICE. Gain annuel")
    assert str(hints) in sync_exercises(root, check=True, hints_file=hints)
    sync_exercises(root, hints_file=hints)
    assert json.loads(hints.read_text(encoding="utf-8"))["q06-roi"].startswith("NOUVEL INDICE")


def test_generated_notebook_is_deterministic_and_clean():
    a = notebook_from_text(TEXT / "03-exemples-few-shot.md")
    b = notebook_from_text(TEXT / "03-exemples-few-shot.md")
    assert nbformat.writes(a) == nbformat.writes(b)
    nbformat.validate(a)
    assert "jupytext" not in a.metadata
    ids = [c.id for c in a.cells]
    assert len(ids) == len(set(ids))
    for cell in a.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        assert cell.id == (gid or cell.id) and cell.id.startswith("ex03-")


def test_manifest_and_text_sources_must_agree(course):
    root, hints = course
    (root / "exercises/text/07-inconnu.md").write_text(
        (root / "exercises/text/06-automato.md").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(InputError, match=r"07-inconnu.*curriculum\.yml"):
        sync_exercises(root, check=True, hints_file=hints)
    (root / "exercises/text/07-inconnu.md").unlink()
    (root / "exercises/text/05-confidentialite.md").unlink()
    with pytest.raises(InputError, match=r"« 05-confidentialite ».*n'a pas de source"):
        sync_exercises(root, check=True, hints_file=hints)


def test_duplicate_grade_id_names_the_cells(course):
    root, hints = course
    src = root / "exercises/text/04-raisonnement.md"
    _edit(src, "grade_id: ex04-q04-extraire-reponse", "grade_id: ex04-q04-etape-par-etape")
    with pytest.raises(InputError, match=r"04-raisonnement\.md, cellule n° \d+ .*ex04-q04-etape"):
        sync_exercises(root, check=True, hints_file=hints)


def test_a_hint_outside_a_test_cell_is_refused(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_markdown_cell("consigne")
    cell.metadata["atelier"] = {"indice": "perdu"}
    nb.cells = [cell]
    with pytest.raises(InputError, match="cellule n° 1"):
        exercise_hints(nb, "x.md")


# ---- the hints, read where they are written ------------------------------------------------

def _graded_cells():
    for name in ASSIGNMENTS:
        nb = notebook_from_text(TEXT / f"{name}.md")
        for i, cell in enumerate(nb.cells):
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and cell.cell_type == "code":
                yield name, nb, i, cell


def test_every_question_a_check_names_has_its_hint_and_no_hint_is_orphan():
    from toolkit.prompts.indices import INDICES

    asked = {q for _n, _nb, _i, c in _graded_cells()
             for q in re.findall(r"question=\"([^\"]+)\"", c.source)}
    keys = {question_key(c.metadata["nbgrader"]["grade_id"]) for _n, _nb, _i, c in _graded_cells()}
    assert asked <= set(INDICES), asked - set(INDICES)
    assert set(INDICES) <= keys


def _proper_nouns(text: str) -> set[str]:
    """Capitalised words that do not start a sentence or a quotation (names of people, towns)."""
    found = set()
    for m in re.finditer(r"\b[A-ZÉÈ][a-zéèêëïîôûç]+\b", text):
        before = text[:m.start()].rstrip()
        if before and before[-1] not in ".?!:;«(/":
            found.add(m.group(0))
    return found


def _question_text(nb, index: int) -> str:
    """The cells from the question's heading down to its test cell."""
    start = max(i for i in range(index + 1)
                if nb.cells[i].cell_type == "markdown" and "## " in nb.cells[i].source)
    return "\n".join(c.source for c in nb.cells[start:index + 1])


def test_a_hint_names_only_people_and_places_of_its_own_question():
    """The drift class: a hint telling to reread « le prompt de Léa » beside Marc's prompt."""
    bad = []
    for name, nb, i, cell in _graded_cells():
        hint = (cell.metadata.get("atelier") or {}).get("indice", "")
        section = _question_text(nb, i)
        bad += [(name, cell.id, word) for word in _proper_nouns(hint) if word not in section]
    assert bad == []


def test_the_drift_check_catches_the_old_hint():
    nb = notebook_from_text(TEXT / "01-anatomie-du-prompt.md")
    i = next(k for k, c in enumerate(nb.cells) if c.id == "ex01-q01-composantes-manquantes")
    old = "Relisez le prompt de Léa : dit-il qui doit répondre (rôle) ?"
    assert _proper_nouns(old) == {"Léa"}
    assert "Léa" not in _question_text(nb, i) and "Marc" in _question_text(nb, i)


def test_cli_sync_check(course, monkeypatch, capsys):
    from toolkit.cli import main

    root, _hints = course
    monkeypatch.chdir(ROOT)
    assert main(["exercises", "sync", "--check"]) == 0
    assert "à jour" in capsys.readouterr().out
    monkeypatch.chdir(root)  # the copy's sources are current, its package hint table is not
    _edit(root / "exercises/text/02-format-et-delimiteurs.md", "## Question 1", "## Question un")
    assert main(["exercises", "sync", "--check"]) == 1
    out = capsys.readouterr().out
    assert "exercises/source/02-format-et-delimiteurs/02-format-et-delimiteurs.ipynb" in out
    assert "atelier exercises sync" in out
