"""Tests of toolkit.prompts.checks: the French assertions used by the exercise notebooks."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.prompts.checks import (
    Verdict,
    verifier_contient,
    verifier_egal,
    verifier_fonction,
    verifier_prompt,
)
from toolkit.prompts.hints import HINTS, component_key
from toolkit.prompts.indices import INDICES

GOOD = "Tu es juriste. Nous sommes une PME de 40 personnes. Résume ce contrat en 5 puces."


def test_verifier_prompt_passes_and_returns_a_verdict():
    verdict = verifier_prompt(GOOD, exige=["rôle", "contexte", "tâche", "format"])
    assert isinstance(verdict, Verdict)
    assert verdict.report is not None and verdict.report.score == 75
    assert str(verdict).startswith("✅ PROMPT contient : Rôle, Contexte, Tâche, Format")
    assert "✅" in verdict._repr_html_()


def test_verifier_prompt_names_each_missing_component_with_its_hint():
    with pytest.raises(AssertionError) as info:
        verifier_prompt("Résume ce contrat.", exige=["role", "format"], question="q01-prompt-annonce")
    message = str(info.value)
    assert "Rôle manquant." in message and HINTS["role"] in message
    assert "Format manquant." in message
    assert INDICES["q01-prompt-annonce"] in message
    assert "Analyse du prompt" in message


def test_verifier_prompt_score_min():
    with pytest.raises(AssertionError, match="il faut au moins 90"):
        verifier_prompt(GOOD, exige=[], score_min=90)


@pytest.mark.parametrize("value", ["", "   ", '\n# ✏️ VOTRE RÉPONSE ICI\n'])
def test_empty_or_stub_prompt_gets_a_kind_message(value):
    with pytest.raises(AssertionError, match="encore vide"):
        verifier_prompt(value)


def test_non_text_prompt():
    with pytest.raises(AssertionError, match="doit être un texte"):
        verifier_prompt(None)


def test_solution_markers_are_ignored():
    prompt = "\n### BEGIN SOLUTION\nRésume ce contrat.\n### END SOLUTION\n"
    verdict = verifier_prompt(prompt, exige=["tache"])
    assert "delimiteurs" not in verdict.report.present


def test_unknown_component_is_an_authoring_error():
    with pytest.raises(ValueError, match="Composante inconnue"):
        verifier_prompt(GOOD, exige=["ton"])
    assert component_key("Délimiteurs") == "delimiteurs"
    assert component_key("examples") == "exemples"


def test_verifier_contient_ignores_case_and_accents():
    assert verifier_contient("Raisonne ETAPE par étape", ["étape par étape", "raisonne"])
    with pytest.raises(AssertionError, match="Il manque « JSON »"):
        verifier_contient("Réponds en texte.", ["JSON"], indice="Demandez du JSON.")


def test_verifier_egal():
    assert verifier_egal({1, 2}, {2, 1})
    with pytest.raises(AssertionError, match=r"Votre réponse vaut \{1\}"):
        verifier_egal({1}, {2})


def test_verifier_fonction_cases_errors_and_hints():
    def double(x):
        return 2 * x

    assert "2 vérifications" in str(verifier_fonction(double, [(1, 2), ((3,), 6)]))
    with pytest.raises(AssertionError, match=r"double\(2\) renvoie 4 au lieu de 5"):
        verifier_fonction(double, [(2, 5)], question="q06-roi")

    def lazy(x):
        """Not written yet."""

    with pytest.raises(AssertionError, match="ne renvoie rien"):
        verifier_fonction(lazy, [(1, 2)])

    def todo(x):
        raise NotImplementedError

    with pytest.raises(AssertionError, match="pas encore écrite"):
        verifier_fonction(todo, [(1, 2)])

    def strict(x):
        if x < 0:
            raise ValueError("négatif")
        return x

    assert verifier_fonction(strict, [(-1, ValueError), (1, 1)])
    with pytest.raises(AssertionError, match="devrait lever ValueError"):
        verifier_fonction(strict, [(1, ValueError)])
    with pytest.raises(AssertionError, match="a levé ValueError"):
        verifier_fonction(strict, [(-1, 1)])


def test_every_hint_key_is_a_test_cell_of_an_exercise():
    import nbformat

    root = Path(__file__).resolve().parents[2] / "exercises" / "source"
    grade_ids = set()
    for path in sorted(root.glob("*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        grade_ids |= {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells}
    used = {key for key in INDICES if any(gid.endswith(key) for gid in grade_ids if gid)}
    assert used == set(INDICES)


def test_text_written_below_the_stub_line_counts():
    prompt = "\n# ✏️ VOTRE RÉPONSE ICI\nTu es juriste. Résume ce contrat en 5 puces.\n"
    verdict = verifier_prompt(prompt, exige=["role", "tache", "format"])
    assert "delimiteurs" not in verdict.report.present  # the "#" stub line is gone
