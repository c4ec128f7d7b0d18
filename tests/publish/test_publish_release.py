"""``atelier release``: the versioned bundle, and every reason to refuse building it."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from toolkit.cli import main
from toolkit.publish.release import ReleaseRefused, build_release, changelog_section

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def release_course(course, node_modules):
    shutil.copytree(node_modules, course / "slides" / "node_modules")
    return course


def _names(zf: zipfile.ZipFile, prefix: str) -> list[str]:
    return sorted(n[len(prefix):] for n in zf.namelist() if n.startswith(prefix))


def test_changelog_sections():
    text = "# C\n\n## [Unreleased]\n\n- a\n\n## [1.2.0] - 2026-01-01\n\n- b\n\n[1.2.0]: x\n"
    assert changelog_section(text, "1.2.0") == "- b"
    assert changelog_section(text, "unreleased") == "- a"
    assert changelog_section(text, "1.3.0") is None


def test_refused_without_changelog_entry(release_course, tmp_path):
    with pytest.raises(ReleaseRefused) as err:
        build_release(out_dir=tmp_path / "dist")
    message = str(err.value)
    assert "0.2.0" in message and "CHANGELOG.md" in message and "--unreleased" in message
    assert not (tmp_path / "dist").exists()


def test_refused_when_unreleased_section_is_empty(release_course, tmp_path):
    (release_course / "CHANGELOG.md").write_text("# C\n\n## [Unreleased]\n\n## [0.1.0]\n\n- a\n")
    with pytest.raises(ReleaseRefused, match="Unreleased"):
        build_release(unreleased=True, out_dir=tmp_path / "dist")


def test_refused_when_a_notebook_has_outputs(release_course, tmp_path):
    path = release_course / "notebooks/01-essai/02-suite.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = nbformat.v4.new_code_cell("1 + 1")
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "2"},
                                           execution_count=1)]
    cell.execution_count = 1
    nb.cells.insert(2, cell)
    nbformat.write(nb, path)
    with pytest.raises(ReleaseRefused) as err:
        build_release(unreleased=True, out_dir=tmp_path / "dist")
    message = str(err.value)
    assert "notebooks/01-essai/02-suite.ipynb, cellule n° 3" in message
    assert "sorties" in message and "clear-output" in message


def test_refused_when_a_hidden_test_would_leak(release_course, tmp_path, nbt):
    path = release_course / "notebooks/01-essai/02-suite.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbt.code(nbt.hidden_line))  # a hidden test pasted into a course notebook
    nbformat.write(nb, path)
    with pytest.raises(ReleaseRefused) as err:
        build_release(unreleased=True, out_dir=tmp_path / "dist")
    message = str(err.value)
    assert "participant/01-essai/02-suite.ipynb, cellule n° 4" in message
    assert "test caché" in message
    assert not (tmp_path / "dist").exists()


@pytest.mark.slow
def test_unreleased_bundle_contents(release_course, tmp_path, monkeypatch):
    monkeypatch.setenv("ATELIER_ORGANISATION", "Canton de Vaud")
    report = build_release(unreleased=True, out_dir=tmp_path / "dist")
    assert report.path == tmp_path / "dist/atelier-ia-0.2.0-unreleased.zip"
    assert report.unreleased and report.size == report.path.stat().st_size
    top = "atelier-ia-0.2.0-unreleased/"
    with zipfile.ZipFile(report.path) as zf:
        names = _names(zf, top)
        manifest = json.loads(zf.read(top + "livraison.json"))
        for rel, digest in manifest["fichiers"].items():
            assert hashlib.sha256(zf.read(top + rel)).hexdigest() == digest, rel
        assert "participant/01-essai/01-intro.ipynb" in names
        assert "animateur/01-essai/01-intro.ipynb" in names
        assert "animateur/guide-animateur.html" in names
        assert "animateur/outils/01-outil.ipynb" in names
        assert "exercices/01-ex/01-ex.ipynb" in names
        assert "diaporamas/01-essai.html" in names and "diaporamas/index.html" in names
        assert "diaporamas/reveal.js/dist/reveal.js" in names
        assert "CHANGELOG.md" in names and "LISEZMOI.md" in names
        assert any(n.startswith("enquetes/") for n in names)
        assert manifest["version"] == "0.2.0" and manifest["pre_version"] is True
        assert "Une nouveauté en cours" in manifest["changelog"]
        assert any("03-absent" in n for n in manifest["notes"])
        # what participants get: no notes, no solutions, no hidden tests, version stamped
        for n in names:
            if n.startswith(("participant/", "exercices/")) and n.endswith(".ipynb"):
                text = zf.read(top + n).decode("utf-8")
                for leak in ("SECRET-SOLUTION", "BEGIN SOLUTION", "HIDDEN TESTS", "Zoé",
                             "NOTE-ANIMATEUR", "TEXTE-SOLUTION-LIBRE"):
                    assert leak not in text, (n, leak)
                nb = nbformat.reads(text, as_version=4)
                assert nb.metadata["atelier"]["version"] == "0.2.0", n
                if n.startswith("participant/"):
                    assert "0.2.0" in nb.cells[0].source, n
        ex = nbformat.reads(zf.read(top + "exercices/01-ex/01-ex.ipynb"), as_version=4)
        assert "VOTRE RÉPONSE ICI" in ex.cells[1].source
        deck = zf.read(top + "diaporamas/01-essai.html").decode("utf-8")
        assert "Canton de Vaud" in deck and "NOTE-ANIMATEUR-INTRO" in deck  # speaker notes
        guide = zf.read(top + "animateur/guide-animateur.html").decode("utf-8")
        assert "REPONSE-ATTENDUE-INTRO" in guide
    # sources untouched, nothing generated in the course folder
    assert not (release_course / "exercises/release").exists()
    assert not (release_course / "exercises/gradebook.db").exists()


@pytest.mark.slow
def test_released_version_and_cli(release_course, tmp_path, capsys):
    changelog = release_course / "CHANGELOG.md"
    changelog.write_text(changelog.read_text().replace(
        "## [0.1.0]", "## [0.2.0] - 2026-02-01\n\n### Added\n- Version stable.\n\n## [0.1.0]"))
    assert main(["release", "--out", str(tmp_path / "dist")]) == 0
    out = capsys.readouterr().out
    path = tmp_path / "dist/atelier-ia-0.2.0.zip"
    assert path.is_file() and "version publiée" in out
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("atelier-ia-0.2.0/livraison.json"))
    assert manifest["pre_version"] is False and "Version stable" in manifest["changelog"]


def test_release_without_exercises_or_survey_says_so(tmp_path, node_modules, nbt, monkeypatch):
    course = nbt.make_course(tmp_path / "c", exercise=False)
    shutil.copytree(node_modules, course / "slides" / "node_modules")
    monkeypatch.chdir(course)
    monkeypatch.setitem(sys.modules, "toolkit.survey.templates", None)  # import fails
    report = build_release(unreleased=True, out_dir=tmp_path / "dist")
    with zipfile.ZipFile(report.path) as zf:
        manifest = json.loads(zf.read("atelier-ia-0.2.0-unreleased/livraison.json"))
        names = zf.namelist()
    assert any("exercises/source" in n for n in manifest["notes"])
    assert any("toolkit.survey absent" in n for n in manifest["notes"])
    assert not any("/exercices/" in n or "/enquetes/" in n for n in names)


def test_cli_refusal_is_french_and_exit_1(release_course, tmp_path, capsys):
    assert main(["release", "--out", str(tmp_path / "d")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Erreur : Livraison refusée") and "Que faire" in err


@pytest.mark.slow
@pytest.mark.skipif(not (ROOT / "slides/node_modules/reveal.js").is_dir(),
                    reason="slides/node_modules absent : lancez bash tools/browser-deps.sh")
def test_release_of_the_real_course(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    report = build_release(unreleased=True, out_dir=tmp_path)
    assert report.path.is_file() and report.files > 20
    with zipfile.ZipFile(report.path) as zf:
        names = zf.namelist()
    assert any(n.endswith("/animateur/guide-animateur.html") for n in names)
    assert any("/exercices/" in n and n.endswith(".ipynb") for n in names)
    assert any("/diaporamas/01-acculturation.html" in n for n in names)
