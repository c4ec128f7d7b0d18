"""French hints shown to participants: what each prompt component is and exactly what to add.

Hints are data, not code in notebook cells: the analyser, the exercise checks and the
playground widget all read them from here.
"""

from __future__ import annotations

__all__ = ["COMPONENTS", "DEFINITIONS", "HINTS", "LABELS", "WEIGHTS", "component_key"]

#: Component keys, in the order of the framework (and of every checklist).
COMPONENTS: tuple[str, ...] = (
    "role",
    "contexte",
    "tache",
    "format",
    "contraintes",
    "exemples",
    "delimiteurs",
)

#: Label shown to participants.
LABELS: dict[str, str] = {
    "role": "Rôle",
    "contexte": "Contexte",
    "tache": "Tâche",
    "format": "Format",
    "contraintes": "Contraintes",
    "exemples": "Exemples",
    "delimiteurs": "Délimiteurs",
}

#: Points of each component in the 0-100 score (sum = 100). The task weighs most: without
#: it the model has to guess what to do; delimiters matter only when there is a text to process.
WEIGHTS: dict[str, int] = {
    "role": 15,
    "contexte": 20,
    "tache": 25,
    "format": 15,
    "contraintes": 10,
    "exemples": 10,
    "delimiteurs": 5,
}

#: One-line definition of each component (shown in checklists and in RULES.md).
DEFINITIONS: dict[str, str] = {
    "role": "l'identité ou l'expertise que le modèle doit adopter",
    "contexte": "la situation : qui demande, pour qui, pourquoi, et la matière fournie",
    "tache": "ce que le modèle doit faire, avec un verbe d'action ou une question",
    "format": "la forme de la réponse : tableau, liste, JSON, sections, nombre d'éléments",
    "contraintes": "les règles à respecter : ton, langue, longueur, ce qu'il faut éviter",
    "exemples": "un ou plusieurs exemples de ce qui est attendu",
    "delimiteurs": "des marques qui séparent le texte à traiter des consignes",
}

#: What to add when a component is missing: concrete, with a sentence to copy and adapt.
HINTS: dict[str, str] = {
    "role": (
        "Ajoutez un rôle : commencez par « Tu es … » avec un métier et un niveau "
        "d'expérience, par exemple « Tu es chargé·e de communication dans une commune "
        "de 15 000 habitants. »"
    ),
    "contexte": (
        "Ajoutez du contexte : qui vous êtes, à qui s'adresse le résultat et pourquoi, "
        "par exemple « Je travaille au service RH d'une PME de 80 personnes ; le texte "
        "est destiné aux nouveaux collaborateurs. »"
    ),
    "tache": (
        "Dites clairement ce que le modèle doit faire, avec un verbe d'action à "
        "l'impératif : « Rédige… », « Résume… », « Classe… », « Propose… »."
    ),
    "format": (
        "Précisez la forme de la réponse, par exemple « sous forme de tableau à "
        "3 colonnes », « en 5 puces », « au format JSON avec les clés nom et service » "
        "ou « avec un objet et trois paragraphes »."
    ),
    "contraintes": (
        "Ajoutez des contraintes : ton, longueur, ce qu'il faut éviter, par exemple "
        "« Ton chaleureux, vouvoiement, 150 mots maximum, n'invente aucun chiffre. »"
    ),
    "exemples": (
        "Donnez au moins un exemple de ce que vous attendez, introduit par "
        "« Exemple : » (une entrée et la réponse attendue, ou un texte modèle)."
    ),
    "delimiteurs": (
        'Séparez le texte à traiter de vos consignes avec des délimiteurs : triples '
        'guillemets """…""", balises <texte>…</texte> ou une ligne ###.'
    ),
}

_ALIASES: dict[str, str] = {
    "rôle": "role",
    "role": "role",
    "persona": "role",
    "contexte": "contexte",
    "context": "contexte",
    "tâche": "tache",
    "tache": "tache",
    "task": "tache",
    "format": "format",
    "contraintes": "contraintes",
    "contrainte": "contraintes",
    "constraints": "contraintes",
    "constraint": "contraintes",
    "exemples": "exemples",
    "exemple": "exemples",
    "examples": "exemples",
    "example": "exemples",
    "délimiteurs": "delimiteurs",
    "delimiteurs": "delimiteurs",
    "délimiteur": "delimiteurs",
    "delimiteur": "delimiteurs",
    "delimiters": "delimiteurs",
    "delimiter": "delimiteurs",
}


def component_key(name: str) -> str:
    """Return the canonical key for a component name, French or English, with or without accents.

    Raises ``KeyError`` for an unknown name (callers turn it into a French message).
    """
    return _ALIASES[name.strip().lower()]
