"""Exercise 05: find and mask personal data with simple functions; decide what may be sent where."""
# ruff: noqa: E501 (cell sources keep the notebook's own line lengths)

from nbbuild import Notebook, finish, header

ASSIGNMENT = "05-confidentialite"


def build() -> Notebook:
    nb = Notebook("ex05")
    header(nb, "Exercice 5 — Données personnelles et confidentialité", 30, "2 (utilisateur autonome)", [
        "repérer les données personnelles dans un texte avant de l'envoyer à un outil d'IA ;",
        "les masquer avec de petites fonctions ;",
        "décider quelles informations peuvent aller dans quel outil.",
    ])
    nb.md(
        """
        ## Pourquoi c'est important

        Un tiers des employé·e·s suisses ont déjà utilisé des outils d'IA interdits par leur
        employeur (Salesforce 2023), et 68 % des utilisateurs de ChatGPT le cachent à leur
        hiérarchie (Ifop-Talan 2023). Or un texte collé dans un outil grand public quitte
        l'organisation. La loi (nLPD en Suisse, RGPD dans l'Union européenne) protège les
        données personnelles : nom, adresse électronique, numéro de téléphone, numéro AVS…

        Le texte ci-dessous est une note RH fictive. Les fonctions que vous allez écrire
        utilisent les **expressions régulières** (`re.sub`) : un motif décrit la forme d'une
        donnée, et `re.sub(motif, remplacement, texte)` remplace chaque occurrence.
        """
    )
    nb.code(
        '''
        import re

        NOTE = """Entretien du 3 mars avec Julie Rochat (julie.rochat@exemple.ch, 079 123 45 67).
        Numéro AVS : 756.1234.5678.97. Elle demande un passage à 80 % dès septembre.
        Son manager, Paul Meier (+41 21 315 22 22, p.meier@exemple.ch), est favorable."""
        '''
    )
    nb.md(
        """
        ## Question 1 — Les adresses électroniques (2 points)

        ✏️ Complétez `masquer_emails(texte)` : chaque adresse devient `[EMAIL]`.
        """
    )
    nb.answer(
        "q01-reponse-emails",
        '''
        def masquer_emails(texte):
            """Remplace chaque adresse électronique par [EMAIL]."""
            ### BEGIN SOLUTION
            return re.sub(r"[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+", "[EMAIL]", texte)
            ### END SOLUTION
        ''',
    )
    nb.test(
        "q05-masquer-emails",
        2,
        """
        # ✅ Vérification
        verifier_fonction(masquer_emails, [
            ("Écrire à julie.rochat@exemple.ch demain.", "Écrire à [EMAIL] demain."),
            ("Pas d'adresse ici.", "Pas d'adresse ici."),
        ], question="q05-masquer-emails")
        ### BEGIN HIDDEN TESTS
        verifier_fonction(masquer_emails, [
            ("a.b+rh@service.vd.ch, c_d@mairie-lyon.fr", "[EMAIL], [EMAIL]"),
            ("Rendez-vous @ 14 h.", "Rendez-vous @ 14 h."),
        ], question="q05-masquer-emails")
        ### END HIDDEN TESTS
        """,
    )
    nb.md(
        """
        ## Question 2 — Les numéros de téléphone (2 points)

        ✏️ Complétez `masquer_telephones(texte)` : chaque numéro suisse ou français devient
        `[TÉLÉPHONE]`. Formes à reconnaître : `079 123 45 67`, `021 315 22 22`,
        `+41 21 315 22 22`, `0041 79 123 45 67`, `01 23 45 67 89`, `+33 1 23 45 67 89` (avec
        des espaces, des points, des tirets ou rien entre les groupes). Une date comme
        `12.03.2024` ou un montant comme `1 250` ne doivent pas être masqués.
        """
    )
    nb.answer(
        "q02-reponse-telephones",
        '''
        def masquer_telephones(texte):
            """Remplace chaque numéro de téléphone suisse ou français par [TÉLÉPHONE]."""
            ### BEGIN SOLUTION
            motif = r"(?<![\\w+])(?:(?:\\+|00)(?:41|33)[\\s.-]?|0)\\d{1,2}(?:[\\s.-]?\\d{2,3}){3,4}\\b"
            return re.sub(motif, "[TÉLÉPHONE]", texte)
            ### END SOLUTION
        ''',
    )
    nb.test(
        "q05-masquer-telephones",
        2,
        """
        # ✅ Vérification
        verifier_fonction(masquer_telephones, [
            ("Tél. 079 123 45 67.", "Tél. [TÉLÉPHONE]."),
            ("Appeler le +41 21 315 22 22", "Appeler le [TÉLÉPHONE]"),
            ("Le 12.03.2024, 1 250 CHF.", "Le 12.03.2024, 1 250 CHF."),
        ], question="q05-masquer-telephones")
        ### BEGIN HIDDEN TESTS
        verifier_fonction(masquer_telephones, [
            ("0041 79 123 45 67 ou 01 23 45 67 89", "[TÉLÉPHONE] ou [TÉLÉPHONE]"),
            ("+33 1 23 45 67 89", "[TÉLÉPHONE]"),
            ("021.315.22.22", "[TÉLÉPHONE]"),
            ("Dossier 2024-117, salle 12.", "Dossier 2024-117, salle 12."),
        ], question="q05-masquer-telephones")
        ### END HIDDEN TESTS
        """,
    )
    nb.md(
        """
        ## Question 3 — Le numéro AVS (2 points)

        Le numéro AVS suisse compte 13 chiffres et commence par 756 : `756.1234.5678.97`
        (parfois écrit sans points). ✏️ Complétez `masquer_avs(texte)` : chaque numéro devient
        `[AVS]`.
        """
    )
    nb.answer(
        "q03-reponse-avs",
        '''
        def masquer_avs(texte):
            """Remplace chaque numéro AVS (756.xxxx.xxxx.xx) par [AVS]."""
            ### BEGIN SOLUTION
            return re.sub(r"\\b756[.\\s]?\\d{4}[.\\s]?\\d{4}[.\\s]?\\d{2}\\b", "[AVS]", texte)
            ### END SOLUTION
        ''',
    )
    nb.test(
        "q05-masquer-avs",
        2,
        """
        # ✅ Vérification
        verifier_fonction(masquer_avs, [
            ("AVS : 756.1234.5678.97.", "AVS : [AVS]."),
            ("Rien à masquer.", "Rien à masquer."),
        ], question="q05-masquer-avs")
        ### BEGIN HIDDEN TESTS
        verifier_fonction(masquer_avs, [
            ("7561234567897", "[AVS]"),
            ("Facture 757.1234.5678.97", "Facture 757.1234.5678.97"),
        ], question="q05-masquer-avs")
        ### END HIDDEN TESTS
        """,
    )
    nb.md(
        """
        ## Question 4 — Qu'est-ce qui peut aller où ? (3 points)

        Votre organisation classe ses informations en quatre niveaux et dispose de trois types
        d'outils :

        | Classification | `"outil_public"` (version gratuite grand public) | `"outil_valide"` (outil validé par l'organisation, contrat et hébergement maîtrisés) | `"modele_local"` (modèle installé sur nos serveurs) |
        |---|---|---|---|
        | `"public"` (site web, communiqué publié) | oui | oui | oui |
        | `"interne"` (note de service, procédure) | non | oui | oui |
        | `"confidentiel"` (dossier RH, données personnelles) | non | non | oui |
        | `"secret"` (sécurité, enquête en cours) | non | non | non |

        ✏️ Complétez `peut_envoyer(classification, outil)` : elle renvoie `True` ou `False`
        selon ce tableau, et lève `ValueError` pour une classification ou un outil inconnu.
        """
    )
    nb.answer(
        "q04-reponse-peut-envoyer",
        '''
        def peut_envoyer(classification, outil):
            """True si une information de cette classification peut aller dans cet outil."""
            ### BEGIN SOLUTION
            autorises = {
                "public": {"outil_public", "outil_valide", "modele_local"},
                "interne": {"outil_valide", "modele_local"},
                "confidentiel": {"modele_local"},
                "secret": set(),
            }
            if classification not in autorises:
                raise ValueError(f"classification inconnue : {classification}")
            if outil not in {"outil_public", "outil_valide", "modele_local"}:
                raise ValueError(f"outil inconnu : {outil}")
            return outil in autorises[classification]
            ### END SOLUTION
        ''',
    )
    nb.test(
        "q05-peut-envoyer",
        3,
        """
        # ✅ Vérification
        verifier_fonction(peut_envoyer, [
            (("public", "outil_public"), True),
            (("confidentiel", "outil_public"), False),
            (("interne", "outil_valide"), True),
        ], question="q05-peut-envoyer")
        ### BEGIN HIDDEN TESTS
        verifier_fonction(peut_envoyer, [
            (("interne", "outil_public"), False),
            (("confidentiel", "outil_valide"), False),
            (("confidentiel", "modele_local"), True),
            (("secret", "modele_local"), False),
            (("public", "modele_local"), True),
            (("très secret", "modele_local"), ValueError),
            (("public", "clé USB"), ValueError),
        ], question="q05-peut-envoyer")
        ### END HIDDEN TESTS
        """,
    )
    nb.md(
        """
        ### Le résultat (facultatif, non noté)

        La note masquée par vos trois fonctions, puis envoyée au modèle pour un résumé. Sans
        clé d'API, la réponse est simulée et le dit. Masquer ne suffit pas toujours : le
        contexte (« passage à 80 % », le nom du manager) peut encore identifier la personne.
        """
    )
    nb.free(
        """
        note_masquee = masquer_avs(masquer_telephones(masquer_emails(NOTE)))
        print(note_masquee)
        toolkit.ask("Résume cette note en une phrase :\\n" + note_masquee)
        """
    )
    nb.manual(
        "q05-reflexion",
        2,
        """
        ## Question 5 — Réflexion (2 points, corrigée par l'animateur·rice)

        ✏️ Dans votre service, quelles informations ne doivent jamais sortir de l'organisation ?
        Donnez un exemple concret et dites quel outil serait acceptable pour le traiter.
        Dans la note ci-dessus, qu'est-ce qui permet encore de reconnaître Julie Rochat une fois
        les données masquées ?
        """,
        """
        ### BEGIN SOLUTION
        Exemple : les dossiers de candidature et les évaluations annuelles ; seulement un
        modèle local ou rien. Dans la note, les noms propres (Julie Rochat, Paul Meier), la
        date de l'entretien et la demande précise restent identifiants : il faut aussi
        masquer les noms.
        ### END SOLUTION
        """,
    )
    nb.md(
        """
        ## À retenir

        - Avant d'envoyer un texte à un outil d'IA, demandez-vous : quelle classification ?
          quel outil est autorisé pour elle ?
        - Masquer les identifiants évidents (courriel, téléphone, AVS, IBAN) est un minimum ;
          les noms et le contexte peuvent suffire à reconnaître quelqu'un.
        - En cas de doute : ne pas envoyer, et demander au ou à la responsable de la
          protection des données.
        """
    )
    return finish(nb)
