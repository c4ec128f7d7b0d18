"""Exercise 01: the anatomy of a prompt (rôle, contexte, tâche, format, contraintes...)."""
# ruff: noqa: E501 (cell sources keep the notebook's own line lengths)

from nbbuild import Notebook, finish, header

ASSIGNMENT = "01-anatomie-du-prompt"


def build() -> Notebook:
    nb = Notebook("ex01")
    header(nb, "Exercice 1 — Anatomie d'un prompt", 25, "2 (utilisateur autonome)", [
        "reconnaître les sept composantes d'un prompt : rôle, contexte, tâche, format, "
        "contraintes, exemples, délimiteurs ;",
        "transformer une demande vague en prompt complet ;",
        "comparer les réponses obtenues avant et après.",
    ])
    nb.md(
        """
        ## Le cadre

        | Composante | Ce qu'elle apporte | Exemple |
        |---|---|---|
        | **Rôle** | l'expertise que le modèle adopte | « Tu es chargée de recrutement dans une commune. » |
        | **Contexte** | qui demande, pour qui, pourquoi, la matière fournie | « Nous recrutons un·e comptable à 80 % ; l'annonce paraîtra sur notre site. » |
        | **Tâche** | ce qu'il faut faire, avec un verbe d'action | « Rédige l'annonce. » |
        | **Format** | la forme de la réponse | « en trois parties avec des puces : missions, profil, conditions » |
        | **Contraintes** | les règles à respecter | « 250 mots maximum, écriture inclusive, ton chaleureux » |
        | **Exemples** | un modèle de ce qui est attendu | « Exemple d'accroche : « Envie de donner du sens aux chiffres ? » » |
        | **Délimiteurs** | séparer le texte à traiter des consignes | `\"\"\"…\"\"\"`, `<notes>…</notes>`, `###` |

        Un prompt n'a pas besoin des sept composantes à chaque fois. Mais une tâche seule
        oblige le modèle à deviner tout le reste : il devine alors « en moyenne », et la
        réponse est générique.

        La fonction `analyse()` repère ces composantes dans un texte. Essayez-la :
        """
    )
    nb.free(
        """
        analyse("Écris une annonce d'emploi pour un comptable.")
        """
    )
    nb.md(
        """
        ## Question 1 — Qu'est-ce qui manque ? (2 points)

        Marc, à l'état civil d'une commune, a écrit ce prompt :
        """
    )
    nb.code(
        '''
        PROMPT_DE_MARC = """Rédige un message pour annoncer la fermeture du guichet de l'état civil le 2 janvier.
        Fais court et garde un ton cordial."""
        '''
    )
    nb.md(
        """
        ✏️ Dans la cellule suivante, écrivez l'**ensemble** des composantes absentes de ce prompt,
        avec ces noms : `"role"`, `"contexte"`, `"tache"`, `"format"`, `"contraintes"`,
        `"exemples"`, `"delimiteurs"` (les accents sont acceptés).
        Exemple de syntaxe : `MANQUANTES = {"role", "exemples"}`.

        Indice : une date précise fait partie du contexte.
        """
    )
    nb.answer(
        "q01-reponse-manquantes",
        """
        MANQUANTES = set()
        ### BEGIN SOLUTION
        MANQUANTES = {"role", "format", "exemples", "delimiteurs"}
        ### END SOLUTION
        """,
    )
    nb.test(
        "q01-composantes-manquantes",
        2,
        """
        # ✅ Vérification
        from toolkit.prompts.hints import component_key

        assert isinstance(MANQUANTES, (set, list, tuple)), "MANQUANTES doit être un ensemble, par exemple {\\"role\\", \\"format\\"}."
        try:
            reponse = {component_key(nom) for nom in MANQUANTES}
        except KeyError as erreur:
            raise AssertionError(f"Nom de composante inconnu : {erreur}. Utilisez role, contexte, tache, format, contraintes, exemples, delimiteurs.") from None
        assert "tache" not in reponse, "Le prompt de Marc contient bien une tâche : « Rédige un message… »."
        assert len(reponse) >= 2, "Il manque plus d'une composante : relisez le tableau du cadre."
        print("Réponse enregistrée, elle sera vérifiée à la correction.")
        ### BEGIN HIDDEN TESTS
        verifier_egal(reponse, {"role", "format", "exemples", "delimiteurs"}, nom="l'ensemble des composantes manquantes", question="q01-composantes-manquantes")
        ### END HIDDEN TESTS
        """,
    )
    nb.md(
        """
        ## Question 2 — Un prompt complet (6 points)

        Léa travaille aux ressources humaines de la commune de Renens (environ 21 000 habitants).
        Elle doit publier une offre pour un·e **comptable à 80 %** au service des finances.
        Son premier essai était : « Écris une annonce d'emploi pour un comptable. »

        ✏️ Réécrivez son prompt dans la cellule suivante, entre les triples guillemets.
        Il doit contenir au moins un **rôle**, du **contexte**, une **tâche**, un **format**
        et des **contraintes**. Inventez les détails qui manquent (date d'entrée, avantages…) :
        c'est exactement ce qu'un modèle ne peut pas deviner.
        """
    )
    nb.answer(
        "q02-reponse-prompt",
        '''
        PROMPT = """
        ### BEGIN SOLUTION
        Tu es chargée de recrutement dans une administration communale suisse.
        Contexte : la commune de Renens (21 000 habitants) recrute un·e comptable à 80 % pour son
        service des finances, entrée en fonction le 1er mars. L'annonce paraîtra sur notre site
        et sur LinkedIn.
        Rédige l'offre d'emploi en trois parties avec des puces : missions, profil, conditions.
        Contraintes : 250 mots maximum, écriture inclusive, ton chaleureux et professionnel,
        n'invente pas de salaire.
        ### END SOLUTION
        """
        ''',
    )
    nb.free(
        """
        # Votre prompt vu par l'analyseur (exécutez-moi autant de fois que vous voulez)
        analyse(PROMPT)
        """
    )
    nb.test(
        "q01-prompt-annonce",
        3,
        """
        # ✅ Vérification : rôle, contexte et tâche
        verifier_prompt(PROMPT, exige=["role", "contexte", "tache"], question="q01-prompt-annonce")
        """,
    )
    nb.test(
        "q01-prompt-annonce-forme",
        3,
        """
        # ✅ Vérification : format et contraintes
        verifier_prompt(PROMPT, exige=["format", "contraintes"], question="q01-prompt-annonce")
        ### BEGIN HIDDEN TESTS
        verifier_prompt(PROMPT, exige=["role", "contexte", "tache", "format", "contraintes"], score_min=85)
        verifier_contient(PROMPT, ["comptable"], indice="Le prompt doit parler du poste de comptable.")
        ### END HIDDEN TESTS
        """,
    )
    nb.md(
        """
        ### Et le modèle ? (facultatif, non noté)

        La cellule suivante envoie votre prompt au modèle configuré. Sans clé d'API, la réponse
        est **simulée** et le dit : elle montre seulement la forme demandée.
        Comparez avec le prompt de Léa en remplaçant `PROMPT` par
        `"Écris une annonce d'emploi pour un comptable."`.
        """
    )
    nb.free(
        """
        toolkit.ask(PROMPT)
        """
    )
    nb.manual(
        "q03-reflexion",
        2,
        """
        ## Question 3 — Réflexion (2 points, corrigée par l'animateur·rice)

        ✏️ Dans la cellule suivante, en trois à cinq phrases : quelle composante a le plus changé
        la réponse ? Laquelle vous sera la plus utile dans votre propre travail, et pourquoi ?
        """,
        """
        ### BEGIN SOLUTION
        Réponse attendue (exemple) : le contexte et le format changent le plus la réponse ; sans
        eux le modèle produit une annonce générique. Dans mon service, le contexte (public,
        canal de diffusion) est la composante la plus utile car nos textes visent des publics
        très différents.
        ### END SOLUTION
        """,
    )
    nb.md(
        """
        ## À retenir

        - Un bon prompt dit **qui** répond, **pour qui** et **pourquoi**, **quoi** faire, sous
          **quelle forme** et avec **quelles règles**.
        - Ce que vous ne dites pas, le modèle le devine : au mieux de façon générique, au pire
          en inventant.
        - Itérez : lisez la réponse, repérez ce qui manque, complétez le prompt.
        """
    )
    return finish(nb)
