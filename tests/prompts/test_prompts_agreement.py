"""Issue 16 classes: advice and detection agree, excerpts keep whole words, context is real."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from toolkit import assistants
from toolkit.prompts import HINTS, analyse

HERE = Path(__file__).parent
PROMPTS = [
    json.loads(line)["prompt"]
    for name in ("corpus.jsonl", "corpus_holdout.jsonl")
    for line in (HERE / name).read_text(encoding="utf-8").splitlines()
    if line.strip()
]


def _hint_examples():
    for key, hint in HINTS.items():
        for example in re.findall(r"«\s*([^»]+?)\s*»", hint):
            # fragments ("Tu es …", "Rédige…", "Exemple :") are not prompts on their own
            if "…" not in example and not example.endswith(":"):
                yield key, example


@pytest.mark.parametrize(("key", "example"), list(_hint_examples()))
def test_every_example_the_advice_gives_is_detected(key, example):
    # The advice suggests this wording: following it must earn the component.
    assert key in analyse(f"Rédige un courriel pour l'équipe. {example}").present


def test_hints_do_give_examples():
    assert len(list(_hint_examples())) >= 6  # the test above would be empty otherwise


@pytest.mark.parametrize("prompt", [
    "Rédige un courriel. Format : un objet et trois paragraphes courts.",
    "Rédige un courriel à l'équipe. Format : un objet et trois paragraphes courts.",
    "Écris une annonce d'emploi pour un poste de comptable. Structure : titre, missions, profil.",
    "Propose trois idées d'animation ! Présentation : un tableau avec l'idée et le coût.",
    "Résume le rapport annuel. Format de sortie : cinq puces.",
    "Rédige un courriel.\nFormat : un objet et trois paragraphes courts.",
])
def test_a_format_heading_counts_anywhere_a_sentence_starts(prompt):
    report = analyse(prompt)
    assert "format" in report.present
    excerpt = report["format"].evidence[0]
    assert re.match(r"(Format|Structure|Présentation)", excerpt), excerpt  # not the sentence before


@pytest.mark.parametrize("prompt", [
    "Rédige un courriel pour présenter notre nouveau service.",
    "Prépare une affiche pour promouvoir notre bibliothèque municipale.",
    "Écris un message pour annoncer la fête de notre équipe.",
    "Présente notre nouvelle crèche en quelques lignes.",
    "Rédige un article sur notre projet de rénovation.",
    "Fais la promotion de nos services en ligne.",
])
def test_a_purpose_or_a_topic_alone_is_not_context(prompt):
    report = analyse(prompt)
    assert "contexte" not in report.present, report["contexte"].rules
    assert "format" not in report.present, report["format"].rules  # "un message" is no count


@pytest.mark.parametrize("prompt", [
    "Notre service compte douze personnes et déménage en mars. Rédige un courriel pour l'annoncer.",
    "Dans notre commune, la déchetterie ferme en août. Écris un avis pour le site.",
    "Notre entreprise de 40 personnes fête ses 20 ans. Rédige un post pour présenter notre histoire.",
    "Rédige un courriel : notre équipe, qui traite les demandes de permis, change d'horaires.",
    "Écris un message pour notre équipe qui change de locaux lundi.",
])
def test_a_described_organisation_is_context(prompt):
    assert "contexte" in analyse(prompt).present


@pytest.mark.parametrize("prompt", PROMPTS[::3])
def test_excerpts_start_and_end_on_word_boundaries(prompt):
    flat = " ".join(prompt.split())
    for comp in analyse(prompt).components.values():
        for excerpt in comp.evidence:
            body = excerpt.strip("…")
            at = flat.find(body)
            assert at != -1, (excerpt, flat)
            assert at == 0 or not flat[at - 1].isalnum(), f"coupé au début : {excerpt!r}"
            if excerpt.endswith("…"):
                end = at + len(body)
                assert end == len(flat) or not flat[end].isalnum(), f"coupé à la fin : {excerpt!r}"


def test_first_letter_of_the_prompt_is_kept():
    report = analyse("Rédige un courriel à nos clients. Format : un objet et trois paragraphes.")
    assert all(not e.startswith("édige") for c in report.components.values() for e in c.evidence)
    assert report["tache"].evidence[0].startswith("Rédige")


def test_keyword_checks_say_what_they_looked_for():
    v1 = assistants.get("redacteur-annonce-emploi", 1)
    results = v1.check("Nous cherchons un comptable. Profil : CFC d'employé de commerce.")
    text = [str(r) for r in results]
    assert text[0].startswith("⚠️ mot-clé absent\u00a0: «\u202fmissions\u202f»"), text[0]
    assert text[1].startswith("✅ mot-clé trouvé\u00a0: «\u202fprofil\u202f»"), text[1]
    assert "longueur\u00a0: 9 mots" in text[2]
    # a keyword found is not a claim about the content either
    found = v1.check("Missions : aucune.")[0]
    assert found.ok and str(found).startswith("✅ mot-clé trouvé")
    v2 = assistants.get("redacteur-annonce-emploi", 2)
    age = next(r for r in v2.check("Nous cherchons un jeune comptable.") if "jeune" in r.detail)
    assert str(age).startswith("⚠️ mot à éviter présent\u00a0: «\u202fjeune\u202f»")
