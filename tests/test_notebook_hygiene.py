"""Every notebook in the repository: valid, no outputs, standard kernel, header, no secret."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import nbformat
import pytest

from toolkit.course.curriculum import HEADER_TAG, load, sync_headers

ROOT = Path(__file__).resolve().parent.parent
SECRET = re.compile(r"sk-[A-Za-z0-9_-]{16,}|AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY")
NAME = re.compile(r"\d\d-[a-z0-9]+(?:-[a-z0-9]+)*\.ipynb")


def _notebooks() -> list[Path]:
    try:
        out = subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard", "*.ipynb"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        paths = [ROOT / p for p in out.split()]
    except (OSError, subprocess.CalledProcessError):
        paths = list(ROOT.glob("notebooks/**/*.ipynb")) + list(
            ROOT.glob("exercises/source/**/*.ipynb")
        )
    # Course and exercise sources; test fixtures (deliberately broken submissions...) are not.
    roots = (ROOT / "notebooks", ROOT / "exercises" / "source")
    return sorted(
        p
        for p in paths
        if p.exists()
        and ".ipynb_checkpoints" not in p.parts
        and any(p.is_relative_to(r) for r in roots)
    )


NOTEBOOKS = _notebooks()


def test_there_are_notebooks():
    assert any(p.is_relative_to(ROOT / "notebooks") for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_hygiene(path):
    rel = path.relative_to(ROOT)
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert NAME.fullmatch(path.name), f"{rel}: name must be NN-kebab-title.ipynb"
    ks = nb.metadata.get("kernelspec", {})
    assert ks.get("name") == "python3", f"{rel}: kernelspec must be python3"
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert not cell.outputs, f"{rel}: cell {i} has outputs (strip them)"
            assert cell.execution_count is None, f"{rel}: cell {i} has an execution count"
    assert not SECRET.search(path.read_text(encoding="utf-8")), f"{rel}: looks like a secret"


COURSE = [p for p in NOTEBOOKS if p.is_relative_to(ROOT / "notebooks")]


@pytest.mark.parametrize("path", COURSE, ids=lambda p: str(p.relative_to(ROOT)))
def test_course_notebook_has_generated_header(path):
    nb = nbformat.read(path, as_version=4)
    assert HEADER_TAG in nb.cells[0].metadata.get("tags", []), "first cell must be the header"
    meta = nb.metadata.get("atelier", {})
    assert meta.get("version") == load(ROOT).version
    assert meta.get("id")


def test_every_course_notebook_is_in_the_manifest():
    cur = load(ROOT)
    listed = {cur.home, *(m.file for m in cur.modules())}
    for path in COURSE:
        assert str(path.relative_to(ROOT)) in listed, f"{path} is not listed in curriculum.yml"


def test_headers_are_current():
    stale = [p for p in sync_headers(ROOT, check=True) if not p.endswith("(manquant)")]
    assert stale == [], "run `atelier notebooks sync`"
