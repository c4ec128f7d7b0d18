"""Unit tests of the prompt analyser: one group per component, French and English, plus the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit.prompts import COMPONENTS, WEIGHTS, PromptReport, analyse
from toolkit.testing.fresh import fresh_python

CORPUS = Path(__file__).with_name("corpus.jsonl")

# (prompt, component, expected presence)
CASES = [
    # rôle
    ("Tu es juriste en droit du travail. Réponds à la question.", "role", True),
    ("Vous êtes une chargée de communication expérimentée.", "role", True),
    ("Agis comme un recruteur exigeant et relis ce CV.", "role", True),
    ("Mets-toi dans la peau d'un habitant qui découvre le règlement.", "role", True),
    ("You are an experienced HR officer. Write a job ad.", "role", True),
    ("Act as a financial controller and review these figures.", "role", True),
    ("En tant que responsable RH, je dois annoncer une réorganisation.", "role", False),
    ("As a manager, I need a short agenda for Monday.", "role", False),
    ("Si tu es d'accord, résume ce texte.", "role", False),
    # contexte
    ("Je travaille au service des finances d'une commune de 8 000 habitants.", "contexte", True),
    ("Nous organisons une journée portes ouvertes le 14 juin.", "contexte", True),
    ("Le texte est destiné aux nouveaux collaborateurs.", "contexte", True),
    ("Explique à un habitant comment contester sa taxe.", "contexte", True),
    ("Our team of 12 is moving to a new office in May.", "contexte", True),
    ("Here is the complaint we received yesterday.", "contexte", True),
    ("Écris une annonce d'emploi pour un comptable.", "contexte", False),
    ("Write a job description for a data analyst.", "contexte", False),
    # tâche
    ("Rédige une lettre de refus.", "tache", True),
    ("Explique-moi la différence entre TVA et impôt anticipé.", "tache", True),
    ("Quelles sont les règles de congé maternité en Suisse ?", "tache", True),
    ("Peux-tu vérifier ce calcul ?", "tache", True),
    ("Summarise the attached report.", "tache", True),
    ("Can you draft a reply to this customer?", "tache", True),
    ("Je prépare le discours du maire pour l'inauguration de la crèche.", "tache", False),
    ("Our museum is reopening after renovation.", "tache", False),
    # format
    ("Réponds sous forme de tableau à deux colonnes.", "format", True),
    ("Propose 5 idées de titres.", "format", True),
    ("Présente le résultat en liste à puces.", "format", True),
    ("Réponds uniquement par le nom du service.", "format", True),
    ("Answer as a table with columns name and reason.", "format", True),
    ("Give me 10 ideas for our newsletter.", "format", True),
    ("Return only the category.", "format", True),
    ("Rédige une annonce chaleureuse.", "format", False),
    ("Write a warm welcome message.", "format", False),
    # contraintes
    ("Garde un ton chaleureux et vouvoie le lecteur.", "contraintes", True),
    ("N'invente aucun chiffre.", "contraintes", True),
    ("Évite le jargon administratif.", "contraintes", True),
    ("150 mots maximum.", "contraintes", True),
    ("Keep it under 100 words, friendly tone.", "contraintes", True),
    ("Do not mention the budget.", "contraintes", True),
    ("Résume ce texte.", "contraintes", False),
    ("We do not have a budget yet; list three options.", "contraintes", False),
    # exemples
    ("Exemple : « Envie de donner du sens aux chiffres ? »", "exemples", True),
    ("Voici un exemple de réponse attendue : Service : travaux", "exemples", True),
    ("Message : Mon bac n'a pas été vidé.\nService : voirie", "exemples", True),
    ("Examples:\nEmail: bin not collected -> Waste", "exemples", True),
    ("Here is a subject line we liked last year: \"Plan ahead!\"", "exemples", True),
    ("Rédige une offre ; par exemple, mentionne les horaires.", "exemples", False),
    ("Write a post, for example about our new library.", "exemples", False),
    # délimiteurs
    ('Résume ce texte :\n"""\nLe conseil a voté le budget.\n"""', "delimiteurs", True),
    ("Analyse <courriel>Bonjour, mon lampadaire est cassé.</courriel>", "delimiteurs", True),
    ("Notes :\n###\nbudget validé\n###", "delimiteurs", True),
    ("Corrige : « Nous somme heureux de vous annoncer l'ouverture de notre nouvelle agence à Sion dès lundi. »", "delimiteurs", True),
    ("Améliore ce titre : « Les nouveautés ».", "delimiteurs", False),
    ("Summarise this: the council approved the budget.", "delimiteurs", False),
]


@pytest.mark.parametrize(("prompt", "component", "expected"), CASES)
def test_component_detection(prompt, component, expected):
    report = analyse(prompt)
    assert (component in report.present) is expected, str(report)


def test_evidence_quotes_the_prompt():
    report = analyse("Tu es juriste. Résume ce contrat en 5 puces, sans jargon.")
    role = report["role"]
    assert role.present
    assert role.evidence and "juriste" in role.evidence[0]
    assert role.rules  # the rule names that fired
    assert report["exemples"].evidence == ()


def test_score_is_the_sum_of_weights_of_present_components():
    report = analyse("Tu es juriste. Résume ce contrat en 5 puces, sans jargon.")
    assert report.present == {"role", "tache", "format", "contraintes"}
    expected = sum(WEIGHTS[k] for k in report.present)
    assert report.score == expected == 65
    for comp in report.components.values():
        assert comp.points == (comp.max_points if comp.present else 0)
        assert comp.score in (0, 100)
    assert sum(WEIGHTS.values()) == 100


def test_complete_prompt_scores_100():
    prompt = (
        "Tu es chargée de recrutement dans une commune de 20 000 habitants. "
        "Nous recrutons un·e comptable à 80 %. Rédige l'annonce en trois parties avec des puces. "
        "Ton chaleureux, 250 mots maximum.\nExemple d'accroche : « Envie de donner du sens aux "
        'chiffres ? »\nNotes du service :\n"""\nentrée le 1er mars, télétravail possible\n"""'
    )
    report = analyse(prompt)
    assert report.present == set(COMPONENTS), str(report)
    assert report.score == 100
    assert report.hints == []
    assert report.level == "prompt complet"


def test_very_short_prompt_is_capped():
    report = analyse("Résume.")
    assert "tache" in report.present
    assert report.score == 20


def test_empty_and_none():
    assert analyse("").score == 0
    assert analyse(None).present == frozenset()
    with pytest.raises(TypeError):
        analyse(42)


def test_hints_are_french_and_ordered_by_weight():
    report = analyse("Écris une annonce d'emploi pour un comptable.")
    hints = report.hints
    assert len(hints) == 6
    assert hints[0].startswith("Ajoutez du contexte")  # contexte weighs 20, the most after tâche
    assert hints[1].startswith("Ajoutez un rôle")
    assert all("«" in h or '"""' in h for h in hints)


def test_str_and_html_forms():
    report = analyse("You are an HR officer. Write a job ad as a bulleted list.")
    assert isinstance(report, PromptReport)
    text = str(report)
    assert text.startswith("Analyse du prompt : ")
    assert "✔ Rôle" in text and "✘ Contexte" in text and "Pour l'améliorer" in text
    html = report._repr_html_()
    assert html.count("<tr>") == len(COMPONENTS) + 1
    assert "✅" in html and "⬜" in html and "Composante" in html


def test_html_escapes_the_prompt():
    report = analyse("Tu es <b>juriste</b>. Résume ce <script>alert(1)</script> texte.")
    assert "<script>" not in report._repr_html_()


def test_language_detection():
    assert analyse("Tu es juriste. Résume ce contrat pour la direction.").language == "fr"
    assert analyse("You are a lawyer. Summarise this contract for the board.").language == "en"


def test_typographic_apostrophes_and_spaces():
    report = analyse("Tu es l’assistante d’une mairie.\u202fRédige l’ordre du jour\u00a0: 5 points.")
    assert {"role", "tache", "format"} <= report.present


def _corpus():
    with CORPUS.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def test_corpus_is_large_varied_and_labelled():
    items = _corpus()
    assert len(items) >= 60
    langs = {it["lang"] for it in items}
    assert langs == {"fr", "en"}
    assert len({it["id"] for it in items}) == len(items)
    for it in items:
        assert set(it["components"]) <= set(COMPONENTS), it["id"]
    sizes = [len(it["components"]) for it in items]
    assert min(sizes) <= 1 and max(sizes) >= 6  # poor and rich prompts


@pytest.mark.parametrize("component", COMPONENTS)
def test_corpus_precision_and_recall(component):
    tp = fp = fn = 0
    for item in _corpus():
        found = component in analyse(item["prompt"]).present
        truth = component in item["components"]
        tp += found and truth
        fp += found and not truth
        fn += truth and not found
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    assert precision >= 0.9, f"{component}: précision {precision:.2f}"
    assert recall >= 0.9, f"{component}: rappel {recall:.2f}"


def test_import_is_light():
    code = (
        "import sys, toolkit.prompts, toolkit.prompts.checks; "
        "heavy = {'pandas', 'numpy', 'openai', 'spacy', 'nbgrader', 'ipywidgets'} & set(sys.modules); "
        "print(sorted(heavy))"
    )
    assert fresh_python(code).strip() == "[]"


def test_quoted_material_is_not_read_as_instructions():
    letter = (
        'Relis cette lettre : """Vous devez impérativement fournir votre attestation, '
        'ne mentionnez pas votre salaire et répondez en trois points."""'
    )
    report = analyse(letter)
    assert "contraintes" not in report.present and "format" not in report.present
    assert {"tache", "contexte", "delimiteurs"} <= report.present


def test_naming_a_tag_in_the_instructions_does_not_hide_them():
    prompt = (
        "Résous le problème placé entre les balises <probleme> étape par étape. Termine par une "
        "dernière ligne qui commence par « Réponse : ».\n<probleme>\n14 personnes, 38 CHF "
        "chacune.\n</probleme>"
    )
    assert {"tache", "format", "delimiteurs"} <= analyse(prompt).present
