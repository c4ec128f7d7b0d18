"""Batch automation: estimate first, progress, clean stop on budget, errors recorded."""

from __future__ import annotations

import pandas as pd
import pytest

import toolkit
from toolkit.demos import automation
from toolkit.errors import InputError, ServerError
from toolkit.llm.client import reset_session

RECORDS = pd.DataFrame({"id": [f"R{i}" for i in range(10)],
                        "titre": [f"Poste numéro {i}" for i in range(10)]})
TEMPLATE = "Résume l'offre « {titre} » en une ligne."


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setenv("ATELIER_MODE", "offline")
    monkeypatch.setenv("ATELIER_PRIVACY", "off")  # the guard is tested in tests/privacy
    monkeypatch.delenv("ATELIER_BUDGET_TOKENS", raising=False)
    reset_session()
    yield
    reset_session()


def test_render_names_the_missing_field():
    with pytest.raises(InputError, match=r"\{poste\}.*n° 2"):
        automation.render("{poste}", {"titre": "y"}, 2)
    assert automation.render("{poste}", {"poste": "x"}) == "x"


def test_estimate_counts_tokens_of_every_prompt():
    est = automation.estimate(TEMPLATE, RECORDS, completion_tokens=100)
    expected = sum(toolkit.count_tokens("\n" + TEMPLATE.format(titre=t)) for t in RECORDS.titre)
    assert est.prompt_tokens == expected
    assert est.completion_tokens == 1000
    assert est.cost == 0.0
    assert est.fits_budget
    assert "10 éléments" in str(est)


def test_batch_runs_every_record_with_simulated_answers():
    result = automation.run_batch(TEMPLATE, RECORDS, id_field="id", progress=False,
                                  simulated=lambda r: f"Résumé de {r['titre']}")
    assert result.done == 10
    assert not result.stopped
    assert list(result.table["element"]) == list(RECORDS["id"])
    assert "Résumé de Poste numéro 3" in result.table.loc[3, "reponse"]


def test_budget_stops_cleanly(monkeypatch):
    monkeypatch.setenv("ATELIER_BUDGET_TOKENS", "150")
    est = automation.estimate(TEMPLATE, RECORDS)
    assert not est.fits_budget
    assert "INSUFFISANT" in str(est)
    result = automation.run_batch(TEMPLATE, RECORDS, progress=False, simulated="ok")
    assert result.stopped
    assert 0 < result.done < 10
    assert result.message.startswith("Arrêt propre\u00a0: budget de la session atteint")
    assert toolkit.usage().total_tokens <= 150


def test_model_errors_are_recorded_then_stop(monkeypatch):
    calls = []

    def failing(prompt, **kwargs):
        calls.append(prompt)
        raise ServerError("Le serveur a répondu 500.", "Réessayez plus tard.")

    monkeypatch.setattr(toolkit, "ask", failing)
    result = automation.run_batch(TEMPLATE, RECORDS, progress=False)
    assert len(calls) == 3
    assert result.stopped
    assert list(result.table["statut"]) == ["erreur"] * 3
    assert "3 erreurs de suite" in result.message


def test_non_record_items_are_refused():
    with pytest.raises(InputError, match="n° 2"):
        automation.run_batch(TEMPLATE, [{"titre": "a"}, "b"], progress=False)


@pytest.mark.parametrize("template", ["Texte {titre} et { isolée", "Case {} vide", "{0}"])
def test_bad_templates_are_french_errors(template):
    with pytest.raises(InputError, match="modèle de prompt"):
        automation.render(template, {"titre": "x"})
    assert automation.render("JSON : {{\"a\": {titre}}}", {"titre": 1}) == 'JSON : {"a": 1}'
