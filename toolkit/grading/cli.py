"""``atelier grade ...``: release, collect, autograde, feedback, export, validate, check.

A thin layer over :mod:`toolkit.grading`; nbgrader is imported only when a command runs.
"""

from __future__ import annotations

import argparse
import sys


def _out(text: object) -> None:
    sys.stdout.write(f"{text}\n")


def _course_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--course", metavar="DOSSIER", default=None,
                        help="dossier du cours nbgrader (par défaut : exercises/)")


def _sandbox_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-sandbox", action="store_true",
                        help="sans isolement bubblewrap : seulement sur un ordinateur personnel, "
                             "pour des notebooks de confiance")


def add_grade(_parser, actions) -> None:
    from toolkit.cli import default_of

    p = actions["release"]
    p.add_argument("assignment", nargs="?", metavar="EXERCICE")
    _course_option(p)

    p = actions["collect"]
    p.add_argument("path", metavar="CHEMIN", help="dossier ou archive .zip des rendus")
    p.add_argument("--dry-run", action="store_true", help="montrer sans rien copier")
    _course_option(p)

    p = actions["autograde"]
    p.add_argument("assignment", nargs="?", metavar="EXERCICE")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="processus en parallèle (par défaut : nombre de cœurs + 1)")
    p.add_argument("--cell-timeout", type=float, default=None, metavar="S",
                   help="délai par cellule en secondes (par défaut : configuration du cours)")
    p.add_argument("--submission-timeout", type=float, default=None, metavar="S",
                   help="délai maximal par rendu, au-delà le rendu est arrêté et signalé")
    p.add_argument("--student", action="append", metavar="ID",
                   help="ne corriger que ce participant (option répétable)")
    p.add_argument("--no-progress", action="store_true", help="sans barre de progression")
    p.add_argument("--memory", type=int, default=None, metavar="Mo",
                   help="mémoire maximale d'un noyau, en Mo (par défaut : 2048)")
    _sandbox_option(p)
    _course_option(p)

    p = actions["feedback"]
    p.add_argument("assignment", nargs="?", metavar="EXERCICE")
    _course_option(p)

    p = actions["export"]
    p.add_argument("--output", metavar="FICHIER", default=None,
                   help="nom des fichiers (sans extension : .csv et .xlsx) ; par défaut "
                        "exercises/exports/notes")
    p.add_argument("--no-excel", action="store_true", help="CSV seulement")
    p.add_argument("--format", choices=["excel", "moodle", "xapi"], default="excel",
                   help="excel (CSV et Excel, défaut), moodle (CSV de l'import de notes de "
                        "Moodle, voir le README) ou xapi (exercices terminés, déclarations "
                        "xAPI en JSON)")
    p.add_argument("--survey", metavar="DOSSIER",
                   help="avec --format moodle : ajouter le score au quiz du questionnaire "
                        "(exports avant/après), relié par --participants")
    p.add_argument("--participants", metavar="CSV",
                   help="liste des participants reliant identifiant et code du questionnaire")
    _course_option(p)

    # Two names for one command: « check » is the participant's « Vérifier mon travail ».
    for name in ("validate", "check"):
        p = actions[name]
        p.add_argument("notebook", metavar="NOTEBOOK")
        p.add_argument("--timeout", type=float, metavar="S",
                       default=default_of("toolkit.grading.validate:validate", "timeout"),
                       help="délai par cellule (défaut : %(default)s s)")
        _sandbox_option(p)


def _release(args) -> int:
    from toolkit.grading.release import release

    report = release(args.assignment, course=args.course)
    _out(report)
    return 0 if report.ok else 1


def _collect(args) -> int:
    from toolkit.grading.collect import collect

    report = collect(args.path, course=args.course, dry_run=args.dry_run)
    _out(report)
    return 0


def _autograde(args) -> int:
    from toolkit.grading.autograde import autograde
    from toolkit.grading.sandbox import DEFAULT_LIMITS

    report = autograde(args.assignment, course=args.course, students=args.student,
                       workers=args.workers, cell_timeout=args.cell_timeout,
                       submission_timeout=args.submission_timeout,
                       progress=not args.no_progress, sandbox=not args.no_sandbox,
                       memory_mb=args.memory or DEFAULT_LIMITS.memory_mb)
    if not report.results:
        _out("Aucun rendu dans submitted/ : lancez d'abord « atelier grade collect CHEMIN ».")
        return 0
    _out(report)
    return 0 if not report.flagged else 2


def _feedback(args) -> int:
    from toolkit.grading.feedback import generate_feedback

    report = generate_feedback(args.assignment, course=args.course)
    _out(report)
    return 0 if not report.failed else 1


def _export(args) -> int:
    from toolkit.grading.export import export_grades, export_moodle, export_xapi

    if args.format == "xapi":
        table = export_xapi(args.output, course=args.course)
    elif args.format == "moodle":
        table = export_moodle(args.output, course=args.course, quiz=_quiz_scores(args))
    else:
        table = export_grades(args.output, course=args.course, excel=not args.no_excel)
    _out(table)
    return 0


def _quiz_scores(args) -> dict | None:
    """``{account: quiz score after}`` from the survey, through the roster's codes."""
    if not args.survey:
        return None
    from toolkit.errors import InputError
    from toolkit.preuves.evaluation import load_survey
    from toolkit.preuves.roster import read_roster

    if not args.participants:
        raise InputError("--survey demande --participants : la liste relie le compte de chaque "
                         "personne à son code du questionnaire.",
                         "Ajoutez --participants participants.csv (colonnes identifiant et "
                         "code).")
    results = load_survey(args.survey)
    people = read_roster(args.participants)
    results.check_roster(people)
    return {p.username: results.evaluation(p.code).quiz_post
            for p in people if p.username and p.code}


def _validate(args) -> int:
    from toolkit.grading.validate import validate

    report = validate(args.notebook, timeout=args.timeout, sandbox=not args.no_sandbox)
    _out(report)
    return 0 if report.ok else 1
