"""Prepared example answers: one convention for the whole course, honest labels, changed prompts."""

from __future__ import annotations

import re

import pytest

import toolkit
from toolkit.course import prepared
from toolkit.errors import InputError

KEYS = prepared.keys()
#: What generic offline simulations say; a prepared answer never does.
PLACEHOLDERS = re.compile(
    r"Élément simulé|\(simulé\)|point à préciser|montre seulement la forme|Réponse simulée à|"
    r"Liste simulée|Tableau simulé|Lettre simulée|Résumé simulé",
    re.IGNORECASE,
)


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path):
    monkeypatch.setenv("ATELIER_MODE", "offline")
    monkeypatch.setenv("ATELIER_ENV_FILE", str(tmp_path / "no.env"))
    from toolkit.llm.client import reset_session

    reset_session()


def test_both_sessions_use_the_one_folder():
    sessions = {prepared.get(k).session for k in KEYS}
    assert sessions == {"00-accueil", "01-acculturation", "02-usages-avances"}
    assert len(KEYS) >= 30


@pytest.mark.parametrize("key", KEYS)
def test_every_example_is_written_for_its_prompt(key):
    item = prepared.get(key)
    assert len(item.prompt) > 20 and len(item.body) > 15
    assert not PLACEHOLDERS.search(item.body), key
    assert not prepared.prompt_changed(item, "  " + item.prompt.replace(" ", "\n", 3) + " ")


def test_ask_with_the_original_prompt_shows_the_label_only():
    item = prepared.get("objets-courriel")
    answer = toolkit.ask(item.prompt, exemple="objets-courriel")
    assert answer.mode == "offline"
    assert prepared.LABEL in answer.text
    assert "consigne a changé" not in answer.text
    assert answer.text.count("\n1. ") == 1 and "\n3. " in answer.text  # three subjects


def test_a_changed_prompt_is_said_and_the_example_still_follows_its_structure():
    answer = toolkit.ask("Propose cinq titres pour ma newsletter.", exemple="objets-courriel")
    text = answer.text
    assert prepared.LABEL in text
    assert "a changé" in text and "consigne d'origine" in text
    assert text.index("a changé") < text.index("1. ")
    assert "\n3. " in text  # the prepared answer keeps the structure its prompt asked for


def test_chat_compares_the_last_user_message():
    first = prepared.get("invitation-formelle").prompt
    second = prepared.get("invitation-relance").prompt
    conversation = [
        {"role": "user", "content": first},
        {"role": "assistant", "content": "…"},
        {"role": "user", "content": second},
    ]
    answer = toolkit.chat(conversation, exemple="invitation-relance")
    assert "a changé" not in answer.text and "B2" in answer.text


def test_a_prompt_sent_with_an_image_is_compared_on_its_text(tmp_path):
    from importlib.resources import files

    item = prepared.get("vision-graphique")
    image = files("toolkit") / "data" / "images" / "graphique-budget-commune.png"
    same = toolkit.ask(item.prompt, images=[image], exemple="vision-graphique")
    assert "a changé" not in same.text and "Prévoyance sociale" in same.text
    other = toolkit.ask("Que montre cette image ?", images=[image], exemple="vision-graphique")
    assert "a changé" in other.text


def test_prefix_comparison_for_prompts_ending_with_computed_text():
    item = prepared.get("reponse-allocations")
    assert item.comparison == "debut"
    assert not prepared.prompt_changed(item, item.prompt + '\n"""\nTexte masqué [PERSONNE_1]\n"""')
    assert prepared.prompt_changed(item, "Rédige autre chose.")


def test_unknown_key_suggests_the_closest():
    with pytest.raises(InputError, match="objets-courriel"):
        prepared.get("objet-courriel")




def test_labelled_text_for_helpers_keeps_the_checks():
    from toolkit import assistants

    text = prepared.labelled("annonce-v2")
    assert text.startswith(prepared.LABEL)
    v2 = assistants.get("redacteur-annonce-emploi", version=2)
    assert all(c.ok for c in v2.check(text))
