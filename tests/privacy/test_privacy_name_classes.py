"""The classes of misses that the held-out « inédit » corpus revealed (issue 17): a first name
followed by an apposition, compound first names in any case, and dotted version numbers that
are not IP addresses (first names typed in lowercase: test_privacy_name_forms.py). Every case
is written for this file."""

from __future__ import annotations

import pytest

from toolkit.privacy import scan


def persons(text, **options):
    return [f.text for f in scan(text, kinds={"PERSON"}, **options)]


def ips(text):
    return [f.text for f in scan(text, kinds={"IP"})]


@pytest.mark.parametrize("ner", [True, False])
@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a first name followed by an apposition
        ("Le serveur redémarre à 22 h.\nYannick, support technique", "Yannick"),
        ("Merci de valider avant vendredi.\nNathalie, secrétariat de direction", "Nathalie"),
        ("Fais le point avec Ludovic, du service achats, demain.", "Ludovic"),
        ("Romain, de la comptabilité, attend ta facture.", "Romain"),
        ("Bérénice (RH) a reçu ton dossier.", "Bérénice"),
        ("Le planning est validé.\nGaëlle (accueil)", "Gaëlle"),
        # compound first names in any case, the second part not in the list of first names
        ("Anne-Lyse vous rappellera lundi.", "Anne-Lyse"),
        ("Réunion reportée : Jean-Noé est malade.", "Jean-Noé"),
        ("Le devis est validé par MARIE-ODILE.", "MARIE-ODILE"),
        ("J'ai vu Paul-Édouard hier.", "Paul-Édouard"),
        ("merci à marie-josée pour les photos", "marie-josée"),
        ("bonjour pierre-yves, voici le lien", "pierre-yves"),
    ],
)
def test_appositions_and_compound_first_names(text, name, ner):
    assert persons(text, ner=ner) == [name]


@pytest.mark.parametrize(
    "text",
    [
        # an apposition after a word that is no first name
        "Lausanne, service des parcs : horaires d'hiver.",
        "Total, hors taxes : 400 francs.",
        "Objet (RH) : nouvelle procédure",
        # lowercase first names that are also common words
        "le max de points, c'est 20",
        "merci pour le jean et la rose",
        "cc à la direction",
        "la valeur max est dépassée, cc tout le service",
        # hyphenated places and words
        "Inscrivez votre enfant à l'école Jean-Jaurès.",
        "la claire-voie du jardin est cassée",
        "La rue Marie-Curie est fermée.",
        "Mon vol part de Charles-de-Gaulle à 7 h.",
    ],
)
def test_words_that_look_like_these_classes_are_not_names(text):
    assert persons(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Le poste tourne sous Firefox 128.0.3.1 depuis lundi.",
        "Installe FileZilla 3.67.1.2 sur mon portable.",
        "mise à niveau de PostgreSQL 16.2.0.1 prévue",
        "Le client utilise la v 4.1.0.2 du pilote.",
        "Pilote d'imprimante 10.2.3.44 installé.",
        "bibliothèque libcurl/8.4.0.1 dans le journal",
        "Sortie de la 2.1.0.7-beta cette semaine.",
    ],
)
def test_dotted_versions_after_a_product_are_not_ip_addresses(text):
    assert ips(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Le paquet nginx 1.24.0.2 tourne sur 10.12.0.8 depuis hier.",
            ["10.12.0.8"],
        ),
        ("Firefox 128.0.3.1 ne joint plus le proxy 172.16.4.2.", ["172.16.4.2"]),
        ("Passerelle 192.168.8.1, DNS 9.9.9.9", ["192.168.8.1", "9.9.9.9"]),
        ("Serveur SRV-DOC 10.1.2.3 injoignable", ["10.1.2.3"]),
        ("ping 8.8.4.4 échoue", ["8.8.4.4"]),
    ],
)
def test_real_addresses_next_to_versions_are_still_found(text, expected):
    assert ips(text) == expected
