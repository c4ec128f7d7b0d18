"""The ``atelier prompt analyse`` command: analyse a prompt (text or file), French output."""

from __future__ import annotations

import sys
from pathlib import Path

from toolkit.errors import InputError


def add_prompt(_parser, actions) -> None:

    analyse_parser = actions["analyse"]
    analyse_parser.add_argument("texte", nargs="?", help="le prompt à analyser, entre guillemets")
    analyse_parser.add_argument(
        "--file",
        "-f",
        metavar="FICHIER",
        help="lire le prompt dans ce fichier (UTF-8) ; « - » pour l'entrée standard",
    )
    analyse_parser.add_argument(
        "--json", action="store_true", help="sortie JSON (pour d'autres outils)"
    )


def _read(args) -> str:
    if args.file and args.texte:
        raise InputError(
            "Donnez le prompt soit en texte, soit avec --file, pas les deux.",
            'atelier prompt analyse "VOTRE PROMPT"  ou  atelier prompt analyse --file prompt.txt',
        )
    if args.file == "-":
        return sys.stdin.read()
    if args.file:
        path = Path(args.file)
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(
                f"Fichier introuvable : {path}", "Vérifiez le chemin du fichier."
            ) from None
        except UnicodeDecodeError:
            raise InputError(
                f"Le fichier {path} n'est pas en UTF-8.",
                "Enregistrez-le en UTF-8 (dans le Bloc-notes : Enregistrer sous → Encodage UTF-8).",
            ) from None
    if args.texte:
        return args.texte
    raise InputError(
        "Aucun prompt à analyser.",
        'Écrivez-le entre guillemets : atelier prompt analyse "Tu es…", ou utilisez --file.',
    )


def _analyse(args) -> int:
    import json

    from toolkit.prompts import analyse

    report = analyse(_read(args))
    if args.json:
        data = {
            "score": report.score,
            "langue": report.language,
            "composantes": {
                k: {"present": c.present, "points": c.points, "indices": list(c.evidence)}
                for k, c in report.components.items()
            },
            "conseils": report.hints,
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(f"{report}\n")
    return 0
