"""Kinds and forms added in issue 17: vehicle plates, IP ranges and full IPv6 forms, phones
without an opening bracket, internationalised e-mail domains."""

from __future__ import annotations

import pytest

from toolkit.privacy import mask, scan


def found(text, kind):
    return [f.text for f in scan(text, kinds={kind}, ner=False)]


@pytest.mark.parametrize(
    ("text", "plate"),
    [
        ("Ma voiture VD 123 456 est au garage.", "VD 123 456"),
        ("Plaques : GE 48 213", "GE 48 213"),
        ("Le scooter ZH 4521 est stationné devant l'entrée.", "ZH 4521"),
        ("Véhicule de service FR 300123", "FR 300123"),
        ("La camionnette AB-123-CD bloque la sortie.", "AB-123-CD"),
        ("immatriculation : KL 482 TR", "KL 482 TR"),
        ("l'ancienne voiture, immatriculée 4521 XY 74, a été vendue", "4521 XY 74"),
    ],
)
def test_vehicle_plates_swiss_and_french(text, plate):
    assert found(text, "PLATE") == [plate]
    assert "PLAQUE_1" in mask(text, ner=False).text


@pytest.mark.parametrize(
    "text",
    [
        "Salle BE 12 au deuxième étage.",  # short number, no vehicle: not a plate
        "Le canton de VD compte 2024 élèves.",
        "Réf. 2025 AB 12 du dossier.",  # old French shape without a vehicle
        "Prix : FR 12 345 hors taxes.",  # an amount in francs
        "La norme ISO 9001 s'applique.",
    ],
)
def test_things_shaped_like_plates_are_not_plates(text):
    assert found(text, "PLATE") == []


@pytest.mark.parametrize(
    ("text", "ip"),
    [
        ("Le pare-feu filtre 172.16.0.0/12.", "172.16.0.0/12"),
        ("Préfixe attribué : 2001:db8:1234::/48", "2001:db8:1234::/48"),
        ("Passerelle ::ffff:192.168.1.254 injoignable", "::ffff:192.168.1.254"),
        ("NAT64 via 64:ff9b::10.20.30.40", "64:ff9b::10.20.30.40"),
        (
            "Imprimante 2001:0db8:0000:0000:0000:ff00:0042:8329",
            "2001:0db8:0000:0000:0000:ff00:0042:8329",
        ),
        ("Lien local fe80::a1b2:c3ff:fed4:e5f6%wlan0", "fe80::a1b2:c3ff:fed4:e5f6%wlan0"),
    ],
)
def test_ip_ranges_and_full_ipv6_forms_are_found_whole(text, ip):
    assert found(text, "IP") == [ip]
    masked = mask(text, ner=False).text
    assert "[IP_1]" in masked and not any(c.isdigit() for c in masked.split("[IP_1]")[1][:3])


@pytest.mark.parametrize(
    "text",
    [
        "Installer la version 5.2.0.14 du logiciel.",
        "Mise à jour du micrologiciel : 3.18.2.7",
        "La version du client VPN est 7.4.1.2.",
        "Build 10.0.19045.3803 de Windows.",
        "Il est 10:30:15, rendez-vous à 11:00.",
    ],
)
def test_version_numbers_and_times_are_not_ip_addresses(text):
    assert found(text, "IP") == []


def test_a_network_word_nearer_than_the_version_word_makes_it_an_address():
    assert found("Version 2 du plan : adresse IP du serveur 10.1.2.3.", "IP") == ["10.1.2.3"]


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Rappelez-moi (079 123 45 67) demain.", "079 123 45 67"),
        ("Contact : (+41 21 316 40 00)", "+41 21 316 40 00"),
        ("joignable ( 06 12 34 56 78 ) le matin", "06 12 34 56 78"),
        ("Tél. +41 (0)21 316 40 00", "+41 (0)21 316 40 00"),
        ("Standard : (021) 316 40 00", "(021) 316 40 00"),  # a bracketed area code stays whole
    ],
)
def test_phone_findings_never_start_with_an_unclosed_bracket(text, phone):
    assert found(text, "PHONE") == [phone]


def test_phone_masking_keeps_the_brackets_balanced():
    assert mask("Rappelez-moi (079 123 45 67) demain.", ner=False).text == (
        "Rappelez-moi ([TELEPHONE_1]) demain."
    )


@pytest.mark.parametrize(
    "email",
    ["contact@médiathèque-exemple.fr", "info@xn--mdiathque-b7ab.fr", "a@xn--d1acufc.xn--p1ai"],
)
def test_internationalised_domains(email):
    assert found(f"Écrire à {email} svp.", "EMAIL") == [email]
