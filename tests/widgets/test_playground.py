"""Prompt playground: live hints, estimate, sending offline and the text fallback."""

from __future__ import annotations

import pytest

from toolkit.prompts import analyse
from toolkit.widgets.playground import Playground, hints_html, hints_text


@pytest.fixture(autouse=True)
def _offline(monkeypatch):
    monkeypatch.setenv("ATELIER_MODE", "offline")
    monkeypatch.setenv("ATELIER_PRIVACY", "off")  # the privacy guard is tested elsewhere


def test_hints_name_missing_components_heaviest_first():
    report = analyse("Tu es juriste. Résume ce contrat en 5 puces, sans jargon.")
    text = hints_text(report)
    assert f"{report.score}/100" in text
    assert "✘ Contexte" in text
    assert "✔ Rôle" in text
    # Only the two most valuable hints; context (20 points) comes before examples (10).
    assert text.count("  • ") == 2
    assert text.index("contexte") < text.index("exemple")
    page = hints_html(report)
    assert "✘ Contexte" in page
    assert f"{report.score}/100" in page


def test_empty_prompt_invites_to_write():
    assert "Écrivez votre prompt" in hints_text(analyse(""))
    assert "Écrivez votre prompt" in hints_html(analyse(""))


def test_estimate_counts_tokens():
    pg = Playground("Bonjour, rédige un courriel de bienvenue pour une nouvelle collègue.")
    est = pg.estimate()
    assert est.prompt_tokens > 5
    assert "jetons" in str(est)


def test_send_offline_returns_a_labelled_simulated_answer():
    pg = Playground("Rédige trois titres pour une offre d'emploi de comptable.", temperature=0.2)
    answer = pg.send()
    assert answer.mode == "offline"
    assert pg.last_answer is answer
    assert str(answer)


def test_text_fallback_and_widget_bundle(widget_text):
    text = widget_text(Playground("Résume ce texte."))
    assert "Bac à sable du prompt" in text
    assert "bac.send()" in text
    assert "Score du prompt" in text


def test_widget_updates_hints_when_typing():
    pg = Playground("")
    view = pg.widget()
    box, hints = view.children[0], view.children[1]
    assert "Écrivez votre prompt" in hints.value
    box.value = "Tu es recruteur. Rédige une annonce en 5 puces pour notre commune."
    assert pg.prompt == box.value
    assert "Score du prompt" in hints.value
