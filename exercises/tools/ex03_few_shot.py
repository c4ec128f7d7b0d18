"""Exercise 03: few-shot prompts built from labelled examples (sorting citizens' messages)."""
# ruff: noqa: E501 (cell sources keep the notebook's own line lengths)

from nbbuild import Notebook, finish, header

ASSIGNMENT = "03-exemples-few-shot"


def build() -> Notebook:
    nb = Notebook("ex03")
    header(nb, "Exercice 3 — Apprendre par l'exemple (few-shot)", 30, "2 → 3", [
        "montrer au modèle ce qu'on attend avec quelques exemples étiquetés ;",
        "construire un prompt « few-shot » à partir d'une liste d'exemples ;",
        "choisir des exemples variés plutôt que nombreux.",
    ])
    nb.md(
        """
        ## La situation

        Le secrétariat d'une commune veut trier automatiquement les messages des habitant·e·s
        vers le bon service : **état civil**, **travaux**, **écoles** ou **finances**. Plutôt
        que de décrire longuement chaque service, on montre au modèle quelques messages déjà
        triés : c'est la technique des exemples (« few-shot »).
        """
    )
    nb.code(
        '''
        EXEMPLES = [
            ("Je voudrais une copie de mon acte de naissance.", "état civil"),
            ("Il y a un nid-de-poule devant le numéro 12 de la rue du Lac.", "travaux"),
            ("Mon fils entre à l'école en août, comment l'inscrire ?", "écoles"),
            ("Je n'ai pas reçu mon bordereau d'impôts de cette année.", "finances"),
            ("Nous allons nous marier en juin, quels documents fournir ?", "état civil"),
            ("Le trottoir de l'avenue de la Gare est bloqué par un chantier.", "travaux"),
        ]

        CONSIGNE = (
            "Classe chaque message dans l'un des services : état civil, travaux, écoles, finances. "
            "Réponds uniquement par le nom du service."
        )
        '''
    )
    nb.md(
        """
        ## Question 1 — Construire le prompt à partir des exemples (4 points)

        ✏️ Complétez `construire_prompt_few_shot(exemples, message)`. Elle renvoie un texte
        composé, dans l'ordre :

        1. la `CONSIGNE` ;
        2. pour chaque exemple, deux lignes `Message : …` et `Service : …` ;
        3. le nouveau message sur une ligne `Message : …`, suivie de la ligne `Service :`
           laissée vide, que le modèle complétera.

        Les blocs sont séparés par une ligne vide. Avec un seul exemple, le résultat est :

        ```
        Classe chaque message … Réponds uniquement par le nom du service.

        Message : Je voudrais une copie de mon acte de naissance.
        Service : état civil

        Message : Où payer ma taxe de chien ?
        Service :
        ```
        """
    )
    nb.answer(
        "q01-reponse-few-shot",
        '''
        def construire_prompt_few_shot(exemples, message):
            """Renvoie le prompt few-shot : consigne, exemples étiquetés, puis le nouveau message."""
            ### BEGIN SOLUTION
            blocs = [CONSIGNE]
            for texte, service in exemples:
                blocs.append(f"Message : {texte}\\nService : {service}")
            blocs.append(f"Message : {message}\\nService :")
            return "\\n\\n".join(blocs)
            ### END SOLUTION
        ''',
    )
    nb.test(
        "q03-few-shot",
        4,
        """
        # ✅ Vérification
        prompt = construire_prompt_few_shot(EXEMPLES[:1], "Où payer ma taxe de chien ?")
        verifier_egal(prompt, CONSIGNE + "\\n\\nMessage : Je voudrais une copie de mon acte de naissance.\\nService : état civil"
                      "\\n\\nMessage : Où payer ma taxe de chien ?\\nService :", nom="le prompt construit", question="q03-few-shot")
        prompt = construire_prompt_few_shot(EXEMPLES, "Où payer ma taxe de chien ?")
        verifier_prompt(prompt, exige=["tache", "format", "exemples"], nom="prompt construit")
        ### BEGIN HIDDEN TESTS
        verifier_egal(construire_prompt_few_shot([], "Bonjour"), CONSIGNE + "\\n\\nMessage : Bonjour\\nService :", nom="le prompt sans exemple", question="q03-few-shot")
        complet = construire_prompt_few_shot(EXEMPLES, "Test")
        assert complet.count("Message :") == len(EXEMPLES) + 1, "Chaque exemple doit avoir sa ligne « Message : »."
        assert complet.index("nid-de-poule") < complet.index("école en août"), "Gardez les exemples dans leur ordre."
        assert complet.endswith("Message : Test\\nService :"), "Le prompt doit finir par « Service : » laissé vide."
        ### END HIDDEN TESTS
        """,
    )
    nb.md(
        """
        ## Question 2 — Des exemples variés (3 points)

        Trois exemples du même service apprennent peu au modèle. ✏️ Complétez
        `choisir_exemples(exemples, n)` : elle renvoie `n` exemples en prenant d'abord le
        **premier exemple de chaque service** (dans l'ordre de la liste), puis, s'il en faut
        encore, les exemples restants dans l'ordre de la liste.

        Exemple : avec `EXEMPLES` et `n=4`, on obtient les exemples 1, 2, 3 et 4 (quatre
        services différents) ; avec `n=5`, on ajoute le 5ᵉ.
        """
    )
    nb.answer(
        "q02-reponse-choisir",
        '''
        def choisir_exemples(exemples, n):
            """Renvoie n exemples, un par service d'abord, dans l'ordre de la liste."""
            ### BEGIN SOLUTION
            premiers, autres, vus = [], [], set()
            for exemple in exemples:
                if exemple[1] in vus:
                    autres.append(exemple)
                else:
                    vus.add(exemple[1])
                    premiers.append(exemple)
            return (premiers + autres)[:n]
            ### END SOLUTION
        ''',
    )
    nb.test(
        "q03-choisir-exemples",
        3,
        """
        # ✅ Vérification
        verifier_fonction(choisir_exemples, [
            ((EXEMPLES, 4), EXEMPLES[:4]),
            ((EXEMPLES, 2), EXEMPLES[:2]),
        ], indice="Parcourez la liste et gardez un exemple par service avant de compléter.")
        ### BEGIN HIDDEN TESTS
        meme_service = [("a", "travaux"), ("b", "travaux"), ("c", "écoles"), ("d", "finances")]
        verifier_fonction(choisir_exemples, [
            ((meme_service, 3), [("a", "travaux"), ("c", "écoles"), ("d", "finances")]),
            ((meme_service, 4), [("a", "travaux"), ("c", "écoles"), ("d", "finances"), ("b", "travaux")]),
            ((meme_service, 10), [("a", "travaux"), ("c", "écoles"), ("d", "finances"), ("b", "travaux")]),
            (([], 3), []),
        ], indice="Un par service d'abord, puis les autres dans l'ordre ; jamais plus que la liste.")
        ### END HIDDEN TESTS
        """,
    )
    nb.md(
        """
        ## Question 3 — Votre propre prompt few-shot (3 points)

        Une entreprise de services énergétiques reçoit des courriels de clients à répartir entre
        **facturation**, **dépannage** et **déménagement**. ✏️ Écrivez à la main un prompt
        few-shot : un rôle, la liste des trois services, au moins **deux exemples** (introduits
        par « Exemple : » ou sous la forme `Message : … / Service : …`) et la consigne de
        répondre par le seul nom du service.
        """
    )
    nb.answer(
        "q03-reponse-prompt-tri",
        '''
        PROMPT = """
        ### BEGIN SOLUTION
        Tu es assistant·e du service clientèle d'un fournisseur d'énergie.
        Classe le courriel du client dans l'un des services : facturation, dépannage, déménagement.
        Réponds uniquement par le nom du service.

        Message : Ma facture de mars est deux fois plus élevée que d'habitude.
        Service : facturation

        Message : Nous quittons notre appartement le 30 juin, que dois-je faire ?
        Service : déménagement

        Message : Plus de courant dans tout l'immeuble depuis ce matin.
        Service :
        ### END SOLUTION
        """
        ''',
    )
    nb.test(
        "q03-prompt-tri",
        3,
        """
        # ✅ Vérification
        verifier_prompt(PROMPT, exige=["role", "tache", "format", "exemples"], question="q03-prompt-tri")
        ### BEGIN HIDDEN TESTS
        verifier_contient(PROMPT, ["facturation", "dépannage", "déménagement"], question="q03-prompt-tri")
        ### END HIDDEN TESTS
        """,
    )
    nb.md(
        """
        ### Et le modèle ? (facultatif, non noté)

        La cellule suivante construit le prompt pour un nouveau message et l'envoie au modèle.
        Sans clé d'API, la réponse est simulée et le dit.
        """
    )
    nb.free(
        """
        prompt = construire_prompt_few_shot(choisir_exemples(EXEMPLES, 4), "La cantine de l'école est-elle ouverte pendant les vacances ?")
        print(prompt)
        toolkit.ask(prompt)
        """
    )
    nb.manual(
        "q04-reflexion",
        2,
        """
        ## Question 4 — Réflexion (2 points, corrigée par l'animateur·rice)

        ✏️ Pourquoi vaut-il mieux des exemples variés que nombreux ? Donnez un cas tiré de votre
        service où un exemple mal choisi pourrait induire le modèle en erreur.
        """,
        """
        ### BEGIN SOLUTION
        Exemple : le modèle imite les exemples ; s'ils viennent tous du même service, il aura
        tendance à répondre ce service. Chez nous, si tous les exemples de réclamations sont
        des factures, une panne serait classée en facturation.
        ### END SOLUTION
        """,
    )
    nb.md(
        """
        ## À retenir

        - Quelques exemples bien choisis valent mieux qu'une longue description.
        - Variez les exemples (un par catégorie au moins) et gardez toujours la même forme.
        - Terminez le prompt là où le modèle doit continuer (« Service : »).
        """
    )
    return finish(nb)
