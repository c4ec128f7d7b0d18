"""``atelier slides | editions | exercises | guide | release`` over :mod:`toolkit.publish`."""

from __future__ import annotations

from pathlib import Path

from toolkit.cli import default_of, report_sync


def add_slides(p) -> None:
    p.add_argument("session", nargs="?", help="session (identifiant, numéro ou nom) ; "
                   "défaut : toutes")
    p.add_argument("--logo", type=Path, help="image du logo de l'organisation (ou ATELIER_LOGO)")
    _out_option(p, "slides/build")
    p.add_argument("--execute", action="store_true",
                   help="exécuter les notebooks (mode simulé) pour montrer leurs résultats")


def add_editions(p) -> None:
    _out_option(p, "editions")
    p.add_argument("--html", action="store_true",
                   help="aussi l'édition participant en documents HTML accessibles et PDF")
    p.add_argument("--no-pdf", action="store_true", help="avec --html : HTML seulement")


def add_exercises(_parser, actions) -> None:
    sync = actions["sync"]
    sync.add_argument("--check", action="store_true",
                      help="ne rien écrire ; échouer si un notebook ou un indice est périmé")


def add_guide(p) -> None:
    _out_option(p, "editions/animateur")
    p.add_argument("--debut", default=default_of("toolkit.publish.guide:build_guide", "start"),
                   help="heure de début des sessions (défaut : %(default)s)")
    p.add_argument("--pdf", action="store_true",
                   help="imprimer aussi en PDF (nécessite chromium installé)")


def add_release(p) -> None:
    p.add_argument("--unreleased", action="store_true",
                   help="pré-version construite depuis la section [Unreleased] du CHANGELOG")
    p.add_argument("--logo", type=Path, help="logo pour les diaporamas (ou ATELIER_LOGO)")
    p.add_argument("--pdf", action="store_true", help="ajouter le guide en PDF (chromium)")
    _out_option(p, "dist")


def _out_option(parser, default: str) -> None:
    parser.add_argument("--out", type=Path, help=f"dossier de sortie (défaut : {default})")


def _slides(args) -> int:
    from toolkit.publish.slides import build_slides

    reports = build_slides(args.session, out_dir=args.out, logo=args.logo, execute=args.execute)
    for r in reports:
        print(r)
    built = [r.path for r in reports if r.path]
    if built:
        print(f"Ouvrez {built[0].parent / 'index.html'} dans un navigateur "
              "(touche S : notes de l'animateur·rice).")
    return 0 if built else 1


def _editions(args) -> int:
    from toolkit.publish.editions import build_editions

    report = build_editions(args.out, html=args.html, pdf=not args.no_pdf)
    print(report)
    return 0 if report.ok else 1


def _exercises_sync(args) -> int:
    from toolkit.publish.exercises import sync_exercises

    return report_sync(sync_exercises(check=args.check), args.check,
                       stale="Exercices à régénérer depuis exercises/text/",
                       command="atelier exercises sync", what="exercices")


def _guide(args) -> int:
    from toolkit.publish.guide import build_guide

    print(build_guide(args.out, start=args.debut, pdf=args.pdf))
    return 0


def _release(args) -> int:
    from toolkit.publish.release import build_release

    print(build_release(unreleased=args.unreleased, out_dir=args.out, logo=args.logo,
                        pdf=args.pdf))
    return 0
