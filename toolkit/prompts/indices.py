"""French hints for the exercise questions, keyed by the nbgrader ``grade_id`` of the test cell.

The exercise notebooks call :mod:`toolkit.prompts.checks` with ``question="<grade_id>"``; the
message a participant sees when a check fails comes from here, so hints are edited in one place
and never pasted into notebook cells.
"""

from __future__ import annotations

__all__ = ["INDICES"]

INDICES: dict[str, str] = {
    # 01-anatomie-du-prompt
    "q01-composantes-manquantes": (
        "Relisez le prompt de Léa : dit-il qui doit répondre (rôle), pour qui et pourquoi "
        "(contexte), sous quelle forme (format), avec quelles règles (contraintes) ? Une "
        "composante manquante = une clé dans l'ensemble, par exemple {\"role\", \"format\"}."
    ),
    "q01-prompt-annonce": (
        "Partez du prompt de Léa et ajoutez une phrase par composante : « Tu es… » (rôle), "
        "« Nous sommes… / l'annonce s'adresse à… » (contexte), « Rédige… » (tâche)."
    ),
    # 02-format-et-delimiteurs
    "q02-prompt-json": (
        "Demandez explicitement une réponse « au format JSON » avec les clés attendues, et "
        "placez le courriel entre délimiteurs (triples guillemets ou balises "
        "<courriel>…</courriel>)."
    ),
    "q02-lire-json": (
        "Retirez d'abord les éventuelles balises ```json et ``` autour de la réponse, puis "
        "utilisez json.loads(). Si une clé obligatoire manque, levez ValueError."
    ),
    "q02-delimiter": (
        "Le texte doit se retrouver entre <texte> et </texte>, et les balises déjà présentes "
        "dans le texte doivent être neutralisées (remplacez « < » par « ‹ » par exemple)."
    ),
    # 03-exemples-few-shot
    "q03-few-shot": (
        "Pour chaque exemple, ajoutez deux lignes « Message : … » puis « Service : … », "
        "séparez les exemples par une ligne vide et terminez par le nouveau message suivi "
        "de « Service : » laissé vide."
    ),
    "q03-prompt-tri": (
        "Votre prompt doit contenir un rôle, la liste des services possibles (format), "
        "au moins un exemple introduit par « Exemple : » et la tâche (« Indique le service… »)."
    ),
    # 04-raisonnement
    "q04-etape-par-etape": (
        "Demandez au modèle de raisonner « étape par étape » et de donner la réponse finale "
        "sur une dernière ligne qui commence par « Réponse : »."
    ),
    "q04-table-ronde": (
        "Chaque expert doit apparaître dans le prompt avec son nom et sa spécialité ; "
        "demandez plusieurs tours de discussion puis une synthèse commune."
    ),
    # 05-confidentialite
    "q05-masquer-emails": (
        "Utilisez re.sub() avec un motif du type [\\w.+-]+@[\\w-]+\\.[\\w.-]+ et remplacez "
        "chaque adresse par [EMAIL]."
    ),
    "q05-masquer-telephones": (
        "Un numéro suisse ou français commence par +41, +33, 0041, 0033 ou 0, suivi de 9 "
        "chiffres qui peuvent être séparés par des espaces, des points ou des tirets. "
        "Remplacez-le par [TÉLÉPHONE]."
    ),
    "q05-masquer-avs": (
        "Un numéro AVS suisse a la forme 756.1234.5678.97 (13 chiffres commençant par 756, "
        "avec ou sans points). Remplacez-le par [AVS]."
    ),
    "q05-peut-envoyer": (
        "Relisez le tableau des règles : « public » va partout, « interne » seulement dans "
        "un outil validé par l'organisation ou un modèle local, « confidentiel » seulement "
        "dans un modèle local, « secret » nulle part."
    ),
    # 06-automato
    "q06-quadrant": (
        "Importance et pénibilité vont de 1 à 5 ; 3 ou moins = faible, 4 ou 5 = élevée. "
        "Peu important et pénible : « automatiser » ; important et pénible : « assister » ; "
        "important et peu pénible : « garder » ; ni l'un ni l'autre : « simplifier »."
    ),
    "q06-roi": (
        "Gain annuel = minutes gagnées par semaine ÷ 60 × coût horaire × semaines travaillées ; "
        "ROI = (gain annuel − coût annuel) ÷ coût annuel. Arrondissez à 2 décimales."
    ),
}
