"""Prepared example answers: one convention for the whole course, honest labels, changed prompts."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
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


def test_several_keys_show_the_example_written_for_the_prompt_sent():
    keys = ["bac-a-sable", "bac-a-sable-depart"]
    start = prepared.get("bac-a-sable-depart").prompt
    improved = prepared.get("bac-a-sable").prompt
    first = toolkit.ask(start, exemple=keys).text
    assert prepared.text("bac-a-sable-depart") in first
    assert prepared.get("bac-a-sable").changed_note not in first
    second = toolkit.ask(improved, exemple=keys).text
    assert prepared.text("bac-a-sable") in second and "n'a pas d'exemple" not in second
    other = toolkit.ask("Écris un poème sur la formation.", exemple=keys).text
    assert prepared.get("bac-a-sable").changed_note in other  # the first key, with its note
    assert prepared.text("bac-a-sable") in other


def test_an_empty_list_of_keys_is_an_input_error():
    with pytest.raises(InputError):
        prepared.answer([], "Bonjour")


def test_the_playground_accepts_several_keys():
    from toolkit.widgets.playground import Playground

    bac = Playground(prepared.get("bac-a-sable-depart").prompt,
                     exemple=["bac-a-sable", "bac-a-sable-depart"])
    assert "formules creuses" in bac.send().text
    bac.prompt = prepared.get("bac-a-sable").prompt
    assert "13 novembre" in bac.send().text


# --- The class of bug found in the vision demo: a notebook's own, unchanged prompt must get the
# --- example written for it, never a « your prompt changed » note.  Executing notebooks covers
# --- computed prompts (tests/test_notebooks_run.py); widgets only send on a click, so every
# --- call given ``exemple=`` is read here, with the literal prompt it starts from.

ROOT = Path(__file__).resolve().parents[2]
COURSE_NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb")
                          if ".ipynb_checkpoints" not in p.parts)


def _literal(node, names):
    """The string *node* stands for: a literal, or a name bound to a literal earlier on."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return names.get(node.id)
    return None


def _demo_calls(path):
    """(cell number, keys, literal prompt or None) of every call given ``exemple=``."""
    nb = nbformat.read(path, as_version=4)
    names: dict[str, str] = {}
    for number, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
                    node.targets[0], ast.Name):
                value = _literal(node.value, names)
                if value is not None:
                    names[node.targets[0].id] = value
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg != "exemple":
                    continue
                value = keyword.value
                if isinstance(value, ast.List | ast.Tuple):
                    keys = [e.value for e in value.elts if isinstance(e, ast.Constant)]
                elif isinstance(value, ast.Constant):
                    keys = [value.value]
                else:
                    continue
                prompt = _literal(node.args[0], names) if node.args else None
                yield number, keys, prompt


@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=lambda p: p.name)
def test_every_demo_starts_from_the_prompt_its_example_was_written_for(path):
    calls = list(_demo_calls(path))
    for number, keys, prompt in calls:
        for key in keys:
            prepared.get(key)  # an unknown key fails here, with the closest one
        if prompt is None:
            continue  # computed prompt: the offline execution test reads its output
        assert any(not prepared.prompt_changed(prepared.get(k), prompt) for k in keys), (
            f"{path.name} cellule {number} : le prompt de départ n'est celui d'aucun exemple "
            f"{keys} ; offline, la démo dirait que la consigne a changé. Ajoutez un exemple "
            "préparé pour ce prompt (exemple=[…, …])."
        )


def test_the_static_check_sees_the_playground_and_the_first_demos():
    calls = {(p.name, tuple(k), bool(prompt))
             for p in COURSE_NOTEBOOKS for _, k, prompt in _demo_calls(p)}
    assert ("04-fondamentaux-du-prompt.ipynb", ("bac-a-sable", "bac-a-sable-depart"), True) in calls
    assert ("02-ia-generative.ipynb", ("objets-courriel",), True) in calls


def test_a_demo_whose_prompt_differs_from_its_example_is_caught(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        'bac = Playground("Écris un courriel.", exemple="bac-a-sable")')]
    path = tmp_path / "faux.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(AssertionError, match="cellule 0"):
        test_every_demo_starts_from_the_prompt_its_example_was_written_for(path)


@pytest.mark.parametrize("key", KEYS)
def test_prepared_texts_follow_french_typography(key):
    from toolkit.fr import defauts_typographiques

    item = prepared.get(key)
    for text in (item.body, item.changed_note, item.title):
        assert defauts_typographiques(text) == [], (
            f"{item.session}/{key}.md : espaces insécables manquants "
            "(toolkit.fr.typographie les ajoute)")


@pytest.mark.parametrize("name", ["quiz", "verification", "confidentialite", "defi"])
def test_session1_widget_texts_follow_french_typography(name):
    """Quiz questions, explanations and défi texts are shown as they are written in the data."""
    import yaml

    from toolkit.fr import defauts_typographiques

    raw = (ROOT / "toolkit" / "data" / "session1" / f"{name}.yml").read_text(encoding="utf-8")

    def texts(value, key=""):
        if isinstance(value, str):
            if key not in ("patterns", "example", "material"):  # regexes and prompts to paste
                yield key, value
        elif isinstance(value, list):
            for v in value:
                yield from texts(v, key)
        elif isinstance(value, dict):
            for k, v in value.items():
                yield from texts(v, k)

    faults = [f"{k} : {f}" for k, t in texts(yaml.safe_load(raw)) for f in defauts_typographiques(t)]
    assert not faults, f"{name}.yml :\n" + "\n".join(faults[:10])
