"""Unit tests for each rule-based recogniser, including checksum near misses."""

from __future__ import annotations

import pytest
from stdnum import iban, luhn
from stdnum.ch import ssn
from stdnum.fr import nir, siren, siret

from toolkit.privacy import scan


def kinds(text: str, **options) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in scan(text, ner=False, **options)]


# Valid identifiers built from their published check-digit algorithms (see stdnum).
AVS_OK = "756.9217.0769.85"
IBAN_CH_OK = "CH93 0076 2011 6238 5295 7"
IBAN_FR_OK = "FR14 2004 1010 0505 0001 3M02 606"
NIR_OK = "2 95 10 99 126 111 93"
SIREN_OK = "732 829 320"
SIRET_OK = "732 829 320 00074"
CARD_OK = "4111 1111 1111 1111"


def test_fixtures_are_valid_identifiers():
    assert ssn.is_valid(AVS_OK)
    assert iban.is_valid(IBAN_CH_OK) and iban.is_valid(IBAN_FR_OK)
    assert nir.is_valid(NIR_OK.replace(" ", ""))
    assert siren.is_valid(SIREN_OK) and siret.is_valid(SIRET_OK)
    assert luhn.is_valid(CARD_OK.replace(" ", ""))


def test_email():
    assert kinds("Écrire à marie.dubois@vd.ch ou à info@exemple-commune.fr.") == [
        ("EMAIL", "marie.dubois@vd.ch"),
        ("EMAIL", "info@exemple-commune.fr"),
    ]


@pytest.mark.parametrize(
    "phone",
    [
        "079 123 45 67",
        "+41 21 316 40 00",
        "021 316 40 00",
        "06 12 34 56 78",
        "06.12.34.56.78",
        "+33 1 44 38 62 00",
        "0033 1 53 24 60 00",
        "+44 20 7946 0321",
        "+49 30 25 49 38 10",
    ],
)
def test_phone_swiss_french_international(phone):
    assert kinds(f"Appelez le {phone} demain.", kinds={"PHONE"}) == [("PHONE", phone)]


def test_phone_ignores_short_numbers_and_amounts():
    assert kinds("Le code est 4721, le montant CHF 1'240.–, salle 204.", kinds={"PHONE"}) == []


def test_avs_valid_and_compact():
    assert kinds(f"N° AVS : {AVS_OK}") == [("AVS", AVS_OK)]
    compact = AVS_OK.replace(".", "")
    assert kinds(f"N° AVS {compact}.") == [("AVS", compact)]


def test_avs_wrong_check_digit_is_not_reported():
    wrong = AVS_OK[:-1] + str((int(AVS_OK[-1]) + 1) % 10)
    assert not ssn.is_valid(wrong)
    assert kinds(f"N° AVS : {wrong}") == []


def test_iban_valid_swiss_and_french():
    text = f"Comptes : {IBAN_CH_OK} et {IBAN_FR_OK}. Merci."
    assert kinds(text) == [("IBAN", IBAN_CH_OK), ("IBAN", IBAN_FR_OK)]


def test_iban_compact_and_followed_by_capitalised_word():
    compact = IBAN_CH_OK.replace(" ", "")
    assert kinds(f"IBAN {compact} BCV") == [("IBAN", compact)]


@pytest.mark.parametrize("position", [5, 8, 13, 20])
def test_iban_wrong_checksum_is_not_reported_under_any_kind(position):
    digits = IBAN_CH_OK
    assert digits[position].isdigit()
    wrong = digits[:position] + str((int(digits[position]) + 1) % 10) + digits[position + 1 :]
    assert not iban.is_valid(wrong)
    assert kinds(f"Versement sur {wrong} svp.") == []


def test_nir_valid_and_wrong_key():
    assert kinds(f"N° de sécurité sociale : {NIR_OK}") == [("NIR", NIR_OK)]
    wrong = NIR_OK[:-2] + "94"
    assert kinds(f"N° de sécurité sociale : {wrong}") == []


def test_siren_needs_context_siret_valid():
    assert kinds(f"Société Exemple SA, SIREN {SIREN_OK}.") == [("SIREN", SIREN_OK)]
    assert kinds(f"Le lot pèse {SIREN_OK} grammes.", kinds={"SIREN"}) == []
    assert kinds(f"SIRET {SIRET_OK}") == [("SIRET", SIRET_OK)]


def test_siret_wrong_checksum_is_not_reported_nor_its_siren():
    wrong = SIRET_OK[:-1] + "5"
    assert not siret.is_valid(wrong)
    assert kinds(f"SIRET {wrong}") == []


def test_card_luhn():
    assert kinds(f"Carte {CARD_OK}") == [("CARD", CARD_OK)]
    assert kinds("Carte 4111-1111-1111-1111") == [("CARD", "4111-1111-1111-1111")]
    assert kinds("Carte 4111 1111 1111 1112") == []


def test_ip_v4_v6_ranges_and_not_versions():
    assert kinds("Serveur 192.168.10.1 et 2001:db8:85a3::8a2e:370:7334.") == [
        ("IP", "192.168.10.1"),
        ("IP", "2001:db8:85a3::8a2e:370:7334"),
    ]
    # A CIDR range is found whole (issue 17); versions, bad octets and times are not IPs.
    assert kinds("Plage 10.20.0.0/16.") == [("IP", "10.20.0.0/16")]
    assert kinds("Version 4.12.3, version 5.2.0.14, 999.1.1.1, réunion à 10:30.") == []


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("née le 14.02.1979 à Sion", "14.02.1979"),
        ("Date de naissance : 21/06/1994", "21/06/1994"),
        ("né le 8 mai 2023", "8 mai 2023"),
        ("né(e) le 1er avril 1960", "1er avril 1960"),
    ],
)
def test_birth_date_with_context(text, date):
    assert kinds(text, kinds={"BIRTH_DATE"}) == [("BIRTH_DATE", date)]


def test_other_dates_are_not_birth_dates():
    assert kinds("Séance du 12.03.2024. Délai au 30 juin 2025.", kinds={"BIRTH_DATE"}) == []


@pytest.mark.parametrize(
    "address",
    [
        "Rue du Marché 12, 1204 Genève",
        "15 rue de la Paix, 75002 Paris",
        "Chemin des Vignes 14, 1009 Pully",
        "Bahnhofstrasse 21, 3011 Bern",
        "Case postale 2034, 1211 Genève 2",
        "Grand-Rue 41, 2000 Neuchâtel",
        "5 allée des Tilleuls, 44300 Nantes",
    ],
)
def test_postal_addresses(address):
    assert kinds(f"Domicile : {address}.", kinds={"ADDRESS"}) == [("ADDRESS", address)]


def test_default_markings_without_configuration():
    assert kinds("CONFIDENTIEL — document à usage interne.", kinds={"MARKING"}) == [
        ("MARKING", "CONFIDENTIEL"),
        ("MARKING", "usage interne"),
    ]
    # Case-sensitive marking: the adjective in a sentence is not a marking.
    assert kinds("Ce point reste confidentiel.", kinds={"MARKING"}) == []


def test_findings_carry_span_confidence_and_recognizer():
    text = f"IBAN {IBAN_CH_OK}"
    (finding,) = scan(text, ner=False)
    assert text[finding.start : finding.end] == finding.text
    assert finding.span == (5, 5 + len(IBAN_CH_OK))
    assert 0 < finding.confidence <= 1
    assert finding.recognizer == "stdnum.iban"


def test_scan_rejects_non_text():
    with pytest.raises(TypeError):
        scan(None)  # type: ignore[arg-type]
