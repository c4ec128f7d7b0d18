"""Exercise 06: the Automato method: importance x tedium matrix, tasks to automate, ROI."""
# ruff: noqa: E501 (cell sources keep the notebook's own line lengths)

from nbbuild import Notebook, finish, header

ASSIGNMENT = "06-automato"


def build() -> Notebook:
    nb = Notebook("ex06")
    header(nb, "Exercice 6 — Automato : quelles tâches confier à l'IA ?", 30, "3 (avancé)", [
        "placer des tâches sur la matrice importance × pénibilité ;",
        "repérer les tâches peu importantes et pénibles, à automatiser en premier ;",
        "estimer le retour sur investissement (ROI) d'une automatisation.",
    ])
    nb.md(
        """
        ## La méthode

        On ne remplace pas des métiers, on allège des tâches : selon les tâches, les gains de
        productivité observés vont de 20 à 80 % (Mollick), et l'assistance d'un modèle a
        augmenté de 14 % le nombre de demandes traitées par heure dans un service client
        (Brynjolfsson, Li & Raymond 2023). Automato commence par l'inventaire de vos tâches,
        notées de 1 à 5 :

        - **importance** : ce que la tâche apporte à l'organisation ou au public ;
        - **pénibilité** : ce qu'elle coûte en temps, en ennui ou en fatigue.

        Une note de 4 ou 5 est **élevée**, de 1 à 3 **faible**. Les quatre cases de la matrice :

        | | pénibilité faible | pénibilité élevée |
        |---|---|---|
        | **importance élevée** | `"garder"` (votre cœur de métier) | `"assister"` (l'IA aide, vous décidez) |
        | **importance faible** | `"simplifier"` (à réduire ou supprimer) | `"automatiser"` (priorité pour l'IA) |

        Voici l'inventaire de Sandra, gestionnaire RH dans une administration cantonale :
        """
    )
    nb.code(
        '''
        TACHES = [
            {"tache": "Répondre aux questions sur les vacances", "importance": 2, "penibilite": 4, "minutes_par_semaine": 90},
            {"tache": "Conduire les entretiens de recrutement", "importance": 5, "penibilite": 2, "minutes_par_semaine": 240},
            {"tache": "Mettre en forme les procès-verbaux", "importance": 2, "penibilite": 5, "minutes_par_semaine": 120},
            {"tache": "Rédiger les offres d'emploi", "importance": 4, "penibilite": 4, "minutes_par_semaine": 150},
            {"tache": "Classer les attestations reçues", "importance": 1, "penibilite": 5, "minutes_par_semaine": 60},
            {"tache": "Remplir le tableau de présence hebdomadaire", "importance": 2, "penibilite": 2, "minutes_par_semaine": 30},
        ]
        '''
    )
    nb.md(
        """
        ## Question 1 — La case de la matrice (3 points)

        ✏️ Complétez `quadrant(importance, penibilite)` : elle renvoie `"garder"`,
        `"assister"`, `"simplifier"` ou `"automatiser"` selon le tableau, et lève `ValueError`
        si une note n'est pas un entier de 1 à 5.
        """
    )
    nb.answer(
        "q01-reponse-quadrant",
        '''
        def quadrant(importance, penibilite):
            """Renvoie la case de la matrice importance × pénibilité (notes de 1 à 5)."""
            ### BEGIN SOLUTION
            for note in (importance, penibilite):
                if not isinstance(note, int) or isinstance(note, bool) or not 1 <= note <= 5:
                    raise ValueError(f"note invalide : {note!r} (entier de 1 à 5 attendu)")
            important, penible = importance >= 4, penibilite >= 4
            if important:
                return "assister" if penible else "garder"
            return "automatiser" if penible else "simplifier"
            ### END SOLUTION
        ''',
    )
    nb.test(
        "q06-quadrant",
        3,
        """
        # ✅ Vérification
        verifier_fonction(quadrant, [
            ((2, 4), "automatiser"),
            ((5, 2), "garder"),
            ((4, 4), "assister"),
            ((2, 2), "simplifier"),
        ], question="q06-quadrant")
        ### BEGIN HIDDEN TESTS
        verifier_fonction(quadrant, [
            ((3, 5), "automatiser"),
            ((4, 3), "garder"),
            ((1, 1), "simplifier"),
            ((5, 5), "assister"),
            ((0, 3), ValueError),
            ((3, 6), ValueError),
            ((2.5, 3), ValueError),
        ], question="q06-quadrant")
        ### END HIDDEN TESTS
        """,
    )
    nb.md(
        """
        ## Question 2 — Les tâches à automatiser en premier (2 points)

        ✏️ Complétez `a_automatiser(taches)` : elle renvoie la liste des **noms** des tâches de
        la case `"automatiser"`, de celle qui prend le plus de temps par semaine à celle qui en
        prend le moins.
        """
    )
    nb.answer(
        "q02-reponse-a-automatiser",
        '''
        def a_automatiser(taches):
            """Noms des tâches « automatiser », les plus longues d'abord."""
            ### BEGIN SOLUTION
            choisies = [t for t in taches if quadrant(t["importance"], t["penibilite"]) == "automatiser"]
            choisies.sort(key=lambda t: t["minutes_par_semaine"], reverse=True)
            return [t["tache"] for t in choisies]
            ### END SOLUTION
        ''',
    )
    nb.test(
        "q06-a-automatiser",
        2,
        """
        # ✅ Vérification
        verifier_fonction(a_automatiser, [
            ((TACHES,), ["Mettre en forme les procès-verbaux", "Répondre aux questions sur les vacances", "Classer les attestations reçues"]),
        ], indice="Utilisez quadrant() sur chaque tâche, puis triez par minutes_par_semaine, de la plus grande à la plus petite.")
        ### BEGIN HIDDEN TESTS
        verifier_fonction(a_automatiser, [
            (([],), []),
            (([{"tache": "A", "importance": 5, "penibilite": 5, "minutes_par_semaine": 10}],), []),
        ])
        ### END HIDDEN TESTS
        """,
    )
    nb.md(
        """
        ## Question 3 — Le retour sur investissement (3 points)

        Sandra pense gagner 60 minutes par semaine sur les procès-verbaux grâce à un assistant
        dont la licence coûte 360 CHF par an. Son coût horaire (salaire et charges) est de
        75 CHF, et elle travaille 45 semaines par an.

        ✏️ Complétez `roi(minutes_gagnees_par_semaine, cout_horaire, cout_annuel, semaines=45)` :

        - gain annuel = minutes gagnées par semaine ÷ 60 × coût horaire × semaines ;
        - ROI = (gain annuel − coût annuel) ÷ coût annuel, **arrondi à 2 décimales** ;
        - `ValueError` si le coût annuel n'est pas strictement positif.

        Pour Sandra : 60 ÷ 60 × 75 × 45 = 3 375 CHF de gain, ROI = (3 375 − 360) ÷ 360 = 8.38,
        soit 838 %. Un ROI positif ne dit pas tout : le temps de relecture et la qualité
        comptent aussi.
        """
    )
    nb.answer(
        "q03-reponse-roi",
        '''
        def roi(minutes_gagnees_par_semaine, cout_horaire, cout_annuel, semaines=45):
            """Retour sur investissement annuel d'une automatisation, arrondi à 2 décimales."""
            ### BEGIN SOLUTION
            if cout_annuel <= 0:
                raise ValueError("le coût annuel doit être strictement positif")
            gain = minutes_gagnees_par_semaine / 60 * cout_horaire * semaines
            return round((gain - cout_annuel) / cout_annuel, 2)
            ### END SOLUTION
        ''',
    )
    nb.test(
        "q06-roi",
        3,
        """
        # ✅ Vérification
        verifier_fonction(roi, [
            ((60, 75, 360), 8.38),
            ((30, 80, 1800), 0.0),
        ], question="q06-roi")
        ### BEGIN HIDDEN TESTS
        verifier_fonction(roi, [
            ((10, 60, 1000, 40), -0.6),
            ((90, 100, 500, 46), 12.8),
            ((60, 75, 0), ValueError),
        ], question="q06-roi")
        ### END HIDDEN TESTS
        """,
    )
    nb.free(
        """
        # Facultatif, non noté : demander au modèle un premier prompt pour la tâche n° 1 (réponse simulée sans clé d'API)
        premiere = a_automatiser(TACHES)[0]
        toolkit.ask(f"Tu es consultant·e en organisation. Propose un prompt réutilisable pour la tâche : « {premiere} ». Réponds en 5 lignes maximum.")
        """
    )
    nb.manual(
        "q04-reflexion",
        3,
        """
        ## Question 4 — Votre plan (3 points, corrigé par l'animateur·rice)

        ✏️ Choisissez **une tâche de votre propre quotidien** qui irait dans la case
        « automatiser ». Indiquez : la tâche ; l'outil ou le prompt envisagé ; le gain attendu
        (minutes par semaine) ; comment vous vérifierez dans 30 jours que le gain est réel et
        que la qualité est tenue.
        """,
        """
        ### BEGIN SOLUTION
        Exemple : mise en forme des procès-verbaux du comité de direction ; un assistant validé
        par l'organisation avec un prompt modèle (rôle de secrétaire, format du PV, notes
        délimitées) ; gain attendu 45 minutes par semaine ; je note pendant un mois le temps
        passé et les corrections faites à la relecture.
        ### END SOLUTION
        """,
    )
    nb.md(
        """
        ## À retenir

        - Commencez par les tâches **peu importantes et pénibles** : le gain est réel et le
          risque faible.
        - Les tâches importantes et pénibles se font **avec** l'IA, sous votre contrôle.
        - Un ROI se vérifie après coup : mesurez le temps gagné et le temps de relecture.
        """
    )
    return finish(nb)
