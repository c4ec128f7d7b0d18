"""``atelier ask | doctor | record``: thin wrappers over :mod:`toolkit.llm`."""

from __future__ import annotations

import sys
from pathlib import Path

from toolkit.cli import default_of

#: ``atelier ask`` exit status for an answer cut by the deadline or by max_tokens.
EXIT_INCOMPLETE = 3


def add_ask(p) -> None:
    p.add_argument("prompt", help="la question ou la consigne")
    p.add_argument("--system", help="consigne système (rôle)")
    p.add_argument("--model", help="modèle à utiliser (défaut : ATELIER_MODEL)")
    p.add_argument("--temperature", type=float, help="température, de 0 à 2")
    p.add_argument(
        "--image",
        action="append",
        dest="images",
        metavar="FICHIER",
        help="image à joindre (modèle de vision) ; répétable",
    )
    p.add_argument("--no-stream", action="store_true", help="afficher la réponse d'un bloc")
    p.add_argument(
        "--max-tokens", type=int, help="jetons de réponse au plus (défaut : ATELIER_MAX_TOKENS)"
    )
    p.epilog += (
        "\n\nCode de sortie : 0 réponse complète, 1 erreur (message en français), "
        f"{EXIT_INCOMPLETE} réponse incomplète (coupée par le délai ou la limite de jetons)."
    )


def add_record(p) -> None:
    p.add_argument("notebooks", nargs="+", type=Path, help="notebooks à exécuter")
    p.add_argument("--timeout", type=int,
                   default=default_of("toolkit.llm.record:record_notebooks", "timeout"),
                   help="délai maximal par cellule (défaut : %(default)s s)")
    p.add_argument(
        "--allow-personal-data",
        action="store_true",
        help="enregistrer aussi des données personnelles non masquées (refusé par défaut ; "
        "préférez ATELIER_PRIVACY=mask)",
    )


def _ask(args) -> int:
    from toolkit.llm.client import ask

    stream = not args.no_stream and sys.stdout.isatty()
    answer = ask(
        args.prompt,
        system=args.system,
        model=args.model,
        temperature=args.temperature,
        images=args.images,
        stream=stream,
        max_tokens=args.max_tokens,
    )
    if answer.notice:
        print(f"ℹ {answer.notice}", file=sys.stderr)
    for warning in answer.warnings:
        print(f"⚠ {warning}", file=sys.stderr)
    if not stream:
        print(answer.text)
    print(answer.summary())
    return 0 if answer.complete else EXIT_INCOMPLETE


def _doctor(args) -> int:
    from toolkit.llm.status import doctor

    report = doctor()
    print(report)
    return 0 if report.ok else 1


def _record(args) -> int:
    from toolkit.llm.record import record_notebooks

    results = record_notebooks(
        args.notebooks, timeout=args.timeout, allow_personal_data=args.allow_personal_data
    )
    for r in results:
        print(r)
        for line in r.privacy_lines():
            print(f"    {line}")
    return 0 if all(r.ok for r in results) else 1
