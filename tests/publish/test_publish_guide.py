"""``atelier guide``: trainer guide generated from curriculum.yml and the trainer notes."""

from __future__ import annotations

import html
import re
import shutil

import pytest

from toolkit.course.curriculum import load
from toolkit.errors import InputError
from toolkit.publish.guide import build_guide, expected_answers, guide_html, guide_pdf


def test_guide_agenda_checklist_notes_and_answers(course, tmp_path, monkeypatch):
    monkeypatch.setenv("ATELIER_ORGANISATION", "Département des finances")
    report = build_guide(tmp_path / "g", start="13:30")
    page = html.unescape(report.path.read_text(encoding="utf-8"))
    assert report.path.name == "guide-animateur.html"
    assert "Département des finances" in page and "version du cours <strong>0.2.0" in page
    # agenda: start times from 13:30, durations from curriculum.yml
    rows = re.findall(r"<tr><td>(\d+ h \d\d)</td><td>(\d)\. ([^<]+)</td><td>(\d+) min", page)
    assert rows[:3] == [("13 h 30", "1", "Introduction", "20"),
                        ("13 h 50", "2", "La suite", "30"),
                        ("14 h 20", "3", "Pas encore écrit", "15")]
    assert "Ouvrir un notebook" in page  # objectives
    # materials: deck, notebooks (missing flagged), exercise
    assert "slides/build/01-essai.html" in page and "notebooks/01-essai/01-intro.ipynb" in page
    assert "Exercice noté : <code>01-ex</code>" in page
    assert report.missing == ["notebooks/01-essai/03-absent.ipynb", "notebooks/02-vide/01-rien.ipynb"]
    # checklist before the session
    for word in ("Salle", "Réseau", "Point d'accès", "réponses enregistrées",
                 "ATELIER_SURVEY_PRE_URL", "atelier doctor"):
        assert word in page, word
    # trainer notes and expected answers, with the participant cell they answer
    assert "NOTE-ANIMATEUR-INTRO" in page and "NOTE-ANIMATEUR-SUITE" in page
    assert report.answers == 1 and page.count("REPONSE-ATTENDUE-INTRO") == 2
    answers = expected_answers(load(course))
    assert len(answers) == 1 and "def saluer" in answers[0].context
    assert answers[0].module == "Introduction"
    assert report.pdf is None and "--pdf" in report.pdf_note


def test_bad_start_time(course):
    with pytest.raises(InputError, match="13h30"):
        guide_html(start="midi")


def test_pdf_needs_chromium(course, tmp_path, monkeypatch):
    page = build_guide(tmp_path / "g").path
    pdf, reason = guide_pdf(page, chromium="/nonexistent/chromium")
    assert pdf is None and "chromium" in reason
    monkeypatch.setattr(shutil, "which", lambda name: None)
    pdf, reason = guide_pdf(page)
    assert pdf is None and "pas installé" in reason


@pytest.mark.skipif(not shutil.which("chromium"), reason="chromium absent (tools/browser-deps.sh)")
def test_pdf_with_chromium(course, tmp_path):
    report = build_guide(tmp_path / "g", pdf=True)
    assert report.pdf is not None
    assert report.pdf.read_bytes().startswith(b"%PDF") and report.pdf.stat().st_size > 5000
