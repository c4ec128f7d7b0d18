"""A small course built in a temporary folder: two sessions, trainer notes, solutions, an exercise.

The notebooks are made with nbformat here (not copied from notebooks/, which others are still
writing) so that every publishing rule can be checked on known content.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]

CURRICULUM = """\
version: 0.2.0
title: "Cours d'essai"
language: fr
home: notebooks/00-accueil.ipynb
levels: {1: Découverte, 2: Utilisateur autonome}
sessions:
  - id: 01-essai
    title: "Session 1 — Essai"
    day: J+0
    duration_min: 50
    target_level: 2
    objective: Tester la publication.
    modules:
      - id: 01-intro
        file: notebooks/01-essai/01-intro.ipynb
        title: Introduction
        duration_min: 20
        level: 1
        objectives: [Ouvrir un notebook, Lancer une cellule]
        exercises: [01-ex]
      - id: 02-suite
        file: notebooks/01-essai/02-suite.ipynb
        title: La suite
        duration_min: 30
        level: 2
        objectives: [Aller plus loin]
      - id: 03-absent
        file: notebooks/01-essai/03-absent.ipynb
        title: Pas encore écrit
        duration_min: 15
        level: 2
  - id: 02-vide
    title: "Session 2 — Vide"
    day: J+15
    duration_min: 30
    target_level: 3
    objective: Rien encore.
    modules:
      - id: 01-rien
        file: notebooks/02-vide/01-rien.ipynb
        title: Rien
        duration_min: 30
        level: 3
tools:
  - id: 01-outil
    file: notebooks/outils/01-outil.ipynb
    title: Outil de l'animateur
    duration_min: 10
    level: 1
"""

CHANGELOG = """\
# Changelog

## [Unreleased]

### Added
- Une nouveauté en cours.

## [0.1.0] - 2026-01-10

### Added
- Première version.
"""

SOLUTION = (
    "def saluer(nom):\n"
    "    \"\"\"Salue la personne.\"\"\"\n"
    "    ### BEGIN SOLUTION\n"
    "    return 'Bonjour ' + nom + ' SECRET-SOLUTION'\n"
    "    ### END SOLUTION\n"
)
HIDDEN_LINE = "assert saluer('Zoé') == 'Bonjour Zoé SECRET-SOLUTION'"


def md(text, slide="-", tags=()):
    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata["slideshow"] = {"slide_type": slide}
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def code(text, slide="-", outputs=None):
    cell = nbformat.v4.new_code_cell(text)
    cell.metadata["slideshow"] = {"slide_type": slide}
    if outputs is not None:
        cell.outputs = outputs
        cell.execution_count = 1
    return cell


def notebook(cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"
    }
    nb.cells = cells
    return nb


def header(title="Vieux titre", version="0.0.1"):
    return md(f"# {title}\n\nversion du cours {version}\n", "slide", ["atelier-header"])


def write(path: Path, nb) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def make_course(root: Path, *, exercise: bool = True) -> Path:
    """Write the small course under *root* and return it."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "curriculum.yml").write_text(CURRICULUM, encoding="utf-8")
    (root / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    shutil.copytree(ROOT / "slides" / "templates", root / "slides" / "templates")
    shutil.copytree(ROOT / "slides" / "theme", root / "slides" / "theme")
    write(root / "notebooks/00-accueil.ipynb", notebook([
        header("Accueil"),
        md("## Bienvenue\n\nLe cours commence ici.", "slide"),
        md("Note d'accueil pour l'animateur.", "notes", ["animateur"]),
    ]))
    write(root / "notebooks/01-essai/01-intro.ipynb", notebook([
        header(),
        md("**Notes pour l'animateur·rice**\n\nDurée : 20 min. NOTE-ANIMATEUR-INTRO", "notes",
           ["animateur"]),
        code("import toolkit", "skip"),
        md("## Premier pas\n\nUn texte pour les participants.", "slide"),
        code("print('bonjour')"),
        md("## ✍️ À vous\n\nComplétez la fonction.", "subslide"),
        code(SOLUTION),
        md("**Réponse attendue** : « Bonjour Zoé ». REPONSE-ATTENDUE-INTRO", "notes",
           ["animateur"]),
        md("Un fragment qui apparaît ensuite.", "fragment"),
        md("## À retenir\n\n- une chose", "slide"),
    ]))
    write(root / "notebooks/01-essai/02-suite.ipynb", notebook([
        header(),
        md("## La suite\n\nLa formule $E = mc^2$ en passant.", "slide"),
        md("Réponse libre :\n\n### BEGIN SOLUTION\nTEXTE-SOLUTION-LIBRE\n### END SOLUTION",
           "-"),
        md("Notes de la suite. NOTE-ANIMATEUR-SUITE", "notes", ["animateur"]),
    ]))
    write(root / "notebooks/outils/01-outil.ipynb", notebook([
        header(), md("## Outil\n\nPour l'animateur seulement. OUTIL-ANIMATEUR", "slide"),
    ]))
    if exercise:
        ex = notebook([
            md("# Exercice\n\nÉcrivez `saluer`."),
            code(SOLUTION),
            code("assert saluer('Ana').startswith('Bonjour')\n### BEGIN HIDDEN TESTS\n"
                 + HIDDEN_LINE + "\n### END HIDDEN TESTS\n"),
        ])
        ex.cells[1].metadata["nbgrader"] = {
            "grade": False, "grade_id": "ex-saluer", "locked": False, "schema_version": 3,
            "solution": True, "task": False,
        }
        ex.cells[2].metadata["nbgrader"] = {
            "grade": True, "grade_id": "ex-tests", "locked": True, "points": 1,
            "schema_version": 3, "solution": False, "task": False,
        }
        write(root / "exercises/source/01-ex/01-ex.ipynb", ex)
        (root / "exercises/nbgrader_config.py").write_text(
            "c = get_config()  # noqa: F821\n"
            "import os\n"
            "HERE = os.path.dirname(os.path.abspath(__file__))\n"
            "c.CourseDirectory.course_id = 'essai'\n"
            "c.CourseDirectory.root = HERE\n"
            "c.Exchange.root = os.path.join(HERE, 'exchange')\n"
            "from toolkit.publish.pipeline import CODE_STUB\n"
            "c.ClearSolutions.code_stub = {'python': CODE_STUB}\n",
            encoding="utf-8",
        )
    return root


def fake_node_modules(root: Path) -> Path:
    """The npm files the decks copy, as small stand-ins (the real ones come from npm ci)."""
    nm = root / "node_modules"
    files = {
        "reveal.js/dist/reveal.js": "/* reveal */",
        "reveal.js/dist/reveal.css": "/* css */",
        "reveal.js/dist/theme/white.css": "/* white */",
        "reveal.js/dist/theme/fonts/source-sans-pro/source-sans-pro.css": "/* font */",
        "reveal.js/plugin/notes/notes.js": "/* notes */",
        "requirejs/require.js": "/* require */",
        "mathjax/MathJax.js": "/* mathjax */",
        "mathjax/config/TeX-AMS_CHTML-full.js": "/* config */",
        "mathjax/unpacked/MathJax.js": "/* not needed by decks */",
        "mathjax/extensions/Safe.js": "/* safe */",
    }
    for rel, text in files.items():
        (nm / rel).parent.mkdir(parents=True, exist_ok=True)
        (nm / rel).write_text(text)
    return nm


@pytest.fixture
def course(tmp_path, monkeypatch):
    root = make_course(tmp_path / "cours")
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def node_modules(tmp_path):
    return fake_node_modules(tmp_path / "npm")


@pytest.fixture
def nbt():
    """Notebook helpers for tests (tests/ has no packages, so no import from conftest)."""
    from types import SimpleNamespace

    return SimpleNamespace(md=md, code=code, notebook=notebook, write=write,
                           hidden_line=HIDDEN_LINE, make_course=make_course,
                           fake_node_modules=fake_node_modules)
