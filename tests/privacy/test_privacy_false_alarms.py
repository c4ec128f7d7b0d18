"""False alarms that make masking destroy a text's meaning (issue 17): round amounts as SIREN,
meeting dates as birth dates, legal prose as a confidentiality marking."""

from __future__ import annotations

import pytest
from stdnum import luhn
from stdnum.fr import siren

from toolkit.privacy import scan

# Round figures that pass the Luhn check, so that only the context can tell.
ROUND = [n for n in range(100_000_000, 999_999_999, 10_000_000) if luhn.is_valid(str(n))]


def grouped(n: int) -> str:
    s = str(n)
    return f"{s[:3]} {s[3:6]} {s[6:]}"


def kinds(text, only):
    return [(f.kind, f.text) for f in scan(text, kinds={only}, ner=False)]


def test_round_figures_below_pass_the_checksum():
    assert len(ROUND) >= 5 and all(siren.is_valid(str(n)) for n in ROUND)


@pytest.mark.parametrize(
    "template",
    [
        "La société a levé {} € l'an dernier.",
        "Le budget de l'entreprise atteint {} CHF.",
        "Le fournisseur réclame {} euros d'indemnités.",
        "Société Exemple : chiffre d'affaires de {} francs",
        "Montant du marché passé avec l'entreprise : {}",
        "L'établissement compte {} habitants dans sa zone.",
        "Le prestataire annonce {} au total pour l'entreprise.",
    ],
)
@pytest.mark.parametrize("number", ROUND[:3])
def test_round_amounts_are_not_siren(template, number):
    assert kinds(template.format(grouped(number)), "SIREN") == []


def test_a_real_siren_still_found_even_when_round_if_named():
    assert kinds(f"SIREN {grouped(ROUND[0])}", "SIREN") == [("SIREN", grouped(ROUND[0]))]
    assert kinds("Entreprise Exemple SAS, SIREN 732 829 320.", "SIREN") == [
        ("SIREN", "732 829 320")
    ]


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        # meeting dates: the negation « ne » is no « né »
        ("BIRTH_DATE", "Nous ne nous réunirons pas le 12 mars 2026."),
        ("BIRTH_DATE", "Je ne serai pas là le 03/04/2026, désolée."),
        ("BIRTH_DATE", "On ne peut pas le 5 mai 2026 ; proposez une autre date."),
        ("BIRTH_DATE", "Ne venez pas le 14.02.2026, la salle est prise."),
        ("BIRTH_DATE", "Paul, né à Lyon, présidera la séance fixée par le comité au 12.03.2026."),
        # markings used as words of legal prose
        ("MARKING", "Les agents sont tenus au secret de fonction (art. 320 CP)."),
        ("MARKING", "La violation du secret de fonction est punissable."),
        ("MARKING", "Il rappelle le secret de fonction qui s'applique même après le départ."),
        ("MARKING", "Ces données sont réservées à un usage interne et à une diffusion restreinte."),
    ],
)
def test_words_that_only_look_like_the_kind_are_not_found(kind, text):
    assert kinds(text, kind) == []


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        ("BIRTH_DATE", "Sophie, née le 4 juillet 1988 à Vevey", "4 juillet 1988"),
        ("BIRTH_DATE", "ne le 12.03.1990 (sans accent, tapé vite)", "12.03.1990"),
        ("BIRTH_DATE", "Enfant : Léo, né(e) le 01/09/2017", "01/09/2017"),
        ("BIRTH_DATE", "Date de naissance : 1975-11-30", "1975-11-30"),
        ("MARKING", "SECRET DE FONCTION\nNote au chef de service", "SECRET DE FONCTION"),
        ("MARKING", "Secret de fonction — ne pas diffuser", "Secret de fonction"),
        ("MARKING", "Classification : diffusion restreinte", "diffusion restreinte"),
        ("MARKING", "Document à usage interne.", "usage interne"),
    ],
)
def test_real_birth_dates_and_marking_labels_still_found(kind, text, value):
    assert kinds(text, kind) == [(kind, value)]
