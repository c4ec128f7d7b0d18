"""mask / unmask round trip, consistent placeholders, and the notebook displays."""

from __future__ import annotations

import re

from toolkit.privacy import Finding, mask, scan, unmask

TEXT = (
    "Bonjour Mme Dubois,\n"
    "Merci d'écrire à marie.dubois@exemple.ch (copie à jean.favre@exemple.ch). "
    "Mme Dubois rappellera au 079 123 45 67 ; son adresse reste marie.dubois@exemple.ch.\n"
    "Versement sur CH93 0076 2011 6238 5295 7."
)


def test_same_value_same_placeholder_and_numbering_per_kind():
    masked = mask(TEXT, ner=False)
    assert masked.text.count("[EMAIL_1]") == 2
    assert masked.text.count("[EMAIL_2]") == 1
    assert masked.text.count("[PERSONNE_1]") == 2
    assert "[TELEPHONE_1]" in masked.text and "[IBAN_1]" in masked.text
    assert masked.mapping["[EMAIL_1]"] == "marie.dubois@exemple.ch"
    assert masked.mapping["[EMAIL_2]"] == "jean.favre@exemple.ch"
    assert masked.mapping["[PERSONNE_1]"] == "Dubois"
    for value in masked.mapping.values():
        assert value not in masked.text


def test_round_trip_restores_the_original():
    masked = mask(TEXT, ner=False)
    assert unmask(masked.text, masked.mapping) == TEXT


def test_numbers_with_different_spacing_share_a_placeholder():
    masked = mask("IBAN CH93 0076 2011 6238 5295 7, soit CH9300762011623852957.", ner=False)
    assert masked.text == "IBAN [IBAN_1], soit [IBAN_1]."


def test_unmask_model_answer_with_and_without_brackets():
    mapping = {"[PERSONNE_1]": "Marie Dubois", "[PERSONNE_10]": "Jean Favre"}
    answer = "Chère [PERSONNE_1], merci. PERSONNE_10 vous contactera ; [PERSONNE_1] validera."
    assert unmask(answer, mapping) == (
        "Chère Marie Dubois, merci. Jean Favre vous contactera ; Marie Dubois validera."
    )


def test_unmask_accepts_any_object_with_a_text_form():
    class Answer:
        def __str__(self) -> str:
            return "Réponse pour [EMAIL_1]"

    assert unmask(Answer(), {"[EMAIL_1]": "a@b.ch"}) == "Réponse pour a@b.ch"
    assert unmask("rien à remplacer", {}) == "rien à remplacer"


def test_mask_with_given_findings_and_nothing_found():
    finding = Finding("TERM", 0, 6, "Hermès", 1.0, "test")
    assert mask("Hermès avance.", findings=[finding]).text == "[TERME_1] avance."
    empty = mask("Résume ce texte.", ner=False)
    assert empty.text == "Résume ce texte." and empty.mapping == {}


def test_findings_display_highlighted_html_and_french_text():
    findings = scan("Écrire à <marie.dubois@exemple.ch> & au 079 123 45 67", ner=False)
    html = findings._repr_html_()
    assert html.count("<mark") == 2
    assert "&lt;" in html and "&amp;" in html  # the text around findings is escaped
    assert "adresse e-mail" in html
    text = str(findings)
    assert text.startswith("Données trouvées : 1 adresse e-mail, 1 numéro de téléphone.")
    assert "« 079 123 45 67 »" in text
    assert (
        str(scan("Rien ici.", ner=False)) == "Aucune donnée personnelle ou confidentielle trouvée."
    )


def test_masked_display():
    masked = mask("Écrire à marie.dubois@exemple.ch", ner=False)
    assert str(masked) == "Écrire à [EMAIL_1]"
    assert "marie.dubois@exemple.ch" in masked._repr_html_()
    assert re.search(r"<code>\[EMAIL_1\]</code>", masked._repr_html_())


def test_span_set_claims_only_free_spans():
    from toolkit.privacy.findings import SpanSet

    spans = SpanSet()
    assert spans.claim(10, 20)
    assert not spans.claim(15, 25) and not spans.claim(5, 11) and not spans.claim(12, 13)
    assert spans.claim(20, 30) and spans.claim(0, 10)
    assert not spans.claim(0, 100)


def test_unknown_kind_is_refused():
    import pytest

    with pytest.raises(ValueError, match="inconnu"):
        scan("texte", kinds={"EMAILS"})
