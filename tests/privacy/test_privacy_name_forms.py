"""Person names as people really write them in prompts (issue 17), and the contexts where a
capitalised word is not a person. Every case is written for this file."""

from __future__ import annotations

import pytest

from toolkit.privacy import mask, scan


def persons(text, **options):
    return [f.text for f in scan(text, kinds={"PERSON"}, **options)]


@pytest.mark.parametrize("ner", [True, False])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("je m'appelle sandra keller et je travaille aux finances", ["sandra keller"]),
        ("Salut, je m'appelle yannick roth, j'ai une question", ["yannick roth"]),
        ("mon collègue s'appelle pas comme ça. il s'appelle fabrice", ["fabrice"]),
        ("mon nom est de la fontaine, agathe", ["de la fontaine", "agathe"]),
        ("cc : julie morand, thomas brun", ["julie morand", "thomas brun"]),
        ("CC: Nora Haddad; paul-henri vogel", ["Nora Haddad", "paul-henri vogel"]),
        ("bonjour monsieur perrenoud, voici le devis", ["perrenoud"]),
        ("bonsoir madame da costa, merci pour votre retour", ["da costa"]),
        ("merci à ginette pour le gâteau et à gilbert pour le café", ["ginette", "gilbert"]),
        # short forms, a copy list without its colon, a first name alone after a verb
        ("salut seb, tu as les clés du local ?", ["seb"]),
        ("coucou flo\nle rapport est en ligne", ["flo"]),
        ("cc max et lucie", ["max", "lucie"]),
        ("cc nico", ["nico"]),
        ("demande à mathilde si la salle est libre", ["mathilde"]),
        ("je transmets à ahmed ce soir", ["ahmed"]),
        ("ok je regarde ça demain\nbises\nfred", ["fred"]),
        ("bonjour tom, bonjour alex", ["tom", "alex"]),
    ],
)
def test_names_typed_in_lowercase(text, expected, ner):
    assert persons(text, ner=ner) == expected


@pytest.mark.parametrize(
    "text",
    [
        "bonjour tout le monde, je m'appelle pas comme ça",
        "merci beaucoup pour la pierre de taille et la rose des vents",
        "je suis content, cc : la direction",
        "le marc de café et le martin-pêcheur",
    ],
)
def test_lowercase_common_words_are_not_names(text):
    assert persons(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dossier de MOREL Jean-Claude, reçu hier.", ["MOREL Jean-Claude"]),
        ("Candidats : FAVRE Océane, GUEX Timothée", ["FAVRE Océane", "GUEX Timothée"]),
        ("Le rapport de BÜHLER Hans-Peter est en retard.", ["BÜHLER Hans-Peter"]),
    ],
)
def test_surname_first_in_capitals_is_one_finding(text, expected):
    assert persons(text) == expected
    assert persons(text, ner=False) == expected


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Le dossier de J.-B. Dupont est prêt.", "J.-B. Dupont"),
        ("Signé : J.-P. Rochat", "J.-P. Rochat"),
        ("Voir avec M.-C. Bron pour la salle.", "M.-C. Bron"),
        ("Présents : A.-L. Meyer et P. Sauge", "A.-L. Meyer"),
        ("Réponse de M. J.-F. Chollet", "J.-F. Chollet"),
    ],
)
def test_hyphenated_initials_are_one_finding_masked_whole(text, name):
    assert name in persons(text)
    masked = mask(text).text
    assert name not in masked and "-[" not in masked and ".-" not in masked


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # particles stay in the name
        ("Une note de Mme de la Rochefoucauld est arrivée.", "de la Rochefoucauld"),
        ("Rendez-vous avec Pieter van der Velde jeudi.", "Pieter van der Velde"),
        ("Réponse de M. van den Berghe attendue.", "van den Berghe"),
        ("Le Dr von der Heyden confirme.", "von der Heyden"),
        ("Transmis à Mme d'Aubigné.", "d'Aubigné"),
        # a first name alone as a signature
        ("Merci d'avance pour ton aide !\nSéverine", "Séverine"),
        ("On en parle demain.\n\nBises,\nZélie", "Zélie"),
        ("Je te laisse voir.\n— Tristan", "Tristan"),
        ("ok pour moi, à demain\nmerci, anaïs", "anaïs"),
        ("Le fichier est sur le partage.\nAmicalement\nKarima", "Karima"),
    ],
)
def test_particles_and_lone_signatures_are_the_only_finding(text, name):
    assert persons(text) == [name]


@pytest.mark.parametrize(
    "text",
    [
        "La Marine nationale recrute des informaticiens.",
        "Objet : partenariat — Marine nationale\nLa Marine nationale nous a répondu.",
        "Selon l'art. 110 LTr, le repos est obligatoire.",
        "Voir art. 28 al. 2 LPers et art. 12 OLT1.",
        "L'article 321 CP protège le secret professionnel.",
        "La Poste et la Rose des vents ont fermé.",
        "Le contrat avec Garage Rochat SA est prolongé.",
    ],
)
def test_institutions_laws_and_companies_are_not_persons(text):
    assert persons(text) == []


def test_a_town_that_is_also_a_surname_in_the_text():
    text = "M. Paul Nancy viendra. La réunion aura lieu à Nancy, puis à Metz."
    assert persons(text) == ["Paul Nancy"]


def test_a_town_that_is_also_a_first_name_in_the_text():
    text = "Florence Mathieu présente le bilan. Le site de Florence (Italie) est rentable."
    assert persons(text) == ["Florence Mathieu"]
    assert persons("Séance à Florence (Italie) avec Mme Florence Roth.") == ["Florence Roth"]


def test_a_company_named_after_a_person_in_the_same_text():
    text = "L'entreprise Menuiserie Favre Sàrl a gagné. M. Yves Favre dirigera le chantier."
    assert persons(text) == ["Yves Favre"]


def test_speakers_of_a_dialogue_are_persons():
    text = "Marine : tu as lu la note de la Marine nationale ?\nHugo : oui, hier."
    assert persons(text) == ["Marine", "Hugo"]
