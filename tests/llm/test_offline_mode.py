"""Offline mode: deterministic, labelled, structured simulated answers."""

from __future__ import annotations

import json

import pytest

import toolkit
from toolkit.errors import BudgetExceededError, InputError
from toolkit.llm import offline


def test_default_mode_is_offline_and_first_answer_says_so():
    first = toolkit.ask("Bonjour")
    second = toolkit.ask("Bonjour encore")
    assert first.mode == "offline"
    assert first.notice and "hors ligne" in first.notice
    assert second.notice is None
    assert first.text.startswith(offline.LABEL)
    assert "réponse simulée" in first._repr_html_()
    assert first.cost == 0.0
    assert first.prompt_tokens > 0 and first.completion_tokens > 0


def test_same_request_same_answer():
    a = toolkit.ask("Propose une idée de slogan pour la mairie.")
    b = toolkit.ask("Propose une idée de slogan pour la mairie.")
    assert a.text == b.text


def test_json_with_requested_keys_is_valid_json():
    answer = toolkit.ask(
        'Classe ce courriel. Réponds en JSON avec les clés "service", "urgence" et "resume".'
    )
    data = json.loads(str(answer))
    assert list(data) == ["service", "urgence", "resume"]
    assert "simulée" in data["service"]


@pytest.mark.parametrize(
    ("prompt", "n"),
    [
        ("Donne-moi 5 idées de titres pour une offre d'emploi.", 5),
        ("Rédige une liste de sept conseils pour un premier entretien.", 7),
        ("Résume ce texte en 3 points.", 3),
        ("Give me 4 ideas for a newsletter", 4),
    ],
)
def test_list_has_requested_length(prompt, n):
    text = str(toolkit.ask(prompt))
    items = [line for line in text.splitlines() if line[:3].rstrip(". ").isdigit()]
    assert len(items) == n


def test_table_has_requested_columns():
    text = str(
        toolkit.ask("Fais un tableau avec les colonnes Outil, Usage et Risque, en 4 lignes.")
    )
    lines = [line for line in text.splitlines() if line.startswith("|")]
    assert lines[0] == "| Outil | Usage | Risque |"
    assert len(lines) == 2 + 4


def test_letter():
    text = str(toolkit.ask("Rédige une lettre de refus polie à un candidat."))
    assert "Madame, Monsieur" in text
    assert text.startswith(offline.LABEL)


def test_simulated_override_is_still_labelled():
    answer = toolkit.ask("Quel code pandas ?", simulated="df.groupby('service').sum()")
    assert answer.mode == "offline"
    assert str(answer) == f"{offline.LABEL} df.groupby('service').sum()"


def test_image_sidecar_description(tmp_path):
    from PIL import Image

    img = tmp_path / "graphique.png"
    Image.new("RGB", (40, 30), "white").save(img)
    (tmp_path / "graphique.png.description.txt").write_text("Un histogramme des dépenses.")
    answer = toolkit.ask("Que montre ce graphique ?", images=[img])
    assert "Un histogramme des dépenses." in answer.text
    assert answer.prompt_tokens > 85  # the image is counted


def test_missing_image_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="introuvable"):
        toolkit.ask("Décris", images=[tmp_path / "absent.png"])


def test_draw_offline_placeholder():
    picture = toolkit.draw("Un phare breton au coucher du soleil", size="1024x768")
    assert picture.mode == "offline"
    assert picture.image.size == (512, 384)
    bundle = picture._repr_mimebundle_()
    assert "réponse simulée" in bundle["text/html"]
    assert picture.png_bytes().startswith(b"\x89PNG")


def test_budget_refuses_further_calls(monkeypatch):
    monkeypatch.setenv("ATELIER_BUDGET_TOKENS", "150")
    answers = [toolkit.ask("Bonjour")]
    with pytest.raises(BudgetExceededError) as info:  # noqa: PT012 - the loop is the point
        for _ in range(10):
            answers.append(toolkit.ask("Encore une question"))
    assert "150 jetons" in info.value.message
    assert "ATELIER_BUDGET_TOKENS" in info.value.fix
    used = toolkit.usage()
    assert used.calls == len(answers) < 10
    # Checked before each call: only the last answer may go past the budget.
    assert used.total_tokens - answers[-1].completion_tokens <= 150


def test_empty_prompt():
    with pytest.raises(InputError, match="vide"):
        toolkit.ask("   ")


def test_error_renders_without_traceback():
    err = BudgetExceededError("Budget atteint.", "Augmentez-le.")
    lines = err._render_traceback_()
    assert len(lines) == 2
    assert "Budget atteint." in lines[0] and "Augmentez-le." in lines[1]


def test_settings_follow_environment_changes(monkeypatch):
    from toolkit import config

    assert toolkit.settings().mode == "offline"
    monkeypatch.setenv("ATELIER_MODE", "replay")
    assert toolkit.settings().mode == "replay"
    monkeypatch.setenv("ATELIER_TIMEOUT", "7,5")
    assert toolkit.settings().timeout == 7.5
    # Every variable resolved by settings() is part of its cache key.
    import inspect
    import re

    read = set(re.findall(r'env\.get\("([A-Z_]+)"', inspect.getsource(config._resolve)))
    read |= set(re.findall(r'_(?:float|int)\(env, "([A-Z_]+)"', inspect.getsource(config._resolve)))
    assert read <= set(config._VARIABLES), read - set(config._VARIABLES)


def test_ask_shows_and_takes_every_option_of_chat():
    """``ask`` declares no option twice: its tooltip and its checks come from ``chat``."""
    import inspect

    from toolkit.course.erreurs import expliquer
    from toolkit.testing.fresh import fresh_python

    chat_options = [
        name
        for name, p in inspect.signature(toolkit.chat).parameters.items()
        if p.kind is p.KEYWORD_ONLY
    ]
    assert "temperature" in chat_options and "classification" in chat_options
    # What Shift+Tab shows: IPython's inspector, in a process of its own (a shell made here
    # would make every later test believe it runs in a notebook).
    probe = ("from IPython.core.interactiveshell import InteractiveShell\n"
             "shell = InteractiveShell.instance(colors='nocolor')\n"
             "shell.run_cell('import toolkit')\n"
             "print(shell.object_inspect_text('toolkit.ask'))")
    tooltip = fresh_python(probe)
    signature = tooltip[: tooltip.index("Docstring")]
    for name in ["prompt", "system", *chat_options]:
        assert f"{name}:" in signature or f"{name}=" in signature, name
    answer = toolkit.ask("Bonjour", system="Tu es bref.", temperature=0.2, max_tokens=50)
    assert answer.mode == "offline"
    with pytest.raises(TypeError) as caught:
        toolkit.ask("Bonjour", temperture=0.2)
    explained = expliquer(caught.value)
    assert explained is not None and explained.titre == "Option inconnue"
    assert "«\u202fask()\u202f»" in explained.quoi and "«\u202ftemperture\u202f»" in explained.quoi
