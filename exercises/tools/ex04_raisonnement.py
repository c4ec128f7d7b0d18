"""Exercise 04: step-by-step reasoning and the "three experts discuss" round table."""
# ruff: noqa: E501 (cell sources keep the notebook's own line lengths)

from nbbuild import Notebook, finish, header

ASSIGNMENT = "04-raisonnement"


def build() -> Notebook:
    nb = Notebook("ex04")
    header(nb, "Exercice 4 — Faire raisonner le modèle", 30, "3 (avancé)", [
        "demander un raisonnement étape par étape et une réponse finale facile à repérer ;",
        "extraire cette réponse finale d'un long texte ;",
        "construire une « table ronde d'experts » pour une décision délicate.",
    ])
    nb.md(
        """
        ## Étape par étape

        Sur un calcul en plusieurs étapes, un modèle qui répond directement se trompe plus
        souvent que s'il détaille son raisonnement (Kojima et al. 2022, « Large Language Models
        are Zero-Shot Reasoners » : « Let's think step by step »). Le raisonnement affiché
        n'est pas une preuve : il se vérifie comme le reste.

        Le problème à confier au modèle :
        """
    )
    nb.code(
        '''
        PROBLEME = """L'équipe des ressources humaines organise une sortie pour 14 personnes.
        Le repas coûte 38 CHF par personne, le transport 210 CHF pour le groupe et l'activité
        25 CHF par personne. La commune prend en charge 60 % du total, le reste est partagé
        à parts égales entre les participant·e·s. Combien paie chaque personne ?"""
        '''
    )
    nb.md(
        """
        ## Question 1 — Un prompt qui fait raisonner (3 points)

        ✏️ Écrivez un prompt qui contient le problème (avec `{PROBLEME}`), demande de raisonner
        **étape par étape**, et exige que la réponse finale soit sur une **dernière ligne qui
        commence par `Réponse :`**.
        """
    )
    nb.answer(
        "q01-reponse-prompt-etapes",
        '''
        PROMPT = f"""
        ### BEGIN SOLUTION
        Tu es gestionnaire financier·ère dans une administration.
        Résous le problème placé entre les balises <probleme> en raisonnant étape par étape :
        écris chaque calcul. Termine par une dernière ligne qui commence par « Réponse : »
        suivie du montant en CHF.
        <probleme>
        {PROBLEME}
        </probleme>
        ### END SOLUTION
        """
        ''',
    )
    nb.test(
        "q04-etape-par-etape",
        3,
        """
        # ✅ Vérification
        verifier_prompt(PROMPT, exige=["tache", "format"], question="q04-etape-par-etape")
        verifier_contient(PROMPT, ["étape par étape", "Réponse :"], question="q04-etape-par-etape")
        ### BEGIN HIDDEN TESTS
        verifier_contient(PROMPT, ["14 personnes", "38 CHF"], indice="Insérez le problème avec {PROBLEME}.")
        ### END HIDDEN TESTS
        """,
    )
    nb.md(
        """
        ## Question 2 — Repérer la réponse finale (3 points)

        ✏️ Complétez `extraire_reponse_finale(texte)` : elle renvoie ce qui suit `Réponse :` sur
        la **dernière** ligne qui commence par `Réponse :` (espaces retirés autour), ou `None`
        s'il n'y en a pas.
        """
    )
    nb.answer(
        "q02-reponse-extraire",
        '''
        def extraire_reponse_finale(texte):
            """Renvoie le texte de la dernière ligne « Réponse : … », ou None."""
            ### BEGIN SOLUTION
            trouve = None
            for ligne in texte.splitlines():
                ligne = ligne.strip()
                if ligne.startswith("Réponse :"):
                    trouve = ligne[len("Réponse :"):].strip()
            return trouve
            ### END SOLUTION
        ''',
    )
    nb.test(
        "q04-extraire-reponse",
        3,
        """
        # ✅ Vérification
        verifier_fonction(extraire_reponse_finale, [
            ("Étape 1 : 14 × 38 = 532\\nRéponse : 38.60 CHF", "38.60 CHF"),
            ("Je ne sais pas.", None),
        ], indice="Parcourez texte.splitlines() et gardez la dernière ligne qui commence par « Réponse : ».")
        ### BEGIN HIDDEN TESTS
        verifier_fonction(extraire_reponse_finale, [
            ("Réponse : 10\\nCorrection…\\nRéponse :   12 CHF  ", "12 CHF"),
            ("  Réponse : 5\\n", "5"),
            ("", None),
        ])
        ### END HIDDEN TESTS
        """,
    )
    nb.md(
        """
        ## La table ronde d'experts

        Pour une décision délicate, on peut demander au modèle de simuler une discussion entre
        experts aux points de vue différents, qui se corrigent mutuellement, puis une synthèse.
        La formule « trois experts discutent » circule depuis 2023 (Hulbert, « Tree of
        Thoughts prompting ») ; elle aide à faire apparaître des objections, pas à garantir
        qu'elles soient justes.

        ## Question 3 — Construire la table ronde (3 points)

        ✏️ Complétez `construire_table_ronde(question, experts)`, où `experts` est une liste de
        couples `(nom, spécialité)`. Le texte renvoyé contient, dans l'ordre :

        1. la ligne `N experts discutent de la question suivante : « QUESTION »` (N = nombre
           d'experts) ;
        2. une ligne `- NOM, SPÉCIALITÉ` par expert ;
        3. la consigne `Chaque expert donne son avis à tour de rôle, en trois tours. Un expert
           qui se rend compte d'une erreur le reconnaît. Termine par une synthèse commune et
           une recommandation.`

        Les lignes sont séparées par un retour à la ligne (`"\\n"`).
        """
    )
    nb.answer(
        "q03-reponse-table-ronde",
        '''
        CONSIGNE_TABLE_RONDE = (
            "Chaque expert donne son avis à tour de rôle, en trois tours. Un expert qui se rend "
            "compte d'une erreur le reconnaît. Termine par une synthèse commune et une recommandation."
        )


        def construire_table_ronde(question, experts):
            """Renvoie le prompt de la table ronde pour la question et la liste d'experts."""
            ### BEGIN SOLUTION
            lignes = [f"{len(experts)} experts discutent de la question suivante : « {question} »"]
            lignes += [f"- {nom}, {specialite}" for nom, specialite in experts]
            lignes.append(CONSIGNE_TABLE_RONDE)
            return "\\n".join(lignes)
            ### END SOLUTION
        ''',
    )
    nb.test(
        "q04-table-ronde",
        3,
        """
        # ✅ Vérification
        EXPERTS = [("Claire", "juriste"), ("Malik", "responsable RH"), ("Sofia", "déléguée à la protection des données")]
        QUESTION = "Faut-il autoriser un assistant d'IA pour trier les candidatures ?"
        prompt = construire_table_ronde(QUESTION, EXPERTS)
        verifier_contient(prompt, ["3 experts", QUESTION, "Claire, juriste", "Malik, responsable RH", "synthèse"], nom="prompt de la table ronde", question="q04-table-ronde")
        ### BEGIN HIDDEN TESTS
        quatre = EXPERTS + [("Jonas", "chef de service")]
        attendu = "\\n".join([
            f"4 experts discutent de la question suivante : « {QUESTION} »",
            "- Claire, juriste", "- Malik, responsable RH",
            "- Sofia, déléguée à la protection des données", "- Jonas, chef de service",
            CONSIGNE_TABLE_RONDE,
        ])
        verifier_egal(construire_table_ronde(QUESTION, quatre), attendu, nom="le prompt à quatre experts", question="q04-table-ronde")
        ### END HIDDEN TESTS
        """,
    )
    nb.free(
        """
        # Facultatif, non noté : la table ronde envoyée au modèle (réponse simulée sans clé d'API)
        toolkit.ask(construire_table_ronde(
            "Faut-il autoriser un assistant d'IA pour trier les candidatures ?",
            [("Claire", "juriste"), ("Malik", "responsable RH"), ("Sofia", "déléguée à la protection des données")],
        ))
        """
    )
    nb.manual(
        "q05-reflexion",
        2,
        """
        ## Question 4 — Réflexion (2 points, corrigée par l'animateur·rice)

        ✏️ Dans quelle situation de votre travail une table ronde d'experts serait-elle utile ?
        Quelles limites voyez-vous (longueur, coût, impression de rigueur trompeuse) ?
        """,
        """
        ### BEGIN SOLUTION
        Exemple : avant de proposer un nouveau règlement de télétravail, pour faire émerger les
        objections juridiques, RH et managériales. Limites : réponses longues et coûteuses en
        jetons ; les « experts » restent le même modèle, leurs arguments doivent être vérifiés.
        ### END SOLUTION
        """,
    )
    nb.md(
        """
        ## À retenir

        - « Étape par étape » aide sur les problèmes à plusieurs étapes ; demandez une ligne
          finale repérable pour la relire facilement.
        - Un raisonnement affiché peut être faux : vérifiez les calculs importants.
        - La table ronde d'experts fait apparaître des points de vue ; elle ne remplace pas
          l'avis d'un vrai spécialiste.
        """
    )
    return finish(nb)
