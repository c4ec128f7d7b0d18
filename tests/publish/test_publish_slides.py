"""``atelier slides``: one offline reveal.js deck per session, trainer notes as speaker notes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from toolkit.course.curriculum import load
from toolkit.errors import ConfigError, InputError
from toolkit.publish.slides import build_deck, build_slides, deck_math

ROOT = Path(__file__).resolve().parents[2]
REAL_NODE_MODULES = ROOT / "slides" / "node_modules"

CDN = re.compile(r"unpkg|cdnjs|jsdelivr|googleapis|cloudflare|bootstrapcdn|mathjax\.org", re.I)
#: Anything the browser would fetch: src/href attributes, CSS url(), ES module imports.
FETCHED = re.compile(
    r"""(?:\bsrc|\bhref)\s*=\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//|"""
    r"""import\s[^;]*?from\s*["']https?:|require\(\s*\[[^\]]*https?:""",
    re.I,
)


def assert_offline(html: str) -> None:
    assert not CDN.search(html), CDN.search(html).group(0)
    bad = [m.group(0) for m in FETCHED.finditer(html)]
    # content links (<a href="https://...">) are fine: they are not loaded by the deck
    bad = [b for b in bad if not re.match(r"href", b, re.I)]
    assert not bad, bad
    for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html, re.I):
        assert not re.search(r"(?:src|href)\s*=\s*[\"']?https?:", tag, re.I), tag


def test_deck_of_a_session_is_offline_with_notes(course, node_modules, tmp_path, monkeypatch):
    monkeypatch.setenv("ATELIER_ORGANISATION", "Commune de Montreux")
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    out = tmp_path / "build"
    report = build_deck("1", out_dir=out, node_modules=node_modules, logo=logo)
    html = report.path.read_text(encoding="utf-8")
    assert report.path == out / "01-essai.html"
    assert_offline(html)
    # local assets next to the deck
    for rel in ("reveal.js/dist/reveal.js", "reveal.js/plugin/notes/notes.js",
                "reveal.js/dist/theme/atelier.css", "reveal.js/dist/theme/white.css",
                "lib/require.js"):
        assert (out / rel).is_file(), rel
    assert 'src="lib/require.js"' in html
    assert '"reveal.js/dist/reveal.js"' in html and "RevealNotes" in html
    assert 'href="reveal.js/dist/theme/atelier.css"' in html
    # trainer notes become speaker notes, nowhere else
    notes = re.findall(r'<aside class="notes">(.*?)</aside>', html, re.S)
    assert any("NOTE-ANIMATEUR-INTRO" in n for n in notes)
    assert any("NOTE-ANIMATEUR-SUITE" in n for n in notes)
    assert html.count("NOTE-ANIMATEUR-INTRO") == 1
    # solutions cleared as in the participant edition, skip cells left out
    assert "SECRET-SOLUTION" not in html and "TEXTE-SOLUTION-LIBRE" not in html
    assert "VOTRE RÉPONSE ICI" in html
    assert "import toolkit" not in html
    # generated title, version, organisation and logo
    assert "Session 1 — Essai" in html and "Version du cours 0.2.0" in html
    assert "Commune de Montreux" in html and 'src="data:image/png;base64,' in html
    assert "version du cours 0.2.0" in html  # header stamped, not the stale 0.0.1
    assert "0.0.1" not in html
    # title + agenda, then 4 slides of 01-intro and 2 of 02-suite
    assert report.slides == 8
    assert report.notes == len(notes) >= 3
    assert report.missing == ["notebooks/01-essai/03-absent.ipynb"]
    assert report.math  # $E = mc^2$ in 02-suite
    assert (out / "lib/mathjax/MathJax.js").is_file()
    assert (out / "lib/mathjax/config/TeX-AMS_CHTML-full.js").is_file()
    assert not (out / "lib/mathjax/unpacked").exists()  # only what the deck needs


def test_no_mathjax_when_the_deck_has_no_formula(course, node_modules, tmp_path):
    nb_path = course / "notebooks/01-essai/02-suite.ipynb"
    nb_path.unlink()
    report = build_deck("01-essai", out_dir=tmp_path / "b", node_modules=node_modules)
    assert not report.math
    assert not (tmp_path / "b/lib/mathjax").exists()
    assert "lib/mathjax" not in report.path.read_text(encoding="utf-8")


def test_every_session_and_index(course, node_modules, tmp_path):
    reports = build_slides(out_dir=tmp_path / "b", node_modules=node_modules)
    assert [r.session for r in reports] == ["01-essai", "02-vide"]
    assert reports[1].path is None and "aucun notebook" in str(reports[1])
    index = (tmp_path / "b/index.html").read_text(encoding="utf-8")
    assert 'href="01-essai.html"' in index and "02-vide" not in index


def test_session_lookup_and_errors(course, node_modules, tmp_path):
    cur = load(course)
    assert build_deck("essai", cur=cur, out_dir=tmp_path / "a", node_modules=node_modules).path
    with pytest.raises(ConfigError, match="inconnue"):
        build_deck("99", cur=cur, out_dir=tmp_path / "a", node_modules=node_modules)
    with pytest.raises(ConfigError, match=r"browser-deps\.sh"):
        build_deck("1", cur=cur, out_dir=tmp_path / "a", node_modules=tmp_path / "vide")
    with pytest.raises(InputError, match="logo"):
        build_deck("1", cur=cur, out_dir=tmp_path / "a", node_modules=node_modules,
                   logo=tmp_path / "absent.png")


def test_executed_deck_shows_outputs_without_widget_cdn(course, node_modules, tmp_path):
    report = build_deck("1", out_dir=tmp_path / "b", node_modules=node_modules, execute=True)
    html = report.path.read_text(encoding="utf-8")
    assert "bonjour" in html  # output of print('bonjour')
    assert_offline(html)
    assert "widget-view" not in html


def test_math_detection():
    import nbformat

    def nb(text):
        return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text)])

    assert deck_math(nb("La formule $x^2$ ici"))
    assert deck_math(nb("$$\\sum_i x_i$$"))
    assert not deck_math(nb("Coût : 5 $\n\nAutre : 7 $"))


@pytest.mark.skipif(not (REAL_NODE_MODULES / "reveal.js").is_dir(),
                    reason="slides/node_modules absent : lancez bash tools/browser-deps.sh")
def test_real_course_decks_are_offline(tmp_path):
    """The decks of the real notebooks, with the real npm files (what trainers get)."""
    reports = build_slides(out_dir=tmp_path / "build")
    built = [r for r in reports if r.path]
    assert built, "aucun diaporama construit à partir de notebooks/"
    for r in built:
        html = r.path.read_text(encoding="utf-8")
        assert_offline(html)
        assert r.notes > 0 and r.slides > 3
        assert "BEGIN SOLUTION" not in html
    assert (tmp_path / "build/reveal.js/dist/reveal.js").stat().st_size > 50_000
