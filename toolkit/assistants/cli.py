"""``atelier assistants``: list, show and run the business assistants of the library."""

from __future__ import annotations

import sys


def add_assistants(parser, actions) -> None:
    parser.add_argument("--dossier", action="append", default=[],
                        help="dossier d'assistants supplémentaire (répétable)")
    show = actions["show"]
    show.add_argument("id", help="identifiant de l'assistant")
    show.add_argument("--version", type=int, help="version (par défaut : la dernière)")
    show.add_argument("--yaml", action="store_true", help="afficher le fichier YAML complet")
    run = actions["run"]
    run.add_argument("id", help="identifiant de l'assistant")
    run.add_argument("--version", type=int, help="version (par défaut : la dernière)")
    run.add_argument("--champ", action="append", default=[], metavar="NOM=VALEUR",
                     help="valeur d'un champ (répétable) ; les autres prennent leur exemple")
    check = actions["check"]
    check.add_argument("fichier", help="fichier YAML de l'assistant")


def _say(text) -> None:
    sys.stdout.write(f"{text}\n")


def _list(args) -> int:
    from toolkit.assistants import list_assistants

    table = list_assistants(args.dossier)
    if table.empty:
        _say("Aucun assistant trouvé.")
        return 0
    for row in table.itertuples():
        _say(f"{row.id:32} v{row.version:<3} {row.nom} — {row.auteur}")
    return 0


def _show(args) -> int:
    from toolkit.assistants import get

    assistant = get(args.id, args.version, extra=args.dossier)
    _say(assistant.to_yaml() if args.yaml else assistant)
    _say(f"\nFichier : {assistant.path}")
    return 0


def _run(args) -> int:
    from toolkit.assistants import get
    from toolkit.errors import InputError

    assistant = get(args.id, args.version, extra=args.dossier)
    inputs = assistant.example_inputs()
    for item in args.champ:
        name, sep, value = item.partition("=")
        if not sep:
            raise InputError(f"« {item} » n'a pas la forme NOM=VALEUR.",
                             'Écrivez par exemple --champ intitule="Comptable à 80 %".')
        inputs[name.strip()] = value
    _say(assistant.run(inputs, stream=False))
    return 0


def _check(args) -> int:
    from toolkit.assistants import load_file
    from toolkit.fr import pluriel

    assistant = load_file(args.fichier)
    _say(f"Fichier valide : {assistant.label}, {pluriel(len(assistant.champs), 'champ')}, "
         f"{pluriel(len(assistant.exemples), 'exemple')}, "
         f"{pluriel(len(assistant.verifications), 'vérification')}.")
    return 0
